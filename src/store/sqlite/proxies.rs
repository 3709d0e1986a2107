//! `ProxyStore` on SQLite.

use async_trait::async_trait;
use rusqlite::{OptionalExtension, Row, params};

use super::{SqliteStore, map_err};
use crate::domain::proxy::{Proxy, ProxyProtocol};
use crate::store::{ProxyStore, StoreError, StoreResult};

const COLUMNS: &str = "id, protocol, host, port, auth, username, password, created_at, updated_at";

fn row_to_proxy(r: &Row<'_>) -> rusqlite::Result<Proxy> {
    let protocol: String = r.get(1)?;
    Ok(Proxy {
        id: r.get(0)?,
        // Rows are validated on write; an unknown protocol was edited in by hand.
        protocol: ProxyProtocol::parse(&protocol).unwrap_or(ProxyProtocol::Http),
        host: r.get(2)?,
        port: r.get(3)?,
        auth: r.get(4)?,
        username: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
        password: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
        created_at: r.get(7)?,
        updated_at: r.get(8)?,
    })
}

#[async_trait]
impl ProxyStore for SqliteStore {
    async fn insert_proxy(&self, proxy: &Proxy) -> StoreResult<()> {
        let p = proxy.clone();
        self.write(move |ctx| {
            ctx.conn
                .execute(
                    &format!("INSERT INTO proxies ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
                    params![
                        p.id,
                        p.protocol.as_str(),
                        p.host,
                        p.port,
                        p.auth,
                        p.username,
                        p.password,
                        p.created_at,
                        p.updated_at
                    ],
                )
                .map(|_| ())
                .map_err(map_err)
        })
        .await
    }

    async fn update_proxy(&self, proxy: &Proxy) -> StoreResult<()> {
        let p = proxy.clone();
        self.write(move |ctx| {
            let n = ctx
                .conn
                .execute(
                    "UPDATE proxies SET protocol = ?2, host = ?3, port = ?4, auth = ?5, username = ?6, password = ?7,
                     updated_at = ?8 WHERE id = ?1",
                    params![p.id, p.protocol.as_str(), p.host, p.port, p.auth, p.username, p.password, p.updated_at],
                )
                .map_err(map_err)?;
            if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
        })
        .await
    }

    async fn delete_proxy(&self, id: &str) -> StoreResult<bool> {
        let id = id.to_string();
        self.write(move |ctx| {
            // The foreign key would do it too; said here so the rule does not hide in the schema.
            ctx.conn.execute("UPDATE monitors SET proxy_id = NULL WHERE proxy_id = ?1", [&id]).map_err(map_err)?;
            ctx.conn.execute("DELETE FROM proxies WHERE id = ?1", [&id]).map(|n| n > 0).map_err(map_err)
        })
        .await
    }

    async fn proxy(&self, id: &str) -> StoreResult<Option<Proxy>> {
        let id = id.to_string();
        self.read(move |c, _| {
            c.query_row(&format!("SELECT {COLUMNS} FROM proxies WHERE id = ?1"), [&id], row_to_proxy)
                .optional()
                .map_err(map_err)
        })
        .await
    }

    async fn list_proxies(&self) -> StoreResult<Vec<Proxy>> {
        self.read(move |c, _| {
            let mut stmt =
                c.prepare(&format!("SELECT {COLUMNS} FROM proxies ORDER BY created_at, id")).map_err(map_err)?;
            let rows = stmt.query_map([], row_to_proxy).map_err(map_err)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(map_err)
        })
        .await
    }
}

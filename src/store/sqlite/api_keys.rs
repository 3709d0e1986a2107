//! `ApiKeyStore` on SQLite (table `api_keys`).

use async_trait::async_trait;
use rusqlite::{OptionalExtension, Row, params};

use super::{SqliteStore, map_err};
use crate::domain::UnixMillis;
use crate::domain::api_key::{ApiKey, ApiKeyScope};
use crate::store::{ApiKeyStore, KeyUses, StoreError, StoreResult};

const COLUMNS: &str = "id, name, key_hash, display_key, scope, last_used, expires_at, usage_count, max_usage_count, \
                       created_at, updated_at";

fn row_to_key(r: &Row<'_>) -> rusqlite::Result<ApiKey> {
    let scope: String = r.get(4)?;
    Ok(ApiKey {
        id: r.get(0)?,
        name: r.get(1)?,
        key_hash: r.get(2)?,
        display_key: r.get(3)?,
        // Rows are validated on write; anything else was edited in by hand: the safer scope.
        scope: ApiKeyScope::parse(&scope).unwrap_or(ApiKeyScope::Read),
        last_used: r.get(5)?,
        expires_at: r.get(6)?,
        usage_count: r.get::<_, i64>(7)?.max(0) as u64,
        max_usage_count: r.get::<_, Option<i64>>(8)?.map(|v| v.max(0) as u64),
        created_at: r.get(9)?,
        updated_at: r.get(10)?,
    })
}

fn opt_i64(v: Option<u64>) -> Option<i64> {
    v.map(|v| i64::try_from(v).unwrap_or(i64::MAX))
}

#[async_trait]
impl ApiKeyStore for SqliteStore {
    async fn insert_api_key(&self, key: &ApiKey) -> StoreResult<()> {
        let k = key.clone();
        self.write(move |ctx| {
            ctx.conn
                .execute(
                    &format!("INSERT INTO api_keys ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
                    params![
                        k.id,
                        k.name,
                        k.key_hash,
                        k.display_key,
                        k.scope.as_str(),
                        k.last_used,
                        k.expires_at,
                        i64::try_from(k.usage_count).unwrap_or(i64::MAX),
                        opt_i64(k.max_usage_count),
                        k.created_at,
                        k.updated_at
                    ],
                )
                .map(|_| ())
                .map_err(map_err)
        })
        .await
    }

    async fn update_api_key(&self, key: &ApiKey) -> StoreResult<()> {
        let k = key.clone();
        self.write(move |ctx| {
            let n = ctx
                .conn
                .execute(
                    "UPDATE api_keys SET name = ?2, scope = ?3, expires_at = ?4, max_usage_count = ?5, updated_at = ?6
                     WHERE id = ?1",
                    params![k.id, k.name, k.scope.as_str(), k.expires_at, opt_i64(k.max_usage_count), k.updated_at],
                )
                .map_err(map_err)?;
            if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
        })
        .await
    }

    async fn delete_api_key(&self, id: &str) -> StoreResult<bool> {
        let id = id.to_string();
        self.write(move |ctx| {
            ctx.conn.execute("DELETE FROM api_keys WHERE id = ?1", [&id]).map(|n| n > 0).map_err(map_err)
        })
        .await
    }

    async fn api_key(&self, id: &str) -> StoreResult<Option<ApiKey>> {
        let id = id.to_string();
        self.read(move |c, _| {
            c.prepare_cached(&format!("SELECT {COLUMNS} FROM api_keys WHERE id = ?1"))
                .map_err(map_err)?
                .query_row([&id], row_to_key)
                .optional()
                .map_err(map_err)
        })
        .await
    }

    async fn list_api_keys(&self) -> StoreResult<Vec<ApiKey>> {
        self.read(move |c, _| {
            let mut stmt = c
                .prepare(&format!("SELECT {COLUMNS} FROM api_keys ORDER BY created_at DESC, id DESC"))
                .map_err(map_err)?;
            let rows = stmt.query_map([], row_to_key).map_err(map_err)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(map_err)
        })
        .await
    }

    async fn consume_api_key_use(&self, id: &str, now: UnixMillis) -> StoreResult<bool> {
        let id = id.to_string();
        self.write(move |ctx| {
            ctx.conn
                .execute(
                    "UPDATE api_keys SET usage_count = usage_count + 1, last_used = ?2
                     WHERE id = ?1 AND (max_usage_count IS NULL OR usage_count < max_usage_count)",
                    params![id, now],
                )
                .map(|n| n == 1)
                .map_err(map_err)
        })
        .await
    }

    async fn record_api_key_uses(&self, uses: &[KeyUses]) -> StoreResult<()> {
        if uses.is_empty() {
            return Ok(());
        }
        let uses = uses.to_vec();
        self.write(move |ctx| {
            let mut stmt = ctx
                .conn
                .prepare_cached(
                    "UPDATE api_keys SET usage_count = usage_count + ?2, last_used = max(coalesce(last_used, 0), ?3)
                     WHERE id = ?1",
                )
                .map_err(map_err)?;
            for u in &uses {
                stmt.execute(params![u.id, i64::try_from(u.count).unwrap_or(i64::MAX), u.last_used])
                    .map_err(map_err)?;
            }
            Ok(())
        })
        .await
    }
}

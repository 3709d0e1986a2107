//! `ManagedStore` on SQLite: the `managed_by` column of monitors, channels and status pages.

use std::collections::HashMap;

use async_trait::async_trait;
use rusqlite::params;

use super::{SqliteStore, map_err};
use crate::store::StoreResult;
use crate::store::managed::{ManagedKind, ManagedStore};

#[async_trait]
impl ManagedStore for SqliteStore {
    async fn managed_by(&self, kind: ManagedKind, ids: &[String]) -> StoreResult<HashMap<String, String>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let ids = ids.to_vec();
        self.read(move |conn, _| {
            let mut out = HashMap::new();
            let mut stmt = conn
                .prepare_cached(&format!(
                    "SELECT managed_by FROM {} WHERE id = ?1 AND managed_by IS NOT NULL",
                    kind.table()
                ))
                .map_err(map_err)?;
            for id in ids {
                let mut rows = stmt.query(params![id]).map_err(map_err)?;
                if let Some(r) = rows.next().map_err(map_err)? {
                    out.insert(id, r.get::<_, String>(0).map_err(map_err)?);
                }
            }
            Ok(out)
        })
        .await
    }

    async fn managed_ids(&self, kind: ManagedKind, owner: &str) -> StoreResult<Vec<String>> {
        let owner = owner.to_string();
        self.read(move |conn, _| {
            let mut stmt = conn
                .prepare_cached(&format!(
                    "SELECT id FROM {} WHERE managed_by = ?1 ORDER BY created_at, id",
                    kind.table()
                ))
                .map_err(map_err)?;
            let rows = stmt.query_map(params![owner], |r| r.get::<_, String>(0)).map_err(map_err)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(map_err)
        })
        .await
    }

    async fn set_managed_by(&self, kind: ManagedKind, id: &str, owner: Option<&str>) -> StoreResult<bool> {
        let (id, owner) = (id.to_string(), owner.map(str::to_string));
        self.write(move |ctx| {
            let n = ctx
                .conn
                .execute(&format!("UPDATE {} SET managed_by = ?2 WHERE id = ?1", kind.table()), params![id, owner])
                .map_err(map_err)?;
            Ok(n > 0)
        })
        .await
    }
}

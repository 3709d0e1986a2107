//! `BackupStore` on SQLite: settings and rollup rows in bulk, and `VACUUM INTO` snapshots.

use std::path::Path;

use async_trait::async_trait;
use rusqlite::params;

use super::{SqliteStore, map_err};
use crate::store::backup::{BackupStore, ROLLUP_GRANULARITIES, RollupRow};
use crate::store::{Setting, SettingKind, StoreError, StoreResult};

fn table(granularity: &str) -> Option<&'static str> {
    Some(match granularity {
        "minutely" => "stat_minutely",
        "hourly" => "stat_hourly",
        "daily" => "stat_daily",
        _ => return None,
    })
}

#[async_trait]
impl BackupStore for SqliteStore {
    async fn list_settings(&self) -> StoreResult<Vec<Setting>> {
        self.read(|c, _| {
            let mut st = c
                .prepare_cached("SELECT key, value, type, created_at, updated_at FROM settings ORDER BY key")
                .map_err(map_err)?;
            let rows = st
                .query_map([], |r| {
                    let kind: String = r.get(2)?;
                    Ok(Setting {
                        key: r.get(0)?,
                        value: r.get(1)?,
                        kind: SettingKind::parse(&kind).unwrap_or(SettingKind::String),
                        created_at: r.get(3)?,
                        updated_at: r.get(4)?,
                    })
                })
                .map_err(map_err)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(map_err)
        })
        .await
    }

    async fn rollup_rows(&self) -> StoreResult<Vec<RollupRow>> {
        self.read(|c, _| {
            let mut out = Vec::new();
            for g in ROLLUP_GRANULARITIES {
                let t = table(g).unwrap_or("stat_daily");
                let mut st = c
                    .prepare(&format!(
                        "SELECT m.id, s.bucket, s.up, s.down, s.maintenance, s.ping_sum, s.ping_count, s.ping_min, s.ping_max \
                         FROM {t} s JOIN monitors m ON m.seq = s.monitor ORDER BY m.id, s.bucket"
                    ))
                    .map_err(map_err)?;
                let rows = st
                    .query_map([], |r| {
                        Ok(RollupRow {
                            monitor_id: r.get(0)?,
                            granularity: (*g).to_string(),
                            bucket: r.get(1)?,
                            up: r.get::<_, i64>(2)? as u64,
                            down: r.get::<_, i64>(3)? as u64,
                            maintenance: r.get::<_, i64>(4)? as u64,
                            ping_sum_us: r.get::<_, i64>(5)? as u64,
                            ping_count: r.get::<_, i64>(6)? as u64,
                            ping_min_us: r.get::<_, Option<i64>>(7)?.map(|v| v as u64),
                            ping_max_us: r.get::<_, Option<i64>>(8)?.map(|v| v as u64),
                        })
                    })
                    .map_err(map_err)?;
                for row in rows {
                    out.push(row.map_err(map_err)?);
                }
            }
            out.sort_by(|a, b| (&a.monitor_id, &a.granularity, a.bucket).cmp(&(&b.monitor_id, &b.granularity, b.bucket)));
            Ok(out)
        })
        .await
    }

    async fn replace_rollup_rows(&self, rows: &[RollupRow]) -> StoreResult<()> {
        let rows = rows.to_vec();
        self.write(move |ctx| {
            for g in ROLLUP_GRANULARITIES {
                let t = table(g).unwrap_or("stat_daily");
                ctx.conn.execute(&format!("DELETE FROM {t}"), []).map_err(map_err)?;
            }
            for r in &rows {
                let t = table(&r.granularity).ok_or_else(|| StoreError::InvalidReference {
                    field: "rollups.granularity".into(),
                    message: "must be minutely, hourly or daily".into(),
                })?;
                let n = ctx
                    .conn
                    .prepare_cached(&format!(
                        "INSERT INTO {t} (monitor, bucket, up, down, maintenance, ping_sum, ping_count, ping_min, ping_max) \
                         SELECT seq, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 FROM monitors WHERE id = ?1"
                    ))
                    .map_err(map_err)?
                    .execute(params![
                        r.monitor_id,
                        r.bucket,
                        r.up as i64,
                        r.down as i64,
                        r.maintenance as i64,
                        r.ping_sum_us as i64,
                        r.ping_count as i64,
                        r.ping_min_us.map(|v| v as i64),
                        r.ping_max_us.map(|v| v as i64),
                    ])
                    .map_err(map_err)?;
                if n == 0 {
                    return Err(StoreError::InvalidReference {
                        field: "rollups.monitor_id".into(),
                        message: format!("no monitor has id \"{}\"", r.monitor_id),
                    });
                }
            }
            Ok(())
        })
        .await
    }

    async fn snapshot_to(&self, path: &Path) -> StoreResult<()> {
        let target = path.to_string_lossy().into_owned();
        if path.exists() {
            return Err(StoreError::Conflict(format!("{target} already exists")));
        }
        // VACUUM INTO cannot run inside a transaction, so not on the writer (which wraps
        // every job in one); a read connection sees one consistent WAL snapshot.
        self.read(move |c, _| c.execute("VACUUM INTO ?1", [target]).map(|_| ()).map_err(map_err)).await
    }
}

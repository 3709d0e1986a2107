//! `ExposureStore` on SQLite: whole-fleet reads for `/metrics` and badge visibility.

use std::collections::HashMap;

use async_trait::async_trait;
use rusqlite::params;

use super::{SqliteStore, map_err};
use crate::domain::rollup::{Granularity, RollupCounts};
use crate::domain::{MonitorStatus, TlsInfo, UnixMillis};
use crate::store::{ExposureStore, MonitorSummary, StoreResult};

fn table(g: Granularity) -> &'static str {
    match g {
        Granularity::Minute => "stat_minutely",
        Granularity::Hour => "stat_hourly",
        Granularity::Day => "stat_daily",
    }
}

/// Rollup buckets are whole seconds; a bound in ms rounds up, as `rollup_total` does.
fn ceil_secs(ms: UnixMillis) -> i64 {
    ms.div_euclid(1000) + i64::from(ms.rem_euclid(1000) != 0)
}

#[async_trait]
impl ExposureStore for SqliteStore {
    async fn monitor_summaries(&self) -> StoreResult<Vec<MonitorSummary>> {
        self.read(move |c, _| {
            let mut stmt = c
                .prepare_cached("SELECT id, name, type, active, status FROM monitors ORDER BY name COLLATE NOCASE, seq")
                .map_err(map_err)?;
            let rows = stmt
                .query_map([], |r| {
                    Ok(MonitorSummary {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        kind: r.get(2)?,
                        active: r.get(3)?,
                        status: MonitorStatus::from_u8(r.get(4)?).unwrap_or(MonitorStatus::Pending),
                    })
                })
                .map_err(map_err)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(map_err)
        })
        .await
    }

    async fn rollup_totals(
        &self,
        granularity: Granularity,
        from: UnixMillis,
        to: UnixMillis,
    ) -> StoreResult<HashMap<String, RollupCounts>> {
        self.read(move |c, _| {
            let sql = format!(
                "SELECT m.id, sum(s.up), sum(s.down), sum(s.maintenance), sum(s.ping_sum), sum(s.ping_count),
                        min(s.ping_min), max(s.ping_max)
                 FROM {} s JOIN monitors m ON m.seq = s.monitor
                 WHERE s.bucket >= ?1 AND s.bucket < ?2 GROUP BY s.monitor",
                table(granularity)
            );
            let mut stmt = c.prepare_cached(&sql).map_err(map_err)?;
            let rows = stmt
                .query_map(params![ceil_secs(from), ceil_secs(to)], |r| {
                    let n = |i: usize| r.get::<_, i64>(i).map(|v| v.max(0) as u64);
                    let opt = |i: usize| r.get::<_, Option<i64>>(i).map(|v| v.map(|v| v.max(0) as u64));
                    Ok((
                        r.get::<_, String>(0)?,
                        RollupCounts {
                            up: n(1)?,
                            down: n(2)?,
                            maintenance: n(3)?,
                            ping_sum_us: n(4)?,
                            ping_count: n(5)?,
                            ping_min_us: opt(6)?,
                            ping_max_us: opt(7)?,
                        },
                    ))
                })
                .map_err(map_err)?;
            rows.collect::<Result<HashMap<_, _>, _>>().map_err(map_err)
        })
        .await
    }

    async fn certificate_expiries(&self) -> StoreResult<HashMap<String, UnixMillis>> {
        self.read(move |c, _| {
            let mut stmt = c.prepare_cached("SELECT monitor_id, info_json FROM monitor_tls_info").map_err(map_err)?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))).map_err(map_err)?;
            let mut out = HashMap::new();
            for row in rows {
                let (id, json) = row.map_err(map_err)?;
                // A row that does not parse (hand-edited) just has no expiry to report.
                if let Some(leaf) = serde_json::from_str::<TlsInfo>(&json).ok().and_then(|t| t.chain.into_iter().next())
                {
                    out.insert(id, leaf.not_after);
                }
            }
            Ok(out)
        })
        .await
    }

    async fn monitor_is_public(&self, monitor_id: &str) -> StoreResult<bool> {
        let id = monitor_id.to_string();
        self.read(move |c, _| {
            c.prepare_cached(
                "SELECT EXISTS (
                     SELECT 1 FROM monitors m WHERE m.id = ?1 AND m.active = 1 AND (
                         EXISTS (SELECT 1 FROM monitor_status_pages msp
                                 JOIN status_pages p ON p.id = msp.status_page_id
                                 WHERE msp.monitor_id = m.id AND p.published = 1)
                         OR EXISTS (SELECT 1 FROM monitor_tags mt
                                    JOIN status_page_sections sec ON sec.tag_id = mt.tag_id
                                    JOIN status_pages p ON p.id = sec.status_page_id
                                    WHERE mt.monitor_id = m.id AND p.published = 1)))",
            )
            .map_err(map_err)?
            .query_row([&id], |r| r.get::<_, bool>(0))
            .map_err(map_err)
        })
        .await
    }
}

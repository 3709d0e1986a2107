//! `HeartbeatStore` on SQLite: compact heartbeat rows, message de-duplication, rollups
//! updated exactly once per inserted beat, and retention.

use std::collections::HashMap;
use std::sync::RwLock;

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, params};

use super::{SqliteStore, WriterCtx, map_err, monitor_key};
use crate::domain::rollup::{Granularity, RetentionPolicy, RollupCounts, RollupPoint};
use crate::domain::state::BeatState;
use crate::domain::{Heartbeat, MonitorStatus, TlsInfo, UnixMillis};
use crate::store::{HeartbeatQuery, HeartbeatStore, IngestBatch, PruneReport, StoreError, StoreResult};

/// A message is stored at least every this many beats, so a reader carrying messages
/// forward never scans further back than this.
const MSG_REFRESH_EVERY: u32 = 64;

/// The writer's memory of a monitor's last stored message.
#[derive(Clone, Debug, Default)]
pub(crate) struct MsgSlot {
    last_msg: Option<String>,
    beats_since_stored: u32,
    last_time: UnixMillis,
}

fn table(g: Granularity) -> &'static str {
    match g {
        Granularity::Minute => "stat_minutely",
        Granularity::Hour => "stat_hourly",
        Granularity::Day => "stat_daily",
    }
}

fn load_slot(conn: &Connection, seq: i64) -> StoreResult<MsgSlot> {
    let row: Option<(UnixMillis, Option<String>)> = conn
        .prepare_cached("SELECT time, msg FROM heartbeats WHERE monitor = ?1 ORDER BY time DESC LIMIT 1")
        .map_err(map_err)?
        .query_row([seq], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
        .map_err(map_err)?;
    let Some((last_time, msg)) = row else { return Ok(MsgSlot::default()) };
    let last_msg = match msg {
        Some(m) => Some(m),
        None => carried_msg(conn, seq, last_time + 1)?,
    };
    // Unknown distance to the stored message: assume the worst so it is refreshed soon.
    Ok(MsgSlot { last_msg, beats_since_stored: MSG_REFRESH_EVERY, last_time })
}

/// The message in force just before `before`: the newest stored one.
fn carried_msg(conn: &Connection, seq: i64, before: UnixMillis) -> StoreResult<Option<String>> {
    conn.prepare_cached(
        "SELECT msg FROM heartbeats WHERE monitor = ?1 AND time < ?2 AND msg IS NOT NULL ORDER BY time DESC LIMIT 1",
    )
    .map_err(map_err)?
    .query_row(params![seq, before], |r| r.get(0))
    .optional()
    .map_err(map_err)
}

fn previous_time(conn: &Connection, seq: i64, before: UnixMillis) -> StoreResult<Option<UnixMillis>> {
    conn.prepare_cached("SELECT time FROM heartbeats WHERE monitor = ?1 AND time < ?2 ORDER BY time DESC LIMIT 1")
        .map_err(map_err)?
        .query_row(params![seq, before], |r| r.get(0))
        .optional()
        .map_err(map_err)
}

struct RawBeat {
    time: UnixMillis,
    status: u8,
    ping: Option<i64>,
    important: bool,
    notified: bool,
    retries: u32,
    down_count: u32,
    msg: Option<String>,
}

fn read_raw(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawBeat> {
    Ok(RawBeat {
        time: r.get(0)?,
        status: r.get(1)?,
        ping: r.get(2)?,
        important: r.get(3)?,
        notified: r.get(4)?,
        retries: r.get(5)?,
        down_count: r.get(6)?,
        msg: r.get(7)?,
    })
}

const RAW_COLUMNS: &str = "time, status, ping, important, notified, retries, down_count, msg";

/// Turns raw rows (newest first) into heartbeats: messages carried forward from older
/// rows, durations from the previous beat.
fn finish(
    conn: &Connection,
    seq: i64,
    monitor_id: &str,
    rows_newest_first: Vec<RawBeat>,
    contiguous: bool,
) -> StoreResult<Vec<Heartbeat>> {
    let n = rows_newest_first.len();
    let mut out: Vec<Heartbeat> = Vec::with_capacity(n);
    let mut carried: Option<String> = None;
    let mut prev_time: Option<UnixMillis> = None;
    for (i, raw) in rows_newest_first.into_iter().rev().enumerate() {
        let msg = match raw.msg {
            Some(m) => m,
            None => {
                if carried.is_none() {
                    carried = carried_msg(conn, seq, raw.time)?;
                }
                carried.clone().unwrap_or_default()
            }
        };
        carried = Some(msg.clone());
        let prev = if contiguous && i > 0 { prev_time } else { previous_time(conn, seq, raw.time)? };
        prev_time = Some(raw.time);
        out.push(Heartbeat {
            monitor_id: monitor_id.to_string(),
            time: raw.time,
            status: MonitorStatus::from_u8(raw.status).unwrap_or(MonitorStatus::Pending),
            ping_us: raw.ping.map(|p| p.max(0) as u64),
            msg,
            important: raw.important,
            notified: raw.notified,
            retries: raw.retries,
            down_count: raw.down_count,
            duration_ms: prev.map_or(0, |p| raw.time - p),
        });
    }
    out.reverse();
    Ok(out)
}

fn key_or_not_found(conn: &Connection, keys: &RwLock<HashMap<String, i64>>, id: &str) -> StoreResult<i64> {
    monitor_key(conn, keys, id)?.ok_or(StoreError::NotFound)
}

fn ingest_in_tx(ctx: &mut WriterCtx, batch: &IngestBatch) -> StoreResult<Vec<bool>> {
    let mut inserted = Vec::with_capacity(batch.beats.len());
    let mut rollups: HashMap<(Granularity, i64, UnixMillis), RollupCounts> = HashMap::new();
    let mut last_status: HashMap<i64, (UnixMillis, MonitorStatus)> = HashMap::new();
    for beat in &batch.beats {
        let Some(seq) = monitor_key(&ctx.conn, &ctx.keys, &beat.monitor_id)? else {
            inserted.push(false);
            continue;
        };
        if !ctx.msg_slots.contains_key(&seq) {
            let slot = load_slot(&ctx.conn, seq)?;
            ctx.msg_slots.insert(seq, slot);
        }
        let slot = ctx.msg_slots.get_mut(&seq).expect("slot inserted above");
        let store_msg = beat.important
            || slot.beats_since_stored + 1 >= MSG_REFRESH_EVERY
            || beat.time <= slot.last_time
            || slot.last_msg.as_deref() != Some(beat.msg.as_str());
        let n = ctx
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO heartbeats (monitor, time, status, ping, important, notified, retries, down_count, msg)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )
            .map_err(map_err)?
            .execute(params![
                seq,
                beat.time,
                beat.status.as_u8(),
                beat.ping_us.map(|p| p.min(i64::MAX as u64) as i64),
                beat.important,
                beat.notified,
                beat.retries,
                beat.down_count,
                store_msg.then_some(beat.msg.as_str()),
            ])
            .map_err(map_err)?;
        if n == 0 {
            inserted.push(false);
            continue;
        }
        inserted.push(true);
        if store_msg {
            slot.last_msg = Some(beat.msg.clone());
            slot.beats_since_stored = 0;
        } else {
            slot.beats_since_stored += 1;
        }
        slot.last_time = slot.last_time.max(beat.time);
        for g in Granularity::ALL {
            rollups.entry((g, seq, g.bucket_start(beat.time))).or_default().record(beat.status, beat.ping_us);
        }
        let e = last_status.entry(seq).or_insert((beat.time, beat.status));
        if beat.time >= e.0 {
            *e = (beat.time, beat.status);
        }
    }
    for ((g, seq, bucket), c) in rollups {
        ctx.conn
            .prepare_cached(&format!(
                "INSERT INTO {} (monitor, bucket, up, down, maintenance, ping_sum, ping_count, ping_min, ping_max)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (monitor, bucket) DO UPDATE SET
                    up = up + excluded.up,
                    down = down + excluded.down,
                    maintenance = maintenance + excluded.maintenance,
                    ping_sum = ping_sum + excluded.ping_sum,
                    ping_count = ping_count + excluded.ping_count,
                    ping_min = coalesce(min(ping_min, excluded.ping_min), ping_min, excluded.ping_min),
                    ping_max = coalesce(max(ping_max, excluded.ping_max), ping_max, excluded.ping_max)",
                table(g)
            ))
            .map_err(map_err)?
            .execute(params![
                seq,
                bucket / 1000,
                c.up as i64,
                c.down as i64,
                c.maintenance as i64,
                c.ping_sum_us as i64,
                c.ping_count as i64,
                c.ping_min_us.map(|v| v as i64),
                c.ping_max_us.map(|v| v as i64),
            ])
            .map_err(map_err)?;
    }
    for (seq, (_, status)) in last_status {
        ctx.conn
            .prepare_cached("UPDATE monitors SET status = ?2 WHERE seq = ?1 AND status != ?2")
            .map_err(map_err)?
            .execute(params![seq, status.as_u8()])
            .map_err(map_err)?;
    }
    for (monitor_id, info) in &batch.tls {
        let json = serde_json::to_string(info).map_err(|e| StoreError::Backend(e.to_string()))?;
        ctx.conn
            .prepare_cached(
                "INSERT INTO monitor_tls_info (monitor_id, info_json, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (monitor_id) DO UPDATE SET info_json = excluded.info_json, updated_at = excluded.updated_at",
            )
            .map_err(map_err)?
            .execute(params![monitor_id, json, info.captured_at])
            .map(|_| ())
            .or_else(|e| match map_err(e) {
                // The monitor was deleted while its result was in flight.
                StoreError::InvalidReference { .. } => Ok(()),
                other => Err(other),
            })?;
    }
    Ok(inserted)
}

fn read_counts(r: &rusqlite::Row<'_>, offset: usize) -> rusqlite::Result<RollupCounts> {
    let opt = |v: Option<i64>| v.map(|v| v.max(0) as u64);
    Ok(RollupCounts {
        up: r.get::<_, i64>(offset)?.max(0) as u64,
        down: r.get::<_, i64>(offset + 1)?.max(0) as u64,
        maintenance: r.get::<_, i64>(offset + 2)?.max(0) as u64,
        ping_sum_us: r.get::<_, i64>(offset + 3)?.max(0) as u64,
        ping_count: r.get::<_, i64>(offset + 4)?.max(0) as u64,
        ping_min_us: opt(r.get(offset + 5)?),
        ping_max_us: opt(r.get(offset + 6)?),
    })
}

/// Retention for one monitor: keeps the first surviving heartbeat self-contained (its
/// message may live in a row about to go), then deletes old rows of every table.
fn prune_monitor(ctx: &mut WriterCtx, seq: i64, policy: &RetentionPolicy, now: UnixMillis) -> StoreResult<PruneReport> {
    let cutoff = policy.heartbeat_cutoff(now);
    let mut report = PruneReport::default();
    let first: Option<(UnixMillis, Option<String>)> = ctx
        .conn
        .prepare_cached("SELECT time, msg FROM heartbeats WHERE monitor = ?1 AND time >= ?2 ORDER BY time LIMIT 1")
        .map_err(map_err)?
        .query_row(params![seq, cutoff], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
        .map_err(map_err)?;
    if let Some((t, None)) = first
        && let Some(msg) = carried_msg(&ctx.conn, seq, t)?
    {
        ctx.conn
            .execute("UPDATE heartbeats SET msg = ?3 WHERE monitor = ?1 AND time = ?2", params![seq, t, msg])
            .map_err(map_err)?;
    }
    report.heartbeats += ctx
        .conn
        .execute("DELETE FROM heartbeats WHERE monitor = ?1 AND time < ?2", params![seq, cutoff])
        .map_err(map_err)? as u64;
    for g in Granularity::ALL {
        report.rollups += ctx
            .conn
            .execute(
                &format!("DELETE FROM {} WHERE monitor = ?1 AND bucket < ?2", table(g)),
                params![seq, policy.rollup_cutoff(g, now) / 1000],
            )
            .map_err(map_err)? as u64;
    }
    Ok(report)
}

#[async_trait]
impl HeartbeatStore for SqliteStore {
    async fn ingest(&self, batch: &IngestBatch) -> StoreResult<Vec<bool>> {
        if batch.beats.is_empty() && batch.tls.is_empty() {
            return Ok(Vec::new());
        }
        let batch = batch.clone();
        self.write(move |ctx| ingest_in_tx(ctx, &batch)).await
    }

    async fn latest_beat_states(&self, monitor_ids: &[String]) -> StoreResult<HashMap<String, BeatState>> {
        let ids = monitor_ids.to_vec();
        self.read(move |c, keys| {
            let mut out = HashMap::new();
            for id in ids {
                let Some(seq) = monitor_key(c, keys, &id)? else { continue };
                let row = c
                    .prepare_cached(
                        "SELECT status, retries, down_count, time FROM heartbeats WHERE monitor = ?1 ORDER BY time DESC LIMIT 1",
                    )
                    .map_err(map_err)?
                    .query_row([seq], |r| {
                        Ok(BeatState {
                            status: MonitorStatus::from_u8(r.get(0)?).unwrap_or(MonitorStatus::Pending),
                            retries: r.get(1)?,
                            down_count: r.get(2)?,
                            time: r.get(3)?,
                        })
                    })
                    .optional()
                    .map_err(map_err)?;
                if let Some(s) = row {
                    out.insert(id, s);
                }
            }
            Ok(out)
        })
        .await
    }

    async fn heartbeats(&self, monitor_id: &str, query: &HeartbeatQuery) -> StoreResult<Vec<Heartbeat>> {
        let id = monitor_id.to_string();
        let q = query.clone();
        self.read(move |c, keys| {
            let seq = key_or_not_found(c, keys, &id)?;
            let limit = q.limit.clamp(1, 1000);
            let offset = u64::from(q.page) * u64::from(limit);
            let order = if q.oldest_first { "ASC" } else { "DESC" };
            let filter = if q.important_only { "AND important = 1" } else { "" };
            let sql = format!(
                "SELECT {RAW_COLUMNS} FROM heartbeats WHERE monitor = ?1 {filter} ORDER BY time {order} LIMIT {limit} OFFSET {offset}"
            );
            let mut rows: Vec<RawBeat> = c
                .prepare_cached(&sql)
                .map_err(map_err)?
                .query_map([seq], read_raw)
                .map_err(map_err)?
                .collect::<Result<_, _>>()
                .map_err(map_err)?;
            if q.oldest_first {
                rows.reverse();
            }
            let mut beats = finish(c, seq, &id, rows, !q.important_only)?;
            if q.oldest_first {
                beats.reverse();
            }
            Ok(beats)
        })
        .await
    }

    async fn latest_heartbeats(
        &self,
        monitor_ids: &[String],
        per_monitor: u32,
    ) -> StoreResult<HashMap<String, Vec<Heartbeat>>> {
        let ids = monitor_ids.to_vec();
        let limit = per_monitor.clamp(1, 500);
        self.read(move |c, keys| {
            let mut out = HashMap::new();
            for id in ids {
                let Some(seq) = monitor_key(c, keys, &id)? else { continue };
                let rows: Vec<RawBeat> = c
                    .prepare_cached(&format!(
                        "SELECT {RAW_COLUMNS} FROM heartbeats WHERE monitor = ?1 ORDER BY time DESC LIMIT ?2"
                    ))
                    .map_err(map_err)?
                    .query_map(params![seq, limit], read_raw)
                    .map_err(map_err)?
                    .collect::<Result<_, _>>()
                    .map_err(map_err)?;
                let mut beats = finish(c, seq, &id, rows, true)?;
                beats.reverse();
                out.insert(id, beats);
            }
            Ok(out)
        })
        .await
    }

    async fn rollup_points(
        &self,
        monitor_id: &str,
        granularity: Granularity,
        from: UnixMillis,
        to: UnixMillis,
    ) -> StoreResult<Vec<RollupPoint>> {
        let id = monitor_id.to_string();
        self.read(move |c, keys| {
            let seq = key_or_not_found(c, keys, &id)?;
            let sql = format!(
                "SELECT bucket, up, down, maintenance, ping_sum, ping_count, ping_min, ping_max FROM {}
                 WHERE monitor = ?1 AND bucket >= ?2 AND bucket < ?3 ORDER BY bucket",
                table(granularity)
            );
            let points = c
                .prepare_cached(&sql)
                .map_err(map_err)?
                .query_map(params![seq, ceil_secs(from), ceil_secs(to)], |r| {
                    Ok(RollupPoint { bucket: r.get::<_, i64>(0)? * 1000, counts: read_counts(r, 1)? })
                })
                .map_err(map_err)?
                .collect::<Result<_, _>>()
                .map_err(map_err)?;
            Ok(points)
        })
        .await
    }

    async fn rollup_total(
        &self,
        monitor_id: &str,
        granularity: Granularity,
        from: UnixMillis,
        to: UnixMillis,
    ) -> StoreResult<RollupCounts> {
        let id = monitor_id.to_string();
        self.read(move |c, keys| {
            let seq = key_or_not_found(c, keys, &id)?;
            let sql = format!(
                "SELECT coalesce(sum(up),0), coalesce(sum(down),0), coalesce(sum(maintenance),0),
                        coalesce(sum(ping_sum),0), coalesce(sum(ping_count),0), min(ping_min), max(ping_max)
                 FROM {} WHERE monitor = ?1 AND bucket >= ?2 AND bucket < ?3",
                table(granularity)
            );
            c.prepare_cached(&sql)
                .map_err(map_err)?
                .query_row(params![seq, ceil_secs(from), ceil_secs(to)], |r| read_counts(r, 0))
                .map_err(map_err)
        })
        .await
    }

    async fn reset_monitor_data(&self, monitor_id: &str) -> StoreResult<()> {
        let id = monitor_id.to_string();
        self.write(move |ctx| {
            let seq = key_or_not_found(&ctx.conn, &ctx.keys, &id)?;
            super::monitors::delete_monitor_data(ctx, seq)?;
            ctx.conn.execute("DELETE FROM monitor_tls_info WHERE monitor_id = ?1", [&id]).map_err(map_err)?;
            ctx.conn
                .execute("UPDATE monitors SET status = ?2 WHERE seq = ?1", params![seq, MonitorStatus::Pending.as_u8()])
                .map_err(map_err)?;
            Ok(())
        })
        .await
    }

    async fn tls_info(&self, monitor_id: &str) -> StoreResult<Option<TlsInfo>> {
        let id = monitor_id.to_string();
        self.read(move |c, _| {
            let json: Option<String> = c
                .prepare_cached("SELECT info_json FROM monitor_tls_info WHERE monitor_id = ?1")
                .map_err(map_err)?
                .query_row([&id], |r| r.get(0))
                .optional()
                .map_err(map_err)?;
            json.map(|j| serde_json::from_str(&j).map_err(|e| StoreError::Backend(format!("stored TLS info: {e}"))))
                .transpose()
        })
        .await
    }

    async fn prune(&self, policy: &RetentionPolicy, now: UnixMillis) -> StoreResult<PruneReport> {
        let seqs: Vec<i64> = self
            .read(|c, _| {
                c.prepare("SELECT seq FROM monitors")
                    .map_err(map_err)?
                    .query_map([], |r| r.get(0))
                    .map_err(map_err)?
                    .collect::<Result<_, _>>()
                    .map_err(map_err)
            })
            .await?;
        let mut total = PruneReport::default();
        // One monitor per write job, so ingest batches interleave with a long prune.
        for seq in seqs {
            let policy = *policy;
            let r = self.write(move |ctx| prune_monitor(ctx, seq, &policy, now)).await?;
            total.heartbeats += r.heartbeats;
            total.rollups += r.rollups;
        }
        Ok(total)
    }
}

/// Rollup buckets are stored in whole seconds; a millisecond bound `b` becomes the
/// smallest second `s` with `s * 1000 >= b`, so `bucket >= from` and `bucket < to` keep
/// their meaning (a query in the first second of a minute still sees that minute).
fn ceil_secs(ms: UnixMillis) -> i64 {
    ms.div_euclid(1000) + i64::from(ms.rem_euclid(1000) != 0)
}

#[cfg(test)]
mod tests {
    use super::ceil_secs;

    #[test]
    fn millisecond_bounds_round_up_to_seconds() {
        assert_eq!(ceil_secs(60_000), 60);
        assert_eq!(ceil_secs(60_001), 61);
        assert_eq!(ceil_secs(59_999), 60);
        assert_eq!(ceil_secs(-1), 0);
    }
}

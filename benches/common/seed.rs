//! Helpers of the benchmarks that use the library: a migrated SQLite store, HTTP
//! monitors, and realistic heartbeats. Included with `#[path]` only by those benchmarks
//! (the process-level ones stay free of the library, which keeps their builds short).
#![allow(dead_code)]

use std::path::Path;
use std::sync::Arc;

use futures::StreamExt;
use peekaping::domain::{Heartbeat, Monitor, MonitorStatus};
use peekaping::store::sqlite::{SqliteOptions, SqliteStore, SyncMode};
use peekaping::store::{IngestBatch, MonitorStore};

use crate::common::Rng;

/// Migrates (creating) the database at `path` and opens it like `serve` does.
pub fn open_store(path: &Path, sync: SyncMode) -> Arc<SqliteStore> {
    SqliteStore::migrate_up(path, None).expect("migrations apply to a fresh file");
    let mut opts = SqliteOptions::new(path);
    opts.sync = sync;
    Arc::new(SqliteStore::open(&opts).expect("the migrated database opens"))
}

/// An HTTP monitor as the API would store it (interval 20 s, timeout 16 s).
pub fn http_monitor(i: usize, url: &str, active: bool) -> Monitor {
    let now = peekaping::domain::now_millis();
    Monitor {
        id: uuid::Uuid::new_v4().to_string(),
        kind: "http".into(),
        name: format!("bench monitor {i:05}"),
        interval: 20,
        timeout: 16,
        max_retries: 0,
        retry_interval: 20,
        resend_interval: 0,
        active,
        status: MonitorStatus::Pending,
        config: serde_json::json!({ "url": url }).to_string(),
        proxy_id: None,
        push_token: None,
        parent_id: None,
        depends_on: None,
        notify_after_failures: 1,
        notify_after_successes: 1,
        run_started_at: None,
        notification_ids: Vec::new(),
        tag_ids: Vec::new(),
        tags: Vec::new(),
        created_at: now,
        updated_at: now,
    }
}

/// Inserts monitors with up to 256 writes in flight, so the store's group commit
/// batches them (one at a time would cost one fsync each).
pub async fn insert_monitors(store: &Arc<SqliteStore>, monitors: &[Monitor]) {
    let results: Vec<_> = futures::stream::iter(monitors.iter().cloned())
        .map(|m| {
            let store = store.clone();
            async move { store.insert_monitor(&m).await }
        })
        .buffer_unordered(256)
        .collect()
        .await;
    let failed = results.iter().filter(|r| r.is_err()).count();
    assert_eq!(failed, 0, "every monitor inserts");
}

/// What a stream of realistic checks of one monitor looks like: mostly `200 - OK` and
/// UP with a jittered response time, now and then a slow or failed one.
pub struct BeatMaker {
    rng: Rng,
    last: std::collections::HashMap<usize, MonitorStatus>,
}

impl BeatMaker {
    pub fn new(seed: u64) -> Self {
        Self { rng: Rng::new(seed), last: Default::default() }
    }

    /// The next heartbeat of monitor number `index` (id `id`) at `time`.
    pub fn beat(&mut self, index: usize, id: &str, time: i64) -> Heartbeat {
        let roll = self.rng.range(0, 1000);
        let (status, msg, ping_us) = match roll {
            0 => (MonitorStatus::Down, "503 - Service Unavailable".to_string(), Some(self.rng.range(1_000, 30_000))),
            1 => (MonitorStatus::Down, "Timed out after 16 s".to_string(), None),
            2 => (MonitorStatus::Up, "301 - Moved Permanently".to_string(), Some(self.rng.range(500, 20_000))),
            _ => (MonitorStatus::Up, "200 - OK".to_string(), Some(self.rng.range(300, 5_000))),
        };
        let previous = self.last.insert(index, status);
        Heartbeat {
            monitor_id: id.to_string(),
            time,
            status,
            ping_us,
            msg,
            important: previous.is_some_and(|p| p != status) || previous.is_none(),
            notified: false,
            retries: 0,
            down_count: u32::from(status == MonitorStatus::Down),
            duration_ms: 20_000,
        }
    }
}

/// Beats of `ids` in realistic time order: round `r` checks every monitor once, each at
/// its own offset within the 20 s interval, so rows of all monitors interleave.
pub fn interleaved_batches(
    ids: &[String],
    first_round: usize,
    rounds: usize,
    start_ms: i64,
    batch: usize,
    maker: &mut BeatMaker,
) -> Vec<IngestBatch> {
    let interval_ms = 20_000i64;
    let spacing = interval_ms / ids.len().max(1) as i64;
    let mut out = Vec::new();
    let mut current = IngestBatch::default();
    for r in first_round..first_round + rounds {
        for (i, id) in ids.iter().enumerate() {
            let time = start_ms + r as i64 * interval_ms + i as i64 * spacing;
            current.beats.push(maker.beat(i, id, time));
            if current.beats.len() == batch {
                out.push(std::mem::take(&mut current));
            }
        }
    }
    if !current.beats.is_empty() {
        out.push(current);
    }
    out
}

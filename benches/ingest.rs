//! Ingest throughput: heartbeats per second written into SQLite through the real
//! `HeartbeatStore::ingest` of `SqliteStore` (heartbeat rows, message de-duplication,
//! minute/hour/day rollups and monitor status, in one transaction per batch).
//!
//! How: a fresh database in a temp dir, 1,000 HTTP monitors inserted with
//! `insert_monitor`, then beats in realistic order (every monitor once per 20 s round,
//! interleaved, increasing time; mostly `200 - OK`, sometimes a failure or another
//! message). Batches are built before the clock starts and written one at a time, each
//! awaited like the ingester does. Two warm-up rounds (caches of monitor keys and last
//! messages) are not timed. Run with batches of 500 and 2,000 beats, each with
//! `SyncMode::Full` (the default: fsync on every commit) and `SyncMode::Normal`.
//! SPEC §8: ingest into SQLite (batched) ≥ 50,000 heartbeats/s.

mod common;
#[path = "common/seed.rs"]
mod seed;

use std::time::Instant;

use common::{Figure, Goal, Report, TempDir, percentile};
use peekaping::store::sqlite::SyncMode;
use peekaping::store::{HeartbeatStore, Store};

const MONITORS: usize = 1_000;
const SPEC_ROW: &str = "ingest into SQLite (batched)";

struct Outcome {
    beats_per_s: f64,
    /// Rates over the first and the last quarter of the batches: the B-trees grow.
    first_quarter: f64,
    last_quarter: f64,
    batch_p50_ms: f64,
    batch_p99_ms: f64,
    beats: usize,
}

async fn run(sync: SyncMode, batch: usize, rounds: usize) -> Outcome {
    let dir = TempDir::new("ingest");
    let store = seed::open_store(&dir.path().join("peekaping.db"), sync);
    let monitors: Vec<_> = (0..MONITORS).map(|i| seed::http_monitor(i, "http://127.0.0.1:9/", true)).collect();
    seed::insert_monitors(&store, &monitors).await;
    let ids: Vec<String> = monitors.iter().map(|m| m.id.clone()).collect();

    let start_ms = peekaping::domain::now_millis() - (rounds as i64 + 10) * 20_000;
    let mut maker = seed::BeatMaker::new(42);
    for b in seed::interleaved_batches(&ids, 0, 2, start_ms, batch, &mut maker) {
        store.ingest(&b).await.expect("warm-up batch ingests");
    }
    let batches = seed::interleaved_batches(&ids, 2, rounds, start_ms, batch, &mut maker);
    let beats: usize = batches.iter().map(|b| b.beats.len()).sum();

    let mut batch_ms = Vec::with_capacity(batches.len());
    let started = Instant::now();
    for b in &batches {
        let t = Instant::now();
        let inserted = store.ingest(b).await.expect("batch ingests");
        batch_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        debug_assert!(inserted.iter().all(|i| *i));
    }
    let elapsed = started.elapsed().as_secs_f64();
    store.close().await;
    let quarter = (batch_ms.len() / 4).max(1);
    let rate = |ms: &[f64]| (quarter * batch) as f64 / (ms.iter().sum::<f64>() / 1000.0);
    Outcome {
        beats_per_s: beats as f64 / elapsed,
        first_quarter: rate(&batch_ms[..quarter]),
        last_quarter: rate(&batch_ms[batch_ms.len() - quarter..]),
        batch_p50_ms: percentile(&batch_ms, 0.5),
        batch_p99_ms: percentile(&batch_ms, 0.99),
        beats,
    }
}

fn main() {
    common::start("ingest");
    let rounds = if common::quick() { 100 } else { 400 };
    let mut report = Report::new(
        "ingest",
        "Ingest into SQLite (HeartbeatStore::ingest)",
        "1,000 monitors, beats interleaved in time order, batches written one at a time through \
         SqliteStore::ingest (heartbeats + rollups + status in one transaction); fresh database per run; \
         2 untimed warm-up rounds.",
    );
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a tokio runtime");
    for (sync, sync_name) in [(SyncMode::Full, "full"), (SyncMode::Normal, "normal")] {
        for batch in [500usize, 2_000] {
            let o = rt.block_on(run(sync, batch, rounds));
            let id = format!("ingest.{sync_name}.{batch}");
            let mut f = Figure::new(
                format!("{id}.rate"),
                format!("ingest, batches of {batch}, synchronous={}", sync_name.to_uppercase()),
                o.beats_per_s,
                "heartbeats/s",
            )
            .note(format!(
                "{} beats over {MONITORS} monitors; first quarter of the batches {:.0}/s, last quarter {:.0}/s",
                o.beats, o.first_quarter, o.last_quarter
            ));
            if sync == SyncMode::Full {
                // The default setting is the one the target is about.
                f = f.target(Goal::AtLeast(50_000.0), SPEC_ROW);
            }
            report.add(f);
            report.add(
                Figure::new(format!("{id}.batch_p99"), format!("  one batch of {batch}, p99"), o.batch_p99_ms, "ms")
                    .note(format!("p50 {:.1} ms", o.batch_p50_ms)),
            );
        }
    }
    report.note("synchronous=FULL is the default (`--sqlite-sync full`): every commit is fsynced.");
    report.save();
}

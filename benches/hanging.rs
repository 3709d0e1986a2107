//! Hanging targets must not delay healthy checks (issue 3's robustness benchmark).
//!
//! How: in one process, 1,000 HTTP monitors point at a target that accepts every
//! connection and never answers (interval 20 s, timeout 19 s, so ~950 checks hang at any
//! moment once warmed up), and 100 monitors point at a fast HTTP target (a separate
//! process). After a warm-up of 25 s (every hanging monitor has a check in flight), a
//! window of 40 s measures:
//! - the scheduling lag of every check started in the window (from the difference of two
//!   `WorkerStats::lag_buckets` snapshots; percentiles are the buckets' upper bounds),
//! - the response time of the healthy monitors' heartbeats stored in the window (p99),
//! - how many checks hang concurrently (outcomes still missing).
//!
//! Target (issue 3): 1,000 concurrent checks against a hanging target do not delay checks
//! of healthy targets by more than 100 ms.

mod common;
#[path = "common/seed.rs"]
mod seed;

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::time::Duration;

use common::target::TargetProcess;
use common::{Figure, Goal, Report, TempDir, percentile};
use peekaping::app::{self, Role};
use peekaping::bus::Bus;
use peekaping::bus::embedded::{EmbeddedBus, EmbeddedBusOptions};
use peekaping::config::{Config, RawSettings, StoreConfig};
use peekaping::domain::now_millis;
use peekaping::store::Store;
use peekaping::store::sqlite::SyncMode;
use peekaping::worker::stats::BOUNDS_MS;

/// Accepts connections and holds them, never answering.
fn start_silent_target() -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind the silent target");
    let addr = listener.local_addr().expect("its address");
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in listener.incoming().flatten() {
            held.push(conn);
            if held.len() > 4000 {
                held.drain(..1000);
            }
        }
    });
    addr
}

fn bucket_percentile(counts: &[u64; 16], p: f64) -> f64 {
    let total: u64 = counts.iter().sum();
    if total == 0 {
        return 0.0;
    }
    let target = (p * total as f64).ceil().max(1.0) as u64;
    let mut seen = 0;
    for (i, c) in counts.iter().enumerate() {
        seen += c;
        if seen >= target {
            return BOUNDS_MS[i] as f64;
        }
    }
    BOUNDS_MS[15] as f64
}

async fn run(report: &mut Report, quick: bool) {
    let healthy = TargetProcess::spawn().expect("the HTTP target starts");
    let silent = start_silent_target();
    let dir = TempDir::new("hanging");
    let mut raw = RawSettings::default();
    raw.flag("data_dir", Some(dir.path().display().to_string()));
    raw.flag("host", Some("127.0.0.1".into()));
    let mut config = Config::load_from(raw, HashMap::new()).expect("a valid configuration");
    config.api.port = 0;
    let StoreConfig::Sqlite { path: db, .. } = config.store.clone() else { unreachable!("SQLite is the default") };
    let store = seed::open_store(&db, SyncMode::Full);
    let hanging = 1_000;
    let mut monitors: Vec<_> = (0..hanging)
        .map(|i| {
            let mut m = seed::http_monitor(i, &format!("http://{silent}/"), true);
            m.timeout = 19;
            m
        })
        .collect();
    let healthy_monitors: Vec<_> = (0..100).map(|i| seed::http_monitor(hanging + i, &healthy.url(), true)).collect();
    let healthy_ids: Vec<String> = healthy_monitors.iter().map(|m| m.id.clone()).collect();
    monitors.extend(healthy_monitors);
    seed::insert_monitors(&store, &monitors).await;
    let bus = EmbeddedBus::open(&EmbeddedBusOptions { path: Some(dir.path().join("bus.redb")), ..Default::default() })
        .expect("the bus opens");
    let store_dyn: Arc<dyn Store> = store.clone();
    let bus_dyn: Arc<dyn Bus> = Arc::new(bus);
    let running = app::start_with(&config, Role::All, store_dyn, bus_dyn).await.expect("the components start");
    let stats = running.worker_stats.clone().expect("a worker runs");

    tokio::time::sleep(Duration::from_secs(25)).await;
    let before = stats.lag_buckets();
    let (from, checks_before) = (now_millis(), stats.checks.load(Ordering::Relaxed));
    let window = Duration::from_secs(if quick { 20 } else { 40 });
    tokio::time::sleep(window).await;
    let after = stats.lag_buckets();
    let (to, checks_after) = (now_millis(), stats.checks.load(Ordering::Relaxed));
    tokio::time::sleep(Duration::from_secs(2)).await;
    let pings = healthy_pings(&db, &healthy_ids, from, to);
    running.stop().await;

    let window_counts: [u64; 16] = std::array::from_fn(|i| after[i] - before[i]);
    let started: u64 = window_counts.iter().sum();
    let finished = checks_after - checks_before;
    report.add(
        Figure::new("hanging.lag_p99", "lag p99 of checks started while 1,000 hang", bucket_percentile(&window_counts, 0.99), "ms")
            .note(format!(
                "bucket upper bound; p50 {} ms; {started} checks started, {finished} finished in {} s (the hanging ones time out after 19 s)",
                bucket_percentile(&window_counts, 0.5),
                window.as_secs()
            ))
            .target(Goal::AtMost(100.0), "1,000 hanging checks delay healthy ones ≤ 100 ms (issue 3)"),
    );
    report.add(
        Figure::new(
            "hanging.healthy_ping_p99",
            "healthy targets' response time p99 meanwhile",
            percentile(&pings, 0.99),
            "ms",
        )
        .note(format!(
            "{} healthy heartbeats in the window; p50 {:.2} ms",
            pings.len(),
            percentile(&pings, 0.5)
        )),
    );
}

fn healthy_pings(db: &std::path::Path, ids: &[String], from: i64, to: i64) -> Vec<f64> {
    let Ok(conn) = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for id in ids {
        let Ok(mut stmt) = conn.prepare(
            "SELECT h.ping FROM heartbeats h JOIN monitors m ON m.seq = h.monitor WHERE m.id = ?1 AND h.time >= ?2 AND h.time < ?3 AND h.ping IS NOT NULL",
        ) else {
            continue;
        };
        if let Ok(rows) = stmt.query_map(rusqlite::params![id, from, to], |r| r.get::<_, i64>(0)) {
            out.extend(rows.flatten().map(|us| us as f64 / 1000.0));
        }
    }
    out
}

use std::sync::Arc;

fn main() {
    let _args = common::start("hanging");
    peekaping::install_crypto_provider();
    let _ = tracing_subscriber::fmt().with_max_level(tracing::Level::WARN).with_writer(std::io::stderr).try_init();
    let quick = common::quick();
    let mut report = Report::new(
        "hanging",
        "Hanging targets vs healthy checks",
        "1,000 HTTP monitors against a target that never answers (timeout 19 s) and 100 against a fast one, \
         in one process (app::start_with(Role::All), SQLite + embedded bus); 25 s warm-up, then a measured window.",
    );
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a tokio runtime");
    rt.block_on(run(&mut report, quick));
    report.save();
}

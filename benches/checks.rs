//! End-to-end HTTP checks in one process: schedule → check → store → event.
//!
//! How: N HTTP monitors (1,000 and 10,000; interval 20 s, timeout 16 s, config
//! `{"url":"http://127.0.0.1:<port>/"}`) inserted into a fresh SQLite store (default
//! `synchronous=FULL`), then `peekaping::app::start_with(&config, Role::All, store, bus)`
//! with an `EmbeddedBus` on a redb file in the same temp dir, as `peekaping serve` runs
//! them (API on a free port too). The target is a tiny HTTP/1.1 responder in a separate
//! process (so the CPU and RSS read from `/proc/self` are Peekaping's and this harness's
//! only). After a warm-up of one interval (not measured), a window of several intervals
//! is measured:
//! - checks/s: `WorkerStats::checks` delta / window, against N / 20;
//! - scheduling lag: `WorkerStats::lag_percentile_ms` (a bucketed histogram whose
//!   percentiles are bucket upper bounds: 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000 ms…,
//!   cumulative since start: it cannot be reset, so it includes the warm-up), and exact
//!   percentiles over the window only, from a pass-through `Bus` wrapper that reads
//!   `scheduled_at` of every check job the worker pulls (now − scheduled_at, the same
//!   definition the worker uses);
//! - CPU: utime+stime delta of this process / window, and per check;
//! - RSS (VmRSS) at the end of the window;
//! - heartbeats stored with a time inside the window, counted in the SQLite file
//!   (read-only connection) a few seconds after the window closed.
//!
//! Each size runs in its own child process (`--run-size N`), so RSS figures do not carry
//! over. The retention task of `serve` prunes once 60 s after start (one write job per
//! monitor); with the default windows that pass falls inside the 10,000 run.
//! SPEC §8: 10,000 HTTP monitors @ 20 s on 2 cores, lag p99 ≤ 1 s; CPU per check ≤ 0.3 ms;
//! RSS with 1,000 monitors ≤ 40 MB.

mod common;
#[path = "common/seed.rs"]
mod seed;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use common::target::TargetProcess;
use common::{Figure, Goal, Report, TempDir, mib, percentile};
use peekaping::app::{self, Role};
use peekaping::bus::embedded::{EmbeddedBus, EmbeddedBusOptions};
use peekaping::bus::{Bus, BusEvent, BusResult, Delivery, DeliveryTag, EventStream, KvEntry, OutMessage, QueueName};
use peekaping::config::{Config, RawSettings, StoreConfig};
use peekaping::domain::now_millis;
use peekaping::store::Store;
use peekaping::store::sqlite::SyncMode;

/// A pass-through bus that notes the scheduling lag of every check job pulled while
/// recording. Costs one byte search per job.
struct LagProbe {
    inner: Arc<dyn Bus>,
    recording: AtomicBool,
    lags_ms: Mutex<Vec<f64>>,
}

impl LagProbe {
    fn record(&self, deliveries: &[Delivery]) {
        let now = now_millis();
        if let Ok(mut lags) = self.lags_ms.lock() {
            for d in deliveries {
                if let Some(at) = scheduled_at(&d.payload) {
                    lags.push((now - at).max(0) as f64);
                }
            }
        }
    }
}

/// `scheduled_at` of a JSON-encoded `CheckJob`, without decoding the whole job.
fn scheduled_at(payload: &[u8]) -> Option<i64> {
    const KEY: &[u8] = b"\"scheduled_at\":";
    let at = payload.windows(KEY.len()).position(|w| w == KEY)? + KEY.len();
    let digits: Vec<u8> = payload[at..]
        .iter()
        .copied()
        .skip_while(|b| *b == b' ')
        .take_while(|b| b.is_ascii_digit() || *b == b'-')
        .collect();
    std::str::from_utf8(&digits).ok()?.parse().ok()
}

#[async_trait]
impl Bus for LagProbe {
    async fn enqueue(&self, queue: QueueName, messages: Vec<OutMessage>) -> BusResult<()> {
        self.inner.enqueue(queue, messages).await
    }
    async fn pull(&self, queue: QueueName, max: usize, wait: Duration) -> BusResult<Vec<Delivery>> {
        let out = self.inner.pull(queue, max, wait).await?;
        if queue == QueueName::Checks && !out.is_empty() && self.recording.load(Ordering::Relaxed) {
            self.record(&out);
        }
        Ok(out)
    }
    async fn ack(&self, queue: QueueName, tags: &[DeliveryTag]) -> BusResult<()> {
        self.inner.ack(queue, tags).await
    }
    async fn nack(&self, queue: QueueName, tag: DeliveryTag, delay: Duration) -> BusResult<()> {
        self.inner.nack(queue, tag, delay).await
    }
    async fn depth(&self, queue: QueueName) -> BusResult<u64> {
        self.inner.depth(queue).await
    }
    async fn publish(&self, event: &BusEvent) -> BusResult<()> {
        self.inner.publish(event).await
    }
    async fn subscribe(&self) -> BusResult<EventStream> {
        self.inner.subscribe().await
    }
    async fn kv_get(&self, key: &str) -> BusResult<Option<KvEntry>> {
        self.inner.kv_get(key).await
    }
    async fn kv_create(&self, key: &str, value: Vec<u8>) -> BusResult<u64> {
        self.inner.kv_create(key, value).await
    }
    async fn kv_update(&self, key: &str, value: Vec<u8>, revision: u64) -> BusResult<u64> {
        self.inner.kv_update(key, value, revision).await
    }
    async fn kv_delete(&self, key: &str) -> BusResult<()> {
        self.inner.kv_delete(key).await
    }
    async fn close(&self) {
        self.inner.close().await
    }
}

/// Counters read at both ends of the window.
struct Snapshot {
    at: Instant,
    wall_ms: i64,
    checks: u64,
    skipped: u64,
    cpu_s: f64,
    target_cpu_s: f64,
}

fn snapshot(stats: &peekaping::worker::stats::WorkerStats, target_pid: u32) -> Snapshot {
    Snapshot {
        at: Instant::now(),
        wall_ms: now_millis(),
        checks: stats.checks.load(Ordering::Relaxed),
        skipped: stats.skipped_stale.load(Ordering::Relaxed),
        cpu_s: common::cpu_seconds(None).unwrap_or(0.0),
        target_cpu_s: common::cpu_seconds(Some(target_pid)).unwrap_or(0.0),
    }
}

fn stored_beats(db: &std::path::Path, from_ms: i64, to_ms: i64) -> (u64, u64) {
    let Ok(conn) = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY) else {
        return (0, 0);
    };
    conn.query_row(
        "SELECT count(*), count(DISTINCT monitor) FROM heartbeats WHERE time >= ?1 AND time < ?2",
        [from_ms, to_ms],
        |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
    )
    .unwrap_or((0, 0))
}

async fn run_size(n: usize, warmup: Duration, window: Duration, report: &mut Report) {
    let target = TargetProcess::spawn().expect("the HTTP target starts");
    let dir = TempDir::new("checks");
    let mut raw = RawSettings::default();
    raw.flag("data_dir", Some(dir.path().display().to_string()));
    raw.flag("host", Some("127.0.0.1".into()));
    let mut config = Config::load_from(raw, HashMap::new()).expect("the benchmark configuration is valid");
    config.api.port = 0;
    let StoreConfig::Sqlite { path: db, .. } = config.store.clone() else {
        unreachable!("the default store is SQLite")
    };

    let store = seed::open_store(&db, SyncMode::Full);
    {
        let monitors: Vec<_> = (0..n).map(|i| seed::http_monitor(i, &target.url(), true)).collect();
        seed::insert_monitors(&store, &monitors).await;
    }
    let bus = EmbeddedBus::open(&EmbeddedBusOptions { path: Some(dir.path().join("bus.redb")), ..Default::default() })
        .expect("the embedded bus opens");
    let probe = Arc::new(LagProbe {
        inner: Arc::new(bus),
        recording: AtomicBool::new(false),
        lags_ms: Mutex::new(Vec::with_capacity(n * 4)),
    });
    let store_dyn: Arc<dyn Store> = store.clone();
    let bus_dyn: Arc<dyn Bus> = probe.clone();
    let running = app::start_with(&config, Role::All, store_dyn, bus_dyn).await.expect("the components start");
    let stats = running.worker_stats.clone().expect("Role::All runs a worker");

    tokio::time::sleep(warmup).await;
    let threads_a = common::thread_cpu(None);
    let a = snapshot(&stats, target.pid());
    probe.recording.store(true, Ordering::Relaxed);
    tokio::time::sleep(window).await;
    probe.recording.store(false, Ordering::Relaxed);
    let b = snapshot(&stats, target.pid());
    let by_thread =
        common::thread_breakdown(&threads_a, &common::thread_cpu(None), b.at.duration_since(a.at).as_secs_f64());
    let rss = common::rss_bytes(None).unwrap_or(0);
    let hwm = common::status_bytes(None, "VmHWM").unwrap_or(0);
    let threads = common::thread_count(None).unwrap_or(0);
    let checks_depth = probe.depth(QueueName::Checks).await.unwrap_or(0);
    let results_depth = probe.depth(QueueName::Results).await.unwrap_or(0);
    // Let the last outcomes of the window reach the database before counting them.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (stored, stored_monitors) = stored_beats(&db, a.wall_ms, b.wall_ms);
    let worker_p50 = stats.lag_percentile_ms(0.5).unwrap_or(0) as f64;
    let worker_p99 = stats.lag_percentile_ms(0.99).unwrap_or(0) as f64;
    let worker_max = stats.lag_max_ms() as f64;
    let lags = probe.lags_ms.lock().map(|l| l.clone()).unwrap_or_default();
    let stop_started = Instant::now();
    running.stop().await;
    let stop_ms = stop_started.elapsed().as_secs_f64() * 1000.0;

    let secs = b.at.duration_since(a.at).as_secs_f64();
    let checks = b.checks - a.checks;
    let cpu = b.cpu_s - a.cpu_s;
    let expected = n as f64 / 20.0;
    let id = format!("checks.{n}");
    let big = n >= 10_000;

    let mut f =
        Figure::new(format!("{id}.rate"), format!("{n} monitors: checks/s achieved"), checks as f64 / secs, "checks/s")
            .note(format!(
                "expected {expected:.0}/s; {checks} checks in {secs:.1} s; {} skipped as stale",
                b.skipped - a.skipped
            ));
    if big {
        f = f.target(
            Goal::AtLeast(expected * 0.99),
            "one `serve` on 2 cores: 10,000 HTTP monitors @ 20 s (500 checks/s; 99%)",
        );
    }
    report.add(f);
    let mut f = Figure::new(
        format!("{id}.lag_p99"),
        format!("{n} monitors: scheduling lag p99 (WorkerStats)"),
        worker_p99,
        "ms",
    )
    .note(format!("bucketed histogram since start (incl. warm-up): p50 {worker_p50:.0} ms, max {worker_max:.0} ms"));
    if big {
        f = f.target(Goal::AtMost(1000.0), "scheduling lag p99 with 10,000 monitors");
    }
    report.add(f);
    report.add(Figure::new(
        format!("{id}.lag_window_p50"),
        format!("{n} monitors: lag p50, window only (exact)"),
        percentile(&lags, 0.5),
        "ms",
    ));
    report.add(Figure::new(
        format!("{id}.lag_window_p99"),
        format!("{n} monitors: lag p99, window only (exact)"),
        percentile(&lags, 0.99),
        "ms",
    ));
    report.add(
        Figure::new(
            format!("{id}.lag_window_max"),
            format!("{n} monitors: lag max, window only"),
            percentile(&lags, 1.0),
            "ms",
        )
        .note(format!("{} check jobs pulled in the window", lags.len())),
    );
    report.add(
        Figure::new(
            format!("{id}.cpu"),
            format!("{n} monitors: CPU of the process"),
            cpu / secs * 100.0,
            "% of a core",
        )
        .note(format!(
            "2 cores = 200%; by thread: {by_thread}; the separate HTTP target used another {:.1}%",
            (b.target_cpu_s - a.target_cpu_s) / secs * 100.0
        )),
    );
    report.add(
        Figure::new(
            format!("{id}.cpu_per_check"),
            format!("{n} monitors: CPU per check, end to end"),
            cpu * 1000.0 / checks.max(1) as f64,
            "ms",
        )
        .target(Goal::AtMost(0.3), "CPU per HTTP check, end to end"),
    );
    let mut f =
        Figure::new(format!("{id}.rss"), format!("{n} monitors: RSS at the end of the window"), mib(rss), "MiB").note(
            format!("VmHWM {:.1} MiB, {threads} threads; includes this harness (a few MiB), not the target", mib(hwm)),
        );
    if n == 1_000 {
        f = f.target(Goal::AtMost(40.0), "RSS with 1,000 HTTP monitors @ 20 s (in-process)");
    }
    report.add(f);
    report.add(
        Figure::new(format!("{id}.stored"), format!("{n} monitors: heartbeats stored from the window"), stored as f64 / secs, "beats/s")
            .note(format!(
                "{stored} rows of {stored_monitors} monitors with a time in the window ({:.1}% of the checks); queues at the end: checks {checks_depth}, results {results_depth}",
                100.0 * stored as f64 / checks.max(1) as f64
            )),
    );
    report.add(Figure::new(format!("{id}.stop"), format!("{n} monitors: Running::stop"), stop_ms, "ms"));
}

fn main() {
    let args = common::start("checks");
    let quick = common::quick();
    if let Some(n) = common::arg_value(&args, "--run-size").and_then(|v| v.parse::<usize>().ok()) {
        peekaping::install_crypto_provider();
        let _ = tracing_subscriber::fmt().with_max_level(tracing::Level::WARN).with_writer(std::io::stderr).try_init();
        let warmup = Duration::from_secs(if n >= 10_000 { 25 } else { 20 });
        let window = Duration::from_secs(if quick { 10 } else { 60 });
        let mut report = Report::new(
            &format!("checks-{n}"),
            &format!("End-to-end HTTP checks, {n} monitors (in-process)"),
            &format!(
                "{n} HTTP monitors @ 20 s against a local HTTP target (separate process); app::start_with(Role::All) on \
                 SqliteStore (synchronous=FULL) + EmbeddedBus (redb); {}s warm-up, then a {}s window.",
                warmup.as_secs(),
                window.as_secs()
            ),
        );
        let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a tokio runtime");
        rt.block_on(run_size(n, warmup, window, &mut report));
        report.save();
        return;
    }
    let sizes: Vec<usize> = match std::env::var("PEEKAPING_BENCH_CHECKS") {
        Ok(list) => list.split(',').filter_map(|s| s.trim().parse().ok()).collect(),
        Err(_) if quick => vec![1_000],
        Err(_) => vec![1_000, 10_000],
    };
    let exe = std::env::current_exe().expect("the benchmark knows its own path");
    let mut failed = false;
    for n in sizes {
        let status = std::process::Command::new(&exe).arg("--run-size").arg(n.to_string()).status();
        if !status.is_ok_and(|s| s.success()) {
            eprintln!("checks: the run with {n} monitors failed");
            failed = true;
        }
    }
    if failed {
        std::process::exit(1);
    }
}

//! API latency with 10,000 monitors: a page of `GET /api/v1/monitors` and
//! `GET /api/v1/monitors/:id/stats/uptime` (24 h / 7 d / 30 d / 365 d from the rollups).
//!
//! How: a SQLite database is seeded through the library (10,000 HTTP monitors pointing at
//! a local HTTP target; 30 recent heartbeats each, and for 100 of them a year of
//! history: hourly beats for 365 days, per-minute beats for the last 24 h, so the
//! uptime windows read full rollup ranges). Then the real release binary serves it and
//! requests go one at a time over one keep-alive HTTP/1.1 connection from this process,
//! timed from write to last byte read: 2,000 × a random page of 50
//! (`?page=0..199&limit=50`) and 2,000 × the uptime of a random monitor with history,
//! after 100 untimed warm-up requests of each.
//! Two runs: the monitors paused (an idle server), then active (the same server checking
//! all 10,000 at 20 s, i.e. 500 checks/s, measured after a 25 s warm-up).
//! SPEC §8: `GET /monitors` page from 10,000 monitors p99 ≤ 20 ms; uptime p99 ≤ 5 ms.

mod common;
#[path = "common/seed.rs"]
mod seed;

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use common::target::TargetProcess;
use common::{Figure, Goal, HttpConn, Report, Rng, Server, TempDir, percentile};
use peekaping::domain::now_millis;
use peekaping::store::sqlite::SyncMode;
use peekaping::store::{HeartbeatStore, IngestBatch, Store};

const MONITORS: usize = 10_000;
const REQUESTS: usize = 2_000;
const WARMUP: usize = 100;
const PAGE: usize = 50;

/// Seeds the database; returns the ids of the monitors with a year of history.
async fn seed_database(db: &Path, url: &str, with_history: usize) -> (Vec<String>, usize) {
    let store = seed::open_store(db, SyncMode::Normal);
    let monitors: Vec<_> = (0..MONITORS).map(|i| seed::http_monitor(i, url, false)).collect();
    seed::insert_monitors(&store, &monitors).await;
    let now = now_millis();
    let mut maker = seed::BeatMaker::new(11);
    let mut beats = 0usize;
    let mut batch = IngestBatch::default();
    for (i, m) in monitors.iter().enumerate() {
        let recent_from = now - 30 * 20_000;
        let mut times: Vec<i64> = Vec::new();
        if i < with_history {
            let day_ago = now - 86_400_000;
            times.extend((0..365 * 24 - 24).map(|h| now - 365 * 86_400_000 + h * 3_600_000));
            times.extend((0..).map(|k| day_ago + k * 60_000).take_while(|t| *t < recent_from));
        }
        times.extend((0..30).map(|k| recent_from + k * 20_000));
        for t in times {
            batch.beats.push(maker.beat(i, &m.id, t));
            if batch.beats.len() == 2_000 {
                beats += batch.beats.len();
                store.ingest(&std::mem::take(&mut batch)).await.expect("seed batch ingests");
            }
        }
    }
    beats += batch.beats.len();
    store.ingest(&batch).await.expect("seed batch ingests");
    store.close().await;
    (monitors.iter().take(with_history).map(|m| m.id.clone()).collect(), beats)
}

struct Latencies {
    list: Vec<f64>,
    uptime: Vec<f64>,
}

fn measure(addr: SocketAddr, token: &str, history: &[String], rng: &mut Rng) -> std::io::Result<Latencies> {
    let mut conn = HttpConn::connect(addr)?;
    let pages = (MONITORS / PAGE) as u64;
    let mut list = Vec::with_capacity(REQUESTS);
    let mut uptime = Vec::with_capacity(REQUESTS);
    for i in 0..WARMUP + REQUESTS {
        let path = format!("/api/v1/monitors?page={}&limit={PAGE}", rng.range(0, pages));
        let t = Instant::now();
        let r = conn.request("GET", &path, Some(token), None)?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        if r.status != 200 || r.json()["data"].as_array().map_or(0, Vec::len) != PAGE {
            return Err(std::io::Error::other(format!("{path} answered {}", r.status)));
        }
        if i >= WARMUP {
            list.push(ms);
        }
        let id = &history[rng.range(0, history.len() as u64) as usize];
        let path = format!("/api/v1/monitors/{id}/stats/uptime");
        let t = Instant::now();
        let r = conn.request("GET", &path, Some(token), None)?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        if r.status != 200 || r.json()["data"]["365d"].is_null() {
            return Err(std::io::Error::other(format!(
                "{path} answered {}: {}",
                r.status,
                String::from_utf8_lossy(&r.body)
            )));
        }
        if i >= WARMUP {
            uptime.push(ms);
        }
    }
    Ok(Latencies { list, uptime })
}

fn add_figures(report: &mut Report, run: &str, what: &str, l: &Latencies) {
    report.add(
        Figure::new(
            format!("api.{run}.list_p99"),
            format!("GET /monitors page of 50 from 10,000, p99 ({what})"),
            percentile(&l.list, 0.99),
            "ms",
        )
        .target(Goal::AtMost(20.0), "`GET /monitors` page from 10,000 monitors")
        .note(format!(
            "p50 {:.2} ms, max {:.2} ms over {}",
            percentile(&l.list, 0.5),
            percentile(&l.list, 1.0),
            l.list.len()
        )),
    );
    report.add(
        Figure::new(
            format!("api.{run}.uptime_p99"),
            format!("GET /monitors/:id/stats/uptime, p99 ({what})"),
            percentile(&l.uptime, 0.99),
            "ms",
        )
        .target(Goal::AtMost(5.0), "uptime 24h/7d/30d/365d (rollups)")
        .note(format!(
            "p50 {:.2} ms, max {:.2} ms over {}",
            percentile(&l.uptime, 0.5),
            percentile(&l.uptime, 1.0),
            l.uptime.len()
        )),
    );
}

fn fail(what: &str, e: impl std::fmt::Display) -> ! {
    eprintln!("api_latency: {what}: {e}");
    std::process::exit(1);
}

fn set_all_active(db: &Path, active: bool) {
    let conn = rusqlite::Connection::open(db).unwrap_or_else(|e| fail("open the database", e));
    conn.execute("UPDATE monitors SET active = ?1", [active]).unwrap_or_else(|e| fail("activate monitors", e));
}

fn main() {
    common::start("api_latency");
    let quick = common::quick();
    let with_history = if quick { 20 } else { 100 };
    let mut report = Report::new(
        "api_latency",
        "API latency with 10,000 monitors",
        "Database seeded through the library (10,000 HTTP monitors, 30 recent beats each, a year of rollups \
         for some); the release binary serves it; sequential requests on one keep-alive connection, timed \
         from request write to the last response byte (client included); idle, then checking all 10,000.",
    );
    let target = TargetProcess::spawn().unwrap_or_else(|e| fail("the HTTP target", e));
    let dir = TempDir::new("api");
    let data = dir.path().join("data");
    let db = data.join("peekaping.db");
    std::fs::create_dir_all(&data).unwrap_or_else(|e| fail("data dir", e));

    let seeding = Instant::now();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a tokio runtime");
    let (history, beats) = rt.block_on(seed_database(&db, &target.url(), with_history));
    drop(rt);
    report.note(format!(
        "seeded {MONITORS} monitors and {beats} heartbeats ({with_history} monitors with a year of history) in {:.1} s",
        seeding.elapsed().as_secs_f64()
    ));
    let mut rng = Rng::new(3);

    let server = Server::start(&data, &[], Duration::from_secs(30)).unwrap_or_else(|e| fail("start", e));
    let token = common::register_admin(server.addr).unwrap_or_else(|e| fail("register", e));
    let idle = measure(server.addr, &token, &history, &mut rng).unwrap_or_else(|e| fail("idle run", e));
    add_figures(&mut report, "idle", "monitors paused", &idle);
    server.stop(Duration::from_secs(15));

    if quick {
        report.note("quick mode: the run under check load was skipped");
    } else {
        set_all_active(&db, true);
        let server = Server::start(&data, &[], Duration::from_secs(30)).unwrap_or_else(|e| fail("restart", e));
        std::thread::sleep(Duration::from_secs(25));
        let pid = server.pid();
        let cpu0 = common::cpu_seconds(Some(pid)).unwrap_or(0.0);
        let t0 = Instant::now();
        let busy = measure(server.addr, &token, &history, &mut rng).unwrap_or_else(|e| fail("loaded run", e));
        let cpu = (common::cpu_seconds(Some(pid)).unwrap_or(0.0) - cpu0) / t0.elapsed().as_secs_f64() * 100.0;
        add_figures(&mut report, "loaded", "checking 10,000 @ 20 s", &busy);
        report.note(format!("server CPU during the loaded run: {cpu:.0}% of a core (checks + API)"));
        server.stop(Duration::from_secs(15));
    }
    report.save();
}

//! The real binary with 1,000 HTTP monitors created through the API: memory, CPU per
//! check, add/list latency, and how fast checking resumes after a restart.
//!
//! How: `target/release/peekaping serve` on a temp data dir and a free loopback port; a
//! tiny HTTP target in a separate process. The admin registers (`POST
//! /api/v1/auth/register`), then 1,000 HTTP monitors (interval 20 s, timeout 16 s) are
//! created one after the other with `POST /api/v1/monitors` on one keep-alive
//! connection, each timed (each create also schedules its first check at once). Then
//! `GET /api/v1/monitors?limit=1000` (all 1,000 in one page) is timed 50 times. After one
//! more interval the server is measured over a window: CPU (utime+stime of its
//! `/proc/<pid>/stat`) per heartbeat stored with a time in the window (counted in the
//! SQLite file, read-only), and VmRSS at the end. Finally it is stopped (SIGTERM) and
//! started again, and the time from spawn until every monitor has a heartbeat newer than
//! the restart is measured (polling the database every 200 ms); one interval later CPU
//! and RSS are measured again: after a restart the producer spreads the checks over the
//! interval, whereas monitors created in one go stay bunched (which batches better).
//! SPEC §8: RSS with 1,000 HTTP monitors ≤ 40 MB; CPU per check ≤ 0.3 ms; add a monitor /
//! list monitors with 1,000 present ≤ 20 ms / ≤ 50 ms; restart with 1,000 monitors: all
//! checking again within one interval (20 s).
//!
//! This benchmark does not link the library (std, serde_json and rusqlite only).

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::target::TargetProcess;
use common::{Figure, Goal, HttpConn, Report, Server, TempDir, mib, percentile};

const MONITORS: usize = 1_000;
const INTERVAL_S: u64 = 20;

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

fn db_count(db: &Path, sql: &str, since_ms: i64, until_ms: i64) -> u64 {
    let Ok(conn) = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY) else {
        return 0;
    };
    let _ = conn.busy_timeout(Duration::from_secs(2));
    conn.query_row(sql, [since_ms, until_ms], |r| r.get::<_, i64>(0)).map(|n| n as u64).unwrap_or(0)
}

fn fail(what: &str, e: impl std::fmt::Display) -> ! {
    eprintln!("serve_1k: {what}: {e}");
    std::process::exit(1);
}

fn main() {
    common::start("serve_1k");
    let quick = common::quick();
    let mut report = Report::new(
        "serve_1k",
        "Real binary with 1,000 HTTP monitors (created through the API)",
        "target/release/peekaping serve on a temp data dir; admin registered and 1,000 HTTP monitors @ 20 s \
         created with POST /api/v1/monitors against a local HTTP target (separate process); CPU and VmRSS of \
         the server process from /proc; heartbeats counted in its SQLite file; then a restart.",
    );
    let target = TargetProcess::spawn().unwrap_or_else(|e| fail("the HTTP target", e));
    let dir = TempDir::new("serve1k");
    let data = dir.path().join("data");
    let db = data.join("peekaping.db");
    let server = Server::start(&data, &[], Duration::from_secs(20)).unwrap_or_else(|e| fail("start", e));
    let token = common::register_admin(server.addr).unwrap_or_else(|e| fail("register", e));
    let mut conn = HttpConn::connect(server.addr).unwrap_or_else(|e| fail("connect", e));

    let config = serde_json::json!({ "url": target.url() }).to_string();
    let mut add_ms = Vec::with_capacity(MONITORS);
    for i in 0..MONITORS {
        let body = serde_json::json!({
            "type": "http",
            "name": format!("bench monitor {i:04}"),
            "interval": INTERVAL_S,
            "timeout": 16,
            "retry_interval": INTERVAL_S,
            "config": config,
        })
        .to_string();
        let t = Instant::now();
        let r =
            conn.request("POST", "/api/v1/monitors", Some(&token), Some(&body)).unwrap_or_else(|e| fail("create", e));
        add_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        if r.status != 201 && r.status != 200 {
            fail("create", format!("answered {}: {}", r.status, String::from_utf8_lossy(&r.body)));
        }
    }
    let created = Instant::now();
    report.add(
        Figure::new(
            "serve_1k.add_p99",
            "add a monitor (POST /monitors), p99 over 1,000",
            percentile(&add_ms, 0.99),
            "ms",
        )
        .target(Goal::AtMost(20.0), "add a monitor with 1,000 present")
        .note(format!(
            "p50 {:.2} ms; last 100 (900+ present): p50 {:.2} ms, p99 {:.2} ms; synchronous=FULL",
            percentile(&add_ms, 0.5),
            percentile(&add_ms[MONITORS - 100..], 0.5),
            percentile(&add_ms[MONITORS - 100..], 0.99)
        )),
    );

    let mut list_ms = Vec::new();
    let mut total = 0;
    for _ in 0..50 {
        let t = Instant::now();
        let r =
            conn.request("GET", "/api/v1/monitors?limit=1000", Some(&token), None).unwrap_or_else(|e| fail("list", e));
        list_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        total = r.json()["total"].as_u64().unwrap_or(0);
    }
    report.add(
        Figure::new(
            "serve_1k.list_p99",
            "list all 1,000 monitors (one page), p99 over 50",
            percentile(&list_ms, 0.99),
            "ms",
        )
        .target(Goal::AtMost(50.0), "list monitors with 1,000 present")
        .note(format!("p50 {:.2} ms; total reported {total}", percentile(&list_ms, 0.5))),
    );

    // One full interval after the last create, every monitor runs on its own schedule.
    // Monitors created in one go were first checked in one go, so their checks stay
    // bunched into about a second of each interval.
    std::thread::sleep(Duration::from_secs(INTERVAL_S).saturating_sub(created.elapsed()));
    let window = Duration::from_secs(if quick { 10 } else { 40 });
    let w = measure_window(&server, &db, window);
    report.add(
        Figure::new("serve_1k.rss", "RSS of `serve` with 1,000 HTTP monitors @ 20 s", mib(w.rss), "MiB")
            .target(Goal::AtMost(40.0), "RSS with 1,000 HTTP monitors @ 20 s")
            .note(w.memory_note()),
    );
    report.add(
        Figure::new(
            "serve_1k.cpu_per_check",
            "CPU per check, checks bunched (just created)",
            w.cpu_per_check_ms(),
            "ms",
        )
        .target(Goal::AtMost(0.3), "CPU per HTTP check, end to end")
        .note(w.cpu_note()),
    );
    drop(conn);
    server.stop(Duration::from_secs(15));
    let restarted_ms = now_ms();
    let spawned = Instant::now();
    let server = Server::start(&data, &[], Duration::from_secs(20)).unwrap_or_else(|e| fail("restart", e));
    report.add(Figure::new(
        "serve_1k.restart_serve",
        "start to serving with 1,000 monitors in the database",
        server.start_to_serve.as_secs_f64() * 1000.0,
        "ms",
    ));
    let deadline = Duration::from_secs(INTERVAL_S * 3);
    let sql = "SELECT count(DISTINCT monitor) FROM heartbeats WHERE time >= ?1 AND time < ?2";
    let mut checked = 0;
    while spawned.elapsed() < deadline {
        checked = db_count(&db, sql, restarted_ms, i64::MAX);
        if checked as usize >= MONITORS {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let observed = spawned.elapsed().as_secs_f64();
    // A heartbeat's time is when its check started: the latest first check after the
    // restart, relative to the spawn, is when the last monitor was checking again.
    let last_first = db_count(
        &db,
        "SELECT coalesce(max(first), 0) FROM (SELECT min(time) AS first FROM heartbeats \
         WHERE time >= ?1 AND time < ?2 GROUP BY monitor)",
        restarted_ms,
        i64::MAX,
    ) as i64;
    let resumed = (last_first - restarted_ms) as f64 / 1000.0;
    report.add(
        Figure::new(
            "serve_1k.restart_all_checking",
            "restart: spawn until the last monitor's first check started",
            if checked as usize >= MONITORS { resumed } else { f64::INFINITY },
            "s",
        )
        .target(Goal::AtMost(INTERVAL_S as f64), "restart with 1,000 monitors in the DB (one interval)")
        .note(format!(
            "{checked} of {MONITORS} monitors checked again; all of them seen stored after {observed:.1} s (200 ms polling)"
        )),
    );
    if !quick {
        // After a restart the producer spreads first checks over the interval: the
        // steady state of a server that has run for a while.
        std::thread::sleep(Duration::from_secs(INTERVAL_S + 2).saturating_sub(spawned.elapsed()));
        let w = measure_window(&server, &db, window);
        report.add(
            Figure::new("serve_1k.rss_spread", "RSS, 1,000 monitors, after the restart", mib(w.rss), "MiB")
                .target(Goal::AtMost(40.0), "RSS with 1,000 HTTP monitors @ 20 s")
                .note(w.memory_note()),
        );
        report.add(
            Figure::new(
                "serve_1k.cpu_per_check_spread",
                "CPU per check, checks spread (after the restart)",
                w.cpu_per_check_ms(),
                "ms",
            )
            .target(Goal::AtMost(0.3), "CPU per HTTP check, end to end")
            .note(w.cpu_note()),
        );
    }
    server.stop(Duration::from_secs(15));
    report.save();
}

/// What one measuring window of the running server saw.
struct Window {
    secs: f64,
    cpu_s: f64,
    beats: u64,
    rss: u64,
    anon: u64,
    file: u64,
    hwm: u64,
    by_thread: String,
}

impl Window {
    fn cpu_per_check_ms(&self) -> f64 {
        self.cpu_s * 1000.0 / self.beats.max(1) as f64
    }

    fn cpu_note(&self) -> String {
        format!(
            "{} heartbeats stored in {:.1} s ({:.1}/s, expected 50/s); process CPU {:.1}% of a core: {}",
            self.beats,
            self.secs,
            self.beats as f64 / self.secs,
            self.cpu_s / self.secs * 100.0,
            self.by_thread
        )
    }

    fn memory_note(&self) -> String {
        format!(
            "RssAnon {:.1} MiB, RssFile {:.1} MiB (pages of the binary); VmHWM {:.1} MiB",
            mib(self.anon),
            mib(self.file),
            mib(self.hwm)
        )
    }
}

/// CPU and heartbeats of the server over `window`, and its memory at the end.
fn measure_window(server: &Server, db: &Path, window: Duration) -> Window {
    let pid = server.pid();
    let threads0 = common::thread_cpu(Some(pid));
    let (cpu0, wall0, t0) = (common::cpu_seconds(Some(pid)).unwrap_or(0.0), now_ms(), Instant::now());
    std::thread::sleep(window);
    let (cpu1, wall1, secs) = (common::cpu_seconds(Some(pid)).unwrap_or(0.0), now_ms(), t0.elapsed().as_secs_f64());
    let by_thread = common::thread_breakdown(&threads0, &common::thread_cpu(Some(pid)), secs);
    let w = Window {
        secs,
        cpu_s: cpu1 - cpu0,
        beats: 0,
        rss: common::rss_bytes(Some(pid)).unwrap_or(0),
        anon: common::status_bytes(Some(pid), "RssAnon").unwrap_or(0),
        file: common::status_bytes(Some(pid), "RssFile").unwrap_or(0),
        hwm: common::status_bytes(Some(pid), "VmHWM").unwrap_or(0),
        by_thread,
    };
    // Let the window's last outcomes reach the database before counting them.
    std::thread::sleep(Duration::from_secs(2));
    let beats = db_count(db, "SELECT count(*) FROM heartbeats WHERE time >= ?1 AND time < ?2", wall0, wall1);
    Window { beats, ..w }
}

//! Start to serving, idle memory and binary size of the real release binary.
//!
//! How: `target/release/peekaping serve --data-dir <tmp> --port <free> --host 127.0.0.1`
//! with 0 monitors. Start to serving is the wall time from spawn until
//! `GET /api/v1/health` answers 200 (polled every millisecond on fresh connections):
//! first on an empty data dir (creates and migrates the database, generates the JWT
//! secrets), then restarts on the same data dir. After the last start the server idles
//! for 10 s and its VmRSS (and peak VmHWM) is read from `/proc/<pid>/status`.
//! The binary size is the file as built by the release profile (`strip = true`).
//! SPEC §8: start to serving ≤ 300 ms; stripped binary with UI ≤ 30 MB; idle RSS ≤ 20 MB.
//!
//! This benchmark uses only std: it does not link the library.

mod common;

use std::time::Duration;

use common::{Figure, Goal, Report, Server, TempDir, mib, percentile};

fn main() {
    common::start("startup");
    let quick = common::quick();
    let mut report = Report::new(
        "startup",
        "Start to serving, idle RSS, binary size",
        "The release binary started as `peekaping serve` on a temp data dir with 0 monitors; wall time from \
         spawn to the first 200 of GET /api/v1/health; VmRSS after 10 s idle; file size of target/release/peekaping.",
    );
    let bin = common::release_binary();
    let size = match std::fs::metadata(&bin) {
        Ok(m) => m.len(),
        Err(e) => {
            eprintln!("{}: {e}; run `cargo build --release` first", bin.display());
            std::process::exit(1);
        }
    };
    let has_ui = common::manifest_dir().join("web/dist/assets").is_dir();
    report.add(
        Figure::new("startup.binary_size", "release binary size (stripped)", mib(size), "MiB")
            .target(Goal::AtMost(30.0), "stripped binary with UI")
            .note(format!(
                "{size} bytes; web UI embedded: {}",
                if has_ui { "yes (web/dist has assets)" } else { "placeholder only (web/dist not built)" }
            )),
    );

    let dir = TempDir::new("startup");
    let data = dir.path().join("data");
    let restarts = if quick { 3 } else { 10 };
    let wait = Duration::from_secs(20);

    let first = match Server::start(&data, &[], wait) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot start the server: {e}");
            std::process::exit(1);
        }
    };
    let cold_ms = first.start_to_serve.as_secs_f64() * 1000.0;
    first.stop(Duration::from_secs(10));

    let mut warm_ms = Vec::new();
    let mut last = None;
    for i in 0..restarts {
        let s = Server::start(&data, &[], wait).unwrap_or_else(|e| {
            eprintln!("cannot restart the server: {e}");
            std::process::exit(1);
        });
        warm_ms.push(s.start_to_serve.as_secs_f64() * 1000.0);
        if i + 1 == restarts {
            last = Some(s);
        } else {
            s.stop(Duration::from_secs(10));
        }
    }
    report.add(
        Figure::new("startup.first_start", "start to serving, empty data dir (migrations)", cold_ms, "ms")
            .target(Goal::AtMost(300.0), "start to serving"),
    );
    report.add(
        Figure::new(
            "startup.restart_p50",
            "start to serving, existing data dir, median",
            percentile(&warm_ms, 0.5),
            "ms",
        )
        .target(Goal::AtMost(300.0), "start to serving")
        .note(format!("{restarts} restarts, max {:.1} ms", percentile(&warm_ms, 1.0))),
    );

    let server = last.expect("at least one restart ran");
    let pid = server.pid();
    let cpu0 = common::cpu_seconds(Some(pid)).unwrap_or(0.0);
    std::thread::sleep(Duration::from_secs(10));
    let cpu1 = common::cpu_seconds(Some(pid)).unwrap_or(0.0);
    let rss = common::rss_bytes(Some(pid)).unwrap_or(0);
    let hwm = common::status_bytes(Some(pid), "VmHWM").unwrap_or(0);
    report.add(
        Figure::new("startup.idle_rss", "idle RSS after 10 s, 0 monitors", mib(rss), "MiB")
            .target(Goal::AtMost(20.0), "idle RSS, `serve`, SQLite, 0 monitors")
            .note(format!(
                "of which RssAnon {:.1} MiB, RssFile {:.1} MiB (pages of the binary); VmHWM (peak) {:.1} MiB; {} threads",
                mib(common::status_bytes(Some(pid), "RssAnon").unwrap_or(0)),
                mib(common::status_bytes(Some(pid), "RssFile").unwrap_or(0)),
                mib(hwm),
                common::thread_count(Some(pid)).unwrap_or(0)
            )),
    );
    report.add(Figure::new(
        "startup.idle_cpu",
        "idle CPU over those 10 s",
        (cpu1 - cpu0) / 10.0 * 100.0,
        "% of a core",
    ));
    let stop = server.stop(Duration::from_secs(10));
    report.add(Figure::new("startup.stop", "graceful stop (SIGTERM to exit)", stop.as_secs_f64() * 1000.0, "ms"));
    report.save();
}

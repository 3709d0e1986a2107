//! Disk bytes per heartbeat in SQLite.
//!
//! How: a fresh database, 1,000 HTTP monitors, then 2,000,000 beats (2,000 per monitor,
//! 20 s apart: about 11 hours) written through `SqliteStore::ingest` in realistic order,
//! i.e. every monitor once per round, rows of all monitors interleaved, time increasing,
//! so the (monitor, time) B-tree grows the way a running server grows it (splits in the
//! middle, not a dense append). Messages are mostly `200 - OK` and stored only when they
//! change. Written with `synchronous=NORMAL` to save time; the layout on disk does not
//! depend on it. Then the store is closed (its writer checkpoints the WAL with TRUNCATE),
//! `PRAGMA wal_checkpoint(TRUNCATE)` runs once more, and the files are measured.
//! Per-table shares come from SQLite's `dbstat` virtual table (the bundled SQLite has it).
//!
//! Figures: the heartbeats table with its index per beat (SPEC §8: ≤ 48 bytes per raw
//! heartbeat), all files per beat for this 11-hour data set (minute rollups weigh a lot
//! here), and a projection of all data per beat in the steady state of the default
//! retention (raw beats 365 d, minute rollups 24 h, hour 30 d, day 365 d).

mod common;
#[path = "common/seed.rs"]
mod seed;

use std::collections::HashMap;
use std::time::Instant;

use common::{Figure, Goal, Report, TempDir};
use peekaping::store::sqlite::SyncMode;
use peekaping::store::{HeartbeatStore, Store};

const MONITORS: usize = 1_000;
const BATCH: usize = 2_000;

/// Pages, bytes and rows of one B-tree, from `dbstat`.
#[derive(Clone, Copy, Default, Debug)]
struct TreeStats {
    bytes: u64,
    payload: u64,
    unused: u64,
}

fn dbstat(conn: &rusqlite::Connection) -> rusqlite::Result<HashMap<String, TreeStats>> {
    let mut stmt = conn.prepare("SELECT name, sum(pgsize), sum(payload), sum(unused) FROM dbstat GROUP BY name")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            TreeStats {
                bytes: r.get::<_, i64>(1)? as u64,
                payload: r.get::<_, i64>(2)? as u64,
                unused: r.get::<_, i64>(3)? as u64,
            },
        ))
    })?;
    rows.collect()
}

fn count(conn: &rusqlite::Connection, table: &str) -> u64 {
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get::<_, i64>(0)).unwrap_or(0) as u64
}

fn main() {
    common::start("disk");
    let rounds = if common::quick() { 200 } else { 2_000 };
    let mut report = Report::new(
        "disk",
        "Disk per heartbeat (SQLite)",
        "1,000 monitors x N beats at 20 s, interleaved in time order, through SqliteStore::ingest in \
         batches of 2,000; store closed (WAL checkpointed, TRUNCATE); sizes from the files and from dbstat.",
    );
    let dir = TempDir::new("disk");
    let db = dir.path().join("peekaping.db");
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a tokio runtime");
    let (beats, ingest_s) = rt.block_on(async {
        let store = seed::open_store(&db, SyncMode::Normal);
        let monitors: Vec<_> = (0..MONITORS).map(|i| seed::http_monitor(i, "http://127.0.0.1:9/", true)).collect();
        seed::insert_monitors(&store, &monitors).await;
        let ids: Vec<String> = monitors.iter().map(|m| m.id.clone()).collect();
        let start_ms = peekaping::domain::now_millis() - (rounds as i64 + 10) * 20_000;
        let mut maker = seed::BeatMaker::new(7);
        let mut beats = 0usize;
        let started = Instant::now();
        // Built and written in slices so the whole data set never sits in memory.
        let slice = 100;
        let mut round = 0;
        while round < rounds {
            let n = slice.min(rounds - round);
            for b in seed::interleaved_batches(&ids, round, n, start_ms, BATCH, &mut maker) {
                beats += b.beats.len();
                store.ingest(&b).await.expect("batch ingests");
            }
            round += n;
        }
        let elapsed = started.elapsed().as_secs_f64();
        store.close().await;
        (beats, elapsed)
    });

    let conn = rusqlite::Connection::open(&db).expect("the database opens");
    let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
    let (db_bytes, wal_bytes, _shm) = common::sqlite_files_bytes(&db);
    let files = db_bytes + wal_bytes;
    let page_size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap_or(0);
    let freelist: i64 = conn.query_row("PRAGMA freelist_count", [], |r| r.get(0)).unwrap_or(0);
    let rows_hb = count(&conn, "heartbeats");
    let rows_min = count(&conn, "stat_minutely");
    let rows_hour = count(&conn, "stat_hourly");
    let rows_day = count(&conn, "stat_daily");
    let per_beat = |bytes: u64| bytes as f64 / beats as f64;

    report.add(Figure::new("disk.beats", "heartbeats written", beats as f64, "beats").note(format!(
        "{MONITORS} monitors x {rounds} beats; {rows_hb} rows stored; ingest {:.0} beats/s (synchronous=NORMAL)",
        beats as f64 / ingest_s
    )));
    match dbstat(&conn) {
        Ok(trees) => {
            let tree = |name: &str| trees.get(name).map_or(0, |t| t.bytes);
            let hb = trees.get("heartbeats").copied().unwrap_or_default();
            let hb_index = tree("heartbeats_important");
            let hb_bytes = hb.bytes + hb_index;
            report.add(
                Figure::new(
                    "disk.heartbeats_only",
                    "heartbeats table + its index, per beat",
                    per_beat(hb_bytes),
                    "bytes",
                )
                .target(Goal::AtMost(48.0), "disk per raw heartbeat (SQLite)")
                .note(format!(
                    "table {} B, index of important beats {} B; pages {:.0}% full",
                    hb.bytes,
                    hb_index,
                    100.0 * (1.0 - hb.unused as f64 / hb.bytes.max(1) as f64)
                )),
            );
            report.add(Figure::new(
                "disk.heartbeat_payload",
                "  record payload alone, per beat",
                per_beat(hb.payload),
                "bytes",
            ));
            let rollups = tree("stat_minutely") + tree("stat_hourly") + tree("stat_daily");
            report.add(
                Figure::new(
                    "disk.rollups_per_beat",
                    "rollups (minute+hour+day), per beat, this data set",
                    per_beat(rollups),
                    "bytes",
                )
                .note(format!("{rows_min} minute, {rows_hour} hour, {rows_day} day rows")),
            );
            // Steady state of the default retention at a 20 s interval, per monitor:
            // 365 d of raw beats; 1,440 minute, 720 hour and 365 day rollup rows.
            let row = |name: &str, rows: u64| tree(name) as f64 / rows.max(1) as f64;
            let beats_kept = 365.0 * 86_400.0 / 20.0;
            let rollup_kept = 1_440.0 * row("stat_minutely", rows_min)
                + 720.0 * row("stat_hourly", rows_hour)
                + 365.0 * row("stat_daily", rows_day);
            let projected = per_beat(hb_bytes) + rollup_kept / beats_kept;
            report.add(
                Figure::new(
                    "disk.all_data_steady_state",
                    "all data per beat, steady state (projection)",
                    projected,
                    "bytes",
                )
                .note("heartbeats per beat as measured + rollup rows kept by the default retention / 1,576,800 beats per monitor-year"),
            );
        }
        Err(e) => report.note(format!("dbstat is not available ({e}): per-table shares not measured")),
    }
    report.add(
        Figure::new("disk.all_data", "all files (db + wal) per beat, this data set", per_beat(files), "bytes").note(
            format!(
                "db {db_bytes} B + wal {wal_bytes} B; page size {page_size}, {freelist} free pages; includes monitors and schema"
            ),
        ),
    );
    report.note(format!(
        "This data set spans {:.1} hours, so each minute rollup row is shared by only 3 beats; with the \
         default retention the raw beats dominate (see the steady-state projection).",
        rounds as f64 * 20.0 / 3600.0
    ));
    report.save();
}

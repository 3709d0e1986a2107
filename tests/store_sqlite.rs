//! The Store conformance suite against the SQLite adapter (a fresh file per case).

mod conformance;

use std::sync::Arc;

use peekaping::store::sqlite::{SqliteOptions, SqliteStore};
use peekaping::store::{MonitorStore, Store};

async fn sqlite_store() -> (Arc<dyn Store>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("test.db");
    SqliteStore::migrate_up(&path, None).expect("migrate");
    let store = SqliteStore::open(&SqliteOptions::new(&path)).expect("open");
    (Arc::new(store), dir)
}

store_conformance!(sqlite_store());
tags_maintenance_conformance!(sqlite_store());
status_page_conformance!(sqlite_store());
api_key_conformance!(sqlite_store());
managed_conformance!(sqlite_store());
backup_conformance!(sqlite_store());

#[tokio::test]
async fn opening_an_unmigrated_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let err = SqliteStore::open(&SqliteOptions::new(dir.path().join("fresh.db"))).err().expect("must fail");
    assert!(err.to_string().contains("migrate up"), "{err}");
}

#[tokio::test]
async fn data_survives_reopening() {
    let (store, dir) = sqlite_store().await;
    store.insert_monitor(&conformance::store::monitor("m", "m")).await.unwrap();
    store.close().await;
    let reopened = SqliteStore::open(&SqliteOptions::new(dir.path().join("test.db"))).unwrap();
    assert!(reopened.monitor("m").await.unwrap().is_some());
}

#[tokio::test]
async fn a_heartbeat_row_is_compact() {
    use conformance::store::{T0, beat, monitor};
    use peekaping::domain::MonitorStatus;
    use peekaping::store::IngestBatch;
    let (store, dir) = sqlite_store().await;
    for i in 0..100 {
        store.insert_monitor(&monitor(&format!("m{i}"), &format!("m{i}"))).await.unwrap();
    }
    let mut beats = Vec::new();
    for t in 0..200i64 {
        for i in 0..100 {
            beats.push(beat(&format!("m{i}"), T0 + t * 20_000, MonitorStatus::Up, Some(1234 + t as u64), "200 - OK"));
        }
    }
    for chunk in beats.chunks(2000) {
        store.ingest(&IngestBatch { beats: chunk.to_vec(), tls: vec![] }).await.unwrap();
    }
    store.close().await;
    let conn = rusqlite::Connection::open(dir.path().join("test.db")).unwrap();
    let bytes: i64 = conn
        .query_row("SELECT sum(pgsize) FROM dbstat WHERE name = 'heartbeats'", [], |r| r.get(0))
        .expect("the bundled SQLite has the dbstat table");
    let per_beat = bytes as f64 / beats.len() as f64;
    assert!(per_beat <= 48.0, "a raw heartbeat takes {per_beat:.1} bytes on disk (target ≤ 48)");
}

//! Upgrades keep data: `serve` snapshots the database before it applies a pending
//! migration, and refuses a database written by a newer release instead of touching it.

mod support;

use std::process::Command;
use std::sync::Arc;

use peekaping::store::migrations::SQLITE;
use serde_json::json;
use support::{Server, http_monitor};

fn peekaping() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_peekaping"));
    c.env_remove("PEEKAPING_CONFIG");
    c
}

#[tokio::test]
async fn serve_snapshots_the_database_before_a_pending_migration_and_keeps_the_data() {
    let latest = SQLITE.last().unwrap().version;
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let mut s = Server::start_in(dir.clone(), &[]).await;
    s.register().await;
    let id = s.create_monitor(http_monitor("kept", "http://127.0.0.1:9/", 20)).await;
    s.stop();
    assert!(!dir.path().join("backups").exists(), "a fresh database needs no snapshot");

    // Play an older release: take the newest migration back, then start the current binary.
    let out = peekaping().args(["migrate", "down"]).arg("--data-dir").arg(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut s = Server::start_in(dir.clone(), &[]).await;
    let (status, body) =
        s.send("POST", "/auth/login", json!({"email": support::EMAIL, "password": support::PASSWORD})).await;
    assert_eq!(status, 200, "{body}");
    s.token = Some(body["data"]["accessToken"].as_str().unwrap().to_string());
    assert_eq!(s.monitor(&id).await["name"], "kept", "the monitor survived the upgrade");
    s.stop();

    let snap = dir.path().join(format!("backups/pre-migrate-{:04}-{latest:04}.db", latest - 1));
    assert!(snap.exists(), "no snapshot at {}; log:\n{}", snap.display(), s.log());
    let c = rusqlite::Connection::open(&snap).unwrap();
    let version: u32 = c.query_row("SELECT max(version) FROM schema_migrations", [], |r| r.get(0)).unwrap();
    assert_eq!(version, latest - 1, "the snapshot is the database as it was before migrating");
    let name: String = c.query_row("SELECT name FROM monitors", [], |r| r.get(0)).unwrap();
    assert_eq!(name, "kept");
}

#[test]
fn serve_refuses_a_database_from_a_newer_release_and_status_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = peekaping().args(["migrate", "up"]).arg("--data-dir").arg(dir.path()).output().unwrap();
    assert!(out.status.success());
    let db = dir.path().join("peekaping.db");
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute("INSERT INTO schema_migrations VALUES (9999, 'from_the_future', 'x', 0)", [])
        .unwrap();
    let before = std::fs::read(&db).unwrap();

    let out = peekaping()
        .args(["serve", "--host", "127.0.0.1", "--port", &support::free_port().to_string()])
        .arg("--data-dir")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("schema version 9999") && err.contains("newer"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before, "the database is left as it was");
    assert!(!dir.path().join("backups").exists());

    let out = peekaping().args(["migrate", "status"]).arg("--data-dir").arg(dir.path()).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("schema version 9999") && text.contains("newer than this binary"), "{text}");
}

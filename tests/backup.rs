//! Backup export/import and database snapshots against the real binary: a round trip of
//! one of every object kind through a fresh instance, history, refusal of a non-empty
//! target and `replace`, field-naming errors, auth, the CLI, and snapshot files.

mod support;

use std::process::Command;
use std::time::Duration;

use serde_json::{Value, json};
use support::{HttpTarget, Server, http_monitor};

const WAIT: Duration = Duration::from_secs(30);

async fn started() -> Server {
    let mut s = Server::start(&[]).await;
    s.register().await;
    s
}

async fn create(s: &Server, path: &str, body: Value) -> String {
    let (status, b) = s.send("POST", path, body).await;
    assert!(status == 200 || status == 201, "{path}: {status} {b}");
    b["data"]["id"].as_str().unwrap().to_string()
}

async fn export(s: &Server, history: bool) -> Value {
    let r = s
        .http
        .get(s.url(&format!("/backup/export?history={history}")))
        .bearer_auth(s.token.as_ref().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let cd = r.headers().get("content-disposition").unwrap().to_str().unwrap().to_string();
    assert!(cd.starts_with("attachment; filename=\"peekaping-backup-"), "{cd}");
    r.json().await.unwrap()
}

async fn import(s: &Server, backup: &Value, replace: bool) -> (u16, Value) {
    s.send("POST", &format!("/backup/import?replace={replace}"), backup.clone()).await
}

/// An export with what legitimately differs between instances blanked: the time of the
/// export and the monitors' current status (the new instance checks them at once).
fn comparable(mut b: Value) -> Value {
    b["exported_at"] = Value::Null;
    for m in b["monitors"].as_array_mut().unwrap() {
        m["status"] = Value::Null;
    }
    b
}

/// One of every object kind, linked to each other.
async fn populate(s: &Server, target: &HttpTarget) -> Value {
    let proxy = create(
        s,
        "/proxies",
        json!({"protocol": "http", "host": "127.0.0.1", "port": 3128, "auth": true, "username": "u", "password": "proxy-secret"}),
    )
    .await;
    let prod = create(s, "/tags", json!({"name": "Production", "color": "#ef4444", "description": "live"})).await;
    let team = create(s, "/tags", json!({"name": "team"})).await;
    let channel = create(
        s,
        "/notification-channels",
        json!({"name": "hook", "type": "webhook",
               "config": json!({"webhook_url": "http://127.0.0.1:9/hook", "webhook_custom_headers": "{\"X-Token\":\"hook-secret\"}"}).to_string()}),
    )
    .await;
    let group = create(s, "/monitors", json!({"type": "group", "name": "Group", "interval": 60, "config": "{}"})).await;
    let mut web = http_monitor("web", &target.url(), 1);
    web["tags"] = json!([{"tag_id": prod, "value": "eu"}, {"tag_id": team, "value": ""}]);
    web["notification_ids"] = json!([channel]);
    web["parent_id"] = json!(group);
    let web = create(s, "/monitors", web).await;
    let mut proxied = http_monitor("via proxy", "http://127.0.0.1:9/", 60);
    proxied["proxy_id"] = json!(proxy);
    proxied["active"] = json!(false);
    proxied["depends_on"] = json!(web);
    create(s, "/monitors", proxied).await;
    let push = create(
        s,
        "/monitors",
        json!({"type": "push", "name": "cron job", "interval": 60, "push_token": "pushtoken123", "config": "{}", "tag_ids": [team]}),
    )
    .await;
    create(
        s,
        "/monitors",
        json!({"type": "tcp", "name": "tcp", "interval": 60, "active": false,
        "config": json!({"host": "127.0.0.1", "port": target.addr.port()}).to_string()}),
    )
    .await;
    create(
        s,
        "/maintenances",
        json!({"title": "Patching", "strategy": "recurring-weekday", "weekdays": [0, 6], "start_time": "02:00",
               "end_time": "03:00", "timezone": "Europe/Berlin", "monitor_ids": [web, push]}),
    )
    .await;
    let page = create(
        s,
        "/status-pages",
        json!({"slug": "acme", "title": "Acme", "password": "page-secret", "domains": ["status.acme.test"],
               "monitor_ids": [web], "sections": [{"name": "Jobs", "monitor_ids": [push], "tag_id": team}]}),
    )
    .await;
    let incident =
        create(s, &format!("/status-pages/{page}/incidents"), json!({"title": "Outage", "message": "down"})).await;
    let (st, b) = s
        .send("POST", &format!("/incidents/{incident}/updates"), json!({"status": "identified", "message": "found it"}))
        .await;
    assert!(st < 300, "{b}");
    let (st, b) = s.send("PUT", "/settings/key/KEEP_DATA_PERIOD_DAYS", json!({"value": "90", "type": "int"})).await;
    assert_eq!(st, 200, "{b}");
    let (st, b) = s.send("PUT", "/settings/key/backup_keep", json!({"value": "3", "type": "int"})).await;
    assert_eq!(st, 200, "{b}");
    let (st, b) = s.send("POST", "/api-keys", json!({"name": "ci"})).await;
    assert!(st < 300, "{b}");
    json!({"web": web, "push": push, "channel": channel, "proxy": proxy, "page": page})
}

#[tokio::test]
async fn round_trip_into_a_fresh_instance_is_identical() {
    let target = HttpTarget::start().await;
    let a = started().await;
    let ids = populate(&a, &target).await;
    a.wait_beats(ids["web"].as_str().unwrap(), 2, WAIT).await;

    let first = export(&a, false).await;
    assert_eq!(first["format"], "peekaping-backup");
    assert_eq!(first["version"], 1);
    assert!(first.get("history").is_none());
    // Secrets travel in the file; the session secrets do not.
    let text = first.to_string();
    for secret in ["proxy-secret", "hook-secret", "pushtoken123"] {
        assert!(text.contains(secret), "{secret} missing");
    }
    for private in ["ACCESS_TOKEN_SECRET_KEY", "REFRESH_TOKEN_SECRET_KEY", "STATUS_PAGE_COOKIE_SECRET"] {
        assert!(!text.contains(private), "{private} exported");
    }
    assert!(first["status_pages"][0]["password_hash"].as_str().unwrap().starts_with("$argon2"));
    assert_eq!(first["incidents"][0]["updates"].as_array().unwrap().len(), 1);
    assert_eq!(first["api_keys"].as_array().unwrap().len(), 1);
    assert_eq!(first["monitors"].as_array().unwrap().len(), 5);

    let b = started().await;
    let (st, body) = import(&b, &first, false).await;
    assert_eq!(st, 200, "{body}");
    assert_eq!(body["data"]["monitors"], 5);
    let second = export(&b, false).await;
    assert_eq!(comparable(first.clone()), comparable(second));

    // The running instance schedules the imported active monitor at once (the import had
    // no history, so every beat of B is a check B ran).
    b.wait_beats(ids["web"].as_str().unwrap(), 2, WAIT).await;
    // The imported push token and status page work.
    let (st, _) = b.get("/push/pushtoken123?status=up&msg=ok").await;
    assert_eq!(st, 200);
    let (st, page) = b.get(&format!("/status-pages/{}", ids["page"].as_str().unwrap())).await;
    assert_eq!(st, 200, "{page}");
}

#[tokio::test]
async fn history_is_carried_and_a_non_empty_instance_needs_replace() {
    let target = HttpTarget::start().await;
    let a = started().await;
    let ids = populate(&a, &target).await;
    let web = ids["web"].as_str().unwrap();
    a.wait_beats(web, 3, WAIT).await;
    let full = export(&a, true).await;
    let beats = full["history"]["heartbeats"].as_array().unwrap();
    assert!(beats.iter().filter(|h| h["monitor_id"] == web).count() >= 3);
    assert!(!full["history"]["rollups"].as_array().unwrap().is_empty());

    let b = started().await;
    create(&b, "/tags", json!({"name": "already here"})).await;
    let (st, body) = import(&b, &full, false).await;
    assert_eq!(st, 409, "{body}");
    let (_, tags) = b.get("/tags").await;
    assert_eq!(tags["data"][0]["name"], "already here", "a refused import writes nothing");

    let (st, body) = import(&b, &full, true).await;
    assert_eq!(st, 200, "{body}");
    assert!(body["data"]["heartbeats"].as_u64().unwrap() >= 3);
    let (_, tags) = b.get("/tags").await;
    assert!(tags["data"].as_array().unwrap().iter().all(|t| t["name"] != "already here"), "replace wiped first");
    let imported = b.heartbeats(web, 1000).await;
    assert!(imported.len() >= 3, "{imported:?}");
}

#[tokio::test]
async fn bad_input_names_the_field_and_auth_is_required() {
    let s = started().await;
    let base = json!({"format": "peekaping-backup", "version": 1, "exported_at": "2025-01-01T00:00:00Z"});

    let mut wrong = base.clone();
    wrong["format"] = json!("kuma");
    let (st, b) = import(&s, &wrong, false).await;
    assert_eq!(st, 400, "{b}");
    assert_eq!(b["error"]["field"], "format");

    let mut future = base.clone();
    future["version"] = json!(99);
    let (st, b) = import(&s, &future, false).await;
    assert_eq!((st, b["error"]["field"].as_str()), (400, Some("version")), "{b}");

    let mut typed = base.clone();
    typed["monitors"] = json!([{"id": "m1", "kind": "http", "name": "x", "interval": "often"}]);
    let (st, b) = import(&s, &typed, false).await;
    assert_eq!((st, b["error"]["field"].as_str()), (400, Some("monitors[0].interval")), "{b}");

    let export = export(&s, false).await;
    let mut dangling = export.clone();
    dangling["tags"] = json!([]);
    dangling["monitors"] = json!([{"id": "m1", "kind": "http", "name": "x", "interval": 60, "timeout": 5, "max_retries": 0,
        "retry_interval": 60, "resend_interval": 0, "active": true, "status": 2,
        "config": "{\"url\":\"http://127.0.0.1:9/\"}", "proxy_id": null, "push_token": null, "parent_id": null,
        "notification_ids": [], "tag_ids": ["nope"], "created_at": 1, "updated_at": 1}]);
    let (st, b) = import(&s, &dangling, false).await;
    assert_eq!((st, b["error"]["field"].as_str()), (400, Some("monitors[0].tag_ids[0]")), "{b}");
    let (_, list) = s.get("/monitors").await;
    assert_eq!(list["data"].as_array().unwrap().len(), 0, "nothing written");

    let (st, b) = s.send("POST", "/backup/import", json!([1, 2])).await;
    assert_eq!(st, 400, "{b}");

    let (st, b) = s.send("PUT", "/settings/key/backup_interval_hours", json!({"value": "-1", "type": "int"})).await;
    assert_eq!((st, b["error"]["field"].as_str()), (400, Some("value")), "{b}");

    for (m, p) in [("GET", "/backup/export"), ("POST", "/backup/import")] {
        let r = s.http.request(m.parse().unwrap(), s.url(p)).json(&base).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 401, "{m} {p}");
    }
}

fn cli(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_peekaping"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("PEEKAPING_CONFIG")
        .output()
        .unwrap()
}

#[tokio::test]
async fn cli_export_import_and_snapshots() {
    let target = HttpTarget::start().await;
    let a = started().await;
    populate(&a, &target).await;
    let (st, b) = a.send("PUT", "/settings/key/backup_keep", json!({"value": "2", "type": "int"})).await;
    assert_eq!(st, 200, "{b}");

    // Snapshots of the running instance: valid databases, the oldest beyond keep deleted.
    let mut taken = Vec::new();
    for _ in 0..3 {
        let out = cli(a.data_dir(), &["admin", "snapshot"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        taken.push(String::from_utf8(out.stdout).unwrap().trim().to_string());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let dir = a.data_dir().join("backups");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(!std::path::Path::new(&taken[0]).exists(), "the oldest was pruned");
    for f in &files {
        let c = rusqlite::Connection::open(f).unwrap();
        let ok: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(ok, "ok");
        let n: i64 = c.query_row("SELECT count(*) FROM monitors", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 5);
    }

    // CLI export = API export; CLI import into a new data dir, refused a second time.
    let out = cli(a.data_dir(), &["admin", "export"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let from_cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(comparable(from_cli.clone()), comparable(export(&a, false).await));
    let file = a.data_dir().join("backup.json");
    std::fs::write(&file, &out.stdout).unwrap();
    let fresh = tempfile::tempdir().unwrap();
    let out = cli(fresh.path(), &["admin", "import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = cli(fresh.path(), &["admin", "import", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("replace"), "{}", String::from_utf8_lossy(&out.stderr));
    let out = cli(fresh.path(), &["admin", "import", "--replace", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        std::fs::read_dir(fresh.path().join("backups")).unwrap().count(),
        1,
        "a snapshot is taken before replacing"
    );
    let out = cli(fresh.path(), &["admin", "export"]);
    let again: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(comparable(again), comparable(from_cli));
}

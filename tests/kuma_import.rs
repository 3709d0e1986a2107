//! Import from Uptime Kuma: kuma.db files of the 1.23 and 2.x schemas built here from the
//! DDL in tests/fixtures/kuma/, a 1.x JSON backup, the CLI and the API.

mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use peekaping::domain::{Monitor, MonitorConfig, MonitorStatus};
use peekaping::import::kuma::{self, ImportOptions, ImportReport};
use peekaping::store::sqlite::{SqliteOptions, SqliteStore};
use peekaping::store::{
    ChannelFilter, HeartbeatQuery, MaintenanceFilter, MonitorFilter, StatusPageFilter, Store, TagFilter,
};
use serde_json::{Value, json};
use support::Server;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/kuma");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(FIXTURES).join(name)).unwrap()
}

/// A kuma.db of the given schema ("1.23" or "2.0") with the fixture data.
fn kuma_db(dir: &Path, version: &str) -> PathBuf {
    let path = dir.join(format!("kuma-{version}.db"));
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(&fixture("schema-1.23.sql")).unwrap();
    if version == "2.0" {
        conn.execute_batch(&fixture("schema-2.0-extra.sql")).unwrap();
    }
    conn.execute_batch(&fixture("data-common.sql")).unwrap();
    if version == "2.0" {
        conn.execute_batch(&fixture("data-2.0.sql")).unwrap();
    }
    path
}

fn store(dir: &Path) -> Arc<dyn Store> {
    let path = dir.join("peekaping.db");
    SqliteStore::migrate_up(&path, None).unwrap();
    Arc::new(SqliteStore::open(&SqliteOptions::new(&path)).unwrap())
}

fn opts(dry_run: bool, with_history: bool) -> ImportOptions {
    ImportOptions { dry_run, with_history, limits: Default::default() }
}

async fn import_file(store: &Arc<dyn Store>, file: &Path, o: ImportOptions) -> ImportReport {
    let data = kuma::read_path(file, o.with_history).unwrap();
    kuma::import(store.as_ref(), None, &data, &o).await.unwrap()
}

async fn monitors_by_name(store: &Arc<dyn Store>) -> HashMap<String, Monitor> {
    let page = store.list_monitors(&MonitorFilter { limit: 1000, ..Default::default() }).await.unwrap();
    page.items.into_iter().map(|m| (m.name.clone(), m)).collect()
}

fn config(m: &Monitor) -> Value {
    serde_json::from_str(&m.config).unwrap()
}

fn skipped<'a>(r: &'a ImportReport, kind: &str, name: &str) -> &'a str {
    &r.skipped
        .iter()
        .find(|e| e.kind == kind && e.name == name)
        .unwrap_or_else(|| panic!("{kind} {name} not in the skipped list: {:#?}", r.skipped))
        .reason
}

#[tokio::test]
async fn kuma_1_23_database_imports_every_mappable_object() {
    let dir = tempfile::tempdir().unwrap();
    let db = kuma_db(dir.path(), "1.23");
    let store = store(dir.path());
    let r = import_file(&store, &db, opts(false, false)).await;
    assert_eq!(r.source, "kuma.db (1.23 schema)");
    assert!(!r.dry_run);

    // Monitors: 19 in Kuma, real-browser and gamedig have no counterpart.
    assert_eq!(r.imported.monitors, 17, "{r:#?}");
    assert!(skipped(&r, "monitor", "Browser check").contains("real-browser"));
    assert!(skipped(&r, "monitor", "Minecraft").contains("game server"));
    let m = monitors_by_name(&store).await;
    assert_eq!(m.len(), 17);
    let kinds: HashMap<&str, &str> = m.iter().map(|(n, m)| (n.as_str(), m.kind.as_str())).collect();
    for (name, kind) in [
        ("Web group", "group"),
        ("Homepage", "http"),
        ("Keyword page", "http-keyword"),
        ("JSON API", "http-json-query"),
        ("SSH port", "tcp"),
        ("Gateway ping", "ping"),
        ("DNS record", "dns"),
        ("Backup job", "push"),
        ("Container", "docker"),
        ("Main DB", "postgres"),
        ("Orders DB", "mysql"),
        ("Cache", "redis"),
        ("Sensors", "mqtt"),
        ("Events", "kafka-producer"),
        ("Greeter", "grpc-keyword"),
        ("Users DB", "mongodb"),
        ("Reports DB", "sqlserver"),
    ] {
        assert_eq!(kinds.get(name).copied(), Some(kind), "{name}");
        // Every stored config parses as the type's configuration.
        assert!(MonitorConfig::parse(kind, &m[name].config).is_ok(), "{name}: {}", m[name].config);
    }

    // The HTTP monitor keeps its settings, group, proxy, notifications and tag values.
    let home = &m["Homepage"];
    assert_eq!(
        (home.interval, home.retry_interval, home.timeout, home.max_retries, home.resend_interval),
        (30, 20, 24, 3, 5)
    );
    assert_eq!(home.status, MonitorStatus::Pending);
    assert_eq!(home.parent_id.as_deref(), Some(m["Web group"].id.as_str()));
    let c = config(home);
    assert_eq!(c["url"], "http://127.0.0.1:9/");
    assert_eq!(c["method"], "POST");
    assert_eq!(c["accepted_statuscodes"], json!(["2XX", "301"]));
    assert_eq!(c["ignore_tls_errors"], true);
    assert_eq!(c["authMethod"], "basic");
    assert_eq!(c["basic_auth_user"], "bob");
    assert_eq!(c["body"], "{\"a\":1}");
    let proxy = store.proxy(home.proxy_id.as_deref().expect("proxy linked")).await.unwrap().unwrap();
    assert_eq!((proxy.protocol.as_str(), proxy.host.as_str(), proxy.port), ("socks5", "127.0.0.1", 1080));
    assert!(proxy.auth);
    assert_eq!(proxy.username, "pu");
    let channels = store.list_channels(&ChannelFilter { limit: 100, ..Default::default() }).await.unwrap().items;
    let by_id: HashMap<&str, &str> = channels.iter().map(|c| (c.id.as_str(), c.name.as_str())).collect();
    let mut linked: Vec<&str> = home.notification_ids.iter().map(|id| by_id[id.as_str()]).collect();
    linked.sort();
    assert_eq!(linked, ["Ops webhook", "Team Slack"]);
    let tags = store.list_tags(&TagFilter { limit: 100, ..Default::default() }).await.unwrap().items;
    let tag_names: HashMap<&str, &str> = tags.iter().map(|t| (t.id.as_str(), t.name.as_str())).collect();
    let mut values: Vec<(String, String)> =
        home.tags.iter().map(|t| (tag_names[t.tag_id.as_str()].to_string(), t.value.clone())).collect();
    values.sort();
    assert_eq!(values, [("env".to_string(), "prod".to_string()), ("team".to_string(), "web".to_string())]);
    let env = tags.iter().find(|t| t.name == "env").unwrap();
    assert_eq!(env.color, "#059669");
    // A colour Kuma accepted but we do not: the tag comes with the default, and a warning.
    assert!(r.warnings.iter().any(|w| w.kind == "tag" && w.name == "odd"), "{:#?}", r.warnings);
    assert_eq!(r.imported.tags, 3);

    // Upside-down mode does not exist here: imported, with a warning.
    assert!(r.warnings.iter().any(|w| w.name == "Keyword page" && w.reason.contains("upside-down")));
    assert_eq!(config(&m["Keyword page"])["keyword"], "Welcome");
    assert_eq!(config(&m["JSON API"])["json_query"], "$.status");
    assert_eq!(config(&m["JSON API"])["expected_value"], "ok");
    assert_eq!(config(&m["SSH port"]), json!({"host": "127.0.0.1", "port": 22}));
    assert!(!m["SSH port"].active);
    assert_eq!(config(&m["DNS record"])["resolve_type"], "MX");
    assert_eq!(config(&m["DNS record"])["resolver_server"], "127.0.0.1");
    assert_eq!(m["Backup job"].push_token.as_deref(), Some("PushTok3nFromKuma"));
    let docker = config(&m["Container"]);
    assert_eq!(
        (docker["connection_type"].as_str(), docker["docker_daemon"].as_str()),
        (Some("tcp"), Some("http://127.0.0.1:2375"))
    );
    assert_eq!(config(&m["Main DB"])["database_connection_string"], "postgres://u:p@127.0.0.1:5432/app");
    assert_eq!(config(&m["Orders DB"])["query"], "SELECT 1");
    assert_eq!(config(&m["Events"])["brokers"], json!(["127.0.0.1:9092"]));
    assert_eq!(config(&m["Greeter"])["grpcServiceName"], "grpc.health.v1.Health");

    // Notifications: the supported providers with our keys; Bark is reported.
    assert_eq!(r.imported.notifications, 6);
    assert!(skipped(&r, "notification", "Bark").contains("bark"));
    let ch: HashMap<&str, _> = channels.iter().map(|c| (c.name.as_str(), c)).collect();
    assert_eq!(ch["Ops webhook"].kind, "webhook");
    assert_eq!(
        serde_json::from_str::<Value>(&ch["Ops webhook"].config).unwrap()["webhook_additional_headers"],
        json!({"X-A": "1"})
    );
    assert_eq!(ch["Team Slack"].kind, "slack");
    assert!(ch["Team Slack"].is_default);
    assert_eq!(serde_json::from_str::<Value>(&ch["Team Slack"].config).unwrap()["slack_channel"], "#ops");
    assert_eq!(serde_json::from_str::<Value>(&ch["Telegram"].config).unwrap()["chat_id"], "-100");
    assert_eq!(serde_json::from_str::<Value>(&ch["Mail"].config).unwrap()["smtp_host"], "127.0.0.1");
    let ntfy = serde_json::from_str::<Value>(&ch["Phone"].config).unwrap();
    assert_eq!((ntfy["authentication_type"].as_str(), ntfy["token"].as_str()), (Some("token"), Some("tk_1")));
    assert!(!ch["Phone"].active);
    assert_eq!(serde_json::from_str::<Value>(&ch["Discord"].config).unwrap()["message_type"], "send_to_thread");
    // The keyword monitor was linked to Bark only: it arrives without notifications.
    assert!(m["Keyword page"].notification_ids.is_empty());

    // Proxies: socks5 in, the unknown protocol reported.
    assert_eq!(r.imported.proxies, 1);
    assert!(skipped(&r, "proxy", "gopher://127.0.0.1:70").contains("protocol"));

    // The status page with its groups as sections, in Kuma's order.
    assert_eq!(r.imported.status_pages, 1);
    let pages = store.list_status_pages(&StatusPageFilter { limit: 10, ..Default::default() }).await.unwrap().items;
    let page = &pages[0];
    assert_eq!((page.slug.as_str(), page.title.as_str(), page.theme.as_str()), ("public", "Public status", "dark"));
    assert_eq!(page.footer_text, "Operated by us");
    assert!(page.show_tags);
    assert_eq!(page.domains, ["status.example.com"]);
    let sections: Vec<(&str, Vec<&str>)> = page
        .sections
        .iter()
        .map(|s| {
            (
                s.name.as_str(),
                s.monitor_ids.iter().map(|id| m.values().find(|x| &x.id == id).unwrap().name.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(sections, [("Websites", vec!["Homepage", "Keyword page"]), ("Databases", vec!["Main DB", "Orders DB"])]);
    // Its pinned incident is open here too.
    assert_eq!(r.imported.incidents, 1);
    let incidents = store.incidents(&page.id, 10).await.unwrap();
    assert_eq!(incidents.len(), 1);
    assert_eq!((incidents[0].title.as_str(), incidents[0].style.as_str()), ("Slow checkout", "warning"));
    assert_eq!(incidents[0].message, "We are looking into it");
    assert!(incidents[0].resolved_at.is_none());

    // The maintenance with its strategy, window and monitors; the unknown strategy reported.
    assert_eq!(r.imported.maintenances, 1);
    let mts = store.list_maintenances(&MaintenanceFilter { limit: 10, ..Default::default() }).await.unwrap().items;
    let mt = &mts[0];
    assert_eq!(mt.title, "Nightly backup");
    assert_eq!(mt.strategy.as_str(), "recurring-weekday");
    assert_eq!(mt.weekdays, [1, 3, 5]);
    assert_eq!(mt.timezone, "Europe/Berlin");
    assert_eq!(mt.start_time.map(|t| t.to_string()).as_deref(), Some("02:00:00"));
    let mut mids = mt.monitor_ids.clone();
    mids.sort();
    let mut want = vec![m["Main DB"].id.clone(), m["Orders DB"].id.clone()];
    want.sort();
    assert_eq!(mids, want);
    assert!(skipped(&r, "maintenance", "Strange").contains("strategy"));

    // No history without --with-history.
    assert_eq!(r.imported.heartbeats, 0);
    let beats =
        store.heartbeats(&home.id, &HeartbeatQuery { limit: 10, page: 0, important_only: false, oldest_first: true });
    assert!(beats.await.unwrap().is_empty());
    // The report's text names every skipped object.
    let text = r.to_text();
    for name in ["Browser check", "Minecraft", "Bark", "gopher://127.0.0.1:70", "Strange"] {
        assert!(text.contains(name), "{text}");
    }
}

#[tokio::test]
async fn kuma_2_database_imports_its_new_types_and_history() {
    let dir = tempfile::tempdir().unwrap();
    let db = kuma_db(dir.path(), "2.0");
    let store = store(dir.path());
    let r = import_file(&store, &db, opts(false, true)).await;
    assert_eq!(r.source, "kuma.db (2.x schema)");
    // 25 monitors: real-browser, gamedig and tailscale-ping are reported.
    assert_eq!(r.imported.monitors, 22, "{:#?}", r.skipped);
    assert!(skipped(&r, "monitor", "Tailnet box").contains("tailscale-ping"));
    let m = monitors_by_name(&store).await;
    let smtp = config(&m["Mail relay"]);
    assert_eq!(
        (m["Mail relay"].kind.as_str(), smtp["security"].as_str(), smtp["port"].as_u64()),
        ("smtp", Some("starttls"), Some(587))
    );
    assert_eq!(m["Broker"].kind, "rabbitmq");
    assert_eq!(config(&m["Broker"])["nodes"], json!(["http://127.0.0.1:15672"]));
    assert_eq!(m["Live feed"].kind, "websocket");
    assert_eq!(config(&m["Live feed"])["subprotocol"], "chat");
    let snmp = config(&m["Switch uptime"]);
    assert_eq!(m["Switch uptime"].kind, "snmp");
    assert_eq!(
        (snmp["snmp_version"].as_str(), snmp["community"].as_str(), snmp["json_path_operator"].as_str()),
        (Some("v1"), Some("private"), Some("gt"))
    );
    assert_eq!(config(&m["Core router"])["count"], 3);

    // History: the beats of imported monitors, with status, ping and message; the
    // real-browser monitor's beat has nowhere to go.
    assert_eq!(r.imported.heartbeats, 6, "{r:#?}");
    let q = HeartbeatQuery { limit: 10, page: 0, important_only: false, oldest_first: true };
    let beats = store.heartbeats(&m["Homepage"].id, &q).await.unwrap();
    assert_eq!(beats.len(), 3);
    assert_eq!(beats[0].status, MonitorStatus::Up);
    assert_eq!(beats[0].ping_us, Some(12_000));
    assert_eq!(beats[1].status, MonitorStatus::Down);
    assert_eq!(beats[1].msg, "timeout");
    assert_eq!(beats[0].time, 1_748_772_000_000);
    let relay = store.heartbeats(&m["Mail relay"].id, &q).await.unwrap();
    assert_eq!(
        relay.iter().map(|b| (b.status, b.retries)).collect::<Vec<_>>(),
        [(MonitorStatus::Up, 0), (MonitorStatus::Pending, 1)]
    );
    // The monitor's status follows its last imported beat.
    assert_eq!(store.monitor(&m["Homepage"].id).await.unwrap().unwrap().status, MonitorStatus::Up);
}

#[tokio::test]
async fn a_dry_run_reports_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = kuma_db(dir.path(), "2.0");
    let store = store(dir.path());
    let r = import_file(&store, &db, opts(true, true)).await;
    assert!(r.dry_run);
    assert_eq!(r.imported.monitors, 22);
    assert_eq!(r.imported.notifications, 6);
    assert_eq!(r.imported.status_pages, 1);
    assert_eq!(r.imported.heartbeats, 6);
    assert!(r.monitor_ids.is_empty());
    assert!(r.to_text().starts_with("Would import (dry run)"));
    assert_eq!(store.list_monitors(&MonitorFilter { limit: 100, ..Default::default() }).await.unwrap().total, 0);
    assert_eq!(store.list_channels(&ChannelFilter { limit: 100, ..Default::default() }).await.unwrap().total, 0);
    assert_eq!(store.list_tags(&TagFilter { limit: 100, ..Default::default() }).await.unwrap().total, 0);
    assert!(store.list_proxies().await.unwrap().is_empty());
    assert_eq!(store.list_status_pages(&StatusPageFilter { limit: 10, ..Default::default() }).await.unwrap().total, 0);
    assert_eq!(store.list_maintenances(&MaintenanceFilter { limit: 10, ..Default::default() }).await.unwrap().total, 0);
}

#[tokio::test]
async fn a_json_backup_imports_monitors_notifications_tags_and_proxies() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let r = import_file(&store, &Path::new(FIXTURES).join("backup-1.23.json"), opts(false, false)).await;
    assert_eq!(r.source, "JSON backup 1.23.16");
    assert_eq!(
        (r.imported.monitors, r.imported.notifications, r.imported.proxies, r.imported.tags),
        (2, 2, 1, 1),
        "{r:#?}"
    );
    assert!(skipped(&r, "monitor", "Steam server").contains("steam"));
    assert!(skipped(&r, "monitor", "Docker app").contains("Docker host"));
    assert!(skipped(&r, "notification", "Pager").contains("SMSEagle"));
    let m = monitors_by_name(&store).await;
    let shop = &m["Shop"];
    assert_eq!(
        (shop.kind.as_str(), shop.interval, shop.timeout, shop.max_retries, shop.resend_interval),
        ("http", 20, 16, 2, 10)
    );
    let c = config(shop);
    assert_eq!(c["url"], "https://127.0.0.1:8443/shop");
    assert_eq!(c["max_redirects"], 5);
    assert_eq!(c["accepted_statuscodes"], json!(["2XX", "418"]));
    assert_eq!(c["check_cert_expiry"], true);
    let proxy = store.proxy(shop.proxy_id.as_deref().unwrap()).await.unwrap().unwrap();
    assert_eq!((proxy.protocol.as_str(), proxy.port), ("http", 3128));
    // notificationIDList {"1": true, "2": false}: only the Discord channel.
    assert_eq!(shop.notification_ids.len(), 1);
    let discord = store.channel(&shop.notification_ids[0]).await.unwrap().unwrap();
    assert_eq!((discord.kind.as_str(), discord.is_default), ("discord", true));
    assert_eq!(serde_json::from_str::<Value>(&discord.config).unwrap()["bot_display_name"], "Kuma");
    let region = store.list_tags(&TagFilter { limit: 10, ..Default::default() }).await.unwrap().items;
    assert_eq!(region.len(), 1);
    assert_eq!((region[0].name.as_str(), region[0].color.as_str()), ("region", "#7C3AED"));
    assert_eq!(shop.tags[0].value, "eu");
    assert_eq!(m["Heartbeat cron"].tags[0].value, "us");
    assert_eq!(m["Heartbeat cron"].push_token.as_deref(), Some("cr0nTok3nAbc"));

    // A second import reuses the tag instead of failing on its name.
    let again = import_file(&store, &Path::new(FIXTURES).join("backup-1.23.json"), opts(false, false)).await;
    assert_eq!((again.imported.monitors, again.imported.tags), (2, 0));
    // Its push token is taken by the first copy: the second gets a new one, and a warning.
    assert!(again.warnings.iter().any(|w| w.name == "Heartbeat cron" && w.reason.contains("push token")), "{again:#?}");
}

#[test]
fn a_file_that_is_neither_is_refused_with_a_reason() {
    let err = kuma::read_bytes(b"hello", false).unwrap_err();
    assert!(err.contains("not JSON"), "{err}");
    let err = kuma::read_bytes(b"{\"version\":\"1\"}", false).unwrap_err();
    assert!(err.contains("monitorList"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other).unwrap().execute_batch("CREATE TABLE t (x)").unwrap();
    let err = kuma::read_bytes(&std::fs::read(&other).unwrap(), false).unwrap_err();
    assert!(err.contains("no monitor table"), "{err}");
}

fn peekaping() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_peekaping"));
    c.env_remove("PEEKAPING_CONFIG");
    c
}

#[test]
fn the_cli_prints_the_report_and_honours_dry_run() {
    let dir = tempfile::tempdir().unwrap();
    let db = kuma_db(dir.path(), "1.23");
    let data = dir.path().join("data");
    let ok = peekaping().arg("--data-dir").arg(&data).args(["migrate", "up"]).output().unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let dry = peekaping()
        .arg("--data-dir")
        .arg(&data)
        .args(["admin", "import-kuma"])
        .arg(&db)
        .arg("--dry-run")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&dry.stdout);
    assert!(dry.status.success(), "{}", String::from_utf8_lossy(&dry.stderr));
    assert!(out.starts_with("Would import (dry run) from kuma.db (1.23 schema): 17 monitors"), "{out}");
    assert!(out.contains("Browser check") && out.contains("real-browser"), "{out}");
    let run = peekaping()
        .arg("--data-dir")
        .arg(&data)
        .args(["admin", "import-kuma", "--json", "--with-history"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(report["dry_run"], false);
    assert_eq!(report["imported"]["monitors"], 17);
    assert_eq!(report["imported"]["heartbeats"], 4);
    assert_eq!(report["monitor_ids"].as_array().unwrap().len(), 17);
    let missing = peekaping()
        .arg("--data-dir")
        .arg(&data)
        .args(["admin", "import-kuma", "/nonexistent/kuma.db"])
        .output()
        .unwrap();
    assert!(!missing.status.success());
}

#[tokio::test]
async fn the_api_imports_and_the_new_monitors_are_scheduled() {
    let target = support::HttpTarget::start().await;
    let mut s = Server::start(&[]).await;
    let backup = json!({
        "version": "1.23.16",
        "notificationList": [],
        "monitorList": [{"id": 1, "name": "Local target", "type": "http", "url": target.url(), "method": "GET",
            "interval": 1, "retryInterval": 1, "timeout": 1, "active": true, "accepted_statuscodes": ["200-299"],
            "notificationIDList": {}, "tags": []},
            {"id": 2, "name": "Game", "type": "gamedig", "hostname": "127.0.0.1", "active": true, "interval": 60}]
    });
    let url = s.url("/import/uptime-kuma");
    // No session: 401.
    let r = s.http.post(&url).json(&backup).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 401);
    s.register().await;
    let token = s.token.clone().unwrap();
    // Session only: an API key, even a write key, gets 403.
    let (status, b) = s.send("POST", "/api-keys", json!({"name": "importer", "scope": "write"})).await;
    assert_eq!(status, 201, "{b}");
    let key = b["data"]["key"].as_str().unwrap();
    let r = s.http.post(&url).header("X-API-Key", key).json(&backup).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403);

    // Garbage: 400 naming the field.
    let r = s
        .http
        .post(&url)
        .bearer_auth(&token)
        .header("content-type", "application/octet-stream")
        .body("not a kuma file")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["field"], "file", "{body}");
    let r =
        s.http.post(&url).bearer_auth(&token).header("content-type", "application/octet-stream").send().await.unwrap();
    assert_eq!(r.status().as_u16(), 400);

    // Dry run over multipart: a report, nothing stored.
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(serde_json::to_vec(&backup).unwrap()).file_name("backup.json"));
    let r = s.http.post(format!("{url}?dry_run=true")).bearer_auth(&token).multipart(form).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["data"]["dry_run"], true);
    assert_eq!(body["data"]["imported"]["monitors"], 1);
    assert_eq!(body["data"]["skipped"][0]["name"], "Game");
    assert_eq!(s.get("/monitors").await.1["data"].as_array().unwrap().len(), 0);

    // The real import of a JSON body: the monitor is scheduled and checked at once.
    let r = s.http.post(&url).bearer_auth(&token).json(&backup).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let body: Value = r.json().await.unwrap();
    let id = body["data"]["monitor_ids"][0].as_str().unwrap().to_string();
    s.wait_beats(&id, 1, Duration::from_secs(15)).await;

    // A raw kuma.db body (dry run: its channels point at public services).
    let dir = tempfile::tempdir().unwrap();
    let db = kuma_db(dir.path(), "1.23");
    let r = s
        .http
        .post(format!("{url}?with_history=true&dry_run=true"))
        .bearer_auth(&token)
        .header("content-type", "application/octet-stream")
        .body(std::fs::read(&db).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["data"]["source"], "kuma.db (1.23 schema)");
    assert_eq!(body["data"]["imported"]["monitors"], 17);
    assert_eq!(body["data"]["imported"]["heartbeats"], 4);
}

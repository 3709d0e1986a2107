//! Config as code: `peekaping apply [--dry-run] FILE`, the monitors file applied at `serve`
//! start, `managed_by` in the API (409 on edits) and the YAML export of a monitor.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};
use support::Server;

fn peekaping() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_peekaping"));
    c.env_remove("PEEKAPING_CONFIG").env_remove("PEEKAPING_MONITORS_FILE");
    c
}

/// `peekaping apply` on `dir`: (exit code, stdout, stderr).
fn apply(dir: &Path, file: &Path, dry_run: bool) -> (i32, String, String) {
    let mut c = peekaping();
    c.arg("apply").arg("--data-dir").arg(dir);
    if dry_run {
        c.arg("--dry-run");
    }
    let out: Output = c.arg(file).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const FIRST: &str = r#"
notification_channels:
  - name: ops-hook
    type: webhook
    config:
      webhook_url: http://127.0.0.1:9/hook
monitors:
  - name: web-group
    type: group
    interval: 60
  - name: web
    type: http
    interval: 60
    parent: web-group
    notifications: [ops-hook]
    config:
      url: http://127.0.0.1:9/
  - name: api
    type: tcp
    interval: 30
    config:
      host: 127.0.0.1
      port: 9
"#;

const SECOND: &str = r#"
notification_channels:
  - name: ops-hook
    type: webhook
    config:
      webhook_url: http://127.0.0.1:9/hook
monitors:
  - name: web-group
    type: group
    interval: 60
  - name: web
    type: http
    interval: 120
    parent: web-group
    notifications: [ops-hook]
    config:
      url: http://127.0.0.1:9/
  - name: db-main
    type: tcp
    interval: 30
    config:
      host: 127.0.0.1
      port: 5432
"#;

#[test]
fn the_plan_lists_creates_updates_and_deletes_and_dry_run_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let first = write(dir.path(), "first.yaml", FIRST);
    let (code, out, err) = apply(dir.path(), &first, true);
    assert_eq!(code, 0, "{err}");
    for line in [
        "+ create notification_channel \"ops-hook\"",
        "+ create monitor \"web-group\"",
        "+ create monitor \"web\"",
        "+ create monitor \"api\"",
        "Plan: 4 to create, 0 to update, 0 to delete.",
    ] {
        assert!(out.contains(line), "missing {line:?} in\n{out}");
    }
    assert!(!out.contains("applied"), "{out}");
    // The dry run wrote nothing: the same plan again.
    let (_, again, _) = apply(dir.path(), &first, true);
    assert!(again.contains("Plan: 4 to create"), "{again}");

    let (code, out, err) = apply(dir.path(), &first, false);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("applied: 4 to create, 0 to update, 0 to delete"), "{out}");

    let second = write(dir.path(), "second.yaml", SECOND);
    let (code, out, err) = apply(dir.path(), &second, true);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("~ update monitor \"web\": interval"), "{out}");
    assert!(out.contains("+ create monitor \"db-main\""), "{out}");
    assert!(out.contains("- delete monitor \"api\""), "{out}");
    assert!(out.contains("Plan: 1 to create, 1 to update, 1 to delete."), "{out}");
    assert!(!out.contains("web-group"), "an unchanged object is not listed:\n{out}");
}

#[test]
fn a_second_apply_is_a_no_op() {
    let dir = tempfile::tempdir().unwrap();
    let first = write(dir.path(), "m.yaml", FIRST);
    assert_eq!(apply(dir.path(), &first, false).0, 0);
    let (code, out, err) = apply(dir.path(), &first, false);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "No changes: the database matches the monitors file.");
}

#[test]
fn a_validation_error_names_the_yaml_path_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        dir.path(),
        "bad.yaml",
        r#"
monitors:
  - name: fine
    type: tcp
    interval: 60
    config: {host: 127.0.0.1, port: 9}
  - name: too-fast
    type: tcp
    interval: 5
    config: {host: 127.0.0.1, port: 9}
"#,
    );
    let (code, out, err) = apply(dir.path(), &bad, false);
    assert_ne!(code, 0, "{out}");
    assert!(err.contains("monitors[1].interval: must be between 20"), "{err}");
    // Nothing was written: the valid monitor is still to be created.
    let good = write(
        dir.path(),
        "good.yaml",
        "monitors:\n  - name: fine\n    type: tcp\n    interval: 60\n    config: {host: 127.0.0.1, port: 9}\n",
    );
    let (_, out, _) = apply(dir.path(), &good, true);
    assert!(out.contains("+ create monitor \"fine\""), "{out}");

    // Type errors, unknown fields, bad references and duplicates name their path too.
    for (text, want) in [
        ("monitors:\n  - name: mon-x\n    type: tcp\n    interval: soon\n", "monitors[0].interval"),
        ("monitors:\n  - name: mon-x\n    type: tcp\n    intervall: 60\n", "monitors[0]"),
        (
            "monitors:\n  - name: mon-x\n    type: tcp\n    notifications: [nope]\n    config: {host: a, port: 1}\n",
            "monitors[0].notifications[0]: no notification channel is named \"nope\"",
        ),
        (
            "monitors:\n  - name: mon-x\n    type: tcp\n    parent: mon-y\n    config: {host: a, port: 1}\n  - name: mon-y\n    type: tcp\n    config: {host: a, port: 1}\n",
            "monitors[0].parent: \"mon-y\" is a tcp monitor, not a group",
        ),
        (
            "monitors:\n  - name: mon-x\n    type: group\n  - name: mon-x\n    type: group\n",
            "monitors[1].name: \"mon-x\" is declared twice",
        ),
        ("monitors:\n  - name: mon-x\n    type: http\n    config: {url: 'ftp://a'}\n", "monitors[0].config.url"),
        ("notification_channels:\n  - name: hook\n    type: webhook\n", "notification_channels[0].config.webhook_url"),
    ] {
        let f = write(dir.path(), "e.yaml", text);
        let (code, _, err) = apply(dir.path(), &f, false);
        assert_ne!(code, 0, "{text}");
        assert!(err.contains(want), "want {want:?} for\n{text}\ngot {err}");
    }
    let (_, out, _) = apply(dir.path(), &good, true);
    assert!(out.contains("Plan: 1 to create, 0 to update, 0 to delete."), "{out}");
}

async fn monitors_by_name(s: &Server) -> std::collections::HashMap<String, Value> {
    let (status, body) = s.get("/monitors?limit=1000").await;
    assert_eq!(status, 200, "{body}");
    body["data"].as_array().unwrap().iter().map(|m| (m["name"].as_str().unwrap().to_string(), m.clone())).collect()
}

#[tokio::test]
async fn serve_applies_the_file_at_start_and_edits_and_removals_follow_the_file() {
    let dir = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let file = write(dir.path(), "monitors.yaml", FIRST);
    let env = [("PEEKAPING_MONITORS_FILE", file.to_str().unwrap())];
    let mut s = Server::start_in(dir.clone(), &env).await;
    s.register().await;
    let ms = monitors_by_name(&s).await;
    assert_eq!(ms.len(), 3, "{ms:?}");
    let web = &ms["web"];
    assert_eq!(web["managed_by"], "file");
    assert_eq!(web["interval"], 60);
    assert_eq!(web["parent_id"], ms["web-group"]["id"]);
    assert_eq!(web["notification_ids"].as_array().unwrap().len(), 1);
    let (_, chans) = s.get("/notification-channels").await;
    assert_eq!(chans["data"][0]["name"], "ops-hook");
    assert_eq!(chans["data"][0]["managed_by"], "file");
    // A monitor made in the UI is the user's.
    let ui = s
        .create_monitor(
            json!({"type": "tcp", "name": "ui-made", "interval": 30, "config": "{\"host\":\"127.0.0.1\",\"port\":9}"}),
        )
        .await;
    assert_eq!(s.monitor(&ui).await["managed_by"], Value::Null);
    let web_id = web["id"].as_str().unwrap().to_string();
    s.stop();

    // Edit the file: web changes in place, api goes, db comes; the UI monitor stays.
    std::fs::write(&file, SECOND).unwrap();
    let s2 = {
        let mut s2 = Server::start_in(dir.clone(), &env).await;
        s2.token = s.token.clone();
        s2
    };
    let ms = monitors_by_name(&s2).await;
    assert_eq!(ms["web"]["id"], web_id.as_str(), "updated in place");
    assert_eq!(ms["web"]["interval"], 120);
    assert!(!ms.contains_key("api"), "removed from the file: deleted");
    assert_eq!(ms["db-main"]["managed_by"], "file");
    assert_eq!(ms["ui-made"]["id"], ui.as_str(), "objects made in the UI are never touched");
    assert!(s2.log().contains("monitors file"), "{}", s2.log());
}

#[tokio::test]
async fn a_bad_file_stops_serve_from_starting() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "m.yaml",
        "monitors:\n  - name: mon-x\n    type: tcp\n    interval: 5\n    config: {host: 127.0.0.1, port: 9}\n",
    );
    let out = peekaping()
        .args(["serve", "--host", "127.0.0.1", "--port", &support::free_port().to_string()])
        .arg("--data-dir")
        .arg(dir.path())
        .env("PEEKAPING_MONITORS_FILE", &file)
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("monitors[0].interval"), "{err}");
}

#[tokio::test]
async fn the_api_refuses_to_edit_a_file_managed_monitor_or_channel() {
    let dir = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let file = write(dir.path(), "monitors.yaml", FIRST);
    let mut s = Server::start_in(dir.clone(), &[("PEEKAPING_MONITORS_FILE", file.to_str().unwrap())]).await;
    s.register().await;
    let ms = monitors_by_name(&s).await;
    let id = ms["web"]["id"].as_str().unwrap();
    let put = json!({"type": "http", "name": "web", "interval": 90, "config": "{\"url\":\"http://127.0.0.1:9/\"}"});
    for (method, body) in [("PUT", put), ("PATCH", json!({"active": false})), ("DELETE", json!({}))] {
        let (status, body) = s.send(method, &format!("/monitors/{id}"), body).await;
        assert_eq!(status, 409, "{method}: {body}");
        assert_eq!(body["error"]["field"], "managed_by", "{body}");
        assert!(body["message"].as_str().unwrap().contains("monitors file"), "{body}");
    }
    assert_eq!(s.monitor(id).await["interval"], 60, "nothing changed");
    let (_, chans) = s.get("/notification-channels").await;
    let cid = chans["data"][0]["id"].as_str().unwrap();
    let (status, body) = s.send("DELETE", &format!("/notification-channels/{cid}"), json!({})).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["field"], "managed_by");
    // UI monitors stay editable.
    let ui = s
        .create_monitor(
            json!({"type": "tcp", "name": "ui-made", "interval": 30, "config": "{\"host\":\"127.0.0.1\",\"port\":9}"}),
        )
        .await;
    let (status, body) = s.send("PATCH", &format!("/monitors/{ui}"), json!({"interval": 40})).await;
    assert_eq!(status, 200, "{body}");
    // Without a token: 401.
    let token = s.token.take();
    let (status, _) = s.send("PATCH", &format!("/monitors/{id}"), json!({"active": false})).await;
    assert_eq!(status, 401);
    s.token = token;
}

#[tokio::test]
async fn exported_yaml_reapplies_to_the_same_monitor() {
    let dir = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let mut s = Server::start_in(dir.clone(), &[]).await;
    s.register().await;
    let (status, ch) = s
        .send(
            "POST",
            "/notification-channels",
            json!({"name": "team", "type": "webhook", "config": "{\"webhook_url\":\"http://127.0.0.1:9/x\"}"}),
        )
        .await;
    assert_eq!(status, 201, "{ch}");
    let (status, tag) = s.send("POST", "/tags", json!({"name": "prod", "color": "#00ff00"})).await;
    assert_eq!(status, 201, "{tag}");
    let id = s
        .create_monitor(json!({
            "type": "http", "name": "site", "interval": 45, "timeout": 20, "max_retries": 2,
            "config": "{\"url\":\"http://127.0.0.1:9/health\",\"method\":\"GET\"}",
            "notification_ids": [ch["data"]["id"]],
            "tags": [{"tag_id": tag["data"]["id"], "value": "eu"}],
        }))
        .await;
    let r =
        s.http.get(s.url(&format!("/monitors/{id}/yaml"))).bearer_auth(s.token.as_ref().unwrap()).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/yaml"));
    let yaml = r.text().await.unwrap();
    assert!(yaml.contains(&format!("id: {id}")) && yaml.contains("- team") && yaml.contains("name: prod"), "{yaml}");
    // 401 without a token, 404 for an unknown monitor.
    assert_eq!(s.http.get(s.url(&format!("/monitors/{id}/yaml"))).send().await.unwrap().status(), 401);
    assert_eq!(s.get("/monitors/nope/yaml").await.0, 404);
    let before = s.monitor(&id).await;
    let token = s.token.clone();
    s.stop();

    // Applying the export takes over this very monitor without changing it.
    let f = write(dir.path(), "export.yaml", &yaml);
    let (code, out, err) = apply(dir.path(), &f, false);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&format!("~ adopt monitor \"site\" ({id})\n")), "no field changes expected:\n{out}");
    let (code, out, _) = apply(dir.path(), &f, true);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "No changes: the database matches the monitors file.", "round trip");

    let mut s = Server::start_in(dir.clone(), &[]).await;
    s.token = token;
    let after = s.monitor(&id).await;
    assert_eq!(after["managed_by"], "file");
    for k in ["name", "interval", "timeout", "max_retries", "config", "notification_ids", "tag_ids", "tags"] {
        assert_eq!(before[k], after[k], "{k}");
    }
}

#[tokio::test]
async fn editing_the_file_while_serving_reapplies_it_and_a_bad_edit_is_skipped() {
    let dir = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let file = write(dir.path(), "monitors.yaml", FIRST);
    let mut s = Server::start_in(dir.clone(), &[("PEEKAPING_MONITORS_FILE", file.to_str().unwrap())]).await;
    s.register().await;
    assert_eq!(monitors_by_name(&s).await["web"]["interval"], 60);

    // A bad edit: logged, nothing changes.
    std::fs::write(&file, FIRST.replace("interval: 60\n    parent", "interval: 0\n    parent")).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while !s.log().contains("monitors file not applied") {
        assert!(std::time::Instant::now() < deadline, "{}", s.log());
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(s.log().contains("monitors[1].interval"), "{}", s.log());
    assert_eq!(monitors_by_name(&s).await["web"]["interval"], 60);

    std::fs::write(&file, SECOND).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let ms = monitors_by_name(&s).await;
        if ms.get("web").is_some_and(|w| w["interval"] == 120) && ms.contains_key("db-main") && !ms.contains_key("api")
        {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "not re-applied: {ms:?}\n{}", s.log());
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

//! The command line: configuration errors, migrations, admin password reset, healthcheck,
//! and a crash (kill -9) that must not lose acknowledged pushes.

mod support;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::json;
use support::{EMAIL, Server};

fn peekaping() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_peekaping"));
    c.env_remove("PEEKAPING_CONFIG");
    c
}

#[test]
fn a_bad_setting_stops_start_up_with_one_line_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let out =
        peekaping().arg("serve").arg("--data-dir").arg(dir.path()).env("PEEKAPING_PORT", "eighty").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("port") && err.contains("eighty") && err.contains("PEEKAPING_PORT"), "{err}");
    let out = peekaping().args(["serve", "--min-interval", "0"]).arg("--data-dir").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("min_interval"));
}

#[test]
fn version_and_help() {
    let out = peekaping().arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(env!("CARGO_PKG_VERSION")));
    let out = peekaping().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for cmd in ["serve", "api", "producer", "worker", "ingester", "migrate", "admin", "healthcheck"] {
        assert!(help.contains(cmd), "{cmd} missing from --help");
    }
}

#[test]
fn migrations_go_up_down_and_report_status() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let run = |args: &[&str]| {
        let out = peekaping().args(args).arg("--db").arg(&db).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let latest = peekaping::store::migrations::SQLITE.last().unwrap().version;
    assert!(run(&["migrate", "status"]).contains("pending  0001"));
    assert!(run(&["migrate", "up", "--to", "1"]).contains("applied 1"));
    assert!(run(&["migrate", "status"]).contains("schema version 1"));
    let up = run(&["migrate", "up"]);
    assert!(up.contains(&format!("applied {latest}")) && !up.contains("applied 1\n"), "{up}");
    assert!(run(&["migrate", "status"]).contains(&format!("schema version {latest}")));
    assert!(run(&["migrate", "down"]).contains(&format!("reverted {latest}")));
    assert!(run(&["migrate", "status"]).contains(&format!("schema version {}", latest - 1)));
}

#[test]
fn a_component_alone_needs_a_shared_bus() {
    let dir = tempfile::tempdir().unwrap();
    let out = peekaping().arg("worker").arg("--data-dir").arg(dir.path()).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("PEEKAPING_BUS"));
}

#[tokio::test]
async fn admin_reset_password_and_healthcheck() {
    let mut s = Server::start(&[]).await;
    s.register().await;
    let ok = peekaping().args(["healthcheck", "--port", &s.port.to_string()]).output().unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    s.stop();
    let mut child = peekaping()
        .args(["admin", "reset-password"])
        .arg("--data-dir")
        .arg(s.data_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"Res3t!password\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let s2 = Server::start_in(s.dir.clone(), &[]).await;
    let (st, _) = s2.send("POST", "/auth/login", json!({"email": EMAIL, "password": "Res3t!password"})).await;
    assert_eq!(st, 200);
    let down = peekaping().args(["healthcheck", "--port", &support::free_port().to_string()]).output().unwrap();
    assert!(!down.status.success());
}

#[tokio::test]
async fn an_acknowledged_push_survives_kill_9() {
    let mut s = Server::start(&[]).await;
    s.register().await;
    let (_, body) =
        s.send("POST", "/monitors", json!({"type": "push", "name": "pusher", "interval": 60, "timeout": 10})).await;
    let id = body["data"]["id"].as_str().unwrap().to_string();
    let token = body["data"]["push_token"].as_str().unwrap().to_string();
    let mut acked = 0;
    for i in 0..40 {
        let r = s.http.get(format!("{}/api/v1/push/{token}?msg=n{i}", s.base)).send().await.unwrap();
        if r.status() == 200 {
            acked += 1;
        }
        tokio::time::sleep(Duration::from_millis(3)).await;
    }
    s.crash();
    let mut s2 = Server::start_in(s.dir.clone(), &[]).await;
    s2.token = s.token.clone();
    let beats = s2.wait_beats(&id, acked, Duration::from_secs(15)).await;
    assert_eq!(beats.len(), acked, "every acknowledged push is stored once, none twice");
    let (st, uptime) = s2.get(&format!("/monitors/{id}/stats/uptime")).await;
    assert_eq!(uptime["data"]["24h"], 100.0, "{st} {uptime}");
}

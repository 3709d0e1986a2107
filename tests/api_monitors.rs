//! Monitors end to end against the real binary and real local targets: validation that
//! names fields, CRUD, HTTP/keyword/JSON/TCP/push checks turning UP and DOWN, retries at
//! `retry_interval`, pause, reset, statistics, and realtime events.

mod support;

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{HttpTarget, Server, http_monitor};

const WAIT: Duration = Duration::from_secs(20);

#[tokio::test]
async fn invalid_monitors_are_rejected_with_the_field_named() {
    let mut s = Server::start(&[("PEEKAPING_MIN_INTERVAL", "20")]).await;
    s.register().await;
    let cases = [
        (json!({"type": "http", "name": "x1", "interval": 60, "config": "{\"url\":\"http://a\"}"}), "name"),
        (json!({"type": "http", "name": "fast", "interval": 5, "config": "{\"url\":\"http://a\"}"}), "interval"),
        (
            json!({"type": "http", "name": "slow", "interval": 60, "timeout": 90, "config": "{\"url\":\"http://a\"}"}),
            "timeout",
        ),
        (json!({"type": "gopher", "name": "weird", "config": "{}"}), "type"),
        (json!({"type": "http", "name": "no url", "config": "{}"}), "config.url"),
        (json!({"type": "http", "name": "bad url", "config": "{\"url\":\"ftp://x\"}"}), "config.url"),
        (
            json!({"type": "http", "name": "codes", "config": "{\"url\":\"http://a\",\"accepted_statuscodes\":[\"abc\"]}"}),
            "config.accepted_statuscodes",
        ),
        (json!({"type": "tcp", "name": "port", "config": "{\"host\":\"127.0.0.1\",\"port\":99999}"}), "config.port"),
        (json!({"type": "tcp", "name": "json", "config": "{not json"}), "config"),
        (json!({"type": "http", "name": "typed", "interval": "often"}), "interval"),
        (json!({"type": "http", "name": "neg", "max_retries": -1}), "max_retries"),
        (json!({"name": "missing type"}), "type"),
        (
            json!({"type": "http", "name": "links", "config": "{\"url\":\"http://a\"}", "notification_ids": ["nope"]}),
            "notification_ids",
        ),
        (json!({"type": "push", "name": "push", "push_token": "bad token!"}), "push_token"),
    ];
    for (body, field) in cases {
        let (st, resp) = s.send("POST", "/monitors", body.clone()).await;
        assert_eq!(st, 400, "{body} → {resp}");
        assert_eq!(resp["error"]["field"], field, "{body} → {resp}");
        assert_eq!(resp["status"], "error");
    }
    let r = s
        .http
        .post(s.url("/monitors"))
        .bearer_auth(s.token.clone().unwrap())
        .header("content-type", "application/json")
        .body("{oops")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(s.get("/monitors").await.1["total"], 0, "nothing was stored");
}

#[tokio::test]
async fn monitor_crud_list_and_batch() {
    let mut s = Server::start(&[]).await;
    s.register().await;
    let target = HttpTarget::start().await;
    let mut ids = Vec::new();
    for i in 0..12 {
        ids.push(s.create_monitor(http_monitor(&format!("svc {i:02}"), &target.url(), 30)).await);
    }
    let m = s.monitor(&ids[0]).await;
    assert_eq!(m["type"], "http");
    assert_eq!(m["interval"], 30);
    assert_eq!(m["active"], true);
    assert!(m["config"].as_str().unwrap().contains(&target.url()));
    let (st, page) = s.get("/monitors?limit=5&page=2").await;
    assert_eq!(st, 200);
    assert_eq!(page["total"], 12);
    assert_eq!(page["data"].as_array().unwrap().len(), 2);
    let (_, found) = s.get("/monitors?q=svc%2003").await;
    assert_eq!(found["total"], 1);
    let (_, batch) = s.get(&format!("/monitors/batch?ids={},{}", ids[3], ids[1])).await;
    let got: Vec<&str> = batch["data"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(got, vec![ids[3].as_str(), ids[1].as_str()]);

    let mut full = http_monitor("renamed", &target.url(), 40);
    full["max_retries"] = json!(2);
    let (st, body) = s.send("PUT", &format!("/monitors/{}", ids[0]), full).await;
    assert_eq!(st, 200, "{body}");
    assert_eq!(body["data"]["name"], "renamed");
    assert_eq!(body["data"]["max_retries"], 2);
    let (st, body) = s.send("PATCH", &format!("/monitors/{}", ids[0]), json!({"active": false, "interval": 50})).await;
    assert_eq!(st, 200, "{body}");
    assert_eq!((body["data"]["active"].as_bool(), body["data"]["interval"].as_u64()), (Some(false), Some(50)));
    assert_eq!(body["data"]["name"], "renamed", "PATCH keeps what it does not name");
    let (st, body) = s.send("PATCH", &format!("/monitors/{}", ids[0]), json!({"timeout": 500})).await;
    assert_eq!((st, body["error"]["field"].as_str()), (400, Some("timeout")));
    let (_, inactive) = s.get("/monitors?active=false").await;
    assert_eq!(inactive["total"], 1);

    let (st, _) = s.send("DELETE", &format!("/monitors/{}", ids[0]), json!({})).await;
    assert_eq!(st, 200);
    let (st, body) = s.get(&format!("/monitors/{}", ids[0])).await;
    assert_eq!((st, body["error"]["code"].as_str()), (404, Some("not_found")));
    let (st, _) = s.send("DELETE", &format!("/monitors/{}", ids[0]), json!({})).await;
    assert_eq!(st, 404);
}

#[tokio::test]
async fn an_http_monitor_goes_up_down_and_up_again() {
    let mut s = Server::start(&[]).await;
    s.register().await;
    let target = HttpTarget::start().await;
    let id = s.create_monitor(http_monitor("web", &target.url(), 1)).await;
    s.wait_status(&id, 1, WAIT).await;
    target.set_status(500);
    s.wait_status(&id, 0, WAIT).await;
    let beats = s.heartbeats(&id, 1).await;
    assert!(beats[0]["msg"].as_str().unwrap().contains("500"), "{}", beats[0]);
    target.set_status(200);
    s.wait_status(&id, 1, WAIT).await;

    let (_, events) = s.get(&format!("/monitors/{id}/heartbeats?important=true")).await;
    let statuses: Vec<u64> = events["data"].as_array().unwrap().iter().map(|b| b["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, vec![1, 0, 1], "important beats list each change, newest first");
    let (_, uptime) = s.get(&format!("/monitors/{id}/stats/uptime")).await;
    let day = uptime["data"]["24h"].as_f64().unwrap();
    assert!(day > 0.0 && day < 100.0, "{uptime}");
    let since = peekaping::domain::format_millis(peekaping::domain::now_millis() - 3_600_000);
    let (st, points) = s.get(&format!("/monitors/{id}/stats/points?since={since}&granularity=minute")).await;
    assert_eq!(st, 200, "{points}");
    let pts = points["data"]["points"].as_array().unwrap();
    assert!(!pts.is_empty());
    let ups: u64 = pts.iter().map(|p| p["up"].as_u64().unwrap()).sum();
    let downs: u64 = pts.iter().map(|p| p["down"].as_u64().unwrap()).sum();
    let beats = s.heartbeats(&id, 1000).await.len() as u64;
    assert_eq!(ups + downs, beats, "every stored beat is counted exactly once in the rollups");
    assert!(points["data"]["avgPing"].as_f64().unwrap() > 0.0);
    let (st, body) = s.get(&format!("/monitors/{id}/stats/points?since=yesterday")).await;
    assert_eq!((st, body["error"]["field"].as_str()), (400, Some("since")));
}

#[tokio::test]
async fn keyword_and_json_query_monitors_judge_the_body() {
    let mut s = Server::start(&[]).await;
    s.register().await;
    let target = HttpTarget::start().await;
    target.set_body(r#"{"status":"ok","count":3,"items":[{"n":1},{"n":5}]}"#);
    let kw = s
        .create_monitor(json!({"type": "http-keyword", "name": "keyword", "interval": 1, "timeout": 1,
            "config": json!({"url": target.url(), "keyword": "\"ok\""}).to_string()}))
        .await;
    let inv = s
        .create_monitor(json!({"type": "http-keyword", "name": "inverted", "interval": 1, "timeout": 1,
            "config": json!({"url": target.url(), "keyword": "error", "invert_keyword": true}).to_string()}))
        .await;
    let jq = s
        .create_monitor(json!({"type": "http-json-query", "name": "json", "interval": 1, "timeout": 1,
            "config": json!({"url": target.url(), "json_query": "items.#(n>2).n", "json_condition": ">=", "expected_value": "5"}).to_string()}))
        .await;
    for id in [&kw, &inv, &jq] {
        s.wait_status(id, 1, WAIT).await;
    }
    target.set_body(r#"{"status":"error","count":1,"items":[{"n":1}]}"#);
    for id in [&kw, &inv, &jq] {
        s.wait_status(id, 0, WAIT).await;
    }
    let msg = s.heartbeats(&kw, 1).await[0]["msg"].as_str().unwrap().to_string();
    assert!(msg.contains("not found"), "{msg}");
    let msg = s.heartbeats(&jq, 1).await[0]["msg"].as_str().unwrap().to_string();
    assert!(msg.contains("matched nothing"), "{msg}");
}

#[tokio::test]
async fn a_tcp_monitor_follows_the_port() {
    let mut s = Server::start(&[]).await;
    s.register().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let accept = tokio::spawn(async move {
        loop {
            let _ = listener.accept().await;
        }
    });
    let id = s
        .create_monitor(json!({"type": "tcp", "name": "socket", "interval": 1, "timeout": 1,
            "config": json!({"host": "127.0.0.1", "port": port}).to_string()}))
        .await;
    s.wait_status(&id, 1, WAIT).await;
    accept.abort();
    let _ = accept.await;
    s.wait_status(&id, 0, WAIT).await;
    let msg = s.heartbeats(&id, 1).await[0]["msg"].as_str().unwrap().to_string();
    assert!(msg.to_lowercase().contains("refused"), "{msg}");
}

#[tokio::test]
async fn retries_go_pending_at_the_retry_interval_before_down() {
    let mut s = Server::start(&[]).await;
    s.register().await;
    let target = HttpTarget::start().await;
    target.set_status(503);
    let mut body = http_monitor("flaky", &target.url(), 30);
    body["max_retries"] = json!(2);
    body["retry_interval"] = json!(1);
    body["timeout"] = json!(2);
    let id = s.create_monitor(body).await;
    let started = Instant::now();
    s.wait_status(&id, 0, WAIT).await;
    let beats = s.heartbeats(&id, 10).await;
    let statuses: Vec<u64> = beats.iter().rev().map(|b| b["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, vec![2, 2, 0], "two PENDING retries, then DOWN");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "retries ran at retry_interval (1 s), not at the interval (30 s): {:?}",
        started.elapsed()
    );
    assert_eq!(beats[0]["retries"], 3);
    assert_eq!(beats[0]["important"], true);
}

#[tokio::test]
async fn push_monitors_take_up_down_and_ping_and_go_down_when_silent() {
    let mut s = Server::start(&[]).await;
    s.register().await;
    let (st, body) =
        s.send("POST", "/monitors", json!({"type": "push", "name": "cron job", "interval": 2, "timeout": 1})).await;
    assert_eq!(st, 201, "{body}");
    let id = body["data"]["id"].as_str().unwrap().to_string();
    let token = body["data"]["push_token"].as_str().unwrap().to_string();
    assert!(token.len() >= 8, "a push token is generated");
    let push = |q: &str| {
        let url = format!("{}/api/v1/push/{token}{q}", s.base);
        let http = s.http.clone();
        async move { http.get(url).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(push("?status=up&msg=backup%20done&ping=12.5").await, 200);
    s.wait_status(&id, 1, WAIT).await;
    let b = &s.heartbeats(&id, 1).await[0];
    assert_eq!((b["msg"].as_str(), b["ping"].as_f64()), (Some("backup done"), Some(12.5)));
    assert_eq!(push("?status=down&msg=disk%20full").await, 200, "status=down is honoured (Peekaping #214)");
    s.wait_status(&id, 0, WAIT).await;
    assert_eq!(push("?status=1").await, 200);
    s.wait_status(&id, 1, WAIT).await;
    assert_eq!(push("?status=sideways").await, 400);
    let unknown = s.http.get(format!("{}/api/v1/push/unknown-token-123", s.base)).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    // Silence: DOWN after the interval.
    s.wait_status(&id, 0, Duration::from_secs(10)).await;
    assert!(s.heartbeats(&id, 1).await[0]["msg"].as_str().unwrap().contains("No push"));
}

#[tokio::test]
async fn pausing_stops_checks_and_reset_clears_history() {
    let mut s = Server::start(&[]).await;
    s.register().await;
    let target = HttpTarget::start().await;
    let id = s.create_monitor(http_monitor("pausable", &target.url(), 1)).await;
    s.wait_beats(&id, 2, WAIT).await;
    let (st, _) = s.send("PATCH", &format!("/monitors/{id}"), json!({"active": false})).await;
    assert_eq!(st, 200);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let before = s.heartbeats(&id, 1000).await.len();
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(s.heartbeats(&id, 1000).await.len(), before, "a paused monitor is not checked");
    let (st, _) = s.send("POST", &format!("/monitors/{id}/reset"), json!({})).await;
    assert_eq!(st, 200);
    assert!(s.heartbeats(&id, 10).await.is_empty());
    assert_eq!(s.monitor(&id).await["status"], 2);
    s.send("PATCH", &format!("/monitors/{id}"), json!({"active": true})).await;
    s.wait_status(&id, 1, WAIT).await;
}

#[tokio::test]
async fn monitors_keep_checking_after_a_restart() {
    let mut s = Server::start(&[]).await;
    s.register().await;
    let target = HttpTarget::start().await;
    let id = s.create_monitor(http_monitor("durable", &target.url(), 1)).await;
    s.wait_beats(&id, 2, WAIT).await;
    s.stop();
    let dir = s.dir.clone();
    let token = s.token.clone();
    let mut s2 = Server::start_in(dir, &[]).await;
    s2.token = token;
    let n = s2.heartbeats(&id, 1000).await.len();
    s2.wait_beats(&id, n + 2, WAIT).await;
    let (_, list) = s2.get("/monitors").await;
    assert_eq!(list["total"], 1);
}

#[tokio::test]
async fn the_latest_beats_of_many_monitors_come_in_one_call() {
    let mut s = Server::start(&[]).await;
    s.register().await;
    let target = HttpTarget::start().await;
    let a = s.create_monitor(http_monitor("a-mon", &target.url(), 1)).await;
    let b = s.create_monitor(http_monitor("b-mon", &target.url(), 1)).await;
    s.wait_beats(&a, 3, WAIT).await;
    s.wait_beats(&b, 3, WAIT).await;
    let (st, body) = s.get(&format!("/monitors/heartbeats/latest?ids={a},{b}&limit=2")).await;
    assert_eq!(st, 200, "{body}");
    let beats: &Value = &body["data"][&a];
    assert_eq!(beats.as_array().unwrap().len(), 2);
    assert!(beats[0]["time"].as_str() < beats[1]["time"].as_str(), "oldest first");
}

#[tokio::test]
async fn a_group_follows_its_children_at_once() {
    let mut s = Server::start(&[]).await;
    s.register().await;
    let healthy = HttpTarget::start().await;
    let flaky = HttpTarget::start().await;
    // A long group interval: the group must react to its children, not to its own timer.
    let (st, body) =
        s.send("POST", "/monitors", json!({"type": "group", "name": "backend", "interval": 60, "timeout": 10})).await;
    assert_eq!(st, 201, "{body}");
    let group = body["data"]["id"].as_str().unwrap().to_string();
    let mut a = http_monitor("api", &healthy.url(), 1);
    a["parent_id"] = json!(group);
    let mut b = http_monitor("database", &flaky.url(), 1);
    b["parent_id"] = json!(group);
    let a = s.create_monitor(a).await;
    let b = s.create_monitor(b).await;
    assert_eq!(s.monitor(&b).await["parent_id"], group.as_str());
    s.wait_status(&group, 1, WAIT).await;
    flaky.set_status(500);
    s.wait_status(&b, 0, WAIT).await;
    s.wait_status(&group, 0, Duration::from_secs(5)).await;
    let msg = s.heartbeats(&group, 1).await[0]["msg"].as_str().unwrap().to_string();
    assert_eq!(msg, "1 of 2 down: database");
    // Pausing the failing child brings the group back up.
    let (st, _) = s.send("PATCH", &format!("/monitors/{b}"), json!({"active": false})).await;
    assert_eq!(st, 200);
    s.wait_status(&group, 1, Duration::from_secs(5)).await;
    // Only groups can be parents, and a group is not its own parent.
    let (st, body) = s.send("PATCH", &format!("/monitors/{b}"), json!({"parent_id": a})).await;
    assert_eq!((st, body["error"]["field"].as_str()), (400, Some("parent_id")), "{body}");
    let (st, body) = s.send("PATCH", &format!("/monitors/{group}"), json!({"parent_id": group})).await;
    assert_eq!((st, body["error"]["field"].as_str()), (400, Some("parent_id")), "{body}");
    let (st, body) = s.send("PATCH", &format!("/monitors/{b}"), json!({"parent_id": null})).await;
    assert_eq!(st, 200);
    assert!(body["data"]["parent_id"].is_null());
}

/// Creates a push monitor with this config; returns (id, token).
async fn push_monitor(s: &Server, interval: u32, config: Value) -> (String, String) {
    let (st, body) = s
        .send("POST", "/monitors", json!({"type": "push", "name": "nightly job", "interval": interval, "timeout": 1, "config": config.to_string()}))
        .await;
    assert_eq!(st, 201, "{body}");
    (body["data"]["id"].as_str().unwrap().to_string(), body["data"]["push_token"].as_str().unwrap().to_string())
}

async fn push(s: &Server, token: &str, path_and_query: &str) -> u16 {
    s.http.get(format!("{}/api/v1/push/{token}{path_and_query}", s.base)).send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn push_runs_are_timed_between_start_and_finish() {
    let mut s = Server::start(&[]).await;
    s.register().await;
    let (id, token) = push_monitor(&s, 60, json!({"min_duration": 1, "max_duration": 2})).await;
    // Too short: start and finish at once.
    assert_eq!(push(&s, &token, "?state=start").await, 200);
    assert_eq!(push(&s, &token, "").await, 200);
    s.wait_status(&id, 0, WAIT).await;
    let msg = s.heartbeats(&id, 1).await[0]["msg"].as_str().unwrap().to_string();
    assert!(msg.contains("shorter than the minimum 1 s"), "{msg}");
    // Within bounds.
    assert_eq!(push(&s, &token, "/start").await, 200);
    tokio::time::sleep(Duration::from_millis(1300)).await;
    assert_eq!(push(&s, &token, "?status=up").await, 200);
    s.wait_status(&id, 1, WAIT).await;
    assert!(s.heartbeats(&id, 1).await[0]["msg"].as_str().unwrap().contains("the run took 1."));
    // Started and never finished: DOWN once max_duration has passed, without any ping.
    assert_eq!(push(&s, &token, "?state=start").await, 200);
    s.wait_status(&id, 0, Duration::from_secs(8)).await;
    let msg = s.heartbeats(&id, 1).await[0]["msg"].as_str().unwrap().to_string();
    assert!(msg.contains("has not finished after 2 s"), "{msg}");
    // /fail reports a failed run with its message.
    assert_eq!(push(&s, &token, "/fail?msg=exit%20code%203").await, 200);
    s.wait_beats(&id, 4, WAIT).await;
    assert_eq!(s.heartbeats(&id, 1).await[0]["msg"], "exit code 3");
    assert_eq!(push(&s, &token, "?state=sideways").await, 400);
}

#[tokio::test]
async fn a_cron_push_is_down_when_a_run_is_missed() {
    let mut s = Server::start(&[]).await;
    s.register().await;
    // A run every minute with one second of grace: after the next minute starts
    // (plus the grace), a missing run turns the monitor DOWN on its own.
    let (id, token) = push_monitor(&s, 60, json!({"cron": "* * * * *", "grace": 1, "timezone": "Europe/Berlin"})).await;
    assert_eq!(push(&s, &token, "").await, 200);
    s.wait_status(&id, 1, WAIT).await;
    s.wait_status(&id, 0, Duration::from_secs(70)).await;
    let msg = s.heartbeats(&id, 1).await[0]["msg"].as_str().unwrap().to_string();
    assert!(msg.contains("Expected a run at") && msg.contains("* * * * *"), "{msg}");
    let (st, body) = s
        .send(
            "POST",
            "/monitors",
            json!({"type": "push", "name": "bad cron", "config": json!({"cron": "whenever"}).to_string()}),
        )
        .await;
    assert_eq!((st, body["error"]["field"].as_str()), (400, Some("config.cron")));
}

//! Tags and maintenance windows end to end against the real binary: the `/tags` and
//! `/maintenances` APIs (success, 401, 4xx naming the field), tag values on monitors, and
//! a monitor in maintenance: MAINTENANCE beats, no request to the target, no notice, and
//! a DOWN notice once the maintenance is paused.

mod support;

use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::{Value, json};
use support::{HttpTarget, Receiver, Server, http_monitor, started_server, wait_beat};

async fn create(s: &Server, path: &str, body: Value) -> String {
    let (st, b) = s.send("POST", path, body).await;
    assert_eq!(st, 201, "{b}");
    b["data"]["id"].as_str().unwrap().to_string()
}

async fn refused(s: &Server, method: &str, path: &str, body: Value) -> (u16, String) {
    let (st, b) = s.send(method, path, body.clone()).await;
    assert!((400..500).contains(&st), "{method} {path} {body}: {st} {b}");
    (st, b["error"]["field"].as_str().unwrap_or_default().to_string())
}

async fn anonymous_is_refused(s: &Server, calls: &[(&str, String)]) {
    let anon = reqwest::Client::new();
    for (method, path) in calls {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let r = anon.request(m, s.url(path)).json(&json!({"name": "x", "title": "x"})).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 401, "{method} {path}");
    }
}

// --- tags ----------------------------------------------------------------------------

#[tokio::test]
async fn tags_are_created_listed_edited_and_deleted() {
    let s = started_server().await;
    let prod = create(&s, "/tags", json!({"name": "Production", "color": "#ef4444", "description": "live"})).await;
    let staging = create(&s, "/tags", json!({"name": "staging"})).await;
    let (st, b) = s.get(&format!("/tags/{staging}")).await;
    assert_eq!((st, b["data"]["color"].as_str()), (200, Some("#3B82F6")), "default colour: {b}");

    let (st, b) = s.get("/tags?limit=1").await;
    assert_eq!(st, 200, "{b}");
    assert_eq!((b["message"].as_str(), b["total"].as_u64()), (Some("success"), Some(2)));
    assert_eq!(b["data"][0]["name"], "Production");
    let (_, b) = s.get("/tags?q=stag&page=0&limit=10").await;
    assert_eq!((b["total"].as_u64(), b["data"][0]["id"].as_str()), (Some(1), Some(staging.as_str())));

    let (st, b) = s.send("POST", "/tags", json!({"name": "PRODUCTION"})).await;
    assert_eq!((st, b["error"]["field"].as_str()), (409, Some("name")), "duplicate names: {b}");
    let (st, b) = s.send("PATCH", &format!("/tags/{staging}"), json!({"name": "production"})).await;
    assert_eq!((st, b["error"]["field"].as_str()), (409, Some("name")), "{b}");

    let (st, b) = s.send("PUT", &format!("/tags/{prod}"), json!({"name": "prod", "color": "#0f0"})).await;
    assert_eq!(st, 200, "{b}");
    assert_eq!((b["data"]["name"].as_str(), b["data"]["color"].as_str()), (Some("prod"), Some("#0F0")));
    assert_eq!(b["data"]["description"], "", "PUT replaces the whole tag");
    let (st, b) = s.send("PATCH", &format!("/tags/{prod}"), json!({"description": "live traffic"})).await;
    assert_eq!(st, 200, "{b}");
    assert_eq!((b["data"]["name"].as_str(), b["data"]["description"].as_str()), (Some("prod"), Some("live traffic")));

    let (st, _) = s.send("DELETE", &format!("/tags/{prod}"), json!({})).await;
    assert_eq!(st, 200);
    for method in ["GET", "PUT", "PATCH", "DELETE"] {
        let (st, b) = s.send(method, &format!("/tags/{prod}"), json!({"name": "x"})).await;
        assert_eq!(st, 404, "{method}: {b}");
    }
}

#[tokio::test]
async fn tags_need_a_login() {
    let s = started_server().await;
    let id = create(&s, "/tags", json!({"name": "t"})).await;
    anonymous_is_refused(
        &s,
        &[
            ("GET", "/tags".into()),
            ("POST", "/tags".into()),
            ("GET", format!("/tags/{id}")),
            ("PUT", format!("/tags/{id}")),
            ("PATCH", format!("/tags/{id}")),
            ("DELETE", format!("/tags/{id}")),
        ],
    )
    .await;
    assert_eq!(s.get(&format!("/tags/{id}")).await.0, 200, "still there");
}

#[tokio::test]
async fn invalid_tags_are_refused_naming_the_field() {
    let s = started_server().await;
    for (body, field) in [
        (json!({"name": " "}), "name"),
        (json!({"name": "x".repeat(101)}), "name"),
        (json!({"name": "ok", "color": "blue"}), "color"),
        (json!({"name": "ok", "color": "#12345"}), "color"),
        (json!({"color": "#fff"}), "name"),
    ] {
        let (st, f) = refused(&s, "POST", "/tags", body.clone()).await;
        assert_eq!((st, f.as_str()), (400, field), "{body}");
    }
    let id = create(&s, "/tags", json!({"name": "ok"})).await;
    let (st, f) = refused(&s, "PATCH", &format!("/tags/{id}"), json!({"color": "#zzz"})).await;
    assert_eq!((st, f.as_str()), (400, "color"));
    assert_eq!(s.get("/tags").await.1["total"], 1, "nothing invalid was stored");
}

#[tokio::test]
async fn monitors_carry_tag_values_filter_by_tag_and_lose_deleted_tags() {
    let s = started_server().await;
    let env = create(&s, "/tags", json!({"name": "env", "color": "#22C55E"})).await;
    let team = create(&s, "/tags", json!({"name": "team"})).await;
    let mut body = http_monitor("tagged", "http://127.0.0.1:9/", 60);
    body["active"] = json!(false);
    body["tags"] = json!([{"tag_id": env, "value": "prod"}, {"tag_id": env, "value": "eu"}, {"tag_id": team}]);
    let a = s.create_monitor(body).await;
    let mut plain = http_monitor("peekaping client", "http://127.0.0.1:9/", 60);
    plain["active"] = json!(false);
    plain["tag_ids"] = json!([team]);
    let b = s.create_monitor(plain).await;

    let m = s.monitor(&a).await;
    let mut tags: Vec<(String, String, String)> = m["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap().into(),
                t["value"].as_str().unwrap().into(),
                t["color"].as_str().unwrap().into(),
            )
        })
        .collect();
    tags.sort();
    assert_eq!(
        tags,
        vec![
            ("env".into(), "eu".into(), "#22C55E".into()),
            ("env".into(), "prod".into(), "#22C55E".into()),
            ("team".into(), "".into(), "#3B82F6".into())
        ]
    );
    assert_eq!(m["tag_ids"].as_array().unwrap().len(), 2);

    // A Peekaping client sending only tag_ids keeps the values of the tags it keeps.
    let (st, r) = s.send("PATCH", &format!("/monitors/{a}"), json!({"tag_ids": [env]})).await;
    assert_eq!(st, 200, "{r}");
    let values: Vec<&str> =
        r["data"]["tags"].as_array().unwrap().iter().map(|t| t["value"].as_str().unwrap()).collect();
    assert_eq!((values.len(), values.contains(&"prod")), (2, true), "{r}");

    let (_, l) = s.get(&format!("/monitors?tag_ids={team}")).await;
    assert_eq!((l["total"].as_u64(), l["data"][0]["id"].as_str()), (Some(1), Some(b.as_str())), "{l}");
    let (_, l) = s.get(&format!("/monitors?tag_ids={env},{team}")).await;
    assert_eq!(l["total"], 2, "{l}");

    let (st, f) = refused(&s, "PATCH", &format!("/monitors/{a}"), json!({"tags": [{"tag_id": "nope"}]})).await;
    assert_eq!((st, f.as_str()), (400, "tags"));
    let (st, f) = refused(&s, "PATCH", &format!("/monitors/{a}"), json!({"tag_ids": [team, "nope"]})).await;
    assert_eq!((st, f.as_str()), (400, "tag_ids"), "a Peekaping client hears about its own field");
    let (st, f) =
        refused(&s, "PATCH", &format!("/monitors/{a}"), json!({"tags": [{"tag_id": env, "value": "v".repeat(256)}]}))
            .await;
    assert_eq!((st, f.as_str()), (400, "tags"));

    assert_eq!(s.send("DELETE", &format!("/tags/{env}"), json!({})).await.0, 200);
    let m = s.monitor(&a).await;
    assert_eq!((m["tags"].as_array().unwrap().len(), m["tag_ids"].as_array().unwrap().len()), (0, 0), "{m}");
    let (_, l) = s.get(&format!("/monitors?tag_ids={env}")).await;
    assert_eq!(l["total"], 0);
}

// --- maintenances --------------------------------------------------------------------

fn weekly(monitor_ids: &[&str]) -> Value {
    json!({"title": "Weekly patching", "strategy": "recurring-weekday", "weekdays": [0, 6],
        "start_time": "23:00", "end_time": "01:00", "timezone": "Europe/Berlin", "monitor_ids": monitor_ids})
}

#[tokio::test]
async fn maintenances_are_created_listed_edited_paused_and_deleted() {
    let s = started_server().await;
    let mut body = http_monitor("covered", "http://127.0.0.1:9/", 60);
    body["active"] = json!(false);
    let mon = s.create_monitor(body).await;

    let (st, b) = s.send("POST", "/maintenances", weekly(&[&mon])).await;
    assert_eq!(st, 201, "{b}");
    let id = b["data"]["id"].as_str().unwrap().to_string();
    assert_eq!(b["data"]["status"], "scheduled");
    assert_eq!(b["data"]["next_windows"].as_array().unwrap().len(), 5, "{b}");
    assert_eq!(b["data"]["monitor_ids"], json!([mon]));
    assert_eq!((b["data"]["start_time"].as_str(), b["data"]["active"].as_bool()), (Some("23:00"), Some(true)));

    let dom = create(
        &s,
        "/maintenances",
        json!({"title": "Month end", "strategy": "recurring-day-of-month", "days_of_month": [15, "lastDay1"],
            "start_time": "22:00", "end_time": "23:00", "timezone": "America/New_York"}),
    )
    .await;
    let (_, b) = s.get(&format!("/maintenances/{dom}")).await;
    assert_eq!(b["data"]["days_of_month"], json!([15, "lastDay1"]), "{b}");
    create(&s, "/maintenances", json!({"title": "Reboots", "strategy": "cron", "cron": "0 4 * * 1", "duration": 30}))
        .await;
    create(
        &s,
        "/maintenances",
        json!({"title": "Move", "strategy": "single", "start_date_time": "2020-01-01T10:00",
            "end_date_time": "2020-01-01T12:00"}),
    )
    .await;
    let (_, b) = s.get("/maintenances?strategy=single").await;
    assert_eq!((b["total"].as_u64(), b["data"][0]["status"].as_str()), (Some(1), Some("ended")), "{b}");
    let (_, b) = s.get("/maintenances?q=month&limit=5&page=0").await;
    assert_eq!((b["total"].as_u64(), b["data"][0]["id"].as_str()), (Some(1), Some(dom.as_str())));
    let (_, b) = s.get("/maintenances").await;
    assert_eq!(b["total"], 4);

    let mut put = weekly(&[]);
    put["title"] = json!("Renamed");
    let (st, b) = s.send("PUT", &format!("/maintenances/{id}"), put).await;
    assert_eq!((st, b["data"]["title"].as_str(), b["data"]["monitor_ids"].clone()), (200, Some("Renamed"), json!([])));
    let (st, b) =
        s.send("PATCH", &format!("/maintenances/{id}"), json!({"monitor_ids": [mon], "end_time": "02:00"})).await;
    assert_eq!(st, 200, "{b}");
    assert_eq!((b["data"]["end_time"].as_str(), b["data"]["weekdays"].clone()), (Some("02:00"), json!([0, 6])));

    let (st, b) = s.send("PATCH", &format!("/maintenances/{id}/pause"), json!({})).await;
    assert_eq!((st, b["data"]["active"].as_bool(), b["data"]["status"].as_str()), (200, Some(false), Some("inactive")));
    assert!(b["data"]["next_windows"].as_array().unwrap().is_empty());
    let (st, b) = s.send("PATCH", &format!("/maintenances/{id}/resume"), json!({})).await;
    assert_eq!((st, b["data"]["active"].as_bool()), (200, Some(true)));

    assert_eq!(s.send("DELETE", &format!("/maintenances/{id}"), json!({})).await.0, 200);
    for (method, path) in [
        ("GET", format!("/maintenances/{id}")),
        ("PATCH", format!("/maintenances/{id}")),
        ("PATCH", format!("/maintenances/{id}/pause")),
        ("PATCH", format!("/maintenances/{id}/resume")),
        ("DELETE", format!("/maintenances/{id}")),
    ] {
        assert_eq!(s.send(method, &path, json!({})).await.0, 404, "{method} {path}");
    }
}

#[tokio::test]
async fn maintenances_need_a_login() {
    let s = started_server().await;
    let id = create(&s, "/maintenances", json!({"title": "m", "strategy": "manual", "active": false})).await;
    anonymous_is_refused(
        &s,
        &[
            ("GET", "/maintenances".into()),
            ("POST", "/maintenances".into()),
            ("POST", "/maintenances/preview".into()),
            ("GET", format!("/maintenances/{id}")),
            ("PUT", format!("/maintenances/{id}")),
            ("PATCH", format!("/maintenances/{id}")),
            ("PATCH", format!("/maintenances/{id}/pause")),
            ("PATCH", format!("/maintenances/{id}/resume")),
            ("DELETE", format!("/maintenances/{id}")),
        ],
    )
    .await;
}

#[tokio::test]
async fn invalid_maintenances_are_refused_naming_the_field() {
    let s = started_server().await;
    let cases = [
        (json!({"title": "", "strategy": "manual"}), "title"),
        (json!({"title": "x", "strategy": "sometimes"}), "strategy"),
        (json!({"title": "x", "strategy": "manual", "timezone": "Europe/Atlantis"}), "timezone"),
        (json!({"title": "x", "strategy": "single", "start_date_time": "2025-01-01T10:00"}), "end_date_time"),
        (
            json!({"title": "x", "strategy": "single", "start_date_time": "soon", "end_date_time": "2025-01-01T10:00"}),
            "start_date_time",
        ),
        (json!({"title": "x", "strategy": "cron", "cron": "every day", "duration": 5}), "cron"),
        (json!({"title": "x", "strategy": "cron", "cron": "0 3 * * *"}), "duration"),
        (
            json!({"title": "x", "strategy": "recurring-weekday", "weekdays": [9], "start_time": "01:00", "end_time": "02:00"}),
            "weekdays",
        ),
        (
            json!({"title": "x", "strategy": "recurring-weekday", "weekdays": [1], "start_time": "1am", "end_time": "02:00"}),
            "start_time",
        ),
        (
            json!({"title": "x", "strategy": "recurring-day-of-month", "days_of_month": ["lastDay9"], "start_time": "01:00", "end_time": "02:00"}),
            "days_of_month",
        ),
        (
            json!({"title": "x", "strategy": "recurring-day-of-month", "days_of_month": [true], "start_time": "01:00", "end_time": "02:00"}),
            "days_of_month",
        ),
        (
            json!({"title": "x", "strategy": "recurring-interval", "start_time": "01:00", "end_time": "02:00", "start_date_time": "2025-01-01T00:00"}),
            "interval_day",
        ),
        (json!({"title": "x", "strategy": "manual", "monitor_ids": ["no-such-monitor"]}), "monitor_ids"),
        (json!({"title": "x", "strategy": "manual", "weekdays": "monday"}), "weekdays"),
        (json!({"strategy": "manual"}), "title"),
    ];
    for (body, field) in cases {
        let (st, f) = refused(&s, "POST", "/maintenances", body.clone()).await;
        assert_eq!((st, f.as_str()), (400, field), "{body}");
        if field != "monitor_ids" {
            let (st, f) = refused(&s, "POST", "/maintenances/preview", body.clone()).await;
            assert_eq!((st, f.as_str()), (400, field), "preview {body}");
        }
    }
    let id = create(&s, "/maintenances", json!({"title": "ok", "strategy": "manual", "active": false})).await;
    let (st, f) = refused(&s, "PATCH", &format!("/maintenances/{id}"), json!({"strategy": "cron"})).await;
    assert_eq!((st, f.as_str()), (400, "cron"));
    let (st, f) = refused(&s, "GET", "/maintenances?strategy=weekly", json!({})).await;
    assert_eq!((st, f.as_str()), (400, "strategy"));
    assert_eq!(s.get("/maintenances").await.1["total"], 1, "nothing invalid was stored");
}

#[tokio::test]
async fn preview_lists_the_next_windows_of_an_unsaved_form() {
    let s = started_server().await;
    let (st, b) = s
        .send(
            "POST",
            "/maintenances/preview",
            json!({"title": "x", "strategy": "recurring-day-of-month", "days_of_month": ["lastDay1"],
                "start_time": "22:00", "end_time": "23:00", "timezone": "UTC"}),
        )
        .await;
    assert_eq!(st, 200, "{b}");
    let windows = b["data"]["next_windows"].as_array().unwrap();
    assert_eq!(windows.len(), 5);
    for w in windows {
        let start = chrono::DateTime::parse_from_rfc3339(w["start"].as_str().unwrap()).unwrap();
        let next_day = start + chrono::Duration::days(1);
        assert_eq!(chrono::Datelike::day(&next_day), 1, "{w} is on the last day of its month");
        assert!(w["start"].as_str().unwrap().contains("T22:00:00"), "{w}");
    }
    assert_eq!(s.get("/maintenances").await.1["total"], 0, "a preview stores nothing");
}

// --- runtime -------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_monitor_in_maintenance_is_not_checked_or_notified_and_notifies_down_after() {
    let s = started_server().await;
    let target = HttpTarget::start().await;
    let hook = Receiver::start().await;
    let channel = create(
        &s,
        "/notification-channels",
        json!({"name": "hook", "type": "webhook", "config": json!({"webhook_url": hook.url("/hook")}).to_string()}),
    )
    .await;
    let mut body = http_monitor("maintained", &target.url(), 1);
    body["notification_ids"] = json!([channel]);
    let mon = s.create_monitor(body).await;
    wait_beat(&s, &mon, 1).await;
    hook.wait_for(1, Duration::from_secs(20)).await; // the first beat's UP notice

    let maint = create(&s, "/maintenances", json!({"title": "now", "strategy": "manual", "monitor_ids": [mon]})).await;
    let msg = wait_beat(&s, &mon, 3).await;
    assert_eq!(msg, "Under maintenance");
    // The target goes down during maintenance: nobody looks, nobody is told.
    target.set_status(500);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let hits = target.hits.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(target.hits.load(Ordering::SeqCst), hits, "no request reaches the target during maintenance");
    let beats = s.heartbeats(&mon, 3).await;
    assert!(beats.len() == 3 && beats.iter().all(|b| b["status"] == 3), "{beats:?}");
    assert_eq!(s.monitor(&mon).await["status"], 3);
    assert_eq!(hook.requests().len(), 1, "no notice during maintenance: {:?}", hook.requests());

    // Pausing the maintenance resumes the checks; leaving maintenance into DOWN notifies.
    let (st, _) = s.send("PATCH", &format!("/maintenances/{maint}/pause"), json!({})).await;
    assert_eq!(st, 200);
    wait_beat(&s, &mon, 0).await;
    assert!(target.hits.load(Ordering::SeqCst) > hits, "checks run again");
    let got = hook.wait_for(2, Duration::from_secs(20)).await;
    let notice = got[1].text().to_lowercase();
    assert!(notice.contains("down"), "{notice}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recurring_window_that_is_on_now_puts_its_monitors_in_maintenance() {
    let s = started_server().await;
    let target = HttpTarget::start().await;
    let mon = s.create_monitor(http_monitor("nightly", &target.url(), 1)).await;
    wait_beat(&s, &mon, 1).await;
    // Every day, all day long except one minute, in a far-off zone: on now whatever the time.
    let now = chrono::Utc::now().with_timezone(&chrono_tz::Pacific::Kiritimati);
    let end = (now - chrono::Duration::minutes(2)).format("%H:%M").to_string();
    let start = (now - chrono::Duration::minutes(1)).format("%H:%M").to_string();
    let id = create(
        &s,
        "/maintenances",
        json!({"title": "all day", "strategy": "recurring-weekday", "weekdays": [0,1,2,3,4,5,6],
            "start_time": start, "end_time": end, "timezone": "Pacific/Kiritimati", "monitor_ids": [mon]}),
    )
    .await;
    let (_, b) = s.get(&format!("/maintenances/{id}")).await;
    assert_eq!(b["data"]["status"], "under-maintenance", "{b}");
    wait_beat(&s, &mon, 3).await;
    assert_eq!(s.send("DELETE", &format!("/maintenances/{id}"), json!({})).await.0, 200);
    wait_beat(&s, &mon, 1).await;
}

// --- hostile input ---------------------------------------------------------------------

/// Every field of a valid body replaced by values of the wrong type, out of range, huge or
/// odd: the answer is a 2xx or a 4xx naming a field, never a 5xx, and always quick.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_bodies_never_cause_a_server_error() {
    let s = started_server().await;
    let tag = create(&s, "/tags", json!({"name": "base"})).await;
    let maint = create(&s, "/maintenances", json!({"title": "base", "strategy": "manual", "active": false})).await;
    let odd = [
        json!(null),
        json!(-1),
        json!(1e20),
        json!(4294967295u64),
        json!("x".repeat(20_000)),
        json!([]),
        json!({}),
        json!(true),
        json!(""),
        json!("💥\u{0}"),
        json!(["lastDay1", 0, 32, "31"]),
        json!("9999-12-31T23:59"),
        json!("0000-01-01T00:00"),
        json!("0 0 31 2 *"),
        json!("0 0 29 2 1"),
        json!("* * * * * *"),
        json!("@yearly"),
    ];
    let bodies: Vec<(&str, Value)> = vec![
        ("/tags", json!({"name": "n", "color": "#fff", "description": "d"})),
        (
            "/maintenances",
            json!({"title": "t", "strategy": "cron", "cron": "0 3 * * *", "duration": 30,
            "timezone": "UTC", "start_date_time": "2025-01-01T00:00", "end_date_time": "2030-01-01T00:00"}),
        ),
        (
            "/maintenances",
            json!({"title": "t", "strategy": "recurring-day-of-month", "days_of_month": [31],
            "start_time": "23:59", "end_time": "00:00", "timezone": "Pacific/Apia", "interval_day": 7,
            "start_date_time": "2025-01-01T00:00", "weekdays": [0]}),
        ),
        (
            "/maintenances",
            json!({"title": "t", "strategy": "recurring-interval", "interval_day": 3650,
            "start_time": "02:30", "end_time": "02:00", "timezone": "Europe/Berlin", "start_date_time": "2025-03-30T00:00"}),
        ),
    ];
    for (path, body) in bodies {
        let fields: Vec<String> = body.as_object().unwrap().keys().cloned().collect();
        for field in fields {
            for value in &odd {
                let mut b = body.clone();
                b[&field] = value.clone();
                let id = if path == "/tags" { &tag } else { &maint };
                let mut calls = vec![
                    ("POST", path.to_string()),
                    ("PUT", format!("{path}/{id}")),
                    ("PATCH", format!("{path}/{id}")),
                ];
                if path == "/maintenances" {
                    calls.push(("POST", "/maintenances/preview".into()));
                }
                for (method, url) in calls {
                    let started = std::time::Instant::now();
                    let (st, r) = s.send(method, &url, b.clone()).await;
                    assert!(st < 500, "{method} {url} {field}={value}: {st} {r}");
                    assert!(
                        started.elapsed() < Duration::from_secs(2),
                        "{method} {url} {field}={value} took {:?}",
                        started.elapsed()
                    );
                    if st >= 400 && st != 404 {
                        assert!(r["error"]["field"].is_string(), "{method} {url} {field}={value}: {st} {r}");
                    }
                }
            }
        }
    }
    let (st, _) = s.get(&format!("/maintenances/{maint}")).await;
    assert_eq!(st, 200, "whatever was stored can be read back");
    let (st, _) = s.get("/maintenances").await;
    assert_eq!(st, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_in_maintenance_covers_its_members() {
    let s = started_server().await;
    let target = HttpTarget::start().await;
    let group = s.create_monitor(json!({"type": "group", "name": "backend", "interval": 1, "timeout": 1})).await;
    let mut member = http_monitor("member", &target.url(), 1);
    member["parent_id"] = json!(group);
    let member = s.create_monitor(member).await;
    let outsider = s.create_monitor(http_monitor("outsider", &target.url(), 1)).await;
    wait_beat(&s, &member, 1).await;
    create(&s, "/maintenances", json!({"title": "group", "strategy": "manual", "monitor_ids": [group]})).await;
    wait_beat(&s, &group, 3).await;
    wait_beat(&s, &member, 3).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(s.heartbeats(&outsider, 1).await[0]["status"], 1, "monitors outside the group are checked as usual");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_during_maintenance_is_recorded_as_maintenance_and_notifies_nobody() {
    let s = started_server().await;
    let hook = Receiver::start().await;
    let channel = create(
        &s,
        "/notification-channels",
        json!({"name": "hook", "type": "webhook", "config": json!({"webhook_url": hook.url("/hook")}).to_string()}),
    )
    .await;
    let (st, b) = s
        .send(
            "POST",
            "/monitors",
            json!({"type": "push", "name": "nightly job", "interval": 3600, "timeout": 10, "push_token": "push-maint-1",
                "notification_ids": [channel]}),
        )
        .await;
    assert_eq!(st, 201, "{b}");
    let mon = b["data"]["id"].as_str().unwrap().to_string();
    let push = |status: &str| s.http.get(s.url(&format!("/push/push-maint-1?status={status}&msg=job"))).send();
    assert_eq!(push("up").await.unwrap().status().as_u16(), 200);
    wait_beat(&s, &mon, 1).await;
    hook.wait_for(1, Duration::from_secs(20)).await;

    create(&s, "/maintenances", json!({"title": "m", "strategy": "manual", "monitor_ids": [mon]})).await;
    assert_eq!(push("down").await.unwrap().status().as_u16(), 200);
    let msg = wait_beat(&s, &mon, 3).await;
    assert!(msg.contains("Under maintenance"), "{msg}");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(hook.requests().len(), 1, "no notice for a failing job during maintenance");
}

//! Providers Google Chat, Signal, Mattermost, Matrix, WeCom, WhatsApp (WAHA), PagerDuty,
//! Opsgenie, Grafana OnCall, ntfy and Gotify against the real binary: each test sends
//! through `POST /notification-channels/test` to a local `Receiver` standing in for the
//! provider and asserts the exact request its public API documents; the incident tools
//! also go DOWN then UP through a real monitor and must trigger then resolve the same
//! incident; and bad configs are 400s naming the field.

mod support;

use std::time::Duration;

use serde_json::{Value, json};
use support::{HttpTarget, Receiver, Server, http_monitor};

const WAIT: Duration = Duration::from_secs(30);
const TEST_TEXT: &str = "🔔 Test notification from Peekaping\nIf you can read this, the channel works.";

async fn started() -> Server {
    let mut s = Server::start(&[]).await;
    s.register().await;
    s
}

/// Sends a test notice through an unsaved channel of `kind`; panics unless it is delivered.
async fn send_test(s: &Server, kind: &str, config: Value) {
    let body = json!({"name": "t", "type": kind, "config": config.to_string()});
    let (status, b) = s.send("POST", "/notification-channels/test", body).await;
    assert_eq!(status, 200, "{b}");
}

/// The 400 for an unsaved channel's config, as `(field, message)`.
async fn rejected(s: &Server, kind: &str, config: Value) -> (String, String) {
    let body = json!({"name": "t", "type": kind, "config": config.to_string()});
    let (status, b) = s.send("POST", "/notification-channels", body).await;
    assert_eq!(status, 400, "{b}");
    (b["error"]["field"].as_str().unwrap_or_default().to_string(), b["message"].to_string())
}

async fn create_channel(s: &Server, kind: &str, config: Value) -> String {
    let body = json!({"name": kind, "type": kind, "config": config.to_string()});
    let (status, b) = s.send("POST", "/notification-channels", body).await;
    assert_eq!(status, 201, "{b}");
    b["data"]["id"].as_str().unwrap().to_string()
}

/// An HTTP monitor "Shop" checked every second on a target answering 500, notifying
/// `channels`; `set_status(200)` on the returned target brings it back UP.
async fn failing_monitor(s: &Server, channels: &[&str]) -> (HttpTarget, String) {
    let target = HttpTarget::start().await;
    target.set_status(500);
    let mut body = http_monitor("Shop", &target.url(), 1);
    body["notification_ids"] = json!(channels);
    let id = s.create_monitor(body).await;
    (target, id)
}

fn is_json(r: &support::Received) -> bool {
    r.header("content-type").is_some_and(|c| c.starts_with("application/json"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn google_chat_posts_text_to_the_space_webhook() {
    let s = started().await;
    let r = Receiver::start().await;
    send_test(&s, "google_chat", json!({"webhook_url": r.url("/v1/spaces/AAA/messages?key=K&token=T")})).await;
    let got = r.wait_for(1, WAIT).await;
    assert_eq!((got[0].method.as_str(), got[0].path.as_str()), ("POST", "/v1/spaces/AAA/messages?key=K&token=T"));
    assert!(is_json(&got[0]), "{:?}", got[0].headers);
    assert_eq!(got[0].json(), json!({"text": TEST_TEXT}));

    assert_eq!(rejected(&s, "google_chat", json!({})).await.0, "config.webhook_url");
    assert_eq!(
        rejected(&s, "google_chat", json!({"webhook_url": "chat.googleapis.com"})).await.0,
        "config.webhook_url"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signal_sends_through_the_rest_gateway() {
    let s = started().await;
    let r = Receiver::start().await;
    r.reply(201, "{\"timestamp\":\"1700000000000\"}");
    send_test(
        &s,
        "signal",
        json!({"signal_url": r.url("/signal/"), "signal_number": "+4911111",
            "signal_recipients": "+4922222, group.Z3JvdXA=", "custom_message": "{{ name }}: {{ msg }}"}),
    )
    .await;
    let got = r.wait_for(1, WAIT).await;
    assert_eq!((got[0].method.as_str(), got[0].path.as_str()), ("POST", "/signal/v2/send"));
    assert!(is_json(&got[0]));
    assert_eq!(
        got[0].json(),
        json!({"message": "Peekaping: Test notification", "number": "+4911111",
            "recipients": ["+4922222", "group.Z3JvdXA="]})
    );

    // Peekaping's form holds the whole endpoint: used as it is.
    send_test(&s, "signal", json!({"signal_url": r.url("/v2/send"), "signal_number": "+1", "signal_recipients": "+2"}))
        .await;
    let got = r.wait_for(2, WAIT).await;
    assert_eq!(got[1].path, "/v2/send");
    assert_eq!(got[1].json()["message"], TEST_TEXT);

    // The gateway's refusal is quoted.
    r.reply(400, "{\"error\":\"Invalid account (phone number)\"}");
    let body = json!({"name": "t", "type": "signal", "config": json!({"signal_url": r.url(""),
        "signal_number": "+1", "signal_recipients": "+2"}).to_string()});
    let (status, b) = s.send("POST", "/notification-channels/test", body).await;
    assert_eq!(status, 502, "{b}");
    assert!(b["message"].as_str().unwrap().contains("400 from Signal: {\"error\":\"Invalid account"), "{b}");

    let ok = json!({"signal_url": "http://gw:8080", "signal_number": "+1", "signal_recipients": "+2"});
    for (key, value, field) in [
        ("signal_url", json!(""), "config.signal_url"),
        ("signal_number", json!(" "), "config.signal_number"),
        ("signal_recipients", json!(" , "), "config.signal_recipients"),
        ("custom_message", json!("{{ name }"), "config.custom_message"),
    ] {
        let mut c = ok.clone();
        c[key] = value;
        assert_eq!(rejected(&s, "signal", c).await.0, field);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mattermost_posts_to_the_incoming_webhook_with_overrides() {
    let s = started().await;
    let r = Receiver::start().await;
    send_test(
        &s,
        "mattermost",
        json!({"webhook_url": r.url("/hooks/xyz"), "username": "peekaping", "channel": "town-square",
            "icon_url": "https://example.com/i.png", "icon_emoji": ":bell:", "use_template": "true",
            "template": "**{{ name }}** {{ msg }}"}),
    )
    .await;
    let got = r.wait_for(1, WAIT).await;
    assert_eq!((got[0].method.as_str(), got[0].path.as_str()), ("POST", "/hooks/xyz"));
    assert!(is_json(&got[0]));
    assert_eq!(
        got[0].json(),
        json!({"text": "**Peekaping** Test notification", "username": "peekaping", "channel": "town-square",
            "icon_url": "https://example.com/i.png", "icon_emoji": ":bell:"})
    );
    // Without a template: the default text and no empty overrides.
    send_test(&s, "mattermost", json!({"webhook_url": r.url("/hooks/abc"), "username": " "})).await;
    let got = r.wait_for(2, WAIT).await;
    assert_eq!(got[1].json(), json!({"text": TEST_TEXT}));

    assert_eq!(rejected(&s, "mattermost", json!({"username": "x"})).await.0, "config.webhook_url");
    assert_eq!(
        rejected(&s, "mattermost", json!({"webhook_url": "http://mm/hooks/x", "use_template": true})).await.0,
        "config.template"
    );
    assert_eq!(
        rejected(&s, "mattermost", json!({"webhook_url": "http://mm/hooks/x", "icon_url": "not a url"})).await.0,
        "config.icon_url"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn matrix_puts_a_room_message_with_the_bearer_token() {
    let s = started().await;
    let r = Receiver::start().await;
    r.reply(200, "{\"event_id\":\"$e1\"}");
    let config = json!({"homeserver_url": r.url("/"), "internal_room_id": "!room42:example.org",
        "access_token": "syt_secret", "custom_message": "{{ status_icon }} {{ msg }}"});
    send_test(&s, "matrix", config.clone()).await;
    send_test(&s, "matrix", config).await;
    let got = r.wait_for(2, WAIT).await;
    let prefix = "/_matrix/client/v3/rooms/%21room42%3Aexample.org/send/m.room.message/";
    for g in &got {
        assert_eq!(g.method, "PUT");
        assert!(g.path.starts_with(prefix), "{}", g.path);
        assert!(g.path.len() > prefix.len() && !g.path[prefix.len()..].contains(['/', '?']), "{}", g.path);
        assert_eq!(g.header("authorization"), Some("Bearer syt_secret"));
        assert!(is_json(g));
        assert_eq!(g.json(), json!({"msgtype": "m.text", "body": "🔔 Test notification"}));
    }
    assert_ne!(got[0].path, got[1].path, "two test sends are two transactions");

    // A refusal quotes the homeserver's errcode.
    r.reply(403, "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"User not in room\"}");
    let body = json!({"name": "t", "type": "matrix", "config": json!({"homeserver_url": r.url(""),
        "internal_room_id": "!r:x", "access_token": "t"}).to_string()});
    let (status, b) = s.send("POST", "/notification-channels/test", body).await;
    assert_eq!(status, 502, "{b}");
    assert!(b["message"].as_str().unwrap().contains("403 from Matrix: {\"errcode\":\"M_FORBIDDEN\""), "{b}");

    let ok = json!({"homeserver_url": "https://matrix.org", "internal_room_id": "!r:matrix.org", "access_token": "t"});
    for (key, value, field) in [
        ("homeserver_url", json!("matrix.org"), "config.homeserver_url"),
        ("internal_room_id", json!(""), "config.internal_room_id"),
        ("internal_room_id", json!("#ops:matrix.org"), "config.internal_room_id"),
        ("access_token", json!(""), "config.access_token"),
    ] {
        let mut c = ok.clone();
        c[key] = value;
        assert_eq!(rejected(&s, "matrix", c).await.0, field);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wecom_posts_a_text_message_and_reads_the_errcode() {
    let s = started().await;
    let r = Receiver::start().await;
    r.reply(200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
    send_test(&s, "wecom", json!({"webhook_url": r.url("/cgi-bin/webhook/send?key=abc-123")})).await;
    let got = r.wait_for(1, WAIT).await;
    assert_eq!((got[0].method.as_str(), got[0].path.as_str()), ("POST", "/cgi-bin/webhook/send?key=abc-123"));
    assert!(is_json(&got[0]));
    assert_eq!(got[0].json(), json!({"msgtype": "text", "text": {"content": TEST_TEXT}}));

    // WeCom says no with a 200 and an errcode: that is a failure, in its words.
    r.reply(200, "{\"errcode\":93000,\"errmsg\":\"invalid webhook url, hint: [1700000000_1_abc]\"}");
    let body = json!({"name": "t", "type": "wecom",
        "config": json!({"webhook_url": r.url("/cgi-bin/webhook/send?key=wrong")}).to_string()});
    let (status, b) = s.send("POST", "/notification-channels/test", body).await;
    assert_eq!(status, 502, "{b}");
    let m = b["message"].as_str().unwrap();
    assert!(m.contains("WeCom refused the message: invalid webhook url") && m.contains("errcode 93000"), "{m}");
    assert!(!m.contains("key=wrong"), "{m}");

    assert_eq!(rejected(&s, "wecom", json!({"webhook_url": ""})).await.0, "config.webhook_url");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whatsapp_sends_text_through_waha_with_the_api_key() {
    let s = started().await;
    let r = Receiver::start().await;
    r.reply(201, "{\"id\":\"true_4915112345678@c.us_AAA\"}");
    send_test(
        &s,
        "whatsapp",
        json!({"server_url": r.url("/waha/"), "api_key": "waha-key", "phone_number": "+49 151 1234-5678",
            "session": "default", "custom_message": "{{ name }} says {{ msg }}"}),
    )
    .await;
    let got = r.wait_for(1, WAIT).await;
    assert_eq!((got[0].method.as_str(), got[0].path.as_str()), ("POST", "/waha/api/sendText"));
    assert_eq!(got[0].header("x-api-key"), Some("waha-key"));
    assert!(is_json(&got[0]));
    assert_eq!(
        got[0].json(),
        json!({"chatId": "4915112345678@c.us", "text": "Peekaping says Test notification", "session": "default"})
    );
    // use_template wins over custom_message; no key, no header.
    send_test(
        &s,
        "whatsapp",
        json!({"server_url": r.url(""), "phone_number": "4915112345678", "session": "ops",
            "use_template": true, "template": "T: {{ msg }}", "custom_message": "C: {{ msg }}"}),
    )
    .await;
    let got = r.wait_for(2, WAIT).await;
    assert_eq!(got[1].header("x-api-key"), None);
    assert_eq!(
        got[1].json(),
        json!({"chatId": "4915112345678@c.us", "text": "T: Test notification", "session": "ops"})
    );

    let ok = json!({"server_url": "http://waha:3000", "phone_number": "4915112345678", "session": "default"});
    for (key, value, field) in [
        ("server_url", json!(""), "config.server_url"),
        ("phone_number", json!(""), "config.phone_number"),
        ("phone_number", json!("call me"), "config.phone_number"),
        ("session", json!(""), "config.session"),
        ("custom_message", json!("{% if %}"), "config.custom_message"),
    ] {
        let mut c = ok.clone();
        c[key] = value;
        assert_eq!(rejected(&s, "whatsapp", c).await.0, field);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pagerduty_triggers_with_the_mapped_severity() {
    let s = started().await;
    let r = Receiver::start().await;
    r.reply(202, "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"peekaping-test\"}");
    send_test(
        &s,
        "pagerduty",
        json!({"pagerduty_integration_key": "R0UTING", "pagerduty_integration_url": r.url("/v2/enqueue"),
            "pagerduty_priority": "high", "pagerduty_auto_resolve": true}),
    )
    .await;
    let got = r.wait_for(1, WAIT).await;
    assert_eq!((got[0].method.as_str(), got[0].path.as_str()), ("POST", "/v2/enqueue"));
    assert!(is_json(&got[0]));
    assert_eq!(
        got[0].json(),
        json!({"routing_key": "R0UTING", "event_action": "trigger", "dedup_key": "peekaping-test",
            "client": "Peekaping", "payload": {"summary": "🔔 Test notification from Peekaping",
            "source": "Peekaping", "severity": "error", "component": "Peekaping",
            "custom_details": {"message": TEST_TEXT}}})
    );

    let ok = json!({"pagerduty_integration_key": "k"});
    for (key, value, field) in [
        ("pagerduty_integration_key", json!(""), "config.pagerduty_integration_key"),
        ("pagerduty_integration_url", json!("events.pagerduty.com"), "config.pagerduty_integration_url"),
        ("pagerduty_priority", json!("urgent"), "config.pagerduty_priority"),
    ] {
        let mut c = ok.clone();
        c[key] = value;
        assert_eq!(rejected(&s, "pagerduty", c).await.0, field);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pagerduty_resolves_the_incident_on_recovery_only_with_auto_resolve() {
    let s = started().await;
    let (auto, manual) = (Receiver::start().await, Receiver::start().await);
    let a = create_channel(
        &s,
        "pagerduty",
        json!({"pagerduty_integration_key": "KEY-A", "pagerduty_integration_url": auto.url("/v2/enqueue"),
            "pagerduty_auto_resolve": "true"}),
    )
    .await;
    let b = create_channel(
        &s,
        "pagerduty",
        json!({"pagerduty_integration_key": "KEY-B", "pagerduty_integration_url": manual.url("/v2/enqueue"),
            "pagerduty_auto_resolve": false}),
    )
    .await;
    let (target, id) = failing_monitor(&s, &[&a, &b]).await;
    let dedup = format!("peekaping-{id}");

    let got = auto.wait_for(1, WAIT).await;
    let j = got[0].json();
    assert_eq!(
        (&j["event_action"], &j["dedup_key"], &j["routing_key"]),
        (&json!("trigger"), &json!(dedup), &json!("KEY-A"))
    );
    assert_eq!(j["payload"]["severity"], "critical", "a DOWN is critical when no priority is set");
    assert_eq!(j["payload"]["source"], target.url());
    assert_eq!(j["payload"]["component"], "Shop");
    assert!(j["payload"]["summary"].as_str().unwrap().starts_with("🔴 Shop is DOWN"), "{j}");
    assert!(j["payload"]["custom_details"]["message"].as_str().unwrap().contains("500"), "{j}");
    assert_eq!(manual.wait_for(1, WAIT).await[0].json()["dedup_key"], dedup.as_str());

    target.set_status(200);
    let got = auto.wait_for(2, WAIT).await;
    assert_eq!(got[1].path, "/v2/enqueue");
    assert_eq!(got[1].json(), json!({"routing_key": "KEY-A", "event_action": "resolve", "dedup_key": dedup}));
    s.wait_status(&id, 1, WAIT).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(manual.requests().len(), 1, "no resolve without auto-resolve: {:?}", manual.requests());
    assert_eq!(auto.requests().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opsgenie_creates_an_alert_with_the_genie_key() {
    let s = started().await;
    let r = Receiver::start().await;
    r.reply(202, "{\"result\":\"Request will be processed\",\"took\":0.2,\"requestId\":\"43a29c5c\"}");
    send_test(&s, "opsgenie", json!({"region": "eu", "api_key": "og-key", "priority": 2, "api_url": r.url("")})).await;
    let got = r.wait_for(1, WAIT).await;
    assert_eq!((got[0].method.as_str(), got[0].path.as_str()), ("POST", "/v2/alerts"));
    assert_eq!(got[0].header("authorization"), Some("GenieKey og-key"));
    assert!(is_json(&got[0]));
    assert_eq!(
        got[0].json(),
        json!({"message": "🔔 Test notification from Peekaping", "alias": "peekaping-test",
            "description": TEST_TEXT, "source": "Peekaping", "entity": "Peekaping", "priority": "P2"})
    );
    // A refusal quotes Opsgenie.
    r.reply(422, "{\"message\":\"Request body is not processable\",\"took\":0.0}");
    let body = json!({"name": "t", "type": "opsgenie",
        "config": json!({"region": "us", "api_key": "k", "api_url": r.url("/")}).to_string()});
    let (status, b) = s.send("POST", "/notification-channels/test", body).await;
    assert_eq!(status, 502, "{b}");
    assert!(b["message"].as_str().unwrap().contains("422 from Opsgenie: {\"message\":\"Request body"), "{b}");

    let ok = json!({"region": "us", "api_key": "k"});
    for (key, value, field) in [
        ("region", json!("asia"), "config.region"),
        ("api_key", json!(""), "config.api_key"),
        ("priority", json!(6), "config.priority"),
        ("priority", json!("urgent"), "config.priority"),
        ("api_url", json!("api.opsgenie.com"), "config.api_url"),
    ] {
        let mut c = ok.clone();
        c[key] = value;
        assert_eq!(rejected(&s, "opsgenie", c).await.0, field);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opsgenie_closes_the_alert_by_alias_on_recovery() {
    let s = started().await;
    let r = Receiver::start().await;
    let ch = create_channel(
        &s,
        "opsgenie",
        json!({"region": "us", "api_key": "og-key", "priority": "1",
        "api_url": r.url("/")}),
    )
    .await;
    let (target, id) = failing_monitor(&s, &[&ch]).await;
    let alias = format!("peekaping-{id}");

    let got = r.wait_for(1, WAIT).await;
    assert_eq!(got[0].path, "/v2/alerts");
    let j = got[0].json();
    assert_eq!((&j["alias"], &j["priority"], &j["entity"]), (&json!(alias), &json!("P1"), &json!("Shop")));
    assert!(j["message"].as_str().unwrap().starts_with("🔴 Shop is DOWN"), "{j}");

    target.set_status(200);
    let got = r.wait_for(2, WAIT).await;
    assert_eq!(got[1].method, "POST");
    assert_eq!(got[1].path, format!("/v2/alerts/{alias}/close?identifierType=alias"));
    assert_eq!(got[1].header("authorization"), Some("GenieKey og-key"));
    assert!(is_json(&got[1]));
    let j = got[1].json();
    assert_eq!(j["source"], "Peekaping");
    assert!(j["note"].as_str().unwrap().starts_with("✅ Shop is UP"), "{j}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grafana_oncall_alerts_then_resolves_the_same_alert_uid() {
    let s = started().await;
    let r = Receiver::start().await;
    send_test(&s, "grafana_oncall", json!({"grafana_oncall_url": r.url("/integrations/v1/formatted_webhook/TOK/")}))
        .await;
    let got = r.wait_for(1, WAIT).await;
    assert_eq!((got[0].method.as_str(), got[0].path.as_str()), ("POST", "/integrations/v1/formatted_webhook/TOK/"));
    assert!(is_json(&got[0]));
    assert_eq!(
        got[0].json(),
        json!({"alert_uid": "peekaping-test", "title": "🔔 Test notification from Peekaping",
            "state": "alerting", "message": TEST_TEXT})
    );

    let ch = create_channel(
        &s,
        "grafana_oncall",
        json!({"grafana_oncall_url": r.url("/integrations/v1/formatted_webhook/TOK/")}),
    )
    .await;
    let (target, id) = failing_monitor(&s, &[&ch]).await;
    let got = r.wait_for(2, WAIT).await;
    let j = got[1].json();
    assert_eq!((&j["alert_uid"], &j["state"]), (&json!(format!("peekaping-{id}")), &json!("alerting")));
    assert!(j["title"].as_str().unwrap().starts_with("🔴 Shop is DOWN"), "{j}");
    target.set_status(200);
    let got = r.wait_for(3, WAIT).await;
    assert_eq!(got[2].path, "/integrations/v1/formatted_webhook/TOK/");
    let j = got[2].json();
    assert_eq!((&j["alert_uid"], &j["state"]), (&json!(format!("peekaping-{id}")), &json!("ok")));
    assert!(j["message"].as_str().unwrap().starts_with("✅ Shop is UP"), "{j}");

    assert_eq!(rejected(&s, "grafana_oncall", json!({})).await.0, "config.grafana_oncall_url");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ntfy_publishes_json_with_basic_or_token_auth() {
    let s = started().await;
    let r = Receiver::start().await;
    send_test(
        &s,
        "ntfy",
        json!({"server_url": r.url("/"), "topic": "uptime_alerts", "authentication_type": "basic",
            "username": "alice", "password": "s3cret", "priority": "5", "tags": "warning, skull"}),
    )
    .await;
    let got = r.wait_for(1, WAIT).await;
    assert_eq!((got[0].method.as_str(), got[0].path.as_str()), ("POST", "/"));
    assert_eq!(got[0].header("authorization"), Some("Basic YWxpY2U6czNjcmV0"));
    assert!(is_json(&got[0]));
    assert_eq!(
        got[0].json(),
        json!({"topic": "uptime_alerts", "title": "🔔 Test notification from Peekaping",
            "message": "If you can read this, the channel works.", "tags": ["warning", "skull"], "priority": 5})
    );

    send_test(
        &s,
        "ntfy",
        json!({"server_url": r.url(""), "topic": "ops", "authentication_type": "token", "token": "tk_abc",
            "title": "Peekaping alert", "custom_message": "{{ status_icon }} {{ msg }}"}),
    )
    .await;
    let got = r.wait_for(2, WAIT).await;
    assert_eq!(got[1].header("authorization"), Some("Bearer tk_abc"));
    assert_eq!(got[1].json(), json!({"topic": "ops", "title": "Peekaping alert", "message": "🔔 Test notification"}));

    send_test(&s, "ntfy", json!({"server_url": r.url("/"), "topic": "ops", "authentication_type": "none"})).await;
    let got = r.wait_for(3, WAIT).await;
    assert_eq!(got[2].header("authorization"), None);

    let ok = json!({"server_url": "https://ntfy.sh", "topic": "ops", "authentication_type": "none"});
    for (key, value, field) in [
        ("server_url", json!(""), "config.server_url"),
        ("topic", json!(""), "config.topic"),
        ("topic", json!("a/b"), "config.topic"),
        ("authentication_type", json!("oauth"), "config.authentication_type"),
        ("authentication_type", json!("basic"), "config.username"),
        ("authentication_type", json!("token"), "config.token"),
        ("priority", json!(6), "config.priority"),
        ("custom_message", json!("{{ name }"), "config.custom_message"),
    ] {
        let mut c = ok.clone();
        c[key] = value;
        assert_eq!(rejected(&s, "ntfy", c).await.0, field);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gotify_posts_a_message_with_the_app_token() {
    let s = started().await;
    let r = Receiver::start().await;
    send_test(&s, "gotify", json!({"server_url": r.url("/gotify/"), "application_token": "AppTok.1"})).await;
    let got = r.wait_for(1, WAIT).await;
    assert_eq!((got[0].method.as_str(), got[0].path.as_str()), ("POST", "/gotify/message"));
    assert_eq!(got[0].header("x-gotify-key"), Some("AppTok.1"));
    assert!(is_json(&got[0]));
    assert_eq!(
        got[0].json(),
        json!({"title": "🔔 Test notification from Peekaping", "message": TEST_TEXT, "priority": 8})
    );
    send_test(
        &s,
        "gotify",
        json!({"server_url": r.url(""), "application_token": "t", "priority": "0", "title": "Uptime",
            "custom_message": "{{ name }}: {{ msg }}"}),
    )
    .await;
    let got = r.wait_for(2, WAIT).await;
    assert_eq!(got[1].path, "/message");
    assert_eq!(got[1].json(), json!({"title": "Uptime", "message": "Peekaping: Test notification", "priority": 0}));

    // A wrong token is Gotify's 401, quoted.
    r.reply(401, "{\"error\":\"Unauthorized\",\"errorCode\":401,\"errorDescription\":\"you need to provide a valid access token\"}");
    let body = json!({"name": "t", "type": "gotify",
        "config": json!({"server_url": r.url(""), "application_token": "wrong"}).to_string()});
    let (status, b) = s.send("POST", "/notification-channels/test", body).await;
    assert_eq!(status, 502, "{b}");
    assert!(b["message"].as_str().unwrap().contains("401 from Gotify"), "{b}");

    let ok = json!({"server_url": "https://gotify.example.com", "application_token": "t"});
    for (key, value, field) in [
        ("server_url", json!("gotify"), "config.server_url"),
        ("application_token", json!(""), "config.application_token"),
        ("priority", json!(11), "config.priority"),
        ("priority", json!("loud"), "config.priority"),
    ] {
        let mut c = ok.clone();
        c[key] = value;
        assert_eq!(rejected(&s, "gotify", c).await.0, field);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_of_these_providers_never_come_back() {
    let s = started().await;
    for (kind, config, secrets) in [
        (
            "google_chat",
            json!({"webhook_url": "https://chat.googleapis.com/v1/spaces/A/messages?key=K"}),
            vec!["webhook_url"],
        ),
        ("mattermost", json!({"webhook_url": "https://mm.example.com/hooks/xyz"}), vec!["webhook_url"]),
        (
            "matrix",
            json!({"homeserver_url": "https://m.org", "internal_room_id": "!r:m.org", "access_token": "syt"}),
            vec!["access_token"],
        ),
        (
            "wecom",
            json!({"webhook_url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K"}),
            vec!["webhook_url"],
        ),
        (
            "whatsapp",
            json!({"server_url": "http://waha:3000", "api_key": "k", "phone_number": "491", "session": "default"}),
            vec!["api_key"],
        ),
        ("pagerduty", json!({"pagerduty_integration_key": "R0UTING"}), vec!["pagerduty_integration_key"]),
        ("opsgenie", json!({"region": "us", "api_key": "og"}), vec!["api_key"]),
        (
            "grafana_oncall",
            json!({"grafana_oncall_url": "https://oncall.example.com/integrations/v1/formatted_webhook/T/"}),
            vec!["grafana_oncall_url"],
        ),
        (
            "ntfy",
            json!({"server_url": "https://ntfy.sh", "topic": "t", "authentication_type": "basic", "username": "u",
            "password": "p", "token": "tk"}),
            vec!["password", "token"],
        ),
        ("gotify", json!({"server_url": "https://g.example.com", "application_token": "t"}), vec!["application_token"]),
    ] {
        let id = create_channel(&s, kind, config.clone()).await;
        let (status, b) = s.get(&format!("/notification-channels/{id}")).await;
        assert_eq!(status, 200, "{b}");
        let stored: Value = serde_json::from_str(b["data"]["config"].as_str().unwrap()).unwrap();
        for key in &secrets {
            assert_eq!(stored[key], "********", "{kind}.{key}: {stored}");
        }
        let plain: Vec<&String> =
            config.as_object().unwrap().keys().filter(|k| !secrets.contains(&k.as_str())).collect();
        for key in plain {
            assert_eq!(stored[key], config[key], "{kind}.{key} is not a secret");
        }
    }
}

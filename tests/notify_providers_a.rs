//! Providers Google Chat, Signal, Mattermost, Matrix, WeCom, WhatsApp (WAHA), PagerDuty,
//! Opsgenie, Grafana OnCall, ntfy and Gotify against the real binary: each test sends
//! through `POST /notification-channels/test` to a local `Receiver` standing in for the
//! provider and asserts the exact request its public API documents; the incident tools
//! also go DOWN then UP through a real monitor and must trigger then resolve the same
//! incident; and bad configs are 400s naming the field.

mod support;

use std::time::Duration;

use serde_json::{Value, json};
use support::{Receiver, Server};

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

//! Notifications end to end against the real binary: the channels API, one message per
//! state change through the durable outbox, retries with back-off, rejections, a notice
//! surviving `kill -9`, group folding, and each provider's request as its public API
//! documents it (a local `Receiver` stands in for the provider; every provider's base URL
//! is a config key). SMTP goes to a real aiosmtpd on 127.0.0.1:12587 that writes a
//! maildir (`.ci/services/smtp.sh`).

mod support;

use std::time::Duration;

use serde_json::{Value, json};
use support::{HttpTarget, Receiver, Server, free_port, http_monitor};

const WAIT: Duration = Duration::from_secs(30);

async fn started() -> Server {
    let mut s = Server::start(&[]).await;
    s.register().await;
    s
}

async fn create_channel(s: &Server, body: Value) -> String {
    let (status, b) = s.send("POST", "/notification-channels", body).await;
    assert_eq!(status, 201, "{b}");
    b["data"]["id"].as_str().unwrap().to_string()
}

fn webhook(name: &str, url: &str) -> Value {
    json!({"name": name, "type": "webhook", "config": json!({"webhook_url": url}).to_string()})
}

/// Polls the channel's delivery log until `pred` holds.
async fn wait_deliveries(s: &Server, channel: &str, pred: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let (status, b) = s.get(&format!("/notification-channels/{channel}/deliveries?limit=50")).await;
        assert_eq!(status, 200, "{b}");
        let list = b["data"].as_array().cloned().unwrap_or_default();
        if pred(&list) {
            return list;
        }
        assert!(std::time::Instant::now() < deadline, "deliveries never matched: {list:?}\n{}", s.log());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn channels_api_crud_masks_secrets_and_names_fields() {
    let mut s = Server::start(&[]).await;
    let (status, _) = s.get("/notification-channels").await;
    assert_eq!(status, 401, "the API needs a login");
    s.register().await;

    let body = json!({"name": "Ops", "type": "telegram",
        "config": json!({"bot_token": "123456:SECRET", "chat_id": "42"}).to_string()});
    let (status, created) = s.send("POST", "/notification-channels", body).await;
    assert_eq!(status, 201, "{created}");
    let id = created["data"]["id"].as_str().unwrap().to_string();
    let config: Value = serde_json::from_str(created["data"]["config"].as_str().unwrap()).unwrap();
    assert_eq!(config["bot_token"], "********", "secrets never come back");
    assert_eq!(config["chat_id"], "42");
    assert_eq!(created["data"]["active"], true);
    assert_eq!(created["data"]["is_default"], false);

    // Writing the mask back keeps the stored secret; the test send proves it is intact.
    let receiver = Receiver::start().await;
    let edited = json!({"bot_token": "********", "chat_id": "43", "server_url": receiver.url("")});
    let (status, b) = s
        .send(
            "PUT",
            &format!("/notification-channels/{id}"),
            json!({"name": "Ops 2", "type": "telegram",
            "config": edited.to_string()}),
        )
        .await;
    assert_eq!(status, 200, "{b}");
    let (status, b) = s.send("POST", "/notification-channels/test", json!({"id": id, "type": "telegram"})).await;
    assert_eq!(status, 200, "{b}");
    let sent = receiver.wait_for(1, WAIT).await;
    assert_eq!(sent[0].path, "/bot123456:SECRET/sendMessage");
    assert_eq!(sent[0].json()["chat_id"], "43");

    let (status, b) = s.send("PATCH", &format!("/notification-channels/{id}"), json!({"active": false})).await;
    assert_eq!((status, &b["data"]["active"]), (200, &json!(false)), "{b}");
    assert_eq!(b["data"]["name"], "Ops 2");
    let (status, list) = s.get("/notification-channels?q=ops").await;
    assert_eq!((status, list["total"].as_u64()), (200, Some(1)), "{list}");

    // Bad input is a 400 naming the field.
    for (body, field) in [
        (json!({"name": "x", "type": "carrier-pigeon"}), "type"),
        (json!({"name": " ", "type": "webhook", "config": "{\"webhook_url\":\"http://a\"}"}), "name"),
        (json!({"name": "x", "type": "webhook", "config": "{\"webhook_url\":\"ftp://a\"}"}), "config.webhook_url"),
        (json!({"name": "x", "type": "webhook", "config": "not json"}), "config"),
        (
            json!({"name": "x", "type": "slack", "config": json!({"slack_webhook_url": "http://a",
                "use_template": true, "template": "{{ name }"}).to_string()}),
            "config.template",
        ),
        (
            json!({"name": "x", "type": "slack", "config": json!({"slack_webhook_url": "http://a",
                "use_template": true, "template": "{{ monitor.nmae }}"}).to_string()}),
            "config.template",
        ),
        (
            json!({"name": "x", "type": "smtp", "config": json!({"smtp_host": "h", "smtp_port": 25,
                "from": "a@b.c", "to": "not an address"}).to_string()}),
            "config.to",
        ),
    ] {
        let (status, b) = s.send("POST", "/notification-channels", body).await;
        assert_eq!(status, 400, "{b}");
        assert_eq!(b["error"]["field"], field, "{b}");
    }

    let (status, _) = s.send("DELETE", &format!("/notification-channels/{id}"), json!({})).await;
    assert_eq!(status, 200);
    let (status, b) = s.get(&format!("/notification-channels/{id}")).await;
    assert_eq!(status, 404, "{b}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_monitors_get_the_default_channels() {
    let s = started().await;
    let mut def = webhook("Default", "http://127.0.0.1:9/");
    def["is_default"] = json!(true);
    let d = create_channel(&s, def).await;
    create_channel(&s, webhook("Other", "http://127.0.0.1:9/")).await;
    let mut body = http_monitor("first", "http://127.0.0.1:9/", 60);
    body.as_object_mut().unwrap().remove("notification_ids");
    body["active"] = json!(false);
    let id = s.create_monitor(body).await;
    assert_eq!(s.monitor(&id).await["notification_ids"], json!([d]));
    let mut explicit = http_monitor("second", "http://127.0.0.1:9/", 60);
    explicit["active"] = json!(false);
    let id = s.create_monitor(explicit).await;
    assert_eq!(s.monitor(&id).await["notification_ids"], json!([]), "an explicit empty list is kept");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn down_and_recovery_send_one_message_each() {
    let s = started().await;
    let receiver = Receiver::start().await;
    let target = HttpTarget::start().await;
    target.set_status(500);
    let ch = create_channel(&s, webhook("Hook", &receiver.url("/hook"))).await;
    let mut body = http_monitor("Shop", &target.url(), 1);
    body["notification_ids"] = json!([ch]);
    let id = s.create_monitor(body).await;

    let got = receiver.wait_for(1, WAIT).await;
    let r = &got[0];
    assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/hook"));
    assert!(r.header("content-type").unwrap().starts_with("application/json"));
    assert!(r.header("user-agent").unwrap().starts_with("peekaping/"));
    let j = r.json();
    assert_eq!(j["status"], "DOWN");
    assert_eq!(j["heartbeat"]["status"], 0);
    assert_eq!(j["monitor"]["id"], id.as_str());
    assert_eq!(j["monitor"]["name"], "Shop");
    let msg = j["msg"].as_str().unwrap();
    assert!(msg.starts_with("🔴 Shop is DOWN"), "{msg}");
    assert!(msg.contains("500"), "the reason is in the message: {msg}");

    // Still DOWN for several more checks: no more messages.
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(receiver.requests().len(), 1, "{:?}", receiver.requests());

    target.set_status(200);
    let got = receiver.wait_for(2, WAIT).await;
    let j = got[1].json();
    assert_eq!(j["status"], "UP");
    assert!(j["msg"].as_str().unwrap().starts_with("✅ Shop is UP"), "{j}");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(receiver.requests().len(), 2);

    let beats = s.heartbeats(&id, 100).await;
    assert!(beats.iter().any(|b| b["status"] == 0 && b["notified"] == true), "{beats:?}");
    let (_, c) = s.get(&format!("/notification-channels/{ch}")).await;
    assert_eq!(c["data"]["last_delivery"]["status"], "sent", "{c}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_deliveries_are_retried_and_rejections_are_not() {
    let s = started().await;
    let flaky = Receiver::start().await;
    flaky.reply(503, "{\"error\":\"try later\"}");
    let strict = Receiver::start().await;
    strict.reply(401, "{\"error\":\"invalid token\"}");
    let a = create_channel(&s, webhook("Flaky", &flaky.url("/"))).await;
    let b = create_channel(&s, webhook("Strict", &strict.url("/"))).await;
    let mut body = http_monitor("down", &format!("http://127.0.0.1:{}/", free_port()), 60);
    body["notification_ids"] = json!([a, b]);
    s.create_monitor(body).await;

    // 503: retried after the first back-off step (15 s), then delivered.
    let log = wait_deliveries(&s, &a, |l| l.iter().any(|d| d["status"] == "sent")).await;
    assert_eq!(flaky.requests().len(), 2);
    assert_eq!(log[0]["status"], "sent");
    assert_eq!(log[0]["attempt"], 2);
    assert_eq!(log[1]["status"], "retrying");
    assert!(log[1]["error"].as_str().unwrap().contains("503 from the webhook"), "{log:?}");

    // 401: recorded as failed and not retried.
    let log = wait_deliveries(&s, &b, |l| !l.is_empty()).await;
    assert_eq!(log[0]["status"], "failed");
    assert!(
        log[0]["error"].as_str().unwrap().contains("401 from the webhook: {\"error\":\"invalid token\"}"),
        "{log:?}"
    );
    assert_eq!(strict.requests().len(), 1);
    let (_, c) = s.get(&format!("/notification-channels/{b}")).await;
    assert_eq!(c["data"]["last_delivery"]["status"], "failed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notice_survives_kill_9_and_arrives_once() {
    let mut s = started().await;
    // The provider is down at first: the notice waits in the outbox for its retry.
    let port = free_port();
    let ch = create_channel(&s, webhook("Later", &format!("http://127.0.0.1:{port}/late"))).await;
    let mut body = http_monitor("crashy", &format!("http://127.0.0.1:{}/", free_port()), 60);
    body["notification_ids"] = json!([ch]);
    s.create_monitor(body).await;
    let log = wait_deliveries(&s, &ch, |l| !l.is_empty()).await;
    assert_eq!(log[0]["status"], "retrying", "{log:?}");
    assert!(log[0]["error"].as_str().unwrap().contains("cannot reach the webhook"), "{log:?}");

    s.crash();
    let receiver = Receiver::start_on(tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap()).await;
    let mut again = Server::start_in(s.dir.clone(), &[]).await;
    again.token = s.token.clone();
    let got = receiver.wait_for(1, WAIT).await;
    assert_eq!(got[0].path, "/late");
    assert!(got[0].json()["msg"].as_str().unwrap().contains("crashy is DOWN"));
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(receiver.requests().len(), 1, "exactly once");
    wait_deliveries(&again, &ch, |l| l.first().is_some_and(|d| d["status"] == "sent")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_down_group_sends_one_notice_for_its_children() {
    let s = started().await;
    let receiver = Receiver::start().await;
    let ch = create_channel(&s, webhook("Hook", &receiver.url("/"))).await;
    let group =
        s.create_monitor(json!({"type": "group", "name": "Router", "interval": 2, "notification_ids": [ch]})).await;
    for name in ["nas", "printer"] {
        let mut body = json!({"type": "tcp", "name": name, "interval": 2, "timeout": 1, "notification_ids": [ch],
            "parent_id": group, "config": json!({"host": "127.0.0.1", "port": free_port()}).to_string()});
        body["max_retries"] = json!(0);
        s.create_monitor(body).await;
    }
    s.wait_status(&group, 0, WAIT).await;
    // Children wait 10 s for their group, then fold into its notice.
    let log = wait_deliveries(&s, &ch, |l| l.iter().filter(|d| d["status"] == "folded").count() == 2).await;
    assert!(log.iter().all(|d| d["status"] == "sent" || d["status"] == "folded"), "{log:?}");
    // The empty group's first beat was UP (one message); then one DOWN for the router.
    let got: Vec<Value> = receiver.requests().iter().map(|r| r.json()).filter(|j| j["status"] == "DOWN").collect();
    assert_eq!(got.len(), 1, "one DOWN message for the router, none per child: {got:?}");
    let msg = got[0]["msg"].as_str().unwrap().to_string();
    assert!(msg.starts_with("🔴 Router is DOWN"), "{msg}");
    assert!(msg.contains("Also down behind it:"), "{msg}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn providers_send_what_their_apis_document() {
    let s = started().await;
    let r = Receiver::start().await;
    let test = |kind: &str, config: Value| json!({"name": "t", "type": kind, "config": config.to_string()});

    // Slack incoming webhook: {text, username, icon_emoji, channel}.
    let (st, b) = s
        .send(
            "POST",
            "/notification-channels/test",
            test(
                "slack",
                json!({"slack_webhook_url": r.url("/services/T/B/X"),
            "slack_username": "peekaping", "slack_icon_emoji": ":bell:", "slack_channel": "#ops",
            "slack_channel_notify": true}),
            ),
        )
        .await;
    assert_eq!(st, 200, "{b}");
    let got = r.wait_for(1, WAIT).await;
    assert_eq!((got[0].method.as_str(), got[0].path.as_str()), ("POST", "/services/T/B/X"));
    let j = got[0].json();
    assert!(j["text"].as_str().unwrap().starts_with("<!channel> 🔔 Test notification"), "{j}");
    assert_eq!(
        (&j["username"], &j["icon_emoji"], &j["channel"]),
        (&json!("peekaping"), &json!(":bell:"), &json!("#ops"))
    );

    // Discord webhook into a thread: ?thread_id= and an embed.
    let (st, b) = s
        .send(
            "POST",
            "/notification-channels/test",
            test(
                "discord",
                json!({"webhook_url": r.url("/api/webhooks/1/tok"),
            "bot_display_name": "Uptime", "custom_message_prefix": "@here", "message_type": "send_to_thread",
            "thread_id": "987"}),
            ),
        )
        .await;
    assert_eq!(st, 200, "{b}");
    let got = r.wait_for(2, WAIT).await;
    assert_eq!(got[1].path, "/api/webhooks/1/tok?thread_id=987");
    let j = got[1].json();
    assert_eq!((&j["username"], &j["content"]), (&json!("Uptime"), &json!("@here")));
    assert_eq!(j["embeds"][0]["title"], "🔔 Test notification from Peekaping");
    assert!(j["embeds"][0]["color"].is_u64());

    // Telegram Bot API with a template and parse mode.
    let (st, b) = s
        .send(
            "POST",
            "/notification-channels/test",
            test(
                "telegram",
                json!({"bot_token": "1:abc", "chat_id": -100,
            "message_thread_id": "7", "server_url": r.url("/tg/"), "use_template": true,
            "template_parse_mode": "HTML", "template": "<b>{{ name }}</b> {{ msg }}", "send_silently": true}),
            ),
        )
        .await;
    assert_eq!(st, 200, "{b}");
    let got = r.wait_for(3, WAIT).await;
    assert_eq!(got[2].path, "/tg/bot1:abc/sendMessage");
    let j = got[2].json();
    assert_eq!(j["chat_id"], "-100");
    assert_eq!(j["message_thread_id"], 7);
    assert_eq!(j["parse_mode"], "HTML");
    assert_eq!(j["text"], "<b>Peekaping</b> Test notification");
    assert_eq!(j["disable_notification"], true);

    // Webhook: multipart form with a `data` JSON field, and a custom body with headers.
    let (st, b) = s
        .send(
            "POST",
            "/notification-channels/test",
            test(
                "webhook",
                json!({"webhook_url": r.url("/form"),
            "webhook_content_type": "form-data"}),
            ),
        )
        .await;
    assert_eq!(st, 200, "{b}");
    let got = r.wait_for(4, WAIT).await;
    assert!(got[3].header("content-type").unwrap().starts_with("multipart/form-data; boundary="));
    assert!(got[3].text().contains("name=\"data\""), "{}", got[3].text());
    let (st, b) = s
        .send(
            "POST",
            "/notification-channels/test",
            test(
                "webhook",
                json!({"webhook_url": r.url("/custom"),
            "webhook_content_type": "custom", "webhook_custom_body": "{\"text\": \"{{ msg }}\"}",
            "webhook_additional_headers": "{\"X-Token\": \"abc\"}"}),
            ),
        )
        .await;
    assert_eq!(st, 200, "{b}");
    let got = r.wait_for(5, WAIT).await;
    assert_eq!(got[4].header("x-token"), Some("abc"));
    assert_eq!(got[4].header("content-type"), Some("application/json"));
    assert_eq!(got[4].json(), json!({"text": "Test notification"}));

    // A provider's refusal is a 502 quoting it.
    r.reply(403, "{\"description\":\"Forbidden: bot was blocked by the user\"}");
    let (st, b) = s
        .send(
            "POST",
            "/notification-channels/test",
            test(
                "telegram",
                json!({"bot_token": "1:abc", "chat_id": "1",
            "server_url": r.url("")}),
            ),
        )
        .await;
    assert_eq!(st, 502, "{b}");
    assert!(b["message"].as_str().unwrap().contains("403 from Telegram"), "{b}");
    assert!(b["message"].as_str().unwrap().contains("bot was blocked"), "{b}");
    // An unreachable one too, without the token in the message.
    let (st, b) = s
        .send(
            "POST",
            "/notification-channels/test",
            test(
                "telegram",
                json!({"bot_token": "1:topsecret",
            "chat_id": "1", "server_url": format!("http://127.0.0.1:{}", free_port())}),
            ),
        )
        .await;
    assert_eq!(st, 502, "{b}");
    let m = b["message"].as_str().unwrap();
    assert!(m.contains("cannot reach Telegram"), "{m}");
    assert!(!m.contains("topsecret"), "{m}");
}

/// aiosmtpd's Mailbox handler on 127.0.0.1:12587 writes every mail it accepts into this maildir.
fn maildir() -> std::path::PathBuf {
    std::env::var_os("PEEKAPING_TEST_MAILDIR")
        .map(Into::into)
        .unwrap_or_else(|| "/var/lib/peekaping-ci/smtp/maildir".into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_delivers_a_real_mail() {
    let s = started().await;
    let to = format!("ops-{}@example.com", free_port());
    let (st, b) = s
        .send("POST", "/notification-channels/test", json!({"name": "mail", "type": "smtp", "config": json!({
            "smtp_host": "127.0.0.1", "smtp_port": 12587, "smtp_secure": false, "from": "Peekaping <alerts@example.com>",
            "to": to, "cc": "cc@example.com", "custom_subject": "[{{ status }}] {{ name }}",
            "custom_body": "Hello from {{ name }}: {{ msg }}"}).to_string()}))
        .await;
    assert_eq!(st, 200, "{b}");
    let deadline = std::time::Instant::now() + WAIT;
    let mail = loop {
        let found = std::fs::read_dir(maildir().join("new"))
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .find(|m| m.contains(&to));
        if let Some(m) = found {
            break m;
        }
        assert!(std::time::Instant::now() < deadline, "no mail to {to} in {:?}", maildir());
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(mail.contains("From: Peekaping <alerts@example.com>"), "{mail}");
    assert!(mail.contains("Cc: cc@example.com"), "{mail}");
    assert!(mail.contains("Subject: [] Peekaping"), "{mail}");
    assert!(mail.contains("Hello from Peekaping: Test notification"), "{mail}");

    let (st, b) = s
        .send(
            "POST",
            "/notification-channels/test",
            json!({"name": "mail", "type": "smtp", "config": json!({
            "smtp_host": "127.0.0.1", "smtp_port": free_port(), "from": "a@example.com", "to": "b@example.com"})
            .to_string()}),
        )
        .await;
    assert_eq!(st, 502, "{b}");
    assert!(b["message"].as_str().unwrap().contains("SMTP 127.0.0.1:"), "{b}");
}

/// An HTTPS server whose self-signed certificate expires in `days` days.
async fn https_expiring_in(days: i64) -> (u16, tokio::task::JoinHandle<()>) {
    use chrono::Datelike;
    let mut params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()]).unwrap();
    let end = chrono::Utc::now() + chrono::Duration::days(days);
    params.not_after = rcgen::date_time_ymd(end.year(), end.month() as u8, end.day() as u8);
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = params.self_signed(&key).unwrap();
    support::https_server(cert.der().to_vec(), key.serialize_der(), "ok").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expiring_certificate_is_notified_once_per_threshold() {
    let s = started().await;
    let (port, _server) = https_expiring_in(10).await;
    let receiver = Receiver::start().await;
    let ch = create_channel(&s, webhook("Hook", &receiver.url("/"))).await;
    // Thresholds 3, 12 and 30 days: a certificate with ~10 days left crossed 12 and 30.
    let (st, b) =
        s.send("PUT", "/settings/key/cert_expiry_notify_days", json!({"value": "[30, 3, 12]", "type": "json"})).await;
    assert_eq!(st, 200, "{b}");
    let url = format!("https://127.0.0.1:{port}/");
    let mut body = http_monitor("Shop TLS", &url, 1);
    body["config"] = json!({"url": url, "ignore_tls_errors": true, "check_cert_expiry": true}).to_string().into();
    body["notification_ids"] = json!([ch]);
    let id = s.create_monitor(body).await;
    // A monitor without check_cert_expiry on the same certificate stays quiet about it.
    let mut quiet = http_monitor("Quiet TLS", &url, 1);
    quiet["config"] = json!({"url": url, "ignore_tls_errors": true}).to_string().into();
    quiet["notification_ids"] = json!([ch]);
    s.create_monitor(quiet).await;

    s.wait_beats(&id, 5, WAIT).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let certs: Vec<Value> =
        receiver.requests().iter().map(|r| r.json()).filter(|j| j["event"]["kind"] == "cert_expiry").collect();
    assert_eq!(certs.len(), 1, "one notice for the most urgent crossed threshold: {certs:?}");
    let j = &certs[0];
    assert_eq!(j["monitor"]["name"], "Shop TLS");
    assert_eq!(j["event"]["threshold"], 12, "{j}");
    let days = j["event"]["days"].as_i64().unwrap();
    assert!((9..=10).contains(&days), "{j}");
    assert!(j["msg"].as_str().unwrap().contains(&format!("The certificate of Shop TLS expires in {days} days")), "{j}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_are_typed_and_secrets_stay_hidden() {
    let s = started().await;
    let (st, b) =
        s.send("PUT", "/settings/key/cert_expiry_notify_days", json!({"value": "[7, 14]", "type": "json"})).await;
    assert_eq!(st, 200, "{b}");
    let (st, b) = s.get("/settings/key/cert_expiry_notify_days").await;
    assert_eq!((st, &b["data"]["value"], &b["data"]["type"]), (200, &json!("[7, 14]"), &json!("json")), "{b}");
    for (key, body, field) in [
        ("cert_expiry_notify_days", json!({"value": "[0]", "type": "json"}), "value"),
        ("cert_expiry_notify_days", json!({"value": "soon", "type": "json"}), "value"),
        ("keep_days", json!({"value": "abc", "type": "int"}), "value"),
        ("flag", json!({"value": "yes", "type": "bool"}), "value"),
        ("flag", json!({"value": "true", "type": "float"}), "type"),
        ("ACCESS_TOKEN_SECRET_KEY", json!({"value": "mine"}), "key"),
    ] {
        let (st, b) = s.send("PUT", &format!("/settings/key/{key}"), body).await;
        assert_eq!((st, b["error"]["field"].as_str()), (400, Some(field)), "{key}: {b}");
    }
    let (st, b) = s.get("/settings/key/ACCESS_TOKEN_SECRET_KEY").await;
    assert_eq!((st, &b["data"]["value"]), (200, &json!("********")), "{b}");
    let (st, _) = s.send("DELETE", "/settings/key/cert_expiry_notify_days", json!({})).await;
    assert_eq!(st, 200);
    let (st, _) = s.get("/settings/key/cert_expiry_notify_days").await;
    assert_eq!(st, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn monitors_behind_a_down_dependency_fold_into_its_notice() {
    let s = started().await;
    let receiver = Receiver::start().await;
    let ch = create_channel(&s, webhook("Hook", &receiver.url("/"))).await;
    let tcp = |name: &str| {
        json!({"type": "tcp", "name": name, "interval": 2, "timeout": 1, "notification_ids": [ch],
            "config": json!({"host": "127.0.0.1", "port": free_port()}).to_string()})
    };
    // The router is paused while the NAS goes DOWN, so its notice (sent at once) can list it.
    let mut paused = tcp("router");
    paused["active"] = json!(false);
    let router = s.create_monitor(paused).await;
    let mut nas = tcp("nas behind router");
    nas["depends_on"] = json!(router);
    let nas = s.create_monitor(nas).await;
    assert_eq!(s.monitor(&nas).await["depends_on"], router.as_str());
    s.wait_status(&nas, 0, WAIT).await;
    let (st, b) = s.send("PATCH", &format!("/monitors/{router}"), json!({"active": true})).await;
    assert_eq!(st, 200, "{b}");

    // Self, cycles and unknown ids are refused by name.
    for (id, dep) in [(&router, router.as_str()), (&router, nas.as_str()), (&router, "no-such-monitor")] {
        let (st, b) = s.send("PATCH", &format!("/monitors/{id}"), json!({"depends_on": dep})).await;
        assert_eq!((st, b["error"]["field"].as_str()), (400, Some("depends_on")), "{b}");
    }

    let log = wait_deliveries(&s, &ch, |l| l.iter().any(|d| d["status"] == "folded")).await;
    assert!(log.iter().any(|d| d["status"] == "folded" && d["error"].as_str().unwrap().contains("router")), "{log:?}");
    let downs: Vec<Value> = receiver.requests().iter().map(|r| r.json()).filter(|j| j["status"] == "DOWN").collect();
    assert_eq!(downs.len(), 1, "{downs:?}");
    let msg = downs[0]["msg"].as_str().unwrap();
    assert!(msg.starts_with("🔴 router is DOWN"), "{msg}");
    assert!(msg.contains("Also down behind it: nas behind router"), "{msg}");

    // Deleting the dependency clears the link.
    let (st, _) = s.send("DELETE", &format!("/monitors/{router}"), json!({})).await;
    assert_eq!(st, 200);
    assert!(s.monitor(&nas).await["depends_on"].is_null());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flap_damping_waits_for_consecutive_beats() {
    let s = started().await;
    let receiver = Receiver::start().await;
    let target = HttpTarget::start().await;
    let ch = create_channel(&s, webhook("Hook", &receiver.url("/"))).await;
    let mut bad = http_monitor("flappy", &target.url(), 1);
    bad["notify_after_failures"] = json!(0);
    let (st, b) = s.send("POST", "/monitors", bad).await;
    assert_eq!((st, b["error"]["field"].as_str()), (400, Some("notify_after_failures")), "{b}");

    let mut body = http_monitor("flappy", &target.url(), 1);
    body["notify_after_failures"] = json!(3);
    body["notify_after_successes"] = json!(2);
    body["notification_ids"] = json!([ch]);
    let id = s.create_monitor(body).await;
    assert_eq!(s.monitor(&id).await["notify_after_failures"], 3);
    receiver.wait_for(1, WAIT).await; // the first beat: UP

    target.set_status(500);
    let got = receiver.wait_for(2, WAIT).await;
    assert_eq!(got[1].json()["status"], "DOWN");
    let beats = s.heartbeats(&id, 100).await;
    let downs = beats.iter().filter(|b| b["status"] == 0).count();
    assert!(downs >= 3, "announced after the third DOWN beat, not before: {downs} DOWN beats");
    let notified: Vec<&Value> = beats.iter().filter(|b| b["status"] == 0 && b["notified"] == true).collect();
    assert_eq!(notified.len(), 1, "{beats:?}");

    target.set_status(200);
    let got = receiver.wait_for(3, WAIT).await;
    assert_eq!(got[2].json()["status"], "UP");
    let beats = s.heartbeats(&id, 100).await;
    // Newest first: the two latest beats are UP, the second one announced.
    assert_eq!((beats[0]["status"].as_u64(), beats[1]["status"].as_u64()), (Some(1), Some(1)), "{beats:?}");
    assert!(beats.iter().take_while(|b| b["status"] == 1).count() >= 2);
}

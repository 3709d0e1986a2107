//! Pushover, SendGrid, Twilio, LINE, PagerTree, Pushbullet, Microsoft Teams, Rocket.Chat,
//! Home Assistant and Apprise against the real binary: each test sends a test notice
//! through `POST /notification-channels/test` to a local `Receiver` standing in for the
//! provider (every base URL is a config key) and checks the request its public API
//! documents; PagerTree also goes DOWN then UP through a real monitor.

mod support;

use std::time::Duration;

use serde_json::{Value, json};
use support::{HttpTarget, Receiver, Server, http_monitor};

const WAIT: Duration = Duration::from_secs(30);

async fn started() -> Server {
    let mut s = Server::start(&[]).await;
    s.register().await;
    s
}

/// Sends a test notice through an unsaved channel.
async fn test_send(s: &Server, kind: &str, config: Value) -> (u16, Value) {
    s.send("POST", "/notification-channels/test", json!({"name": "t", "type": kind, "config": config.to_string()}))
        .await
}

/// Creating a channel with this config fails on `field`.
async fn rejects(s: &Server, kind: &str, config: Value, field: &str) {
    let (status, b) = s
        .send("POST", "/notification-channels", json!({"name": "x", "type": kind, "config": config.to_string()}))
        .await;
    assert_eq!(status, 400, "{kind} {config}: {b}");
    assert_eq!(b["error"]["field"], field, "{kind} {config}: {b}");
}

/// The form fields of a urlencoded body, in order.
fn form(body: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body.as_bytes()).into_owned().collect()
}

fn field<'a>(fields: &'a [(String, String)], key: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// `Basic` credentials decoded.
fn basic(header: Option<&str>) -> String {
    use base64::Engine;
    let encoded = header.and_then(|h| h.strip_prefix("Basic ")).expect("basic auth");
    String::from_utf8(base64::engine::general_purpose::STANDARD.decode(encoded).unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushover_posts_the_documented_form() {
    let s = started().await;
    let r = Receiver::start().await;
    r.reply(200, "{\"status\":1,\"request\":\"abc\"}");
    let (st, b) = test_send(
        &s,
        "pushover",
        json!({"pushover_user_key": "ukey", "pushover_app_token": "atoken", "pushover_device": "phone",
            "pushover_priority": "2", "pushover_sounds": "siren", "pushover_ttl": 300, "api_url": r.url("/po/")}),
    )
    .await;
    assert_eq!(st, 200, "{b}");
    let got = r.wait_for(1, WAIT).await;
    assert_eq!((got[0].method.as_str(), got[0].path.as_str()), ("POST", "/po/1/messages.json"));
    assert_eq!(got[0].header("content-type"), Some("application/x-www-form-urlencoded"));
    let f = form(&got[0].text());
    assert_eq!(field(&f, "token"), Some("atoken"));
    assert_eq!(field(&f, "user"), Some("ukey"));
    assert_eq!(field(&f, "device"), Some("phone"));
    assert_eq!(field(&f, "title"), Some("🔔 Test notification from Peekaping"));
    assert_eq!(field(&f, "message"), Some("If you can read this, the channel works."));
    assert_eq!((field(&f, "priority"), field(&f, "retry"), field(&f, "expire")), (Some("2"), Some("60"), Some("3600")));
    assert_eq!(field(&f, "ttl"), None, "Pushover ignores a TTL on emergency messages");
    assert_eq!(field(&f, "sound"), None, "a test notice is neither DOWN nor UP");

    // A custom title and a TTL at normal priority.
    let (st, b) = test_send(
        &s,
        "pushover",
        json!({"pushover_user_key": "ukey", "pushover_app_token": "atoken", "pushover_title": "Uptime",
            "pushover_ttl": "300", "api_url": r.url("")}),
    )
    .await;
    assert_eq!(st, 200, "{b}");
    let got = r.wait_for(2, WAIT).await;
    assert_eq!(got[1].path, "/1/messages.json");
    let f = form(&got[1].text());
    assert_eq!((field(&f, "title"), field(&f, "priority"), field(&f, "ttl")), (Some("Uptime"), Some("0"), Some("300")));
    assert_eq!(field(&f, "device"), None);

    // Pushover's refusal is quoted.
    r.reply(400, "{\"user\":\"invalid\",\"errors\":[\"user identifier is not a valid user\"],\"status\":0}");
    let (st, b) = test_send(
        &s,
        "pushover",
        json!({"pushover_user_key": "bad", "pushover_app_token": "atoken", "api_url": r.url("")}),
    )
    .await;
    assert_eq!(st, 502, "{b}");
    assert!(b["message"].as_str().unwrap().contains("user identifier is not a valid user"), "{b}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushover_settings_are_validated() {
    let s = started().await;
    let ok = json!({"pushover_user_key": "u", "pushover_app_token": "t"});
    rejects(&s, "pushover", json!({"pushover_user_key": "u"}), "config.pushover_app_token").await;
    rejects(&s, "pushover", json!({"pushover_app_token": "t"}), "config.pushover_user_key").await;
    for (key, bad) in [
        ("pushover_priority", json!(3)),
        ("pushover_priority", json!("urgent")),
        ("pushover_ttl", json!(-5)),
        ("api_url", json!("ftp://x")),
    ] {
        let mut c = ok.clone();
        c[key] = bad;
        rejects(&s, "pushover", c, &format!("config.{key}")).await;
    }
    // The tokens are secrets.
    let (status, b) = s
        .send("POST", "/notification-channels", json!({"name": "p", "type": "pushover", "config": ok.to_string()}))
        .await;
    assert_eq!(status, 201, "{b}");
    let config: Value = serde_json::from_str(b["data"]["config"].as_str().unwrap()).unwrap();
    assert_eq!((&config["pushover_app_token"], &config["pushover_user_key"]), (&json!("********"), &json!("********")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sendgrid_posts_mail_send_with_personalizations() {
    let s = started().await;
    let r = Receiver::start().await;
    r.reply(202, "");
    let (st, b) = test_send(
        &s,
        "sendgrid",
        json!({"api_key": "SG.secret", "from_email": "alerts@example.com", "to_email": "a@example.com, b@example.com",
            "cc_email": "c@example.com", "bcc_email": "a@example.com; d@example.com",
            "subject": "[Peekaping] {{ name }}", "api_url": r.url("/sg")}),
    )
    .await;
    assert_eq!(st, 200, "{b}");
    let got = r.wait_for(1, WAIT).await;
    assert_eq!((got[0].method.as_str(), got[0].path.as_str()), ("POST", "/sg/v3/mail/send"));
    assert_eq!(got[0].header("authorization"), Some("Bearer SG.secret"));
    assert_eq!(got[0].header("content-type"), Some("application/json"));
    let j = got[0].json();
    assert_eq!(
        j["personalizations"],
        json!([{"to": [{"email": "a@example.com"}, {"email": "b@example.com"}], "cc": [{"email": "c@example.com"}],
            "bcc": [{"email": "d@example.com"}]}]),
        "an address already in `to` is not repeated in bcc"
    );
    assert_eq!(j["from"], json!({"email": "alerts@example.com"}));
    assert_eq!(j["subject"], "[Peekaping] Peekaping");
    assert_eq!(j["content"][0]["type"], "text/plain");
    assert!(j["content"][0]["value"].as_str().unwrap().starts_with("🔔 Test notification from Peekaping\n"), "{j}");

    // Without a subject: the title; SendGrid's refusal is quoted.
    r.reply(401, "{\"errors\":[{\"message\":\"The provided authorization grant is invalid, expired, or revoked\"}]}");
    let (st, b) = test_send(
        &s,
        "sendgrid",
        json!({"api_key": "SG.bad", "from_email": "alerts@example.com", "to_email": "a@example.com",
            "api_url": r.url("")}),
    )
    .await;
    assert_eq!(st, 502, "{b}");
    assert!(b["message"].as_str().unwrap().contains("401 from SendGrid"), "{b}");
    assert!(b["message"].as_str().unwrap().contains("authorization grant is invalid"), "{b}");
    let got = r.wait_for(2, WAIT).await;
    assert_eq!(got[1].json()["subject"], "🔔 Test notification from Peekaping");
    assert_eq!(got[1].json()["personalizations"], json!([{"to": [{"email": "a@example.com"}]}]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sendgrid_settings_are_validated() {
    let s = started().await;
    let ok = json!({"api_key": "k", "from_email": "a@example.com", "to_email": "b@example.com"});
    for key in ["api_key", "from_email", "to_email"] {
        let mut c = ok.clone();
        c.as_object_mut().unwrap().remove(key);
        rejects(&s, "sendgrid", c, &format!("config.{key}")).await;
    }
    for (key, bad) in [
        ("to_email", "b@example.com, not-an-address"),
        ("cc_email", "nope"),
        ("from_email", "a@example.com, b@example.com"),
        ("subject", "{{ name }"),
        ("api_url", "example.com"),
    ] {
        let mut c = ok.clone();
        c[key] = json!(bad);
        rejects(&s, "sendgrid", c, &format!("config.{key}")).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twilio_posts_an_sms_with_basic_auth() {
    let s = started().await;
    let r = Receiver::start().await;
    r.reply(201, "{\"sid\":\"SM1\",\"status\":\"queued\"}");
    let sid = "AC0123456789abcdef0123456789abcdef";
    let (st, b) = test_send(
        &s,
        "twilio",
        json!({"twilio_account_sid": sid, "twilio_auth_token": "authtok", "twilio_from_number": "+15005550006",
            "twilio_to_number": "+14155550100", "api_url": r.url("/tw/")}),
    )
    .await;
    assert_eq!(st, 200, "{b}");
    let got = r.wait_for(1, WAIT).await;
    assert_eq!(got[0].method, "POST");
    assert_eq!(got[0].path, format!("/tw/2010-04-01/Accounts/{sid}/Messages.json"));
    assert_eq!(got[0].header("content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(basic(got[0].header("authorization")), format!("{sid}:authtok"));
    let f = form(&got[0].text());
    assert_eq!(field(&f, "To"), Some("+14155550100"));
    assert_eq!(field(&f, "From"), Some("+15005550006"));
    assert!(field(&f, "Body").unwrap().starts_with("🔔 Test notification from Peekaping\n"), "{f:?}");

    // With an API key, the key SID is the user and the token its secret.
    r.reply(201, "{}");
    let (st, b) = test_send(
        &s,
        "twilio",
        json!({"twilio_account_sid": sid, "twilio_api_key": "SK99", "twilio_auth_token": "keysecret",
            "twilio_from_number": "+15005550006", "twilio_to_number": "+14155550100", "api_url": r.url("")}),
    )
    .await;
    assert_eq!(st, 200, "{b}");
    let got = r.wait_for(2, WAIT).await;
    assert_eq!(got[1].path, format!("/2010-04-01/Accounts/{sid}/Messages.json"));
    assert_eq!(basic(got[1].header("authorization")), "SK99:keysecret");

    r.reply(400, "{\"code\":21211,\"message\":\"The 'To' number is not a valid phone number.\"}");
    let (st, b) = test_send(
        &s,
        "twilio",
        json!({"twilio_account_sid": sid, "twilio_auth_token": "authtok", "twilio_from_number": "+15005550006",
            "twilio_to_number": "+14155550100", "api_url": r.url("")}),
    )
    .await;
    assert_eq!(st, 502, "{b}");
    let m = b["message"].as_str().unwrap();
    assert!(m.contains("400 from Twilio") && m.contains("not a valid phone number"), "{m}");
    assert!(!m.contains("authtok"), "{m}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twilio_settings_are_validated() {
    let s = started().await;
    let ok = json!({"twilio_account_sid": "AC1", "twilio_auth_token": "t", "twilio_from_number": "+15005550006",
        "twilio_to_number": "+14155550100"});
    for key in ["twilio_account_sid", "twilio_auth_token", "twilio_from_number", "twilio_to_number"] {
        let mut c = ok.clone();
        c.as_object_mut().unwrap().remove(key);
        rejects(&s, "twilio", c, &format!("config.{key}")).await;
    }
    for (key, bad) in [
        ("twilio_account_sid", "SK1"),
        ("twilio_api_key", "AC1"),
        ("twilio_from_number", "5550006"),
        ("twilio_to_number", "+1 415 555 0100"),
        ("api_url", "ftp://x"),
    ] {
        let mut c = ok.clone();
        c[key] = json!(bad);
        rejects(&s, "twilio", c, &format!("config.{key}")).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn line_pushes_a_text_message() {
    let s = started().await;
    let r = Receiver::start().await;
    r.reply(200, "{\"sentMessages\":[{\"id\":\"461230966842064897\",\"quoteToken\":\"q\"}]}");
    let user = "U4af4980629a0b2c3d4e5f60718293a4b";
    let (st, b) = test_send(
        &s,
        "line",
        json!({"channel_access_token": "chan-token", "user_id": user, "template": "{{ name }}: {{ msg }}",
            "api_url": r.url("/line")}),
    )
    .await;
    assert_eq!(st, 200, "{b}");
    let got = r.wait_for(1, WAIT).await;
    assert_eq!((got[0].method.as_str(), got[0].path.as_str()), ("POST", "/line/v2/bot/message/push"));
    assert_eq!(got[0].header("authorization"), Some("Bearer chan-token"));
    assert_eq!(got[0].header("content-type"), Some("application/json"));
    assert_eq!(
        got[0].json(),
        json!({"to": user, "messages": [{"type": "text", "text": "Peekaping: Test notification"}]})
    );

    // An error body is a refusal even when the status is 200; a 400 is quoted.
    r.reply(200, "{\"message\":\"The property, 'to', in the request body is invalid\",\"details\":[]}");
    let cfg = json!({"channel_access_token": "chan-token", "user_id": user, "api_url": r.url("")});
    let (st, b) = test_send(&s, "line", cfg.clone()).await;
    assert_eq!(st, 502, "{b}");
    assert!(b["message"].as_str().unwrap().contains("LINE refused the message: The property, 'to'"), "{b}");
    let got = r.wait_for(2, WAIT).await;
    assert_eq!(got[1].path, "/v2/bot/message/push");
    assert!(got[1].json()["messages"][0]["text"].as_str().unwrap().starts_with("🔔 Test notification"));
    r.reply(
        401,
        "{\"message\":\"Authentication failed. Confirm that the access token in the authorization header is valid.\"}",
    );
    let (st, b) = test_send(&s, "line", cfg).await;
    assert_eq!(st, 502, "{b}");
    let m = b["message"].as_str().unwrap();
    assert!(m.contains("401 from LINE") && m.contains("Authentication failed"), "{m}");
    assert!(!m.contains("chan-token"), "{m}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn line_settings_are_validated() {
    let s = started().await;
    let ok = json!({"channel_access_token": "t", "user_id": "Uabc"});
    for key in ["channel_access_token", "user_id"] {
        let mut c = ok.clone();
        c.as_object_mut().unwrap().remove(key);
        rejects(&s, "line", c, &format!("config.{key}")).await;
    }
    for (key, bad) in [("user_id", "@my-line-id"), ("template", "{% if %}"), ("api_url", "nope")] {
        let mut c = ok.clone();
        c[key] = json!(bad);
        rejects(&s, "line", c, &format!("config.{key}")).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pagertree_test_notice_creates_an_alert_with_the_token_header() {
    let s = started().await;
    let r = Receiver::start().await;
    let (st, b) = test_send(
        &s,
        "pagertree",
        json!({"integrationUrl": r.url("/integration/int_abc"), "urgency": "critical", "autoResolve": "resolve",
            "authToken": "pt-secret"}),
    )
    .await;
    assert_eq!(st, 200, "{b}");
    let got = r.wait_for(1, WAIT).await;
    assert_eq!((got[0].method.as_str(), got[0].path.as_str()), ("POST", "/integration/int_abc"));
    assert_eq!(got[0].header("pagertree-token"), Some("pt-secret"));
    assert_eq!(got[0].header("content-type"), Some("application/json"));
    let j = got[0].json();
    assert_eq!((&j["event_type"], &j["Id"]), (&json!("create"), &json!("peekaping-test")));
    assert_eq!(j["Title"], "🔔 Test notification from Peekaping");
    assert_eq!(j["Description"], "If you can read this, the channel works.");
    assert_eq!((&j["Urgency"], &j["Tags"]), (&json!("critical"), &json!(["peekaping"])));
    assert_eq!(j["Meta"]["monitor"], "Peekaping");

    // Without a token or urgency, neither is sent.
    let (st, b) = test_send(&s, "pagertree", json!({"integrationUrl": r.url("/i")})).await;
    assert_eq!(st, 200, "{b}");
    let got = r.wait_for(2, WAIT).await;
    assert_eq!(got[1].header("pagertree-token"), None);
    assert!(got[1].json().get("Urgency").is_none(), "{}", got[1].text());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pagertree_resolves_the_alert_it_created_when_the_monitor_recovers() {
    let s = started().await;
    let r = Receiver::start().await;
    let target = HttpTarget::start().await;
    target.set_status(500);
    let (status, b) = s
        .send(
            "POST",
            "/notification-channels",
            json!({"name": "pt", "type": "pagertree", "config": json!({"integrationUrl": r.url("/integration/int_x"),
                "urgency": "high", "autoResolve": true}).to_string()}),
        )
        .await;
    assert_eq!(status, 201, "{b}");
    let config: Value = serde_json::from_str(b["data"]["config"].as_str().unwrap()).unwrap();
    assert_eq!(config["integrationUrl"], "********", "the integration URL is a secret");
    let ch = b["data"]["id"].as_str().unwrap().to_string();
    let mut body = http_monitor("Checkout", &target.url(), 1);
    body["notification_ids"] = json!([ch]);
    let id = s.create_monitor(body).await;

    let got = r.wait_for(1, WAIT).await;
    let down = got[0].json();
    assert_eq!(got[0].path, "/integration/int_x");
    assert_eq!((&down["event_type"], &down["Id"]), (&json!("create"), &json!(format!("peekaping-{id}"))));
    assert_eq!(down["Title"], "🔴 Checkout is DOWN");
    assert!(down["Description"].as_str().unwrap().contains("500"), "{down}");
    assert_eq!((&down["Urgency"], &down["Meta"]["status"]), (&json!("high"), &json!("DOWN")));
    assert_eq!(down["Meta"]["target"], target.url());

    target.set_status(200);
    let got = r.wait_for(2, WAIT).await;
    let up = got[1].json();
    assert_eq!((&up["event_type"], &up["Id"]), (&json!("resolve"), &down["Id"]), "{up}");
    assert_eq!(up["Title"], "✅ Checkout is UP");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(r.requests().len(), 2, "{:?}", r.requests());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pagertree_settings_are_validated() {
    let s = started().await;
    rejects(&s, "pagertree", json!({"urgency": "high"}), "config.integrationUrl").await;
    rejects(&s, "pagertree", json!({"integrationUrl": "not a url"}), "config.integrationUrl").await;
    rejects(
        &s,
        "pagertree",
        json!({"integrationUrl": "https://api.pagertree.com/integration/int_x", "urgency": "urgent"}),
        "config.urgency",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushbullet_pushes_a_note_with_the_access_token() {
    let s = started().await;
    let r = Receiver::start().await;
    let (st, b) = test_send(
        &s,
        "pushbullet",
        json!({"pushbullet_access_token": "o.secret", "pushbullet_device_id": "ujpah72o0sjAoRtnM0jc",
            "api_url": r.url("/pb/")}),
    )
    .await;
    assert_eq!(st, 200, "{b}");
    let got = r.wait_for(1, WAIT).await;
    assert_eq!((got[0].method.as_str(), got[0].path.as_str()), ("POST", "/pb/v2/pushes"));
    assert_eq!(got[0].header("access-token"), Some("o.secret"));
    assert_eq!(got[0].header("content-type"), Some("application/json"));
    assert_eq!(
        got[0].json(),
        json!({"type": "note", "title": "🔔 Test notification from Peekaping",
            "body": "If you can read this, the channel works.", "device_iden": "ujpah72o0sjAoRtnM0jc"})
    );

    // To a channel, with a template.
    let (st, b) = test_send(
        &s,
        "pushbullet",
        json!({"pushbullet_access_token": "o.secret", "pushbullet_channel_tag": "ops-alerts",
            "pushbullet_custom_template": "{{ name }} says {{ msg }}", "api_url": r.url("")}),
    )
    .await;
    assert_eq!(st, 200, "{b}");
    let got = r.wait_for(2, WAIT).await;
    assert_eq!(got[1].path, "/v2/pushes");
    let j = got[1].json();
    assert_eq!((&j["channel_tag"], &j["body"]), (&json!("ops-alerts"), &json!("Peekaping says Test notification")));
    assert!(j.get("device_iden").is_none(), "{j}");

    r.reply(401, "{\"error\":{\"code\":\"invalid_access_token\",\"message\":\"Access token is missing or invalid.\"}}");
    let (st, b) = test_send(&s, "pushbullet", json!({"pushbullet_access_token": "o.bad", "api_url": r.url("")})).await;
    assert_eq!(st, 502, "{b}");
    assert!(b["message"].as_str().unwrap().contains("invalid_access_token"), "{b}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushbullet_settings_are_validated() {
    let s = started().await;
    rejects(&s, "pushbullet", json!({"pushbullet_device_id": "d"}), "config.pushbullet_access_token").await;
    rejects(
        &s,
        "pushbullet",
        json!({"pushbullet_access_token": "t", "pushbullet_device_id": "d", "pushbullet_channel_tag": "c"}),
        "config.pushbullet_channel_tag",
    )
    .await;
    rejects(
        &s,
        "pushbullet",
        json!({"pushbullet_access_token": "t", "pushbullet_custom_template": "{{ x"}),
        "config.pushbullet_custom_template",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn microsoft_teams_posts_an_adaptive_card() {
    let s = started().await;
    let r = Receiver::start().await;
    r.reply(202, "");
    let (st, b) = test_send(
        &s,
        "microsoft_teams",
        json!({"webhook_url": r.url("/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=xyz")}),
    )
    .await;
    assert_eq!(st, 200, "{b}");
    let got = r.wait_for(1, WAIT).await;
    assert_eq!(got[0].method, "POST");
    assert_eq!(got[0].path, "/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=xyz");
    assert_eq!(got[0].header("content-type"), Some("application/json"));
    let j = got[0].json();
    assert_eq!(j["type"], "message");
    let attachment = &j["attachments"][0];
    assert_eq!(attachment["contentType"], "application/vnd.microsoft.card.adaptive");
    let card = &attachment["content"];
    assert_eq!((&card["type"], &card["version"]), (&json!("AdaptiveCard"), &json!("1.4")));
    assert_eq!(
        card["body"][0],
        json!({"type": "TextBlock", "text": "🔔 Test notification from Peekaping", "size": "Medium",
            "weight": "Bolder", "color": "Default", "wrap": true})
    );
    assert_eq!(
        card["body"][1],
        json!({"type": "TextBlock", "text": "If you can read this, the channel works.", "wrap": true})
    );
    assert_eq!(card["body"][2]["type"], "FactSet");
    assert_eq!(card["body"][2]["facts"][0], json!({"title": "Monitor", "value": "Peekaping"}));
    assert_eq!(card["body"][2]["facts"][1]["title"], "Time");

    // A template replaces the text.
    let (st, b) = test_send(
        &s,
        "microsoft_teams",
        json!({"webhook_url": r.url("/hook"), "use_template": "true", "template": "**{{ name }}**: {{ msg }}"}),
    )
    .await;
    assert_eq!(st, 200, "{b}");
    let got = r.wait_for(2, WAIT).await;
    assert_eq!(got[1].json()["attachments"][0]["content"]["body"][1]["text"], "**Peekaping**: Test notification");

    r.reply(400, "{\"error\":{\"code\":\"TriggerInputSchemaMismatch\"}}");
    let (st, b) = test_send(&s, "microsoft_teams", json!({"webhook_url": r.url("/hook?sig=topsecret")})).await;
    assert_eq!(st, 502, "{b}");
    let m = b["message"].as_str().unwrap();
    assert!(m.contains("400 from Microsoft Teams") && m.contains("TriggerInputSchemaMismatch"), "{m}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn microsoft_teams_colours_a_down_card_and_lists_the_target() {
    let s = started().await;
    let r = Receiver::start().await;
    let (status, b) = s
        .send(
            "POST",
            "/notification-channels",
            json!({"name": "teams", "type": "microsoft_teams", "config": json!({"webhook_url": r.url("/wf?sig=s")}).to_string()}),
        )
        .await;
    assert_eq!(status, 201, "{b}");
    let ch = b["data"]["id"].as_str().unwrap().to_string();
    let target = HttpTarget::start().await;
    target.set_status(503);
    let mut body = http_monitor("Billing", &target.url(), 1);
    body["notification_ids"] = json!([ch]);
    s.create_monitor(body).await;
    let got = r.wait_for(1, WAIT).await;
    let card = &got[0].json()["attachments"][0]["content"];
    assert_eq!(
        (&card["body"][0]["text"], &card["body"][0]["color"]),
        (&json!("🔴 Billing is DOWN"), &json!("Attention"))
    );
    let facts = card["body"][2]["facts"].as_array().unwrap().clone();
    assert_eq!(facts[0], json!({"title": "Monitor", "value": "Billing"}));
    assert_eq!(facts[1], json!({"title": "Target", "value": target.url()}));
    assert_eq!(facts[2]["title"], "Time");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn microsoft_teams_settings_are_validated() {
    let s = started().await;
    rejects(&s, "microsoft_teams", json!({}), "config.webhook_url").await;
    rejects(&s, "microsoft_teams", json!({"webhook_url": "teams"}), "config.webhook_url").await;
    rejects(
        &s,
        "microsoft_teams",
        json!({"webhook_url": "https://x.example", "use_template": true}),
        "config.template",
    )
    .await;
    rejects(
        &s,
        "microsoft_teams",
        json!({"webhook_url": "https://x.example", "template": "{{ nope }}"}),
        "config.template",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rocket_chat_posts_to_the_incoming_webhook() {
    let s = started().await;
    let r = Receiver::start().await;
    r.reply(200, "{\"success\":true}");
    let (st, b) = test_send(
        &s,
        "rocket_chat",
        json!({"webhook_url": r.url("/hooks/abc/token123"), "channel": "#ops", "username": "Peekaping",
            "icon_emoji": ":bell:"}),
    )
    .await;
    assert_eq!(st, 200, "{b}");
    let got = r.wait_for(1, WAIT).await;
    assert_eq!((got[0].method.as_str(), got[0].path.as_str()), ("POST", "/hooks/abc/token123"));
    assert_eq!(got[0].header("content-type"), Some("application/json"));
    assert_eq!(
        got[0].json(),
        json!({"text": "🔔 Test notification from Peekaping", "channel": "#ops", "alias": "Peekaping", "emoji": ":bell:",
            "attachments": [{"color": "#6b7280", "text": "If you can read this, the channel works."}]})
    );

    // With a template and no overrides; `success: false` is a refusal.
    r.reply(200, "{\"success\":false,\"error\":\"error-invalid-channel\"}");
    let (st, b) = test_send(
        &s,
        "rocket_chat",
        json!({"webhook_url": r.url("/hooks/x"), "use_template": true, "template": "{{ status_icon }} {{ msg }}"}),
    )
    .await;
    assert_eq!(st, 502, "{b}");
    assert!(b["message"].as_str().unwrap().contains("Rocket.Chat refused the message: error-invalid-channel"), "{b}");
    let got = r.wait_for(2, WAIT).await;
    assert_eq!(
        got[1].json(),
        json!({"text": "🔔 Test notification from Peekaping",
            "attachments": [{"color": "#6b7280", "text": "🔔 Test notification"}]})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rocket_chat_settings_are_validated() {
    let s = started().await;
    let url = "https://chat.example.com/hooks/a/b";
    rejects(&s, "rocket_chat", json!({"channel": "#ops"}), "config.webhook_url").await;
    rejects(&s, "rocket_chat", json!({"webhook_url": url, "channel": "ops"}), "config.channel").await;
    rejects(&s, "rocket_chat", json!({"webhook_url": url, "icon_emoji": "bell"}), "config.icon_emoji").await;
    rejects(&s, "rocket_chat", json!({"webhook_url": url, "use_template": true}), "config.template").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_assistant_calls_the_notify_service() {
    let s = started().await;
    let r = Receiver::start().await;
    r.reply(200, "[]");
    let (st, b) = test_send(
        &s,
        "home_assistant",
        json!({"home_assistant_url": r.url("/ha/"), "long_lived_access_token": "llat",
            "notification_service": "notify.mobile_app_pixel"}),
    )
    .await;
    assert_eq!(st, 200, "{b}");
    let got = r.wait_for(1, WAIT).await;
    assert_eq!((got[0].method.as_str(), got[0].path.as_str()), ("POST", "/ha/api/services/notify/mobile_app_pixel"));
    assert_eq!(got[0].header("authorization"), Some("Bearer llat"));
    assert_eq!(got[0].header("content-type"), Some("application/json"));
    assert_eq!(
        got[0].json(),
        json!({"title": "🔔 Test notification from Peekaping", "message": "If you can read this, the channel works."})
    );

    // The default service; Home Assistant's refusal is quoted.
    r.reply(401, "401: Unauthorized");
    let (st, b) =
        test_send(&s, "home_assistant", json!({"home_assistant_url": r.url(""), "long_lived_access_token": "expired"}))
            .await;
    assert_eq!(st, 502, "{b}");
    assert!(b["message"].as_str().unwrap().contains("401 from Home Assistant: 401: Unauthorized"), "{b}");
    let got = r.wait_for(2, WAIT).await;
    assert_eq!(got[1].path, "/api/services/notify/notify");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_assistant_settings_are_validated() {
    let s = started().await;
    let ok = json!({"home_assistant_url": "http://homeassistant.local:8123", "long_lived_access_token": "t"});
    for key in ["home_assistant_url", "long_lived_access_token"] {
        let mut c = ok.clone();
        c.as_object_mut().unwrap().remove(key);
        rejects(&s, "home_assistant", c, &format!("config.{key}")).await;
    }
    let mut c = ok.clone();
    c["notification_service"] = json!("Mobile App/../x");
    rejects(&s, "home_assistant", c, "config.notification_service").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apprise_notifies_statelessly_or_through_a_saved_key() {
    let s = started().await;
    let r = Receiver::start().await;
    let (st, b) = test_send(
        &s,
        "apprise",
        json!({"apprise_url": r.url("/apprise"), "apprise_urls": "mailto://u:p@example.com\ntgram://123:abc/456, ntfy://topic"}),
    )
    .await;
    assert_eq!(st, 200, "{b}");
    let got = r.wait_for(1, WAIT).await;
    assert_eq!((got[0].method.as_str(), got[0].path.as_str()), ("POST", "/apprise/notify/"));
    assert_eq!(got[0].header("content-type"), Some("application/json"));
    assert_eq!(
        got[0].json(),
        json!({"urls": "mailto://u:p@example.com,tgram://123:abc/456,ntfy://topic",
            "title": "🔔 Test notification from Peekaping", "body": "If you can read this, the channel works.",
            "type": "info"})
    );

    // With a saved configuration's key and a tag: no URLs are sent.
    let (st, b) = test_send(
        &s,
        "apprise",
        json!({"apprise_url": r.url(""), "apprise_key": "peekaping-ops", "apprise_tag": "devops",
            "apprise_urls": "mailto://ignored@example.com"}),
    )
    .await;
    assert_eq!(st, 200, "{b}");
    let got = r.wait_for(2, WAIT).await;
    assert_eq!(got[1].path, "/notify/peekaping-ops");
    assert_eq!(
        got[1].json(),
        json!({"tag": "devops", "title": "🔔 Test notification from Peekaping",
            "body": "If you can read this, the channel works.", "type": "info"})
    );

    r.reply(424, "One or more notification could not be sent.");
    let (st, b) = test_send(&s, "apprise", json!({"apprise_url": r.url(""), "apprise_key": "k"})).await;
    assert_eq!(st, 502, "{b}");
    assert!(b["message"].as_str().unwrap().contains("424 from the Apprise API"), "{b}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apprise_settings_are_validated() {
    let s = started().await;
    rejects(&s, "apprise", json!({"apprise_urls": "mailto://a@b.c"}), "config.apprise_url").await;
    rejects(&s, "apprise", json!({"apprise_url": "http://apprise:8000"}), "config.apprise_urls").await;
    rejects(
        &s,
        "apprise",
        json!({"apprise_url": "http://apprise:8000", "apprise_urls": "just text"}),
        "config.apprise_urls",
    )
    .await;
    rejects(&s, "apprise", json!({"apprise_url": "http://apprise:8000", "apprise_key": "a/b"}), "config.apprise_key")
        .await;
    // A tag alone selects the server's stateless URLs.
    let (status, b) = s
        .send(
            "POST",
            "/notification-channels",
            json!({"name": "a", "type": "apprise",
                "config": json!({"apprise_url": "http://apprise:8000", "apprise_tag": "ops"}).to_string()}),
        )
        .await;
    assert_eq!(status, 201, "{b}");
}

//! API keys (`/api-keys`, `X-API-Key`, scopes, expiry, usage caps), Prometheus `/metrics`
//! and public SVG badges, against the real binary.

mod support;

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{HttpTarget, Server, http_monitor, started_server};

/// Creates a key; returns (token, id).
async fn create_key(s: &Server, body: Value) -> (String, String) {
    let (status, b) = s.send("POST", "/api-keys", body).await;
    assert_eq!(status, 201, "{b}");
    (b["data"]["key"].as_str().unwrap().to_string(), b["data"]["id"].as_str().unwrap().to_string())
}

/// A request with `X-API-Key` only.
async fn with_key(s: &Server, method: &str, path: &str, key: &str, body: Option<Value>) -> (u16, Value) {
    let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut rb = s.http.request(m, s.url(path)).header("X-API-Key", key);
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    let r = rb.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// A request without any credentials.
async fn anonymous(s: &Server, method: &str, path: &str, body: Value) -> (u16, Value) {
    let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let r = s.http.request(m, s.url(path)).json(&body).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn message(b: &Value) -> String {
    b["error"]["message"].as_str().or(b["message"].as_str()).unwrap_or_default().to_string()
}

#[tokio::test]
async fn api_key_config_is_public() {
    let s = Server::start(&[]).await;
    let (status, b) = anonymous(&s, "GET", "/api-keys/config", json!(null)).await;
    assert_eq!(status, 200, "{b}");
    assert_eq!(b["data"]["prefix"], "pk_");
}

#[tokio::test]
async fn a_created_key_is_shown_once_and_authenticates() {
    let s = started_server().await;
    let (status, b) = s.send("POST", "/api-keys", json!({"name": "ci"})).await;
    assert_eq!(status, 201, "{b}");
    let token = b["data"]["key"].as_str().unwrap().to_string();
    let id = b["data"]["id"].as_str().unwrap().to_string();
    assert!(token.starts_with("pk_"));
    assert_eq!(b["data"]["scope"], "write");
    assert!(b["data"]["display_key"].as_str().unwrap().starts_with("pk_"));
    assert!(!b["data"]["display_key"].as_str().unwrap().contains(&token[3..]));

    let (_, list) = s.get("/api-keys").await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    assert!(list["data"][0].get("key").is_none(), "the token is never read back: {list}");
    let (_, one) = s.get(&format!("/api-keys/{id}")).await;
    assert!(one["data"].get("key").is_none());
    assert_eq!(one["data"]["usage_count"], 0);

    let (status, b) = with_key(&s, "GET", "/monitors", &token, None).await;
    assert_eq!(status, 200, "{b}");
    let target = HttpTarget::start().await;
    let (status, b) = with_key(&s, "POST", "/monitors", &token, Some(http_monitor("by-key", &target.url(), 60))).await;
    assert_eq!(status, 201, "a write key creates monitors: {b}");

    let (_, one) = s.get(&format!("/api-keys/{id}")).await;
    assert_eq!(one["data"]["usage_count"], 2, "{one}");
    assert!(one["data"]["last_used"].is_string());

    // Prometheus' bearer_token sends the key in Authorization.
    let r = s.http.get(s.url("/monitors")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn usage_counts_survive_a_restart() {
    let mut s = started_server().await;
    let (token, id) = create_key(&s, json!({"name": "counted"})).await;
    for _ in 0..3 {
        assert_eq!(with_key(&s, "GET", "/monitors", &token, None).await.0, 200);
    }
    // Uncapped keys are counted in memory and written in batches; a clean stop flushes.
    let dir = s.dir.clone();
    s.stop();
    let mut s = Server::start_in(dir, &[]).await;
    let (status, b) =
        s.send("POST", "/auth/login", json!({"email": support::EMAIL, "password": support::PASSWORD})).await;
    assert_eq!(status, 200, "{b}");
    s.token = Some(b["data"]["accessToken"].as_str().unwrap().to_string());
    let (_, one) = s.get(&format!("/api-keys/{id}")).await;
    assert_eq!(one["data"]["usage_count"], 3, "{one}");
}

#[tokio::test]
async fn key_management_needs_a_logged_in_user() {
    let s = started_server().await;
    let (token, id) = create_key(&s, json!({"name": "k"})).await;
    let item = format!("/api-keys/{id}");
    for (method, path) in [
        ("GET", "/api-keys"),
        ("POST", "/api-keys"),
        ("GET", item.as_str()),
        ("PUT", item.as_str()),
        ("DELETE", item.as_str()),
    ] {
        let (status, b) = anonymous(&s, method, path, json!({"name": "x"})).await;
        assert_eq!(status, 401, "{method} {path}: {b}");
        let (status, b) = with_key(&s, method, path, &token, Some(json!({"name": "x"}))).await;
        assert_eq!(status, 403, "an API key cannot manage keys: {method} {path}: {b}");
        assert!(message(&b).contains("API keys cannot manage"), "{b}");
    }
}

#[tokio::test]
async fn read_scope_keys_may_only_read() {
    let s = started_server().await;
    let (token, _) = create_key(&s, json!({"name": "reader", "scope": "read"})).await;
    assert_eq!(with_key(&s, "GET", "/monitors", &token, None).await.0, 200);
    let (status, b) =
        with_key(&s, "POST", "/monitors", &token, Some(http_monitor("x", "http://127.0.0.1:9/", 60))).await;
    assert_eq!(status, 403, "{b}");
    assert!(message(&b).contains("scope 'read'"), "{b}");
    let (status, _) = with_key(&s, "DELETE", "/proxies/any", &token, None).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn api_keys_never_reach_auth_endpoints() {
    let s = started_server().await;
    let (token, _) = create_key(&s, json!({"name": "k"})).await;
    let (status, b) = with_key(
        &s,
        "PUT",
        "/auth/password",
        &token,
        Some(json!({"currentPassword": support::PASSWORD, "newPassword": "0ther!Passw0rd"})),
    )
    .await;
    assert_eq!(status, 403, "{b}");
    assert!(message(&b).contains("/auth"), "{b}");
    let (status, _) = with_key(
        &s,
        "POST",
        "/auth/2fa/setup",
        &token,
        Some(json!({"email": support::EMAIL, "password": support::PASSWORD})),
    )
    .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn invalid_key_input_names_the_field() {
    let s = started_server().await;
    let cases = [
        (json!({"name": "  "}), "name"),
        (json!({"name": "k", "scope": "admin"}), "scope"),
        (json!({"name": "k", "max_usage_count": 0}), "max_usage_count"),
        (json!({"name": "k", "expires_at": "2001-01-01T00:00:00Z"}), "expires_at"),
        (json!({"name": "k", "expires_at": "next tuesday"}), "expires_at"),
        (json!({"name": "k", "max_usage_count": "many"}), "max_usage_count"),
        (json!({}), "name"),
    ];
    for (body, field) in cases {
        let (status, b) = s.send("POST", "/api-keys", body.clone()).await;
        assert_eq!(status, 400, "{body}: {b}");
        assert_eq!(b["error"]["field"], field, "{body}: {b}");
    }
    let (_, id) = create_key(&s, json!({"name": "k"})).await;
    let (status, b) = s.send("PUT", &format!("/api-keys/{id}"), json!({"scope": "root"})).await;
    assert_eq!((status, b["error"]["field"].as_str()), (400, Some("scope")), "{b}");
    let (status, _) = s.send("PUT", "/api-keys/no-such-key", json!({"name": "x"})).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn keys_are_updated_and_revoked() {
    let s = started_server().await;
    let (token, id) = create_key(&s, json!({"name": "k", "max_usage_count": 10})).await;
    let (status, b) = s.send("PUT", &format!("/api-keys/{id}"), json!({"name": "renamed", "scope": "read"})).await;
    assert_eq!(status, 200, "{b}");
    assert_eq!((b["data"]["name"].as_str(), b["data"]["scope"].as_str()), (Some("renamed"), Some("read")));
    assert_eq!(b["data"]["max_usage_count"], 10, "absent fields stay");
    let (_, b) = s.send("PUT", &format!("/api-keys/{id}"), json!({"max_usage_count": null})).await;
    assert!(b["data"]["max_usage_count"].is_null(), "null clears the cap: {b}");
    assert_eq!(with_key(&s, "POST", "/proxies", &token, Some(json!({}))).await.0, 403, "now read-only");

    let (status, _) = s.send("DELETE", &format!("/api-keys/{id}"), json!(null)).await;
    assert_eq!(status, 200);
    let (status, b) = with_key(&s, "GET", "/monitors", &token, None).await;
    assert_eq!(status, 401, "a deleted key stops working: {b}");
    assert_eq!(s.get(&format!("/api-keys/{id}")).await.0, 404);
    assert_eq!(s.send("DELETE", &format!("/api-keys/{id}"), json!(null)).await.0, 404);
}

#[tokio::test]
async fn expired_exhausted_and_forged_keys_get_401() {
    let s = started_server().await;
    let (capped, _) = create_key(&s, json!({"name": "twice", "max_usage_count": 2})).await;
    assert_eq!(with_key(&s, "GET", "/monitors", &capped, None).await.0, 200);
    assert_eq!(with_key(&s, "GET", "/monitors", &capped, None).await.0, 200);
    let (status, b) = with_key(&s, "GET", "/monitors", &capped, None).await;
    assert_eq!(status, 401, "{b}");
    assert!(message(&b).contains("maximum usage count"), "{b}");

    let soon = chrono::Utc::now() + chrono::Duration::milliseconds(1500);
    let (expiring, _) = create_key(&s, json!({"name": "brief", "expires_at": soon.to_rfc3339()})).await;
    assert_eq!(with_key(&s, "GET", "/monitors", &expiring, None).await.0, 200);
    tokio::time::sleep(Duration::from_millis(1700)).await;
    let (status, b) = with_key(&s, "GET", "/monitors", &expiring, None).await;
    assert_eq!(status, 401, "{b}");
    assert!(message(&b).contains("expired"), "{b}");

    // Right id, wrong secret.
    let (_, id) = create_key(&s, json!({"name": "real"})).await;
    use base64::Engine as _;
    let forged = format!(
        "pk_{}",
        base64::engine::general_purpose::STANDARD.encode(json!({"id": id, "key": "guess"}).to_string())
    );
    assert_eq!(with_key(&s, "GET", "/monitors", &forged, None).await.0, 401);
    assert_eq!(with_key(&s, "GET", "/monitors", "pk_not-base64!", None).await.0, 401);
}

// ---------------------------------------------------------------- /metrics

/// One sample of the exposition text.
#[derive(Debug)]
struct Sample {
    name: String,
    labels: Vec<(String, String)>,
    value: f64,
}

impl Sample {
    fn label(&self, k: &str) -> Option<&str> {
        self.labels.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str())
    }
}

/// A small parser of the Prometheus text format (0.0.4): comments, `name{l="v",…} value`,
/// escaped label values. Panics on anything malformed.
fn parse_exposition(text: &str) -> Vec<Sample> {
    let mut out = Vec::new();
    for line in text.lines() {
        if line.is_empty() {
            continue;
        }
        if let Some(c) = line.strip_prefix('#') {
            let c = c.trim_start();
            assert!(c.starts_with("HELP ") || c.starts_with("TYPE "), "bad comment {line:?}");
            if let Some(t) = c.strip_prefix("TYPE ") {
                let kind = t.split_whitespace().nth(1).unwrap();
                assert!(["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind), "{line}");
            }
            continue;
        }
        let name_end = line.find(['{', ' ']).expect("name");
        let name = &line[..name_end];
        assert!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
                && !name.starts_with(|c: char| c.is_ascii_digit()),
            "bad metric name {name:?}"
        );
        let mut rest = &line[name_end..];
        let mut labels = Vec::new();
        if let Some(r) = rest.strip_prefix('{') {
            let mut chars = r.char_indices().peekable();
            let consumed = loop {
                let (i, c) = chars.next().expect("unterminated labels");
                if c == '}' {
                    break i + 1;
                }
                if c == ',' {
                    continue;
                }
                let eq = r[i..].find("=\"").expect("label =\"") + i;
                let key = r[i..eq].to_string();
                let mut val = String::new();
                while chars.peek().is_some_and(|(j, _)| *j < eq + 2) {
                    chars.next();
                }
                loop {
                    let (_, c) = chars.next().expect("unterminated label value");
                    match c {
                        '\\' => match chars.next().expect("escape").1 {
                            'n' => val.push('\n'),
                            e @ ('\\' | '"') => val.push(e),
                            e => panic!("bad escape \\{e}"),
                        },
                        '"' => break,
                        c => val.push(c),
                    }
                }
                labels.push((key, val));
            };
            rest = &r[consumed..];
        }
        let value = rest.trim();
        let value = match value {
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            v => v.parse::<f64>().unwrap_or_else(|_| panic!("bad value in {line:?}")),
        };
        out.push(Sample { name: name.to_string(), labels, value });
    }
    out
}

#[test]
fn the_exposition_parser_reads_escapes_and_refuses_garbage() {
    let s = parse_exposition("# TYPE a gauge\na{x=\"q\\\"\\\\\\n\",y=\"2\"} 1.5\nb 3\n");
    assert_eq!(s.len(), 2);
    assert_eq!(s[0].label("x"), Some("q\"\\\n"));
    assert_eq!(s[0].value, 1.5);
    assert!(std::panic::catch_unwind(|| parse_exposition("a{x=\"1\"} notanumber")).is_err());
    assert!(std::panic::catch_unwind(|| parse_exposition("a{x=\"1} 2")).is_err());
}

async fn scrape(s: &Server, key: Option<&str>) -> (u16, String) {
    let mut rb = s.http.get(format!("{}/metrics", s.base));
    if let Some(k) = key {
        rb = rb.bearer_auth(k);
    }
    let r = rb.send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn metrics_are_off_by_default_then_need_a_key() {
    let s = started_server().await;
    let (token, _) = create_key(&s, json!({"name": "prometheus", "scope": "read"})).await;
    let (status, body) = scrape(&s, Some(&token)).await;
    assert_eq!(status, 404, "{body}");

    let (status, b) = s.send("PUT", "/settings/key/metrics_enabled", json!({"value": "yes", "type": "bool"})).await;
    assert_eq!((status, b["error"]["field"].as_str()), (400, Some("value")), "{b}");
    let (status, b) = s.send("PUT", "/settings/key/metrics_enabled", json!({"value": "true", "type": "bool"})).await;
    assert_eq!(status, 200, "{b}");

    let (status, body) = scrape(&s, None).await;
    assert_eq!(status, 401, "{body}");
    let (status, _) = scrape(&s, Some("pk_forged")).await;
    assert_eq!(status, 401);
    let r = s.http.get(format!("{}/metrics", s.base)).header("X-API-Key", &token).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
}

#[tokio::test]
async fn metrics_report_monitors_with_histogram_buckets() {
    let s = started_server().await;
    let target = HttpTarget::start().await;
    // Heartbeats are counted from the moment /metrics is switched on.
    s.send("PUT", "/settings/key/metrics_enabled", json!({"value": "true", "type": "bool"})).await;
    let id = s.create_monitor(http_monitor("web \"one\"", &target.url(), 1)).await;
    s.wait_beats(&id, 2, Duration::from_secs(20)).await;
    let (token, _) = create_key(&s, json!({"name": "prometheus", "scope": "read"})).await;

    let (status, text) = scrape(&s, Some(&token)).await;
    assert_eq!(status, 200, "{text}");
    let samples = parse_exposition(&text);
    let of = |name: &str| {
        samples.iter().filter(|x| x.name == name && x.label("monitor_id") == Some(&id)).collect::<Vec<_>>()
    };

    let status = of("peekaping_monitor_status");
    assert_eq!(status.len(), 1, "{text}");
    assert_eq!(status[0].value, 1.0);
    assert_eq!(status[0].label("monitor_name"), Some("web \"one\""));
    assert_eq!(status[0].label("monitor_type"), Some("http"));

    let buckets = of("peekaping_monitor_response_time_ms_bucket");
    let les: Vec<&str> = buckets.iter().map(|b| b.label("le").unwrap()).collect();
    assert_eq!(les, ["5", "10", "25", "50", "100", "250", "500", "1000", "2500", "5000", "10000", "+Inf"], "{text}");
    let counts: Vec<f64> = buckets.iter().map(|b| b.value).collect();
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "buckets are cumulative: {counts:?}");
    let count = of("peekaping_monitor_response_time_ms_count")[0].value;
    assert!(count >= 1.0, "{text}");
    assert_eq!(*counts.last().unwrap(), count);
    assert!(of("peekaping_monitor_response_time_ms_sum")[0].value > 0.0);

    let uptime = of("peekaping_monitor_uptime_ratio");
    assert!(uptime.iter().any(|u| u.label("window") == Some("24h") && u.value == 1.0), "{text}");
    assert_eq!(of("peekaping_monitor_state_changes_total").len(), 1);

    let global = |name: &str| samples.iter().find(|x| x.name == name).map(|x| x.value);
    assert!(global("process_resident_memory_bytes").unwrap() > 1e6);
    assert!(global("process_open_fds").unwrap() > 0.0);
    assert!(global("process_cpu_seconds_total").is_some());
    assert!(global("process_start_time_seconds").unwrap() > 1.7e9);
    let queues: Vec<&str> =
        samples.iter().filter(|x| x.name == "peekaping_queue_depth").filter_map(|x| x.label("queue")).collect();
    assert_eq!(queues, ["checks", "results", "notifications"]);
}

// ---------------------------------------------------------------- badges

/// Puts the monitor on a new published status page, which makes its badges public.
async fn publish(s: &Server, monitor_id: &str) {
    let slug = format!("p-{}", monitor_id.to_ascii_lowercase());
    let (status, b) =
        s.send("POST", "/status-pages", json!({"slug": slug, "title": "Page", "monitor_ids": [monitor_id]})).await;
    assert_eq!(status, 201, "{b}");
}

async fn badge(s: &Server, path: &str) -> reqwest::Response {
    s.http.get(format!("{}/api/v1/badge/{path}", s.base)).send().await.unwrap()
}

#[tokio::test]
async fn badges_are_served_only_for_monitors_on_a_published_page() {
    let s = started_server().await;
    let target = HttpTarget::start().await;
    let id = s.create_monitor(http_monitor("site", &target.url(), 60)).await;
    let exposed = |id: String| {
        let s = &s;
        async move {
            let (status, b) = s.get(&format!("/monitors/{id}/badges")).await;
            assert_eq!(status, 200, "{b}");
            b["data"]["public"].as_bool().unwrap()
        }
    };
    assert_eq!(badge(&s, &format!("{id}/status")).await.status(), 404, "on no page");
    assert!(!exposed(id.clone()).await);
    assert_eq!(badge(&s, "no-such-monitor/status").await.status(), 404);
    assert_eq!(s.get("/monitors/no-such-monitor/badges").await.0, 404);

    let (status, page) = s
        .send(
            "POST",
            "/status-pages",
            json!({"slug": "draft", "title": "Draft", "published": false, "monitor_ids": [id]}),
        )
        .await;
    assert_eq!(status, 201, "{page}");
    let page_id = page["data"]["id"].as_str().unwrap().to_string();
    let r = badge(&s, &format!("{id}/status")).await;
    assert_eq!(r.status(), 404, "on an unpublished page only");
    let b: Value = r.json().await.unwrap();
    assert_eq!(b["error"]["code"], "not_found");
    assert!(!exposed(id.clone()).await);

    let (status, b) = s.send("PATCH", &format!("/status-pages/{page_id}"), json!({"published": true})).await;
    assert_eq!(status, 200, "{b}");
    let r = badge(&s, &format!("{id}/status")).await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("image/svg+xml"));
    assert!(r.text().await.unwrap().starts_with("<svg"));
    assert!(exposed(id.clone()).await);

    // Paused monitors have no badge.
    let (status, _) = s.send("PATCH", &format!("/monitors/{id}"), json!({"active": false})).await;
    assert_eq!(status, 200);
    assert_eq!(badge(&s, &format!("{id}/status")).await.status(), 404);
    assert!(!exposed(id.clone()).await);

    // A monitor shown through a tag section of a published page.
    let tagged = s.create_monitor(http_monitor("tagged", &target.url(), 60)).await;
    assert_eq!(badge(&s, &format!("{tagged}/status")).await.status(), 404);
    let (status, tag) = s.send("POST", "/tags", json!({"name": "prod"})).await;
    assert_eq!(status, 201, "{tag}");
    let tag_id = tag["data"]["id"].as_str().unwrap().to_string();
    let (status, b) = s.send("PATCH", &format!("/monitors/{tagged}"), json!({"tag_ids": [tag_id]})).await;
    assert_eq!(status, 200, "{b}");
    let (status, b) = s
        .send(
            "POST",
            "/status-pages",
            json!({"slug": "public", "title": "Public", "sections": [{"name": "Prod", "tag_id": tag_id}]}),
        )
        .await;
    assert_eq!(status, 201, "{b}");
    assert_eq!(badge(&s, &format!("{tagged}/status")).await.status(), 200);
    assert!(exposed(tagged).await);
}

#[tokio::test]
async fn every_badge_kind_and_style_renders_and_bad_parameters_name_the_field() {
    let s = started_server().await;
    let target = HttpTarget::start().await;
    let id = s.create_monitor(http_monitor("site", &target.url(), 1)).await;
    s.wait_beats(&id, 2, Duration::from_secs(20)).await;
    publish(&s, &id).await;

    let up = badge(&s, &format!("{id}/status?upLabel=Online&upColor=00ff00&label=API")).await.text().await.unwrap();
    assert!(up.contains(">Online<") && up.contains("#00ff00") && up.contains(">API<"), "{up}");
    let uptime = badge(&s, &format!("{id}/uptime/24?labelPrefix=My%20&suffix=%20pct")).await.text().await.unwrap();
    assert!(uptime.contains(">100 pct<") && uptime.contains("My Uptime (24h)"), "{uptime}");

    let started = Instant::now();
    for path in [
        "status",
        "uptime",
        "uptime/720",
        "ping",
        "ping/2",
        "cert-exp?warnDays=30&downDays=3",
        "response",
        "sparkline",
        "sparkline/1",
    ] {
        for style in ["flat", "flat-square", "plastic", "for-the-badge", "social"] {
            let sep = if path.contains('?') { '&' } else { '?' };
            let r = badge(&s, &format!("{id}/{path}{sep}style={style}&labelColor=blue")).await;
            assert_eq!(r.status(), 200, "{path} {style}");
            let svg = r.text().await.unwrap();
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"), "{path} {style}: {svg}");
        }
    }
    assert!(started.elapsed() < Duration::from_secs(20));
    let spark = badge(&s, &format!("{id}/sparkline/1")).await.text().await.unwrap();
    assert!(spark.contains("<path d=\"M"), "a line is drawn from the beats: {spark}");

    let long_suffix = format!("status?labelSuffix={}", "x".repeat(101));
    for (query, field) in [
        ("status?style=round", "style"),
        ("status?color=%22%3E%3Cscript%3E", "color"),
        ("status?labelColor=no%20pe", "labelColor"),
        ("cert-exp?warnDays=-1", "warnDays"),
        ("cert-exp?downDays=x", "downDays"),
        ("uptime/0", "hours"),
        (long_suffix.as_str(), "labelSuffix"),
        ("ping/abc", "hours"),
    ] {
        let r = badge(&s, &format!("{id}/{query}")).await;
        assert_eq!(r.status(), 400, "{query}");
        let b: Value = r.json().await.unwrap();
        assert_eq!(b["error"]["field"], field, "{query}: {b}");
    }
    assert_eq!(badge(&s, &format!("{id}/nonsense")).await.status(), 404);
    assert_eq!(badge(&s, &format!("{id}/status/24")).await.status(), 404);
}

#[tokio::test]
async fn badges_answer_304_to_a_matching_etag() {
    let s = started_server().await;
    let target = HttpTarget::start().await;
    let id = s.create_monitor(http_monitor("site", &target.url(), 60)).await;
    publish(&s, &id).await;

    let path = format!("{}/api/v1/badge/{id}/cert-exp?style=plastic", s.base);
    let r = s.http.get(&path).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let tag = r.headers()["etag"].to_str().unwrap().to_string();
    assert_eq!(r.headers()["cache-control"], "public, max-age=60");
    let r = s.http.get(&path).header("If-None-Match", &tag).send().await.unwrap();
    assert_eq!(r.status(), 304);
    assert_eq!(r.headers()["etag"].to_str().unwrap(), tag);
    assert!(r.text().await.unwrap().is_empty());
    let r = s.http.get(&path).header("If-None-Match", "\"0000\"").send().await.unwrap();
    assert_eq!(r.status(), 200);
    let other = s.http.get(format!("{path}&label=Other")).header("If-None-Match", &tag).send().await.unwrap();
    assert_eq!(other.status(), 200, "a different picture has a different tag");
}

//! Status pages and incidents against the real binary: the authed API (success, 401,
//! field-naming 4xx), the public JSON and HTML (published and password enforced by the
//! server, custom-domain Host routing, escaping), the feeds, and cache invalidation.

mod support;

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{HttpTarget, Server, http_monitor, started_server};

fn field(body: &Value) -> &str {
    body["error"]["field"].as_str().unwrap_or_default()
}

/// Sends without the admin's token.
async fn anon(s: &Server, method: &str, path: &str, body: Value) -> (u16, Value) {
    let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let r = s.http.request(m, s.url(path)).json(&body).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn create_page(s: &Server, body: Value) -> Value {
    let (status, b) = s.send("POST", "/status-pages", body).await;
    assert_eq!(status, 201, "{b}");
    b["data"].clone()
}

/// GET of a non-API path with optional Host and Cookie headers: (status, headers, body).
async fn raw(
    s: &Server,
    path: &str,
    host: Option<&str>,
    cookie: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, String) {
    let mut rb = s.http.get(format!("{}{path}", s.base));
    if let Some(h) = host {
        rb = rb.header("host", h);
    }
    if let Some(c) = cookie {
        rb = rb.header("cookie", c);
    }
    let r = rb.send().await.unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, headers, r.text().await.unwrap())
}

async fn public_get(s: &Server, path: &str, cookie: Option<&str>) -> (u16, Value) {
    let mut rb = s.http.get(s.url(path));
    if let Some(c) = cookie {
        rb = rb.header("cookie", c);
    }
    let r = rb.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Creates a tag through the tags API and returns its id.
async fn create_tag(s: &Server, name: &str, color: &str) -> String {
    let (status, b) = s.send("POST", "/tags", json!({"name": name, "color": color})).await;
    assert_eq!(status, 201, "{b}");
    b["data"]["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn status_page_crud_names_fields_and_requires_auth() {
    let s = started_server().await;
    let target = HttpTarget::start().await;
    let m1 = s.create_monitor(http_monitor("api", &target.url(), 60)).await;
    let m2 = s.create_monitor(http_monitor("database", &target.url(), 60)).await;

    let page = create_page(
        &s,
        json!({"slug": "acme", "title": "Acme status", "password": "s3cret", "domains": ["Status.Acme.test"],
               "monitor_ids": [m1], "sections": [{"name": "Data", "monitor_ids": [m2]}],
               "custom_css": "body{color:red}</style><script>x</script>@import url(http://x/y.css);"}),
    )
    .await;
    let id = page["id"].as_str().unwrap().to_string();
    assert_eq!(page["has_password"], true);
    assert!(page.get("password").is_none() && page.get("password_hash").is_none(), "{page}");
    assert_eq!(page["domains"], json!(["status.acme.test"]));
    assert_eq!(page["monitor_ids"], json!([m1]));
    assert_eq!(page["sections"][0]["monitor_ids"], json!([m2]));
    let css = page["custom_css"].as_str().unwrap();
    assert!(css.contains("body{color:red}") && !css.contains("</style") && !css.contains("@import"), "{css}");
    assert_eq!((page["theme"].as_str(), page["auto_refresh_interval"].as_u64()), (Some("light"), Some(300)));

    let (st, b) = s.get(&format!("/status-pages/{id}")).await;
    assert_eq!((st, b["data"]["slug"].as_str()), (200, Some("acme")));
    create_page(&s, json!({"slug": "other", "title": "Other"})).await;
    let (st, b) = s.get("/status-pages?q=acm").await;
    assert_eq!((st, b["total"].as_u64()), (200, Some(1)), "{b}");
    let (_, b) = s.get("/status-pages?limit=1&page=1").await;
    assert_eq!((b["total"].as_u64(), b["data"].as_array().unwrap().len()), (Some(2), 1));

    // PATCH changes only what it names; PUT does the same.
    let (st, b) = s.send("PATCH", &format!("/status-pages/{id}"), json!({"title": "Acme", "password": null})).await;
    assert_eq!(st, 200, "{b}");
    assert_eq!((b["data"]["title"].as_str(), b["data"]["has_password"].as_bool()), (Some("Acme"), Some(false)));
    assert_eq!(b["data"]["sections"][0]["monitor_ids"], json!([m2]), "sections stay");
    let (st, b) = s.send("PUT", &format!("/status-pages/{id}"), json!({"theme": "dark", "sections": []})).await;
    assert_eq!((st, b["data"]["theme"].as_str()), (200, Some("dark")), "{b}");
    assert_eq!(b["data"]["sections"], json!([]));

    // Invalid input: 4xx naming the field, never 500.
    for (body, want) in [
        (json!({"slug": "Bad Slug", "title": "x"}), "slug"),
        (json!({"slug": "ok-slug"}), "title"),
        (json!({"slug": "ok-slug", "title": "x", "theme": "pink"}), "theme"),
        (json!({"slug": "ok-slug", "title": "x", "auto_refresh_interval": 3}), "auto_refresh_interval"),
        (json!({"slug": "ok-slug", "title": "x", "domains": ["http://a.test/x"]}), "domains"),
        (json!({"slug": "ok-slug", "title": "x", "icon": "javascript:alert(1)"}), "icon"),
        (json!({"slug": "ok-slug", "title": "x", "monitor_ids": ["nope"]}), "monitor_ids"),
        (json!({"slug": "ok-slug", "title": "x", "sections": [{"name": ""}]}), "sections[0].name"),
        (json!({"slug": "ok-slug", "title": "x", "sections": [{"name": "S", "tag_id": "nope"}]}), "sections[0].tag_id"),
        (
            json!({"slug": "ok-slug", "title": "x", "monitor_ids": [m1], "sections": [{"name": "S", "monitor_ids": [m1]}]}),
            "sections[0].monitor_ids",
        ),
        (json!({"slug": "ok-slug", "title": "x", "published": "yes"}), "published"),
    ] {
        let (st, b) = s.send("POST", "/status-pages", body.clone()).await;
        assert_eq!(st, 400, "{body} → {b}");
        assert_eq!(field(&b), want, "{body} → {b}");
    }
    let (st, b) = s.send("POST", "/status-pages", json!({"slug": "acme", "title": "dup"})).await;
    assert_eq!((st, field(&b)), (409, "slug"), "{b}");
    let (st, b) =
        s.send("POST", "/status-pages", json!({"slug": "dup", "title": "dup", "domains": ["status.acme.test"]})).await;
    assert_eq!((st, field(&b)), (409, "domains"), "{b}");
    let (st, b) = s.send("PATCH", &format!("/status-pages/{id}"), json!({"slug": "other"})).await;
    assert_eq!((st, field(&b)), (409, "slug"), "{b}");
    let (st, b) = s.send("PATCH", &format!("/status-pages/{id}"), json!({"auto_refresh_interval": -1})).await;
    assert_eq!((st, field(&b)), (400, "auto_refresh_interval"), "{b}");

    // Without a token: 401 everywhere.
    for (method, path) in [
        ("GET", "/status-pages".to_string()),
        ("POST", "/status-pages".to_string()),
        ("GET", format!("/status-pages/{id}")),
        ("PATCH", format!("/status-pages/{id}")),
        ("PUT", format!("/status-pages/{id}")),
        ("DELETE", format!("/status-pages/{id}")),
        ("GET", format!("/status-pages/{id}/incidents")),
        ("POST", format!("/status-pages/{id}/incidents")),
    ] {
        let (st, _) = anon(&s, method, &path, json!({"slug": "x", "title": "x"})).await;
        assert_eq!(st, 401, "{method} {path}");
    }

    let (st, _) = s.send("DELETE", &format!("/status-pages/{id}"), json!({})).await;
    assert_eq!(st, 200);
    let (st, _) = s.get(&format!("/status-pages/{id}")).await;
    assert_eq!(st, 404);
    let (st, _) = s.send("DELETE", &format!("/status-pages/{id}"), json!({})).await;
    assert_eq!(st, 404);
}

#[tokio::test]
async fn unpublished_page_is_not_found_on_every_public_endpoint() {
    let s = started_server().await;
    let target = HttpTarget::start().await;
    let m = s.create_monitor(http_monitor("api", &target.url(), 60)).await;
    let page = create_page(
        &s,
        json!({"slug": "hidden", "title": "Hidden", "published": false, "monitor_ids": [m], "domains": ["hidden.test"]}),
    )
    .await;
    let id = page["id"].as_str().unwrap();
    let (st, _) = s.send("POST", &format!("/status-pages/{id}/incidents"), json!({"title": "Outage"})).await;
    assert_eq!(st, 201);

    let json_paths = [
        "/status-pages/slug/hidden",
        "/status-pages/slug/hidden/monitors",
        "/status-pages/slug/hidden/monitors/homepage",
        "/status-pages/slug/hidden/incidents",
        "/status-pages/domain/hidden.test",
    ];
    let html_paths = ["/status/hidden", "/status/hidden/feed.atom", "/status/hidden/rss.xml"];
    let check_all = |expect: u16| {
        let s = &s;
        async move {
            for p in json_paths {
                let (st, b) = public_get(s, p, None).await;
                assert_eq!(st, expect, "{p}: {b}");
            }
            for p in html_paths {
                let (st, _, body) = raw(s, p, None, None).await;
                assert_eq!(st, expect, "{p}: {body}");
            }
            let (st, _, body) = raw(s, "/", Some("hidden.test"), None).await;
            assert_eq!(st, expect, "custom domain root: {body}");
        }
    };
    check_all(404).await;
    let (st, _) = anon(&s, "POST", "/status-pages/slug/hidden/auth", json!({"password": "x"})).await;
    assert_eq!(st, 404);

    // Publishing opens them all at once (the cache is dropped on the edit) and
    // unpublishing closes them again.
    let (st, _) = s.send("PATCH", &format!("/status-pages/{id}"), json!({"published": true})).await;
    assert_eq!(st, 200);
    check_all(200).await;
    let (st, _) = s.send("PATCH", &format!("/status-pages/{id}"), json!({"published": false})).await;
    assert_eq!(st, 200);
    check_all(404).await;
    let (st, _) = public_get(&s, "/status-pages/slug/never-existed", None).await;
    assert_eq!(st, 404);
}

fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().trim().to_string()
}

#[tokio::test]
async fn password_protected_page_needs_the_signed_cookie() {
    let s = started_server().await;
    let target = HttpTarget::start().await;
    let m = s.create_monitor(http_monitor("api", &target.url(), 60)).await;
    let page =
        create_page(&s, json!({"slug": "locked", "title": "Locked", "password": "open sesame", "monitor_ids": [m]}))
            .await;
    let id = page["id"].as_str().unwrap();

    for p in ["/status-pages/slug/locked", "/status-pages/slug/locked/monitors", "/status-pages/slug/locked/incidents"]
    {
        let (st, b) = public_get(&s, p, None).await;
        assert_eq!((st, b["error"]["code"].as_str()), (401, Some("password_required")), "{p}: {b}");
    }
    let (st, _, body) = raw(&s, "/status/locked", None, None).await;
    assert_eq!(st, 401);
    assert!(body.contains("type=\"password\"") && !body.contains(">api<"), "the form, not the monitors: {body}");

    // Wrong, missing, then right password.
    let (st, b) = anon(&s, "POST", "/status-pages/slug/locked/auth", json!({"password": "nope"})).await;
    assert_eq!((st, b["error"]["code"].as_str()), (401, Some("wrong_password")), "{b}");
    let (st, b) = anon(&s, "POST", "/status-pages/slug/locked/auth", json!({})).await;
    assert_eq!((st, field(&b)), (400, "password"), "{b}");
    let r = s
        .http
        .post(s.url("/status-pages/slug/locked/auth"))
        .json(&json!({"password": "open sesame"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let set = r.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Path=/"), "{set}");
    let cookie = cookie_pair(&set);

    let (st, b) = public_get(&s, "/status-pages/slug/locked/monitors", Some(&cookie)).await;
    assert_eq!((st, b["data"][0]["name"].as_str()), (200, Some("api")), "{b}");
    let (st, _, body) = raw(&s, "/status/locked", None, Some(&cookie)).await;
    assert_eq!(st, 200);
    assert!(body.contains(">api<"), "{body}");

    // A forged or tampered cookie is refused.
    let name = cookie.split('=').next().unwrap();
    let forged = format!("{name}=99999999999.AAAA");
    assert_eq!(public_get(&s, "/status-pages/slug/locked", Some(&forged)).await.0, 401);

    // The HTML form sets the cookie too and redirects back.
    let no_redirect = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = no_redirect
        .post(format!("{}/status/locked/auth", s.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("password=open+sesame&next=%2Fstatus%2Flocked")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers().get("location").unwrap(), "/status/locked");
    let form_cookie = cookie_pair(r.headers().get("set-cookie").unwrap().to_str().unwrap());
    assert_eq!(raw(&s, "/status/locked", None, Some(&form_cookie)).await.0, 200);
    let r = no_redirect
        .post(format!("{}/status/locked/auth", s.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("password=wrong&next=https%3A%2F%2Fevil.example%2F")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);

    // A new password invalidates every cookie issued for the old one.
    let (st, _) = s.send("PATCH", &format!("/status-pages/{id}"), json!({"password": "another one"})).await;
    assert_eq!(st, 200);
    assert_eq!(public_get(&s, "/status-pages/slug/locked", Some(&cookie)).await.0, 401);
    // Removing the password opens the page.
    let (st, _) = s.send("PATCH", &format!("/status-pages/{id}"), json!({"password": ""})).await;
    assert_eq!(st, 200);
    assert_eq!(public_get(&s, "/status-pages/slug/locked", None).await.0, 200);
}

#[tokio::test]
async fn custom_domain_host_gets_the_page_at_the_root() {
    let s = started_server().await;
    let target = HttpTarget::start().await;
    let m = s.create_monitor(http_monitor("Checkout API", &target.url(), 60)).await;
    create_page(
        &s,
        json!({"slug": "shop", "title": "Shop status", "domains": ["status.shop.test"], "monitor_ids": [m]}),
    )
    .await;

    let (st, headers, body) = raw(&s, "/", Some("Status.Shop.Test:8443"), None).await;
    assert_eq!(st, 200);
    assert!(headers.get("content-type").unwrap().to_str().unwrap().starts_with("text/html"));
    assert!(body.contains("<h1>Shop status</h1>") && body.contains("Checkout API"), "{body}");
    let (st, _, feed) = raw(&s, "/feed.atom", Some("status.shop.test"), None).await;
    assert_eq!(st, 200);
    assert!(feed.contains("<feed"), "{feed}");

    // Any other host gets the web app.
    let (st, _, body) = raw(&s, "/", None, None).await;
    assert_eq!(st, 200);
    assert!(!body.contains("Shop status"), "{body}");
    let (st, _, body) = raw(&s, "/", Some("other.test"), None).await;
    assert_eq!(st, 200);
    assert!(!body.contains("Shop status"));

    let (st, b) = public_get(&s, "/status-pages/domain/status.shop.test", None).await;
    assert_eq!((st, b["data"]["slug"].as_str()), (200, Some("shop")), "{b}");
    assert_eq!(public_get(&s, "/status-pages/domain/nowhere.test", None).await.0, 404);
}

#[tokio::test]
async fn public_views_escape_text_and_hide_monitor_config() {
    let s = started_server().await;
    let target = HttpTarget::start().await;
    let evil = "<script>alert('pwned')</script>";
    let m = s.create_monitor(http_monitor(evil, &target.url(), 60)).await;
    let tag = create_tag(&s, "prod & <b>", "#FF0000").await;
    let tagged = s
        .create_monitor(
            json!({"type": "http", "name": "tagged one", "interval": 60, "timeout": 5, "retry_interval": 60,
            "config": json!({"url": target.url()}).to_string(), "tag_ids": [tag]}),
        )
        .await;
    create_page(
        &s,
        json!({"slug": "esc", "title": "Title <img src=x onerror=alert(1)>", "description": "a \"quoted\" <i>text</i>",
               "footer_text": "</footer><script>bad()</script>", "monitor_ids": [m], "show_tags": true,
               "sections": [{"name": "By tag <u>", "tag_id": tag}]}),
    )
    .await;

    let (st, headers, body) = raw(&s, "/status/esc", None, None).await;
    assert_eq!(st, 200);
    let csp = headers.get("content-security-policy").unwrap().to_str().unwrap();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(!body.contains("<script"), "no script element may appear: {body}");
    assert!(!body.contains("<img src=x") && !body.contains("<u>") && !body.contains("<i>text"), "{body}");
    assert!(body.contains("&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;"), "{body}");
    assert!(
        body.contains("By tag &lt;u&gt;") && body.contains("tagged one"),
        "the tag section lists its monitors: {body}"
    );
    assert!(body.contains("prod &amp; &lt;b&gt;"), "tags are shown, escaped: {body}");
    assert!(body.contains("http-equiv=\"refresh\" content=\"300\""), "{body}");

    let (st, b) = public_get(&s, "/status-pages/slug/esc/monitors", None).await;
    assert_eq!(st, 200);
    let text = b.to_string();
    assert!(!text.contains(&target.addr.to_string()) && !text.contains("config"), "no URL or config: {text}");
    let names: Vec<&str> = b["data"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec![evil, "tagged one"]);
    assert_eq!(b["data"][1]["id"], json!(tagged));
    assert!(b["data"][1]["section_id"].is_string());
    assert_eq!(b["data"][1]["tags"][0]["name"], "prod & <b>");
}

fn xml_entries(xml: &str, root: &str, entry: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut titles = Vec::new();
    let (mut saw_root, mut in_entry, mut in_title) = (false, false, false);
    loop {
        match reader.read_event().unwrap_or_else(|e| panic!("invalid XML ({e}): {xml}")) {
            Event::Start(e) if e.name().as_ref() == root.as_bytes() => saw_root = true,
            Event::Start(e) if e.name().as_ref() == entry.as_bytes() => in_entry = true,
            Event::End(e) if e.name().as_ref() == entry.as_bytes() => in_entry = false,
            Event::Start(e) if e.name().as_ref() == b"title" => in_title = in_entry,
            Event::End(e) if e.name().as_ref() == b"title" => in_title = false,
            Event::Text(t) if in_title => titles.push(t.unescape().unwrap().into_owned()),
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(saw_root, "no <{root}>: {xml}");
    titles
}

#[tokio::test]
async fn incidents_with_updates_show_on_the_page_and_in_valid_feeds() {
    let s = started_server().await;
    let page = create_page(&s, json!({"slug": "inc", "title": "Inc"})).await;
    let pid = page["id"].as_str().unwrap();

    let (st, b) = s
        .send(
            "POST",
            &format!("/status-pages/{pid}/incidents"),
            json!({"title": "Database <slow>", "style": "danger", "message": "We see errors & timeouts"}),
        )
        .await;
    assert_eq!(st, 201, "{b}");
    let iid = b["data"]["id"].as_str().unwrap().to_string();
    assert_eq!((b["data"]["status"].as_str(), b["data"]["resolved_at"].is_null()), (Some("investigating"), true));

    for (body, want) in [
        (json!({"title": ""}), "title"),
        (json!({"title": "x", "style": "pink"}), "style"),
        (json!({"style": "info"}), "title"),
    ] {
        let (st, b) = s.send("POST", &format!("/status-pages/{pid}/incidents"), body.clone()).await;
        assert_eq!((st, field(&b)), (400, want), "{body} → {b}");
    }
    let (st, _) = s.send("POST", "/status-pages/nope/incidents", json!({"title": "x"})).await;
    assert_eq!(st, 404);

    let (st, b) = s
        .send("POST", &format!("/incidents/{iid}/updates"), json!({"status": "identified", "message": "Disk full"}))
        .await;
    assert_eq!((st, b["data"]["status"].as_str()), (201, Some("identified")), "{b}");
    for (body, want) in [
        (json!({"status": "fixed", "message": "x"}), "status"),
        (json!({"status": "monitoring", "message": " "}), "message"),
        (json!({"status": "monitoring"}), "message"),
    ] {
        let (st, b) = s.send("POST", &format!("/incidents/{iid}/updates"), body.clone()).await;
        assert_eq!((st, field(&b)), (400, want), "{body} → {b}");
    }
    let (st, b) =
        s.send("POST", &format!("/incidents/{iid}/updates"), json!({"status": "resolved", "message": "Fixed"})).await;
    assert_eq!(st, 201);
    assert!(b["data"]["resolved_at"].is_string(), "{b}");
    assert_eq!(b["data"]["updates"].as_array().unwrap().len(), 2);

    let (st, b) = s.send("PATCH", &format!("/incidents/{iid}"), json!({"title": "Database slow"})).await;
    assert_eq!(
        (st, b["data"]["title"].as_str(), b["data"]["style"].as_str()),
        (200, Some("Database slow"), Some("danger"))
    );
    let (st, b) = s.send("PATCH", &format!("/incidents/{iid}"), json!({"style": "neon"})).await;
    assert_eq!((st, field(&b)), (400, "style"));
    let (st, b) = s.get(&format!("/incidents/{iid}")).await;
    assert_eq!((st, b["data"]["status"].as_str()), (200, Some("resolved")));
    let (st, b) = s
        .send(
            "POST",
            &format!("/status-pages/{pid}/incidents"),
            json!({"title": "Maintenance tonight", "style": "info"}),
        )
        .await;
    assert_eq!(st, 201, "{b}");
    let (st, b) = s.get(&format!("/status-pages/{pid}/incidents")).await;
    assert_eq!((st, b["data"].as_array().unwrap().len()), (200, 2));

    for (method, path) in [
        ("GET", format!("/incidents/{iid}")),
        ("PATCH", format!("/incidents/{iid}")),
        ("DELETE", format!("/incidents/{iid}")),
        ("POST", format!("/incidents/{iid}/updates")),
    ] {
        assert_eq!(
            anon(&s, method, &path, json!({"status": "resolved", "message": "x"})).await.0,
            401,
            "{method} {path}"
        );
    }

    // Public JSON and HTML.
    let (st, b) = public_get(&s, "/status-pages/slug/inc/incidents", None).await;
    assert_eq!((st, b["data"].as_array().unwrap().len()), (200, 2), "{b}");
    assert_eq!(b["data"][1]["updates"][1]["message"], "Fixed");
    let (_, _, html) = raw(&s, "/status/inc", None, None).await;
    assert!(
        html.contains("Maintenance tonight") && html.contains("Past incidents") && html.contains("Disk full"),
        "{html}"
    );

    // Atom and RSS parse back, with one entry per incident and per update.
    let (st, headers, atom) = raw(&s, "/status/inc/feed.atom", None, None).await;
    assert_eq!(st, 200);
    assert!(headers.get("content-type").unwrap().to_str().unwrap().starts_with("application/atom+xml"));
    let titles = xml_entries(&atom, "feed", "entry");
    assert_eq!(titles.len(), 4, "{titles:?}");
    assert!(titles.contains(&"Database slow: Resolved".to_string()), "{titles:?}");
    assert_eq!(titles[0], "Maintenance tonight", "newest first: {titles:?}");
    let (st, _, rss) = raw(&s, "/status/inc/rss.xml", None, None).await;
    assert_eq!(st, 200);
    let items = xml_entries(&rss, "rss", "item");
    assert_eq!(items, titles);

    let (st, _) = s.send("DELETE", &format!("/incidents/{iid}"), json!({})).await;
    assert_eq!(st, 200);
    assert_eq!(s.get(&format!("/incidents/{iid}")).await.0, 404);
    let (_, b) = public_get(&s, "/status-pages/slug/inc/incidents", None).await;
    assert_eq!(b["data"].as_array().unwrap().len(), 1, "the deletion shows at once");
}

#[tokio::test]
async fn a_new_beat_shows_up_on_the_cached_page() {
    let s = started_server().await;
    let target = HttpTarget::start().await;
    let m = s.create_monitor(http_monitor("live", &target.url(), 1)).await;
    create_page(&s, json!({"slug": "live", "title": "Live", "monitor_ids": [m]})).await;
    s.wait_beats(&m, 1, Duration::from_secs(20)).await;

    let count = |b: &Value| b["data"][0]["heartbeats"].as_array().map_or(0, Vec::len);
    let (_, first) = public_get(&s, "/status-pages/slug/live/monitors", None).await;
    let (_, _, html) = raw(&s, "/status/live", None, None).await;
    let before = count(&first);
    let bars_before = html.matches("<i class=\"up\"").count();
    assert!(before >= 1, "{first}");

    // The page is cached for a minute; new beats must still appear within seconds.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, b) = public_get(&s, "/status-pages/slug/live/monitors", None).await;
        let (_, _, html) = raw(&s, "/status/live", None, None).await;
        if count(&b) > before && html.matches("<i class=\"up\"").count() > bars_before {
            assert!(b["data"][0]["uptime_24h"].as_f64().unwrap() > 99.0, "{b}");
            let beat = &b["data"][0]["heartbeats"][0];
            assert!(beat["id"].is_string() && beat["end_time"].is_string() && beat.get("msg").is_none(), "{beat}");
            let (_, home) = public_get(&s, "/status-pages/slug/live/monitors/homepage", None).await;
            assert_eq!(count(&home), 1, "homepage carries the last beat only");
            break;
        }
        assert!(Instant::now() < deadline, "new beats never reached the public page: {b}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

#[tokio::test]
async fn wrong_page_passwords_are_locked_out_like_logins() {
    let mut s =
        Server::start(&[("PEEKAPING_BRUTEFORCE_MAX_ATTEMPTS", "3"), ("PEEKAPING_BRUTEFORCE_LOCKOUT", "1m")]).await;
    s.register().await;
    create_page(&s, json!({"slug": "guarded", "title": "Guarded", "password": "right one"})).await;
    for _ in 0..3 {
        let (st, _) = anon(&s, "POST", "/status-pages/slug/guarded/auth", json!({"password": "wrong"})).await;
        assert_eq!(st, 401);
    }
    // Locked now: even the right password waits, with Retry-After.
    let r = s
        .http
        .post(s.url("/status-pages/slug/guarded/auth"))
        .json(&json!({"password": "right one"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
    assert!(r.headers().get("retry-after").is_some());
    let (st, _, _) = raw(&s, "/status/guarded", None, None).await;
    assert_eq!(st, 401, "the page itself still asks for the password");
}

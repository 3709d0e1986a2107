//! Proxies: the `/api/v1/proxies` API, and HTTP monitors checked through in-test proxies
//! on loopback (no proxy server package is needed):
//! - an HTTP proxy that forwards absolute-form requests (http:// targets) and tunnels
//!   CONNECT (https:// targets), optionally demanding Basic proxy credentials;
//! - a SOCKS5 proxy with username/password authentication (RFC 1928/1929).
//!
//! Each counts what it relayed, so a test can tell a check went through the proxy.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};
use support::{HttpTarget, Server, free_port, http_monitor};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

async fn started() -> Server {
    let mut s = Server::start(&[]).await;
    s.register().await;
    s
}

#[derive(Default)]
struct Relayed {
    forwarded: AtomicUsize,
    tunnels: AtomicUsize,
    refused: AtomicUsize,
}

/// An HTTP proxy on loopback. With `creds`, requests without the matching
/// `Proxy-Authorization: Basic` get 407.
async fn http_proxy(creds: Option<(&str, &str)>) -> (u16, Arc<Relayed>, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let expected =
        creds.map(|(u, p)| format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{u}:{p}"))));
    let relayed = Arc::new(Relayed::default());
    let r = relayed.clone();
    let task = tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else { return };
            let (relayed, expected) = (r.clone(), expected.clone());
            tokio::spawn(async move {
                let mut client = BufReader::new(sock);
                let mut head = Vec::new();
                let mut line = String::new();
                loop {
                    line.clear();
                    if client.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    if line == "\r\n" {
                        break;
                    }
                    head.push(line.trim_end().to_string());
                }
                let request_line = head.first().cloned().unwrap_or_default();
                let auth_ok = match &expected {
                    None => true,
                    Some(want) => head.iter().any(|h| {
                        h.split_once(':')
                            .is_some_and(|(k, v)| k.eq_ignore_ascii_case("proxy-authorization") && v.trim() == want)
                    }),
                };
                if !auth_ok {
                    relayed.refused.fetch_add(1, Ordering::SeqCst);
                    let _ = client
                        .get_mut()
                        .write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\nproxy-authenticate: Basic realm=\"t\"\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                        .await;
                    return;
                }
                let mut parts = request_line.split(' ');
                let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
                if method == "CONNECT" {
                    let Ok(mut upstream) = TcpStream::connect(target).await else {
                        let _ = client.get_mut().write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n").await;
                        return;
                    };
                    relayed.tunnels.fetch_add(1, Ordering::SeqCst);
                    let _ = client.get_mut().write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").await;
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
                    return;
                }
                // Absolute form: GET http://host:port/path HTTP/1.1
                let Ok(url) = url::Url::parse(target) else { return };
                let addr = format!("{}:{}", url.host_str().unwrap_or(""), url.port_or_known_default().unwrap_or(80));
                let Ok(mut upstream) = TcpStream::connect(addr).await else {
                    let _ = client.get_mut().write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n").await;
                    return;
                };
                relayed.forwarded.fetch_add(1, Ordering::SeqCst);
                let mut out = format!("{method} {} HTTP/1.1\r\n", &url[url::Position::BeforePath..]);
                for h in head.iter().skip(1) {
                    if !h.to_ascii_lowercase().starts_with("proxy-") {
                        out.push_str(h);
                        out.push_str("\r\n");
                    }
                }
                out.push_str("\r\n");
                if upstream.write_all(out.as_bytes()).await.is_err() {
                    return;
                }
                let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
            });
        }
    });
    (port, relayed, task)
}

/// A SOCKS5 proxy demanding username/password authentication.
async fn socks5_proxy(user: &'static str, pass: &'static str) -> (u16, Arc<Relayed>, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let relayed = Arc::new(Relayed::default());
    let r = relayed.clone();
    let task = tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else { return };
            let relayed = r.clone();
            tokio::spawn(async move {
                let mut hdr = [0u8; 2];
                if sock.read_exact(&mut hdr).await.is_err() || hdr[0] != 5 {
                    return;
                }
                let mut methods = vec![0u8; hdr[1] as usize];
                if sock.read_exact(&mut methods).await.is_err() {
                    return;
                }
                if !methods.contains(&2) {
                    let _ = sock.write_all(&[5, 0xff]).await; // no acceptable method
                    relayed.refused.fetch_add(1, Ordering::SeqCst);
                    return;
                }
                let _ = sock.write_all(&[5, 2]).await;
                let mut v = [0u8; 2];
                if sock.read_exact(&mut v).await.is_err() {
                    return;
                }
                let mut u = vec![0u8; v[1] as usize];
                let _ = sock.read_exact(&mut u).await;
                let mut plen = [0u8; 1];
                let _ = sock.read_exact(&mut plen).await;
                let mut p = vec![0u8; plen[0] as usize];
                let _ = sock.read_exact(&mut p).await;
                if u != user.as_bytes() || p != pass.as_bytes() {
                    relayed.refused.fetch_add(1, Ordering::SeqCst);
                    let _ = sock.write_all(&[1, 1]).await;
                    return;
                }
                let _ = sock.write_all(&[1, 0]).await;
                let mut req = [0u8; 4];
                if sock.read_exact(&mut req).await.is_err() || req[1] != 1 {
                    return;
                }
                let host = match req[3] {
                    1 => {
                        let mut a = [0u8; 4];
                        let _ = sock.read_exact(&mut a).await;
                        std::net::Ipv4Addr::from(a).to_string()
                    }
                    3 => {
                        let mut l = [0u8; 1];
                        let _ = sock.read_exact(&mut l).await;
                        let mut name = vec![0u8; l[0] as usize];
                        let _ = sock.read_exact(&mut name).await;
                        String::from_utf8_lossy(&name).into_owned()
                    }
                    _ => return,
                };
                let mut port = [0u8; 2];
                let _ = sock.read_exact(&mut port).await;
                let Ok(mut upstream) = TcpStream::connect((host.as_str(), u16::from_be_bytes(port))).await else {
                    let _ = sock.write_all(&[5, 5, 0, 1, 0, 0, 0, 0, 0, 0]).await; // connection refused
                    return;
                };
                relayed.tunnels.fetch_add(1, Ordering::SeqCst);
                let _ = sock.write_all(&[5, 0, 0, 1, 0, 0, 0, 0, 0, 0]).await;
                let _ = tokio::io::copy_bidirectional(&mut sock, &mut upstream).await;
            });
        }
    });
    (port, relayed, task)
}

/// An HTTPS server with a self-signed certificate answering 200 "secure ok".
async fn https_target() -> (u16, JoinHandle<()>) {
    let cert = rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()]).unwrap();
    support::https_server(cert.cert.der().to_vec(), cert.signing_key.serialize_der(), "secure ok").await
}

async fn create_proxy(s: &Server, body: Value) -> String {
    let (status, b) = s.send("POST", "/proxies", body).await;
    assert_eq!(status, 201, "{b}");
    b["data"]["id"].as_str().unwrap().to_string()
}

fn with_proxy(mut monitor: Value, proxy_id: &str) -> Value {
    monitor["proxy_id"] = json!(proxy_id);
    monitor
}

/// Waits for a heartbeat with `status` whose message contains `needle` (case-insensitive).
async fn wait_msg(s: &Server, id: &str, status: u64, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        for b in s.heartbeats(id, 5).await {
            let msg = b["msg"].as_str().unwrap_or_default().to_string();
            if b["status"].as_u64() == Some(status) && msg.to_lowercase().contains(&needle.to_lowercase()) {
                eprintln!("{id} [{status}] {msg}");
                return msg;
            }
        }
        assert!(Instant::now() < deadline, "{id}: no beat {status} with {needle:?}: {:?}", s.heartbeats(id, 3).await);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

// --- the API -------------------------------------------------------------------------

#[tokio::test]
async fn proxies_are_created_listed_edited_and_deleted() {
    let s = started().await;
    let id = create_proxy(
        &s,
        json!({"protocol": "socks5", "host": "127.0.0.1", "port": 1080, "auth": true,
        "username": "u", "password": "p"}),
    )
    .await;
    let (st, b) = s.get("/proxies").await;
    assert_eq!(st, 200, "{b}");
    assert_eq!(b["message"], "success");
    assert_eq!(b["data"].as_array().unwrap().len(), 1);
    assert_eq!(b["data"][0]["protocol"], "socks5");

    let (st, b) = s
        .send("PUT", &format!("/proxies/{id}"), json!({"protocol": "http", "host": "proxy.local", "port": 3128}))
        .await;
    assert_eq!(st, 200, "{b}");
    assert_eq!(
        (b["data"]["protocol"].as_str(), b["data"]["port"].as_u64(), b["data"]["auth"].as_bool()),
        (Some("http"), Some(3128), Some(false))
    );

    let (st, b) = s.send("PATCH", &format!("/proxies/{id}"), json!({"port": 8080})).await;
    assert_eq!(st, 200, "{b}");
    assert_eq!((b["data"]["host"].as_str(), b["data"]["port"].as_u64()), (Some("proxy.local"), Some(8080)));
    let (st, b) = s.get(&format!("/proxies/{id}")).await;
    assert_eq!((st, b["data"]["port"].as_u64()), (200, Some(8080)), "{b}");

    let (st, b) = s.send("DELETE", &format!("/proxies/{id}"), json!({})).await;
    assert_eq!(st, 200, "{b}");
    for method in ["GET", "PUT", "PATCH", "DELETE"] {
        let (st, b) =
            s.send(method, &format!("/proxies/{id}"), json!({"protocol": "http", "host": "h", "port": 1})).await;
        assert_eq!(st, 404, "{method}: {b}");
    }
}

#[tokio::test]
async fn proxies_need_a_login() {
    let s = started().await;
    let id = create_proxy(&s, json!({"protocol": "http", "host": "127.0.0.1", "port": 3128})).await;
    let anon = reqwest::Client::new();
    for (method, path) in [
        ("GET", "/proxies".to_string()),
        ("POST", "/proxies".into()),
        ("GET", format!("/proxies/{id}")),
        ("DELETE", format!("/proxies/{id}")),
    ] {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let r = anon
            .request(m, s.url(&path))
            .json(&json!({"protocol": "http", "host": "h", "port": 1}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 401, "{method} {path}");
    }
    assert_eq!(s.get(&format!("/proxies/{id}")).await.0, 200, "still there");
}

#[tokio::test]
async fn invalid_proxies_are_refused_naming_the_field() {
    let s = started().await;
    let base = json!({"protocol": "http", "host": "127.0.0.1", "port": 3128});
    let cases = [
        (json!({"protocol": "ftp"}), "protocol"),
        (json!({"host": ""}), "host"),
        (json!({"host": "http://proxy"}), "host"),
        (json!({"port": 0}), "port"),
        (json!({"port": 70000}), "port"),
        (json!({"auth": true}), "username"),
        (json!({"protocol": "socks4", "auth": true, "username": "u"}), "auth"),
    ];
    for (change, field) in cases {
        let mut body = base.clone();
        body.as_object_mut().unwrap().extend(change.as_object().unwrap().clone());
        let (st, b) = s.send("POST", "/proxies", body.clone()).await;
        assert_eq!(st, 400, "{body}: {b}");
        assert_eq!(b["error"]["field"], field, "{body}: {b}");
    }
    let id = create_proxy(&s, base).await;
    let (st, b) = s.send("PATCH", &format!("/proxies/{id}"), json!({"port": 0})).await;
    assert_eq!((st, b["error"]["field"].as_str()), (400, Some("port")), "{b}");
    let (st, b) = s.get("/proxies").await;
    assert_eq!((st, b["data"].as_array().unwrap().len()), (200, 1), "nothing invalid was stored: {b}");
}

#[tokio::test]
async fn a_monitor_with_an_unknown_proxy_is_refused_and_deleting_a_proxy_unlinks_it() {
    let s = started().await;
    let (st, b) = s
        .send("POST", "/monitors", with_proxy(http_monitor("ghost proxy", "http://127.0.0.1:9/", 60), "no-such-proxy"))
        .await;
    assert!(st == 400 || st == 422, "{st}: {b}");
    assert_eq!(b["error"]["field"], "proxy_id", "{b}");

    let pid = create_proxy(&s, json!({"protocol": "http", "host": "127.0.0.1", "port": 3128})).await;
    let mid = s.create_monitor(with_proxy(http_monitor("with proxy", "http://127.0.0.1:9/", 60), &pid)).await;
    assert_eq!(s.monitor(&mid).await["proxy_id"], pid);
    let (st, b) = s.send("PATCH", &format!("/monitors/{mid}"), json!({"proxy_id": "still-not-a-proxy"})).await;
    assert_eq!((st, b["error"]["field"].as_str()), (400, Some("proxy_id")), "{b}");

    let (st, _) = s.send("DELETE", &format!("/proxies/{pid}"), json!({})).await;
    assert_eq!(st, 200);
    assert_eq!(s.monitor(&mid).await["proxy_id"], Value::Null, "the monitor goes direct");
}

// --- checks through proxies ----------------------------------------------------------

#[tokio::test]
async fn http_and_https_targets_are_checked_through_an_http_proxy() {
    let target = HttpTarget::start().await;
    let (tls_port, _tls) = https_target().await;
    let (port, relayed, _proxy) = http_proxy(Some(("proxyuser", "pr0xy:pass"))).await;
    let s = started().await;
    let pid = create_proxy(
        &s,
        json!({"protocol": "http", "host": "127.0.0.1", "port": port, "auth": true,
        "username": "proxyuser", "password": "pr0xy:pass"}),
    )
    .await;
    let plain = s.create_monitor(with_proxy(http_monitor("via proxy", &target.url(), 1), &pid)).await;
    let mut secure = http_monitor("tls via proxy", &format!("https://127.0.0.1:{tls_port}/"), 1);
    secure["type"] = json!("http-keyword");
    secure["config"] = json!(
        json!({"url": format!("https://127.0.0.1:{tls_port}/"), "ignore_tls_errors": true,
        "keyword": "secure ok"})
        .to_string()
    );
    let secure = s.create_monitor(with_proxy(secure, &pid)).await;
    wait_msg(&s, &plain, 1, "200").await;
    wait_msg(&s, &secure, 1, "keyword \"secure ok\" found").await;
    assert!(relayed.forwarded.load(Ordering::SeqCst) >= 1, "the http target was fetched through the proxy");
    assert!(relayed.tunnels.load(Ordering::SeqCst) >= 1, "the https target went through a CONNECT tunnel");
    assert_eq!(relayed.refused.load(Ordering::SeqCst), 0, "the credentials were sent");
}

#[tokio::test]
async fn a_socks5_proxy_with_credentials_carries_the_check() {
    let target = HttpTarget::start().await;
    let (port, relayed, _proxy) = socks5_proxy("sockuser", "s0cks pass").await;
    let s = started().await;
    let good = create_proxy(
        &s,
        json!({"protocol": "socks5", "host": "127.0.0.1", "port": port, "auth": true,
        "username": "sockuser", "password": "s0cks pass"}),
    )
    .await;
    let bad = create_proxy(
        &s,
        json!({"protocol": "socks5h", "host": "127.0.0.1", "port": port, "auth": true,
        "username": "sockuser", "password": "wrong"}),
    )
    .await;
    let up = s.create_monitor(with_proxy(http_monitor("via socks", &target.url(), 1), &good)).await;
    let down = s.create_monitor(with_proxy(http_monitor("bad socks login", &target.url(), 1), &bad)).await;
    wait_msg(&s, &up, 1, "200").await;
    assert!(relayed.tunnels.load(Ordering::SeqCst) >= 1);
    let msg = wait_msg(&s, &down, 0, &format!("Proxy 127.0.0.1:{port}")).await;
    assert!(relayed.refused.load(Ordering::SeqCst) >= 1, "{msg}");

    // The password is never read back; writing back what was read keeps it.
    let (_, read) = s.get(&format!("/proxies/{good}")).await;
    assert_eq!(read["data"]["password"], "********", "{read}");
    let (st, b) = s.send("PUT", &format!("/proxies/{good}"), read["data"].clone()).await;
    assert_eq!(st, 200, "{b}");
    let before = relayed.tunnels.load(Ordering::SeqCst);
    let deadline = Instant::now() + Duration::from_secs(20);
    while relayed.tunnels.load(Ordering::SeqCst) < before + 2 {
        assert!(Instant::now() < deadline, "no checks through the edited proxy");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(s.heartbeats(&up, 1).await[0]["status"], 1, "the stored password still works");
}

#[tokio::test]
async fn a_proxy_that_is_down_says_so_and_an_edit_reaches_the_next_check() {
    let target = HttpTarget::start().await;
    let (port, relayed, _proxy) = http_proxy(None).await;
    let dead = free_port();
    let s = started().await;
    let pid = create_proxy(&s, json!({"protocol": "http", "host": "127.0.0.1", "port": dead})).await;
    let mid = s.create_monitor(with_proxy(http_monitor("proxy down", &target.url(), 1), &pid)).await;
    let msg = wait_msg(&s, &mid, 0, &format!("Proxy 127.0.0.1:{dead}")).await;
    assert!(msg.to_lowercase().contains("refused"), "{msg}");

    // Point the proxy at the live one: the monitor's next checks use it.
    let (st, b) = s.send("PATCH", &format!("/proxies/{pid}"), json!({"port": port})).await;
    assert_eq!(st, 200, "{b}");
    wait_msg(&s, &mid, 1, "200").await;
    assert!(relayed.forwarded.load(Ordering::SeqCst) >= 1);

    // Deleted: the monitor connects directly (and stays up).
    let (st, _) = s.send("DELETE", &format!("/proxies/{pid}"), json!({})).await;
    assert_eq!(st, 200);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let (through_proxy, direct) = (relayed.forwarded.load(Ordering::SeqCst), target.hits.load(Ordering::SeqCst));
    let deadline = Instant::now() + Duration::from_secs(10);
    while target.hits.load(Ordering::SeqCst) < direct + 2 {
        assert!(Instant::now() < deadline, "no direct checks after the proxy was deleted");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(relayed.forwarded.load(Ordering::SeqCst), through_proxy, "nothing more went through the proxy");
    assert_eq!(s.monitor(&mid).await["status"], 1);
}

//! Test support: the real `peekaping` binary on a temp data dir, and local targets
//! (an HTTP server whose answer a test can change, a TCP port that can close).

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

pub const PASSWORD: &str = "Str0ng!pass";
pub const EMAIL: &str = "admin@example.com";

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A running `peekaping serve` on a temp dir, killed when dropped.
pub struct Server {
    pub child: Option<Child>,
    pub port: u16,
    pub dir: Arc<tempfile::TempDir>,
    pub base: String,
    pub http: reqwest::Client,
    pub token: Option<String>,
    log: PathBuf,
}

impl Server {
    pub async fn start(env: &[(&str, &str)]) -> Server {
        Self::start_in(Arc::new(tempfile::tempdir().unwrap()), env).await
    }

    pub async fn start_in(dir: Arc<tempfile::TempDir>, env: &[(&str, &str)]) -> Server {
        peekaping::install_crypto_provider();
        let port = free_port();
        let log = dir.path().join(format!("server-{port}.log"));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_peekaping"));
        cmd.args(["serve", "--host", "127.0.0.1", "--port", &port.to_string()])
            .arg("--data-dir")
            .arg(dir.path())
            .env("PEEKAPING_MIN_INTERVAL", "1")
            .env("PEEKAPING_LOG", "info")
            .env_remove("PEEKAPING_CONFIG")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("start peekaping");
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(r) = http.get(format!("{base}/api/v1/health")).send().await
                && r.status().is_success()
            {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "server did not come up; log:\n{}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(30)).await;
        }
        Server { child: Some(child), port, dir, base, http, token: None, log }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// Stops the process (SIGTERM, then kill) and waits for it.
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = Command::new("kill").arg("-TERM").arg(c.id().to_string()).status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = c.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Kills the process without warning (kill -9).
    pub fn crash(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    fn auth(&self, rb: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.token {
            Some(t) => rb.bearer_auth(t),
            None => rb,
        }
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let r = self.auth(self.http.get(self.url(path))).send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn send(&self, method: &str, path: &str, body: Value) -> (u16, Value) {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let r = self.auth(self.http.request(m, self.url(path))).json(&body).send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Registers the admin and keeps its access token for later calls.
    pub async fn register(&mut self) -> Value {
        let (status, body) = self.send("POST", "/auth/register", json!({"email": EMAIL, "password": PASSWORD})).await;
        assert_eq!(status, 201, "{body}");
        self.token = Some(body["data"]["accessToken"].as_str().unwrap().to_string());
        body
    }

    pub async fn create_monitor(&self, body: Value) -> String {
        let (status, b) = self.send("POST", "/monitors", body).await;
        assert_eq!(status, 201, "{b}");
        b["data"]["id"].as_str().unwrap().to_string()
    }

    pub async fn monitor(&self, id: &str) -> Value {
        self.get(&format!("/monitors/{id}")).await.1["data"].clone()
    }

    pub async fn heartbeats(&self, id: &str, limit: u32) -> Vec<Value> {
        let (s, b) = self.get(&format!("/monitors/{id}/heartbeats?limit={limit}")).await;
        assert_eq!(s, 200, "{b}");
        b["data"].as_array().cloned().unwrap_or_default()
    }

    /// Polls until the monitor has the status (0 DOWN, 1 UP, 2 PENDING) or panics.
    pub async fn wait_status(&self, id: &str, status: u64, within: Duration) -> Value {
        let deadline = Instant::now() + within;
        loop {
            let m = self.monitor(id).await;
            if m["status"].as_u64() == Some(status) {
                return m;
            }
            assert!(Instant::now() < deadline, "monitor {id} never reached status {status}: {m}\n{}", self.log());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Polls until the monitor has at least `n` heartbeats.
    pub async fn wait_beats(&self, id: &str, n: usize, within: Duration) -> Vec<Value> {
        let deadline = Instant::now() + within;
        loop {
            let beats = self.heartbeats(id, 1000).await;
            if beats.len() >= n {
                return beats;
            }
            assert!(
                Instant::now() < deadline,
                "monitor {id} has {} heartbeats, wanted {n}\n{}",
                beats.len(),
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.crash();
    }
}

/// A local HTTP server answering every request with a status and body the test sets.
pub struct HttpTarget {
    pub addr: SocketAddr,
    status: Arc<AtomicU16>,
    body: Arc<std::sync::Mutex<String>>,
    pub hits: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl HttpTarget {
    pub async fn start() -> HttpTarget {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let status = Arc::new(AtomicU16::new(200));
        let body = Arc::new(std::sync::Mutex::new("{\"status\":\"ok\",\"count\":3}".to_string()));
        let hits = Arc::new(AtomicUsize::new(0));
        let (s, b, h) = (status.clone(), body.clone(), hits.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut sock, _)) = listener.accept().await else { return };
                let (s, b, h) = (s.clone(), b.clone(), h.clone());
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 8192];
                    let mut read = 0;
                    loop {
                        match sock.read(&mut buf[read..]).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => read += n,
                        }
                        if buf[..read].windows(4).any(|w| w == b"\r\n\r\n") || read == buf.len() {
                            break;
                        }
                    }
                    h.fetch_add(1, Ordering::Relaxed);
                    let code = s.load(Ordering::Relaxed);
                    let body = b.lock().unwrap().clone();
                    let resp = format!(
                        "HTTP/1.1 {code} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = sock.write_all(resp.as_bytes()).await;
                    let _ = sock.shutdown().await;
                });
            }
        });
        HttpTarget { addr, status, body, hits, task }
    }

    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    pub fn set_status(&self, code: u16) {
        self.status.store(code, Ordering::Relaxed);
    }

    pub fn set_body(&self, body: &str) {
        *self.body.lock().unwrap() = body.to_string();
    }
}

impl Drop for HttpTarget {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// An http monitor body for `target` with a short interval.
pub fn http_monitor(name: &str, url: &str, interval: u32) -> Value {
    json!({
        "type": "http",
        "name": name,
        "interval": interval,
        "timeout": interval.clamp(1, 5),
        "retry_interval": interval,
        "max_retries": 0,
        "notification_ids": [],
        "config": json!({"url": url}).to_string(),
    })
}

/// One request a `Receiver` got.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    /// Path and query, as sent.
    pub path: String,
    /// Header names lower-cased.
    pub headers: std::collections::HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", self.text()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(&name.to_ascii_lowercase()).map(String::as_str)
    }
}

/// A local HTTP server standing in for a notification provider's API: it records every
/// request whole and answers with the statuses queued by the test (then `200 {"ok":true}`).
pub struct Receiver {
    pub addr: SocketAddr,
    requests: Arc<std::sync::Mutex<Vec<Received>>>,
    replies: Arc<std::sync::Mutex<std::collections::VecDeque<(u16, String)>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    pub async fn start() -> Receiver {
        Self::start_on(TcpListener::bind("127.0.0.1:0").await.unwrap()).await
    }

    pub async fn start_on(listener: TcpListener) -> Receiver {
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(std::sync::Mutex::new(Vec::new()));
        let replies = Arc::new(std::sync::Mutex::new(std::collections::VecDeque::<(u16, String)>::new()));
        let (reqs, reps) = (requests.clone(), replies.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut sock, _)) = listener.accept().await else { return };
                let (reqs, reps) = (reqs.clone(), reps.clone());
                tokio::spawn(async move {
                    let Some(req) = read_request(&mut sock).await else { return };
                    let (code, body) = reps.lock().unwrap().pop_front().unwrap_or((200, "{\"ok\":true}".into()));
                    reqs.lock().unwrap().push(req);
                    let resp = format!(
                        "HTTP/1.1 {code} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = sock.write_all(resp.as_bytes()).await;
                    let _ = sock.shutdown().await;
                });
            }
        });
        Receiver { addr, requests, replies, task }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The next requests get these answers, in order.
    pub fn reply(&self, code: u16, body: &str) {
        self.replies.lock().unwrap().push_back((code, body.to_string()));
    }

    pub fn requests(&self) -> Vec<Received> {
        self.requests.lock().unwrap().clone()
    }

    /// Waits until `n` requests arrived, then returns them all.
    pub async fn wait_for(&self, n: usize, within: Duration) -> Vec<Received> {
        let deadline = Instant::now() + within;
        loop {
            let r = self.requests();
            if r.len() >= n {
                return r;
            }
            assert!(Instant::now() < deadline, "got {} requests, wanted {n}: {r:?}", r.len());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn read_request(sock: &mut tokio::net::TcpStream) -> Option<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, path) = (first.next()?.to_string(), first.next()?.to_string());
    let headers: std::collections::HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    while buf.len() < head_end + len {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some(Received { method, path, headers, body: buf[head_end..].to_vec() })
}

/// Creates a monitor of `kind` checked every `timeout` seconds (the shortest interval allowed).
pub async fn monitor(s: &Server, kind: &str, name: &str, config: Value, timeout: u32) -> String {
    s.create_monitor(json!({"type": kind, "name": name, "interval": timeout, "timeout": timeout,
        "config": config.to_string()}))
        .await
}

/// Waits (30 s at most) until the latest heartbeat has `status` and returns its message.
pub async fn wait_beat(s: &Server, id: &str, status: u64) -> String {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let beats = s.heartbeats(id, 1).await;
        if let Some(b) = beats.first()
            && b["status"].as_u64() == Some(status)
        {
            return b["msg"].as_str().unwrap_or_default().to_string();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "monitor {id} never had a beat with status {status}; latest: {beats:?}\n{}",
            s.log()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A server with the admin registered and logged in.
pub async fn started_server() -> Server {
    let mut s = Server::start(&[]).await;
    s.register().await;
    s
}

/// An HTTPS server on 127.0.0.1 with `cert` (DER) and `key` (PKCS#8 DER) that answers every
/// request `200` with `body`.
pub async fn https_server(cert: Vec<u8>, key: Vec<u8>, body: &'static str) -> (u16, tokio::task::JoinHandle<()>) {
    peekaping::install_crypto_provider();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(key.into());
    let config =
        rustls::ServerConfig::builder().with_no_client_auth().with_single_cert(vec![cert.into()], key).unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else { return };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(sock).await else { return };
                let mut buf = [0u8; 4096];
                let _ = tls.read(&mut buf).await;
                let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n", body.len());
                let _ = tls.write_all(head.as_bytes()).await;
                let _ = tls.write_all(body.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (port, task)
}

//! Hostile targets must not stall the worker or grow memory: a server that accepts and
//! never answers, one that answers a byte a second, and one that streams an endless body.

mod support;

use std::time::{Duration, Instant};

use serde_json::json;
use support::{HttpTarget, Server, http_monitor};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Accepts connections and, per `mode`, never answers, dribbles, or streams forever.
async fn hostile(mode: &'static str) -> (String, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else { return };
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = sock.read(&mut buf).await;
                match mode {
                    "silent" => tokio::time::sleep(Duration::from_secs(120)).await,
                    "dribble" => {
                        let _ = sock.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n").await;
                        for _ in 0..120 {
                            if sock.write_all(b"x").await.is_err() {
                                return;
                            }
                            tokio::time::sleep(Duration::from_secs(1)).await;
                        }
                    }
                    _ => {
                        let _ = sock.write_all(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n").await;
                        let chunk = format!("{:x}\r\n{}\r\n", 65536, "a".repeat(65536));
                        // Up to 2 GB, far more than anyone should read.
                        for _ in 0..32_768 {
                            if sock.write_all(chunk.as_bytes()).await.is_err() {
                                return;
                            }
                        }
                    }
                }
            });
        }
    });
    (url, task)
}

#[tokio::test]
async fn a_silent_target_times_out_without_delaying_healthy_ones() {
    let mut s = Server::start(&[]).await;
    s.register().await;
    let (silent, _t) = hostile("silent").await;
    let healthy = HttpTarget::start().await;
    let mut hung = http_monitor("silent", &silent, 3);
    hung["timeout"] = json!(2);
    let hung = s.create_monitor(hung).await;
    let ok = s.create_monitor(http_monitor("healthy", &healthy.url(), 1)).await;
    let started = Instant::now();
    s.wait_status(&hung, 0, Duration::from_secs(10)).await;
    assert!(started.elapsed() < Duration::from_secs(6), "DOWN within the timeout, took {:?}", started.elapsed());
    let msg = s.heartbeats(&hung, 1).await[0]["msg"].as_str().unwrap().to_string();
    assert!(msg.contains("Timed out after 2 s"), "{msg}");
    let beats = s.wait_beats(&ok, 4, Duration::from_secs(10)).await;
    assert!(beats.iter().all(|b| b["status"] == 1), "the healthy monitor kept checking");
}

#[tokio::test]
async fn a_dribbling_body_times_out() {
    let mut s = Server::start(&[]).await;
    s.register().await;
    let (url, _t) = hostile("dribble").await;
    let id = s
        .create_monitor(json!({"type": "http-keyword", "name": "dribble", "interval": 5, "timeout": 2,
            "config": json!({"url": url, "keyword": "never"}).to_string()}))
        .await;
    s.wait_status(&id, 0, Duration::from_secs(10)).await;
    let msg = s.heartbeats(&id, 1).await[0]["msg"].as_str().unwrap().to_string();
    assert!(msg.to_lowercase().contains("timed out"), "{msg}");
}

#[tokio::test]
async fn an_endless_body_is_read_only_up_to_the_cap() {
    let mut s = Server::start(&[("PEEKAPING_MAX_BODY_BYTES", "1048576")]).await;
    s.register().await;
    let (url, _t) = hostile("endless").await;
    let id = s
        .create_monitor(json!({"type": "http-keyword", "name": "endless", "interval": 10, "timeout": 8,
            "config": json!({"url": url, "keyword": "needle"}).to_string()}))
        .await;
    let started = Instant::now();
    s.wait_status(&id, 0, Duration::from_secs(10)).await;
    let msg = s.heartbeats(&id, 1).await[0]["msg"].as_str().unwrap().to_string();
    assert!(msg.contains("Keyword \"needle\" not found"), "judged on the first MiB, not timed out: {msg}");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    let rss_kib: u64 = std::fs::read_to_string(format!("/proc/{}/status", s.child.as_ref().unwrap().id()))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap();
    assert!(rss_kib < 200 * 1024, "peak memory stays small: {rss_kib} KiB");
}

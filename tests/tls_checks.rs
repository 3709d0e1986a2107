//! HTTPS monitors against a local TLS server with a self-signed certificate: the chain is
//! captured (and why it does not verify), `ignore_tls_errors` lets the check pass.

mod support;

use std::time::Duration;

use serde_json::json;
use support::Server;

/// A one-route HTTPS server with a fresh self-signed certificate for 127.0.0.1.
async fn https_target() -> (u16, tokio::task::JoinHandle<()>) {
    let cert = rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()]).unwrap();
    support::https_server(cert.cert.der().to_vec(), cert.signing_key.serialize_der(), "ok").await
}

#[tokio::test]
async fn https_chains_are_captured_and_untrusted_ones_fail_unless_ignored() {
    let (port, _server) = https_target().await;
    let mut s = Server::start(&[]).await;
    s.register().await;
    let url = format!("https://127.0.0.1:{port}/");
    let strict = s
        .create_monitor(json!({"type": "http", "name": "strict tls", "interval": 1, "timeout": 1,
            "config": json!({"url": url}).to_string()}))
        .await;
    let lenient = s
        .create_monitor(json!({"type": "http", "name": "lenient tls", "interval": 1, "timeout": 1,
            "config": json!({"url": url, "ignore_tls_errors": true}).to_string()}))
        .await;
    s.wait_status(&strict, 0, Duration::from_secs(20)).await;
    let msg = s.heartbeats(&strict, 1).await[0]["msg"].as_str().unwrap().to_lowercase();
    assert!(msg.contains("certificate") || msg.contains("issuer"), "{msg}");
    s.wait_status(&lenient, 1, Duration::from_secs(20)).await;
    let (st, tls) = s.get(&format!("/monitors/{lenient}/tls")).await;
    assert_eq!(st, 200, "{tls}");
    let info = &tls["data"];
    assert_eq!(info["valid"], false, "{info}");
    assert!(info["error"].as_str().unwrap().to_lowercase().contains("issuer"), "{info}");
    let leaf = &info["chain"][0];
    assert!(leaf["sans"].as_array().unwrap().iter().any(|s| s == "127.0.0.1"), "{leaf}");
    assert!(info["days_remaining"].as_i64().unwrap() > 300);
    assert_eq!(leaf["fingerprint_sha256"].as_str().unwrap().len(), 95);
    let (_, none) = s.get(&format!("/monitors/{strict}/tls")).await;
    assert!(none["data"].is_null(), "a failed handshake stores no chain: {none}");
}

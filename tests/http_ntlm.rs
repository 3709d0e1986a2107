//! NTLM authentication of `http`, `http-keyword` and `http-json-query` monitors against an
//! in-test HTTP server that plays the server side of NTLMv2 (no Windows server can run
//! here): it answers a Negotiate with a fresh challenge, verifies the client's NTProofStr
//! from the password it knows (MD4/HMAC-MD5 computed here, independently of the code
//! under test), answers 200 on success and 401 otherwise, and refuses an Authenticate
//! message that arrives on another connection than its challenge (NTLM is connection-bound).

mod support;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, Mac};
use md4::{Digest, Md4};
use serde_json::{Value, json};
use support::Server;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

const USER: &str = "alice";
const PASSWORD: &str = "S3cret-Pa55";

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn hmac_md5(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut mac = Hmac::<md5::Md5>::new_from_slice(key).unwrap();
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().to_vec()
}

/// What the fake server saw.
#[derive(Default)]
struct Seen {
    /// Authenticate messages that came on a connection without a pending challenge.
    foreign_authenticates: AtomicUsize,
    successes: AtomicUsize,
    /// (domain, workstation) of the last Authenticate message.
    names: Mutex<Option<(String, String)>>,
}

/// The server's Challenge (Type 2) message with a target-info list (domain "CORP").
fn challenge_message(server_challenge: &[u8; 8]) -> Vec<u8> {
    let mut info = Vec::new();
    for (id, value) in [(2u16, "CORP"), (1u16, "WEB01")] {
        let v = utf16le(value);
        info.extend_from_slice(&id.to_le_bytes());
        info.extend_from_slice(&(v.len() as u16).to_le_bytes());
        info.extend_from_slice(&v);
    }
    info.extend_from_slice(&[0, 0, 0, 0]);
    let target = utf16le("CORP");
    let mut m = Vec::new();
    m.extend_from_slice(b"NTLMSSP\0");
    m.extend_from_slice(&2u32.to_le_bytes());
    let target_off = 48u32;
    m.extend_from_slice(&(target.len() as u16).to_le_bytes());
    m.extend_from_slice(&(target.len() as u16).to_le_bytes());
    m.extend_from_slice(&target_off.to_le_bytes());
    m.extend_from_slice(&0xe28a_8235u32.to_le_bytes());
    m.extend_from_slice(server_challenge);
    m.extend_from_slice(&[0; 8]);
    m.extend_from_slice(&(info.len() as u16).to_le_bytes());
    m.extend_from_slice(&(info.len() as u16).to_le_bytes());
    m.extend_from_slice(&(target_off + target.len() as u32).to_le_bytes());
    m.extend_from_slice(&target);
    m.extend_from_slice(&info);
    m
}

/// Whether an Authenticate (Type 3) message proves knowledge of PASSWORD for USER.
fn verify(msg: &[u8], server_challenge: &[u8; 8], seen: &Seen) -> bool {
    if msg.len() < 64 || &msg[..8] != b"NTLMSSP\0" || msg[8] != 3 {
        return false;
    }
    let field = |at: usize| -> Option<Vec<u8>> {
        let len = u16::from_le_bytes([msg[at], msg[at + 1]]) as usize;
        let off = u32::from_le_bytes(msg[at + 4..at + 8].try_into().unwrap()) as usize;
        msg.get(off..off + len).map(<[u8]>::to_vec)
    };
    let text = |b: Vec<u8>| {
        String::from_utf16_lossy(&b.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect::<Vec<_>>())
    };
    let (Some(nt), Some(domain), Some(user), Some(ws)) = (field(20), field(28), field(36), field(44)) else {
        return false;
    };
    let (domain, user, ws) = (text(domain), text(user), text(ws));
    *seen.names.lock().unwrap() = Some((domain.clone(), ws));
    if nt.len() < 48 || !user.eq_ignore_ascii_case(USER) {
        return false;
    }
    let nt_hash = Md4::digest(utf16le(PASSWORD));
    let key = hmac_md5(&nt_hash, &[&utf16le(&user.to_uppercase()), &utf16le(&domain)]);
    let (proof, blob) = nt.split_at(16);
    hmac_md5(&key, &[server_challenge, blob]) == proof
}

/// Starts the NTLM server; returns its URL and what it saw.
async fn ntlm_server() -> (String, Arc<Seen>, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/secure", listener.local_addr().unwrap());
    let seen = Arc::new(Seen::default());
    let s = seen.clone();
    let task = tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else { return };
            let seen = s.clone();
            tokio::spawn(async move {
                let (rd, mut wr) = sock.into_split();
                let mut rd = BufReader::new(rd);
                // The challenge issued on this connection, if any.
                let mut pending: Option<[u8; 8]> = None;
                loop {
                    let mut headers: HashMap<String, String> = HashMap::new();
                    let mut line = String::new();
                    if rd.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    loop {
                        line.clear();
                        if rd.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return;
                        }
                        let l = line.trim_end();
                        if l.is_empty() {
                            break;
                        }
                        if let Some((k, v)) = l.split_once(':') {
                            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
                        }
                    }
                    let len: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
                    let mut body = vec![0; len];
                    if rd.read_exact(&mut body).await.is_err() {
                        return;
                    }
                    let token = headers
                        .get("authorization")
                        .and_then(|a| a.strip_prefix("NTLM "))
                        .and_then(|t| B64.decode(t.trim()).ok())
                        .unwrap_or_default();
                    let (status, extra, text, close) = match token.get(8) {
                        Some(1) => {
                            let c: [u8; 8] = rand::random();
                            pending = Some(c);
                            let h = format!("WWW-Authenticate: NTLM {}\r\n", B64.encode(challenge_message(&c)));
                            ("401 Unauthorized", h, "challenge".to_string(), false)
                        }
                        Some(3) => match pending.take() {
                            None => {
                                seen.foreign_authenticates.fetch_add(1, Ordering::SeqCst);
                                ("401 Unauthorized", String::new(), "no challenge on this connection".into(), true)
                            }
                            Some(c) if verify(&token, &c, &seen) => {
                                seen.successes.fetch_add(1, Ordering::SeqCst);
                                ("200 OK", String::new(), r#"{"greeting":"hello alice","n":7}"#.into(), false)
                            }
                            Some(_) => ("401 Unauthorized", String::new(), "bad proof".into(), true),
                        },
                        _ => ("401 Unauthorized", "WWW-Authenticate: NTLM\r\n".into(), "login".into(), false),
                    };
                    let resp = format!(
                        "HTTP/1.1 {status}\r\n{extra}content-type: application/json\r\ncontent-length: {}\r\n{}\r\n{text}",
                        text.len(),
                        if close { "connection: close\r\n" } else { "" }
                    );
                    if wr.write_all(resp.as_bytes()).await.is_err() || close {
                        return;
                    }
                }
            });
        }
    });
    (url, seen, task)
}

fn ntlm_monitor(kind: &str, name: &str, url: &str, password: &str, extra: Value) -> Value {
    let mut config = json!({
        "url": url,
        "authMethod": "ntlm",
        "basic_auth_user": USER,
        "basic_auth_pass": password,
        "authDomain": "CORP",
        "authWorkstation": "PROBE1",
    });
    config.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    json!({"type": kind, "name": name, "interval": 1, "timeout": 1, "retry_interval": 1,
           "notification_ids": [], "config": config.to_string()})
}

async fn wait_msg(s: &Server, id: &str, status: u64, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        for b in s.heartbeats(id, 5).await {
            let msg = b["msg"].as_str().unwrap_or_default().to_string();
            if b["status"].as_u64() == Some(status) && msg.contains(needle) {
                return msg;
            }
        }
        assert!(Instant::now() < deadline, "{id}: no beat {status} with {needle:?}: {:?}", s.heartbeats(id, 3).await);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn ntlm_with_the_right_password_is_up_for_every_http_type() {
    let (url, seen, _server) = ntlm_server().await;
    let mut s = Server::start(&[]).await;
    s.register().await;
    let plain = s.create_monitor(ntlm_monitor("http", "ntlm plain", &url, PASSWORD, json!({}))).await;
    let keyword = s
        .create_monitor(ntlm_monitor("http-keyword", "ntlm keyword", &url, PASSWORD, json!({"keyword": "hello alice"})))
        .await;
    let query = s
        .create_monitor(ntlm_monitor(
            "http-json-query",
            "ntlm query",
            &url,
            PASSWORD,
            json!({"json_query": "n", "json_condition": "==", "expected_value": "7"}),
        ))
        .await;
    wait_msg(&s, &plain, 1, "200").await;
    wait_msg(&s, &keyword, 1, "keyword \"hello alice\" found").await;
    wait_msg(&s, &query, 1, "n == 7").await;
    assert!(seen.successes.load(Ordering::SeqCst) >= 3);
    assert_eq!(
        seen.foreign_authenticates.load(Ordering::SeqCst),
        0,
        "every Authenticate came on its challenge's connection"
    );
    assert_eq!(*seen.names.lock().unwrap(), Some(("CORP".to_string(), "PROBE1".to_string())));
}

#[tokio::test]
async fn ntlm_with_a_wrong_password_is_down_and_says_so() {
    let (url, seen, _server) = ntlm_server().await;
    let mut s = Server::start(&[]).await;
    s.register().await;
    let id = s.create_monitor(ntlm_monitor("http", "ntlm wrong", &url, "not-the-password", json!({}))).await;
    let msg = wait_msg(&s, &id, 0, "NTLM authentication failed: the server answered 401").await;
    assert!(!msg.contains("without an NTLM challenge"), "{msg}");
    assert_eq!(seen.successes.load(Ordering::SeqCst), 0);
    assert_eq!(seen.foreign_authenticates.load(Ordering::SeqCst), 0, "the wrong proof, not the connection, failed");
}

#[tokio::test]
async fn ntlm_needs_a_user_name_and_names_the_field() {
    let mut s = Server::start(&[]).await;
    s.register().await;
    let mut body = ntlm_monitor("http", "ntlm no user", "http://127.0.0.1:9/", PASSWORD, json!({}));
    let mut config: Value = serde_json::from_str(body["config"].as_str().unwrap()).unwrap();
    config["basic_auth_user"] = json!("");
    body["config"] = json!(config.to_string());
    let (status, b) = s.send("POST", "/monitors", body.clone()).await;
    assert_eq!(status, 400, "{b}");
    assert_eq!(b["error"]["field"], "config.basic_auth_user", "{b}");
    config["basic_auth_user"] = json!("CORP\\alice");
    body["config"] = json!(config.to_string());
    let (status, b) = s.send("POST", "/monitors", body).await;
    assert_eq!(status, 400, "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("authDomain"), "{b}");
}

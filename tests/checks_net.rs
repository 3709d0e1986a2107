//! Network monitor types against real servers on loopback, through the real binary:
//! - `ping`: ICMP to 127.0.0.1, ::1 and localhost; the timeout path pings 127.66.66.66,
//!   whose echo requests an nftables rule of `.ci/services/ping.sh` drops on lo (a loopback
//!   address that never answers). An unresolvable host name is not tested here: resolving
//!   it would send a query to the machine's DNS server, off loopback.
//! - `dns`: Debian's dnsmasq on 127.0.0.1:15353 (`.ci/services/dnsmasq.sh`), every record
//!   type; NXDOMAIN, a missing expected value, and an in-test UDP port that swallows queries.
//! - `tls`: in-test tokio-rustls servers with rcgen certificates from an in-test CA.
//! - `smtp`: aiosmtpd (PyPI) on 127.0.0.1:12525 (STARTTLS) and :12465 (SMTPS) from
//!   `.ci/services/smtp.sh`; in-test fakes for what a healthy server never does (554
//!   greeting, no greeting at all, no STARTTLS).
//! - `udp`: in-test echo and silent servers, a closed port (ICMP port unreachable).
//! - `websocket`: an in-test tokio-tungstenite server (ws:// and wss://).
//!
//! The services must be up: run `bash .ci/services/<name>.sh` (CI's `.ci/run` does).

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use support::{HttpTarget, Server, free_port};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, UdpSocket};
use tokio::task::JoinHandle;

const DNS_PORT: u16 = 15353;
const SMTP_STARTTLS_PORT: u16 = 12525;
const SMTPS_PORT: u16 = 12465;
const SMTP_CA: &str = "/var/lib/peekaping-ci/smtp/ca.pem";
const SILENT_PING_ADDR: &str = "127.66.66.66";

fn monitor(kind: &str, name: &str, config: Value, timeout: u32) -> Value {
    json!({
        "type": kind,
        "name": name,
        "interval": timeout,
        "timeout": timeout,
        "retry_interval": timeout,
        "max_retries": 0,
        "notification_ids": [],
        "config": config.to_string(),
    })
}

async fn started() -> Server {
    let mut s = Server::start(&[]).await;
    s.register().await;
    s
}

/// Waits until a heartbeat of `id` has `status` (0 DOWN, 1 UP) and a message containing
/// `needle`; returns that message.
async fn wait_msg(s: &Server, id: &str, status: u64, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(25);
    loop {
        let beats = s.heartbeats(id, 5).await;
        for b in &beats {
            let msg = b["msg"].as_str().unwrap_or_default();
            if b["status"].as_u64() == Some(status) && msg.contains(needle) {
                eprintln!("{id} [{status}] {msg}");
                return msg.to_string();
            }
        }
        assert!(
            Instant::now() < deadline,
            "monitor {id} never had a status {status} beat containing {needle:?}; latest: {}",
            serde_json::to_string_pretty(&beats).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

fn require_service(what: &str, ok: bool, script: &str) {
    assert!(ok, "{what} is not set up: run `bash .ci/services/{script}` first (CI's .ci/run does)");
}

// ---------------------------------------------------------------------------------------
// ping

/// ICMP echo on loopback over IPv4, IPv6 and a host name, then an address that never
/// answers: DOWN with the loss and the per-ping wait.
#[tokio::test]
async fn ping_is_up_on_loopback_and_down_with_full_loss_when_nothing_answers() {
    let rule = std::process::Command::new("nft").args(["list", "table", "inet", "peekaping_ci"]).output();
    require_service(
        "the nftables rule that drops pings to 127.66.66.66",
        rule.is_ok_and(|o| o.status.success()),
        "ping.sh",
    );
    let s = started().await;
    let v4 = s.create_monitor(monitor("ping", "ping v4", json!({"host": "127.0.0.1", "count": 3}), 2)).await;
    let v6 = s.create_monitor(monitor("ping", "ping v6", json!({"host": "::1", "packet_size": 1200}), 2)).await;
    let named = s.create_monitor(monitor("ping", "ping name", json!({"host": "localhost"}), 2)).await;
    let silent = s
        .create_monitor(monitor(
            "ping",
            "ping silent",
            json!({"host": SILENT_PING_ADDR, "count": 2, "per_ping_timeout": 0.3}),
            2,
        ))
        .await;

    let msg = wait_msg(&s, &v4, 1, "3/3 replies from 127.0.0.1, 0% loss, rtt avg").await;
    assert!(msg.contains(" ms (min "), "{msg}");
    wait_msg(&s, &v6, 1, "1/1 replies from ::1").await;
    wait_msg(&s, &named, 1, "1/1 replies from localhost (127.0.0.1)").await;
    let msg = wait_msg(&s, &silent, 0, "No reply from 127.66.66.66").await;
    assert_eq!(msg, "No reply from 127.66.66.66: no reply within 0.3 s per ping; 2 sent, 100% loss");
    let beat = &s.heartbeats(&v4, 1).await[0];
    assert!(beat["ping"].is_number(), "an UP ping records the average round trip: {beat}");
}

// ---------------------------------------------------------------------------------------
// dns

fn dns(name: &str, host: &str, kind: &str, expected: &str) -> Value {
    monitor(
        "dns",
        name,
        json!({"host": host, "resolver_server": "127.0.0.1", "port": DNS_PORT, "resolve_type": kind,
               "expected_value": expected}),
        2,
    )
}

/// A UDP port that reads queries and never answers.
async fn silent_udp() -> (u16, JoinHandle<()>) {
    let sock = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let port = sock.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        let mut buf = [0u8; 2048];
        while sock.recv_from(&mut buf).await.is_ok() {}
    });
    (port, task)
}

/// Every record type against dnsmasq, expected values that match, and the failing paths:
/// NXDOMAIN, an expected value that is not there, a server that never answers.
#[tokio::test]
async fn dns_answers_every_record_type_and_says_why_when_it_fails() {
    require_service(
        "dnsmasq on 127.0.0.1:15353",
        std::net::UdpSocket::bind(("127.0.0.1", DNS_PORT)).is_err(),
        "dnsmasq.sh",
    );
    let s = started().await;
    let cases = [
        ("A", "www.peekaping.test", "", "A records: 127.0.0.10"),
        ("AAAA", "www.peekaping.test", "0:0::10", "Found \"0:0::10\" in AAAA records: ::10"),
        ("CNAME", "alias.peekaping.test", "WWW.peekaping.test", "CNAME records: www.peekaping.test."),
        ("MX", "peekaping.test", "mail.peekaping.test", "MX records: 10 mail.peekaping.test."),
        ("NS", "peekaping.test", "", "NS records: ns1.peekaping.test."),
        ("PTR", "::10", "www.peekaping.test", "PTR records: www.peekaping.test."),
        ("SOA", "peekaping.test", "ns1.peekaping.test", "SOA records: ns1.peekaping.test. hostmaster.peekaping.test."),
        ("SRV", "_http._tcp.peekaping.test", "", "SRV records: 0 5 80 www.peekaping.test."),
        ("TXT", "peekaping.test", "include:_spf", "TXT records: v=spf1 include:_spf.peekaping.test -all"),
        ("CAA", "peekaping.test", "letsencrypt.org", "CAA records: 0 issue \"letsencrypt.org\""),
    ];
    let mut ids = Vec::new();
    for (kind, host, expected, _) in &cases {
        ids.push(s.create_monitor(dns(&format!("dns {kind}"), host, kind, expected)).await);
    }
    let nxdomain = s.create_monitor(dns("dns nx", "nope.peekaping.test", "A", "")).await;
    let wrong = s.create_monitor(dns("dns wrong", "www.peekaping.test", "A", "127.0.0.99")).await;
    let (port, _silent) = silent_udp().await;
    let mute = s
        .create_monitor(monitor(
            "dns",
            "dns mute",
            json!({"host": "www.peekaping.test", "resolver_server": "127.0.0.1", "port": port, "resolve_type": "A"}),
            1,
        ))
        .await;

    for (id, (_, _, _, needle)) in ids.iter().zip(&cases) {
        wait_msg(&s, id, 1, needle).await;
    }
    let msg = wait_msg(&s, &nxdomain, 0, "NXDOMAIN").await;
    assert_eq!(msg, "nope.peekaping.test. does not exist (NXDOMAIN from 127.0.0.1:15353)");
    let msg = wait_msg(&s, &wrong, 0, "Expected").await;
    assert_eq!(msg, "Expected \"127.0.0.99\" not in A records: 127.0.0.10");
    let msg = wait_msg(&s, &mute, 0, "Timed out").await;
    assert_eq!(
        msg,
        format!("Timed out after 1 s waiting for 127.0.0.1:{port} to answer the A query for www.peekaping.test.")
    );
}

// ---------------------------------------------------------------------------------------
// tls

/// A CA and certificates it signs, for in-test TLS servers.
struct TestCa {
    issuer: rcgen::Issuer<'static, rcgen::KeyPair>,
    pem: String,
}

impl TestCa {
    fn new() -> TestCa {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.distinguished_name.push(rcgen::DnType::CommonName, "Peekaping Test CA");
        let cert = params.self_signed(&key).unwrap();
        TestCa { pem: cert.pem(), issuer: rcgen::Issuer::new(params, key) }
    }

    /// A server certificate for `names`, valid from/until the given days relative to today.
    fn leaf(
        &self,
        names: &[&str],
        from_days: i64,
        until_days: i64,
    ) -> (rustls::pki_types::CertificateDer<'static>, rustls::pki_types::PrivateKeyDer<'static>) {
        let day = |offset: i64| {
            let d = chrono::Utc::now().date_naive() + chrono::Duration::days(offset);
            use chrono::Datelike;
            rcgen::date_time_ymd(d.year(), d.month() as u8, d.day() as u8)
        };
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params =
            rcgen::CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
        params.distinguished_name.push(rcgen::DnType::CommonName, names[0]);
        params.not_before = day(from_days);
        params.not_after = day(until_days);
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        (cert.der().clone(), rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()))
    }
}

fn acceptor(
    cert: rustls::pki_types::CertificateDer<'static>,
    key: rustls::pki_types::PrivateKeyDer<'static>,
) -> tokio_rustls::TlsAcceptor {
    peekaping::install_crypto_provider();
    let config = rustls::ServerConfig::builder().with_no_client_auth().with_single_cert(vec![cert], key).unwrap();
    tokio_rustls::TlsAcceptor::from(Arc::new(config))
}

/// A TLS server that completes handshakes and closes.
async fn tls_server(
    cert: rustls::pki_types::CertificateDer<'static>,
    key: rustls::pki_types::PrivateKeyDer<'static>,
) -> (u16, JoinHandle<()>) {
    let acceptor = acceptor(cert, key);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else { return };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                if let Ok(mut tls) = acceptor.accept(sock).await {
                    let _ = tls.shutdown().await;
                }
            });
        }
    });
    (port, task)
}

/// A valid certificate (trusted through `ca`) is UP with its days and chain recorded; an
/// untrusted, expired, wrongly named or soon-expiring one is DOWN saying which.
#[tokio::test]
async fn tls_judges_trust_expiry_and_name_and_records_the_chain() {
    let ca = TestCa::new();
    let (cert, key) = ca.leaf(&["localhost", "127.0.0.1"], -1, 90);
    let (good, _g) = tls_server(cert, key).await;
    let (cert, key) = ca.leaf(&["localhost", "127.0.0.1"], -30, -3);
    let (expired, _e) = tls_server(cert, key).await;
    let s = started().await;
    let tls = |name: &str, config: Value| monitor("tls", name, config, 2);
    let valid = s.create_monitor(tls("tls ok", json!({"host": "127.0.0.1", "port": good, "ca": ca.pem}))).await;
    let untrusted = s.create_monitor(tls("tls untrusted", json!({"host": "127.0.0.1", "port": good}))).await;
    let old = s.create_monitor(tls("tls expired", json!({"host": "localhost", "port": expired, "ca": ca.pem}))).await;
    let misnamed = s
        .create_monitor(tls(
            "tls misnamed",
            json!({"host": "127.0.0.1", "port": good, "servername": "wrong.example", "ca": ca.pem}),
        ))
        .await;
    let soon = s
        .create_monitor(tls(
            "tls soon",
            json!({"host": "127.0.0.1", "port": good, "ca": ca.pem, "min_days_remaining": 100}),
        ))
        .await;
    let refused = s.create_monitor(tls("tls refused", json!({"host": "127.0.0.1", "port": free_port()}))).await;

    let msg = wait_msg(&s, &valid, 1, "Certificate of 127.0.0.1 is valid for").await;
    assert!(msg.contains("issued by CN=Peekaping Test CA; chain of 1"), "{msg}");
    let (st, info) = s.get(&format!("/monitors/{valid}/tls")).await;
    assert_eq!(st, 200, "{info}");
    assert_eq!(info["data"]["valid"], true, "{info}");
    assert!((88..=90).contains(&info["data"]["days_remaining"].as_i64().unwrap()), "{info}");

    let msg = wait_msg(&s, &untrusted, 0, "not signed by a trusted authority").await;
    assert!(msg.starts_with("Certificate of 127.0.0.1 is invalid: "), "{msg}");
    let msg = wait_msg(&s, &old, 0, "expired on").await;
    assert!(msg.starts_with("Certificate of localhost is invalid: the certificate expired on"), "{msg}");
    assert!(msg.contains("(3 days ago)") || msg.contains("(2 days ago)"), "{msg}");
    let (_, info) = s.get(&format!("/monitors/{old}/tls")).await;
    assert_eq!(info["data"]["valid"], false, "an invalid chain is still recorded: {info}");
    let msg = wait_msg(&s, &misnamed, 0, "not valid for").await;
    assert_eq!(
        msg,
        "Certificate of wrong.example is invalid: the certificate is not valid for \"wrong.example\" (it is for localhost, 127.0.0.1)"
    );
    let msg = wait_msg(&s, &soon, 0, "fewer than the 100 required").await;
    assert!(msg.starts_with("Certificate of 127.0.0.1 expires in 8"), "{msg}");
    wait_msg(&s, &refused, 0, "Cannot connect to 127.0.0.1:").await;
}

// ---------------------------------------------------------------------------------------
// smtp

/// An SMTP server that greets with `banner` (never, when None), answers EHLO with `ehlo`
/// and QUIT with 221: the misbehaving servers aiosmtpd cannot be made into.
async fn fake_smtp(banner: Option<&'static str>, ehlo: &'static str) -> (u16, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else { return };
            tokio::spawn(async move {
                let Some(banner) = banner else {
                    // Accept and say nothing, for longer than any monitor timeout here.
                    tokio::time::sleep(Duration::from_secs(30)).await;
                    drop(sock);
                    return;
                };
                let mut conn = BufReader::new(sock);
                if conn.get_mut().write_all(banner.as_bytes()).await.is_err() {
                    return;
                }
                let mut line = String::new();
                while conn.read_line(&mut line).await.is_ok_and(|n| n > 0) {
                    let verb = line.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
                    let reply = match verb.as_str() {
                        "EHLO" => ehlo,
                        "QUIT" => "221 bye\r\n",
                        _ => "502 not implemented\r\n",
                    };
                    if conn.get_mut().write_all(reply.as_bytes()).await.is_err() || verb == "QUIT" {
                        return;
                    }
                    line.clear();
                }
            });
        }
    });
    (port, task)
}

/// aiosmtpd in plain, STARTTLS and SMTPS modes (its certificate trusted through `ca`, or
/// not), then a refused port, a 554 greeting, a server that never greets, and one that
/// does not offer STARTTLS.
#[tokio::test]
async fn smtp_greets_and_upgrades_against_aiosmtpd_and_reports_broken_servers() {
    let ca = std::fs::read_to_string(SMTP_CA).unwrap_or_default();
    require_service("aiosmtpd with its CA", !ca.is_empty(), "smtp.sh");
    let s = started().await;
    let smtp = |name: &str, config: Value| monitor("smtp", name, config, 2);
    let plain = s.create_monitor(smtp("smtp plain", json!({"host": "127.0.0.1", "port": SMTP_STARTTLS_PORT}))).await;
    let starttls = s
        .create_monitor(smtp(
            "smtp starttls",
            json!({"host": "127.0.0.1", "port": SMTP_STARTTLS_PORT, "security": "starttls", "ca": ca}),
        ))
        .await;
    let untrusted = s
        .create_monitor(smtp(
            "smtp untrusted",
            json!({"host": "localhost", "port": SMTP_STARTTLS_PORT, "security": "starttls"}),
        ))
        .await;
    let ignored = s
        .create_monitor(smtp(
            "smtp ignored",
            json!({"host": "localhost", "port": SMTP_STARTTLS_PORT, "security": "starttls", "ignore_tls_errors": true}),
        ))
        .await;
    let smtps = s
        .create_monitor(smtp("smtps", json!({"host": "127.0.0.1", "port": SMTPS_PORT, "security": "tls", "ca": ca})))
        .await;
    let refused = s.create_monitor(smtp("smtp refused", json!({"host": "127.0.0.1", "port": free_port()}))).await;
    let (p554, _a) = fake_smtp(Some("554 5.3.2 No service for you\r\n"), "250 x\r\n").await;
    let rejecting = s.create_monitor(smtp("smtp 554", json!({"host": "127.0.0.1", "port": p554}))).await;
    let (pmute, _b) = fake_smtp(None, "").await;
    let mute = s.create_monitor(monitor("smtp", "smtp mute", json!({"host": "127.0.0.1", "port": pmute}), 1)).await;
    let (pnotls, _c) = fake_smtp(Some("220 old.example ESMTP\r\n"), "250-old.example\r\n250 SIZE 1000\r\n").await;
    let notls = s
        .create_monitor(smtp("smtp no starttls", json!({"host": "127.0.0.1", "port": pnotls, "security": "starttls"})))
        .await;

    let msg = wait_msg(&s, &plain, 1, "EHLO accepted").await;
    assert!(msg.starts_with("220 "), "the banner comes first: {msg}");
    let msg = wait_msg(&s, &starttls, 1, "EHLO accepted after STARTTLS (TLSv1.").await;
    assert!(!msg.contains("ignored"), "{msg}");
    let (_, info) = s.get(&format!("/monitors/{starttls}/tls")).await;
    assert_eq!(info["data"]["valid"], true, "{info}");
    assert!(info["data"]["chain"][0]["issuer"].as_str().unwrap().contains("Peekaping CI SMTP CA"), "{info}");
    let msg = wait_msg(&s, &untrusted, 0, "After STARTTLS: Certificate rejected:").await;
    assert!(msg.contains("not signed by a trusted authority"), "{msg}");
    let msg = wait_msg(&s, &ignored, 1, "ignored as configured").await;
    assert!(
        msg.contains("; certificate problem ignored as configured: the certificate is not signed by a trusted"),
        "{msg}"
    );
    wait_msg(&s, &smtps, 1, "EHLO accepted over TLS (TLSv1.").await;
    wait_msg(&s, &refused, 0, "Cannot connect to 127.0.0.1:").await;
    let msg = wait_msg(&s, &rejecting, 0, "refused the session").await;
    assert_eq!(msg, "The server refused the session: 554 5.3.2 No service for you");
    let msg = wait_msg(&s, &mute, 0, "Timed out").await;
    assert_eq!(msg, "Timed out after 1 s waiting for the banner (220)");
    let msg = wait_msg(&s, &notls, 0, "does not offer STARTTLS").await;
    assert_eq!(msg, "The server does not offer STARTTLS (EHLO lists: SIZE 1000)");
}

// ---------------------------------------------------------------------------------------
// udp

/// A UDP server answering each datagram with "pong:" and the datagram.
async fn udp_echo(bind: &str) -> (u16, JoinHandle<()>) {
    let sock = UdpSocket::bind(bind).await.unwrap();
    let port = sock.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        let mut buf = [0u8; 2048];
        while let Ok((n, from)) = sock.recv_from(&mut buf).await {
            let mut reply = b"pong:".to_vec();
            reply.extend_from_slice(&buf[..n]);
            let _ = sock.send_to(&reply, from).await;
        }
    });
    (port, task)
}

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

/// Replies with and without expectations (IPv4 and IPv6), then a wrong reply, silence
/// where a reply is required, silence where none is, and a closed port.
#[tokio::test]
async fn udp_checks_replies_silence_and_closed_ports() {
    let (echo, _e) = udp_echo("127.0.0.1:0").await;
    let (echo6, _e6) = udp_echo("[::1]:0").await;
    let (silent, _s) = silent_udp().await;
    let closed = {
        let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        sock.local_addr().unwrap().port()
    };
    let s = started().await;
    let udp = |name: &str, config: Value| monitor("udp", name, config, 1);
    let expecting = s
        .create_monitor(udp(
            "udp expect",
            json!({"host": "127.0.0.1", "port": echo, "payload_hex": hex("ping"), "expect_hex": hex("pong:ping")}),
        ))
        .await;
    let any = s.create_monitor(udp("udp any v6", json!({"host": "::1", "port": echo6, "payload_hex": "01 02"}))).await;
    let wrong = s
        .create_monitor(udp(
            "udp wrong",
            json!({"host": "127.0.0.1", "port": echo, "payload_hex": hex("ping"), "expect_hex": "ffff"}),
        ))
        .await;
    let mute =
        s.create_monitor(udp("udp mute", json!({"host": "127.0.0.1", "port": silent, "payload_hex": "00"}))).await;
    let quiet = s.create_monitor(udp("udp quiet ok", json!({"host": "127.0.0.1", "port": silent}))).await;
    let unreachable = s.create_monitor(udp("udp closed", json!({"host": "127.0.0.1", "port": closed}))).await;

    let msg = wait_msg(&s, &expecting, 1, "contains").await;
    assert_eq!(msg, format!("Reply of 9 bytes from 127.0.0.1:{echo} contains {}", hex("pong:ping")));
    let msg = wait_msg(&s, &any, 1, "Reply of 7 bytes").await;
    assert_eq!(msg, format!("Reply of 7 bytes from [::1]:{echo6}: {}0102", hex("pong:")));
    let msg = wait_msg(&s, &wrong, 0, "does not contain").await;
    assert_eq!(msg, format!("Reply from 127.0.0.1:{echo} does not contain ffff: got 9 bytes {}", hex("pong:ping")));
    let msg = wait_msg(&s, &mute, 0, "No reply").await;
    assert_eq!(msg, format!("No reply from 127.0.0.1:{silent} within 1 s"));
    let msg = wait_msg(&s, &quiet, 1, "no port-unreachable error").await;
    assert!(msg.contains("cannot tell an open port from a filtered one"), "{msg}");
    let msg = wait_msg(&s, &unreachable, 0, "unreachable").await;
    assert_eq!(
        msg,
        format!("127.0.0.1:{closed} is unreachable: the host answered ICMP port unreachable (nothing listens there)")
    );
}

// ---------------------------------------------------------------------------------------
// websocket

/// A WebSocket server that requires `X-Token: secret` (401 otherwise), selects the
/// subprotocol `chat` when asked for it, greets with "hello" and echoes text as "echo: …".
async fn ws_server(tls: Option<tokio_rustls::TlsAcceptor>) -> (u16, JoinHandle<()>) {
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else { return };
            let tls = tls.clone();
            tokio::spawn(async move {
                // The callback's error type is tungstenite's, large or not.
                #[allow(clippy::result_large_err)]
                let callback = |req: &Request, mut resp: Response| -> Result<Response, ErrorResponse> {
                    if req.headers().get("x-token").and_then(|v| v.to_str().ok()) != Some("secret") {
                        let mut e = ErrorResponse::new(Some("missing token".into()));
                        *e.status_mut() = tokio_tungstenite::tungstenite::http::StatusCode::UNAUTHORIZED;
                        return Err(e);
                    }
                    let wants_chat = req
                        .headers()
                        .get("sec-websocket-protocol")
                        .and_then(|v| v.to_str().ok())
                        .is_some_and(|v| v.split(',').any(|p| p.trim() == "chat"));
                    if wants_chat {
                        resp.headers_mut().insert("sec-websocket-protocol", "chat".parse().unwrap());
                    }
                    Ok(resp)
                };
                async fn serve<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(
                    ws: tokio_tungstenite::WebSocketStream<S>,
                ) {
                    let (mut tx, mut rx) = ws.split();
                    if tx.send(Message::text("hello")).await.is_err() {
                        return;
                    }
                    while let Some(Ok(m)) = rx.next().await {
                        let reply = match m {
                            Message::Text(t) => Message::text(format!("echo: {t}")),
                            Message::Close(_) => return,
                            _ => continue,
                        };
                        if tx.send(reply).await.is_err() {
                            return;
                        }
                    }
                }
                match tls {
                    Some(acceptor) => {
                        let Ok(stream) = acceptor.accept(sock).await else { return };
                        if let Ok(ws) = tokio_tungstenite::accept_hdr_async(stream, callback).await {
                            serve(ws).await;
                        }
                    }
                    None => {
                        if let Ok(ws) = tokio_tungstenite::accept_hdr_async(sock, callback).await {
                            serve(ws).await;
                        }
                    }
                }
            });
        }
    });
    (port, task)
}

/// Upgrades with headers, a subprotocol and a message exchange (ws:// and wss://), then
/// the failing paths: 401 and 200 instead of 101, refused, an unaccepted subprotocol, an
/// expected reply that never comes, and an untrusted certificate.
#[tokio::test]
async fn websocket_upgrades_exchanges_a_message_and_explains_failures() {
    let ca = TestCa::new();
    let (cert, key) = ca.leaf(&["localhost", "127.0.0.1"], -1, 90);
    let (ws, _w) = ws_server(None).await;
    let (wss, _ws) = ws_server(Some(acceptor(cert, key))).await;
    let http = HttpTarget::start().await;
    let s = started().await;
    let sock = |name: &str, config: Value| monitor("websocket", name, config, 1);
    let token = json!({"X-Token": "secret"}).to_string();
    let ok = s
        .create_monitor(sock(
            "ws ok",
            json!({"url": format!("ws://127.0.0.1:{ws}/live"), "headers": token, "subprotocol": "chat",
                   "send": "ping", "expect": "echo: ping"}),
        ))
        .await;
    let secure = s
        .create_monitor(sock(
            "wss ok",
            json!({"url": format!("wss://localhost:{wss}/"), "headers": {"X-Token": "secret"}, "ca": ca.pem,
                   "expect": "hello"}),
        ))
        .await;
    let unauthorized = s.create_monitor(sock("ws 401", json!({"url": format!("ws://127.0.0.1:{ws}/")}))).await;
    let plain_http = s.create_monitor(sock("ws 200", json!({"url": format!("ws://{}/", http.addr)}))).await;
    let refused =
        s.create_monitor(sock("ws refused", json!({"url": format!("ws://127.0.0.1:{}/", free_port())}))).await;
    let other_protocol = s
        .create_monitor(sock(
            "ws subprotocol",
            json!({"url": format!("ws://127.0.0.1:{ws}/"), "headers": token, "subprotocol": "mqtt"}),
        ))
        .await;
    let missing = s
        .create_monitor(sock(
            "ws missing reply",
            json!({"url": format!("ws://127.0.0.1:{ws}/"), "headers": token, "send": "ping", "expect": "pong"}),
        ))
        .await;
    let untrusted = s
        .create_monitor(sock("wss untrusted", json!({"url": format!("wss://localhost:{wss}/"), "headers": token})))
        .await;

    let msg = wait_msg(&s, &ok, 1, "Upgraded").await;
    assert_eq!(
        msg,
        "Upgraded (101 Switching Protocols), subprotocol chat, message sent, reply contains \"echo: ping\""
    );
    wait_msg(&s, &secure, 1, "reply contains \"hello\"").await;
    let (_, info) = s.get(&format!("/monitors/{secure}/tls")).await;
    assert_eq!(info["data"]["valid"], true, "{info}");
    let msg = wait_msg(&s, &unauthorized, 0, "Upgrade refused").await;
    assert_eq!(
        msg,
        "Upgrade refused: the server answered 401 Unauthorized instead of 101 Switching Protocols: missing token"
    );
    let msg = wait_msg(&s, &plain_http, 0, "Upgrade refused").await;
    assert!(msg.starts_with("Upgrade refused: the server answered 200 OK instead of 101"), "{msg}");
    wait_msg(&s, &refused, 0, "Cannot connect to 127.0.0.1:").await;
    let msg = wait_msg(&s, &other_protocol, 0, "subprotocol").await;
    assert!(msg.starts_with("The server did not accept subprotocol \"mqtt\""), "{msg}");
    let msg = wait_msg(&s, &missing, 0, "no message containing").await;
    assert_eq!(
        msg,
        "Upgraded (101 Switching Protocols), message sent, but no message containing \"pong\" arrived: nothing within \
         1 s; last message: \"echo: ping\""
    );
    let msg = wait_msg(&s, &untrusted, 0, "Certificate rejected").await;
    assert!(msg.contains("not signed by a trusted authority"), "{msg}");
}

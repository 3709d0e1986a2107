//! Infrastructure monitor types, each against a real target on loopback where one can run
//! here, and a failing path with the message the user reads:
//! - `mqtt`: Mosquitto on 127.0.0.1:1883 (`.ci/services/mosquitto.sh`).
//! - `rabbitmq`: RabbitMQ's management API on 127.0.0.1:15672 (`.ci/services/rabbitmq.sh`).
//! - `snmp`: Net-SNMP's snmpd on 127.0.0.1:1161/udp, community `peekaping` (`.ci/services/snmpd.sh`).
//! - `grpc-keyword`: an in-test tonic server with the standard health service, with and
//!   without server reflection.
//! - `docker`: no Docker engine can run here, so a protocol-level fake of the Engine API
//!   (HTTP/1.1 over a unix socket, TCP and TLS) answers `GET /v1.xx/containers/<id>/json`
//!   with the engine's JSON; the check itself is bollard.
//! - `kafka-producer`: no Kafka can run here, so a protocol-level fake broker speaks the
//!   Kafka wire protocol (ApiVersions v0–v3, Metadata v0–v4, Produce v3–v7 with CRC-checked
//!   v2 record batches, UNKNOWN_TOPIC_OR_PARTITION for missing topics); the check itself is
//!   rskafka.

mod support;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use support::{free_port, monitor, started_server, wait_beat};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;

// ---------------------------------------------------------------- mqtt

/// Publishes a retained message (QoS 1, acknowledged) with a client of our own.
async fn mqtt_retain(topic: &str, payload: &[u8]) {
    let mut opts = rumqttc::MqttOptions::new(format!("test-{}", uuid::Uuid::new_v4().simple()), "127.0.0.1", 1883);
    opts.set_keep_alive(Duration::from_secs(5));
    let (client, mut events) = rumqttc::AsyncClient::new(opts, 10);
    client.publish(topic, rumqttc::QoS::AtLeastOnce, true, payload.to_vec()).await.unwrap();
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match events.poll().await {
                Ok(rumqttc::Event::Incoming(rumqttc::Packet::PubAck(_))) => break,
                Ok(_) => {}
                Err(e) => panic!("mosquitto on 127.0.0.1:1883 is needed (.ci/services/mosquitto.sh): {e}"),
            }
        }
    })
    .await
    .expect("mosquitto acknowledged the publish");
    let _ = client.disconnect().await;
}

#[tokio::test]
async fn mqtt_judges_the_topics_message_and_says_why_it_is_down() {
    let base = format!("peekaping-test/{}", uuid::Uuid::new_v4().simple());
    let status_topic = format!("{base}/status");
    mqtt_retain(&status_topic, br#"{"status":"ok","detail":"all systems go"}"#).await;
    let s = started_server().await;
    let cfg = |extra: Value| {
        let mut c = json!({"hostname": "127.0.0.1", "port": 1883, "topic": status_topic});
        c.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        c
    };
    let keyword =
        monitor(&s, "mqtt", "mqtt keyword", cfg(json!({"check_type": "keyword", "success_keyword": "systems go"})), 2)
            .await;
    let query = monitor(
        &s,
        "mqtt",
        "mqtt json",
        cfg(json!({"check_type": "json-query", "json_path": "$.status", "expected_value": "ok"})),
        2,
    )
    .await;
    let quiet = format!("{base}/quiet");
    let none =
        monitor(&s, "mqtt", "mqtt none", json!({"hostname": "mqtt://127.0.0.1", "port": 1883, "topic": quiet}), 2)
            .await;
    let mismatch =
        monitor(&s, "mqtt", "mqtt mismatch", cfg(json!({"check_type": "keyword", "success_keyword": "degraded"})), 2)
            .await;
    let wrong_value = monitor(
        &s,
        "mqtt",
        "mqtt wrong value",
        cfg(json!({"check_type": "json-query", "json_path": "status", "expected_value": "down"})),
        2,
    )
    .await;
    let silent = monitor(
        &s,
        "mqtt",
        "mqtt silent",
        json!({"hostname": "127.0.0.1", "port": 1883, "topic": quiet, "check_type": "keyword", "success_keyword": "x"}),
        1,
    )
    .await;
    let port = free_port();
    let refused =
        monitor(&s, "mqtt", "mqtt refused", json!({"hostname": "127.0.0.1", "port": port, "topic": "t"}), 1).await;

    let msg = wait_beat(&s, &keyword, 1).await;
    assert!(msg.contains("systems go"), "{msg}");
    let msg = wait_beat(&s, &query, 1).await;
    assert!(msg.contains("\"ok\""), "{msg}");
    let msg = wait_beat(&s, &none, 1).await;
    assert!(msg.contains("subscribed"), "{msg}");
    let msg = wait_beat(&s, &mismatch, 0).await;
    assert!(msg.contains("Keyword \"degraded\" not found") && msg.contains("all systems go"), "{msg}");
    let msg = wait_beat(&s, &wrong_value, 0).await;
    assert!(msg.contains("\"ok\"") && msg.contains("\"down\""), "{msg}");
    let msg = wait_beat(&s, &silent, 0).await;
    assert!(msg.starts_with("No message on topic") && msg.contains("0.8 s"), "{msg}");
    let msg = wait_beat(&s, &refused, 0).await;
    assert!(msg.contains(&format!("Cannot connect to MQTT broker 127.0.0.1:{port}")), "{msg}");
    assert!(msg.to_lowercase().contains("refused"), "{msg}");

    // An empty retained message removes it from the broker.
    mqtt_retain(&status_topic, b"").await;
}

// ---------------------------------------------------------------- rabbitmq

#[tokio::test]
async fn rabbitmq_is_up_when_any_node_has_no_alarms() {
    let node = "http://127.0.0.1:15672";
    let dead = format!("http://127.0.0.1:{}", free_port());
    let s = started_server().await;
    let up =
        monitor(&s, "rabbitmq", "rabbit up", json!({"nodes": [node], "username": "guest", "password": "guest"}), 5)
            .await;
    let one_dead = monitor(
        &s,
        "rabbitmq",
        "rabbit one dead",
        json!({"nodes": [dead, node], "username": "guest", "password": "guest"}),
        5,
    )
    .await;
    let bad_password = monitor(
        &s,
        "rabbitmq",
        "rabbit bad pass",
        json!({"nodes": [node], "username": "guest", "password": "nope"}),
        5,
    )
    .await;
    let all_dead = monitor(
        &s,
        "rabbitmq",
        "rabbit all dead",
        json!({"nodes": [dead, format!("http://127.0.0.1:{}", free_port())], "username": "guest", "password": "guest"}),
        5,
    )
    .await;

    let msg = wait_beat(&s, &up, 1).await;
    assert!(msg.contains("no alarms"), "{msg}");
    let msg = wait_beat(&s, &one_dead, 1).await;
    assert!(msg.starts_with(node), "{msg}");
    let msg = wait_beat(&s, &bad_password, 0).await;
    assert!(msg.contains("401 Unauthorized") && msg.contains("username and password"), "{msg}");
    let msg = wait_beat(&s, &all_dead, 0).await;
    assert!(msg.starts_with("All 2 RabbitMQ nodes failed"), "{msg}");
    assert!(msg.to_lowercase().contains("refused"), "{msg}");
}

// ---------------------------------------------------------------- snmp

#[tokio::test]
async fn snmp_reads_an_oid_from_snmpd_and_compares_it() {
    let s = started_server().await;
    let agent = |extra: Value| {
        let mut c = json!({"host": "127.0.0.1", "port": 1161, "community": "peekaping", "snmp_version": "v2c",
            "oid": "1.3.6.1.2.1.1.1.0"});
        c.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        c
    };
    let descr = monitor(
        &s,
        "snmp",
        "snmp sysDescr",
        agent(json!({"json_path": "$", "json_path_operator": "eq", "expected_value": "peekaping-ci snmpd"})),
        2,
    )
    .await;
    let uptime = monitor(
        &s,
        "snmp",
        "snmp uptime v1",
        agent(json!({"snmp_version": "v1", "oid": ".1.3.6.1.2.1.1.3.0", "json_path_operator": "gt", "expected_value": "0"})),
        2,
    )
    .await;
    let mismatch = monitor(
        &s,
        "snmp",
        "snmp mismatch",
        agent(json!({"json_path_operator": "eq", "expected_value": "cisco ios"})),
        2,
    )
    .await;
    let wrong_community = monitor(&s, "snmp", "snmp community", agent(json!({"community": "not-this-one"})), 1).await;
    let missing = monitor(&s, "snmp", "snmp missing oid", agent(json!({"oid": "1.3.6.1.2.1.1.1"})), 2).await;

    let msg = wait_beat(&s, &descr, 1).await;
    assert!(msg.contains("\"peekaping-ci snmpd\""), "{msg}");
    let msg = wait_beat(&s, &uptime, 1).await;
    assert!(msg.contains("> \"0\""), "{msg}");
    let msg = wait_beat(&s, &mismatch, 0).await;
    assert!(msg.contains("is \"peekaping-ci snmpd\", expected == \"cisco ios\""), "{msg}");
    let msg = wait_beat(&s, &wrong_community, 0).await;
    assert!(msg.starts_with("No SNMP answer from 127.0.0.1:1161") && msg.contains("not-this-one"), "{msg}");
    let msg = wait_beat(&s, &missing, 0).await;
    assert!(msg.contains("no such"), "{msg}");
}

// ---------------------------------------------------------------- grpc-keyword

const HEALTH_PROTO: &str = r#"syntax = "proto3";
package grpc.health.v1;
message HealthCheckRequest { string service = 1; }
message HealthCheckResponse {
  enum ServingStatus { UNKNOWN = 0; SERVING = 1; NOT_SERVING = 2; SERVICE_UNKNOWN = 3; }
  ServingStatus status = 1;
}
service Health {
  rpc Check(HealthCheckRequest) returns (HealthCheckResponse);
  rpc Watch(HealthCheckRequest) returns (stream HealthCheckResponse);
}
"#;

/// A tonic server with the standard health service ("app.Down" is NOT_SERVING), and the
/// v1 reflection service when asked.
async fn grpc_target(reflection: bool) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (reporter, health) = tonic_health::server::health_reporter();
    reporter.set_service_status("app.Down", tonic_health::ServingStatus::NotServing).await;
    let mut router = tonic::transport::Server::builder().add_service(health);
    if reflection {
        let service = tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
            .build_v1()
            .unwrap();
        router = router.add_service(service);
    }
    tokio::spawn(async move {
        let _keep = reporter;
        router.serve_with_incoming(tonic::transport::server::TcpIncoming::from(listener)).await.unwrap();
    });
    addr
}

#[tokio::test]
async fn grpc_keyword_calls_methods_found_by_reflection_or_in_the_proto() {
    let with_reflection = grpc_target(true).await;
    let without_reflection = grpc_target(false).await;
    let s = started_server().await;
    let call = |addr: SocketAddr, extra: Value| {
        let mut c = json!({"grpcUrl": addr.to_string(), "grpcServiceName": "grpc.health.v1.Health", "grpcMethod": "Check",
            "grpcBody": "{\"service\": \"\"}", "keyword": "SERVING"});
        c.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        c
    };
    let reflected = monitor(&s, "grpc-keyword", "grpc reflection", call(with_reflection, json!({})), 2).await;
    let short_name = monitor(
        &s,
        "grpc-keyword",
        "grpc short name",
        call(with_reflection, json!({"grpcServiceName": "Health", "grpcMethod": "check"})),
        2,
    )
    .await;
    let from_proto = monitor(
        &s,
        "grpc-keyword",
        "grpc proto text",
        call(without_reflection, json!({"grpcProtobuf": HEALTH_PROTO})),
        2,
    )
    .await;
    let not_serving = monitor(
        &s,
        "grpc-keyword",
        "grpc not serving",
        call(with_reflection, json!({"grpcBody": "{\"service\": \"app.Down\"}", "keyword": "\"SERVING\""})),
        2,
    )
    .await;
    let unknown_method =
        monitor(&s, "grpc-keyword", "grpc unknown method", call(with_reflection, json!({"grpcMethod": "Nope"})), 2)
            .await;
    let no_descriptors = monitor(&s, "grpc-keyword", "grpc no proto", call(without_reflection, json!({})), 2).await;
    let port = free_port();
    let refused =
        monitor(&s, "grpc-keyword", "grpc refused", call(format!("127.0.0.1:{port}").parse().unwrap(), json!({})), 1)
            .await;

    let msg = wait_beat(&s, &reflected, 1).await;
    assert!(msg.contains("{\"status\":\"SERVING\"}"), "{msg}");
    wait_beat(&s, &short_name, 1).await;
    let msg = wait_beat(&s, &from_proto, 1).await;
    assert!(msg.contains("SERVING"), "{msg}");
    let msg = wait_beat(&s, &not_serving, 0).await;
    assert!(msg.contains("Keyword \"\"SERVING\"\" not found") && msg.contains("NOT_SERVING"), "{msg}");
    let msg = wait_beat(&s, &unknown_method, 0).await;
    assert!(msg.contains("method Nope not found in service grpc.health.v1.Health") && msg.contains("Check"), "{msg}");
    let msg = wait_beat(&s, &no_descriptors, 0).await;
    assert!(msg.contains("reflection is not available") && msg.contains("grpcProtobuf"), "{msg}");
    let msg = wait_beat(&s, &refused, 0).await;
    assert!(msg.starts_with(&format!("Cannot connect to 127.0.0.1:{port}")), "{msg}");
}

// ---------------------------------------------------------------- docker

/// Engine API JSON for `GET /containers/<id>/json`, shaped like dockerd 27's answer.
fn container_json(name: &str, status: &str, running: bool, exit_code: i64, health: Option<(&str, i64, &str)>) -> Value {
    let mut state = json!({
        "Status": status, "Running": running, "Paused": false, "Restarting": false, "OOMKilled": false,
        "Dead": false, "Pid": if running { 4242 } else { 0 }, "ExitCode": exit_code, "Error": "",
        "StartedAt": "2026-11-25T10:00:00.000000000Z",
        "FinishedAt": if running { "0001-01-01T00:00:00Z" } else { "2026-11-25T10:05:00.000000000Z" }
    });
    if let Some((h, streak, output)) = health {
        state["Health"] = json!({"Status": h, "FailingStreak": streak, "Log": [
            {"Start": "2026-11-25T10:04:30.0Z", "End": "2026-11-25T10:04:31.0Z", "ExitCode": if h == "healthy" { 0 } else { 1 },
             "Output": output}
        ]});
    }
    json!({
        "Id": format!("{:0>64}", name.len()), "Created": "2026-11-25T09:59:59.000000000Z",
        "Path": "/docker-entrypoint.sh", "Args": ["nginx", "-g", "daemon off;"], "State": state,
        "Image": "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "Name": format!("/{name}"), "RestartCount": 0, "Driver": "overlay2", "Platform": "linux",
        "Config": {"Hostname": "c0ffee", "Image": "nginx:1.27", "Labels": {}},
        "NetworkSettings": {"Networks": {}}
    })
}

fn fake_containers() -> HashMap<String, Value> {
    HashMap::from([
        ("web".to_string(), container_json("web", "running", true, 0, None)),
        ("api".to_string(), container_json("api", "running", true, 0, Some(("healthy", 0, "ok")))),
        ("warming".to_string(), container_json("warming", "running", true, 0, Some(("starting", 0, "")))),
        (
            "sick".to_string(),
            container_json(
                "sick",
                "running",
                true,
                0,
                Some(("unhealthy", 3, "curl: (7) Failed to connect to localhost port 80")),
            ),
        ),
        ("stopped".to_string(), container_json("stopped", "exited", false, 137, None)),
    ])
}

/// Answers one HTTP/1.1 request the way dockerd does, then closes.
async fn engine_answer<S: AsyncRead + AsyncWrite + Unpin>(mut sock: S, containers: &HashMap<String, Value>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match sock.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        if buf.len() > 64 * 1024 {
            return;
        }
    }
    let head = String::from_utf8_lossy(&buf).to_string();
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    let versionless = match path.strip_prefix("/v") {
        Some(rest) if rest.split('/').next().is_some_and(|v| v.parse::<f32>().is_ok()) => {
            rest.find('/').map(|i| rest[i..].to_string()).unwrap_or_default()
        }
        _ => path.clone(),
    };
    let versionless = versionless.split('?').next().unwrap_or("").to_string();
    let (code, body) = if versionless == "/_ping" {
        (200, "OK".to_string())
    } else if let Some(id) = versionless.strip_prefix("/containers/").and_then(|r| r.strip_suffix("/json")) {
        match containers.get(id) {
            Some(c) => (200, c.to_string()),
            None => (404, json!({"message": format!("No such container: {id}")}).to_string()),
        }
    } else {
        (404, json!({"message": "page not found"}).to_string())
    };
    let reason = if code == 200 { "OK" } else { "Not Found" };
    let resp = format!(
        "HTTP/1.1 {code} {reason}\r\nApi-Version: 1.47\r\nContent-Type: application/json\r\nDocker-Experimental: false\r\nOstype: linux\r\nServer: Docker/27.3.1 (linux)\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = sock.write_all(resp.as_bytes()).await;
    let _ = sock.shutdown().await;
}

/// The fake engine on a unix socket, on TCP and on TLS (a self-signed certificate).
struct FakeEngine {
    _dir: tempfile::TempDir,
    socket: String,
    tcp: SocketAddr,
    tls: SocketAddr,
}

async fn fake_engine() -> FakeEngine {
    peekaping::install_crypto_provider();
    let containers = Arc::new(fake_containers());
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("docker.sock");
    let unix = tokio::net::UnixListener::bind(&socket).unwrap();
    let c = containers.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = unix.accept().await {
            let c = c.clone();
            tokio::spawn(async move { engine_answer(sock, &c).await });
        }
    });
    let tcp = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let tcp_addr = tcp.local_addr().unwrap();
    let c = containers.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = tcp.accept().await {
            let c = c.clone();
            tokio::spawn(async move { engine_answer(sock, &c).await });
        }
    });
    let cert = rcgen::generate_simple_self_signed(vec!["127.0.0.1".into()]).unwrap();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(cert.signing_key.serialize_der().into());
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![cert.cert.der().clone()], key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let tls = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let tls_addr = tls.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((sock, _)) = tls.accept().await {
            let (c, acceptor) = (containers.clone(), acceptor.clone());
            tokio::spawn(async move {
                if let Ok(stream) = acceptor.accept(sock).await {
                    engine_answer(stream, &c).await;
                }
            });
        }
    });
    FakeEngine { socket: socket.to_string_lossy().into_owned(), _dir: dir, tcp: tcp_addr, tls: tls_addr }
}

#[tokio::test]
async fn docker_reports_container_state_and_health() {
    let engine = fake_engine().await;
    let s = started_server().await;
    let on_socket = |id: &str| json!({"container_id": id, "connection_type": "socket", "docker_daemon": engine.socket});
    let web = monitor(&s, "docker", "docker web", on_socket("web"), 2).await;
    let api = monitor(&s, "docker", "docker api", on_socket("api"), 2).await;
    let warming = monitor(&s, "docker", "docker warming", on_socket("warming"), 2).await;
    let sick = monitor(&s, "docker", "docker sick", on_socket("sick"), 2).await;
    let stopped = monitor(&s, "docker", "docker stopped", on_socket("stopped"), 2).await;
    let ghost = monitor(&s, "docker", "docker ghost", on_socket("ghost"), 2).await;
    let over_tcp = monitor(
        &s,
        "docker",
        "docker tcp",
        json!({"container_id": "/web", "connection_type": "tcp", "docker_daemon": format!("tcp://{}", engine.tcp)}),
        2,
    )
    .await;
    let over_tls = monitor(
        &s,
        "docker",
        "docker tls",
        json!({"container_id": "api", "connection_type": "tcp", "docker_daemon": format!("tcp://{}", engine.tls),
            "tls_enabled": true, "tls_verify": false}),
        2,
    )
    .await;
    let tls_verified = monitor(
        &s,
        "docker",
        "docker tls verify",
        json!({"container_id": "api", "connection_type": "tcp", "docker_daemon": format!("tcp://{}", engine.tls),
            "tls_enabled": true, "tls_verify": true}),
        2,
    )
    .await;
    let no_socket = monitor(
        &s,
        "docker",
        "docker no socket",
        json!({"container_id": "web", "connection_type": "socket", "docker_daemon": "/nonexistent/docker.sock"}),
        2,
    )
    .await;
    let port = free_port();
    let refused = monitor(
        &s,
        "docker",
        "docker refused",
        json!({"container_id": "web", "connection_type": "tcp", "docker_daemon": format!("tcp://127.0.0.1:{port}")}),
        2,
    )
    .await;

    assert_eq!(wait_beat(&s, &web, 1).await, "Container web is running");
    assert_eq!(wait_beat(&s, &api, 1).await, "Container api is running and healthy");
    let msg = wait_beat(&s, &warming, 2).await;
    assert!(msg.contains("starting"), "{msg}");
    let msg = wait_beat(&s, &sick, 0).await;
    assert!(msg.contains("unhealthy (3 failed checks in a row): curl: (7)"), "{msg}");
    assert_eq!(wait_beat(&s, &stopped, 0).await, "Container stopped is exited (exit code 137)");
    let msg = wait_beat(&s, &ghost, 0).await;
    assert!(msg.starts_with("Container ghost not found"), "{msg}");
    assert_eq!(wait_beat(&s, &over_tcp, 1).await, "Container web is running");
    assert_eq!(wait_beat(&s, &over_tls, 1).await, "Container api is running and healthy");
    let msg = wait_beat(&s, &tls_verified, 0).await;
    assert!(msg.to_lowercase().contains("certificate") || msg.to_lowercase().contains("issuer"), "{msg}");
    assert_eq!(wait_beat(&s, &no_socket, 0).await, "Docker socket /nonexistent/docker.sock not found");
    let msg = wait_beat(&s, &refused, 0).await;
    assert!(msg.starts_with(&format!("Cannot reach Docker engine tcp://127.0.0.1:{port}")), "{msg}");
    assert!(msg.to_lowercase().contains("refused"), "{msg}");
}

// ---------------------------------------------------------------- kafka-producer

/// What the fake broker stored: (topic, partition) → values in offset order.
type Log = Arc<Mutex<HashMap<(String, i32), Vec<Vec<u8>>>>>;

/// A single-node Kafka broker speaking the wire protocol, enough for a producer client:
/// ApiVersions v0–v3 (v3 flexible), Metadata v0–v4 (auto-creates a requested topic when
/// the request allows it and `auto_create` is on), Produce v3–v7 with v2 record batches
/// (CRC-32C checked, acks honoured). Unknown topics get UNKNOWN_TOPIC_OR_PARTITION (3).
/// With `plain` credentials it is a SASL_PLAINTEXT listener: SaslHandshake v1 and
/// SaslAuthenticate v0–v1 (PLAIN) come first, anything else before them closes the
/// connection, and wrong credentials get SASL_AUTHENTICATION_FAILED (58).
struct FakeKafka {
    addr: SocketAddr,
    log: Log,
}

const API_PRODUCE: i16 = 0;
const API_METADATA: i16 = 3;
const API_VERSIONS: i16 = 18;
const API_SASL_HANDSHAKE: i16 = 17;
const API_SASL_AUTHENTICATE: i16 = 36;

type Credentials = Option<(&'static str, &'static str)>;

async fn fake_kafka(topics: &[&str], auto_create: bool) -> FakeKafka {
    fake_kafka_with(topics, auto_create, None).await
}

async fn fake_kafka_with(topics: &[&str], auto_create: bool, plain: Credentials) -> FakeKafka {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let log: Log = Arc::new(Mutex::new(topics.iter().map(|t| ((t.to_string(), 0), Vec::new())).collect()));
    let shared = log.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let log = shared.clone();
            tokio::spawn(async move { kafka_connection(sock, addr, log, auto_create, plain).await });
        }
    });
    FakeKafka { addr, log }
}

async fn kafka_connection(
    mut sock: tokio::net::TcpStream,
    me: SocketAddr,
    log: Log,
    auto_create: bool,
    plain: Credentials,
) {
    let mut authenticated = plain.is_none();
    loop {
        let Ok(len) = sock.read_i32().await else { return };
        if !(0..=16 * 1024 * 1024).contains(&len) {
            return;
        }
        let mut frame = vec![0u8; len as usize];
        if sock.read_exact(&mut frame).await.is_err() {
            return;
        }
        let mut r = Reader(&frame);
        let api_key = r.i16();
        let version = r.i16();
        let correlation = r.i32();
        let _client_id = r.nullable_string();
        let flexible = api_key == API_VERSIONS && version >= 3;
        if flexible {
            r.skip_tagged_fields();
        }
        if !authenticated && !matches!(api_key, API_VERSIONS | API_SASL_HANDSHAKE | API_SASL_AUTHENTICATE) {
            return; // Kafka drops unauthenticated requests on a SASL listener
        }
        let body = match api_key {
            API_VERSIONS => api_versions(version, plain.is_some()),
            API_SASL_HANDSHAKE if plain.is_some() && version == 1 => sasl_handshake(&mut r),
            API_SASL_AUTHENTICATE if plain.is_some() && version <= 1 => {
                let (body, ok) = sasl_authenticate(&mut r, version, plain);
                authenticated |= ok;
                body
            }
            API_METADATA => metadata(&mut r, version, me, &log, auto_create),
            API_PRODUCE if (3..=7).contains(&version) => match produce(&mut r, version, &log) {
                Some(b) => b,
                None => continue, // acks = 0: no answer
            },
            _ => return, // a real broker closes the connection on an unsupported request
        };
        let mut out = Vec::with_capacity(body.len() + 8);
        out.extend_from_slice(&((body.len() + 4) as i32).to_be_bytes());
        out.extend_from_slice(&correlation.to_be_bytes());
        out.extend_from_slice(&body);
        if sock.write_all(&out).await.is_err() {
            return;
        }
    }
}

fn sasl_handshake(r: &mut Reader<'_>) -> Vec<u8> {
    const UNSUPPORTED_SASL_MECHANISM: i16 = 33;
    let mechanism = r.string();
    let mut w = Vec::new();
    let code = if mechanism == "PLAIN" { 0 } else { UNSUPPORTED_SASL_MECHANISM };
    w.extend_from_slice(&code.to_be_bytes());
    w.extend_from_slice(&1i32.to_be_bytes());
    put_string(&mut w, "PLAIN");
    w
}

/// PLAIN: `authzid NUL user NUL password`.
fn sasl_authenticate(r: &mut Reader<'_>, version: i16, plain: Credentials) -> (Vec<u8>, bool) {
    const SASL_AUTHENTICATION_FAILED: i16 = 58;
    let len = r.i32();
    let token = r.take(len.max(0) as usize);
    let parts: Vec<&[u8]> = token.split(|b| *b == 0).collect();
    let ok = match (plain, parts.as_slice()) {
        (Some((user, pass)), [_, u, p]) => *u == user.as_bytes() && *p == pass.as_bytes(),
        _ => false,
    };
    let mut w = Vec::new();
    if ok {
        w.extend_from_slice(&0i16.to_be_bytes());
        w.extend_from_slice(&(-1i16).to_be_bytes());
    } else {
        w.extend_from_slice(&SASL_AUTHENTICATION_FAILED.to_be_bytes());
        put_string(
            &mut w,
            "Authentication failed during authentication due to invalid credentials with SASL mechanism PLAIN",
        );
    }
    w.extend_from_slice(&0i32.to_be_bytes()); // auth_bytes: empty
    if version >= 1 {
        w.extend_from_slice(&0i64.to_be_bytes()); // session_lifetime_ms
    }
    (w, ok)
}

fn api_versions(version: i16, sasl: bool) -> Vec<u8> {
    let mut keys: Vec<(i16, i16, i16)> = vec![(API_PRODUCE, 3, 7), (API_METADATA, 0, 4), (API_VERSIONS, 0, 3)];
    if sasl {
        keys.extend([(API_SASL_HANDSHAKE, 1, 1), (API_SASL_AUTHENTICATE, 0, 1)]);
    }
    let mut w = Vec::new();
    if version > 3 {
        // UNSUPPORTED_VERSION in the v0 layout, as Kafka answers unknown ApiVersions versions.
        w.extend_from_slice(&35i16.to_be_bytes());
        w.extend_from_slice(&0i32.to_be_bytes());
        return w;
    }
    w.extend_from_slice(&0i16.to_be_bytes());
    if version >= 3 {
        put_uvarint(&mut w, keys.len() as u64 + 1);
    } else {
        w.extend_from_slice(&(keys.len() as i32).to_be_bytes());
    }
    for (k, min, max) in keys {
        w.extend_from_slice(&k.to_be_bytes());
        w.extend_from_slice(&min.to_be_bytes());
        w.extend_from_slice(&max.to_be_bytes());
        if version >= 3 {
            w.push(0);
        }
    }
    if version >= 1 {
        w.extend_from_slice(&0i32.to_be_bytes());
    }
    if version >= 3 {
        w.push(0);
    }
    w
}

fn metadata(r: &mut Reader<'_>, version: i16, me: SocketAddr, log: &Log, auto_create: bool) -> Vec<u8> {
    let count = r.i32();
    let requested: Option<Vec<String>> = (count >= 0).then(|| (0..count).map(|_| r.string()).collect());
    let allow_auto = if version >= 4 { r.i8() != 0 } else { true };
    let mut log = log.lock().unwrap();
    let topics: Vec<(String, bool)> = match requested {
        None => {
            let mut all: Vec<String> = log.keys().map(|(t, _)| t.clone()).collect();
            all.sort();
            all.dedup();
            all.into_iter().map(|t| (t, true)).collect()
        }
        Some(names) => names
            .into_iter()
            .map(|t| {
                let mut exists = log.contains_key(&(t.clone(), 0));
                if !exists && allow_auto && auto_create {
                    log.insert((t.clone(), 0), Vec::new());
                    exists = true;
                }
                (t, exists)
            })
            .collect(),
    };
    let mut w = Vec::new();
    if version >= 3 {
        w.extend_from_slice(&0i32.to_be_bytes()); // throttle_time_ms
    }
    w.extend_from_slice(&1i32.to_be_bytes()); // one broker: this one
    w.extend_from_slice(&1i32.to_be_bytes());
    put_string(&mut w, &me.ip().to_string());
    w.extend_from_slice(&i32::from(me.port()).to_be_bytes());
    if version >= 1 {
        w.extend_from_slice(&(-1i16).to_be_bytes()); // rack: null
    }
    if version >= 2 {
        put_string(&mut w, "fake-cluster");
    }
    if version >= 1 {
        w.extend_from_slice(&1i32.to_be_bytes()); // controller
    }
    w.extend_from_slice(&(topics.len() as i32).to_be_bytes());
    for (name, exists) in topics {
        w.extend_from_slice(&(if exists { 0i16 } else { 3i16 }).to_be_bytes());
        put_string(&mut w, &name);
        if version >= 1 {
            w.push(0); // is_internal
        }
        if exists {
            w.extend_from_slice(&1i32.to_be_bytes());
            w.extend_from_slice(&0i16.to_be_bytes()); // partition error
            w.extend_from_slice(&0i32.to_be_bytes()); // partition 0
            w.extend_from_slice(&1i32.to_be_bytes()); // leader
            w.extend_from_slice(&1i32.to_be_bytes()); // replicas [1]
            w.extend_from_slice(&1i32.to_be_bytes());
            w.extend_from_slice(&1i32.to_be_bytes()); // isr [1]
            w.extend_from_slice(&1i32.to_be_bytes());
        } else {
            w.extend_from_slice(&0i32.to_be_bytes());
        }
    }
    w
}

fn produce(r: &mut Reader<'_>, version: i16, log: &Log) -> Option<Vec<u8>> {
    let _transactional_id = r.nullable_string();
    let acks = r.i16();
    let _timeout_ms = r.i32();
    let mut responses = Vec::new();
    for _ in 0..r.i32() {
        let topic = r.string();
        let mut parts = Vec::new();
        for _ in 0..r.i32() {
            let partition = r.i32();
            let len = r.i32();
            let records = if len >= 0 { r.take(len as usize) } else { &[][..] };
            let mut log = log.lock().unwrap();
            let (error, base) = match log.get_mut(&(topic.clone(), partition)) {
                None => (3i16, -1i64),
                Some(stored) => match decode_batch(records) {
                    Err(code) => (code, -1),
                    Ok(values) => {
                        let base = stored.len() as i64;
                        stored.extend(values);
                        (0, base)
                    }
                },
            };
            parts.push((partition, error, base));
        }
        responses.push((topic, parts));
    }
    if acks == 0 {
        return None;
    }
    let mut w = Vec::new();
    w.extend_from_slice(&(responses.len() as i32).to_be_bytes());
    for (topic, parts) in responses {
        put_string(&mut w, &topic);
        w.extend_from_slice(&(parts.len() as i32).to_be_bytes());
        for (partition, error, base) in parts {
            w.extend_from_slice(&partition.to_be_bytes());
            w.extend_from_slice(&error.to_be_bytes());
            w.extend_from_slice(&base.to_be_bytes());
            w.extend_from_slice(&(-1i64).to_be_bytes()); // log_append_time_ms (v2+)
            if version >= 5 {
                w.extend_from_slice(&0i64.to_be_bytes()); // log_start_offset
            }
        }
    }
    w.extend_from_slice(&0i32.to_be_bytes()); // throttle_time_ms
    Some(w)
}

/// The record values of one v2 record batch; Err(Kafka error code) when it is malformed.
fn decode_batch(bytes: &[u8]) -> Result<Vec<Vec<u8>>, i16> {
    const CORRUPT_MESSAGE: i16 = 2;
    const UNSUPPORTED_FOR_MESSAGE_FORMAT: i16 = 43;
    if bytes.len() < 61 {
        return Err(CORRUPT_MESSAGE);
    }
    let mut r = Reader(bytes);
    let _base_offset = r.i64();
    let batch_len = r.i32();
    if batch_len as usize != bytes.len() - 12 {
        return Err(CORRUPT_MESSAGE);
    }
    let _leader_epoch = r.i32();
    if r.i8() != 2 {
        return Err(UNSUPPORTED_FOR_MESSAGE_FORMAT);
    }
    let crc = r.i32() as u32;
    if crc32c(&bytes[21..]) != crc {
        return Err(CORRUPT_MESSAGE);
    }
    let attributes = r.i16();
    if attributes & 0x7 != 0 {
        return Err(UNSUPPORTED_FOR_MESSAGE_FORMAT); // compressed batches are not expected here
    }
    r.take(4 + 8 + 8 + 8 + 2 + 4); // last offset delta .. base sequence
    let count = r.i32();
    let mut values = Vec::new();
    for _ in 0..count {
        let _len = r.varint();
        let _attrs = r.i8();
        let _ts_delta = r.varint();
        let _offset_delta = r.varint();
        let key_len = r.varint();
        if key_len > 0 {
            r.take(key_len as usize);
        }
        let value_len = r.varint();
        values.push(if value_len >= 0 { r.take(value_len as usize).to_vec() } else { Vec::new() });
        for _ in 0..r.varint() {
            let k = r.varint();
            r.take(k.max(0) as usize);
            let v = r.varint();
            r.take(v.max(0) as usize);
        }
    }
    Ok(values)
}

fn crc32c(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0x82F6_3B78 } else { crc >> 1 };
        }
    }
    !crc
}

fn put_string(w: &mut Vec<u8>, s: &str) {
    w.extend_from_slice(&(s.len() as i16).to_be_bytes());
    w.extend_from_slice(s.as_bytes());
}

fn put_uvarint(w: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        w.push((v as u8) | 0x80);
        v >>= 7;
    }
    w.push(v as u8);
}

/// A big-endian reader over a request; malformed input panics the connection task only.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> &'a [u8] {
        let (head, tail) = self.0.split_at(n.min(self.0.len()));
        self.0 = tail;
        head
    }
    fn i8(&mut self) -> i8 {
        self.take(1)[0] as i8
    }
    fn i16(&mut self) -> i16 {
        i16::from_be_bytes(self.take(2).try_into().unwrap())
    }
    fn i32(&mut self) -> i32 {
        i32::from_be_bytes(self.take(4).try_into().unwrap())
    }
    fn i64(&mut self) -> i64 {
        i64::from_be_bytes(self.take(8).try_into().unwrap())
    }
    fn string(&mut self) -> String {
        let n = self.i16();
        String::from_utf8_lossy(self.take(n.max(0) as usize)).into_owned()
    }
    fn nullable_string(&mut self) -> Option<String> {
        let n = self.i16();
        (n >= 0).then(|| String::from_utf8_lossy(self.take(n as usize)).into_owned())
    }
    fn uvarint(&mut self) -> u64 {
        let (mut v, mut shift) = (0u64, 0);
        loop {
            let b = self.take(1)[0];
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return v;
            }
            shift += 7;
        }
    }
    fn varint(&mut self) -> i64 {
        let v = self.uvarint();
        ((v >> 1) as i64) ^ -((v & 1) as i64)
    }
    fn skip_tagged_fields(&mut self) {
        for _ in 0..self.uvarint() {
            let _tag = self.uvarint();
            let len = self.uvarint();
            self.take(len as usize);
        }
    }
}

#[tokio::test]
async fn kafka_producer_is_up_when_the_broker_acknowledges_the_message() {
    let broker = fake_kafka(&["health"], true).await;
    let strict = fake_kafka(&["health"], false).await;
    let secured = fake_kafka_with(&["health"], false, Some(("monitor", "s3cret"))).await;
    let s = started_server().await;
    let produce_to = |addr: SocketAddr, topic: &str, auto: bool| {
        json!({"brokers": [addr.to_string()], "topic": topic, "message": "{\"from\":\"peekaping\"}",
            "allow_auto_topic_creation": auto, "ssl": false, "sasl_options": {"mechanism": "None"}})
    };
    let up = monitor(&s, "kafka-producer", "kafka up", produce_to(broker.addr, "health", false), 2).await;
    let created = monitor(&s, "kafka-producer", "kafka auto create", produce_to(broker.addr, "fresh", true), 2).await;
    let missing = monitor(&s, "kafka-producer", "kafka missing", produce_to(broker.addr, "nowhere", false), 2).await;
    let not_created = monitor(&s, "kafka-producer", "kafka no auto", produce_to(strict.addr, "absent", true), 2).await;
    let with_sasl = |password: &str| {
        let mut c = produce_to(secured.addr, "health", false);
        c["sasl_options"] = json!({"mechanism": "PLAIN", "username": "monitor", "password": password});
        c
    };
    let authenticated = monitor(&s, "kafka-producer", "kafka sasl", with_sasl("s3cret"), 2).await;
    let bad_password = monitor(&s, "kafka-producer", "kafka bad sasl", with_sasl("wrong"), 2).await;
    let port = free_port();
    let refused = monitor(
        &s,
        "kafka-producer",
        "kafka refused",
        produce_to(format!("127.0.0.1:{port}").parse().unwrap(), "health", false),
        2,
    )
    .await;

    let msg = wait_beat(&s, &up, 1).await;
    assert!(msg.starts_with("Message sent to \"health\" (partition 0, offset"), "{msg}");
    let stored = broker.log.lock().unwrap().get(&("health".to_string(), 0)).cloned().unwrap();
    assert_eq!(stored[0], b"{\"from\":\"peekaping\"}", "the broker decoded the record batch");
    let msg = wait_beat(&s, &created, 1).await;
    assert!(msg.contains("\"fresh\""), "{msg}");
    let msg = wait_beat(&s, &missing, 0).await;
    assert_eq!(msg, "Topic \"nowhere\" does not exist (allow_auto_topic_creation is off)");
    assert!(!broker.log.lock().unwrap().contains_key(&("nowhere".to_string(), 0)), "the check never created the topic");
    let msg = wait_beat(&s, &not_created, 0).await;
    assert!(msg.contains("UnknownTopicOrPartition"), "{msg}");
    let msg = wait_beat(&s, &authenticated, 1).await;
    assert!(msg.starts_with("Message sent to \"health\""), "{msg}");
    let msg = wait_beat(&s, &bad_password, 0).await;
    assert!(msg.ends_with("SASL authentication failed: the broker rejected the username or password"), "{msg}");
    let msg = wait_beat(&s, &refused, 0).await;
    assert!(msg.starts_with(&format!("Cannot reach Kafka (127.0.0.1:{port})")), "{msg}");
    assert!(msg.to_lowercase().contains("refused"), "{msg}");
}

// ---------------------------------------------------------------- never a hang

/// A TCP port that accepts connections and never says a word (nor closes them).
async fn silent_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = listener.accept().await {
            held.push(sock);
        }
    });
    port
}

#[tokio::test]
async fn every_type_gives_up_on_a_target_that_accepts_and_never_answers() {
    let port = silent_port().await;
    let addr = format!("127.0.0.1:{port}");
    let s = started_server().await;
    let monitors = [
        monitor(&s, "mqtt", "silent mqtt", json!({"hostname": "127.0.0.1", "port": port, "topic": "t"}), 1).await,
        monitor(
            &s,
            "rabbitmq",
            "silent rabbit",
            json!({"nodes": [format!("http://{addr}")], "username": "u", "password": "p"}),
            1,
        )
        .await,
        monitor(
            &s,
            "kafka-producer",
            "silent kafka",
            json!({"brokers": [addr], "topic": "t", "message": "m", "allow_auto_topic_creation": true}),
            1,
        )
        .await,
        monitor(
            &s,
            "docker",
            "silent docker",
            json!({"container_id": "web", "connection_type": "tcp", "docker_daemon": format!("tcp://{addr}")}),
            1,
        )
        .await,
        monitor(
            &s,
            "grpc-keyword",
            "silent grpc",
            json!({"grpcUrl": addr, "grpcServiceName": "S", "grpcMethod": "M"}),
            1,
        )
        .await,
    ];
    let started = tokio::time::Instant::now();
    for id in &monitors {
        let msg = wait_beat(&s, id, 0).await;
        let lower = msg.to_lowercase();
        assert!(
            lower.contains("within")
                || lower.contains("timed out")
                || lower.contains("in time")
                || lower.contains("timeout"),
            "{msg}"
        );
    }
    assert!(started.elapsed() < Duration::from_secs(15), "the checks gave up in bounded time");
}

//! `mqtt`: connect to the broker, subscribe to the topic and, for `keyword` and
//! `json-query`, judge the first message that arrives within 0.8 × the timeout (retained
//! messages count). `none` is UP once the subscription is acknowledged. Never publishes.

use std::time::{Duration, Instant};

use async_trait::async_trait;
use rumqttc::{AsyncClient, ConnectReturnCode, Event, MqttOptions, Packet, QoS, SubscribeReasonCode, Transport};

use super::{Check, CheckContext, Observation, elapsed_us};
use crate::domain::MonitorConfig;
use crate::domain::check::CheckJob;
use crate::domain::json_query::{self, Condition};
use crate::domain::monitor_config::MqttConfig;
use crate::domain::monitor_types::mqtt::gjson_path;
use crate::worker::tls::TlsOptions;

pub struct MqttCheck;

/// How much of a message a DOWN message quotes.
const QUOTE_CHARS: usize = 120;

#[async_trait]
impl Check for MqttCheck {
    async fn run(&self, job: &CheckJob, config: &MonitorConfig, ctx: &CheckContext) -> Option<Observation> {
        let MonitorConfig::Mqtt(c) = config else { return Some(Observation::down(None, "not an mqtt monitor")) };
        // 0.8 × timeout like Peekaping, so the check's own message beats the runner's timeout.
        let window = Duration::from_millis(u64::from(job.monitor.timeout.max(1)) * 800);
        Some(check(c, window, ctx).await)
    }
}

async fn check(c: &MqttConfig, window: Duration, ctx: &CheckContext) -> Observation {
    let (host, tls) = c.host_and_tls();
    let host = host.trim_start_matches('[').trim_end_matches(']').to_string();
    let target = format!("{host}:{}", c.port);
    let client_id = format!("peekaping-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let mut opts = MqttOptions::new(client_id, host.clone(), c.port);
    opts.set_keep_alive(Duration::from_secs(30));
    opts.set_clean_session(true);
    // A huge message must not cost more than the body cap.
    let cap = ctx.max_body_bytes.clamp(1024, 256 * 1024 * 1024);
    opts.set_max_packet_size(cap, 64 * 1024);
    if !c.username.is_empty() {
        opts.set_credentials(c.username.clone(), c.password.clone());
    }
    if tls {
        match ctx.http.tls().client_config(&TlsOptions::default()) {
            Ok(mut cfg) => {
                cfg.alpn_protocols.clear();
                opts.set_transport(Transport::tls_with_config(rumqttc::TlsConfiguration::Rustls(cfg.into())));
            }
            Err(e) => return Observation::down(None, format!("TLS setup failed: {e}")),
        }
    }
    let (client, mut events) = AsyncClient::new(opts, 10);
    let mut net = events.network_options();
    net.set_connection_timeout(window.as_secs().max(1));
    events.set_network_options(net);
    if let Err(e) = client.subscribe(c.topic.trim(), QoS::AtMostOnce).await {
        return Observation::down(None, format!("Cannot queue the subscription: {e}"));
    }
    let start = Instant::now();
    let deadline = tokio::time::Instant::now() + window;
    let topic = c.topic.trim();
    let mut connected_us = None;
    let mut subscribed = false;
    let outcome = loop {
        let event = match tokio::time::timeout_at(deadline, events.poll()).await {
            Err(_) => {
                break if connected_us.is_none() {
                    Observation::down(
                        None,
                        format!(
                            "Cannot connect to MQTT broker {target}: no answer within {:.1} s",
                            window.as_secs_f32()
                        ),
                    )
                } else if !subscribed {
                    Observation::down(
                        connected_us,
                        format!("Subscription to \"{topic}\" not acknowledged within {:.1} s", window.as_secs_f32()),
                    )
                } else {
                    Observation::down(
                        connected_us,
                        format!("No message on topic \"{topic}\" within {:.1} s", window.as_secs_f32()),
                    )
                };
            }
            Ok(Err(e)) => break Observation::down(connected_us, connection_error(&target, e)),
            Ok(Ok(ev)) => ev,
        };
        match event {
            Event::Incoming(Packet::ConnAck(ack)) => {
                if ack.code != ConnectReturnCode::Success {
                    break Observation::down(None, refused(&target, ack.code));
                }
                connected_us = Some(elapsed_us(start));
            }
            Event::Incoming(Packet::SubAck(ack)) => {
                if ack.return_codes.iter().any(|r| matches!(r, SubscribeReasonCode::Failure)) {
                    break Observation::down(
                        connected_us,
                        format!("The broker refused the subscription to \"{topic}\" (not authorised?)"),
                    );
                }
                subscribed = true;
                if c.check_kind() == "none" {
                    break Observation::up(
                        connected_us,
                        format!("Connected to {target} and subscribed to \"{topic}\""),
                    );
                }
            }
            Event::Incoming(Packet::Publish(p)) => break judge(c, &p.topic, &p.payload, connected_us),
            _ => {}
        }
    };
    // Say goodbye politely, but never wait long for it.
    let _ = client.try_disconnect();
    let _ = tokio::time::timeout(Duration::from_millis(100), async {
        while let Ok(ev) = events.poll().await {
            if matches!(ev, Event::Outgoing(rumqttc::Outgoing::Disconnect)) {
                break;
            }
        }
    })
    .await;
    outcome
}

fn judge(c: &MqttConfig, topic: &str, payload: &[u8], ping: Option<u64>) -> Observation {
    let text = String::from_utf8_lossy(payload);
    match c.check_kind() {
        "keyword" => {
            if text.contains(c.success_keyword.as_str()) {
                Observation::up(ping, format!("Topic \"{topic}\": keyword \"{}\" found", c.success_keyword))
            } else {
                Observation::down(
                    ping,
                    format!(
                        "Keyword \"{}\" not found in the message on \"{topic}\": {}",
                        c.success_keyword,
                        quote(&text)
                    ),
                )
            }
        }
        "json-query" => {
            if serde_json::from_str::<serde_json::Value>(&text).is_err() {
                return Observation::down(ping, format!("The message on \"{topic}\" is not JSON: {}", quote(&text)));
            }
            match json_query::evaluate(&text, gjson_path(&c.json_path), Condition::Eq, c.expected_value.trim()) {
                Ok(v) => Observation::up(ping, format!("Topic \"{topic}\": {} is \"{v}\" as expected", c.json_path)),
                Err(m) => Observation::down(ping, format!("Topic \"{topic}\": {m}")),
            }
        }
        _ => Observation::up(ping, format!("Message received on \"{topic}\"")),
    }
}

fn quote(text: &str) -> String {
    let one_line: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).take(QUOTE_CHARS).collect();
    format!("\"{}\"", one_line.trim())
}

fn refused(target: &str, code: ConnectReturnCode) -> String {
    let why = match code {
        ConnectReturnCode::BadUserNamePassword => "bad user name or password",
        ConnectReturnCode::NotAuthorized => "not authorised",
        ConnectReturnCode::BadClientId => "client id rejected",
        ConnectReturnCode::ServiceUnavailable => "service unavailable",
        ConnectReturnCode::RefusedProtocolVersion => "MQTT 3.1.1 not supported",
        ConnectReturnCode::Success => "accepted",
    };
    format!("MQTT broker {target} refused the connection: {why}")
}

fn connection_error(target: &str, e: rumqttc::ConnectionError) -> String {
    match e {
        rumqttc::ConnectionError::ConnectionRefused(code) => refused(target, code),
        rumqttc::ConnectionError::Io(io) => format!("Cannot connect to MQTT broker {target}: {io}"),
        rumqttc::ConnectionError::NetworkTimeout => format!("Cannot connect to MQTT broker {target}: timed out"),
        rumqttc::ConnectionError::Tls(t) => format!("TLS with MQTT broker {target} failed: {t}"),
        rumqttc::ConnectionError::MqttState(s) => format!("MQTT session with {target} failed: {s}"),
        other => format!("MQTT broker {target}: {other}"),
    }
}

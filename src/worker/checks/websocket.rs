//! `websocket`: the HTTP upgrade (101) to ws:// or wss://, then optionally one text
//! message sent and one expected. TLS goes through our own handshake (ring, the chain is
//! recorded), then tokio-tungstenite runs the WebSocket protocol over that stream.

use std::time::Instant;

use async_trait::async_trait;
use futures::{SinkExt, StreamExt};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::{HeaderName, HeaderValue};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig as ProtocolConfig;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

use super::tls::{Handshake, describe_tls_error, handshake};
use super::{Check, CheckContext, Deadline, Observation, connect_tcp, elapsed_us, seconds};
use crate::domain::MonitorConfig;
use crate::domain::check::CheckJob;
use crate::domain::monitor_config::WebsocketConfig;
use crate::worker::tls::TlsOptions;

pub struct WebsocketCheck;

/// Largest message (and frame) read: enough for any status message, bounded for the rest.
const MAX_MESSAGE: usize = 1024 * 1024;
/// Messages read while looking for `expect`.
const MAX_MESSAGES: usize = 100;

#[async_trait]
impl Check for WebsocketCheck {
    async fn run(&self, job: &CheckJob, config: &MonitorConfig, ctx: &CheckContext) -> Option<Observation> {
        let MonitorConfig::Websocket(c) = config else {
            return Some(Observation::down(None, "not a websocket monitor"));
        };
        Some(check(job, c, ctx).await)
    }
}

async fn check(job: &CheckJob, c: &WebsocketConfig, ctx: &CheckContext) -> Observation {
    let deadline = Deadline::of(job);
    let Ok(url) = url::Url::parse(c.url.trim()) else { return Observation::down(None, "The URL is not valid") };
    let host = url.host_str().unwrap_or_default().to_string();
    let Some(port) = url.port_or_known_default() else { return Observation::down(None, "The URL has no port") };
    let start = Instant::now();
    let tcp = match connect_tcp(&host, port, deadline).await {
        Ok(s) => s,
        Err(e) => return Observation::down(None, e),
    };
    if url.scheme() == "wss" {
        let opts = TlsOptions {
            lenient: c.ignore_tls_errors,
            ca_pem: (!c.ca.trim().is_empty()).then(|| c.ca.clone()),
            ..Default::default()
        };
        let hs = match deadline.run("for the TLS handshake", handshake(tcp, &host, &opts, ctx)).await {
            Ok(Ok(hs)) => hs,
            Ok(Err(e)) | Err(e) => return Observation::down(None, e),
        };
        let Handshake { stream, info, error } = hs;
        let note = error.map(|e| format!("; certificate problem ignored as configured: {}", describe_tls_error(&e)));
        let mut obs = session(stream, c, deadline, start, note.unwrap_or_default()).await;
        obs.tls = Some(info);
        obs
    } else {
        session(tcp, c, deadline, start, String::new()).await
    }
}

fn as_text(m: &Message) -> Option<String> {
    match m {
        Message::Text(t) => Some(t.to_string()),
        Message::Binary(b) => Some(String::from_utf8_lossy(b).into_owned()),
        _ => None,
    }
}

fn snippet(s: &str) -> String {
    let one: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).take(120).collect();
    one.trim().to_string()
}

async fn session<S>(stream: S, c: &WebsocketConfig, deadline: Deadline, start: Instant, note: String) -> Observation
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut request = match c.url.trim().into_client_request() {
        Ok(r) => r,
        Err(e) => return Observation::down(None, format!("Cannot build the upgrade request: {e}")),
    };
    let headers = match c.header_pairs() {
        Ok(h) => h,
        Err(e) => return Observation::down(None, format!("headers {e}")),
    };
    for (name, value) in headers {
        match (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&value)) {
            (Ok(n), Ok(v)) => {
                request.headers_mut().insert(n, v);
            }
            _ => return Observation::down(None, format!("Header \"{name}\" is not valid")),
        }
    }
    let subprotocol = c.subprotocol.trim();
    if !subprotocol.is_empty() {
        match HeaderValue::from_str(subprotocol) {
            Ok(v) => {
                request.headers_mut().insert("Sec-WebSocket-Protocol", v);
            }
            Err(_) => return Observation::down(None, format!("Subprotocol \"{subprotocol}\" is not valid")),
        }
    }
    let config = ProtocolConfig::default().max_message_size(Some(MAX_MESSAGE)).max_frame_size(Some(MAX_MESSAGE));
    let upgrade = tokio_tungstenite::client_async_with_config(request, stream, Some(config));
    let (mut ws, response) = match deadline.run("for the upgrade (101 Switching Protocols)", upgrade).await {
        Err(e) => return Observation::down(None, e),
        Ok(Err(WsError::Http(resp))) => {
            let status = resp.status();
            let body = resp.body().as_deref().map(String::from_utf8_lossy).map(|b| snippet(&b)).unwrap_or_default();
            let body = if body.is_empty() { String::new() } else { format!(": {body}") };
            return Observation::down(
                None,
                format!(
                    "Upgrade refused: the server answered {} {} instead of 101 Switching Protocols{body}",
                    status.as_u16(),
                    status.canonical_reason().unwrap_or("")
                ),
            );
        }
        Ok(Err(WsError::Protocol(p))) if p.to_string().contains("SubProtocol") => {
            return Observation::down(None, format!("The server did not accept subprotocol \"{subprotocol}\" ({p})"));
        }
        Ok(Err(e)) => return Observation::down(None, format!("WebSocket handshake failed: {}", super::root_cause(&e))),
        Ok(Ok(pair)) => pair,
    };
    let upgraded = elapsed_us(start);
    let mut msg = format!("Upgraded ({} Switching Protocols)", response.status().as_u16());
    if !subprotocol.is_empty() {
        msg.push_str(&format!(", subprotocol {subprotocol}"));
    }
    let send = c.send.as_str();
    if !send.is_empty() {
        if let Err(e) = deadline
            .run("to send the message", ws.send(Message::text(send)))
            .await
            .and_then(|r| r.map_err(|e| e.to_string()))
        {
            return Observation::down(Some(upgraded), format!("{msg}, but sending the message failed: {e}"));
        }
        msg.push_str(", message sent");
    }
    let expect = c.expect.as_str();
    let mut ping = upgraded;
    if !expect.is_empty() {
        let mut last: Option<String> = None;
        let mut read = 0;
        let found = deadline
            .run("", async {
                while let Some(next) = ws.next().await {
                    let m = next.map_err(|e| format!("reading failed: {}", super::root_cause(&e)))?;
                    if let Some(text) = as_text(&m) {
                        if text.contains(expect) {
                            return Ok(true);
                        }
                        last = Some(text);
                        read += 1;
                        if read >= MAX_MESSAGES {
                            return Ok(false);
                        }
                    }
                    if matches!(m, Message::Close(_)) {
                        return Err("the server closed the connection".to_string());
                    }
                }
                Err("the server closed the connection".to_string())
            })
            .await;
        let why = match found {
            Ok(Ok(true)) => None,
            Ok(Ok(false)) => Some(format!("none of the first {MAX_MESSAGES} messages")),
            Ok(Err(e)) => Some(e),
            Err(_) => Some(format!("nothing within {}", seconds(deadline.total()))),
        };
        if let Some(why) = why {
            let last = last.map(|l| format!("; last message: \"{}\"", snippet(&l))).unwrap_or_default();
            let _ = deadline.run("", ws.close(None)).await;
            return Observation::down(
                Some(upgraded),
                format!("{msg}, but no message containing \"{expect}\" arrived: {why}{last}"),
            );
        }
        ping = elapsed_us(start);
        msg.push_str(&format!(", reply contains \"{expect}\""));
    }
    let _ = deadline.run("", ws.close(None)).await;
    msg.push_str(&note);
    Observation::up(Some(ping), msg)
}

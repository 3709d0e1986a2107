//! Realtime push at `/socket.io/`: a Socket.IO v5 (Engine.IO v4) server, so Peekaping's
//! web app and our own both get live heartbeats without polling the API.
//!
//! Rooms and events are Peekaping's: a client emits `join_room`/`leave_room` with
//! `monitor:all` or `monitor:<id>` and receives `monitor:<id>:heartbeat` and
//! `monitor:all:heartbeat`; we add `monitor:status` (status changes) and
//! `monitor:changed` (create/update/delete). Authentication is the access token, in the
//! `token` query parameter (Peekaping) or the CONNECT packet's `auth.token`. Both the
//! websocket and the long-polling transport (with upgrade) are served.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use poem::http::{StatusCode, header};
use poem::web::websocket::{Message, WebSocket};
use poem::{Endpoint, FromRequest, IntoResponse, Request, Response};
use poem_openapi::types::ToJSON;
use serde_json::{Value, json};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use super::AppState;
use super::monitors::HeartbeatDto;
use crate::bus::BusEvent;

const PING_INTERVAL: Duration = Duration::from_secs(25);
const PING_TIMEOUT: Duration = Duration::from_secs(20);
const MAX_PAYLOAD: usize = 1_000_000;
/// Packets queued for one client before new ones are dropped (a stalled browser tab).
const QUEUE_LIMIT: usize = 4096;

/// One Engine.IO session (one browser tab).
struct Session {
    sid: String,
    rooms: RwLock<HashSet<String>>,
    /// Socket.IO namespace connected (after a valid CONNECT).
    connected: RwLock<bool>,
    token: Option<String>,
    queue: Mutex<std::collections::VecDeque<String>>,
    ready: Notify,
    upgraded: RwLock<bool>,
    last_seen: Mutex<tokio::time::Instant>,
    closed: CancellationToken,
}

impl Session {
    fn push(&self, packet: String) {
        if let Ok(mut q) = self.queue.lock() {
            if q.len() >= QUEUE_LIMIT {
                return;
            }
            q.push_back(packet);
        }
        self.ready.notify_one();
    }

    fn drain(&self) -> Vec<String> {
        self.queue.lock().map(|mut q| q.drain(..).collect()).unwrap_or_default()
    }

    fn touch(&self) {
        if let Ok(mut t) = self.last_seen.lock() {
            *t = tokio::time::Instant::now();
        }
    }

    fn in_room(&self, room: &str) -> bool {
        self.rooms.read().is_ok_and(|r| r.contains(room))
    }
}

/// All sessions, and the fan-out of bus events to their rooms.
#[derive(Default)]
pub struct Hub {
    sessions: RwLock<HashMap<String, Arc<Session>>>,
}

fn event_packet(name: &str, payload: &Value) -> String {
    format!("42{}", json!([name, payload]))
}

impl Hub {
    pub fn session_count(&self) -> usize {
        self.sessions.read().map(|s| s.len()).unwrap_or(0)
    }

    fn emit(&self, rooms: &[&str], name: &str, payload: &Value) {
        let packet = event_packet(name, payload);
        let Ok(sessions) = self.sessions.read() else { return };
        for s in sessions.values() {
            if rooms.iter().any(|r| s.in_room(r)) && *s.connected.read().unwrap_or_else(|e| e.into_inner()) {
                s.push(packet.clone());
            }
        }
    }

    /// Forwards bus events to subscribed clients until `shutdown`.
    pub async fn run(self: Arc<Self>, state: Arc<AppState>, shutdown: CancellationToken) {
        let mut events = match state.bus.subscribe().await {
            Ok(e) => e,
            Err(e) => {
                tracing::error!(error = %e, "realtime: cannot subscribe to events");
                return;
            }
        };
        let reaper = {
            let hub = self.clone();
            let stop = shutdown.clone();
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(PING_INTERVAL);
                loop {
                    tokio::select! {
                        _ = stop.cancelled() => break,
                        _ = tick.tick() => hub.ping_and_reap(),
                    }
                }
            })
        };
        loop {
            let ev = tokio::select! {
                _ = shutdown.cancelled() => break,
                ev = events.next() => ev,
            };
            let Some(ev) = ev else { break };
            if self.session_count() == 0 {
                continue;
            }
            match ev {
                BusEvent::HeartbeatRecorded { heartbeat, previous_status, .. } => {
                    let id = heartbeat.monitor_id.clone();
                    let status = heartbeat.status;
                    let room = format!("monitor:{id}");
                    let payload = HeartbeatDto::from(heartbeat).to_json().unwrap_or(Value::Null);
                    self.emit(&[&room], &format!("monitor:{id}:heartbeat"), &payload);
                    self.emit(&["monitor:all"], "monitor:all:heartbeat", &payload);
                    if previous_status != Some(status) {
                        let change = json!({
                            "monitor_id": id,
                            "status": status.as_u8(),
                            "previous_status": previous_status.map(|s| s.as_u8()),
                        });
                        self.emit(&["monitor:all", &room], "monitor:status", &change);
                    }
                }
                BusEvent::MonitorChanged { id, action } => {
                    let room = format!("monitor:{id}");
                    self.emit(
                        &["monitor:all", &room],
                        "monitor:changed",
                        &json!({ "id": id, "action": action.as_str() }),
                    );
                }
                BusEvent::Lagged { missed } => {
                    tracing::warn!(missed, "realtime: fell behind the event stream");
                }
                BusEvent::ProxyChanged { .. }
                | BusEvent::MaintenanceChanged { .. }
                | BusEvent::StatusPageChanged { .. } => {}
            }
        }
        reaper.abort();
        if let Ok(sessions) = self.sessions.read() {
            for s in sessions.values() {
                s.closed.cancel();
            }
        }
    }

    fn ping_and_reap(&self) {
        let now = tokio::time::Instant::now();
        let mut dead = Vec::new();
        if let Ok(sessions) = self.sessions.read() {
            for s in sessions.values() {
                let idle = s.last_seen.lock().map(|t| now.duration_since(*t)).unwrap_or_default();
                if idle > PING_INTERVAL + PING_TIMEOUT || s.closed.is_cancelled() {
                    dead.push(s.sid.clone());
                } else {
                    s.push("2".into());
                }
            }
        }
        if !dead.is_empty()
            && let Ok(mut sessions) = self.sessions.write()
        {
            for sid in dead {
                if let Some(s) = sessions.remove(&sid) {
                    s.closed.cancel();
                }
            }
        }
    }

    fn new_session(&self, token: Option<String>) -> Arc<Session> {
        let sid = uuid::Uuid::new_v4().simple().to_string();
        let s = Arc::new(Session {
            sid: sid.clone(),
            rooms: RwLock::new(HashSet::new()),
            connected: RwLock::new(false),
            token,
            queue: Mutex::new(Default::default()),
            ready: Notify::new(),
            upgraded: RwLock::new(false),
            last_seen: Mutex::new(tokio::time::Instant::now()),
            closed: CancellationToken::new(),
        });
        if let Ok(mut sessions) = self.sessions.write() {
            sessions.insert(sid, s.clone());
        }
        s
    }

    fn session(&self, sid: &str) -> Option<Arc<Session>> {
        self.sessions.read().ok()?.get(sid).cloned()
    }

    fn remove(&self, sid: &str) {
        if let Ok(mut sessions) = self.sessions.write()
            && let Some(s) = sessions.remove(sid)
        {
            s.closed.cancel();
        }
    }
}

fn open_packet(sid: &str, upgrades: &[&str]) -> String {
    format!(
        "0{}",
        json!({
            "sid": sid,
            "upgrades": upgrades,
            "pingInterval": PING_INTERVAL.as_millis() as u64,
            "pingTimeout": PING_TIMEOUT.as_millis() as u64,
            "maxPayload": MAX_PAYLOAD,
        })
    )
}

/// Handles one Engine.IO packet from a client.
async fn on_packet(state: &AppState, s: &Session, packet: &str) {
    s.touch();
    let mut chars = packet.chars();
    match chars.next() {
        Some('3') => {} // pong
        Some('2') => s.push(format!("3{}", chars.as_str())),
        Some('1') => s.closed.cancel(),
        Some('4') => on_socket_packet(state, s, chars.as_str()).await,
        _ => {}
    }
}

/// Handles one Socket.IO packet (the part after Engine.IO's `4`).
async fn on_socket_packet(state: &AppState, s: &Session, p: &str) {
    let mut chars = p.chars();
    match chars.next() {
        Some('0') => {
            // CONNECT to the default namespace, maybe with {"token": …}.
            let rest = chars.as_str();
            let auth_token = serde_json::from_str::<Value>(rest)
                .ok()
                .and_then(|v| v.get("token").and_then(|t| t.as_str()).map(String::from));
            let token = auth_token.or_else(|| s.token.clone()).unwrap_or_default();
            let token = token.strip_prefix("Bearer ").unwrap_or(&token).to_string();
            match state.sessions.verify(&token, false).await {
                Ok(_) => {
                    if let Ok(mut c) = s.connected.write() {
                        *c = true;
                    }
                    s.push(format!("40{}", json!({ "sid": s.sid })));
                }
                Err(_) => s.push(format!("44{}", json!({ "message": "unauthorized" }))),
            }
        }
        Some('1') => {
            if let Ok(mut c) = s.connected.write() {
                *c = false;
            }
        }
        Some('2') => {
            if !*s.connected.read().unwrap_or_else(|e| e.into_inner()) {
                return;
            }
            // EVENT, possibly with an ack id: 2<id>["name", arg…]
            let rest = chars.as_str();
            let json_start = rest.find('[').unwrap_or(rest.len());
            let ack: Option<u64> = rest[..json_start].parse().ok();
            let Ok(Value::Array(args)) = serde_json::from_str::<Value>(&rest[json_start..]) else { return };
            let name = args.first().and_then(|v| v.as_str()).unwrap_or_default();
            let room = args.get(1).and_then(|v| {
                v.as_str().map(String::from).or_else(|| v.get("room").and_then(|r| r.as_str()).map(String::from))
            });
            let valid_room =
                room.as_deref().is_some_and(|r| r == "monitor:all" || (r.starts_with("monitor:") && r.len() < 100));
            match (name, room) {
                ("join_room", Some(r)) if valid_room => {
                    if let Ok(mut rooms) = s.rooms.write()
                        && rooms.len() < 1000
                    {
                        rooms.insert(r);
                    }
                }
                ("leave_room", Some(r)) => {
                    if let Ok(mut rooms) = s.rooms.write() {
                        rooms.remove(&r);
                    }
                }
                _ => {}
            }
            if let Some(id) = ack {
                s.push(format!("43{id}[]"));
            }
        }
        _ => {}
    }
}

/// The `/socket.io/` endpoint: both transports.
pub struct SocketIo {
    pub state: Arc<AppState>,
}

fn text(status: StatusCode, body: impl Into<String>) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/plain; charset=UTF-8")
        .header(header::CACHE_CONTROL, "no-store")
        .body(body.into())
}

fn error_json(code: u8, message: &str) -> Response {
    Response::builder()
        .status(StatusCode::BAD_REQUEST)
        .header(header::CONTENT_TYPE, "application/json")
        .body(json!({ "code": code, "message": message }).to_string())
}

impl Endpoint for SocketIo {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Self::Output> {
        let params: HashMap<String, String> = req
            .uri()
            .query()
            .map(|q| url::form_urlencoded::parse(q.as_bytes()).into_owned().collect())
            .unwrap_or_default();
        if params.get("EIO").map(String::as_str) != Some("4") {
            return Ok(error_json(5, "Unsupported protocol version"));
        }
        let hub = self.state.hub.clone();
        let token = params.get("token").cloned();
        match params.get("transport").map(String::as_str) {
            Some("websocket") => {
                let (req, mut body) = req.split();
                let ws = WebSocket::from_request(&req, &mut body).await?;
                let state = self.state.clone();
                let existing = params.get("sid").and_then(|sid| hub.session(sid));
                if params.contains_key("sid") && existing.is_none() {
                    return Ok(error_json(1, "Session ID unknown"));
                }
                Ok(ws
                    .on_upgrade(move |socket| async move {
                        let (mut sink, mut stream) = socket.split();
                        let session = match existing {
                            Some(s) => {
                                // Upgrade from polling: probe, then switch.
                                match stream.next().await {
                                    Some(Ok(Message::Text(t))) if t == "2probe" => {
                                        let _ = sink.send(Message::Text("3probe".into())).await;
                                    }
                                    _ => return,
                                }
                                match stream.next().await {
                                    Some(Ok(Message::Text(t))) if t == "5" => {}
                                    _ => return,
                                }
                                if let Ok(mut u) = s.upgraded.write() {
                                    *u = true;
                                }
                                // A pending long-poll ends with a noop.
                                s.push("6".into());
                                s
                            }
                            None => {
                                let s = hub.new_session(token);
                                if sink.send(Message::Text(open_packet(&s.sid, &[]))).await.is_err() {
                                    hub.remove(&s.sid);
                                    return;
                                }
                                s
                            }
                        };
                        let writer = {
                            let s = session.clone();
                            async move {
                                loop {
                                    for p in s.drain() {
                                        if p == "6" {
                                            continue;
                                        }
                                        if sink.send(Message::Text(p)).await.is_err() {
                                            return;
                                        }
                                    }
                                    tokio::select! {
                                        _ = s.closed.cancelled() => {
                                            let _ = sink.send(Message::Close(None)).await;
                                            return;
                                        }
                                        _ = s.ready.notified() => {}
                                    }
                                }
                            }
                        };
                        let reader = {
                            let s = session.clone();
                            async move {
                                while let Some(Ok(msg)) = stream.next().await {
                                    match msg {
                                        Message::Text(t) => {
                                            if t.len() > MAX_PAYLOAD {
                                                break;
                                            }
                                            on_packet(&state, &s, &t).await;
                                        }
                                        Message::Close(_) => break,
                                        _ => s.touch(),
                                    }
                                    if s.closed.is_cancelled() {
                                        break;
                                    }
                                }
                            }
                        };
                        tokio::select! {
                            _ = writer => {}
                            _ = reader => {}
                        }
                        hub.remove(&session.sid);
                    })
                    .into_response())
            }
            Some("polling") => {
                let method = req.method().clone();
                match params.get("sid") {
                    None if method == poem::http::Method::GET => {
                        let s = hub.new_session(token);
                        Ok(text(StatusCode::OK, open_packet(&s.sid, &["websocket"])))
                    }
                    None => Ok(error_json(1, "Session ID unknown")),
                    Some(sid) => {
                        let Some(s) = hub.session(sid) else { return Ok(error_json(1, "Session ID unknown")) };
                        if method == poem::http::Method::POST {
                            let body = req.into_body().into_bytes_limit(MAX_PAYLOAD).await;
                            let Ok(body) = body else { return Ok(error_json(3, "Bad request")) };
                            let body = String::from_utf8_lossy(&body).to_string();
                            for packet in body.split('\u{1e}') {
                                on_packet(&self.state, &s, packet).await;
                            }
                            if s.closed.is_cancelled() {
                                hub.remove(sid);
                            }
                            return Ok(text(StatusCode::OK, "ok"));
                        }
                        s.touch();
                        let mut packets = s.drain();
                        if packets.is_empty() && !*s.upgraded.read().unwrap_or_else(|e| e.into_inner()) {
                            tokio::select! {
                                _ = s.ready.notified() => {}
                                _ = s.closed.cancelled() => {}
                                _ = tokio::time::sleep(PING_INTERVAL) => {}
                            }
                            packets = s.drain();
                        }
                        if s.closed.is_cancelled() && packets.is_empty() {
                            packets.push("1".into());
                        }
                        if packets.is_empty() {
                            packets.push("6".into());
                        }
                        Ok(text(StatusCode::OK, packets.join("\u{1e}")))
                    }
                }
            }
            _ => Ok(error_json(0, "Transport unknown")),
        }
    }
}

//! The Socket.IO endpoint: Peekaping's rooms and events over websocket and polling.

mod support;

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::Value;
use support::{HttpTarget, Server, http_monitor};
use tokio_tungstenite::tungstenite::Message;

async fn next_text<S>(ws: &mut S) -> String
where
    S: futures::Stream<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    loop {
        match tokio::time::timeout(Duration::from_secs(15), ws.next()).await.expect("a frame in time") {
            Some(Ok(Message::Text(t))) => return t.to_string(),
            Some(Ok(_)) => continue,
            other => panic!("socket ended: {other:?}"),
        }
    }
}

/// Waits for a Socket.IO event with this name; answers pings meanwhile.
async fn wait_event<S>(ws: &mut S, name: &str) -> Value
where
    S: futures::Stream<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + futures::Sink<Message> + Unpin,
{
    loop {
        let t = next_text(ws).await;
        if t == "2" {
            let _ = ws.send(Message::Text("3".into())).await;
            continue;
        }
        if let Some(json) = t.strip_prefix("42") {
            let v: Value = serde_json::from_str(json).unwrap();
            if v[0] == name {
                return v[1].clone();
            }
        }
    }
}

#[tokio::test]
async fn heartbeats_arrive_live_over_the_websocket() {
    let mut s = Server::start(&[]).await;
    s.register().await;
    let token = s.token.clone().unwrap();
    let url = format!("ws://127.0.0.1:{}/socket.io/?EIO=4&transport=websocket&token={token}", s.port);
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let open = next_text(&mut ws).await;
    assert!(open.starts_with("0{"), "{open}");
    let open: Value = serde_json::from_str(&open[1..]).unwrap();
    assert!(open["pingInterval"].as_u64().unwrap() > 0);
    ws.send(Message::Text("40".into())).await.unwrap();
    let connected = next_text(&mut ws).await;
    assert!(connected.starts_with("40{"), "{connected}");
    ws.send(Message::Text(r#"42["join_room","monitor:all"]"#.into())).await.unwrap();

    let target = HttpTarget::start().await;
    let id = s.create_monitor(http_monitor("live", &target.url(), 1)).await;
    let changed = wait_event(&mut ws, "monitor:changed").await;
    assert_eq!((changed["id"].as_str(), changed["action"].as_str()), (Some(id.as_str()), Some("created")));
    let beat = wait_event(&mut ws, "monitor:all:heartbeat").await;
    assert_eq!(beat["monitor_id"], id.as_str());
    assert_eq!(beat["status"], 1);
    let status = wait_event(&mut ws, "monitor:status").await;
    assert_eq!(status["monitor_id"], id.as_str());

    // A per-monitor room gets that monitor's own event name.
    ws.send(Message::Text(format!(r#"42["join_room","monitor:{id}"]"#).into())).await.unwrap();
    let own = wait_event(&mut ws, &format!("monitor:{id}:heartbeat")).await;
    assert_eq!(own["monitor_id"], id.as_str());
}

#[tokio::test]
async fn a_bad_token_is_refused_at_connect() {
    let s = Server::start(&[]).await;
    let url = format!("ws://127.0.0.1:{}/socket.io/?EIO=4&transport=websocket&token=nope", s.port);
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let _open = next_text(&mut ws).await;
    ws.send(Message::Text("40".into())).await.unwrap();
    let reply = next_text(&mut ws).await;
    assert!(reply.starts_with("44"), "connect error expected, got {reply}");
}

#[tokio::test]
async fn long_polling_works_and_upgrades() {
    let mut s = Server::start(&[]).await;
    s.register().await;
    let token = s.token.clone().unwrap();
    let base = format!("{}/socket.io/?EIO=4&transport=polling", s.base);
    let open = s.http.get(format!("{base}&token={token}")).send().await.unwrap().text().await.unwrap();
    assert!(open.starts_with("0{"), "{open}");
    let sid = serde_json::from_str::<Value>(&open[1..]).unwrap()["sid"].as_str().unwrap().to_string();
    let ok = s
        .http
        .post(format!("{base}&sid={sid}"))
        .body(format!("40{{\"token\":\"{token}\"}}\u{1e}42[\"join_room\",\"monitor:all\"]"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(ok, "ok");
    let got = s.http.get(format!("{base}&sid={sid}")).send().await.unwrap().text().await.unwrap();
    assert!(got.split('\u{1e}').any(|p| p.starts_with("40{")), "{got}");
    // Upgrade the same session to a websocket.
    let url = format!("ws://127.0.0.1:{}/socket.io/?EIO=4&transport=websocket&sid={sid}", s.port);
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    ws.send(Message::Text("2probe".into())).await.unwrap();
    assert_eq!(next_text(&mut ws).await, "3probe");
    ws.send(Message::Text("5".into())).await.unwrap();
    let target = HttpTarget::start().await;
    let id = s.create_monitor(http_monitor("upgraded", &target.url(), 1)).await;
    let beat = wait_event(&mut ws, "monitor:all:heartbeat").await;
    assert_eq!(beat["monitor_id"], id.as_str());
    let unknown = s.http.get(format!("{base}&sid=nope")).send().await.unwrap();
    assert_eq!(unknown.status(), 400);
}

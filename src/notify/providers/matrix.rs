//! `matrix`: a room message through the client-server API,
//! `PUT {homeserver_url}/_matrix/client/v3/rooms/{room}/send/m.room.message/{txnId}` with the
//! access token as a Bearer token. Keys: `homeserver_url`, `internal_room_id` (`!…:server`,
//! not an alias), `access_token`, `custom_message` (a Liquid template).
//!
//! The transaction id is derived from the notice, so a retried delivery reuses it and the
//! homeserver drops the duplicate instead of posting the message twice.

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{DeliveryError, Provider, SendContext, check_template, deliver, join, parsed, require, require_url, typed};
use crate::domain::ValidationError;
use crate::domain::notification::NoticeEvent;
use crate::notify::Notice;

pub struct Matrix;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    homeserver_url: String,
    internal_room_id: String,
    access_token: String,
    custom_message: String,
}

/// Percent-encodes everything but RFC 3986's unreserved characters (a room id's `!` and
/// `:` must not reach the path raw).
fn encode_segment(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The same id for every delivery of one notice; a fresh one for each test send.
fn transaction_id(notice: &Notice) -> String {
    if matches!(notice.event, NoticeEvent::Test) {
        return format!("peekaping-test-{}", uuid::Uuid::new_v4().simple());
    }
    let event = serde_json::to_string(&notice.event).unwrap_or_default();
    let seed = format!("{}\n{event}", notice.monitor_id.as_deref().unwrap_or_default());
    let digest = ring::digest::digest(&ring::digest::SHA256, seed.as_bytes());
    let hex: String = digest.as_ref()[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("peekaping-{hex}")
}

#[async_trait]
impl Provider for Matrix {
    fn secret_keys(&self) -> &'static [&'static str] {
        &["access_token"]
    }

    fn validate(&self, config: &Value) -> Result<(), ValidationError> {
        let c: Config = typed(config)?;
        require_url("homeserver_url", &c.homeserver_url)?;
        require("internal_room_id", &c.internal_room_id)?;
        let room = c.internal_room_id.trim();
        if !room.starts_with('!') || !room.contains(':') {
            return Err(ValidationError::new(
                "config.internal_room_id",
                "must be an internal room id like !abc123:example.org (room settings, Advanced), not an alias",
            ));
        }
        require("access_token", &c.access_token)?;
        check_template("custom_message", &c.custom_message)
    }

    async fn send(&self, config: &Value, notice: &Notice, ctx: &SendContext) -> Result<(), DeliveryError> {
        let c: Config = parsed(config)?;
        let path = format!(
            "_matrix/client/v3/rooms/{}/send/m.room.message/{}",
            encode_segment(c.internal_room_id.trim()),
            transaction_id(notice)
        );
        let body = json!({ "msgtype": "m.text", "body": notice.render_or_default(&c.custom_message)? });
        let req = ctx.http.put(join(&c.homeserver_url, &path)).bearer_auth(c.access_token.trim()).json(&body);
        deliver("Matrix", req).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::MonitorStatus;

    #[test]
    fn room_ids_are_encoded_for_the_path() {
        assert_eq!(encode_segment("!abc:example.org"), "%21abc%3Aexample.org");
        assert_eq!(encode_segment("a-b_c.d~e"), "a-b_c.d~e");
    }

    #[test]
    fn a_notice_keeps_its_transaction_id_across_retries() {
        let down = Notice::sample();
        assert_eq!(transaction_id(&down), transaction_id(&down.clone()));
        let mut up = down.clone();
        if let NoticeEvent::Status { status, .. } = &mut up.event {
            *status = MonitorStatus::Up;
        }
        assert_ne!(transaction_id(&down), transaction_id(&up));
        let test = Notice::new(None, &NoticeEvent::Test);
        assert_ne!(transaction_id(&test), transaction_id(&test), "each test send is a new message");
    }
}

//! `pushover`: the Message API (`POST /1/messages.json`, form fields). Keys:
//! `pushover_user_key`, `pushover_app_token`, `pushover_device`, `pushover_title`,
//! `pushover_priority` (−2..2), `pushover_sounds` (DOWN), `pushover_sounds_up` (UP),
//! `pushover_ttl` (seconds), `api_url` (default https://api.pushover.net).
//!
//! Emergency priority (2) makes Pushover repeat the alert until acknowledged; the API
//! requires `retry` and `expire` with it, which Peekaping has no keys for, so we send
//! every 60 s for at most an hour.

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::Value;

use super::{
    DeliveryError, Provider, SendContext, base_url, deliver, details, form, join, loose_text, optional_url, parsed,
    require, typed,
};
use crate::domain::{MonitorStatus, ValidationError};
use crate::notify::Notice;

pub struct Pushover;

const DEFAULT_API: &str = "https://api.pushover.net";
const EMERGENCY_RETRY_SECS: u32 = 60;
const EMERGENCY_EXPIRE_SECS: u32 = 3600;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    pushover_user_key: String,
    pushover_app_token: String,
    pushover_device: String,
    pushover_title: String,
    pushover_priority: Value,
    pushover_sounds: String,
    pushover_sounds_up: String,
    pushover_ttl: Value,
    api_url: String,
}

impl Config {
    /// The priority, 0 when unset; the field's error when not an integer in −2..2.
    fn priority(&self) -> Result<i8, ValidationError> {
        let text = loose_text(&self.pushover_priority);
        if text.is_empty() {
            return Ok(0);
        }
        match text.parse::<i8>() {
            Ok(p) if (-2..=2).contains(&p) => Ok(p),
            _ => Err(ValidationError::new("config.pushover_priority", "must be an integer from -2 to 2")),
        }
    }

    /// Seconds before the message is deleted from devices; None when unset or 0.
    fn ttl(&self) -> Result<Option<u32>, ValidationError> {
        let text = loose_text(&self.pushover_ttl);
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<u32>()
            .map(|t| (t > 0).then_some(t))
            .map_err(|_| ValidationError::new("config.pushover_ttl", "must be a whole number of seconds"))
    }

    /// The sound for this notice: the DOWN sound for problems, the UP sound for recoveries.
    fn sound(&self, notice: &Notice) -> Option<&str> {
        let sound = if notice.status == Some(MonitorStatus::Up) {
            self.pushover_sounds_up.trim()
        } else if notice.is_problem() {
            self.pushover_sounds.trim()
        } else {
            ""
        };
        (!sound.is_empty()).then_some(sound)
    }
}

/// The form fields Pushover documents for one message.
fn fields(c: &Config, notice: &Notice) -> Result<Vec<(&'static str, String)>, ValidationError> {
    let priority = c.priority()?;
    let title = if c.pushover_title.trim().is_empty() { notice.title.as_str() } else { c.pushover_title.trim() };
    let mut out = vec![
        ("token", c.pushover_app_token.trim().to_string()),
        ("user", c.pushover_user_key.trim().to_string()),
        ("title", title.to_string()),
        ("message", details(notice).to_string()),
        ("priority", priority.to_string()),
    ];
    if priority == 2 {
        out.push(("retry", EMERGENCY_RETRY_SECS.to_string()));
        out.push(("expire", EMERGENCY_EXPIRE_SECS.to_string()));
    } else if let Some(ttl) = c.ttl()? {
        // Pushover ignores a TTL on emergency messages.
        out.push(("ttl", ttl.to_string()));
    }
    if !c.pushover_device.trim().is_empty() {
        out.push(("device", c.pushover_device.trim().to_string()));
    }
    if let Some(sound) = c.sound(notice) {
        out.push(("sound", sound.to_string()));
    }
    Ok(out)
}

#[async_trait]
impl Provider for Pushover {
    fn secret_keys(&self) -> &'static [&'static str] {
        &["pushover_app_token", "pushover_user_key"]
    }

    fn validate(&self, config: &Value) -> Result<(), ValidationError> {
        let c: Config = typed(config)?;
        require("pushover_user_key", &c.pushover_user_key)?;
        require("pushover_app_token", &c.pushover_app_token)?;
        c.priority()?;
        c.ttl()?;
        optional_url("api_url", &c.api_url)
    }

    async fn send(&self, config: &Value, notice: &Notice, ctx: &SendContext) -> Result<(), DeliveryError> {
        let c: Config = parsed(config)?;
        let fields = fields(&c, notice).map_err(|e| DeliveryError::Reject(format!("invalid channel settings: {e}")))?;
        let url = join(base_url(&c.api_url, DEFAULT_API), "1/messages.json");
        let body = deliver("Pushover", form(ctx.http.post(url), &fields)).await?;
        // Pushover answers `{"status":1}`; anything else carries its `errors`.
        match serde_json::from_str::<Value>(&body) {
            Ok(v) if v.get("status").is_some_and(|s| s != 1) => {
                Err(DeliveryError::Reject(format!("Pushover refused the message: {}", v["errors"])))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::domain::notification::NoticeEvent;

    fn config(v: Value) -> Config {
        typed(&v).unwrap()
    }

    fn status_notice(status: MonitorStatus) -> Notice {
        let ev =
            NoticeEvent::Status { status, previous: None, time: 0, msg: "x".into(), ping_us: None, folded: vec![] };
        Notice::new(None, &ev)
    }

    #[test]
    fn priorities_are_bounded_and_accept_text() {
        assert_eq!(config(json!({})).priority().unwrap(), 0);
        assert_eq!(config(json!({"pushover_priority": "-2"})).priority().unwrap(), -2);
        assert_eq!(config(json!({"pushover_priority": 1})).priority().unwrap(), 1);
        assert_eq!(config(json!({"pushover_priority": 3})).priority().unwrap_err().field, "config.pushover_priority");
        assert!(config(json!({"pushover_priority": "high"})).priority().is_err());
    }

    #[test]
    fn emergency_adds_retry_and_expire_and_drops_the_ttl() {
        let c = config(json!({"pushover_priority": 2, "pushover_ttl": 600, "pushover_user_key": "u",
            "pushover_app_token": "t"}));
        let f = fields(&c, &status_notice(MonitorStatus::Down)).unwrap();
        assert!(f.contains(&("retry", "60".into())) && f.contains(&("expire", "3600".into())), "{f:?}");
        assert!(!f.iter().any(|(k, _)| *k == "ttl"));
        let c = config(json!({"pushover_priority": 1, "pushover_ttl": 600}));
        let f = fields(&c, &status_notice(MonitorStatus::Down)).unwrap();
        assert!(f.contains(&("ttl", "600".into())) && !f.iter().any(|(k, _)| *k == "retry"), "{f:?}");
    }

    #[test]
    fn the_sound_follows_the_status() {
        let c = config(json!({"pushover_sounds": "siren", "pushover_sounds_up": "magic"}));
        assert_eq!(c.sound(&status_notice(MonitorStatus::Down)), Some("siren"));
        assert_eq!(c.sound(&status_notice(MonitorStatus::Up)), Some("magic"));
        assert_eq!(c.sound(&status_notice(MonitorStatus::Pending)), None);
        assert_eq!(c.sound(&Notice::new(None, &NoticeEvent::Test)), None);
    }
}

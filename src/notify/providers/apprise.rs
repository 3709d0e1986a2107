//! `apprise`: an Apprise API server relays the notice to any of Apprise's services. Keys:
//! `apprise_url` (the server), `apprise_urls` (Apprise notification URLs, one per line or
//! separated by commas), `apprise_tag` (only the server's URLs with this tag), `apprise_key`
//! (a configuration saved on the server).
//!
//! Without a key the call is stateless (`POST /notify/` with the URLs); with one it is
//! `POST /notify/<key>` and the server's saved URLs, filtered by the tag, are notified.

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{DeliveryError, Provider, SendContext, deliver, details, join, parsed, require_url, typed};
use crate::domain::notification::NoticeEvent;
use crate::domain::{MonitorStatus, ValidationError};
use crate::notify::Notice;

pub struct Apprise;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    apprise_url: String,
    apprise_urls: String,
    apprise_tag: String,
    apprise_key: String,
}

impl Config {
    fn urls(&self) -> Vec<&str> {
        self.apprise_urls.split(['\n', ',']).map(str::trim).filter(|u| !u.is_empty()).collect()
    }
}

/// Apprise's message type, which picks the colour and icon of each service's message.
fn message_type(notice: &Notice) -> &'static str {
    match (&notice.event, notice.status) {
        (NoticeEvent::CertExpiry { .. }, _) | (_, Some(MonitorStatus::Pending)) => "warning",
        (_, Some(MonitorStatus::Down)) => "failure",
        (_, Some(MonitorStatus::Up)) => "success",
        _ => "info",
    }
}

#[async_trait]
impl Provider for Apprise {
    fn secret_keys(&self) -> &'static [&'static str] {
        // Apprise URLs carry the services' credentials.
        &["apprise_urls"]
    }

    fn validate(&self, config: &Value) -> Result<(), ValidationError> {
        let c: Config = typed(config)?;
        require_url("apprise_url", &c.apprise_url)?;
        let key = c.apprise_key.trim();
        let key_ok = key.len() <= 128 && key.chars().all(|ch| ch.is_ascii_alphanumeric() || "_-".contains(ch));
        if !key.is_empty() && !key_ok {
            return Err(ValidationError::new(
                "config.apprise_key",
                "must be up to 128 letters, digits, - or _ (the key of a configuration on the Apprise server)",
            ));
        }
        let urls = c.urls();
        if urls.is_empty() && key.is_empty() && c.apprise_tag.trim().is_empty() {
            return Err(ValidationError::new(
                "config.apprise_urls",
                "is required unless apprise_key or apprise_tag selects URLs saved on the Apprise server",
            ));
        }
        if let Some(bad) = urls.iter().find(|u| !u.contains("://")) {
            return Err(ValidationError::new(
                "config.apprise_urls",
                format!("\"{}…\" is not an Apprise URL (service://…)", bad.chars().take(12).collect::<String>()),
            ));
        }
        Ok(())
    }

    async fn send(&self, config: &Value, notice: &Notice, ctx: &SendContext) -> Result<(), DeliveryError> {
        let c: Config = parsed(config)?;
        let mut body = json!({ "title": notice.title, "body": details(notice), "type": message_type(notice) });
        if !c.apprise_tag.trim().is_empty() {
            body["tag"] = json!(c.apprise_tag.trim());
        }
        let key = c.apprise_key.trim();
        let url = if key.is_empty() {
            let urls = c.urls();
            if !urls.is_empty() {
                body["urls"] = json!(urls.join(","));
            }
            join(&c.apprise_url, "notify/")
        } else {
            join(&c.apprise_url, &format!("notify/{key}"))
        };
        deliver("the Apprise API", ctx.http.post(url).json(&body)).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_type_follows_the_status() {
        let status = |s| {
            let ev = NoticeEvent::Status {
                status: s,
                previous: None,
                time: 0,
                msg: String::new(),
                ping_us: None,
                folded: vec![],
            };
            message_type(&Notice::new(None, &ev))
        };
        assert_eq!(status(MonitorStatus::Down), "failure");
        assert_eq!(status(MonitorStatus::Up), "success");
        assert_eq!(status(MonitorStatus::Pending), "warning");
        assert_eq!(status(MonitorStatus::Maintenance), "info");
        assert_eq!(message_type(&Notice::new(None, &NoticeEvent::Test)), "info");
    }

    #[test]
    fn urls_split_on_lines_and_commas() {
        let c = Config { apprise_urls: "mailto://a:b@x.io\n tgram://t/c , \n".into(), ..Config::default() };
        assert_eq!(c.urls(), vec!["mailto://a:b@x.io", "tgram://t/c"]);
    }
}

//! `discord`: a channel webhook, posting an embed coloured by status. Keys: `webhook_url`,
//! `bot_display_name`, `custom_message_prefix`, `message_type` (send_to_channel,
//! send_to_new_forum_post with `thread_name`, send_to_thread with `thread_id`).

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{DeliveryError, Provider, SendContext, deliver, parsed, require, require_url, typed};
use crate::domain::ValidationError;
use crate::notify::Notice;

pub struct Discord;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    webhook_url: String,
    bot_display_name: String,
    custom_message_prefix: String,
    message_type: String,
    thread_name: String,
    thread_id: String,
}

impl Config {
    fn message_type(&self) -> &str {
        match self.message_type.trim() {
            "" => "send_to_channel",
            other => other,
        }
    }
}

/// `#dc2626` as Discord's integer colour.
fn color(hex: &Value) -> u32 {
    hex.as_str().and_then(|h| u32::from_str_radix(h.trim_start_matches('#'), 16).ok()).unwrap_or(0x6b7280)
}

#[async_trait]
impl Provider for Discord {
    fn secret_keys(&self) -> &'static [&'static str] {
        &["webhook_url"]
    }

    fn validate(&self, config: &Value) -> Result<(), ValidationError> {
        let c: Config = typed(config)?;
        require_url("webhook_url", &c.webhook_url)?;
        match c.message_type() {
            "send_to_channel" => Ok(()),
            "send_to_new_forum_post" => require("thread_name", &c.thread_name),
            "send_to_thread" => {
                require("thread_id", &c.thread_id)?;
                if c.thread_id.trim().chars().all(|ch| ch.is_ascii_digit()) {
                    Ok(())
                } else {
                    Err(ValidationError::new("config.thread_id", "must be a numeric Discord thread id"))
                }
            }
            _ => Err(ValidationError::new(
                "config.message_type",
                "must be one of send_to_channel, send_to_new_forum_post, send_to_thread",
            )),
        }
    }

    async fn send(&self, config: &Value, notice: &Notice, ctx: &SendContext) -> Result<(), DeliveryError> {
        let c: Config = parsed(config)?;
        let description = super::details(notice);
        let mut body = json!({
            "username": if c.bot_display_name.trim().is_empty() { "Peekaping" } else { c.bot_display_name.trim() },
            "embeds": [{
                "title": notice.title,
                "description": description,
                "color": color(&notice.bindings["status_color"]),
                "timestamp": notice.bindings["time"],
            }],
        });
        if !c.custom_message_prefix.trim().is_empty() {
            body["content"] = json!(c.custom_message_prefix.trim());
        }
        let mut url = url::Url::parse(c.webhook_url.trim()).map_err(|e| DeliveryError::Reject(e.to_string()))?;
        match c.message_type() {
            "send_to_new_forum_post" => body["thread_name"] = json!(c.thread_name.trim()),
            "send_to_thread" => {
                url.query_pairs_mut().append_pair("thread_id", c.thread_id.trim());
            }
            _ => {}
        }
        deliver("Discord", ctx.http.post(url).json(&body)).await.map(|_| ())
    }
}

//! `rocket_chat`: a Rocket.Chat incoming webhook (an integration's URL with its token).
//! Keys: `webhook_url`, `channel` (`#channel` or `@user`; the integration's own when
//! empty), `username` (shown as the sender's alias), `icon_emoji`, `use_template`,
//! `template` (Liquid text of the attachment).

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    DeliveryError, Provider, SendContext, check_template, deliver, details, loose_bool, parsed, require, require_url,
    typed,
};
use crate::domain::ValidationError;
use crate::notify::Notice;

pub struct RocketChat;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    webhook_url: String,
    channel: String,
    username: String,
    icon_emoji: String,
    #[serde(deserialize_with = "loose_bool::deserialize")]
    use_template: bool,
    template: String,
}

/// Rocket.Chat answers `{"success": false, "error": …}` for a message it cannot post.
fn refusal(body: &str) -> Option<String> {
    let v: Value = serde_json::from_str(body).ok()?;
    if v.get("success")? != false {
        return None;
    }
    let error = v.get("error").map_or_else(|| v.to_string(), |e| e.as_str().map_or(e.to_string(), str::to_string));
    Some(format!("Rocket.Chat refused the message: {error}"))
}

#[async_trait]
impl Provider for RocketChat {
    fn secret_keys(&self) -> &'static [&'static str] {
        // The URL ends in the integration's token.
        &["webhook_url"]
    }

    fn validate(&self, config: &Value) -> Result<(), ValidationError> {
        let c: Config = typed(config)?;
        require_url("webhook_url", &c.webhook_url)?;
        let channel = c.channel.trim();
        if !channel.is_empty() && !channel.starts_with(['#', '@']) {
            return Err(ValidationError::new("config.channel", "must start with # (a channel) or @ (a user)"));
        }
        let emoji = c.icon_emoji.trim();
        let is_code = emoji.len() > 2 && emoji.starts_with(':') && emoji.ends_with(':');
        if !emoji.is_empty() && !is_code {
            return Err(ValidationError::new("config.icon_emoji", "must be an emoji code such as :bell:"));
        }
        if c.use_template {
            require("template", &c.template)?;
        }
        check_template("template", &c.template)
    }

    async fn send(&self, config: &Value, notice: &Notice, ctx: &SendContext) -> Result<(), DeliveryError> {
        let c: Config = parsed(config)?;
        let text = if c.use_template { notice.render_or_default(&c.template)? } else { details(notice).to_string() };
        let mut body = json!({
            "text": notice.title,
            "attachments": [{ "color": notice.bindings["status_color"], "text": text }],
        });
        for (key, value) in [("channel", &c.channel), ("alias", &c.username), ("emoji", &c.icon_emoji)] {
            if !value.trim().is_empty() {
                body[key] = json!(value.trim());
            }
        }
        let answer = deliver("Rocket.Chat", ctx.http.post(c.webhook_url.trim()).json(&body)).await?;
        match refusal(&answer) {
            Some(e) => Err(DeliveryError::Reject(e)),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_false_is_a_refusal() {
        assert_eq!(refusal("{\"success\":true}"), None);
        assert_eq!(refusal("ok"), None);
        assert_eq!(
            refusal("{\"success\":false,\"error\":\"Invalid integration\"}").unwrap(),
            "Rocket.Chat refused the message: Invalid integration"
        );
    }
}

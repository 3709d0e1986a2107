//! `slack`: an incoming webhook. Keys: `slack_webhook_url`, `slack_username`,
//! `slack_icon_emoji`, `slack_channel`, `slack_rich_message` (a coloured attachment),
//! `slack_channel_notify` (prefix `<!channel>`), `use_template`, `template`.

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{DeliveryError, Provider, SendContext, check_template, deliver, loose_bool, parsed, require_url, typed};
use crate::domain::ValidationError;
use crate::notify::Notice;

pub struct Slack;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    slack_webhook_url: String,
    slack_username: String,
    slack_icon_emoji: String,
    slack_channel: String,
    #[serde(deserialize_with = "loose_bool::deserialize")]
    slack_rich_message: bool,
    #[serde(deserialize_with = "loose_bool::deserialize")]
    slack_channel_notify: bool,
    #[serde(deserialize_with = "loose_bool::deserialize")]
    use_template: bool,
    template: String,
}

#[async_trait]
impl Provider for Slack {
    fn secret_keys(&self) -> &'static [&'static str] {
        &["slack_webhook_url"]
    }

    fn validate(&self, config: &Value) -> Result<(), ValidationError> {
        let c: Config = typed(config)?;
        require_url("slack_webhook_url", &c.slack_webhook_url)?;
        if c.use_template {
            super::require("template", &c.template)?;
        }
        check_template("template", &c.template)
    }

    async fn send(&self, config: &Value, notice: &Notice, ctx: &SendContext) -> Result<(), DeliveryError> {
        let c: Config = parsed(config)?;
        let mut text = if c.use_template { notice.render_or_default(&c.template)? } else { notice.text.clone() };
        if c.slack_channel_notify {
            text = format!("<!channel> {text}");
        }
        let mut body = if c.slack_rich_message {
            json!({
                "text": notice.title,
                "attachments": [{
                    "color": notice.bindings["status_color"],
                    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
                }],
            })
        } else {
            json!({ "text": text })
        };
        let obj = body.as_object_mut().expect("an object literal");
        for (key, value) in
            [("username", &c.slack_username), ("icon_emoji", &c.slack_icon_emoji), ("channel", &c.slack_channel)]
        {
            if !value.trim().is_empty() {
                obj.insert(key.into(), json!(value.trim()));
            }
        }
        deliver("Slack", ctx.http.post(c.slack_webhook_url.trim()).json(&body)).await.map(|_| ())
    }
}

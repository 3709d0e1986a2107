//! `mattermost`: an incoming webhook (the URL's key is a secret). Keys: `webhook_url`,
//! `username`, `channel`, `icon_url`, `icon_emoji` (overrides the server allows or ignores),
//! `use_template`, `template` (Liquid; the default text otherwise).

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    DeliveryError, Provider, SendContext, check_template, deliver, loose_bool, parsed, require, require_url, typed,
};
use crate::domain::ValidationError;
use crate::notify::Notice;

pub struct Mattermost;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    webhook_url: String,
    username: String,
    channel: String,
    icon_url: String,
    icon_emoji: String,
    #[serde(deserialize_with = "loose_bool::deserialize")]
    use_template: bool,
    template: String,
}

#[async_trait]
impl Provider for Mattermost {
    fn secret_keys(&self) -> &'static [&'static str] {
        &["webhook_url"]
    }

    fn validate(&self, config: &Value) -> Result<(), ValidationError> {
        let c: Config = typed(config)?;
        require_url("webhook_url", &c.webhook_url)?;
        if !c.icon_url.trim().is_empty() {
            require_url("icon_url", &c.icon_url)?;
        }
        if c.use_template {
            require("template", &c.template)?;
        }
        check_template("template", &c.template)
    }

    async fn send(&self, config: &Value, notice: &Notice, ctx: &SendContext) -> Result<(), DeliveryError> {
        let c: Config = parsed(config)?;
        let text = if c.use_template { notice.render_or_default(&c.template)? } else { notice.text.clone() };
        let mut body = json!({ "text": text });
        let obj = body.as_object_mut().expect("an object literal");
        for (key, value) in [
            ("username", &c.username),
            ("channel", &c.channel),
            ("icon_url", &c.icon_url),
            ("icon_emoji", &c.icon_emoji),
        ] {
            if !value.trim().is_empty() {
                obj.insert(key.into(), json!(value.trim()));
            }
        }
        deliver("Mattermost", ctx.http.post(c.webhook_url.trim()).json(&body)).await.map(|_| ())
    }
}

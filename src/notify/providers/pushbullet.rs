//! `pushbullet`: a note push (`POST /v2/pushes`, `Access-Token` header). Keys:
//! `pushbullet_access_token`, `pushbullet_device_id` (one device's iden) or
//! `pushbullet_channel_tag` (a channel's subscribers; all the user's devices when neither is
//! set), `pushbullet_custom_template` (Liquid body), `api_url` (default
//! https://api.pushbullet.com).

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    DeliveryError, Provider, SendContext, base_url, check_template, deliver, details, join, optional_url, parsed,
    require, typed,
};
use crate::domain::ValidationError;
use crate::notify::Notice;

pub struct Pushbullet;

const DEFAULT_API: &str = "https://api.pushbullet.com";

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    pushbullet_access_token: String,
    pushbullet_device_id: String,
    pushbullet_channel_tag: String,
    pushbullet_custom_template: String,
    api_url: String,
}

#[async_trait]
impl Provider for Pushbullet {
    fn secret_keys(&self) -> &'static [&'static str] {
        &["pushbullet_access_token"]
    }

    fn validate(&self, config: &Value) -> Result<(), ValidationError> {
        let c: Config = typed(config)?;
        require("pushbullet_access_token", &c.pushbullet_access_token)?;
        if !c.pushbullet_device_id.trim().is_empty() && !c.pushbullet_channel_tag.trim().is_empty() {
            return Err(ValidationError::new(
                "config.pushbullet_channel_tag",
                "a push goes to one device or one channel: leave pushbullet_device_id or this empty",
            ));
        }
        check_template("pushbullet_custom_template", &c.pushbullet_custom_template)?;
        optional_url("api_url", &c.api_url)
    }

    async fn send(&self, config: &Value, notice: &Notice, ctx: &SendContext) -> Result<(), DeliveryError> {
        let c: Config = parsed(config)?;
        let body_text = if c.pushbullet_custom_template.trim().is_empty() {
            details(notice).to_string()
        } else {
            notice.render_or_default(&c.pushbullet_custom_template)?
        };
        let mut body = json!({ "type": "note", "title": notice.title, "body": body_text });
        if !c.pushbullet_device_id.trim().is_empty() {
            body["device_iden"] = json!(c.pushbullet_device_id.trim());
        } else if !c.pushbullet_channel_tag.trim().is_empty() {
            body["channel_tag"] = json!(c.pushbullet_channel_tag.trim());
        }
        let url = join(base_url(&c.api_url, DEFAULT_API), "v2/pushes");
        let req = ctx.http.post(url).header("Access-Token", c.pushbullet_access_token.trim()).json(&body);
        deliver("Pushbullet", req).await.map(|_| ())
    }
}

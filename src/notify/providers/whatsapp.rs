//! `whatsapp`: a text through a WAHA (WhatsApp HTTP API) server,
//! `POST {server_url}/api/sendText` with `{chatId, text, session}` and the `X-Api-Key`
//! header. Keys: `server_url`, `api_key`, `phone_number` (international, digits; sent as
//! `<digits>@c.us`; a full chat id such as `…@g.us` is kept), `session`, `use_template`,
//! `template`, `custom_message` (Liquid templates: `template` when `use_template`, else
//! `custom_message` when set, else the default text).

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    DeliveryError, Provider, SendContext, check_template, deliver, join, loose_bool, parsed, require, require_url,
    typed,
};
use crate::domain::ValidationError;
use crate::notify::Notice;

pub struct WhatsApp;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    server_url: String,
    api_key: String,
    phone_number: String,
    session: String,
    #[serde(deserialize_with = "loose_bool::deserialize")]
    use_template: bool,
    template: String,
    custom_message: String,
}

/// WAHA's chat id for a phone number: its digits and `@c.us` ("+49 151-234" → "49151234@c.us").
fn chat_id(phone: &str) -> Option<String> {
    let phone = phone.trim();
    if phone.contains('@') {
        return Some(phone.to_string());
    }
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let only_punctuation = phone.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')' | '.'));
    (!digits.is_empty() && only_punctuation).then(|| format!("{digits}@c.us"))
}

#[async_trait]
impl Provider for WhatsApp {
    fn secret_keys(&self) -> &'static [&'static str] {
        &["api_key"]
    }

    fn validate(&self, config: &Value) -> Result<(), ValidationError> {
        let c: Config = typed(config)?;
        require_url("server_url", &c.server_url)?;
        require("phone_number", &c.phone_number)?;
        if chat_id(&c.phone_number).is_none() {
            return Err(ValidationError::new(
                "config.phone_number",
                "must be a phone number with its country code (4915112345678) or a WAHA chat id",
            ));
        }
        require("session", &c.session)?;
        if c.use_template {
            require("template", &c.template)?;
        }
        check_template("template", &c.template)?;
        check_template("custom_message", &c.custom_message)
    }

    async fn send(&self, config: &Value, notice: &Notice, ctx: &SendContext) -> Result<(), DeliveryError> {
        let c: Config = parsed(config)?;
        let chat = chat_id(&c.phone_number)
            .ok_or_else(|| DeliveryError::Reject("the phone number is not a WhatsApp number".into()))?;
        let text = if c.use_template {
            notice.render_or_default(&c.template)?
        } else {
            notice.render_or_default(&c.custom_message)?
        };
        let body = json!({ "chatId": chat, "text": text, "session": c.session.trim() });
        let mut req = ctx.http.post(join(&c.server_url, "api/sendText")).json(&body);
        if !c.api_key.trim().is_empty() {
            req = req.header("X-Api-Key", c.api_key.trim());
        }
        deliver("WhatsApp (WAHA)", req).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_become_waha_chat_ids() {
        assert_eq!(chat_id("+49 151-234 (5)").as_deref(), Some("491512345@c.us"));
        assert_eq!(chat_id("123456789-1612345678@g.us").as_deref(), Some("123456789-1612345678@g.us"));
        assert_eq!(chat_id("call me"), None);
        assert_eq!(chat_id("+"), None);
    }
}

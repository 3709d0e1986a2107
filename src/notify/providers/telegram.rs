//! `telegram`: the Bot API's sendMessage. Keys: `bot_token`, `chat_id`,
//! `message_thread_id`, `server_url` (default https://api.telegram.org), `use_template`,
//! `template_parse_mode` (plain, MarkdownV2, HTML, Markdown), `template`,
//! `send_silently`, `protect_content`.

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{DeliveryError, Provider, SendContext, check_template, deliver, join, loose_bool, parsed, require, typed};
use crate::domain::ValidationError;
use crate::notify::Notice;

pub struct Telegram;

const DEFAULT_SERVER: &str = "https://api.telegram.org";

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    bot_token: String,
    chat_id: Value,
    message_thread_id: Value,
    server_url: String,
    #[serde(deserialize_with = "loose_bool::deserialize")]
    use_template: bool,
    template_parse_mode: String,
    template: String,
    #[serde(deserialize_with = "loose_bool::deserialize")]
    send_silently: bool,
    #[serde(deserialize_with = "loose_bool::deserialize")]
    protect_content: bool,
}

/// A string or number id as text ("" when absent).
fn id_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

#[async_trait]
impl Provider for Telegram {
    fn secret_keys(&self) -> &'static [&'static str] {
        &["bot_token"]
    }

    fn validate(&self, config: &Value) -> Result<(), ValidationError> {
        let c: Config = typed(config)?;
        require("bot_token", &c.bot_token)?;
        if c.bot_token.contains(char::is_whitespace) || c.bot_token.contains('/') {
            return Err(ValidationError::new(
                "config.bot_token",
                "must be a token as BotFather gives it (123456:ABC…)",
            ));
        }
        require("chat_id", &id_text(&c.chat_id))?;
        let thread = id_text(&c.message_thread_id);
        if !thread.is_empty() && thread.parse::<i64>().is_err() {
            return Err(ValidationError::new("config.message_thread_id", "must be a number"));
        }
        if !c.server_url.trim().is_empty() {
            super::require_url("server_url", &c.server_url)?;
        }
        if !matches!(c.template_parse_mode.trim(), "" | "plain" | "MarkdownV2" | "HTML" | "Markdown") {
            return Err(ValidationError::new(
                "config.template_parse_mode",
                "must be one of plain, MarkdownV2, HTML, Markdown",
            ));
        }
        if c.use_template {
            require("template", &c.template)?;
        }
        check_template("template", &c.template)
    }

    async fn send(&self, config: &Value, notice: &Notice, ctx: &SendContext) -> Result<(), DeliveryError> {
        let c: Config = parsed(config)?;
        let server = if c.server_url.trim().is_empty() { DEFAULT_SERVER } else { c.server_url.trim() };
        let text = if c.use_template { notice.render_or_default(&c.template)? } else { notice.text.clone() };
        let mut body = json!({
            "chat_id": id_text(&c.chat_id),
            "text": text,
            "disable_notification": c.send_silently,
            "protect_content": c.protect_content,
        });
        let thread = id_text(&c.message_thread_id);
        if let Ok(t) = thread.parse::<i64>() {
            body["message_thread_id"] = json!(t);
        }
        if c.use_template && !matches!(c.template_parse_mode.trim(), "" | "plain") {
            body["parse_mode"] = json!(c.template_parse_mode.trim());
        }
        let url = join(server, &format!("bot{}/sendMessage", c.bot_token.trim()));
        deliver("Telegram", ctx.http.post(url).json(&body)).await.map(|_| ())
    }
}

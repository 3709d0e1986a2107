//! `line`: a push message through the LINE Messaging API (`POST /v2/bot/message/push`,
//! bearer channel access token). Keys: `channel_access_token`, `user_id` (a user, group or
//! room id), `template` (Liquid; the default text when empty), `api_url` (default
//! https://api.line.me).

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    DeliveryError, Provider, SendContext, base_url, check_template, deliver, join, optional_url, parsed, require, typed,
};
use crate::domain::ValidationError;
use crate::notify::Notice;

pub struct Line;

const DEFAULT_API: &str = "https://api.line.me";
/// The Messaging API's limit for one text message.
const MAX_TEXT_CHARS: usize = 5000;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    channel_access_token: String,
    user_id: String,
    template: String,
    api_url: String,
}

/// A push answered 200 but carrying LINE's error shape (`{"message": …}`) is a refusal.
fn refusal(body: &str) -> Option<String> {
    let v: Value = serde_json::from_str(body).ok()?;
    let message = v.get("message")?.as_str()?;
    let details = v.get("details").filter(|d| d.as_array().is_some_and(|a| !a.is_empty()));
    Some(match details {
        Some(d) => format!("LINE refused the message: {message} {d}"),
        None => format!("LINE refused the message: {message}"),
    })
}

#[async_trait]
impl Provider for Line {
    fn secret_keys(&self) -> &'static [&'static str] {
        &["channel_access_token"]
    }

    fn validate(&self, config: &Value) -> Result<(), ValidationError> {
        let c: Config = typed(config)?;
        require("channel_access_token", &c.channel_access_token)?;
        require("user_id", &c.user_id)?;
        let id = c.user_id.trim();
        if !id.starts_with(['U', 'C', 'R']) || !id.chars().all(|ch| ch.is_ascii_alphanumeric()) {
            return Err(ValidationError::new(
                "config.user_id",
                "must be a LINE user, group or room id (U…, C… or R…), not a LINE ID",
            ));
        }
        check_template("template", &c.template)?;
        optional_url("api_url", &c.api_url)
    }

    async fn send(&self, config: &Value, notice: &Notice, ctx: &SendContext) -> Result<(), DeliveryError> {
        let c: Config = parsed(config)?;
        let text: String = notice.render_or_default(&c.template)?.chars().take(MAX_TEXT_CHARS).collect();
        let body = json!({
            "to": c.user_id.trim(),
            "messages": [{ "type": "text", "text": text }],
        });
        let url = join(base_url(&c.api_url, DEFAULT_API), "v2/bot/message/push");
        let req = ctx.http.post(url).bearer_auth(c.channel_access_token.trim()).json(&body);
        let answer = deliver("LINE", req).await?;
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
    fn an_error_body_is_a_refusal() {
        assert_eq!(refusal("{}"), None);
        assert_eq!(refusal("{\"sentMessages\":[{\"id\":\"1\"}]}"), None);
        assert_eq!(refusal(""), None);
        assert_eq!(
            refusal(
                "{\"message\":\"The request body has 1 error(s)\",\"details\":[{\"message\":\"May not be empty\"}]}"
            )
            .unwrap(),
            "LINE refused the message: The request body has 1 error(s) [{\"message\":\"May not be empty\"}]"
        );
    }
}

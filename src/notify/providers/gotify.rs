//! `gotify`: `POST {server_url}/message` with the application token in `X-Gotify-Key`
//! and `{title, message, priority}`. Keys: `server_url`, `application_token`, `priority`
//! (0–10; 8 when unset, which rings on Gotify's Android app), `title` (the notice's title
//! when empty), `custom_message` (a Liquid template).

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{DeliveryError, Provider, SendContext, check_template, deliver, join, parsed, require, require_url, typed};
use crate::domain::ValidationError;
use crate::notify::Notice;

pub struct Gotify;

const DEFAULT_PRIORITY: u8 = 8;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    server_url: String,
    application_token: String,
    priority: Value,
    title: String,
    custom_message: String,
}

/// `0`…`10` (number or text); the default when unset.
fn priority(value: &Value) -> Result<u8, ValidationError> {
    let n = match value {
        Value::Null => return Ok(DEFAULT_PRIORITY),
        Value::String(s) if s.trim().is_empty() => return Ok(DEFAULT_PRIORITY),
        Value::String(s) => s.trim().parse::<u64>().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    };
    match n {
        Some(n @ 0..=10) => Ok(n as u8),
        _ => Err(ValidationError::new("config.priority", "must be 0 to 10")),
    }
}

#[async_trait]
impl Provider for Gotify {
    fn secret_keys(&self) -> &'static [&'static str] {
        &["application_token"]
    }

    fn validate(&self, config: &Value) -> Result<(), ValidationError> {
        let c: Config = typed(config)?;
        require_url("server_url", &c.server_url)?;
        require("application_token", &c.application_token)?;
        priority(&c.priority)?;
        check_template("custom_message", &c.custom_message)
    }

    async fn send(&self, config: &Value, notice: &Notice, ctx: &SendContext) -> Result<(), DeliveryError> {
        let c: Config = parsed(config)?;
        let priority = priority(&c.priority).map_err(|e| DeliveryError::Reject(e.to_string()))?;
        let title = if c.title.trim().is_empty() { notice.title.as_str() } else { c.title.trim() };
        let body = json!({
            "title": title,
            "message": notice.render_or_default(&c.custom_message)?,
            "priority": priority,
        });
        let req = ctx
            .http
            .post(join(&c.server_url, "message"))
            .header("X-Gotify-Key", c.application_token.trim())
            .json(&body);
        deliver("Gotify", req).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priorities_are_zero_to_ten_with_eight_by_default() {
        assert_eq!(priority(&Value::Null).unwrap(), 8);
        assert_eq!(priority(&json!("")).unwrap(), 8);
        assert_eq!(priority(&json!(0)).unwrap(), 0);
        assert_eq!(priority(&json!("10")).unwrap(), 10);
        for bad in [json!(11), json!(-1), json!("high"), json!(1.5)] {
            assert_eq!(priority(&bad).unwrap_err().field, "config.priority", "{bad}");
        }
    }
}

//! `wecom`: a WeCom (WeChat Work) group robot webhook, `msgtype` text. Keys: `webhook_url`
//! (its `key` query parameter is the secret). The robot answers 200 even when it refuses a
//! message; the verdict is the body's `errcode`.

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{DeliveryError, Provider, SendContext, deliver, parsed, require_url, typed};
use crate::domain::ValidationError;
use crate::notify::Notice;

pub struct WeCom;

/// The robot's limit for a text message's content, in bytes.
const MAX_CONTENT_BYTES: usize = 2048;

/// WeCom's "api freq out of limit": the robot takes 20 messages a minute.
const ERRCODE_RATE_LIMITED: i64 = 45009;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    webhook_url: String,
}

/// `text` cut to at most `max` bytes on a character boundary.
fn truncate_bytes(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The robot's verdict from its answer.
fn verdict(body: &str) -> Result<(), DeliveryError> {
    let Ok(answer) = serde_json::from_str::<Value>(body) else {
        return Err(DeliveryError::Reject(format!(
            "WeCom answered something else than its JSON verdict: {}",
            body.trim().chars().take(200).collect::<String>()
        )));
    };
    match answer["errcode"].as_i64() {
        Some(0) => Ok(()),
        code => {
            let msg = format!(
                "WeCom refused the message: {} (errcode {})",
                answer["errmsg"].as_str().unwrap_or("no reason given"),
                code.map_or_else(|| "missing".to_string(), |c| c.to_string())
            );
            if code == Some(ERRCODE_RATE_LIMITED) {
                Err(DeliveryError::Retry(msg))
            } else {
                Err(DeliveryError::Reject(msg))
            }
        }
    }
}

#[async_trait]
impl Provider for WeCom {
    fn secret_keys(&self) -> &'static [&'static str] {
        &["webhook_url"]
    }

    fn validate(&self, config: &Value) -> Result<(), ValidationError> {
        let c: Config = typed(config)?;
        require_url("webhook_url", &c.webhook_url)
    }

    async fn send(&self, config: &Value, notice: &Notice, ctx: &SendContext) -> Result<(), DeliveryError> {
        let c: Config = parsed(config)?;
        let body = json!({
            "msgtype": "text",
            "text": { "content": truncate_bytes(&notice.text, MAX_CONTENT_BYTES) },
        });
        let answer = deliver("WeCom", ctx.http.post(c.webhook_url.trim()).json(&body)).await?;
        verdict(&answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_decides_whether_the_robot_took_the_message() {
        assert_eq!(verdict(r#"{"errcode":0,"errmsg":"ok"}"#), Ok(()));
        assert_eq!(
            verdict(r#"{"errcode":93000,"errmsg":"invalid webhook url"}"#),
            Err(DeliveryError::Reject("WeCom refused the message: invalid webhook url (errcode 93000)".into()))
        );
        assert!(matches!(
            verdict(r#"{"errcode":45009,"errmsg":"api freq out of limit"}"#),
            Err(DeliveryError::Retry(_))
        ));
        assert!(matches!(verdict("<html>"), Err(DeliveryError::Reject(_))));
    }

    #[test]
    fn long_texts_are_cut_on_a_character_boundary() {
        let text = "é".repeat(1500);
        let cut = truncate_bytes(&text, MAX_CONTENT_BYTES);
        assert_eq!(cut.len(), 2048);
        assert_eq!(truncate_bytes("ab€", 4), "ab");
        assert_eq!(truncate_bytes("short", 2048), "short");
    }
}

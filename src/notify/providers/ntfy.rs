//! `ntfy`: a message published as JSON to the server's root (`POST {server_url}` with
//! `{topic, message, title, tags, priority}`), which keeps non-ASCII titles intact where
//! headers would not. Keys: `server_url`, `topic`, `authentication_type` (none, basic with
//! `username`/`password`, token with `token` as a Bearer token), `priority` (1–5; ntfy's
//! default 3 when unset), `tags` (comma-separated or a list), `title` (the notice's title
//! when empty), `custom_message` (a Liquid template).

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{DeliveryError, Provider, SendContext, check_template, deliver, parsed, require, require_url, typed};
use crate::domain::ValidationError;
use crate::notify::Notice;

pub struct Ntfy;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    server_url: String,
    topic: String,
    authentication_type: String,
    username: String,
    password: String,
    token: String,
    priority: Value,
    tags: Value,
    title: String,
    custom_message: String,
}

#[derive(Debug, PartialEq)]
enum Auth {
    None,
    Basic,
    Token,
}

impl Config {
    fn auth(&self) -> Result<Auth, ValidationError> {
        match self.authentication_type.trim().to_ascii_lowercase().as_str() {
            "" | "none" => Ok(Auth::None),
            "basic" => Ok(Auth::Basic),
            "token" => Ok(Auth::Token),
            _ => Err(ValidationError::new("config.authentication_type", "must be one of none, basic, token")),
        }
    }

    fn tags(&self) -> Vec<String> {
        let split = |s: &str| -> Vec<String> {
            s.split(',').map(str::trim).filter(|t| !t.is_empty()).map(String::from).collect()
        };
        match &self.tags {
            Value::String(s) => split(s),
            Value::Array(items) => items.iter().filter_map(Value::as_str).flat_map(split).collect(),
            _ => vec![],
        }
    }
}

/// `1`…`5` (number or text); None when unset.
fn priority(value: &Value) -> Result<Option<u8>, ValidationError> {
    let n = match value {
        Value::Null => return Ok(None),
        Value::String(s) if s.trim().is_empty() => return Ok(None),
        Value::String(s) => s.trim().parse::<u64>().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    };
    match n {
        Some(n @ 1..=5) => Ok(Some(n as u8)),
        _ => Err(ValidationError::new("config.priority", "must be 1 (min) to 5 (max)")),
    }
}

/// ntfy's topic names: letters, digits, `-` and `_`, at most 64.
fn valid_topic(topic: &str) -> bool {
    !topic.is_empty() && topic.len() <= 64 && topic.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
}

#[async_trait]
impl Provider for Ntfy {
    fn secret_keys(&self) -> &'static [&'static str] {
        &["password", "token"]
    }

    fn validate(&self, config: &Value) -> Result<(), ValidationError> {
        let c: Config = typed(config)?;
        require_url("server_url", &c.server_url)?;
        require("topic", &c.topic)?;
        if !valid_topic(c.topic.trim()) {
            return Err(ValidationError::new(
                "config.topic",
                "must be 1 to 64 letters, digits, - or _ (the part after the server URL)",
            ));
        }
        match c.auth()? {
            Auth::None => {}
            Auth::Basic => {
                require("username", &c.username)?;
                require("password", &c.password)?;
            }
            Auth::Token => require("token", &c.token)?,
        }
        priority(&c.priority)?;
        check_template("custom_message", &c.custom_message)
    }

    async fn send(&self, config: &Value, notice: &Notice, ctx: &SendContext) -> Result<(), DeliveryError> {
        let c: Config = parsed(config)?;
        let reject = |e: ValidationError| DeliveryError::Reject(e.to_string());
        let custom_title = !c.title.trim().is_empty();
        let message = if !c.custom_message.trim().is_empty() {
            notice.render_or_default(&c.custom_message)?
        } else if custom_title {
            notice.text.clone()
        } else {
            // The title line is the notification's title already.
            super::details(notice).to_string()
        };
        let mut body = json!({
            "topic": c.topic.trim(),
            "title": if custom_title { c.title.trim() } else { notice.title.as_str() },
            "message": message,
        });
        let tags = c.tags();
        if !tags.is_empty() {
            body["tags"] = json!(tags);
        }
        if let Some(p) = priority(&c.priority).map_err(reject)? {
            body["priority"] = json!(p);
        }
        let mut req = ctx.http.post(c.server_url.trim()).json(&body);
        req = match c.auth().map_err(reject)? {
            Auth::None => req,
            Auth::Basic => req.basic_auth(c.username.trim(), Some(&c.password)),
            Auth::Token => req.bearer_auth(c.token.trim()),
        };
        deliver("ntfy", req).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priorities_topics_and_tags_are_checked() {
        assert_eq!(priority(&json!(5)).unwrap(), Some(5));
        assert_eq!(priority(&json!("1")).unwrap(), Some(1));
        assert_eq!(priority(&json!("")).unwrap(), None);
        for bad in [json!(0), json!(6), json!("max"), json!(-1)] {
            assert_eq!(priority(&bad).unwrap_err().field, "config.priority", "{bad}");
        }
        assert!(valid_topic("uptime_alerts-1"));
        assert!(!valid_topic("a/b") && !valid_topic("") && !valid_topic(&"x".repeat(65)));
        let c: Config = serde_json::from_value(json!({"tags": "warning, skull,"})).unwrap();
        assert_eq!(c.tags(), ["warning", "skull"]);
        let c: Config = serde_json::from_value(json!({"tags": ["a", "b,c"]})).unwrap();
        assert_eq!(c.tags(), ["a", "b", "c"]);
    }
}

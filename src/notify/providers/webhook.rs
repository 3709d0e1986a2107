//! `webhook`: an HTTP POST to any URL, as JSON, as a multipart form, or with a custom
//! (Liquid) body. Keys: `webhook_url`, `webhook_content_type` (json, form-data, custom),
//! `webhook_custom_body`, `webhook_additional_headers` (a JSON object, or its string).

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{DeliveryError, Provider, SendContext, check_template, deliver, parsed, require_url, typed};
use crate::domain::ValidationError;
use crate::notify::Notice;

pub struct Webhook;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    webhook_url: String,
    webhook_content_type: String,
    webhook_custom_body: String,
    webhook_additional_headers: Value,
}

impl Config {
    fn content_type(&self) -> &str {
        match self.webhook_content_type.trim() {
            "" => "json",
            other => other,
        }
    }

    /// The extra headers as name/value pairs; the field's error when they are not an object of strings.
    fn headers(&self) -> Result<Vec<(String, String)>, ValidationError> {
        let err = |m: &str| ValidationError::new("config.webhook_additional_headers", m);
        let obj = match &self.webhook_additional_headers {
            Value::Null => return Ok(vec![]),
            Value::String(s) if s.trim().is_empty() => return Ok(vec![]),
            Value::String(s) => {
                serde_json::from_str::<Value>(s).map_err(|e| err(&format!("is not valid JSON: {e}")))?
            }
            other => other.clone(),
        };
        let Value::Object(map) = obj else { return Err(err("must be a JSON object of header names to values")) };
        let mut out = Vec::new();
        for (k, v) in map {
            let v = match v {
                Value::String(s) => s,
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => return Err(err(&format!("the value of {k} must be a string"))),
            };
            if reqwest::header::HeaderName::from_bytes(k.as_bytes()).is_err()
                || reqwest::header::HeaderValue::from_str(&v).is_err()
            {
                return Err(err(&format!("{k} is not a valid HTTP header")));
            }
            out.push((k, v));
        }
        Ok(out)
    }
}

/// The JSON body of the `json` and `form-data` modes (Uptime Kuma's and Peekaping's shape).
fn payload(notice: &Notice) -> Value {
    json!({
        "msg": notice.text,
        "title": notice.title,
        "status": notice.bindings["status"],
        "heartbeat": notice.bindings["heartbeat"],
        "monitor": notice.bindings["monitor"],
        "event": notice.event,
    })
}

#[async_trait]
impl Provider for Webhook {
    fn secret_keys(&self) -> &'static [&'static str] {
        &[]
    }

    fn validate(&self, config: &Value) -> Result<(), ValidationError> {
        let c: Config = typed(config)?;
        require_url("webhook_url", &c.webhook_url)?;
        match c.content_type() {
            "json" | "form-data" => {}
            "custom" => {
                super::require("webhook_custom_body", &c.webhook_custom_body)?;
                check_template("webhook_custom_body", &c.webhook_custom_body)?;
            }
            _ => {
                return Err(ValidationError::new(
                    "config.webhook_content_type",
                    "must be one of json, form-data, custom",
                ));
            }
        }
        c.headers().map(|_| ())
    }

    async fn send(&self, config: &Value, notice: &Notice, ctx: &SendContext) -> Result<(), DeliveryError> {
        let c: Config = parsed(config)?;
        let mut req = ctx.http.post(c.webhook_url.trim());
        let headers = c.headers().map_err(|e| DeliveryError::Reject(e.to_string()))?;
        let custom_type = headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type"));
        for (k, v) in &headers {
            req = req.header(k, v);
        }
        req = match c.content_type() {
            "form-data" => {
                let form = reqwest::multipart::Form::new().text("data", payload(notice).to_string());
                req.multipart(form)
            }
            "custom" => {
                let body = notice.render_or_default(&c.webhook_custom_body)?;
                if !custom_type {
                    let ct = if serde_json::from_str::<Value>(&body).is_ok() {
                        "application/json"
                    } else {
                        "text/plain; charset=utf-8"
                    };
                    req = req.header("content-type", ct);
                }
                req.body(body)
            }
            _ => req.json(&payload(notice)),
        };
        deliver("the webhook", req).await.map(|_| ())
    }
}

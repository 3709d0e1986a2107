//! `signal`: a message through a signal-cli REST API gateway (bbernhard/signal-cli-rest-api),
//! `POST {signal_url}/v2/send`. Keys: `signal_url` (the gateway's base URL; a URL already
//! ending in `/v2/send`, as Peekaping's form suggests, is used as it is), `signal_number`
//! (the registered sender), `signal_recipients` (numbers or `group.…` ids, comma-separated),
//! `custom_message` (a Liquid template; the default text when empty).

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{DeliveryError, Provider, SendContext, check_template, deliver, join, parsed, require, require_url, typed};
use crate::domain::ValidationError;
use crate::notify::Notice;

pub struct Signal;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    signal_url: String,
    signal_number: String,
    signal_recipients: Value,
    custom_message: String,
}

impl Config {
    /// The recipients from a comma/space-separated string or a JSON array of strings.
    fn recipients(&self) -> Vec<String> {
        let split = |s: &str| -> Vec<String> {
            s.split([',', ';', ' ', '\n']).map(str::trim).filter(|r| !r.is_empty()).map(String::from).collect()
        };
        match &self.signal_recipients {
            Value::String(s) => split(s),
            Value::Array(items) => items.iter().filter_map(Value::as_str).flat_map(split).collect(),
            _ => vec![],
        }
    }

    fn endpoint(&self) -> String {
        let base = self.signal_url.trim().trim_end_matches('/');
        if base.ends_with("/v2/send") { base.to_string() } else { join(base, "v2/send") }
    }
}

#[async_trait]
impl Provider for Signal {
    fn secret_keys(&self) -> &'static [&'static str] {
        &[]
    }

    fn validate(&self, config: &Value) -> Result<(), ValidationError> {
        let c: Config = typed(config)?;
        require_url("signal_url", &c.signal_url)?;
        require("signal_number", &c.signal_number)?;
        if c.recipients().is_empty() {
            return Err(ValidationError::new(
                "config.signal_recipients",
                "is required: phone numbers or group ids, separated by commas",
            ));
        }
        check_template("custom_message", &c.custom_message)
    }

    async fn send(&self, config: &Value, notice: &Notice, ctx: &SendContext) -> Result<(), DeliveryError> {
        let c: Config = parsed(config)?;
        let body = json!({
            "message": notice.render_or_default(&c.custom_message)?,
            "number": c.signal_number.trim(),
            "recipients": c.recipients(),
        });
        deliver("Signal", ctx.http.post(c.endpoint()).json(&body)).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients_and_endpoint_accept_peekaping_shapes() {
        let c: Config = serde_json::from_value(json!({"signal_url": "http://gw:8080/v2/send/",
            "signal_recipients": "+4912345, group.abc=;+4967890"}))
        .unwrap();
        assert_eq!(c.recipients(), ["+4912345", "group.abc=", "+4967890"]);
        assert_eq!(c.endpoint(), "http://gw:8080/v2/send");
        let c: Config =
            serde_json::from_value(json!({"signal_url": "http://gw:8080", "signal_recipients": ["+1", "+2"]})).unwrap();
        assert_eq!(c.recipients(), ["+1", "+2"]);
        assert_eq!(c.endpoint(), "http://gw:8080/v2/send");
    }
}

//! `websocket`: an upgrade to a ws:// or wss:// URL, optionally one message exchanged.

use serde::{Deserialize, Serialize};

use super::http::HeadersField;
use super::tls::validate_ca_pem;
use crate::domain::monitor::ValidationError;

/// Configuration of a `websocket` monitor.
///
/// UP when the server answers the upgrade with `101 Switching Protocols` (and accepts
/// `subprotocol`, when set). With `send`, that text message is sent after the upgrade;
/// with `expect`, a text message containing `expect` must then arrive within the timeout
/// (without `send`, the first messages the server sends on its own are read).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct WebsocketConfig {
    pub url: String,
    /// Extra request headers: a JSON object (or its text), like the HTTP monitor's.
    pub headers: Option<HeadersField>,
    /// Sent as `Sec-WebSocket-Protocol`; the server must select it.
    pub subprotocol: String,
    pub send: String,
    pub expect: String,
    pub ignore_tls_errors: bool,
    /// Extra trusted CA certificates (PEM) for wss://.
    pub ca: String,
}

impl WebsocketConfig {
    /// The extra headers as (name, value) pairs.
    pub fn header_pairs(&self) -> Result<Vec<(String, String)>, String> {
        self.headers.as_ref().map_or(Ok(Vec::new()), HeadersField::pairs)
    }

    pub(crate) fn validate(&self) -> Result<(), ValidationError> {
        let url = url::Url::parse(self.url.trim())
            .map_err(|_| ValidationError::new("config.url", "must be a ws:// or wss:// URL"))?;
        if !matches!(url.scheme(), "ws" | "wss") || url.host_str().is_none_or(str::is_empty) {
            return Err(ValidationError::new("config.url", "must be a ws:// or wss:// URL"));
        }
        let pairs = self.header_pairs().map_err(|e| ValidationError::new("config.headers", e))?;
        for (name, value) in &pairs {
            if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic() && b != b':') {
                return Err(ValidationError::new("config.headers", format!("\"{name}\" is not a valid header name")));
            }
            if value.bytes().any(|b| b == b'\r' || b == b'\n') {
                return Err(ValidationError::new(
                    "config.headers",
                    format!("the value of \"{name}\" has a line break"),
                ));
            }
        }
        let sub = self.subprotocol.trim();
        if !sub.is_empty() && !sub.bytes().all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b)) {
            return Err(ValidationError::new("config.subprotocol", "must be one protocol token, like graphql-ws"));
        }
        validate_ca_pem("config.ca", &self.ca)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::MonitorConfig;

    #[test]
    fn websocket_headers_may_be_text_or_an_object() {
        for config in [
            r#"{"url":"ws://127.0.0.1:1/x","headers":"{\"Authorization\":\"Bearer t\"}"}"#,
            r#"{"url":"wss://example.com/","headers":{"Authorization":"Bearer t"}}"#,
        ] {
            let MonitorConfig::Websocket(c) = MonitorConfig::parse("websocket", config).unwrap() else {
                panic!("wrong variant")
            };
            assert_eq!(c.header_pairs().unwrap(), vec![("Authorization".to_string(), "Bearer t".to_string())]);
        }
    }

    #[test]
    fn websocket_rejects_bad_fields_by_name() {
        for (config, field) in [
            (r#"{"url":"http://example.com"}"#, "config.url"),
            (r#"{"url":"not a url"}"#, "config.url"),
            (r#"{"url":"ws://example.com","headers":"[1]"}"#, "config.headers"),
            (r#"{"url":"ws://example.com","headers":{"Bad Name":"x"}}"#, "config.headers"),
            (r#"{"url":"ws://example.com","subprotocol":"a b"}"#, "config.subprotocol"),
            (r#"{"url":"ws://example.com","ca":"nope"}"#, "config.ca"),
        ] {
            assert_eq!(MonitorConfig::parse("websocket", config).unwrap_err().field, field, "{config}");
        }
    }
}

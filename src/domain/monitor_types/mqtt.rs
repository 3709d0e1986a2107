//! `mqtt`: subscribe to a topic on a broker and judge the first message (Peekaping's keys).
//!
//! `check_type` `none` means the broker accepted the connection and acknowledged the
//! subscription; no message is needed. Peekaping also waits for a message in that mode,
//! which marks healthy brokers with a quiet topic DOWN; pick `keyword` or `json-query`
//! to require a message.

use serde::{Deserialize, Serialize};

use crate::domain::monitor::ValidationError;

pub const MQTT_CHECK_TYPES: &[&str] = &["none", "keyword", "json-query"];

/// Configuration of an `mqtt` monitor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MqttConfig {
    /// Host name or IP; an `mqtt://` prefix is accepted, `mqtts://` turns TLS on.
    pub hostname: String,
    pub port: u16,
    pub topic: String,
    pub username: String,
    pub password: String,
    pub check_type: String,
    pub success_keyword: String,
    /// A gjson path into the message (`status`, `data.items.0`); `$` and `$.`-prefixed
    /// paths are accepted for Peekaping's examples.
    pub json_path: String,
    pub expected_value: String,
}

impl Default for MqttConfig {
    fn default() -> Self {
        Self {
            hostname: String::new(),
            port: 1883,
            topic: String::new(),
            username: String::new(),
            password: String::new(),
            check_type: "none".into(),
            success_keyword: String::new(),
            json_path: String::new(),
            expected_value: String::new(),
        }
    }
}

impl MqttConfig {
    /// The host without a scheme, and whether TLS was asked for (`mqtts://`).
    pub fn host_and_tls(&self) -> (String, bool) {
        let h = self.hostname.trim();
        if let Some(rest) = h.strip_prefix("mqtts://") {
            (rest.trim_end_matches('/').to_string(), true)
        } else {
            (h.strip_prefix("mqtt://").unwrap_or(h).trim_end_matches('/').to_string(), false)
        }
    }

    /// The check type, `none` when empty (Peekaping's default).
    pub fn check_kind(&self) -> &str {
        match self.check_type.trim() {
            "" => "none",
            other => other,
        }
    }

    pub(crate) fn validate(&self) -> Result<(), ValidationError> {
        let err = |f: &str, m: &str| Err(ValidationError::new(format!("config.{f}"), m));
        let (host, _) = self.host_and_tls();
        if !is_host(&host) {
            return err(
                "hostname",
                "must be a host name or IP address (an mqtt:// or mqtts:// prefix is allowed; the port goes in port)",
            );
        }
        if self.port == 0 {
            return err("port", "must be between 1 and 65535");
        }
        let topic = self.topic.trim();
        if topic.is_empty() {
            return err("topic", "is required");
        }
        if topic.len() > 65535 || topic.contains('\0') {
            return err("topic", "is not a valid MQTT topic");
        }
        if topic.char_indices().any(|(i, c)| c == '#' && i + 1 != topic.len()) {
            return err("topic", "the # wildcard may only be the last character");
        }
        match self.check_kind() {
            "none" => {}
            "keyword" => {
                if self.success_keyword.trim().is_empty() {
                    return err("success_keyword", "is required when check_type is keyword");
                }
            }
            "json-query" => {
                if self.json_path.trim().is_empty() {
                    return err("json_path", "is required when check_type is json-query");
                }
                if self.expected_value.trim().is_empty() {
                    return err("expected_value", "is required when check_type is json-query");
                }
            }
            _ => return err("check_type", "must be one of none, keyword, json-query"),
        }
        if !self.password.is_empty() && self.username.is_empty() {
            return err("username", "is required when a password is set");
        }
        Ok(())
    }
}

/// A host name or an IP address (IPv6 with or without brackets), without scheme or port.
pub(crate) fn is_host(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    !host.is_empty()
        && !host.contains(char::is_whitespace)
        && !host.contains('/')
        && (!host.contains(':') || bare.parse::<std::net::Ipv6Addr>().is_ok())
}

/// Peekaping's JSONPath-looking examples (`$.status`) as a gjson path (`status`).
pub fn gjson_path(path: &str) -> &str {
    let p = path.trim();
    if p == "$" {
        return "";
    }
    p.strip_prefix("$.").unwrap_or(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::MonitorConfig;

    fn field(config: &str) -> String {
        MonitorConfig::parse("mqtt", config).unwrap_err().field
    }

    #[test]
    fn mqtt_accepts_peekaping_keys_and_defaults_to_none() {
        let c = MonitorConfig::parse("mqtt", r#"{"hostname":"mqtt://127.0.0.1","port":1883,"topic":"a/b"}"#).unwrap();
        let MonitorConfig::Mqtt(m) = c else { panic!("wrong variant") };
        assert_eq!(m.check_kind(), "none");
        assert_eq!(m.host_and_tls(), ("127.0.0.1".to_string(), false));
    }

    #[test]
    fn mqtt_mode_specific_fields_are_required() {
        assert_eq!(field(r#"{"hostname":"h","topic":"t","check_type":"keyword"}"#), "config.success_keyword");
        assert_eq!(
            field(r#"{"hostname":"h","topic":"t","check_type":"json-query","expected_value":"1"}"#),
            "config.json_path"
        );
        assert_eq!(
            field(r#"{"hostname":"h","topic":"t","check_type":"json-query","json_path":"a"}"#),
            "config.expected_value"
        );
        assert_eq!(field(r#"{"hostname":"h","topic":"t","check_type":"regex"}"#), "config.check_type");
    }

    #[test]
    fn mqtt_rejects_bad_host_topic_and_port() {
        assert_eq!(field(r#"{"hostname":"","topic":"t"}"#), "config.hostname");
        assert_eq!(field(r#"{"hostname":"h:1883","topic":"t"}"#), "config.hostname");
        assert_eq!(field(r#"{"hostname":"h","topic":""}"#), "config.topic");
        assert_eq!(field(r#"{"hostname":"h","topic":"a/#/b"}"#), "config.topic");
        assert_eq!(field(r#"{"hostname":"h","topic":"t","port":0}"#), "config.port");
    }

    #[test]
    fn dollar_paths_become_gjson_paths() {
        assert_eq!(gjson_path("$.status"), "status");
        assert_eq!(gjson_path("$"), "");
        assert_eq!(gjson_path("data.items.0"), "data.items.0");
    }
}

//! The per-type configuration of a monitor (Peekaping's `config` JSON string), typed.
//!
//! One variant per monitor type; the worker's check registry (`worker::checks`) has one
//! check per variant. Field names are Peekaping's so its clients keep working. Unknown
//! fields are tolerated (and kept in the stored string) because Peekaping's web app may
//! send fields of newer versions; every field we use is validated with a message that
//! names it as `config.<field>`.

use serde::{Deserialize, Serialize};

use super::json_query::Condition;
use super::monitor::ValidationError;
use super::status_codes::{StatusCodeRule, parse_rules};

/// Every monitor type this build can check, in the order the UI lists them.
pub const SUPPORTED_TYPES: &[&str] = &["http", "http-keyword", "http-json-query", "tcp", "push"];

/// The typed configuration of one monitor.
#[derive(Clone, Debug, PartialEq)]
pub enum MonitorConfig {
    Http(HttpConfig),
    HttpKeyword(HttpConfig),
    HttpJsonQuery(HttpConfig),
    Tcp(TcpConfig),
    Push(PushConfig),
}

impl MonitorConfig {
    /// Parses and validates `config` for the monitor type `kind`.
    pub fn parse(kind: &str, config: &str) -> Result<Self, ValidationError> {
        let raw = if config.trim().is_empty() { "{}" } else { config };
        let value: serde_json::Value =
            serde_json::from_str(raw).map_err(|e| ValidationError::new("config", format!("is not valid JSON: {e}")))?;
        if !value.is_object() {
            return Err(ValidationError::new("config", "must be a JSON object"));
        }
        let parsed = match kind {
            "http" => Self::Http(typed(value)?),
            "http-keyword" => Self::HttpKeyword(typed(value)?),
            "http-json-query" => Self::HttpJsonQuery(typed(value)?),
            "tcp" => Self::Tcp(typed(value)?),
            "push" => Self::Push(typed(value)?),
            other => {
                return Err(ValidationError::new(
                    "type",
                    format!(
                        "\"{other}\" is not a monitor type this server supports (supported: {})",
                        SUPPORTED_TYPES.join(", ")
                    ),
                ));
            }
        };
        parsed.validate()?;
        Ok(parsed)
    }

    /// The monitor type string (`http`, `tcp`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Http(_) => "http",
            Self::HttpKeyword(_) => "http-keyword",
            Self::HttpJsonQuery(_) => "http-json-query",
            Self::Tcp(_) => "tcp",
            Self::Push(_) => "push",
        }
    }

    /// Whether the producer schedules checks for it on the worker (push monitors are
    /// checked against their deadline instead, still through the worker's registry).
    pub fn is_passive(&self) -> bool {
        matches!(self, Self::Push(_))
    }

    fn validate(&self) -> Result<(), ValidationError> {
        match self {
            Self::Http(c) => c.validate(HttpMode::Plain),
            Self::HttpKeyword(c) => c.validate(HttpMode::Keyword),
            Self::HttpJsonQuery(c) => c.validate(HttpMode::JsonQuery),
            Self::Tcp(c) => c.validate(),
            Self::Push(_) => Ok(()),
        }
    }
}

/// Deserialises a config value, naming the offending field (`config.port`) on error so
/// the UI can point at it.
fn typed<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> Result<T, ValidationError> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        let field = if path.is_empty() || path == "." {
            // "missing field `port`" names the field only in the message.
            inner
                .strip_prefix("missing field `")
                .and_then(|r| r.split('`').next())
                .map(|f| format!("config.{f}"))
                .unwrap_or_else(|| "config".to_string())
        } else {
            format!("config.{path}")
        };
        ValidationError::new(field, inner)
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum HttpMode {
    Plain,
    Keyword,
    JsonQuery,
}

/// Headers arrive as a JSON-object string (Peekaping) or as an object (friendlier clients).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum HeadersField {
    Text(String),
    Map(serde_json::Map<String, serde_json::Value>),
}

/// Configuration of `http`, `http-keyword` and `http-json-query` monitors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HttpConfig {
    pub url: String,
    pub method: String,
    pub headers: Option<HeadersField>,
    pub encoding: String,
    pub body: String,
    pub accepted_statuscodes: Vec<String>,
    pub max_redirects: u32,
    pub ignore_tls_errors: bool,
    pub check_cert_expiry: bool,
    #[serde(rename = "authMethod")]
    pub auth_method: String,
    pub basic_auth_user: String,
    pub basic_auth_pass: String,
    #[serde(rename = "authDomain")]
    pub auth_domain: String,
    #[serde(rename = "authWorkstation")]
    pub auth_workstation: String,
    pub oauth_auth_method: String,
    pub oauth_token_url: String,
    pub oauth_client_id: String,
    pub oauth_client_secret: String,
    pub oauth_scopes: String,
    #[serde(rename = "tlsCert")]
    pub tls_cert: String,
    #[serde(rename = "tlsKey")]
    pub tls_key: String,
    #[serde(rename = "tlsCa")]
    pub tls_ca: String,
    pub keyword: String,
    pub invert_keyword: bool,
    pub json_query: String,
    pub json_condition: String,
    pub expected_value: String,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            url: String::new(),
            method: "GET".into(),
            headers: None,
            encoding: "json".into(),
            body: String::new(),
            accepted_statuscodes: vec!["2XX".into()],
            max_redirects: 10,
            ignore_tls_errors: false,
            check_cert_expiry: false,
            auth_method: "none".into(),
            basic_auth_user: String::new(),
            basic_auth_pass: String::new(),
            auth_domain: String::new(),
            auth_workstation: String::new(),
            oauth_auth_method: "client_secret_basic".into(),
            oauth_token_url: String::new(),
            oauth_client_id: String::new(),
            oauth_client_secret: String::new(),
            oauth_scopes: String::new(),
            tls_cert: String::new(),
            tls_key: String::new(),
            tls_ca: String::new(),
            keyword: String::new(),
            invert_keyword: false,
            json_query: String::new(),
            json_condition: "==".into(),
            expected_value: String::new(),
        }
    }
}

pub const HTTP_METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];
pub const MAX_REDIRECTS_LIMIT: u32 = 30;

impl HttpConfig {
    fn validate(&self, mode: HttpMode) -> Result<(), ValidationError> {
        let err = |f: &str, m: String| Err(ValidationError::new(format!("config.{f}"), m));
        match url::Url::parse(self.url.trim()) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {}
            Ok(u) => {
                return err(
                    "url",
                    format!("must be an http:// or https:// URL with a host, got scheme \"{}\"", u.scheme()),
                );
            }
            Err(e) => return err("url", format!("is not a valid URL: {e}")),
        }
        if !HTTP_METHODS.contains(&self.method_upper().as_str()) {
            return err("method", format!("must be one of {}", HTTP_METHODS.join(", ")));
        }
        self.header_pairs().map_err(|m| ValidationError::new("config.headers", m))?;
        match self.encoding.to_ascii_lowercase().as_str() {
            "json" | "" => {
                if !self.body.trim().is_empty() && serde_json::from_str::<serde_json::Value>(&self.body).is_err() {
                    return err("body", "is not valid JSON (encoding is json)".into());
                }
            }
            "form" | "xml" | "text" => {}
            other => return err("encoding", format!("\"{other}\" is not one of json, form, xml, text")),
        }
        parse_rules(&self.accepted_statuscodes).map_err(|m| ValidationError::new("config.accepted_statuscodes", m))?;
        if self.max_redirects > MAX_REDIRECTS_LIMIT {
            return err("max_redirects", format!("must be between 0 and {MAX_REDIRECTS_LIMIT}"));
        }
        match self.auth_method.as_str() {
            "" | "none" => {}
            "ntlm" => {
                return err(
                    "authMethod",
                    "NTLM authentication is not supported by this server yet; use basic, oauth2-cc or mtls".into(),
                );
            }
            "basic" => {
                if self.basic_auth_user.is_empty() {
                    return err("basic_auth_user", "is required for this auth method".into());
                }
            }
            "oauth2-cc" => {
                if url::Url::parse(&self.oauth_token_url).is_err() {
                    return err("oauth_token_url", "must be a URL".into());
                }
                if self.oauth_client_id.is_empty() {
                    return err("oauth_client_id", "is required for OAuth2".into());
                }
                if !matches!(self.oauth_auth_method.as_str(), "client_secret_basic" | "client_secret_post") {
                    return err("oauth_auth_method", "must be client_secret_basic or client_secret_post".into());
                }
            }
            "mtls" => {
                if self.tls_cert.trim().is_empty() || self.tls_key.trim().is_empty() {
                    return err("tlsCert", "a client certificate and key (PEM) are required for mTLS".into());
                }
            }
            other => return err("authMethod", format!("\"{other}\" is not one of none, basic, ntlm, oauth2-cc, mtls")),
        }
        match mode {
            HttpMode::Plain => {}
            HttpMode::Keyword => {
                if self.keyword.is_empty() {
                    return err("keyword", "is required for an http-keyword monitor".into());
                }
            }
            HttpMode::JsonQuery => {
                Condition::parse(&self.json_condition).map_err(|m| ValidationError::new("config.json_condition", m))?;
                if self.expected_value.is_empty() {
                    return err("expected_value", "is required for an http-json-query monitor".into());
                }
            }
        }
        Ok(())
    }

    pub fn method_upper(&self) -> String {
        if self.method.trim().is_empty() { "GET".into() } else { self.method.trim().to_ascii_uppercase() }
    }

    pub fn status_rules(&self) -> Vec<StatusCodeRule> {
        parse_rules(&self.accepted_statuscodes).unwrap_or_else(|_| vec![StatusCodeRule::Class(2)])
    }

    pub fn condition(&self) -> Condition {
        Condition::parse(&self.json_condition).unwrap_or(Condition::Eq)
    }

    /// The request headers as name/value pairs.
    pub fn header_pairs(&self) -> Result<Vec<(String, String)>, String> {
        let map = match &self.headers {
            None => return Ok(Vec::new()),
            Some(HeadersField::Text(t)) if t.trim().is_empty() => return Ok(Vec::new()),
            Some(HeadersField::Text(t)) => match serde_json::from_str::<serde_json::Value>(t) {
                Ok(serde_json::Value::Object(m)) => m,
                _ => return Err("must be a JSON object of header names to values".into()),
            },
            Some(HeadersField::Map(m)) => m.clone(),
        };
        map.into_iter()
            .map(|(k, v)| {
                let v = match v {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Number(n) => n.to_string(),
                    serde_json::Value::Bool(b) => b.to_string(),
                    _ => return Err(format!("header \"{k}\" must be a string")),
                };
                Ok((k, v))
            })
            .collect()
    }
}

/// Configuration of a `tcp` monitor: connect and close.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TcpConfig {
    pub host: String,
    pub port: u16,
}

impl TcpConfig {
    fn validate(&self) -> Result<(), ValidationError> {
        let host = self.host.trim();
        if host.is_empty() || host.contains(char::is_whitespace) || host.contains('/') {
            return Err(ValidationError::new("config.host", "must be a host name or IP address"));
        }
        if self.port == 0 {
            return Err(ValidationError::new("config.port", "must be between 1 and 65535"));
        }
        Ok(())
    }
}

/// Configuration of a `push` monitor. The token itself is the monitor's `push_token`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct PushConfig {
    #[serde(rename = "pushToken", skip_serializing_if = "Option::is_none")]
    pub push_token: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_config_parses_peekaping_field_names() {
        let c = MonitorConfig::parse(
            "http",
            r#"{"url":"https://example.com/health","method":"post","headers":"{\"X-A\":\"1\"}",
                "encoding":"json","body":"{\"a\":1}","accepted_statuscodes":["2XX","301"],
                "max_redirects":0,"ignore_tls_errors":true,"authMethod":"basic",
                "basic_auth_user":"u","basic_auth_pass":"p","someFutureField":1}"#,
        )
        .unwrap();
        let MonitorConfig::Http(h) = c else { panic!("wrong variant") };
        assert_eq!(h.method_upper(), "POST");
        assert_eq!(h.header_pairs().unwrap(), vec![("X-A".to_string(), "1".to_string())]);
        assert_eq!(h.max_redirects, 0);
        assert!(h.ignore_tls_errors);
    }

    #[test]
    fn unknown_type_is_rejected_on_the_type_field() {
        let e = MonitorConfig::parse("gopher", "{}").unwrap_err();
        assert_eq!(e.field, "type");
    }

    #[test]
    fn bad_url_names_config_url() {
        let e = MonitorConfig::parse("http", r#"{"url":"ftp://x"}"#).unwrap_err();
        assert_eq!(e.field, "config.url");
        let e = MonitorConfig::parse("http", r#"{"url":"not a url"}"#).unwrap_err();
        assert_eq!(e.field, "config.url");
    }

    #[test]
    fn keyword_monitor_requires_a_keyword() {
        let e = MonitorConfig::parse("http-keyword", r#"{"url":"http://a"}"#).unwrap_err();
        assert_eq!(e.field, "config.keyword");
    }

    #[test]
    fn json_query_monitor_requires_expected_value_and_known_operator() {
        let e = MonitorConfig::parse("http-json-query", r#"{"url":"http://a","json_query":"a"}"#).unwrap_err();
        assert_eq!(e.field, "config.expected_value");
        let e = MonitorConfig::parse(
            "http-json-query",
            r#"{"url":"http://a","json_query":"a","json_condition":"~","expected_value":"1"}"#,
        )
        .unwrap_err();
        assert_eq!(e.field, "config.json_condition");
    }

    #[test]
    fn bad_status_code_rule_names_the_field() {
        let e = MonitorConfig::parse("http", r#"{"url":"http://a","accepted_statuscodes":["2XX","abc"]}"#).unwrap_err();
        assert_eq!(e.field, "config.accepted_statuscodes");
    }

    #[test]
    fn tcp_needs_host_and_port() {
        assert!(MonitorConfig::parse("tcp", r#"{"host":"127.0.0.1","port":22}"#).is_ok());
        let e = MonitorConfig::parse("tcp", r#"{"host":"127.0.0.1"}"#).unwrap_err();
        assert_eq!(e.field, "config.port");
        let e = MonitorConfig::parse("tcp", r#"{"host":"127.0.0.1","port":0}"#).unwrap_err();
        assert_eq!(e.field, "config.port");
        let e = MonitorConfig::parse("tcp", r#"{"host":"127.0.0.1","port":70000}"#).unwrap_err();
        assert_eq!(e.field, "config.port");
    }

    #[test]
    fn config_must_be_a_json_object() {
        assert_eq!(MonitorConfig::parse("tcp", "[1]").unwrap_err().field, "config");
        assert_eq!(MonitorConfig::parse("tcp", "{").unwrap_err().field, "config");
    }

    #[test]
    fn json_body_is_validated_when_encoding_is_json() {
        let e = MonitorConfig::parse("http", r#"{"url":"http://a","body":"{nope"}"#).unwrap_err();
        assert_eq!(e.field, "config.body");
        assert!(MonitorConfig::parse("http", r#"{"url":"http://a","encoding":"text","body":"{nope"}"#).is_ok());
    }
}

//! `http`, `http-keyword`, `http-json-query`: one configuration, three ways of judging
//! the response.

use serde::{Deserialize, Serialize};

use crate::domain::json_query::Condition;
use crate::domain::monitor::ValidationError;
use crate::domain::status_codes::{StatusCodeRule, parse_rules};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HttpMode {
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

impl HeadersField {
    /// The headers as (name, value) pairs; numbers and booleans become text. Shared by
    /// every monitor type that sends request headers (http family, websocket).
    pub fn pairs(&self) -> Result<Vec<(String, String)>, String> {
        let map = match self {
            Self::Text(t) if t.trim().is_empty() => return Ok(Vec::new()),
            Self::Text(t) => match serde_json::from_str::<serde_json::Value>(t) {
                Ok(serde_json::Value::Object(m)) => m,
                _ => return Err("must be a JSON object of header names to values".into()),
            },
            Self::Map(m) => m.clone(),
        };
        map.into_iter()
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => Ok((k, s)),
                serde_json::Value::Number(n) => Ok((k, n.to_string())),
                serde_json::Value::Bool(b) => Ok((k, b.to_string())),
                _ => Err(format!("header \"{k}\" must be a string")),
            })
            .collect()
    }
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
    pub(crate) fn validate(&self, mode: HttpMode) -> Result<(), ValidationError> {
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
                if self.basic_auth_user.is_empty() {
                    return err("basic_auth_user", "is required for NTLM".into());
                }
                if self.basic_auth_user.contains('\\') {
                    return err("basic_auth_user", "must be the bare user name; put the domain in authDomain".into());
                }
                if self.auth_domain.chars().count() > 255 {
                    return err("authDomain", "must be at most 255 characters".into());
                }
                if self.auth_workstation.chars().count() > 255 {
                    return err("authWorkstation", "must be at most 255 characters".into());
                }
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
        self.headers.as_ref().map_or(Ok(Vec::new()), HeadersField::pairs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_parse_from_text_or_object_and_name_a_bad_value() {
        let text = HeadersField::Text(r#"{"X-A":"1","X-N":2,"X-B":true}"#.into());
        let mut pairs = text.pairs().unwrap();
        pairs.sort();
        assert_eq!(pairs, vec![("X-A".into(), "1".into()), ("X-B".into(), "true".into()), ("X-N".into(), "2".into())]);
        assert!(HeadersField::Text("  ".into()).pairs().unwrap().is_empty());
        assert!(HeadersField::Text("[1]".into()).pairs().unwrap_err().contains("JSON object"));
        let map = HeadersField::Map(serde_json::from_str(r#"{"X-O":{"a":1}}"#).unwrap());
        assert_eq!(map.pairs().unwrap_err(), "header \"X-O\" must be a string");
    }

    #[test]
    fn ntlm_needs_a_bare_user_name() {
        let c = |user: &str| HttpConfig {
            url: "http://intranet.example/".into(),
            auth_method: "ntlm".into(),
            basic_auth_user: user.into(),
            auth_domain: "CORP".into(),
            ..Default::default()
        };
        assert!(c("alice").validate(HttpMode::Plain).is_ok());
        assert!(c("alice@corp.example").validate(HttpMode::Plain).is_ok(), "a UPN is a user name");
        assert_eq!(c("").validate(HttpMode::Plain).unwrap_err().field, "config.basic_auth_user");
        assert_eq!(c("CORP\\alice").validate(HttpMode::Plain).unwrap_err().field, "config.basic_auth_user");
    }
}

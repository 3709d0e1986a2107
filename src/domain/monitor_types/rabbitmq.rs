//! `rabbitmq`: ask each node's management API whether it has alarms (Peekaping's keys).

use serde::{Deserialize, Serialize};

use crate::domain::monitor::ValidationError;

/// Largest number of nodes one monitor may list (each is asked in parallel).
pub const MAX_RABBITMQ_NODES: usize = 16;

/// Configuration of a `rabbitmq` monitor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RabbitMqConfig {
    /// Management API base URLs, e.g. `http://rabbit-1:15672/`.
    pub nodes: Vec<String>,
    pub username: String,
    pub password: String,
}

impl RabbitMqConfig {
    pub(crate) fn validate(&self) -> Result<(), ValidationError> {
        let err = |f: &str, m: String| Err(ValidationError::new(format!("config.{f}"), m));
        if self.nodes.is_empty() {
            return err("nodes", "needs at least one management URL, e.g. http://rabbit:15672".into());
        }
        if self.nodes.len() > MAX_RABBITMQ_NODES {
            return err("nodes", format!("may list at most {MAX_RABBITMQ_NODES} nodes"));
        }
        for node in &self.nodes {
            match url::Url::parse(node.trim()) {
                Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {}
                _ => return err("nodes", format!("\"{node}\" is not an http:// or https:// URL with a host")),
            }
        }
        if self.username.is_empty() {
            return err("username", "is required (the management API needs a user with the monitoring tag)".into());
        }
        if self.password.is_empty() {
            return err("password", "is required".into());
        }
        Ok(())
    }

    /// The alarms health-check URL of a node.
    pub fn alarms_url(node: &str) -> Result<url::Url, String> {
        let mut base = node.trim().to_string();
        if !base.ends_with('/') {
            base.push('/');
        }
        let base = url::Url::parse(&base).map_err(|e| e.to_string())?;
        base.join("api/health/checks/alarms/").map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::MonitorConfig;

    #[test]
    fn rabbitmq_needs_urls_and_credentials() {
        let ok = r#"{"nodes":["http://127.0.0.1:15672"],"username":"guest","password":"guest"}"#;
        assert!(MonitorConfig::parse("rabbitmq", ok).is_ok());
        let f = |c: &str| MonitorConfig::parse("rabbitmq", c).unwrap_err().field;
        assert_eq!(f(r#"{"nodes":[],"username":"u","password":"p"}"#), "config.nodes");
        assert_eq!(f(r#"{"nodes":["rabbit:15672"],"username":"u","password":"p"}"#), "config.nodes");
        assert_eq!(f(r#"{"nodes":["http://r:15672"],"password":"p"}"#), "config.username");
        assert_eq!(f(r#"{"nodes":["http://r:15672"],"username":"u"}"#), "config.password");
    }

    #[test]
    fn alarms_url_keeps_a_path_prefix() {
        assert_eq!(
            RabbitMqConfig::alarms_url("http://r:15672").unwrap().as_str(),
            "http://r:15672/api/health/checks/alarms/"
        );
        assert_eq!(
            RabbitMqConfig::alarms_url("https://r/rabbit").unwrap().as_str(),
            "https://r/rabbit/api/health/checks/alarms/"
        );
    }
}

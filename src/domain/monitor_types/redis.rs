//! `redis`: PING a Redis server (Peekaping's keys).
//!
//! `databaseConnectionString` is `redis://[user:password@]host:port[/db]` or `rediss://…`
//! for TLS; with TLS, `ignoreTls` accepts any certificate, `caCert` adds a trusted CA and
//! `clientCert` + `clientKey` (PEM) authenticate the client.

use serde::{Deserialize, Serialize};

use crate::domain::monitor::ValidationError;

/// Configuration of a `redis` monitor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RedisConfig {
    #[serde(rename = "databaseConnectionString")]
    pub connection_string: String,
    #[serde(rename = "ignoreTls")]
    pub ignore_tls: bool,
    #[serde(rename = "caCert")]
    pub ca_cert: String,
    #[serde(rename = "clientCert")]
    pub client_cert: String,
    #[serde(rename = "clientKey")]
    pub client_key: String,
}

impl RedisConfig {
    pub fn uses_tls(&self) -> bool {
        self.connection_string.trim().starts_with("rediss://")
    }

    /// The driver's view of the URL.
    pub fn connection_info(&self) -> Result<redis::ConnectionInfo, String> {
        redis::IntoConnectionInfo::into_connection_info(self.connection_string.trim()).map_err(|e| e.to_string())
    }

    pub(crate) fn validate(&self) -> Result<(), ValidationError> {
        let err = |f: &str, m: &str| Err(ValidationError::new(format!("config.{f}"), m));
        let s = self.connection_string.trim();
        if s.is_empty() {
            return err("databaseConnectionString", "is required");
        }
        if !s.starts_with("redis://") && !s.starts_with("rediss://") {
            return err(
                "databaseConnectionString",
                "must start with redis:// or rediss:// (redis://:password@host:6379/0)",
            );
        }
        if let Err(e) = self.connection_info() {
            let msg = format!("is not a valid Redis URL: {}", super::connection_string::redacted(&e));
            return Err(ValidationError::new("config.databaseConnectionString", msg));
        }
        let pem = |v: &str, kind: &str| v.trim().is_empty() || (v.contains("-----BEGIN") && v.contains(kind));
        for (field, value, kind) in [
            ("caCert", &self.ca_cert, "CERTIFICATE"),
            ("clientCert", &self.client_cert, "CERTIFICATE"),
            ("clientKey", &self.client_key, "PRIVATE KEY"),
        ] {
            if !pem(value, kind) {
                return Err(ValidationError::new(
                    format!("config.{field}"),
                    format!("must be PEM text (-----BEGIN {kind}-----)"),
                ));
            }
            if !value.trim().is_empty() && !self.uses_tls() {
                return err(field, "is only used with a rediss:// connection string");
            }
        }
        if self.client_cert.trim().is_empty() != self.client_key.trim().is_empty() {
            let missing = if self.client_cert.trim().is_empty() { "clientCert" } else { "clientKey" };
            return err(missing, "is required when the other half of the client certificate is set");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::MonitorConfig;

    fn field(config: &str) -> String {
        MonitorConfig::parse("redis", config).unwrap_err().field
    }

    #[test]
    fn redis_accepts_peekaping_keys() {
        let c = MonitorConfig::parse(
            "redis",
            r#"{"databaseConnectionString":"rediss://:pw@127.0.0.1:6380/1","ignoreTls":true,"caCert":"","clientCert":"","clientKey":""}"#,
        )
        .unwrap();
        let MonitorConfig::Redis(r) = c else { panic!("wrong variant") };
        assert!(r.uses_tls() && r.ignore_tls);
    }

    #[test]
    fn redis_rejects_bad_urls_and_half_client_certificates() {
        assert_eq!(field(r#"{}"#), "config.databaseConnectionString");
        assert_eq!(field(r#"{"databaseConnectionString":"http://h:6379"}"#), "config.databaseConnectionString");
        assert_eq!(field(r#"{"databaseConnectionString":"redis://h:notaport"}"#), "config.databaseConnectionString");
        assert_eq!(field(r#"{"databaseConnectionString":"rediss://h","caCert":"nope"}"#), "config.caCert");
        assert_eq!(
            field(r#"{"databaseConnectionString":"redis://h","caCert":"-----BEGIN CERTIFICATE-----"}"#),
            "config.caCert"
        );
        assert_eq!(
            field(r#"{"databaseConnectionString":"rediss://h","clientCert":"-----BEGIN CERTIFICATE-----"}"#),
            "config.clientKey"
        );
    }
}

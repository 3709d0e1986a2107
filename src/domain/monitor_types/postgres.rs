//! `postgres`: run a query on a PostgreSQL server (Peekaping's keys).
//!
//! The connection string is a `postgres://` URL or a libpq `key=value` string; `sslmode`
//! follows libpq: `disable`, `allow`/`prefer` (TLS if offered, certificate not checked),
//! `require` (TLS, certificate not checked), `verify-ca`/`verify-full` (TLS, certificate
//! checked against the web PKI roots, host name included).

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::connection_string::redacted;
use crate::domain::monitor::ValidationError;

pub const DEFAULT_QUERY: &str = "SELECT 1";

/// Configuration of a `postgres` monitor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PostgresConfig {
    pub database_connection_string: String,
    /// Empty means `SELECT 1`.
    pub database_query: String,
}

/// How the check uses TLS, from `sslmode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PgTls {
    Disable,
    /// TLS when the server offers it; the certificate is not checked.
    Prefer,
    /// TLS or nothing; the certificate is not checked.
    Require,
    /// TLS with the certificate checked.
    Verify,
}

impl PostgresConfig {
    pub fn query(&self) -> &str {
        match self.database_query.trim() {
            "" => DEFAULT_QUERY,
            q => q,
        }
    }

    /// The TLS mode the string asks for (libpq's default is `prefer`).
    pub fn tls(&self) -> PgTls {
        match sslmode(&self.database_connection_string).as_deref() {
            Some("disable") => PgTls::Disable,
            Some("require") => PgTls::Require,
            Some("verify-ca" | "verify-full") => PgTls::Verify,
            _ => PgTls::Prefer,
        }
    }

    /// The driver's view of the string: tokio-postgres knows `disable`/`prefer`/`require`
    /// only, so libpq's other modes are mapped onto those (the check does the verifying).
    pub fn driver_config(&self) -> Result<tokio_postgres::Config, String> {
        let s = self.database_connection_string.trim();
        let mode = match self.tls() {
            PgTls::Disable => "disable",
            PgTls::Prefer => "prefer",
            PgTls::Require | PgTls::Verify => "require",
        };
        // Compiled once: this runs on every check.
        static SSLMODE: std::sync::LazyLock<regex::Regex> =
            std::sync::LazyLock::new(|| regex::Regex::new(r"(?i)sslmode=[A-Za-z-]*").expect("a valid literal pattern"));
        let normalised = SSLMODE.replace_all(s, format!("sslmode={mode}").as_str());
        tokio_postgres::Config::from_str(&normalised).map_err(|e| e.to_string())
    }

    pub(crate) fn validate(&self) -> Result<(), ValidationError> {
        let err = |f: &str, m: String| Err(ValidationError::new(format!("config.{f}"), m));
        let s = self.database_connection_string.trim();
        if s.is_empty() {
            return err("database_connection_string", "is required".into());
        }
        let is_url = s.starts_with("postgres://") || s.starts_with("postgresql://");
        if s.contains("://") && !is_url {
            return err(
                "database_connection_string",
                "must start with postgres:// or postgresql:// (or be a key=value string such as host=db user=app dbname=app)".into(),
            );
        }
        if !is_url && !s.contains('=') {
            return err(
                "database_connection_string",
                "must be a postgres:// URL or a key=value string such as host=db user=app dbname=app".into(),
            );
        }
        if let Some(mode) = sslmode(s)
            && !["disable", "allow", "prefer", "require", "verify-ca", "verify-full"].contains(&mode.as_str())
        {
            return err(
                "database_connection_string",
                format!("sslmode \"{mode}\" is not one of disable, allow, prefer, require, verify-ca, verify-full"),
            );
        }
        let config = match self.driver_config() {
            Ok(c) => c,
            Err(e) => {
                return err(
                    "database_connection_string",
                    format!("is not a valid PostgreSQL connection string: {}", redacted(&e)),
                );
            }
        };
        if config.get_hosts().is_empty() {
            return err("database_connection_string", "must name a host (host=… or postgres://host/…)".into());
        }
        if config.get_hosts().iter().any(|h| !matches!(h, tokio_postgres::config::Host::Tcp(_))) {
            return err(
                "database_connection_string",
                "Unix-socket hosts are not supported; use a TCP host name or IP".into(),
            );
        }
        if config.get_user().is_none() {
            return err("database_connection_string", "must name a user (user=… or postgres://user@host/…)".into());
        }
        if self.query().len() > 64 * 1024 {
            return err("database_query", "is longer than 64 KiB".into());
        }
        Ok(())
    }
}

/// The `sslmode` value, lower-cased, if the string sets one.
fn sslmode(s: &str) -> Option<String> {
    let lower = s.to_ascii_lowercase();
    let at = lower.find("sslmode=")?;
    let value: String =
        lower[at + "sslmode=".len()..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::MonitorConfig;

    fn field(config: &str) -> String {
        MonitorConfig::parse("postgres", config).unwrap_err().field
    }

    #[test]
    fn postgres_accepts_urls_and_key_value_strings() {
        let c =
            MonitorConfig::parse("postgres", r#"{"database_connection_string":"postgres://u:p@127.0.0.1:5432/test"}"#)
                .unwrap();
        let MonitorConfig::Postgres(p) = c else { panic!("wrong variant") };
        assert_eq!(p.query(), "SELECT 1");
        assert_eq!(p.tls(), PgTls::Prefer);
        let c = MonitorConfig::parse(
            "postgres",
            r#"{"database_connection_string":"host=127.0.0.1 user=postgres dbname=test sslmode=verify-full","database_query":"SELECT now()"}"#,
        )
        .unwrap();
        let MonitorConfig::Postgres(p) = c else { panic!("wrong variant") };
        assert_eq!(p.tls(), PgTls::Verify);
        assert_eq!(p.query(), "SELECT now()");
    }

    #[test]
    fn postgres_rejects_other_schemes_missing_parts_and_unknown_sslmodes() {
        assert_eq!(field(r#"{}"#), "config.database_connection_string");
        assert_eq!(field(r#"{"database_connection_string":"mysql://u@h/db"}"#), "config.database_connection_string");
        assert_eq!(field(r#"{"database_connection_string":"just a host"}"#), "config.database_connection_string");
        assert_eq!(
            field(r#"{"database_connection_string":"postgres:///db?user=u"}"#),
            "config.database_connection_string"
        );
        assert_eq!(field(r#"{"database_connection_string":"postgres://h/db"}"#), "config.database_connection_string");
        assert_eq!(
            field(r#"{"database_connection_string":"host=/var/run/postgresql user=u"}"#),
            "config.database_connection_string"
        );
        assert_eq!(
            field(r#"{"database_connection_string":"postgres://u@h/db?sslmode=sometimes"}"#),
            "config.database_connection_string"
        );
    }

    #[test]
    fn postgres_validation_errors_do_not_echo_the_password() {
        let e = MonitorConfig::parse(
            "postgres",
            r#"{"database_connection_string":"postgres://u:topsecret@h/db?bogus_option=1"}"#,
        )
        .unwrap_err();
        assert!(!e.message.contains("topsecret"), "{}", e.message);
    }
}

//! `mysql`: run a query on a MySQL or MariaDB server (Peekaping's keys).
//!
//! The connection string is a `mysql://user:password@host:port/database` URL; the driver's
//! URL options (`?require_ssl=true`, `?verify_ca=false`, …) are accepted.

use serde::{Deserialize, Serialize};

use super::connection_string::redacted;
use crate::domain::monitor::ValidationError;

pub const DEFAULT_QUERY: &str = "SELECT 1";

/// Configuration of a `mysql` monitor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MysqlConfig {
    pub connection_string: String,
    /// Empty means `SELECT 1`.
    pub query: String,
}

impl MysqlConfig {
    pub fn query(&self) -> &str {
        match self.query.trim() {
            "" => DEFAULT_QUERY,
            q => q,
        }
    }

    /// The driver's options for the URL.
    pub fn driver_opts(&self) -> Result<mysql_async::Opts, String> {
        mysql_async::Opts::from_url(self.connection_string.trim()).map_err(|e| e.to_string())
    }

    pub(crate) fn validate(&self) -> Result<(), ValidationError> {
        let err = |f: &str, m: String| Err(ValidationError::new(format!("config.{f}"), m));
        let s = self.connection_string.trim();
        if s.is_empty() {
            return err("connection_string", "is required".into());
        }
        if !s.starts_with("mysql://") {
            return err(
                "connection_string",
                "must start with mysql:// (mysql://user:password@host:3306/database)".into(),
            );
        }
        let opts = match self.driver_opts() {
            Ok(o) => o,
            Err(e) => return err("connection_string", format!("is not a valid MySQL URL: {}", redacted(&e))),
        };
        if opts.ip_or_hostname().is_empty() {
            return err("connection_string", "must name a host".into());
        }
        if self.query().len() > 64 * 1024 {
            return err("query", "is longer than 64 KiB".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::MonitorConfig;

    fn field(config: &str) -> String {
        MonitorConfig::parse("mysql", config).unwrap_err().field
    }

    #[test]
    fn mysql_accepts_a_url_and_defaults_the_query() {
        let c =
            MonitorConfig::parse("mysql", r#"{"connection_string":"mysql://root:pw@127.0.0.1:3306/test"}"#).unwrap();
        let MonitorConfig::Mysql(m) = c else { panic!("wrong variant") };
        assert_eq!(m.query(), "SELECT 1");
        let opts = m.driver_opts().unwrap();
        assert_eq!((opts.ip_or_hostname(), opts.tcp_port()), ("127.0.0.1", 3306));
    }

    #[test]
    fn mysql_rejects_other_schemes_and_bad_options() {
        assert_eq!(field(r#"{}"#), "config.connection_string");
        assert_eq!(field(r#"{"connection_string":"postgres://u@h/db"}"#), "config.connection_string");
        assert_eq!(field(r#"{"connection_string":"root@127.0.0.1/test"}"#), "config.connection_string");
        let e = MonitorConfig::parse("mysql", r#"{"connection_string":"mysql://u:hushhush@h/db?no_such_option=1"}"#)
            .unwrap_err();
        assert_eq!(e.field, "config.connection_string");
        assert!(!e.message.contains("hushhush"), "{}", e.message);
    }
}

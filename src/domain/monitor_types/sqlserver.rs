//! `sqlserver`: run a query on Microsoft SQL Server (Peekaping's keys).
//!
//! The connection string is ADO.NET style:
//! `Server=host,1433;Database=app;User Id=monitor;Password=…;Encrypt=false`. This build
//! speaks TDS without TLS (the driver's TLS backends need OpenSSL or aws-lc-rs, which the
//! project does not ship), so `Encrypt=true`/`strict` is refused at validation and the
//! server must not force encryption.

use serde::{Deserialize, Serialize};

use super::connection_string::redacted;
use crate::domain::monitor::ValidationError;

pub const DEFAULT_QUERY: &str = "SELECT 1";

/// Configuration of a `sqlserver` monitor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SqlServerConfig {
    pub database_connection_string: String,
    /// Empty means `SELECT 1`.
    pub database_query: String,
}

impl SqlServerConfig {
    pub fn query(&self) -> &str {
        match self.database_query.trim() {
            "" => DEFAULT_QUERY,
            q => q,
        }
    }

    /// The driver's configuration for the string.
    pub fn driver_config(&self) -> Result<tiberius::Config, String> {
        tiberius::Config::from_ado_string(self.database_connection_string.trim()).map_err(|e| match e {
            tiberius::error::Error::Tls(_) => "Encrypt=true is not supported: this build talks to SQL Server without \
                 TLS; use Encrypt=false (the server must not force encryption)"
                .to_string(),
            other => other.to_string(),
        })
    }

    pub(crate) fn validate(&self) -> Result<(), ValidationError> {
        let err = |m: String| Err(ValidationError::new("config.database_connection_string", m));
        let s = self.database_connection_string.trim();
        if s.is_empty() {
            return err("is required".into());
        }
        if s.contains("://") || !s.contains('=') {
            return err("must be an ADO.NET string: Server=host,1433;Database=app;User Id=user;Password=…".into());
        }
        let lower = s.to_ascii_lowercase();
        if !["server=", "data source=", "address=", "addr=", "network address="].iter().any(|k| lower.contains(k)) {
            return err("must name the server (Server=host,1433)".into());
        }
        if let Err(e) = self.driver_config() {
            return err(redacted(&e));
        }
        if self.query().len() > 64 * 1024 {
            return Err(ValidationError::new("config.database_query", "is longer than 64 KiB"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::MonitorConfig;

    fn error(config: &str) -> ValidationError {
        MonitorConfig::parse("sqlserver", config).unwrap_err()
    }

    #[test]
    fn sqlserver_accepts_an_ado_string() {
        let c = MonitorConfig::parse(
            "sqlserver",
            r#"{"database_connection_string":"Server=127.0.0.1,1433;Database=master;User Id=sa;Password=x;Encrypt=false;TrustServerCertificate=true"}"#,
        )
        .unwrap();
        let MonitorConfig::SqlServer(s) = c else { panic!("wrong variant") };
        assert_eq!(s.query(), "SELECT 1");
        assert_eq!(s.driver_config().unwrap().get_addr(), "127.0.0.1:1433");
    }

    #[test]
    fn sqlserver_rejects_urls_missing_server_and_encryption() {
        assert_eq!(error(r#"{}"#).field, "config.database_connection_string");
        assert_eq!(
            error(r#"{"database_connection_string":"sqlserver://h"}"#).field,
            "config.database_connection_string"
        );
        assert_eq!(
            error(r#"{"database_connection_string":"Database=x;User Id=sa"}"#).field,
            "config.database_connection_string"
        );
        let e = error(r#"{"database_connection_string":"Server=h;User Id=sa;Password=Sup3rS3cret;Encrypt=true"}"#);
        assert!(e.message.contains("Encrypt=false") && !e.message.contains("Sup3rS3cret"), "{}", e.message);
    }
}

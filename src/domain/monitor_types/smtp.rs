//! `smtp`: an SMTP server's greeting and EHLO, optionally over TLS.

use serde::{Deserialize, Serialize};

use super::host::{validate_host, validate_port};
use super::tls::validate_ca_pem;
use crate::domain::monitor::ValidationError;

pub const SECURITY_MODES: &[&str] = &["none", "starttls", "tls"];

/// Configuration of an `smtp` monitor: read the banner, EHLO, (STARTTLS and EHLO again),
/// QUIT. `security`: `none` (plain), `starttls` (upgrade after the first EHLO; DOWN if
/// the server does not offer it) or `tls` (implicit TLS from the first byte, port 465).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: String,
    /// Accept an invalid certificate (the chain and the error are still recorded).
    pub ignore_tls_errors: bool,
    /// Extra trusted CA certificates (PEM).
    pub ca: String,
}

impl Default for SmtpConfig {
    fn default() -> Self {
        Self { host: String::new(), port: 25, security: "none".into(), ignore_tls_errors: false, ca: String::new() }
    }
}

impl SmtpConfig {
    pub fn security_mode(&self) -> String {
        self.security.trim().to_ascii_lowercase()
    }

    pub(crate) fn validate(&self) -> Result<(), ValidationError> {
        validate_host("config.host", &self.host, false)?;
        validate_port("config.port", self.port)?;
        if !SECURITY_MODES.contains(&self.security_mode().as_str()) {
            return Err(ValidationError::new("config.security", "must be none, starttls or tls"));
        }
        validate_ca_pem("config.ca", &self.ca)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::MonitorConfig;

    #[test]
    fn smtp_defaults_to_plain_port_25() {
        let MonitorConfig::Smtp(c) = MonitorConfig::parse("smtp", r#"{"host":"mail.example.com"}"#).unwrap() else {
            panic!("wrong variant")
        };
        assert_eq!((c.port, c.security_mode().as_str()), (25, "none"));
    }

    #[test]
    fn smtp_rejects_bad_fields_by_name() {
        for (config, field) in [
            (r#"{"host":""}"#, "config.host"),
            (r#"{"host":"mail.example.com","port":0}"#, "config.port"),
            (r#"{"host":"mail.example.com","security":"ssl"}"#, "config.security"),
        ] {
            assert_eq!(MonitorConfig::parse("smtp", config).unwrap_err().field, field, "{config}");
        }
        assert!(MonitorConfig::parse("smtp", r#"{"host":"mail.example.com","port":465,"security":"TLS"}"#).is_ok());
    }
}

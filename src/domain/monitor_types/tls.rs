//! `tls`: a certificate-only check of a TLS server (no application protocol).

use serde::{Deserialize, Serialize};

use super::host::{validate_host, validate_port};
use crate::domain::monitor::ValidationError;

/// Configuration of a `tls` monitor.
///
/// DOWN when the handshake fails, when the chain does not verify (expired, not yet
/// valid, untrusted issuer), when the certificate does not name `servername` (or `host`),
/// or when the leaf has fewer than `min_days_remaining` days left.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TlsConfig {
    pub host: String,
    pub port: u16,
    /// The name sent as SNI and checked against the certificate; `host` when empty.
    pub servername: String,
    /// Extra trusted CA certificates (PEM), for private CAs and self-signed servers.
    pub ca: String,
    /// DOWN when the leaf certificate expires in fewer days than this (0: only once expired).
    pub min_days_remaining: u32,
}

impl Default for TlsConfig {
    fn default() -> Self {
        Self { host: String::new(), port: 443, servername: String::new(), ca: String::new(), min_days_remaining: 0 }
    }
}

impl TlsConfig {
    /// The name the certificate must be valid for.
    pub fn expected_name(&self) -> &str {
        let s = self.servername.trim();
        if s.is_empty() { super::host::bare_host(&self.host) } else { s }
    }

    pub(crate) fn validate(&self) -> Result<(), ValidationError> {
        validate_host("config.host", &self.host, false)?;
        validate_port("config.port", self.port)?;
        if !self.servername.trim().is_empty() {
            validate_host("config.servername", &self.servername, false)?;
        }
        validate_ca_pem("config.ca", &self.ca)?;
        if self.min_days_remaining > 3650 {
            return Err(ValidationError::new("config.min_days_remaining", "must be between 0 and 3650"));
        }
        Ok(())
    }
}

/// An optional PEM text with at least one certificate, when given.
pub fn validate_ca_pem(field: &str, pem: &str) -> Result<(), ValidationError> {
    if pem.trim().is_empty() {
        return Ok(());
    }
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let certs: Result<Vec<_>, _> = CertificateDer::pem_slice_iter(pem.as_bytes()).collect();
    match certs {
        Ok(c) if !c.is_empty() => Ok(()),
        _ => Err(ValidationError::new(field, "must contain PEM certificates (-----BEGIN CERTIFICATE-----)")),
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::MonitorConfig;

    #[test]
    fn tls_defaults_to_port_443_and_checks_the_host_name() {
        let MonitorConfig::Tls(c) = MonitorConfig::parse("tls", r#"{"host":"example.com"}"#).unwrap() else {
            panic!("wrong variant")
        };
        assert_eq!((c.port, c.expected_name()), (443, "example.com"));
        let MonitorConfig::Tls(c) =
            MonitorConfig::parse("tls", r#"{"host":"10.0.0.1","port":8443,"servername":"api.example.com"}"#).unwrap()
        else {
            panic!("wrong variant")
        };
        assert_eq!(c.expected_name(), "api.example.com");
    }

    #[test]
    fn tls_rejects_bad_fields_by_name() {
        for (config, field) in [
            (r#"{"host":"https://example.com"}"#, "config.host"),
            (r#"{"host":"example.com","port":0}"#, "config.port"),
            (r#"{"host":"example.com","servername":"a b"}"#, "config.servername"),
            (r#"{"host":"example.com","ca":"not a pem"}"#, "config.ca"),
            (r#"{"host":"example.com","min_days_remaining":5000}"#, "config.min_days_remaining"),
        ] {
            assert_eq!(MonitorConfig::parse("tls", config).unwrap_err().field, field, "{config}");
        }
    }
}

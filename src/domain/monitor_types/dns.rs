//! `dns`: one query of one record type against a chosen DNS server.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use super::host::{validate_host, validate_port};
use crate::domain::monitor::ValidationError;

/// Record types a `dns` monitor can ask for (Peekaping's list).
pub const RESOLVE_TYPES: &[&str] = &["A", "AAAA", "CAA", "CNAME", "MX", "NS", "PTR", "SOA", "SRV", "TXT"];

/// Configuration of a `dns` monitor (Peekaping's keys, plus `expected_value`).
///
/// UP when the server answers with at least one record of `resolve_type`. With an
/// `expected_value`, UP only when some record matches it:
/// - A/AAAA: the value is an address and equals a record's address (`::1` equals
///   `0:0:0:0:0:0:0:1`);
/// - TXT: the record's text (its strings joined) *contains* the value, case-sensitively;
/// - every other type: the value equals the record's text as shown in the message
///   (`10 mail.example.com`) or its main name or value alone (MX exchange, SRV target,
///   SOA primary server, CAA value, CNAME/NS/PTR name), ignoring ASCII case and a
///   trailing dot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DnsConfig {
    /// The name to look up. For PTR an IP address may be given: it is turned into its
    /// `in-addr.arpa`/`ip6.arpa` name.
    pub host: String,
    /// The DNS server's IP address.
    pub resolver_server: String,
    pub port: u16,
    pub resolve_type: String,
    pub expected_value: String,
}

impl Default for DnsConfig {
    fn default() -> Self {
        Self {
            host: String::new(),
            resolver_server: "1.1.1.1".into(),
            port: 53,
            resolve_type: "A".into(),
            expected_value: String::new(),
        }
    }
}

impl DnsConfig {
    /// The record type, upper-cased (Peekaping's clients send upper case; we accept any).
    pub fn record_type(&self) -> String {
        self.resolve_type.trim().to_ascii_uppercase()
    }

    pub fn resolver_ip(&self) -> Option<IpAddr> {
        super::host::bare_host(&self.resolver_server).parse().ok()
    }

    pub(crate) fn validate(&self) -> Result<(), ValidationError> {
        validate_host("config.host", &self.host, true)?;
        if self.resolver_ip().is_none() {
            return Err(ValidationError::new("config.resolver_server", "must be the IP address of a DNS server"));
        }
        validate_port("config.port", self.port)?;
        let kind = self.record_type();
        if !RESOLVE_TYPES.contains(&kind.as_str()) {
            return Err(ValidationError::new(
                "config.resolve_type",
                format!("must be one of {}", RESOLVE_TYPES.join(", ")),
            ));
        }
        let expected = self.expected_value.trim();
        if (kind == "A" || kind == "AAAA") && !expected.is_empty() {
            match expected.parse::<IpAddr>() {
                Ok(IpAddr::V4(_)) if kind == "A" => {}
                Ok(IpAddr::V6(_)) if kind == "AAAA" => {}
                _ => {
                    let family = if kind == "A" { "IPv4" } else { "IPv6" };
                    return Err(ValidationError::new(
                        "config.expected_value",
                        format!("must be an {family} address for {kind} records"),
                    ));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::MonitorConfig;

    #[test]
    fn dns_takes_peekaping_keys_and_defaults() {
        let MonitorConfig::Dns(c) = MonitorConfig::parse(
            "dns",
            r#"{"host":"example.com","resolver_server":"127.0.0.1","port":5353,"resolve_type":"mx"}"#,
        )
        .unwrap() else {
            panic!("wrong variant")
        };
        assert_eq!((c.record_type().as_str(), c.port), ("MX", 5353));
        let MonitorConfig::Dns(c) = MonitorConfig::parse("dns", r#"{"host":"example.com"}"#).unwrap() else {
            panic!("wrong variant")
        };
        assert_eq!((c.resolver_server.as_str(), c.port, c.record_type().as_str()), ("1.1.1.1", 53, "A"));
    }

    #[test]
    fn dns_rejects_bad_fields_by_name() {
        for (config, field) in [
            (r#"{"host":"a b"}"#, "config.host"),
            (r#"{"host":"example.com","resolver_server":"dns.google"}"#, "config.resolver_server"),
            (r#"{"host":"example.com","port":0}"#, "config.port"),
            (r#"{"host":"example.com","resolve_type":"ANY"}"#, "config.resolve_type"),
            (r#"{"host":"example.com","expected_value":"not an ip"}"#, "config.expected_value"),
            (r#"{"host":"example.com","resolve_type":"AAAA","expected_value":"1.2.3.4"}"#, "config.expected_value"),
        ] {
            assert_eq!(MonitorConfig::parse("dns", config).unwrap_err().field, field, "{config}");
        }
        assert!(
            MonitorConfig::parse("dns", r#"{"host":"example.com","resolve_type":"TXT","expected_value":"v=spf1"}"#)
                .is_ok()
        );
    }
}

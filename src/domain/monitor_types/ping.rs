//! `ping`: ICMP echo requests to a host (IPv4 or IPv6).

use serde::{Deserialize, Serialize};

use super::host::validate_host;
use crate::domain::monitor::ValidationError;

/// Largest ICMP payload we send: an IPv4 datagram holds 65,507 bytes of ICMP data; a
/// round 65,500 leaves room for IP options.
pub const MAX_PACKET_SIZE: u32 = 65_500;
pub const MAX_COUNT: u32 = 100;
pub const MAX_PER_PING_TIMEOUT: f64 = 60.0;

/// Configuration of a `ping` monitor. `host` and `packet_size` are Peekaping's; `count`
/// and `per_ping_timeout` are ours. The monitor is UP when at least one of the `count`
/// echo requests is answered; the message gives the loss and the round-trip times.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PingConfig {
    pub host: String,
    /// Bytes of ICMP payload (after the 8-byte ICMP header), like `ping -s`.
    pub packet_size: u32,
    /// Echo requests per check, sent one after the other.
    pub count: u32,
    /// Seconds to wait for each reply (fractions allowed). The whole check still ends at
    /// the monitor's timeout: pings that would not fit are not sent and count as lost.
    pub per_ping_timeout: f64,
}

impl Default for PingConfig {
    fn default() -> Self {
        Self { host: String::new(), packet_size: 32, count: 1, per_ping_timeout: 2.0 }
    }
}

impl PingConfig {
    pub(crate) fn validate(&self) -> Result<(), ValidationError> {
        validate_host("config.host", &self.host, false)?;
        if self.packet_size > MAX_PACKET_SIZE {
            return Err(ValidationError::new("config.packet_size", format!("must be between 0 and {MAX_PACKET_SIZE}")));
        }
        if self.count == 0 || self.count > MAX_COUNT {
            return Err(ValidationError::new("config.count", format!("must be between 1 and {MAX_COUNT}")));
        }
        if !(self.per_ping_timeout.is_finite()
            && self.per_ping_timeout > 0.0
            && self.per_ping_timeout <= MAX_PER_PING_TIMEOUT)
        {
            return Err(ValidationError::new(
                "config.per_ping_timeout",
                format!("must be more than 0 and at most {MAX_PER_PING_TIMEOUT} seconds"),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::MonitorConfig;

    #[test]
    fn ping_defaults_to_one_32_byte_packet_with_a_2_s_wait() {
        let MonitorConfig::Ping(c) = MonitorConfig::parse("ping", r#"{"host":"127.0.0.1"}"#).unwrap() else {
            panic!("wrong variant")
        };
        assert_eq!((c.packet_size, c.count, c.per_ping_timeout), (32, 1, 2.0));
    }

    #[test]
    fn ping_rejects_bad_fields_by_name() {
        for (config, field) in [
            (r#"{"host":""}"#, "config.host"),
            (r#"{"host":"http://x"}"#, "config.host"),
            (r#"{"host":"::1","packet_size":70000}"#, "config.packet_size"),
            (r#"{"host":"::1","packet_size":-1}"#, "config.packet_size"),
            (r#"{"host":"::1","count":0}"#, "config.count"),
            (r#"{"host":"::1","count":101}"#, "config.count"),
            (r#"{"host":"::1","per_ping_timeout":0}"#, "config.per_ping_timeout"),
            (r#"{"host":"::1","per_ping_timeout":61}"#, "config.per_ping_timeout"),
        ] {
            assert_eq!(MonitorConfig::parse("ping", config).unwrap_err().field, field, "{config}");
        }
        assert!(MonitorConfig::parse("ping", r#"{"host":"::1","per_ping_timeout":0.25,"count":3}"#).is_ok());
    }
}

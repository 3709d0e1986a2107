//! `udp`: one datagram to host:port, judged by the reply (or its absence).

use serde::{Deserialize, Serialize};

use super::host::{validate_host, validate_port};
use crate::domain::monitor::ValidationError;

/// Largest UDP payload over IPv4.
pub const MAX_PAYLOAD: usize = 65_507;

/// Configuration of a `udp` monitor.
///
/// - With `payload_hex` or `expect_hex` set, a reply is required: UP when one arrives
///   within the timeout (and contains the `expect_hex` bytes, when set); DOWN on silence,
///   on a wrong reply, or when the host reports the port unreachable (ICMP).
/// - With neither, the check sends an empty datagram and is UP unless the host reports the
///   port unreachable: many UDP services (syslog, StatsD) never answer, so silence is the
///   healthy case there, and the message says so ("no reply").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct UdpConfig {
    pub host: String,
    pub port: u16,
    /// Bytes to send, as hex (`"68656c6c6f"`; blanks and `:` between bytes are allowed).
    pub payload_hex: String,
    /// Bytes the reply must contain, as hex.
    pub expect_hex: String,
}

impl UdpConfig {
    pub fn payload(&self) -> Vec<u8> {
        decode_hex(&self.payload_hex).unwrap_or_default()
    }

    pub fn expected(&self) -> Vec<u8> {
        decode_hex(&self.expect_hex).unwrap_or_default()
    }

    /// Whether silence is a failure.
    pub fn reply_required(&self) -> bool {
        !self.payload_hex.trim().is_empty() || !self.expect_hex.trim().is_empty()
    }

    pub(crate) fn validate(&self) -> Result<(), ValidationError> {
        validate_host("config.host", &self.host, false)?;
        validate_port("config.port", self.port)?;
        match decode_hex(&self.payload_hex) {
            Err(e) => return Err(ValidationError::new("config.payload_hex", e)),
            Ok(p) if p.len() > MAX_PAYLOAD => {
                return Err(ValidationError::new("config.payload_hex", format!("must be at most {MAX_PAYLOAD} bytes")));
            }
            Ok(_) => {}
        }
        match decode_hex(&self.expect_hex) {
            Err(e) => Err(ValidationError::new("config.expect_hex", e)),
            Ok(p) if p.len() > MAX_PAYLOAD => {
                Err(ValidationError::new("config.expect_hex", format!("must be at most {MAX_PAYLOAD} bytes")))
            }
            Ok(_) => Ok(()),
        }
    }
}

/// Hex text to bytes; blanks and `:` may separate bytes.
pub fn decode_hex(text: &str) -> Result<Vec<u8>, String> {
    let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace() && *b != b':').collect();
    if !digits.len().is_multiple_of(2) {
        return Err("must be hex with two digits per byte (an odd number of digits was given)".into());
    }
    digits
        .chunks(2)
        .map(|pair| {
            let s = std::str::from_utf8(pair).map_err(|_| "must be hex digits (0-9, a-f)".to_string())?;
            u8::from_str_radix(s, 16).map_err(|_| format!("must be hex digits (0-9, a-f); \"{s}\" is not"))
        })
        .collect()
}

/// Bytes as lower-case hex, for messages.
pub fn encode_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::MonitorConfig;

    #[test]
    fn hex_accepts_separators_and_rejects_odd_or_non_hex_text() {
        assert_eq!(decode_hex("de:ad BE ef").unwrap(), vec![0xde, 0xad, 0xbe, 0xef]);
        assert_eq!(decode_hex("").unwrap(), Vec::<u8>::new());
        assert!(decode_hex("abc").is_err());
        assert!(decode_hex("zz").is_err());
        assert_eq!(encode_hex(&[0, 255]), "00ff");
    }

    #[test]
    fn a_reply_is_required_once_a_payload_or_expectation_is_set() {
        let c = |j: &str| match MonitorConfig::parse("udp", j).unwrap() {
            MonitorConfig::Udp(c) => c,
            _ => panic!("wrong variant"),
        };
        assert!(!c(r#"{"host":"::1","port":514}"#).reply_required());
        assert!(c(r#"{"host":"::1","port":53,"payload_hex":"00"}"#).reply_required());
        assert!(c(r#"{"host":"::1","port":53,"expect_hex":"00"}"#).reply_required());
    }

    #[test]
    fn udp_rejects_bad_fields_by_name() {
        for (config, field) in [
            (r#"{"host":"","port":1}"#, "config.host"),
            (r#"{"host":"::1"}"#, "config.port"),
            (r#"{"host":"::1","port":1,"payload_hex":"xyz"}"#, "config.payload_hex"),
            (r#"{"host":"::1","port":1,"expect_hex":"0"}"#, "config.expect_hex"),
        ] {
            assert_eq!(MonitorConfig::parse("udp", config).unwrap_err().field, field, "{config}");
        }
    }
}

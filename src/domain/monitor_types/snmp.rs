//! `snmp`: GET one OID from an agent and optionally compare its value (Peekaping's keys).
//!
//! SNMP v3 needs a user and keys that Peekaping's configuration has no fields for, so v3
//! is refused with a validation error until those fields exist.

use serde::{Deserialize, Serialize};

use crate::domain::monitor::ValidationError;

pub const SNMP_VERSIONS: &[&str] = &["v1", "v2c"];
pub const SNMP_OPERATORS: &[&str] = &["eq", "ne", "lt", "gt", "le", "ge"];

/// Configuration of an `snmp` monitor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SnmpConfig {
    pub host: String,
    pub port: u16,
    pub community: String,
    pub snmp_version: String,
    /// Numeric OID, e.g. `1.3.6.1.2.1.1.1.0` (sysDescr.0).
    pub oid: String,
    /// `$` (or empty) compares the value itself; another path reads into a value that
    /// holds JSON (gjson syntax, `$.` prefix allowed).
    pub json_path: String,
    pub json_path_operator: String,
    /// Empty: any value is UP.
    pub expected_value: String,
}

impl Default for SnmpConfig {
    fn default() -> Self {
        Self {
            host: String::new(),
            port: 161,
            community: "public".into(),
            snmp_version: "v2c".into(),
            oid: String::new(),
            json_path: "$".into(),
            json_path_operator: "eq".into(),
            expected_value: String::new(),
        }
    }
}

impl SnmpConfig {
    /// The OID's arcs.
    pub fn oid_arcs(&self) -> Result<Vec<u64>, String> {
        let s = self.oid.trim().trim_start_matches('.');
        let arcs: Vec<u64> = s
            .split('.')
            .map(|p| {
                p.parse::<u64>().map_err(|_| format!("\"{}\" is not a numeric OID like 1.3.6.1.2.1.1.1.0", self.oid))
            })
            .collect::<Result<_, _>>()?;
        if arcs.len() < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39) || arcs.len() > 128 {
            return Err(format!("\"{}\" is not a valid OID", self.oid));
        }
        Ok(arcs)
    }

    /// The operator, `eq` when empty.
    pub fn operator(&self) -> &str {
        match self.json_path_operator.trim() {
            "" => "eq",
            o => o,
        }
    }

    pub(crate) fn validate(&self) -> Result<(), ValidationError> {
        let err = |f: &str, m: String| Err(ValidationError::new(format!("config.{f}"), m));
        if !super::mqtt::is_host(self.host.trim()) {
            return err("host", "must be a host name or IP address".into());
        }
        if self.port == 0 {
            return err("port", "must be between 1 and 65535".into());
        }
        match self.snmp_version.as_str() {
            "v1" | "v2c" => {}
            "v3" => {
                return err(
                    "snmp_version",
                    "SNMP v3 is not supported yet (its user and key fields do not exist in the configuration); use v1 or v2c".into(),
                );
            }
            _ => return err("snmp_version", "must be v1 or v2c".into()),
        }
        if self.community.is_empty() {
            return err("community", "is required (often \"public\")".into());
        }
        if self.community.len() > 255 {
            return err("community", "is longer than 255 characters".into());
        }
        if let Err(e) = self.oid_arcs() {
            return err("oid", e);
        }
        if !SNMP_OPERATORS.contains(&self.operator()) {
            return err("json_path_operator", format!("must be one of {}", SNMP_OPERATORS.join(", ")));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::MonitorConfig;

    fn field(c: &str) -> String {
        MonitorConfig::parse("snmp", c).unwrap_err().field
    }

    #[test]
    fn snmp_parses_peekaping_keys() {
        let c = r#"{"host":"127.0.0.1","port":1161,"community":"public","snmp_version":"v2c","oid":".1.3.6.1.2.1.1.3.0",
            "json_path":"$","json_path_operator":"gt","expected_value":"0"}"#;
        let MonitorConfig::Snmp(s) = MonitorConfig::parse("snmp", c).unwrap() else { panic!("wrong variant") };
        assert_eq!(s.oid_arcs().unwrap(), vec![1, 3, 6, 1, 2, 1, 1, 3, 0]);
    }

    #[test]
    fn snmp_rejects_bad_fields_and_v3_by_name() {
        assert_eq!(field(r#"{"host":"h","oid":"1.3.6","snmp_version":"v3"}"#), "config.snmp_version");
        assert_eq!(field(r#"{"host":"h","oid":"sysDescr"}"#), "config.oid");
        assert_eq!(field(r#"{"host":"","oid":"1.3.6"}"#), "config.host");
        assert_eq!(field(r#"{"host":"h","oid":"1.3.6","community":""}"#), "config.community");
        assert_eq!(field(r#"{"host":"h","oid":"1.3.6","json_path_operator":"=="}"#), "config.json_path_operator");
    }
}

//! `mongodb`: run a database command on a MongoDB server (Peekaping's keys).
//!
//! `command` is a JSON object (MongoDB extended JSON accepted), `{"ping":1}` when empty;
//! it runs on the connection string's database (`admin` when it names none). With a
//! `jsonPath` (gjson syntax), the reply's value there must equal `expectedValue`.

use serde::{Deserialize, Serialize};

use crate::domain::monitor::ValidationError;

pub const DEFAULT_COMMAND: &str = r#"{"ping":1}"#;

/// Configuration of a `mongodb` monitor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MongodbConfig {
    pub connection_string: String,
    pub command: String,
    pub json_path: String,
    pub expected_value: String,
}

impl MongodbConfig {
    pub fn command_text(&self) -> &str {
        match self.command.trim() {
            "" => DEFAULT_COMMAND,
            c => c,
        }
    }

    /// The command as a BSON document, in the order written (the command name first).
    pub fn command_document(&self) -> Result<mongodb::bson::Document, String> {
        let value: serde_json::Value =
            serde_json::from_str(self.command_text()).map_err(|e| format!("is not valid JSON: {e}"))?;
        if !value.is_object() {
            return Err("must be a JSON object such as {\"ping\":1}".into());
        }
        match mongodb::bson::Bson::try_from(value) {
            Ok(mongodb::bson::Bson::Document(d)) if !d.is_empty() => Ok(d),
            Ok(_) => Err("must name a command, such as {\"ping\":1}".into()),
            Err(e) => Err(format!("is not valid MongoDB extended JSON: {e}")),
        }
    }

    pub(crate) fn validate(&self) -> Result<(), ValidationError> {
        let err = |f: &str, m: String| Err(ValidationError::new(format!("config.{f}"), m));
        let s = self.connection_string.trim();
        if s.is_empty() {
            return err("connectionString", "is required".into());
        }
        if !s.starts_with("mongodb://") && !s.starts_with("mongodb+srv://") {
            return err(
                "connectionString",
                "must start with mongodb:// or mongodb+srv:// (mongodb://user:password@host:27017/admin)".into(),
            );
        }
        if let Err(e) = mongodb::options::ConnectionString::parse(s) {
            let why = super::connection_string::hide(&e.to_string(), &super::connection_string::passwords_in(s));
            return err("connectionString", format!("is not a valid MongoDB connection string: {why}"));
        }
        if let Err(e) = self.command_document() {
            return err("command", e);
        }
        if !self.json_path.trim().is_empty() && self.expected_value.trim().is_empty() {
            return err("expectedValue", "is required when jsonPath is set".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::MonitorConfig;

    fn field(config: &str) -> String {
        MonitorConfig::parse("mongodb", config).unwrap_err().field
    }

    #[test]
    fn mongodb_defaults_to_ping_and_keeps_the_command_order() {
        let c = MonitorConfig::parse("mongodb", r#"{"connectionString":"mongodb://127.0.0.1:27017"}"#).unwrap();
        let MonitorConfig::Mongodb(m) = c else { panic!("wrong variant") };
        assert_eq!(m.command_document().unwrap().keys().next().map(String::as_str), Some("ping"));
        let m = MongodbConfig { command: r#"{"count":"users","query":{"a":1}}"#.into(), ..m };
        assert_eq!(m.command_document().unwrap().keys().next().map(String::as_str), Some("count"));
    }

    #[test]
    fn mongodb_rejects_bad_urls_commands_and_a_path_without_value() {
        assert_eq!(field(r#"{}"#), "config.connectionString");
        assert_eq!(field(r#"{"connectionString":"mysql://h"}"#), "config.connectionString");
        assert_eq!(field(r#"{"connectionString":"mongodb://h:99999"}"#), "config.connectionString");
        assert_eq!(field(r#"{"connectionString":"mongodb://h","command":"{ping:1"}"#), "config.command");
        assert_eq!(field(r#"{"connectionString":"mongodb://h","command":"[1]"}"#), "config.command");
        assert_eq!(field(r#"{"connectionString":"mongodb://h","command":"{}"}"#), "config.command");
        assert_eq!(field(r#"{"connectionString":"mongodb://h","jsonPath":"ok"}"#), "config.expectedValue");
    }
}

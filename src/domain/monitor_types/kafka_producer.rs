//! `kafka-producer`: produce one message to a topic; UP when the partition leader
//! acknowledges it (Peekaping's keys).

use serde::{Deserialize, Serialize};

use crate::domain::monitor::ValidationError;

pub const KAFKA_SASL_MECHANISMS: &[&str] = &["None", "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"];
/// Kafka's own limit on topic names.
const MAX_TOPIC_LEN: usize = 249;

/// SASL settings; `mechanism` `None` (or empty) means no authentication.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KafkaSaslOptions {
    pub mechanism: String,
    pub username: String,
    pub password: String,
}

impl Default for KafkaSaslOptions {
    fn default() -> Self {
        Self { mechanism: "None".into(), username: String::new(), password: String::new() }
    }
}

impl KafkaSaslOptions {
    /// Whether SASL is on.
    pub fn enabled(&self) -> bool {
        !matches!(self.mechanism.trim(), "" | "None")
    }
}

/// Configuration of a `kafka-producer` monitor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KafkaProducerConfig {
    /// Bootstrap brokers as `host:port`.
    pub brokers: Vec<String>,
    pub topic: String,
    pub message: String,
    /// Let the broker create a missing topic (when the broker allows it). Off: a missing
    /// topic is DOWN without asking the broker for it, so it is never created.
    pub allow_auto_topic_creation: bool,
    pub ssl: bool,
    pub sasl_options: KafkaSaslOptions,
}

impl KafkaProducerConfig {
    pub(crate) fn validate(&self) -> Result<(), ValidationError> {
        let err = |f: &str, m: String| Err(ValidationError::new(format!("config.{f}"), m));
        if self.brokers.is_empty() {
            return err("brokers", "needs at least one broker as host:port".into());
        }
        for b in &self.brokers {
            let b = b.trim();
            let ok = b
                .rsplit_once(':')
                .is_some_and(|(h, p)| super::mqtt::is_host(h) && p.parse::<u16>().is_ok_and(|p| p > 0));
            if !ok {
                return err("brokers", format!("\"{b}\" is not host:port"));
            }
        }
        let topic = self.topic.trim();
        if topic.is_empty() {
            return err("topic", "is required".into());
        }
        if topic.len() > MAX_TOPIC_LEN
            || topic == "."
            || topic == ".."
            || !topic.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            return err("topic", "may use only letters, digits, '.', '_' and '-' (at most 249 characters)".into());
        }
        if self.message.trim().is_empty() {
            return err("message", "is required".into());
        }
        let sasl = &self.sasl_options;
        if !KAFKA_SASL_MECHANISMS.contains(&sasl.mechanism.trim()) && !sasl.mechanism.trim().is_empty() {
            return err("sasl_options.mechanism", format!("must be one of {}", KAFKA_SASL_MECHANISMS.join(", ")));
        }
        if sasl.enabled() {
            if sasl.username.is_empty() {
                return err("sasl_options.username", "is required when a SASL mechanism is set".into());
            }
            if sasl.password.is_empty() {
                return err("sasl_options.password", "is required when a SASL mechanism is set".into());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::MonitorConfig;

    fn field(c: &str) -> String {
        MonitorConfig::parse("kafka-producer", c).unwrap_err().field
    }

    #[test]
    fn kafka_accepts_peekaping_keys() {
        let c = r#"{"brokers":["127.0.0.1:9092"],"topic":"health","message":"ping","allow_auto_topic_creation":true,
            "ssl":false,"sasl_options":{"mechanism":"SCRAM-SHA-256","username":"u","password":"p"}}"#;
        assert!(MonitorConfig::parse("kafka-producer", c).is_ok());
    }

    #[test]
    fn kafka_rejects_bad_fields_by_name() {
        assert_eq!(field(r#"{"brokers":[],"topic":"t","message":"m"}"#), "config.brokers");
        assert_eq!(field(r#"{"brokers":["kafka"],"topic":"t","message":"m"}"#), "config.brokers");
        assert_eq!(field(r#"{"brokers":["k:9092"],"topic":"a b","message":"m"}"#), "config.topic");
        assert_eq!(field(r#"{"brokers":["k:9092"],"topic":"t","message":""}"#), "config.message");
        assert_eq!(
            field(r#"{"brokers":["k:9092"],"topic":"t","message":"m","sasl_options":{"mechanism":"GSSAPI"}}"#),
            "config.sasl_options.mechanism"
        );
        assert_eq!(
            field(
                r#"{"brokers":["k:9092"],"topic":"t","message":"m","sasl_options":{"mechanism":"PLAIN","password":"p"}}"#
            ),
            "config.sasl_options.username"
        );
    }
}

//! The per-type configuration of a monitor (Peekaping's `config` JSON string), typed.
//!
//! One variant per monitor type; the worker's check registry (`worker::checks`) has one
//! check per variant. Field names are Peekaping's so its clients keep working. Unknown
//! fields are tolerated (and kept in the stored string) because Peekaping's web app may
//! send fields of newer versions; every field we use is validated with a message that
//! names it as `config.<field>`.

use super::monitor::ValidationError;
pub use super::monitor_types::docker::DockerConfig;
pub use super::monitor_types::group::GroupConfig;
pub use super::monitor_types::grpc_keyword::GrpcKeywordConfig;
use super::monitor_types::http::HttpMode;
pub use super::monitor_types::http::{HeadersField, HttpConfig};
pub use super::monitor_types::kafka_producer::{KafkaProducerConfig, KafkaSaslOptions};
pub use super::monitor_types::mongodb::MongodbConfig;
pub use super::monitor_types::mqtt::MqttConfig;
pub use super::monitor_types::mysql::MysqlConfig;
pub use super::monitor_types::postgres::PostgresConfig;
pub use super::monitor_types::push::PushConfig;
pub use super::monitor_types::rabbitmq::RabbitMqConfig;
pub use super::monitor_types::redis::RedisConfig;
pub use super::monitor_types::snmp::SnmpConfig;
pub use super::monitor_types::sqlserver::SqlServerConfig;
pub use super::monitor_types::tcp::TcpConfig;
pub use super::monitor_types::{
    dns::DnsConfig, ping::PingConfig, smtp::SmtpConfig, tls::TlsConfig, udp::UdpConfig, websocket::WebsocketConfig,
};

/// Every monitor type this build can check, in the order the UI lists them.
pub const SUPPORTED_TYPES: &[&str] = &[
    "http",
    "http-keyword",
    "http-json-query",
    "tcp",
    "push",
    "group",
    "ping",
    "dns",
    "tls",
    "smtp",
    "udp",
    "websocket",
    "docker",
    "grpc-keyword",
    "snmp",
    "mqtt",
    "rabbitmq",
    "kafka-producer",
    "postgres",
    "mysql",
    "sqlserver",
    "mongodb",
    "redis",
];

/// The typed configuration of one monitor.
#[derive(Clone, Debug, PartialEq)]
pub enum MonitorConfig {
    Http(HttpConfig),
    HttpKeyword(HttpConfig),
    HttpJsonQuery(HttpConfig),
    Tcp(TcpConfig),
    Push(PushConfig),
    Group(GroupConfig),
    Ping(PingConfig),
    Dns(DnsConfig),
    Tls(TlsConfig),
    Smtp(SmtpConfig),
    Udp(UdpConfig),
    Websocket(WebsocketConfig),
    Docker(DockerConfig),
    GrpcKeyword(GrpcKeywordConfig),
    Snmp(SnmpConfig),
    Mqtt(MqttConfig),
    RabbitMq(RabbitMqConfig),
    KafkaProducer(KafkaProducerConfig),
    Postgres(PostgresConfig),
    Mysql(MysqlConfig),
    SqlServer(SqlServerConfig),
    Mongodb(MongodbConfig),
    Redis(RedisConfig),
}

impl MonitorConfig {
    /// Parses and validates `config` for the monitor type `kind`.
    pub fn parse(kind: &str, config: &str) -> Result<Self, ValidationError> {
        let raw = if config.trim().is_empty() { "{}" } else { config };
        let value: serde_json::Value =
            serde_json::from_str(raw).map_err(|e| ValidationError::new("config", format!("is not valid JSON: {e}")))?;
        if !value.is_object() {
            return Err(ValidationError::new("config", "must be a JSON object"));
        }
        let parsed = match kind {
            "http" => Self::Http(typed(value)?),
            "http-keyword" => Self::HttpKeyword(typed(value)?),
            "http-json-query" => Self::HttpJsonQuery(typed(value)?),
            "tcp" => Self::Tcp(typed(value)?),
            "push" => Self::Push(typed(value)?),
            "group" => Self::Group(typed(value)?),
            "ping" => Self::Ping(typed(value)?),
            "dns" => Self::Dns(typed(value)?),
            "tls" => Self::Tls(typed(value)?),
            "smtp" => Self::Smtp(typed(value)?),
            "udp" => Self::Udp(typed(value)?),
            "websocket" => Self::Websocket(typed(value)?),
            "docker" => Self::Docker(typed(value)?),
            "grpc-keyword" => Self::GrpcKeyword(typed(value)?),
            "snmp" => Self::Snmp(typed(value)?),
            "mqtt" => Self::Mqtt(typed(value)?),
            "rabbitmq" => Self::RabbitMq(typed(value)?),
            "kafka-producer" => Self::KafkaProducer(typed(value)?),
            "postgres" => Self::Postgres(typed(value)?),
            "mysql" => Self::Mysql(typed(value)?),
            "sqlserver" => Self::SqlServer(typed(value)?),
            "mongodb" => Self::Mongodb(typed(value)?),
            "redis" => Self::Redis(typed(value)?),
            other => {
                return Err(ValidationError::new(
                    "type",
                    format!(
                        "\"{other}\" is not a monitor type this server supports (supported: {})",
                        SUPPORTED_TYPES.join(", ")
                    ),
                ));
            }
        };
        parsed.validate()?;
        Ok(parsed)
    }

    /// The monitor type string (`http`, `tcp`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Http(_) => "http",
            Self::HttpKeyword(_) => "http-keyword",
            Self::HttpJsonQuery(_) => "http-json-query",
            Self::Tcp(_) => "tcp",
            Self::Push(_) => "push",
            Self::Group(_) => "group",
            Self::Ping(_) => "ping",
            Self::Dns(_) => "dns",
            Self::Tls(_) => "tls",
            Self::Smtp(_) => "smtp",
            Self::Udp(_) => "udp",
            Self::Websocket(_) => "websocket",
            Self::Docker(_) => "docker",
            Self::GrpcKeyword(_) => "grpc-keyword",
            Self::Snmp(_) => "snmp",
            Self::Mqtt(_) => "mqtt",
            Self::RabbitMq(_) => "rabbitmq",
            Self::KafkaProducer(_) => "kafka-producer",
            Self::Postgres(_) => "postgres",
            Self::Mysql(_) => "mysql",
            Self::SqlServer(_) => "sqlserver",
            Self::Mongodb(_) => "mongodb",
            Self::Redis(_) => "redis",
        }
    }

    /// Whether the producer schedules checks for it on the worker (push monitors are
    /// checked against their deadline instead, still through the worker's registry).
    pub fn is_passive(&self) -> bool {
        matches!(self, Self::Push(_))
    }

    fn validate(&self) -> Result<(), ValidationError> {
        match self {
            Self::Http(c) => c.validate(HttpMode::Plain),
            Self::HttpKeyword(c) => c.validate(HttpMode::Keyword),
            Self::HttpJsonQuery(c) => c.validate(HttpMode::JsonQuery),
            Self::Tcp(c) => c.validate(),
            Self::Push(c) => c.validate(),
            Self::Group(_) => Ok(()),
            Self::Ping(c) => c.validate(),
            Self::Dns(c) => c.validate(),
            Self::Tls(c) => c.validate(),
            Self::Smtp(c) => c.validate(),
            Self::Udp(c) => c.validate(),
            Self::Websocket(c) => c.validate(),
            Self::Docker(c) => c.validate(),
            Self::GrpcKeyword(c) => c.validate(),
            Self::Snmp(c) => c.validate(),
            Self::Mqtt(c) => c.validate(),
            Self::RabbitMq(c) => c.validate(),
            Self::KafkaProducer(c) => c.validate(),
            Self::Postgres(c) => c.validate(),
            Self::Mysql(c) => c.validate(),
            Self::SqlServer(c) => c.validate(),
            Self::Mongodb(c) => c.validate(),
            Self::Redis(c) => c.validate(),
        }
    }
}

/// Deserialises a config value, naming the offending field (`config.port`) on error so
/// the UI can point at it.
pub(crate) fn typed<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> Result<T, ValidationError> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        let field = if path.is_empty() || path == "." {
            // "missing field `port`" names the field only in the message.
            inner
                .strip_prefix("missing field `")
                .and_then(|r| r.split('`').next())
                .map(|f| format!("config.{f}"))
                .unwrap_or_else(|| "config".to_string())
        } else {
            format!("config.{path}")
        };
        ValidationError::new(field, inner)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_config_parses_peekaping_field_names() {
        let c = MonitorConfig::parse(
            "http",
            r#"{"url":"https://example.com/health","method":"post","headers":"{\"X-A\":\"1\"}",
                "encoding":"json","body":"{\"a\":1}","accepted_statuscodes":["2XX","301"],
                "max_redirects":0,"ignore_tls_errors":true,"authMethod":"basic",
                "basic_auth_user":"u","basic_auth_pass":"p","someFutureField":1}"#,
        )
        .unwrap();
        let MonitorConfig::Http(h) = c else { panic!("wrong variant") };
        assert_eq!(h.method_upper(), "POST");
        assert_eq!(h.header_pairs().unwrap(), vec![("X-A".to_string(), "1".to_string())]);
        assert_eq!(h.max_redirects, 0);
        assert!(h.ignore_tls_errors);
    }

    #[test]
    fn unknown_type_is_rejected_on_the_type_field() {
        let e = MonitorConfig::parse("gopher", "{}").unwrap_err();
        assert_eq!(e.field, "type");
    }

    #[test]
    fn bad_url_names_config_url() {
        let e = MonitorConfig::parse("http", r#"{"url":"ftp://x"}"#).unwrap_err();
        assert_eq!(e.field, "config.url");
        let e = MonitorConfig::parse("http", r#"{"url":"not a url"}"#).unwrap_err();
        assert_eq!(e.field, "config.url");
    }

    #[test]
    fn keyword_monitor_requires_a_keyword() {
        let e = MonitorConfig::parse("http-keyword", r#"{"url":"http://a"}"#).unwrap_err();
        assert_eq!(e.field, "config.keyword");
    }

    #[test]
    fn json_query_monitor_requires_expected_value_and_known_operator() {
        let e = MonitorConfig::parse("http-json-query", r#"{"url":"http://a","json_query":"a"}"#).unwrap_err();
        assert_eq!(e.field, "config.expected_value");
        let e = MonitorConfig::parse(
            "http-json-query",
            r#"{"url":"http://a","json_query":"a","json_condition":"~","expected_value":"1"}"#,
        )
        .unwrap_err();
        assert_eq!(e.field, "config.json_condition");
    }

    #[test]
    fn bad_status_code_rule_names_the_field() {
        let e = MonitorConfig::parse("http", r#"{"url":"http://a","accepted_statuscodes":["2XX","abc"]}"#).unwrap_err();
        assert_eq!(e.field, "config.accepted_statuscodes");
    }

    #[test]
    fn tcp_needs_host_and_port() {
        assert!(MonitorConfig::parse("tcp", r#"{"host":"127.0.0.1","port":22}"#).is_ok());
        let e = MonitorConfig::parse("tcp", r#"{"host":"127.0.0.1"}"#).unwrap_err();
        assert_eq!(e.field, "config.port");
        let e = MonitorConfig::parse("tcp", r#"{"host":"127.0.0.1","port":0}"#).unwrap_err();
        assert_eq!(e.field, "config.port");
        let e = MonitorConfig::parse("tcp", r#"{"host":"127.0.0.1","port":70000}"#).unwrap_err();
        assert_eq!(e.field, "config.port");
    }

    #[test]
    fn config_must_be_a_json_object() {
        assert_eq!(MonitorConfig::parse("tcp", "[1]").unwrap_err().field, "config");
        assert_eq!(MonitorConfig::parse("tcp", "{").unwrap_err().field, "config");
    }

    #[test]
    fn json_body_is_validated_when_encoding_is_json() {
        let e = MonitorConfig::parse("http", r#"{"url":"http://a","body":"{nope"}"#).unwrap_err();
        assert_eq!(e.field, "config.body");
        assert!(MonitorConfig::parse("http", r#"{"url":"http://a","encoding":"text","body":"{nope"}"#).is_ok());
    }
}

//! `kafka-producer`: produce one message to partition 0 of the topic with rskafka (pure
//! Rust, TLS through rustls/ring); UP when the partition leader acknowledges it.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use rskafka::BackoffConfig;
use rskafka::client::partition::{Compression, UnknownTopicHandling};
use rskafka::client::{ClientBuilder, Credentials, SaslConfig};
use rskafka::record::Record;

use super::{Check, CheckContext, Observation, elapsed_us, root_cause};
use crate::domain::MonitorConfig;
use crate::domain::check::CheckJob;
use crate::domain::monitor_config::KafkaProducerConfig;
use crate::worker::tls::TlsOptions;

pub struct KafkaProducerCheck;

#[async_trait]
impl Check for KafkaProducerCheck {
    async fn run(&self, job: &CheckJob, config: &MonitorConfig, ctx: &CheckContext) -> Option<Observation> {
        let MonitorConfig::KafkaProducer(c) = config else {
            return Some(Observation::down(None, "not a kafka-producer monitor"));
        };
        let window = Duration::from_millis(u64::from(job.monitor.timeout.max(1)) * 800);
        let brokers = c.brokers.iter().map(|b| b.trim()).collect::<Vec<_>>().join(", ");
        Some(match tokio::time::timeout(window, produce(c, window, ctx)).await {
            Ok(obs) => obs,
            Err(_) => Observation::down(
                None,
                format!("No acknowledgement from Kafka ({brokers}) within {:.1} s", window.as_secs_f32()),
            ),
        })
    }
}

async fn produce(c: &KafkaProducerConfig, window: Duration, ctx: &CheckContext) -> Observation {
    let brokers: Vec<String> = c.brokers.iter().map(|b| b.trim().to_string()).collect();
    let topic = c.topic.trim();
    // rskafka retries with backoff; the deadline turns "retry forever" into an error that
    // says what failed last.
    let backoff = BackoffConfig {
        init_backoff: Duration::from_millis(50),
        max_backoff: Duration::from_millis(500),
        base: 2.0,
        deadline: Some(window.mul_f32(0.9)),
    };
    let mut builder = ClientBuilder::new(brokers.clone())
        .client_id(format!("peekaping/{}", crate::VERSION))
        .max_message_size(ctx.max_body_bytes.clamp(1024 * 1024, 256 * 1024 * 1024))
        .backoff_config(backoff);
    if c.ssl {
        match ctx.http.tls().client_config(&TlsOptions::default()) {
            Ok(mut tls) => {
                tls.alpn_protocols.clear();
                builder = builder.tls_config(Arc::new(tls));
            }
            Err(e) => return Observation::down(None, format!("TLS setup failed: {e}")),
        }
    }
    if c.sasl_options.enabled() {
        let creds = Credentials::new(c.sasl_options.username.clone(), c.sasl_options.password.clone());
        builder = builder.sasl_config(match c.sasl_options.mechanism.trim() {
            "SCRAM-SHA-256" => SaslConfig::ScramSha256(creds),
            "SCRAM-SHA-512" => SaslConfig::ScramSha512(creds),
            _ => SaslConfig::Plain(creds),
        });
    }
    let start = Instant::now();
    let client = match builder.build().await {
        Ok(client) => client,
        Err(e) => {
            let why = describe(&e);
            // rskafka reports SASL failures by error name, possibly inside a retry wrapper.
            let why = if why.contains("SaslAuthenticationFailed") {
                "SASL authentication failed: the broker rejected the username or password".to_string()
            } else if why.contains("UnsupportedSaslMechanism") {
                format!("SASL mechanism {} is not enabled on the broker", c.sasl_options.mechanism.trim())
            } else {
                why
            };
            return Observation::down(None, format!("Cannot reach Kafka ({}): {why}", brokers.join(", ")));
        }
    };
    if !c.allow_auto_topic_creation {
        // Listing all topics never creates one; asking for this topic by name could.
        match client.list_topics().await {
            Ok(topics) if topics.iter().any(|t| t.name == topic) => {}
            Ok(_) => {
                return Observation::down(
                    None,
                    format!("Topic \"{topic}\" does not exist (allow_auto_topic_creation is off)"),
                );
            }
            Err(e) => return Observation::down(None, format!("Listing topics failed: {}", describe(&e))),
        }
    }
    let handling = if c.allow_auto_topic_creation { UnknownTopicHandling::Retry } else { UnknownTopicHandling::Error };
    let partition = match client.partition_client(topic, 0, handling).await {
        Ok(p) => p,
        Err(e) => return Observation::down(None, format!("No leader for \"{topic}\" partition 0: {}", describe(&e))),
    };
    let record = Record {
        key: None,
        value: Some(c.message.as_bytes().to_vec()),
        headers: BTreeMap::new(),
        timestamp: chrono::Utc::now(),
    };
    match partition.produce(vec![record], Compression::NoCompression).await {
        Ok(offsets) => Observation::up(
            Some(elapsed_us(start)),
            format!(
                "Message sent to \"{topic}\" (partition 0, offset {})",
                offsets.first().map(i64::to_string).unwrap_or_else(|| "?".into())
            ),
        ),
        Err(e) => Observation::down(None, format!("Producing to \"{topic}\" failed: {}", describe(&e))),
    }
}

/// A broker error by its protocol name (with the broker's message), a connection error by
/// its broker and innermost cause, through rskafka's retry wrappers.
fn describe(e: &rskafka::client::error::Error) -> String {
    use rskafka::client::error::Error;
    match e {
        Error::ServerError { protocol_error, error_message, .. } => match error_message {
            Some(m) if !m.is_empty() => format!("broker error {protocol_error}: {m}"),
            _ => format!("broker error {protocol_error}"),
        },
        Error::Connection(c) => describe_connection(c),
        Error::RetryFailed(b) => describe_backoff(b),
        other => root_cause(other),
    }
}

fn describe_connection(e: &rskafka::ConnectionError) -> String {
    use rskafka::ConnectionError as E;
    match e {
        E::Transport { broker, error } => format!("{broker}: {}", root_cause(error)),
        E::RetryFailed(b) => describe_backoff(b),
        E::SaslFailed(s) => format!("SASL authentication failed: {}", root_cause(s)),
        other => root_cause(other),
    }
}

fn describe_backoff(e: &rskafka::BackoffError) -> String {
    let rskafka::BackoffError::DeadlineExceded { source, .. } = e;
    let source: &(dyn std::error::Error + 'static) = &**source;
    if let Some(c) = source.downcast_ref::<rskafka::client::error::Error>() {
        describe(c)
    } else if let Some(c) = source.downcast_ref::<rskafka::ConnectionError>() {
        describe_connection(c)
    } else {
        root_cause(source)
    }
}

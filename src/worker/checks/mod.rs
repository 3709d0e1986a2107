//! The check registry: one file per monitor type, all of the same shape, one line each
//! in `check_for`. Adding a type touches its file, the line below, its variant of
//! `domain::MonitorConfig` and its form in the web UI.

mod database;
mod dns;
mod docker;
mod group;
mod grpc_keyword;
mod http;
mod kafka_producer;
mod mongodb;
mod mqtt;
mod mysql;
mod ping;
mod postgres;
mod push;
mod rabbitmq;
mod redis;
mod smtp;
mod snmp;
mod sqlserver;
mod tcp;
mod tls;
mod udp;
mod websocket;

pub use ping::IcmpClients;

use std::sync::Arc;

use async_trait::async_trait;

use crate::domain::check::CheckJob;
use crate::domain::{MonitorConfig, MonitorStatus, TlsInfo};

use super::http_clients::HttpClients;

/// What one run of a check observed.
#[derive(Clone, Debug, PartialEq)]
pub struct Observation {
    pub status: MonitorStatus,
    pub ping_us: Option<u64>,
    pub msg: String,
    pub tls: Option<TlsInfo>,
}

impl Observation {
    pub fn up(ping_us: Option<u64>, msg: impl Into<String>) -> Self {
        Self { status: MonitorStatus::Up, ping_us, msg: msg.into(), tls: None }
    }

    pub fn down(ping_us: Option<u64>, msg: impl Into<String>) -> Self {
        Self { status: MonitorStatus::Down, ping_us, msg: msg.into(), tls: None }
    }
}

/// Shared, long-lived resources checks may use.
pub struct CheckContext {
    pub http: Arc<HttpClients>,
    /// Largest response body a check reads (keyword and JSON checks); the rest is ignored.
    pub max_body_bytes: usize,
    /// ICMP sockets shared by every ping check (one per address family, opened lazily).
    pub icmp: IcmpClients,
}

/// One monitor type's check.
#[async_trait]
pub trait Check: Send + Sync {
    /// Runs once. `None` means there is nothing to record (a push monitor whose push
    /// arrived in time). The runner enforces the monitor's timeout around this call.
    async fn run(&self, job: &CheckJob, config: &MonitorConfig, ctx: &CheckContext) -> Option<Observation>;
}

/// The check for a monitor's type.
pub fn check_for(config: &MonitorConfig) -> &'static dyn Check {
    match config {
        MonitorConfig::Http(_) | MonitorConfig::HttpKeyword(_) | MonitorConfig::HttpJsonQuery(_) => &http::HttpCheck,
        MonitorConfig::Tcp(_) => &tcp::TcpCheck,
        MonitorConfig::Push(_) => &push::PushCheck,
        MonitorConfig::Group(_) => &group::GroupCheck,
        MonitorConfig::Ping(_) => &ping::PingCheck,
        MonitorConfig::Dns(_) => &dns::DnsCheck,
        MonitorConfig::Tls(_) => &tls::TlsCheck,
        MonitorConfig::Smtp(_) => &smtp::SmtpCheck,
        MonitorConfig::Udp(_) => &udp::UdpCheck,
        MonitorConfig::Websocket(_) => &websocket::WebsocketCheck,
        MonitorConfig::Docker(_) => &docker::DockerCheck,
        MonitorConfig::GrpcKeyword(_) => &grpc_keyword::GrpcKeywordCheck,
        MonitorConfig::Snmp(_) => &snmp::SnmpCheck,
        MonitorConfig::Mqtt(_) => &mqtt::MqttCheck,
        MonitorConfig::RabbitMq(_) => &rabbitmq::RabbitMqCheck,
        MonitorConfig::KafkaProducer(_) => &kafka_producer::KafkaProducerCheck,
        MonitorConfig::Postgres(_) => &postgres::PostgresCheck,
        MonitorConfig::Mysql(_) => &mysql::MysqlCheck,
        MonitorConfig::SqlServer(_) => &sqlserver::SqlServerCheck,
        MonitorConfig::Mongodb(_) => &mongodb::MongodbCheck,
        MonitorConfig::Redis(_) => &redis::RedisCheck,
    }
}

/// The innermost cause of an error chain: "connection refused", not "error sending request".
pub fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur: &(dyn std::error::Error + 'static) = e;
    let mut last = cur.to_string();
    while let Some(next) = cur.source() {
        let s = next.to_string();
        if !s.is_empty() {
            last = s;
        }
        cur = next;
    }
    last
}

pub(crate) fn elapsed_us(start: std::time::Instant) -> u64 {
    start.elapsed().as_micros().min(u128::from(u64::MAX)) as u64
}

/// When a check must be done: its monitor's timeout after it started. Each step of a
/// multi-step check runs against it, so a timeout says what was being waited for
/// ("waiting for the banner") rather than the runner's generic message.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Deadline {
    at: std::time::Instant,
    total: std::time::Duration,
}

impl Deadline {
    pub(crate) fn of(job: &CheckJob) -> Self {
        Self::after(std::time::Duration::from_secs(u64::from(job.monitor.timeout.max(1))))
    }

    pub(crate) fn after(total: std::time::Duration) -> Self {
        Self { at: std::time::Instant::now() + total, total }
    }

    pub(crate) fn remaining(&self) -> std::time::Duration {
        self.at.saturating_duration_since(std::time::Instant::now())
    }

    pub(crate) fn total(&self) -> std::time::Duration {
        self.total
    }

    /// `fut`, or "Timed out after N s waiting {what}" once the deadline passes.
    pub(crate) async fn run<T>(&self, what: &str, fut: impl std::future::Future<Output = T>) -> Result<T, String> {
        tokio::time::timeout_at(self.at.into(), fut)
            .await
            .map_err(|_| format!("Timed out after {} waiting {what}", seconds(self.total)))
    }
}

/// "2 s", "0.5 s".
pub(crate) fn seconds(d: std::time::Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 { format!("{s:.0} s") } else { format!("{} s", (s * 1000.0).round() / 1000.0) }
}

/// `host:port`, with IPv6 addresses in brackets.
pub(crate) fn host_port(host: &str, port: u16) -> String {
    let bare = crate::domain::monitor_types::host::bare_host(host);
    if bare.contains(':') { format!("[{bare}]:{port}") } else { format!("{bare}:{port}") }
}

/// A TCP connection to host:port (names resolved, IPv6 brackets allowed) before `deadline`.
pub(crate) async fn connect_tcp(host: &str, port: u16, deadline: Deadline) -> Result<tokio::net::TcpStream, String> {
    let bare = crate::domain::monitor_types::host::bare_host(host);
    let target = host_port(host, port);
    match deadline.run(&format!("to connect to {target}"), tokio::net::TcpStream::connect((bare, port))).await? {
        Ok(s) => Ok(s),
        Err(e) => Err(format!("Cannot connect to {target}: {e}")),
    }
}

/// The first address of host:port (an IP is used as is), resolved before `deadline`.
pub(crate) async fn resolve(host: &str, port: u16, deadline: Deadline) -> Result<std::net::SocketAddr, String> {
    let bare = crate::domain::monitor_types::host::bare_host(host);
    if let Ok(ip) = bare.parse::<std::net::IpAddr>() {
        return Ok(std::net::SocketAddr::new(ip, port));
    }
    let mut addrs = deadline
        .run(&format!("to resolve {bare}"), tokio::net::lookup_host((bare, port)))
        .await?
        .map_err(|e| format!("Cannot resolve {bare}: {e}"))?;
    addrs.next().ok_or_else(|| format!("Cannot resolve {bare}: no addresses"))
}

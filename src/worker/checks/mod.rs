//! The check registry: one file per monitor type, all of the same shape, one line each
//! in `check_for`. Adding a type touches its file, the line below, its variant of
//! `domain::MonitorConfig` and its form in the web UI.

mod group;
mod http;
mod push;
mod tcp;

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

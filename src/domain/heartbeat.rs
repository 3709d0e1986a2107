//! Heartbeats and the check outcomes they are made from.
//!
//! A `CheckOutcome` is what a worker (or a push) observed; it travels on the results queue.
//! The ingester runs it through the state machine (`domain::state`) to get a `Heartbeat`,
//! the record that is stored, charted and pushed to the browser.

use serde::{Deserialize, Serialize};

use super::{MonitorStatus, UnixMillis};

/// Where an outcome came from: a scheduled check, or a push to `/api/v1/push/:token`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum BeatOrigin {
    #[default]
    Check,
    Push,
}

/// The raw observation of one check run (or one push), before retries and importance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckOutcome {
    pub monitor_id: String,
    /// When the check started (Unix ms). With the monitor id, it identifies the outcome:
    /// a redelivered outcome carries the same pair and is ingested once.
    pub time: UnixMillis,
    pub status: MonitorStatus,
    /// Response time in microseconds, when the check measured one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ping_us: Option<u64>,
    pub msg: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsInfo>,
    #[serde(default)]
    pub origin: BeatOrigin,
}

/// One stored heartbeat of a monitor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Heartbeat {
    pub monitor_id: String,
    pub time: UnixMillis,
    pub status: MonitorStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ping_us: Option<u64>,
    pub msg: String,
    /// A status change worth listing as an event (see `domain::state`).
    pub important: bool,
    /// Whether this beat triggered a notification.
    pub notified: bool,
    /// Consecutive failed checks so far (drives PENDING while below `max_retries`).
    pub retries: u32,
    /// Consecutive DOWN beats since the last notification (drives `resend_interval`).
    pub down_count: u32,
    /// Milliseconds since the monitor's previous heartbeat (0 for the first).
    #[serde(default)]
    pub duration_ms: i64,
}

impl Heartbeat {
    /// Response time in milliseconds, as the API reports `ping`.
    pub fn ping_ms(&self) -> Option<f64> {
        self.ping_us.map(|us| us as f64 / 1000.0)
    }
}

/// TLS facts captured from an HTTPS (or TLS) check, served by `GET /monitors/:id/tls`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TlsInfo {
    /// Whether the chain verified against the trust roots for the requested host name.
    pub valid: bool,
    /// Why verification failed, when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Leaf first, then the intermediates in the order the server sent them.
    pub chain: Vec<CertificateInfo>,
    pub captured_at: UnixMillis,
}

impl TlsInfo {
    /// Days until the leaf certificate expires (negative once expired).
    pub fn days_remaining(&self) -> Option<i64> {
        self.chain.first().map(|c| c.days_remaining)
    }
}

/// One certificate of a captured chain.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CertificateInfo {
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    pub not_before: UnixMillis,
    pub not_after: UnixMillis,
    pub days_remaining: i64,
    pub fingerprint_sha1: String,
    pub fingerprint_sha256: String,
    pub sans: Vec<String>,
}

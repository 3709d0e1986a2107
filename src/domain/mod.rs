//! The domain: plain data and the rules of an uptime monitor. No I/O, no async.
//!
//! Everything here is deterministic and unit-tested in place: the status state machine,
//! retry and resend counting, rollup arithmetic, accepted-status-code matching and the
//! validation of monitors and their per-type configuration.

pub mod api_key;
pub mod check;
pub mod heartbeat;
pub mod json_query;
pub mod maintenance;
pub mod monitor;
pub mod monitor_config;
pub mod monitor_types;
pub mod notification;
pub mod proxy;
pub mod rollup;
pub mod state;
pub mod status;
pub mod status_codes;
pub mod status_page;
pub mod tag;
pub mod user;

pub use heartbeat::{CertificateInfo, CheckOutcome, Heartbeat, TlsInfo};
pub use monitor::{Monitor, MonitorDraft, MonitorPatch, ValidationError};
pub use monitor_config::MonitorConfig;
pub use status::MonitorStatus;

/// What secrets (notifier tokens, proxy passwords) look like in API reads. A client that
/// writes it back keeps the stored value.
pub const SECRET_MASK: &str = "********";

/// Milliseconds since the Unix epoch, the one time unit stored and passed between components.
pub type UnixMillis = i64;

/// Current wall-clock time in Unix milliseconds.
pub fn now_millis() -> UnixMillis {
    chrono::Utc::now().timestamp_millis()
}

/// Formats Unix milliseconds as RFC 3339 UTC with millisecond precision, as the API returns times.
pub fn format_millis(ms: UnixMillis) -> String {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

//! A check job: what the producer hands a worker for one run of one monitor.

use serde::{Deserialize, Serialize};

use super::monitor_types::group::ChildState;
use super::proxy::Proxy;
use super::{Monitor, UnixMillis};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckJob {
    /// A snapshot of the monitor (with its configuration) as of scheduling: workers need
    /// no database.
    pub monitor: Monitor,
    /// When the check was due (Unix ms). Start time minus this is the scheduling lag.
    pub scheduled_at: UnixMillis,
    /// Push monitors: when the latest push arrived, if ever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_push_at: Option<UnixMillis>,
    /// Group monitors: their children's current statuses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<ChildState>,
    /// The proxy the monitor's `proxy_id` names, as of scheduling (HTTP-family checks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<Proxy>,
    /// A maintenance window covers the monitor at the due time: the worker records a
    /// MAINTENANCE beat instead of running the check.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_maintenance: bool,
}

impl CheckJob {
    /// The queue message id: one job per monitor per due time.
    pub fn message_id(&self) -> String {
        format!("check:{}:{}", self.monitor.id, self.scheduled_at)
    }
}

//! The `ExposureStore` port: the reads behind what the server exposes outside the app,
//! Prometheus `/metrics` and public badges. Whole-fleet queries (one statement for every
//! monitor) so a scrape of 10,000 monitors is a handful of queries, not 30,000.

use std::collections::HashMap;

use async_trait::async_trait;

use super::StoreResult;
use crate::domain::rollup::{Granularity, RollupCounts};
use crate::domain::{MonitorStatus, UnixMillis};

/// The few fields of a monitor that metrics label and report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonitorSummary {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub active: bool,
    pub status: MonitorStatus,
}

#[async_trait]
pub trait ExposureStore: Send + Sync {
    /// Every monitor, by name.
    async fn monitor_summaries(&self) -> StoreResult<Vec<MonitorSummary>>;
    /// Per monitor id, the sum of its rollup buckets with `from <= bucket < to`
    /// (monitors without buckets are absent).
    async fn rollup_totals(
        &self,
        granularity: Granularity,
        from: UnixMillis,
        to: UnixMillis,
    ) -> StoreResult<HashMap<String, RollupCounts>>;
    /// Per monitor id, when its leaf certificate expires (monitors with TLS facts only).
    async fn certificate_expiries(&self) -> StoreResult<HashMap<String, UnixMillis>>;
    /// Whether a badge may be served: the monitor is active and on at least one published
    /// status page, listed directly or through a section that shows a tag it carries.
    async fn monitor_is_public(&self, monitor_id: &str) -> StoreResult<bool>;
}

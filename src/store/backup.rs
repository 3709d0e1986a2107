//! `BackupStore`: the few whole-instance reads and writes a backup needs besides the
//! per-aggregate ports (every setting, the raw rollup rows) and the online snapshot of
//! the database file.

use std::path::Path;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::{Setting, StoreResult};

/// One stored rollup bucket of one monitor, as a backup carries it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollupRow {
    pub monitor_id: String,
    /// `minutely`, `hourly` or `daily`.
    pub granularity: String,
    /// Start of the bucket, Unix seconds.
    pub bucket: i64,
    pub up: u64,
    pub down: u64,
    pub maintenance: u64,
    pub ping_sum_us: u64,
    pub ping_count: u64,
    pub ping_min_us: Option<u64>,
    pub ping_max_us: Option<u64>,
}

/// The granularities a `RollupRow` may name.
pub const ROLLUP_GRANULARITIES: &[&str] = &["minutely", "hourly", "daily"];

#[async_trait]
pub trait BackupStore: Send + Sync {
    /// Every setting, by key.
    async fn list_settings(&self) -> StoreResult<Vec<Setting>>;
    /// Every rollup bucket of every monitor, by monitor, granularity and bucket.
    async fn rollup_rows(&self) -> StoreResult<Vec<RollupRow>>;
    /// Replaces every rollup bucket with `rows` in one transaction (rows of unknown
    /// monitors are `InvalidReference` naming `rollups`).
    async fn replace_rollup_rows(&self, rows: &[RollupRow]) -> StoreResult<()>;
    /// Writes a consistent copy of the whole database to the new file `path` while the
    /// store keeps serving. Backends without a local file answer `Unavailable`.
    async fn snapshot_to(&self, path: &Path) -> StoreResult<()>;
}

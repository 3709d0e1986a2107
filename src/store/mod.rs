//! The `Store` port: durable state (monitors, heartbeats and their rollups, users,
//! settings, login throttling) behind small per-aggregate traits.
//!
//! Components depend on `dyn Store` only; `app.rs` picks the adapter (`sqlite` today,
//! `postgres` and `mongo` in the scale-out work). Every adapter must pass the generic
//! conformance suite in `tests/store_conformance.rs`. Adapters own their storage format:
//! the compact heartbeat encoding, message de-duplication and retention live behind
//! these traits, not in the callers.

use std::collections::HashMap;

use async_trait::async_trait;

use crate::domain::proxy::Proxy;
use crate::domain::rollup::{Granularity, RetentionPolicy, RollupCounts, RollupPoint};
use crate::domain::state::BeatState;
use crate::domain::user::User;
use crate::domain::{Heartbeat, Monitor, MonitorStatus, TlsInfo, UnixMillis};

pub mod api_keys;
pub mod backup;
pub mod exposure;
pub mod maintenances;
pub mod managed;
pub mod migrations;
pub mod notifications;
pub mod sqlite;
pub mod status_pages;
pub mod tags;

pub use api_keys::{ApiKeyStore, KeyUses};
pub use backup::{BackupStore, RollupRow};
pub use exposure::{ExposureStore, MonitorSummary};
pub use maintenances::{MaintenanceFilter, MaintenanceStore};
pub use managed::{ManagedKind, ManagedStore};
pub use notifications::{ChannelFilter, NotificationStore};
pub use status_pages::{StatusPageFilter, StatusPageStore, TagLabel};
pub use tags::{TagFilter, TagStore};

/// What can go wrong in a store, in terms callers can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken (a second admin, a duplicate push token…).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A referenced row does not exist (an unknown notification id, tag id, proxy id…).
    #[error("{field}: {message}")]
    InvalidReference { field: String, message: String },
    /// The storage cannot take writes right now (disk full, database locked too long).
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    #[error("storage error: {0}")]
    Backend(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Filters and paging of the monitor list (`GET /monitors`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MonitorFilter {
    /// Case-insensitive substring of the name (or of the URL/host in the config).
    pub q: Option<String>,
    pub active: Option<bool>,
    pub status: Option<MonitorStatus>,
    pub kind: Option<String>,
    /// Monitors carrying any of these tags.
    pub tag_ids: Vec<String>,
    /// Zero-based page number.
    pub page: u32,
    pub limit: u32,
}

/// One page of results and the number of all matches.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
}

/// Which heartbeats of one monitor to read (`GET /monitors/:id/heartbeats`).
#[derive(Clone, Debug, PartialEq)]
pub struct HeartbeatQuery {
    pub limit: u32,
    /// Zero-based page number.
    pub page: u32,
    pub important_only: bool,
    /// Oldest first instead of newest first.
    pub oldest_first: bool,
}

/// What the ingester writes in one transaction.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IngestBatch {
    /// New heartbeats, in time order per monitor. The monitor's `status` follows its last one.
    pub beats: Vec<Heartbeat>,
    /// The latest TLS facts per monitor id.
    pub tls: Vec<(String, TlsInfo)>,
}

/// Rows removed by a retention pass.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PruneReport {
    pub heartbeats: u64,
    pub rollups: u64,
}

#[async_trait]
pub trait MonitorStore: Send + Sync {
    /// Stores a new monitor with its notification and tag links.
    async fn insert_monitor(&self, monitor: &Monitor) -> StoreResult<()>;
    /// Replaces a monitor's fields and links; `NotFound` if it does not exist.
    async fn update_monitor(&self, monitor: &Monitor) -> StoreResult<()>;
    /// Deletes a monitor with its heartbeats, rollups and links. False if it did not exist.
    async fn delete_monitor(&self, id: &str) -> StoreResult<bool>;
    async fn monitor(&self, id: &str) -> StoreResult<Option<Monitor>>;
    async fn monitors_by_ids(&self, ids: &[String]) -> StoreResult<Vec<Monitor>>;
    async fn list_monitors(&self, filter: &MonitorFilter) -> StoreResult<Page<Monitor>>;
    /// Every active monitor: what the producer schedules at start.
    async fn active_monitors(&self) -> StoreResult<Vec<Monitor>>;
    async fn monitor_by_push_token(&self, token: &str) -> StoreResult<Option<Monitor>>;
    /// Records (or clears) the start of a push monitor's run.
    async fn set_run_started(&self, id: &str, at: Option<UnixMillis>) -> StoreResult<()>;
    /// The monitors whose `parent_id` is this group (without their links).
    async fn children(&self, parent_id: &str) -> StoreResult<Vec<Monitor>>;
    /// The monitors whose `depends_on` is `id`.
    async fn dependents(&self, id: &str) -> StoreResult<Vec<Monitor>>;
}

#[async_trait]
pub trait HeartbeatStore: Send + Sync {
    /// Writes a batch atomically. A beat whose (monitor, time) is already stored is
    /// skipped, and so are beats of monitors that no longer exist; rollups are updated
    /// only for the beats actually inserted, so a redelivered batch counts once.
    /// Returns, per beat, whether it was inserted.
    async fn ingest(&self, batch: &IngestBatch) -> StoreResult<Vec<bool>>;
    /// The latest heartbeat state of each listed monitor that has one.
    async fn latest_beat_states(&self, monitor_ids: &[String]) -> StoreResult<HashMap<String, BeatState>>;
    async fn heartbeats(&self, monitor_id: &str, query: &HeartbeatQuery) -> StoreResult<Vec<Heartbeat>>;
    /// The last `per_monitor` heartbeats of each monitor, oldest first.
    async fn latest_heartbeats(
        &self,
        monitor_ids: &[String],
        per_monitor: u32,
    ) -> StoreResult<HashMap<String, Vec<Heartbeat>>>;
    /// Rollup buckets with `from <= bucket < to`, oldest first.
    async fn rollup_points(
        &self,
        monitor_id: &str,
        granularity: Granularity,
        from: UnixMillis,
        to: UnixMillis,
    ) -> StoreResult<Vec<RollupPoint>>;
    /// The sum of the rollup buckets with `from <= bucket < to`.
    async fn rollup_total(
        &self,
        monitor_id: &str,
        granularity: Granularity,
        from: UnixMillis,
        to: UnixMillis,
    ) -> StoreResult<RollupCounts>;
    /// Deletes a monitor's heartbeats, rollups and TLS facts and sets it PENDING.
    async fn reset_monitor_data(&self, monitor_id: &str) -> StoreResult<()>;
    async fn tls_info(&self, monitor_id: &str) -> StoreResult<Option<TlsInfo>>;
    /// Deletes what the retention policy no longer keeps.
    async fn prune(&self, policy: &RetentionPolicy, now: UnixMillis) -> StoreResult<PruneReport>;
}

#[async_trait]
pub trait UserStore: Send + Sync {
    async fn user_count(&self) -> StoreResult<u64>;
    /// Creates the admin; `Conflict` if any user exists (checked atomically).
    async fn insert_first_user(&self, user: &User) -> StoreResult<()>;
    async fn user_by_email(&self, email: &str) -> StoreResult<Option<User>>;
    async fn user_by_id(&self, id: &str) -> StoreResult<Option<User>>;
    async fn update_user(&self, user: &User) -> StoreResult<()>;
    /// The first (admin) user, for `admin reset-password`.
    async fn first_user(&self) -> StoreResult<Option<User>>;
}

/// The type of a setting's value, as Peekaping's settings API names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingKind {
    String,
    Int,
    Bool,
    Json,
}

impl SettingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Int => "int",
            Self::Bool => "bool",
            Self::Json => "json",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "string" => Self::String,
            "int" => Self::Int,
            "bool" => Self::Bool,
            "json" => Self::Json,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Setting {
    pub key: String,
    pub value: String,
    pub kind: SettingKind,
    pub created_at: UnixMillis,
    pub updated_at: UnixMillis,
}

#[async_trait]
pub trait SettingStore: Send + Sync {
    async fn setting(&self, key: &str) -> StoreResult<Option<Setting>>;
    async fn put_setting(&self, setting: &Setting) -> StoreResult<()>;
    async fn delete_setting(&self, key: &str) -> StoreResult<bool>;
    /// Inserts `setting` unless the key exists; returns the stored one either way. Lets
    /// several replicas agree on generated values such as the JWT secrets.
    async fn setting_or_insert(&self, setting: &Setting) -> StoreResult<Setting>;
}

/// Failed-login bookkeeping for one `<ip>:<email>` key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginState {
    pub key: String,
    pub fail_count: u32,
    pub first_fail_at: UnixMillis,
    pub locked_until: Option<UnixMillis>,
}

#[async_trait]
pub trait LoginGuardStore: Send + Sync {
    async fn login_state(&self, key: &str) -> StoreResult<Option<LoginState>>;
    async fn put_login_state(&self, state: &LoginState) -> StoreResult<()>;
    async fn clear_login_state(&self, key: &str) -> StoreResult<()>;
}

#[async_trait]
pub trait ProxyStore: Send + Sync {
    async fn insert_proxy(&self, proxy: &Proxy) -> StoreResult<()>;
    /// Replaces a proxy's fields; `NotFound` if it does not exist.
    async fn update_proxy(&self, proxy: &Proxy) -> StoreResult<()>;
    /// Deletes a proxy; monitors that used it go direct (`proxy_id` becomes none), in the
    /// same transaction. False if it did not exist.
    async fn delete_proxy(&self, id: &str) -> StoreResult<bool>;
    async fn proxy(&self, id: &str) -> StoreResult<Option<Proxy>>;
    /// Every proxy, oldest first.
    async fn list_proxies(&self) -> StoreResult<Vec<Proxy>>;
}

/// Everything the components need from storage.
#[async_trait]
pub trait Store:
    MonitorStore
    + HeartbeatStore
    + UserStore
    + SettingStore
    + LoginGuardStore
    + NotificationStore
    + ProxyStore
    + TagStore
    + MaintenanceStore
    + StatusPageStore
    + ApiKeyStore
    + ExposureStore
    + ManagedStore
    + BackupStore
{
    /// A short name of the backend, for logs and `/api/v1/version`.
    fn backend(&self) -> &'static str;
    /// Cheap liveness probe (used by `/api/v1/health`).
    async fn ping(&self) -> StoreResult<()>;
    /// Flushes and stops background threads; further calls fail.
    async fn close(&self);
}

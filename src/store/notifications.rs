//! `NotificationStore`: notification channels, their links to monitors, and the record of
//! every delivery attempt of the outbox.

use std::collections::HashMap;

use async_trait::async_trait;

use super::{Page, StoreResult};
use crate::domain::UnixMillis;
use crate::domain::notification::{DeliveryAttempt, NotificationChannel};

/// Filters and paging of the channel list (`GET /notification-channels`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChannelFilter {
    /// Case-insensitive substring of the name.
    pub q: Option<String>,
    /// Zero-based page number.
    pub page: u32,
    pub limit: u32,
}

#[async_trait]
pub trait NotificationStore: Send + Sync {
    async fn insert_channel(&self, channel: &NotificationChannel) -> StoreResult<()>;
    /// Replaces a channel's fields; `NotFound` if it does not exist.
    async fn update_channel(&self, channel: &NotificationChannel) -> StoreResult<()>;
    /// Deletes a channel and its monitor links; false if it did not exist.
    async fn delete_channel(&self, id: &str) -> StoreResult<bool>;
    async fn channel(&self, id: &str) -> StoreResult<Option<NotificationChannel>>;
    /// Channels by name, paged, with the number of all matches.
    async fn list_channels(&self, filter: &ChannelFilter) -> StoreResult<Page<NotificationChannel>>;
    /// Ids of the channels marked `is_default`.
    async fn default_channel_ids(&self) -> StoreResult<Vec<String>>;
    /// Links a channel to every monitor (the "apply to all monitors" switch).
    async fn link_channel_to_all_monitors(&self, channel_id: &str) -> StoreResult<u64>;
    /// Records one delivery attempt.
    async fn record_delivery(&self, attempt: &DeliveryAttempt) -> StoreResult<()>;
    /// Whether a notice (by its dedup key) was already delivered.
    async fn delivered(&self, dedup_key: &str) -> StoreResult<bool>;
    /// The newest attempts of one channel, newest first.
    async fn deliveries(&self, channel_id: &str, limit: u32) -> StoreResult<Vec<DeliveryAttempt>>;
    /// The newest attempt of each of these channels (channels without one are absent), in
    /// one query, for the channel list.
    async fn latest_deliveries(&self, channel_ids: &[String]) -> StoreResult<HashMap<String, DeliveryAttempt>>;
    /// Records that a certificate-expiry threshold was notified for a monitor's certificate;
    /// false if it already was (so each threshold is notified once per certificate).
    async fn claim_cert_notice(
        &self,
        monitor_id: &str,
        fingerprint: &str,
        days: i64,
        at: UnixMillis,
    ) -> StoreResult<bool>;
}

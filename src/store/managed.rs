//! `ManagedStore`: which objects are owned by something other than the UI/API (today the
//! monitors file, `managed_by = "file"`). Owned objects are kept in step with their owner
//! and the API refuses to edit them.

use std::collections::HashMap;

use async_trait::async_trait;

use super::StoreResult;

/// The owner name of objects declared in the monitors file.
pub const MANAGED_BY_FILE: &str = "file";

/// The kinds of object that can be owned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ManagedKind {
    Monitor,
    NotificationChannel,
    StatusPage,
}

impl ManagedKind {
    pub fn table(self) -> &'static str {
        match self {
            Self::Monitor => "monitors",
            Self::NotificationChannel => "notification_channels",
            Self::StatusPage => "status_pages",
        }
    }
}

#[async_trait]
pub trait ManagedStore: Send + Sync {
    /// The owner of each listed object that has one (unowned and unknown ids are left out).
    async fn managed_by(&self, kind: ManagedKind, ids: &[String]) -> StoreResult<HashMap<String, String>>;
    /// The ids of every object owned by `owner`.
    async fn managed_ids(&self, kind: ManagedKind, owner: &str) -> StoreResult<Vec<String>>;
    /// Sets (or clears) an object's owner; false if the object does not exist.
    async fn set_managed_by(&self, kind: ManagedKind, id: &str, owner: Option<&str>) -> StoreResult<bool>;
}

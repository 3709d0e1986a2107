//! `MaintenanceStore`: maintenance windows and the monitors each one covers.

use async_trait::async_trait;

use super::{Page, StoreResult};
use crate::domain::maintenance::{Maintenance, Strategy};

/// Filters and paging of the maintenance list (`GET /maintenances`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MaintenanceFilter {
    /// Case-insensitive substring of the title or description.
    pub q: Option<String>,
    pub strategy: Option<Strategy>,
    /// Zero-based page number.
    pub page: u32,
    pub limit: u32,
}

#[async_trait]
pub trait MaintenanceStore: Send + Sync {
    /// Stores a maintenance with its monitor links; `InvalidReference` naming
    /// `monitor_ids` when one does not exist.
    async fn insert_maintenance(&self, m: &Maintenance) -> StoreResult<()>;
    /// Replaces a maintenance's fields and links; `NotFound` if it does not exist.
    async fn update_maintenance(&self, m: &Maintenance) -> StoreResult<()>;
    /// Deletes a maintenance and its links; false if it did not exist.
    async fn delete_maintenance(&self, id: &str) -> StoreResult<bool>;
    async fn maintenance(&self, id: &str) -> StoreResult<Option<Maintenance>>;
    /// Maintenances, newest first, paged, with the number of all matches.
    async fn list_maintenances(&self, filter: &MaintenanceFilter) -> StoreResult<Page<Maintenance>>;
    /// Every active (not paused) maintenance with at least one monitor: what the
    /// producer evaluates on each tick.
    async fn active_maintenances(&self) -> StoreResult<Vec<Maintenance>>;
    /// The active maintenances linked to any of these monitors (for a push, which does
    /// not pass through the producer).
    async fn active_maintenances_of(&self, monitor_ids: &[String]) -> StoreResult<Vec<Maintenance>>;
    /// Pauses or resumes; false if it does not exist.
    async fn set_maintenance_active(&self, id: &str, active: bool, at: i64) -> StoreResult<bool>;
}

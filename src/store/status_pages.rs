//! `StatusPageStore`: status pages with their domains, sections and monitor lists, and
//! the incidents posted on them. Pages are written whole (one transaction replaces the
//! links), so a reader never sees half an edit.

use std::collections::HashMap;

use async_trait::async_trait;

use super::{Page, StoreResult};
use crate::domain::UnixMillis;
use crate::domain::status_page::{Incident, IncidentUpdate, StatusPage};

/// Filters and paging of the page list (`GET /status-pages`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StatusPageFilter {
    /// Case-insensitive substring of the title or slug.
    pub q: Option<String>,
    /// Zero-based page number.
    pub page: u32,
    pub limit: u32,
}

/// A tag as a public page shows it next to a monitor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagLabel {
    pub name: String,
    pub color: String,
    pub value: String,
}

#[async_trait]
pub trait StatusPageStore: Send + Sync {
    /// Stores a new page with its domains, sections and monitor links. A taken slug is
    /// `Conflict("slug: …")`, a domain of another page `Conflict("domains: …")`; an
    /// unknown monitor or tag is `InvalidReference` naming the field.
    async fn insert_status_page(&self, page: &StatusPage) -> StoreResult<()>;
    /// Replaces a page and all its links; `NotFound` if it does not exist.
    async fn update_status_page(&self, page: &StatusPage) -> StoreResult<()>;
    /// Deletes a page with its links and incidents. False if it did not exist.
    async fn delete_status_page(&self, id: &str) -> StoreResult<bool>;
    async fn status_page(&self, id: &str) -> StoreResult<Option<StatusPage>>;
    async fn status_page_by_slug(&self, slug: &str) -> StoreResult<Option<StatusPage>>;
    /// The page a custom domain (any case) belongs to.
    async fn status_page_by_domain(&self, domain: &str) -> StoreResult<Option<StatusPage>>;
    /// Pages by title, paged, newest first, with the number of all matches.
    async fn list_status_pages(&self, filter: &StatusPageFilter) -> StoreResult<Page<StatusPage>>;
    /// Every custom domain and the id of its page (for Host routing).
    async fn status_page_domains(&self) -> StoreResult<HashMap<String, String>>;
    /// Ids of the monitors carrying each tag, oldest monitor first.
    async fn monitors_with_tags(&self, tag_ids: &[String]) -> StoreResult<HashMap<String, Vec<String>>>;
    /// The tags of each monitor, by tag name.
    async fn tag_labels(&self, monitor_ids: &[String]) -> StoreResult<HashMap<String, Vec<TagLabel>>>;

    /// Stores a new incident (its `updates` are ignored; add them one by one).
    async fn insert_incident(&self, incident: &Incident) -> StoreResult<()>;
    /// Replaces title, style, message, resolved_at and updated_at; `NotFound` if absent.
    async fn update_incident(&self, incident: &Incident) -> StoreResult<()>;
    async fn delete_incident(&self, id: &str) -> StoreResult<bool>;
    /// An incident with its updates, oldest update first.
    async fn incident(&self, id: &str) -> StoreResult<Option<Incident>>;
    /// The newest `limit` incidents of a page, newest first, each with its updates.
    async fn incidents(&self, status_page_id: &str, limit: u32) -> StoreResult<Vec<Incident>>;
    /// Appends an update and sets the incident's `resolved_at` (None reopens it) and
    /// `updated_at`, in one transaction. `NotFound` if the incident does not exist.
    async fn add_incident_update(&self, update: &IncidentUpdate, resolved_at: Option<UnixMillis>) -> StoreResult<()>;
}

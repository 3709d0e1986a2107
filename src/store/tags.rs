//! `TagStore`: the tag list. Monitors link to tags (with a value each) through
//! `MonitorStore`'s writes; deleting a tag unlinks it from every monitor.

use async_trait::async_trait;

use super::{Page, StoreResult};
use crate::domain::tag::Tag;

/// Filters and paging of the tag list (`GET /tags`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TagFilter {
    /// Case-insensitive substring of the name.
    pub q: Option<String>,
    /// Zero-based page number.
    pub page: u32,
    pub limit: u32,
}

#[async_trait]
pub trait TagStore: Send + Sync {
    /// Stores a new tag; `Conflict` naming `name` when another tag has the same name
    /// (case-insensitive).
    async fn insert_tag(&self, tag: &Tag) -> StoreResult<()>;
    /// Replaces a tag's fields; `NotFound` if it does not exist, `Conflict` as above.
    async fn update_tag(&self, tag: &Tag) -> StoreResult<()>;
    /// Deletes a tag and its links to monitors; false if it did not exist.
    async fn delete_tag(&self, id: &str) -> StoreResult<bool>;
    async fn tag(&self, id: &str) -> StoreResult<Option<Tag>>;
    /// Tags by name (case-insensitive order), paged, with the number of all matches.
    async fn list_tags(&self, filter: &TagFilter) -> StoreResult<Page<Tag>>;
    /// The tags with these ids that exist (any order).
    async fn tags_by_ids(&self, ids: &[String]) -> StoreResult<Vec<Tag>>;
}

//! `/tags`: the tag list. Names are unique case-insensitively (409 naming `name`);
//! deleting a tag unlinks it from its monitors (tags do not change how a monitor is
//! checked, so nothing is announced to the producer).

use std::sync::Arc;

use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi, Tags};

use super::AppState;
use super::envelope::{Envelope, ListEnvelope, MessageOnly};
use super::error::{ApiError, ApiResult};
use super::session::BearerAuth;
use crate::domain::tag::{Tag, TagDraft};
use crate::domain::{format_millis, now_millis};
use crate::store::TagFilter;

#[derive(Tags)]
enum TagTag {
    /// Tags that label monitors.
    Tags,
}

/// A tag as the API shows it.
#[derive(Object)]
#[oai(rename = "Tag")]
pub struct TagDto {
    pub id: String,
    pub name: String,
    /// `#RGB` or `#RRGGBB`.
    pub color: String,
    pub description: String,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Tag> for TagDto {
    fn from(t: Tag) -> Self {
        Self {
            id: t.id,
            name: t.name,
            color: t.color,
            description: t.description,
            created_at: format_millis(t.created_at),
            updated_at: format_millis(t.updated_at),
        }
    }
}

/// A whole tag, for create (POST) and full update (PUT).
#[derive(Object)]
pub struct TagInput {
    /// Unique (case-insensitive), at most 100 characters.
    pub name: String,
    /// `#RGB` or `#RRGGBB`; default `#3B82F6`.
    pub color: Option<String>,
    pub description: Option<String>,
}

/// Fields to change; absent ones stay.
#[derive(Object)]
pub struct TagPatchInput {
    pub name: Option<String>,
    pub color: Option<String>,
    pub description: Option<String>,
}

#[derive(ApiResponse)]
pub enum CreatedTag {
    #[oai(status = 201)]
    Created(Json<Envelope<TagDto>>),
}

pub struct TagsApi {
    pub state: Arc<AppState>,
}

impl TagsApi {
    async fn existing(&self, id: &str) -> ApiResult<Tag> {
        self.state.store.tag(id).await?.ok_or_else(|| ApiError::not_found("Tag not found"))
    }

    async fn save(&self, draft: TagDraft, base: Option<Tag>) -> ApiResult<Tag> {
        let v = draft.validate()?;
        let now = now_millis();
        let (id, created_at) = match &base {
            Some(b) => (b.id.clone(), b.created_at),
            None => (uuid::Uuid::now_v7().to_string(), now),
        };
        let tag = Tag { id, name: v.name, color: v.color, description: v.description, created_at, updated_at: now };
        if base.is_some() {
            self.state.store.update_tag(&tag).await?;
        } else {
            self.state.store.insert_tag(&tag).await?;
        }
        Ok(tag)
    }
}

#[OpenApi(prefix_path = "/tags", tag = "TagTag::Tags")]
impl TagsApi {
    /// List tags by name (0-based pages); `q` searches name and description.
    #[oai(path = "/", method = "get")]
    async fn list(
        &self,
        _auth: BearerAuth,
        q: Query<Option<String>>,
        #[oai(default = "default_page")] page: Query<u32>,
        #[oai(default = "default_limit", validator(minimum(value = "1"), maximum(value = "1000")))] limit: Query<u32>,
    ) -> ApiResult<Json<ListEnvelope<TagDto>>> {
        let p = self.state.store.list_tags(&TagFilter { q: q.0, page: page.0, limit: limit.0 }).await?;
        Ok(Json(ListEnvelope {
            message: "success".into(),
            data: p.items.into_iter().map(Into::into).collect(),
            total: p.total,
        }))
    }

    /// Create a tag.
    #[oai(path = "/", method = "post")]
    async fn create(&self, _auth: BearerAuth, body: Json<TagInput>) -> ApiResult<CreatedTag> {
        let b = body.0;
        let draft = TagDraft { name: b.name, color: b.color, description: b.description.unwrap_or_default() };
        let t = self.save(draft, None).await?;
        Ok(CreatedTag::Created(Json(Envelope::with("Tag created successfully", t.into()))))
    }

    #[oai(path = "/:id", method = "get")]
    async fn get(&self, _auth: BearerAuth, id: Path<String>) -> ApiResult<Json<Envelope<TagDto>>> {
        Ok(Json(Envelope::ok(self.existing(&id.0).await?.into())))
    }

    /// Replace a tag.
    #[oai(path = "/:id", method = "put")]
    async fn put(
        &self,
        _auth: BearerAuth,
        id: Path<String>,
        body: Json<TagInput>,
    ) -> ApiResult<Json<Envelope<TagDto>>> {
        let base = self.existing(&id.0).await?;
        let b = body.0;
        let draft = TagDraft { name: b.name, color: b.color, description: b.description.unwrap_or_default() };
        let t = self.save(draft, Some(base)).await?;
        Ok(Json(Envelope::with("Tag updated successfully", t.into())))
    }

    /// Change some fields of a tag.
    #[oai(path = "/:id", method = "patch")]
    async fn patch(
        &self,
        _auth: BearerAuth,
        id: Path<String>,
        body: Json<TagPatchInput>,
    ) -> ApiResult<Json<Envelope<TagDto>>> {
        let base = self.existing(&id.0).await?;
        let b = body.0;
        let draft = TagDraft {
            name: b.name.unwrap_or_else(|| base.name.clone()),
            color: Some(b.color.unwrap_or_else(|| base.color.clone())),
            description: b.description.unwrap_or_else(|| base.description.clone()),
        };
        let t = self.save(draft, Some(base)).await?;
        Ok(Json(Envelope::with("Tag updated successfully", t.into())))
    }

    /// Delete a tag; it is removed from every monitor that carried it.
    #[oai(path = "/:id", method = "delete")]
    async fn delete(&self, _auth: BearerAuth, id: Path<String>) -> ApiResult<Json<MessageOnly>> {
        if !self.state.store.delete_tag(&id.0).await? {
            return Err(ApiError::not_found("Tag not found"));
        }
        Ok(Json(MessageOnly::new("Tag deleted successfully")))
    }
}

fn default_page() -> u32 {
    0
}

fn default_limit() -> u32 {
    10
}

//! `/api-keys`: create, list, edit and revoke API keys. Managing keys needs a logged-in
//! user (`JwtAuth`): a key cannot mint or widen keys. The full token is returned once, on
//! create; afterwards only its masked `display_key` is shown.

use std::sync::Arc;

use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object, OpenApi, Tags};

use super::AppState;
use super::envelope::{Envelope, MessageOnly};
use super::error::{ApiError, ApiResult};
use super::session::JwtAuth;
use crate::domain::api_key::{self, ApiKey, ApiKeyDraft, KEY_PREFIX};
use crate::domain::{UnixMillis, format_millis, now_millis};

#[derive(Tags)]
enum ApiKeyTag {
    /// API keys for scripts and scrapers (`X-API-Key`).
    ApiKeys,
}

/// An API key as the API shows it (never the secret).
#[derive(Object)]
#[oai(rename = "ApiKey")]
pub struct ApiKeyDto {
    pub id: String,
    pub name: String,
    /// Masked, to tell keys apart.
    pub display_key: String,
    /// `read` (GET/HEAD only) or `write`.
    pub scope: String,
    pub last_used: Option<String>,
    pub expires_at: Option<String>,
    pub usage_count: u64,
    pub max_usage_count: Option<u64>,
    pub created_at: String,
    pub updated_at: String,
}

/// A new key with its token, shown this one time.
#[derive(Object)]
#[oai(rename = "ApiKeyWithToken")]
pub struct ApiKeyCreatedDto {
    #[oai(flatten)]
    pub key: ApiKeyDto,
    /// The full key to send as `X-API-Key`. It cannot be shown again.
    #[oai(rename = "key")]
    pub token: String,
}

#[derive(Object)]
pub struct ApiKeyConfigDto {
    pub prefix: String,
}

#[derive(Object)]
pub struct ApiKeyCreate {
    pub name: String,
    /// RFC 3339 time (or Unix milliseconds) after which the key stops working.
    pub expires_at: Option<String>,
    /// Requests after which the key stops working (at least 1).
    pub max_usage_count: Option<i64>,
    /// `read` or `write` (default).
    pub scope: Option<String>,
}

/// Fields to change; absent ones stay, `null` clears `expires_at`/`max_usage_count`.
#[derive(Object)]
pub struct ApiKeyUpdate {
    pub name: Option<String>,
    pub expires_at: MaybeUndefined<String>,
    pub max_usage_count: MaybeUndefined<i64>,
    pub scope: Option<String>,
}

#[derive(ApiResponse)]
pub enum CreatedApiKey {
    #[oai(status = 201)]
    Created(Json<Envelope<ApiKeyCreatedDto>>),
}

fn parse_time(field: &str, v: &str) -> ApiResult<UnixMillis> {
    chrono::DateTime::parse_from_rfc3339(v.trim())
        .map(|t| t.timestamp_millis())
        .or_else(|_| v.trim().parse::<i64>())
        .map_err(|_| {
            ApiError::validation(field, "must be an RFC 3339 time (2026-01-02T15:04:05Z) or Unix milliseconds")
        })
}

pub struct ApiKeysApi {
    pub state: Arc<AppState>,
}

impl ApiKeysApi {
    async fn existing(&self, id: &str) -> ApiResult<ApiKey> {
        self.state.store.api_key(id).await?.ok_or_else(|| ApiError::not_found("API key not found"))
    }

    /// The DTO, with uses counted on this replica but not yet written.
    fn dto(&self, mut k: ApiKey) -> ApiKeyDto {
        if let Some((count, last)) = self.state.sessions.pending_key_uses(&k.id) {
            k.usage_count += count;
            k.last_used = Some(k.last_used.map_or(last, |l| l.max(last)));
        }
        ApiKeyDto {
            id: k.id,
            name: k.name,
            display_key: k.display_key,
            scope: k.scope.as_str().into(),
            last_used: k.last_used.map(format_millis),
            expires_at: k.expires_at.map(format_millis),
            usage_count: k.usage_count,
            max_usage_count: k.max_usage_count,
            created_at: format_millis(k.created_at),
            updated_at: format_millis(k.updated_at),
        }
    }
}

#[OpenApi(prefix_path = "/api-keys", tag = "ApiKeyTag::ApiKeys")]
impl ApiKeysApi {
    /// What API key tokens start with (public).
    #[oai(path = "/config", method = "get")]
    async fn config(&self) -> Json<Envelope<ApiKeyConfigDto>> {
        Json(Envelope::ok(ApiKeyConfigDto { prefix: KEY_PREFIX.into() }))
    }

    /// Every API key, newest first.
    #[oai(path = "/", method = "get")]
    async fn list(&self, _auth: JwtAuth) -> ApiResult<Json<Envelope<Vec<ApiKeyDto>>>> {
        let keys = self.state.store.list_api_keys().await?;
        Ok(Json(Envelope::ok(keys.into_iter().map(|k| self.dto(k)).collect())))
    }

    /// Create a key. The response carries the full key (`key`) this one time.
    #[oai(path = "/", method = "post")]
    async fn create(&self, _auth: JwtAuth, body: Json<ApiKeyCreate>) -> ApiResult<CreatedApiKey> {
        let b = body.0;
        let now = now_millis();
        let expires_at = b.expires_at.as_deref().map(|v| parse_time("expires_at", v)).transpose()?;
        let v = ApiKeyDraft { name: b.name, expires_at, max_usage_count: b.max_usage_count, scope: b.scope }
            .validate(Some(now))?;
        let id = uuid::Uuid::now_v7().to_string();
        let secret = api_key::generate(&id);
        let key = ApiKey {
            id,
            name: v.name,
            key_hash: secret.key_hash,
            display_key: secret.display_key,
            scope: v.scope,
            last_used: None,
            expires_at: v.expires_at,
            usage_count: 0,
            max_usage_count: v.max_usage_count,
            created_at: now,
            updated_at: now,
        };
        self.state.store.insert_api_key(&key).await?;
        let dto = ApiKeyCreatedDto { key: self.dto(key), token: secret.token };
        Ok(CreatedApiKey::Created(Json(Envelope::with("API key created successfully", dto))))
    }

    #[oai(path = "/:id", method = "get")]
    async fn get(&self, _auth: JwtAuth, id: Path<String>) -> ApiResult<Json<Envelope<ApiKeyDto>>> {
        Ok(Json(Envelope::ok(self.dto(self.existing(&id.0).await?))))
    }

    /// Change a key's name, scope, expiry or usage cap. The token stays the same.
    #[oai(path = "/:id", method = "put")]
    async fn put(
        &self,
        _auth: JwtAuth,
        id: Path<String>,
        body: Json<ApiKeyUpdate>,
    ) -> ApiResult<Json<Envelope<ApiKeyDto>>> {
        let mut key = self.existing(&id.0).await?;
        let b = body.0;
        let now = now_millis();
        let (expires_at, changed_expiry) = match &b.expires_at {
            MaybeUndefined::Undefined => (key.expires_at, false),
            MaybeUndefined::Null => (None, false),
            MaybeUndefined::Value(v) => (Some(parse_time("expires_at", v)?), true),
        };
        let max_usage_count = match b.max_usage_count {
            MaybeUndefined::Undefined => key.max_usage_count.map(|m| i64::try_from(m).unwrap_or(i64::MAX)),
            MaybeUndefined::Null => None,
            MaybeUndefined::Value(v) => Some(v),
        };
        let v = ApiKeyDraft {
            name: b.name.unwrap_or_else(|| key.name.clone()),
            expires_at,
            max_usage_count,
            scope: Some(b.scope.unwrap_or_else(|| key.scope.as_str().into())),
        }
        .validate(changed_expiry.then_some(now))?;
        key.name = v.name;
        key.expires_at = v.expires_at;
        key.max_usage_count = v.max_usage_count;
        key.scope = v.scope;
        key.updated_at = now;
        // Uses counted in memory must land before a cap is checked against the stored count.
        self.state.sessions.flush_key_uses().await;
        self.state.store.update_api_key(&key).await?;
        let key = self.existing(&key.id).await?;
        Ok(Json(Envelope::with("API key updated successfully", self.dto(key))))
    }

    /// Revoke a key: it stops working at once.
    #[oai(path = "/:id", method = "delete")]
    async fn delete(&self, _auth: JwtAuth, id: Path<String>) -> ApiResult<Json<MessageOnly>> {
        if !self.state.store.delete_api_key(&id.0).await? {
            return Err(ApiError::not_found("API key not found"));
        }
        Ok(Json(MessageOnly::new("API key deleted successfully")))
    }
}

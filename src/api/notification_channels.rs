//! `/notification-channels`: CRUD, PATCH, a test send, and the delivery log of a channel.
//! Secret config values (tokens, passwords, webhook URLs) are masked in every read; a
//! write that sends the mask back keeps the stored value.

use std::sync::Arc;
use std::time::Duration;

use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi, Tags};

use super::AppState;
use super::envelope::{Envelope, ListEnvelope, MessageOnly};
use super::error::{ApiError, ApiResult};
use super::session::BearerAuth;
use crate::domain::notification::{
    DeliveryAttempt, NotificationChannel, mask_secrets, unmask_secrets, validate_common,
};
use crate::domain::{ValidationError, format_millis, now_millis};
use crate::notify::providers::{Provider, provider_for, provider_names};
use crate::notify::{DeliveryError, send_test};
use crate::store::{ChannelFilter, ManagedKind};

#[derive(Tags)]
enum ChannelTag {
    /// Where alerts go: Slack, e-mail, Telegram, webhooks…
    NotificationChannels,
}

/// A channel as the API shows it (secrets masked).
#[derive(Object)]
#[oai(rename = "NotificationChannel")]
pub struct ChannelDto {
    pub id: String,
    pub name: String,
    /// The provider: smtp, webhook, telegram, slack, discord, …
    #[oai(rename = "type")]
    pub kind: String,
    pub active: bool,
    pub is_default: bool,
    /// The provider's settings as a JSON object string; secrets read as `********`.
    pub config: String,
    /// The newest delivery attempt, for "last delivery failed: 401 from Slack".
    #[oai(nullable)]
    pub last_delivery: Option<DeliveryDto>,
    /// `file` when the monitors file owns this channel (the API then refuses edits).
    #[oai(nullable)]
    pub managed_by: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Object)]
#[oai(rename = "NotificationDelivery")]
pub struct DeliveryDto {
    pub monitor_id: Option<String>,
    pub attempt: u32,
    /// `sent`, `retrying` or `failed`.
    pub status: String,
    #[oai(nullable)]
    pub error: Option<String>,
    pub time: String,
}

impl From<DeliveryAttempt> for DeliveryDto {
    fn from(a: DeliveryAttempt) -> Self {
        Self {
            monitor_id: a.monitor_id,
            attempt: a.attempt,
            status: a.outcome.as_str().into(),
            error: a.error,
            time: format_millis(a.created_at),
        }
    }
}

/// A whole channel, for create (POST), full update (PUT) and test.
#[derive(Object)]
pub struct ChannelInput {
    pub name: String,
    #[oai(rename = "type")]
    pub kind: String,
    pub active: Option<bool>,
    pub is_default: Option<bool>,
    /// The provider's settings as a JSON object string.
    pub config: Option<String>,
    /// Also link this channel to every existing monitor.
    pub apply_existing: Option<bool>,
}

/// Fields to change; absent ones stay.
#[derive(Object)]
pub struct ChannelPatchInput {
    pub name: Option<String>,
    #[oai(rename = "type")]
    pub kind: Option<String>,
    pub active: Option<bool>,
    pub is_default: Option<bool>,
    pub config: Option<String>,
    pub apply_existing: Option<bool>,
}

/// A channel to test: a saved one by `id` (its stored secrets fill masked values), or an
/// unsaved one.
#[derive(Object)]
pub struct ChannelTestInput {
    pub id: Option<String>,
    pub name: Option<String>,
    #[oai(rename = "type")]
    pub kind: String,
    pub config: Option<String>,
}

#[derive(ApiResponse)]
pub enum CreatedChannel {
    #[oai(status = 201)]
    Created(Json<Envelope<ChannelDto>>),
}

pub struct NotificationChannelsApi {
    pub state: Arc<AppState>,
}

fn provider(kind: &str) -> Result<&'static dyn Provider, ValidationError> {
    provider_for(kind.trim()).ok_or_else(|| {
        ValidationError::new(
            "type",
            format!("\"{kind}\" is not a notification provider this server supports (supported: {})", provider_names()),
        )
    })
}

/// Validates a channel's type, name and config (secrets restored from `stored`) and
/// returns the config to store. Shared with the monitors file.
pub(crate) fn checked_config(
    kind: &str,
    name: &str,
    config: &str,
    stored: Option<&NotificationChannel>,
) -> Result<String, ValidationError> {
    let p = provider(kind)?;
    let mut value = validate_common(name, config)?;
    if let Some(s) = stored.filter(|s| s.kind == kind) {
        unmask_secrets(&mut value, &s.config_value(), p.secret_keys());
    }
    p.validate(&value)?;
    Ok(value.to_string())
}

impl NotificationChannelsApi {
    async fn existing(&self, id: &str) -> ApiResult<NotificationChannel> {
        self.state.store.channel(id).await?.ok_or_else(|| ApiError::not_found("Notification channel not found"))
    }

    async fn dto(&self, c: NotificationChannel) -> ApiResult<ChannelDto> {
        let last = self.state.store.deliveries(&c.id, 1).await?.into_iter().next();
        let owner = self.state.store.managed_by(ManagedKind::NotificationChannel, std::slice::from_ref(&c.id)).await?;
        Ok(Self::to_dto(c, last, owner.into_values().next()))
    }

    /// Refuses to change a channel the monitors file owns (409 naming `managed_by`).
    async fn ensure_editable(&self, id: &str) -> ApiResult<()> {
        let owners = self.state.store.managed_by(ManagedKind::NotificationChannel, &[id.to_string()]).await?;
        match owners.get(id) {
            Some(owner) => Err(ApiError::conflict(
                Some("managed_by".into()),
                format!(
                    "this notification channel is managed by the {owner}: edit the monitors file and run `peekaping apply` (or restart) instead"
                ),
            )),
            None => Ok(()),
        }
    }

    fn to_dto(c: NotificationChannel, last: Option<DeliveryAttempt>, managed_by: Option<String>) -> ChannelDto {
        let secrets = provider_for(&c.kind).map_or(&[][..], |p| p.secret_keys());
        ChannelDto {
            config: mask_secrets(&c.config_value(), secrets).to_string(),
            id: c.id,
            name: c.name,
            kind: c.kind,
            active: c.active,
            is_default: c.is_default,
            last_delivery: last.map(Into::into),
            managed_by,
            created_at: format_millis(c.created_at),
            updated_at: format_millis(c.updated_at),
        }
    }

    async fn save(&self, channel: NotificationChannel, is_new: bool, apply_existing: bool) -> ApiResult<ChannelDto> {
        if is_new {
            self.state.store.insert_channel(&channel).await?;
        } else {
            self.state.store.update_channel(&channel).await?;
        }
        if apply_existing {
            self.state.store.link_channel_to_all_monitors(&channel.id).await?;
        }
        self.dto(channel).await
    }
}

#[OpenApi(prefix_path = "/notification-channels", tag = "ChannelTag::NotificationChannels")]
impl NotificationChannelsApi {
    /// List channels by name (0-based pages).
    #[oai(path = "/", method = "get")]
    async fn list(
        &self,
        _auth: BearerAuth,
        q: Query<Option<String>>,
        #[oai(default = "default_page")] page: Query<u32>,
        #[oai(default = "default_limit", validator(minimum(value = "1"), maximum(value = "1000")))] limit: Query<u32>,
    ) -> ApiResult<Json<ListEnvelope<ChannelDto>>> {
        let p = self.state.store.list_channels(&ChannelFilter { q: q.0, page: page.0, limit: limit.0 }).await?;
        let ids: Vec<String> = p.items.iter().map(|c| c.id.clone()).collect();
        let mut last = self.state.store.latest_deliveries(&ids).await?;
        let mut owners = self.state.store.managed_by(ManagedKind::NotificationChannel, &ids).await?;
        let data = p.items.into_iter().map(|c| {
            let l = last.remove(&c.id);
            let owner = owners.remove(&c.id);
            Self::to_dto(c, l, owner)
        });
        let data = data.collect();
        Ok(Json(ListEnvelope { message: "success".into(), data, total: p.total }))
    }

    /// Create a channel. `is_default` links it to monitors created without a channel list;
    /// `apply_existing` also links it to every existing monitor.
    #[oai(path = "/", method = "post")]
    async fn create(&self, _auth: BearerAuth, body: Json<ChannelInput>) -> ApiResult<CreatedChannel> {
        let b = body.0;
        let config = checked_config(&b.kind, &b.name, b.config.as_deref().unwrap_or("{}"), None)?;
        let now = now_millis();
        let channel = NotificationChannel {
            id: uuid::Uuid::now_v7().to_string(),
            name: b.name.trim().to_string(),
            kind: b.kind.trim().to_string(),
            active: b.active.unwrap_or(true),
            is_default: b.is_default.unwrap_or(false),
            config,
            created_at: now,
            updated_at: now,
        };
        let dto = self.save(channel, true, b.apply_existing.unwrap_or(false)).await?;
        Ok(CreatedChannel::Created(Json(Envelope::with("Notification channel created successfully", dto))))
    }

    /// Send a test message through a channel now; 502 with the provider's answer if it fails.
    #[oai(path = "/test", method = "post")]
    async fn test(&self, _auth: BearerAuth, body: Json<ChannelTestInput>) -> ApiResult<Json<MessageOnly>> {
        let b = body.0;
        let stored = match b.id.as_deref().filter(|s| !s.is_empty()) {
            Some(id) => Some(self.existing(id).await?),
            None => None,
        };
        let name = b.name.clone().or_else(|| stored.as_ref().map(|s| s.name.clone())).unwrap_or_else(|| "test".into());
        let config = match (&b.config, &stored) {
            (Some(c), _) => c.clone(),
            (None, Some(s)) => s.config.clone(),
            (None, None) => "{}".into(),
        };
        let config = checked_config(&b.kind, &name, &config, stored.as_ref())?;
        let value: serde_json::Value = serde_json::from_str(&config).unwrap_or_default();
        match send_test(b.kind.trim(), &value, Duration::from_secs(20)).await {
            Ok(()) => Ok(Json(MessageOnly::new("Test notification sent"))),
            Err(DeliveryError::Retry(e) | DeliveryError::Reject(e)) => {
                Err(ApiError::bad_gateway("delivery_failed", format!("The test notification failed: {e}")))
            }
        }
    }

    #[oai(path = "/:id", method = "get")]
    async fn get(&self, _auth: BearerAuth, id: Path<String>) -> ApiResult<Json<Envelope<ChannelDto>>> {
        let c = self.existing(&id.0).await?;
        Ok(Json(Envelope::ok(self.dto(c).await?)))
    }

    /// Replace a channel (masked secrets keep their stored values).
    #[oai(path = "/:id", method = "put")]
    async fn put(
        &self,
        _auth: BearerAuth,
        id: Path<String>,
        body: Json<ChannelInput>,
    ) -> ApiResult<Json<Envelope<ChannelDto>>> {
        let base = self.existing(&id.0).await?;
        self.ensure_editable(&id.0).await?;
        let b = body.0;
        let config = checked_config(&b.kind, &b.name, b.config.as_deref().unwrap_or("{}"), Some(&base))?;
        let channel = NotificationChannel {
            name: b.name.trim().to_string(),
            kind: b.kind.trim().to_string(),
            active: b.active.unwrap_or(true),
            is_default: b.is_default.unwrap_or(false),
            config,
            updated_at: now_millis(),
            ..base
        };
        let dto = self.save(channel, false, b.apply_existing.unwrap_or(false)).await?;
        Ok(Json(Envelope::with("Notification channel updated successfully", dto)))
    }

    /// Change some fields of a channel (e.g. `{"active": false}`).
    #[oai(path = "/:id", method = "patch")]
    async fn patch(
        &self,
        _auth: BearerAuth,
        id: Path<String>,
        body: Json<ChannelPatchInput>,
    ) -> ApiResult<Json<Envelope<ChannelDto>>> {
        let base = self.existing(&id.0).await?;
        self.ensure_editable(&id.0).await?;
        let b = body.0;
        let kind = b.kind.map(|k| k.trim().to_string()).unwrap_or_else(|| base.kind.clone());
        let name = b.name.map(|n| n.trim().to_string()).unwrap_or_else(|| base.name.clone());
        let config = match &b.config {
            Some(c) => checked_config(&kind, &name, c, Some(&base))?,
            None => checked_config(&kind, &name, &base.config, Some(&base))?,
        };
        let channel = NotificationChannel {
            name,
            kind,
            active: b.active.unwrap_or(base.active),
            is_default: b.is_default.unwrap_or(base.is_default),
            config,
            updated_at: now_millis(),
            ..base
        };
        let dto = self.save(channel, false, b.apply_existing.unwrap_or(false)).await?;
        Ok(Json(Envelope::with("Notification channel updated successfully", dto)))
    }

    /// Delete a channel; monitors stop using it.
    #[oai(path = "/:id", method = "delete")]
    async fn delete(&self, _auth: BearerAuth, id: Path<String>) -> ApiResult<Json<MessageOnly>> {
        self.ensure_editable(&id.0).await?;
        if !self.state.store.delete_channel(&id.0).await? {
            return Err(ApiError::not_found("Notification channel not found"));
        }
        Ok(Json(MessageOnly::new("Notification channel deleted successfully")))
    }

    /// The newest delivery attempts through a channel, newest first.
    #[oai(path = "/:id/deliveries", method = "get")]
    async fn deliveries(
        &self,
        _auth: BearerAuth,
        id: Path<String>,
        #[oai(default = "default_limit", validator(minimum(value = "1"), maximum(value = "500")))] limit: Query<u32>,
    ) -> ApiResult<Json<Envelope<Vec<DeliveryDto>>>> {
        self.existing(&id.0).await?;
        let d = self.state.store.deliveries(&id.0, limit.0).await?;
        Ok(Json(Envelope::ok(d.into_iter().map(Into::into).collect())))
    }
}

fn default_page() -> u32 {
    0
}

fn default_limit() -> u32 {
    50
}

//! `/monitors`: CRUD, paging and filters, heartbeats, uptime and chart points from the
//! rollups, TLS facts. Field names are Peekaping's (`config` is a JSON string).

use std::collections::HashMap;
use std::sync::Arc;

use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{Json, PlainText};
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object, OpenApi, Tags};

use super::AppState;
use super::envelope::{Envelope, ListEnvelope, MessageOnly};
use super::error::{ApiError, ApiResult};
use super::session::BearerAuth;
use crate::bus::{BusEvent, ChangeAction};
use crate::domain::monitor::{MonitorDraft, MonitorPatch, new_push_token};
use crate::domain::rollup::{Granularity, RollupCounts, UptimeWindow};
use crate::domain::tag::{MonitorTag as TagLink, links_from_tag_ids};
use crate::domain::{Heartbeat, Monitor, MonitorStatus, TlsInfo, format_millis, now_millis};
use crate::store::{HeartbeatQuery, ManagedKind, MonitorFilter, StoreError};

#[derive(Tags)]
enum MonitorTag {
    /// Monitors, their heartbeats and statistics.
    Monitors,
}

/// A monitor as the API shows it.
#[derive(Object)]
#[oai(rename = "Monitor")]
pub struct MonitorDto {
    pub id: String,
    #[oai(rename = "type")]
    pub kind: String,
    pub name: String,
    pub interval: u32,
    pub timeout: u32,
    pub max_retries: u32,
    pub retry_interval: u32,
    pub resend_interval: u32,
    pub active: bool,
    /// 0 DOWN, 1 UP, 2 PENDING, 3 MAINTENANCE.
    pub status: u8,
    /// Type-specific settings as a JSON object string.
    pub config: String,
    #[oai(nullable)]
    pub proxy_id: Option<String>,
    #[oai(nullable)]
    pub push_token: Option<String>,
    /// The group this monitor belongs to.
    #[oai(nullable)]
    pub parent_id: Option<String>,
    /// A monitor this one sits behind: while it is DOWN, this one's DOWN notices fold into its notice.
    #[oai(nullable)]
    pub depends_on: Option<String>,
    /// Notify DOWN only after this many consecutive DOWN beats.
    pub notify_after_failures: u32,
    /// Notify the recovery only after this many consecutive UP beats.
    pub notify_after_successes: u32,
    pub notification_ids: Vec<String>,
    pub tag_ids: Vec<String>,
    /// The tags with this monitor's value for each (a tag may appear with several values).
    pub tags: Vec<MonitorTagDto>,
    /// `file` when the monitors file owns this monitor (the API then refuses edits).
    #[oai(nullable)]
    pub managed_by: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// One tag of a monitor, as read.
#[derive(Object)]
#[oai(rename = "MonitorTag")]
pub struct MonitorTagDto {
    pub tag_id: String,
    pub name: String,
    pub color: String,
    /// This monitor's value for the tag (may be empty).
    pub value: String,
}

/// One tag of a monitor, as written.
#[derive(Object)]
pub struct MonitorTagInput {
    pub tag_id: String,
    /// This monitor's value for the tag (at most 255 characters; default empty).
    pub value: Option<String>,
}

fn links(input: Vec<MonitorTagInput>) -> Vec<TagLink> {
    input.into_iter().map(|t| TagLink { tag_id: t.tag_id, value: t.value.unwrap_or_default() }).collect()
}

impl From<Monitor> for MonitorDto {
    fn from(m: Monitor) -> Self {
        Self {
            id: m.id,
            kind: m.kind,
            name: m.name,
            interval: m.interval,
            timeout: m.timeout,
            max_retries: m.max_retries,
            retry_interval: m.retry_interval,
            resend_interval: m.resend_interval,
            active: m.active,
            status: m.status.as_u8(),
            config: m.config,
            proxy_id: m.proxy_id,
            push_token: m.push_token,
            parent_id: m.parent_id,
            depends_on: m.depends_on,
            notify_after_failures: m.notify_after_failures,
            notify_after_successes: m.notify_after_successes,
            notification_ids: m.notification_ids,
            tag_ids: m.tag_ids,
            tags: m
                .tags
                .into_iter()
                .map(|t| MonitorTagDto { tag_id: t.tag_id, name: String::new(), color: String::new(), value: t.value })
                .collect(),
            managed_by: None,
            created_at: format_millis(m.created_at),
            updated_at: format_millis(m.updated_at),
        }
    }
}

/// A whole monitor, for create (POST) and full update (PUT).
#[derive(Object)]
pub struct MonitorInput {
    #[oai(rename = "type")]
    pub kind: String,
    pub name: String,
    /// Seconds between checks (default 60).
    pub interval: Option<u32>,
    /// Seconds a check may take (default 48, at most the interval).
    pub timeout: Option<u32>,
    pub max_retries: Option<u32>,
    /// Seconds between checks while retrying (default: the interval).
    pub retry_interval: Option<u32>,
    pub resend_interval: Option<u32>,
    pub active: Option<bool>,
    pub notification_ids: Option<Vec<String>>,
    /// Tags without values (Peekaping's field); on update, values already set for them stay.
    pub tag_ids: Option<Vec<String>>,
    /// Tags with values; when present, `tag_ids` is ignored.
    pub tags: Option<Vec<MonitorTagInput>>,
    pub proxy_id: Option<String>,
    /// Type-specific settings as a JSON object string.
    pub config: Option<String>,
    pub push_token: Option<String>,
    /// Id of a `group` monitor to put this one in.
    pub parent_id: Option<String>,
    /// Id of a monitor this one depends on (its DOWN folds this one's DOWN notices).
    pub depends_on: Option<String>,
    /// Notify DOWN only after this many consecutive DOWN beats (1–100, default 1).
    pub notify_after_failures: Option<u32>,
    /// Notify the recovery only after this many consecutive UP beats (1–100, default 1).
    pub notify_after_successes: Option<u32>,
}

/// Fields to change; absent ones stay. `proxy_id: null` removes the proxy.
#[derive(Object)]
pub struct MonitorPatchInput {
    #[oai(rename = "type")]
    pub kind: Option<String>,
    pub name: Option<String>,
    pub interval: Option<u32>,
    pub timeout: Option<u32>,
    pub max_retries: Option<u32>,
    pub retry_interval: Option<u32>,
    pub resend_interval: Option<u32>,
    pub active: Option<bool>,
    pub notification_ids: Option<Vec<String>>,
    /// Tags without values; values already set for them stay.
    pub tag_ids: Option<Vec<String>>,
    /// Tags with values; when present, `tag_ids` is ignored.
    pub tags: Option<Vec<MonitorTagInput>>,
    pub proxy_id: MaybeUndefined<String>,
    pub config: Option<String>,
    pub push_token: MaybeUndefined<String>,
    /// `null` takes the monitor out of its group.
    pub parent_id: MaybeUndefined<String>,
    /// `null` removes the dependency.
    pub depends_on: MaybeUndefined<String>,
    pub notify_after_failures: Option<u32>,
    pub notify_after_successes: Option<u32>,
    /// Accepted for Peekaping compatibility and ignored: status comes from checks.
    pub status: Option<u8>,
}

#[derive(Object)]
pub struct HeartbeatDto {
    /// `<monitor id>:<unix ms>`: heartbeats are identified by monitor and time.
    pub id: String,
    pub monitor_id: String,
    pub status: u8,
    pub msg: String,
    /// Response time in milliseconds.
    #[oai(nullable)]
    pub ping: Option<f64>,
    /// Seconds since the previous heartbeat.
    pub duration: i64,
    pub down_count: u32,
    pub retries: u32,
    pub important: bool,
    pub notified: bool,
    pub time: String,
    pub end_time: String,
}

impl From<Heartbeat> for HeartbeatDto {
    fn from(h: Heartbeat) -> Self {
        let end = h.time + h.ping_us.map_or(0, |p| (p / 1000) as i64);
        Self {
            id: format!("{}:{}", h.monitor_id, h.time),
            ping: h.ping_ms(),
            monitor_id: h.monitor_id,
            status: h.status.as_u8(),
            msg: h.msg,
            duration: h.duration_ms / 1000,
            down_count: h.down_count,
            retries: h.retries,
            important: h.important,
            notified: h.notified,
            time: format_millis(h.time),
            end_time: format_millis(end),
        }
    }
}

#[derive(Object)]
pub struct UptimeDto {
    #[oai(nullable, rename = "24h")]
    pub day: Option<f64>,
    #[oai(nullable, rename = "7d")]
    pub week: Option<f64>,
    #[oai(nullable, rename = "30d")]
    pub month: Option<f64>,
    #[oai(nullable, rename = "365d")]
    pub year: Option<f64>,
}

#[derive(Object)]
pub struct StatPointDto {
    /// Bucket start, Unix milliseconds.
    pub timestamp: i64,
    pub up: u64,
    pub down: u64,
    pub maintenance: u64,
    /// Average response time of UP beats in the bucket (ms).
    #[oai(nullable)]
    pub ping: Option<f64>,
    #[oai(nullable)]
    pub ping_min: Option<f64>,
    #[oai(nullable)]
    pub ping_max: Option<f64>,
}

#[derive(Object)]
pub struct StatPointsDto {
    pub points: Vec<StatPointDto>,
    #[oai(nullable, rename = "maxPing")]
    pub max_ping: Option<f64>,
    #[oai(nullable, rename = "minPing")]
    pub min_ping: Option<f64>,
    #[oai(nullable, rename = "avgPing")]
    pub avg_ping: Option<f64>,
    #[oai(nullable)]
    pub uptime: Option<f64>,
}

#[derive(Object)]
pub struct CertificateDto {
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    pub not_before: String,
    pub not_after: String,
    pub days_remaining: i64,
    pub fingerprint_sha1: String,
    pub fingerprint_sha256: String,
    pub sans: Vec<String>,
}

#[derive(Object)]
pub struct TlsInfoDto {
    pub valid: bool,
    #[oai(nullable)]
    pub error: Option<String>,
    /// Days until the leaf certificate expires.
    #[oai(nullable)]
    pub days_remaining: Option<i64>,
    pub chain: Vec<CertificateDto>,
    pub captured_at: String,
}

impl TlsInfoDto {
    fn new(t: TlsInfo, now: i64) -> Self {
        let chain: Vec<CertificateDto> = t
            .chain
            .into_iter()
            .map(|c| CertificateDto {
                days_remaining: (c.not_after - now).div_euclid(86_400_000),
                subject: c.subject,
                issuer: c.issuer,
                serial: c.serial,
                not_before: format_millis(c.not_before),
                not_after: format_millis(c.not_after),
                fingerprint_sha1: c.fingerprint_sha1,
                fingerprint_sha256: c.fingerprint_sha256,
                sans: c.sans,
            })
            .collect();
        Self {
            valid: t.valid,
            error: t.error,
            days_remaining: chain.first().map(|c| c.days_remaining),
            chain,
            captured_at: format_millis(t.captured_at),
        }
    }
}

/// `data` is null until an HTTPS check has seen a certificate.
#[derive(Object)]
pub struct TlsEnvelope {
    pub message: String,
    #[oai(nullable)]
    pub data: Option<TlsInfoDto>,
}

#[derive(ApiResponse)]
pub enum CreatedMonitor {
    #[oai(status = 201)]
    Created(Json<Envelope<MonitorDto>>),
}

#[derive(ApiResponse)]
pub enum YamlExport {
    #[oai(status = 200, content_type = "text/yaml; charset=utf-8")]
    Yaml(PlainText<String>),
}

pub struct MonitorsApi {
    pub state: Arc<AppState>,
}

fn split_ids(csv: &str) -> Vec<String> {
    csv.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

fn parse_time(field: &str, v: &str) -> ApiResult<i64> {
    chrono::DateTime::parse_from_rfc3339(v.trim())
        .map(|t| t.timestamp_millis())
        .or_else(|_| v.trim().parse::<i64>())
        .map_err(|_| {
            ApiError::validation(field, "must be an RFC 3339 time (2026-01-02T15:04:05Z) or Unix milliseconds")
        })
}

const MAX_POINTS: i64 = 20_000;

impl MonitorsApi {
    async fn existing(&self, id: &str) -> ApiResult<Monitor> {
        self.state.store.monitor(id).await?.ok_or_else(|| ApiError::not_found("Monitor not found"))
    }

    /// Monitors as the API shows them, with their tags' names and colours (one query).
    async fn dtos(&self, monitors: Vec<Monitor>) -> ApiResult<Vec<MonitorDto>> {
        let mut ids: Vec<String> = monitors.iter().flat_map(|m| m.tag_ids.iter().cloned()).collect();
        ids.sort_unstable();
        ids.dedup();
        let tags: HashMap<String, crate::domain::tag::Tag> =
            self.state.store.tags_by_ids(&ids).await?.into_iter().map(|t| (t.id.clone(), t)).collect();
        let monitor_ids: Vec<String> = monitors.iter().map(|m| m.id.clone()).collect();
        let mut owners = self.state.store.managed_by(ManagedKind::Monitor, &monitor_ids).await?;
        Ok(monitors
            .into_iter()
            .map(|m| {
                let mut dto = MonitorDto::from(m);
                dto.managed_by = owners.remove(&dto.id);
                for t in &mut dto.tags {
                    if let Some(tag) = tags.get(&t.tag_id) {
                        t.name = tag.name.clone();
                        t.color = tag.color.clone();
                    }
                }
                dto
            })
            .collect())
    }

    /// Refuses to change a monitor the monitors file owns (409 naming `managed_by`).
    async fn ensure_editable(&self, id: &str) -> ApiResult<()> {
        let owners = self.state.store.managed_by(ManagedKind::Monitor, &[id.to_string()]).await?;
        match owners.get(id) {
            Some(owner) => Err(ApiError::conflict(
                Some("managed_by".into()),
                format!(
                    "this monitor is managed by the {owner}: edit the monitors file and run `peekaping apply` (or restart) instead"
                ),
            )),
            None => Ok(()),
        }
    }

    async fn dto(&self, monitor: Monitor) -> ApiResult<MonitorDto> {
        Ok(self.dtos(vec![monitor]).await?.pop().expect("one monitor in, one out"))
    }

    async fn announce(&self, id: &str, action: ChangeAction) {
        let ev = BusEvent::MonitorChanged { id: id.to_string(), action };
        if let Err(e) = self.state.bus.publish(&ev).await {
            tracing::warn!(error = %e, "publishing a monitor change failed");
        }
    }

    /// The draft an input body makes (defaults filled in): shared with the monitors file.
    pub(crate) fn draft_from(input: MonitorInput, base: Option<&Monitor>) -> MonitorDraft {
        let interval = input.interval.unwrap_or(60);
        let mut push_token = input.push_token.filter(|t| !t.is_empty());
        if input.kind == "push" && push_token.is_none() {
            push_token = Some(new_push_token());
        }
        MonitorDraft {
            timeout: input.timeout.unwrap_or_else(|| (interval * 4 / 5).clamp(1, 48)),
            retry_interval: input.retry_interval.unwrap_or(interval),
            interval,
            kind: input.kind,
            name: input.name.trim().to_string(),
            max_retries: input.max_retries.unwrap_or(0),
            resend_interval: input.resend_interval.unwrap_or(0),
            active: input.active.unwrap_or(true),
            config: input.config.unwrap_or_else(|| "{}".into()),
            proxy_id: input.proxy_id.filter(|p| !p.is_empty()),
            push_token,
            parent_id: input.parent_id.filter(|p| !p.is_empty()),
            depends_on: input.depends_on.filter(|p| !p.is_empty()),
            notify_after_failures: input.notify_after_failures.unwrap_or(1),
            notify_after_successes: input.notify_after_successes.unwrap_or(1),
            notification_ids: input.notification_ids.unwrap_or_default(),
            tags: match (input.tags, input.tag_ids) {
                (Some(t), _) => links(t),
                (None, ids) => links_from_tag_ids(&ids.unwrap_or_default(), base.map_or(&[][..], |b| &b.tags)),
            },
        }
    }

    /// Validates a draft and stores it over `base` (update) or as a new monitor.
    /// `tags_field` names the field the client sent its tags in, for errors about them.
    async fn save(&self, mut draft: MonitorDraft, base: Option<Monitor>, tags_field: &str) -> ApiResult<Monitor> {
        draft.validate(&self.state.config.limits)?;
        draft.tags = crate::domain::tag::validate_monitor_tags(&draft.tags)?;
        let now = now_millis();
        let (id, status, created_at) = match &base {
            Some(b) => (b.id.clone(), b.status, b.created_at),
            None => (uuid::Uuid::now_v7().to_string(), MonitorStatus::Pending, now),
        };
        let tag_ids = draft.tag_ids();
        let monitor = Monitor {
            id,
            kind: draft.kind,
            name: draft.name,
            interval: draft.interval,
            timeout: draft.timeout,
            max_retries: draft.max_retries,
            retry_interval: draft.retry_interval,
            resend_interval: draft.resend_interval,
            active: draft.active,
            status,
            config: draft.config,
            proxy_id: draft.proxy_id,
            push_token: draft.push_token,
            parent_id: draft.parent_id,
            depends_on: draft.depends_on,
            notify_after_failures: draft.notify_after_failures,
            notify_after_successes: draft.notify_after_successes,
            run_started_at: base.as_ref().and_then(|b| b.run_started_at),
            notification_ids: draft.notification_ids,
            tag_ids,
            tags: draft.tags,
            created_at,
            updated_at: now,
        };
        let named = |e: StoreError| match e {
            StoreError::InvalidReference { field, message } if field == "tags" => {
                StoreError::InvalidReference { field: tags_field.to_string(), message }
            }
            other => other,
        };
        if base.is_some() {
            self.state.store.update_monitor(&monitor).await.map_err(named)?;
            self.announce(&monitor.id, ChangeAction::Updated).await;
        } else {
            self.state.store.insert_monitor(&monitor).await.map_err(named)?;
            self.announce(&monitor.id, ChangeAction::Created).await;
        }
        Ok(monitor)
    }
}

#[OpenApi(prefix_path = "/monitors", tag = "MonitorTag::Monitors")]
impl MonitorsApi {
    /// List monitors: search by name or URL/host, filter, page (0-based).
    #[oai(path = "/", method = "get")]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        _auth: BearerAuth,
        q: Query<Option<String>>,
        #[oai(default = "default_page")] page: Query<u32>,
        #[oai(default = "default_limit", validator(minimum(value = "1"), maximum(value = "1000")))] limit: Query<u32>,
        active: Query<Option<bool>>,
        #[oai(validator(maximum(value = "3")))] status: Query<Option<u8>>,
        tag_ids: Query<Option<String>>,
        #[oai(name = "type")] kind: Query<Option<String>>,
    ) -> ApiResult<Json<ListEnvelope<MonitorDto>>> {
        let filter = MonitorFilter {
            q: q.0,
            active: active.0,
            status: status.0.and_then(MonitorStatus::from_u8),
            kind: kind.0.filter(|k| !k.is_empty()),
            tag_ids: tag_ids.0.as_deref().map(split_ids).unwrap_or_default(),
            page: page.0,
            limit: limit.0,
        };
        let p = self.state.store.list_monitors(&filter).await?;
        Ok(Json(ListEnvelope { message: "success".into(), data: self.dtos(p.items).await?, total: p.total }))
    }

    /// Monitors by id (comma-separated), in the order asked.
    #[oai(path = "/batch", method = "get")]
    async fn batch(&self, _auth: BearerAuth, ids: Query<String>) -> ApiResult<Json<Envelope<Vec<MonitorDto>>>> {
        let ids = split_ids(&ids.0);
        if ids.len() > 1000 {
            return Err(ApiError::validation("ids", "at most 1000 ids"));
        }
        let monitors = self.state.store.monitors_by_ids(&ids).await?;
        Ok(Json(Envelope::ok(self.dtos(monitors).await?)))
    }

    /// The latest heartbeats of many monitors at once (oldest first), for list views.
    #[oai(path = "/heartbeats/latest", method = "get")]
    async fn latest_heartbeats(
        &self,
        _auth: BearerAuth,
        ids: Query<String>,
        #[oai(default = "default_bar", validator(minimum(value = "1"), maximum(value = "200")))] limit: Query<u32>,
    ) -> ApiResult<Json<Envelope<HashMap<String, Vec<HeartbeatDto>>>>> {
        let ids = split_ids(&ids.0);
        if ids.len() > 500 {
            return Err(ApiError::validation("ids", "at most 500 ids"));
        }
        let beats = self.state.store.latest_heartbeats(&ids, limit.0).await?;
        Ok(Json(Envelope::ok(beats.into_iter().map(|(k, v)| (k, v.into_iter().map(Into::into).collect())).collect())))
    }

    /// Create a monitor. Its first check runs right away.
    #[oai(path = "/", method = "post")]
    async fn create(&self, _auth: BearerAuth, body: Json<MonitorInput>) -> ApiResult<CreatedMonitor> {
        let use_defaults = body.0.notification_ids.is_none();
        let tags_field = if body.0.tags.is_some() { "tags" } else { "tag_ids" };
        let mut draft = Self::draft_from(body.0, None);
        if use_defaults {
            draft.notification_ids = self.state.store.default_channel_ids().await?;
        }
        let m = self.save(draft, None, tags_field).await?;
        Ok(CreatedMonitor::Created(Json(Envelope::with("Monitor created successfully", self.dto(m).await?))))
    }

    #[oai(path = "/:id", method = "get")]
    async fn get(&self, _auth: BearerAuth, id: Path<String>) -> ApiResult<Json<Envelope<MonitorDto>>> {
        let m = self.existing(&id.0).await?;
        Ok(Json(Envelope::ok(self.dto(m).await?)))
    }

    /// Replace a monitor.
    #[oai(path = "/:id", method = "put")]
    async fn put(
        &self,
        _auth: BearerAuth,
        id: Path<String>,
        body: Json<MonitorInput>,
    ) -> ApiResult<Json<Envelope<MonitorDto>>> {
        let base = self.existing(&id.0).await?;
        self.ensure_editable(&id.0).await?;
        let tags_field = if body.0.tags.is_some() { "tags" } else { "tag_ids" };
        let mut draft = Self::draft_from(body.0, Some(&base));
        if draft.kind == "push" && draft.push_token.is_none() {
            draft.push_token = base.push_token.clone();
        }
        let m = self.save(draft, Some(base), tags_field).await?;
        Ok(Json(Envelope::with("Monitor updated successfully", self.dto(m).await?)))
    }

    /// Change some fields of a monitor (e.g. `{"active": false}` to pause it).
    #[oai(path = "/:id", method = "patch")]
    async fn patch(
        &self,
        _auth: BearerAuth,
        id: Path<String>,
        body: Json<MonitorPatchInput>,
    ) -> ApiResult<Json<Envelope<MonitorDto>>> {
        let base = self.existing(&id.0).await?;
        self.ensure_editable(&id.0).await?;
        let b = body.0;
        let tags_field = if b.tags.is_some() { "tags" } else { "tag_ids" };
        let opt = |v: MaybeUndefined<String>| match v {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(s) if s.is_empty() => Some(None),
            MaybeUndefined::Value(s) => Some(Some(s)),
        };
        let patch = MonitorPatch {
            kind: b.kind,
            name: b.name.map(|n| n.trim().to_string()),
            interval: b.interval,
            timeout: b.timeout,
            max_retries: b.max_retries,
            retry_interval: b.retry_interval,
            resend_interval: b.resend_interval,
            active: b.active,
            config: b.config,
            proxy_id: opt(b.proxy_id),
            push_token: opt(b.push_token),
            parent_id: opt(b.parent_id),
            depends_on: opt(b.depends_on),
            notify_after_failures: b.notify_after_failures,
            notify_after_successes: b.notify_after_successes,
            notification_ids: b.notification_ids,
            tag_ids: b.tag_ids,
            tags: b.tags.map(links),
        };
        let mut draft = patch.apply(&base);
        if draft.kind == "push" && draft.push_token.is_none() {
            draft.push_token = Some(new_push_token());
        }
        let m = self.save(draft, Some(base), tags_field).await?;
        Ok(Json(Envelope::with("Monitor updated successfully", self.dto(m).await?)))
    }

    /// Delete a monitor with all its heartbeats and statistics.
    #[oai(path = "/:id", method = "delete")]
    async fn delete(&self, _auth: BearerAuth, id: Path<String>) -> ApiResult<Json<MessageOnly>> {
        self.ensure_editable(&id.0).await?;
        if !self.state.store.delete_monitor(&id.0).await? {
            return Err(ApiError::not_found("Monitor not found"));
        }
        self.announce(&id.0, ChangeAction::Deleted).await;
        Ok(Json(MessageOnly::new("Monitor deleted successfully")))
    }

    /// The monitor as a monitors-file entry (YAML), ready to paste into the file: applying
    /// it targets this very monitor (it carries the id).
    #[oai(path = "/:id/yaml", method = "get")]
    async fn yaml(&self, _auth: BearerAuth, id: Path<String>) -> ApiResult<YamlExport> {
        let m = self.existing(&id.0).await?;
        let text = crate::config_file::export_monitor(&*self.state.store, &m).await?;
        Ok(YamlExport::Yaml(PlainText(text)))
    }

    /// Delete a monitor's heartbeats and statistics; it starts over as PENDING.
    #[oai(path = "/:id/reset", method = "post")]
    async fn reset(&self, _auth: BearerAuth, id: Path<String>) -> ApiResult<Json<MessageOnly>> {
        self.existing(&id.0).await?;
        self.state.store.reset_monitor_data(&id.0).await?;
        self.announce(&id.0, ChangeAction::Updated).await;
        Ok(Json(MessageOnly::new("Monitor data reset successfully")))
    }

    /// Heartbeats, newest first (or oldest first with `reverse=true`); `important=true`
    /// lists only status changes.
    #[oai(path = "/:id/heartbeats", method = "get")]
    async fn heartbeats(
        &self,
        _auth: BearerAuth,
        id: Path<String>,
        #[oai(default = "default_heartbeat_limit", validator(minimum(value = "1"), maximum(value = "1000")))]
        limit: Query<u32>,
        #[oai(default = "default_page")] page: Query<u32>,
        important: Query<Option<bool>>,
        reverse: Query<Option<bool>>,
    ) -> ApiResult<Json<Envelope<Vec<HeartbeatDto>>>> {
        self.existing(&id.0).await?;
        let q = HeartbeatQuery {
            limit: limit.0,
            page: page.0,
            important_only: important.0.unwrap_or(false),
            oldest_first: reverse.0.unwrap_or(false),
        };
        let beats = self.state.store.heartbeats(&id.0, &q).await?;
        Ok(Json(Envelope::ok(beats.into_iter().map(Into::into).collect())))
    }

    /// Uptime in percent over the last 24 h, 7 d, 30 d and 365 d (null without data).
    #[oai(path = "/:id/stats/uptime", method = "get")]
    async fn uptime(&self, _auth: BearerAuth, id: Path<String>) -> ApiResult<Json<Envelope<UptimeDto>>> {
        self.existing(&id.0).await?;
        let now = now_millis();
        let mut values = Vec::with_capacity(4);
        for w in UptimeWindow::ALL {
            let total = self.state.store.rollup_total(&id.0, w.granularity(), w.first_bucket(now), now + 1).await?;
            values.push(total.uptime_percent());
        }
        Ok(Json(Envelope::ok(UptimeDto { day: values[0], week: values[1], month: values[2], year: values[3] })))
    }

    /// Chart points from the minute, hour or day rollups between `since` and `until`.
    #[oai(path = "/:id/stats/points", method = "get")]
    async fn points(
        &self,
        _auth: BearerAuth,
        id: Path<String>,
        since: Query<String>,
        until: Query<Option<String>>,
        granularity: Query<Option<String>>,
    ) -> ApiResult<Json<Envelope<StatPointsDto>>> {
        self.existing(&id.0).await?;
        let since_ms = parse_time("since", &since.0)?;
        let until_ms = match &until.0 {
            Some(u) => parse_time("until", u)?,
            None => now_millis(),
        };
        if until_ms <= since_ms {
            return Err(ApiError::validation("until", "must be after since"));
        }
        let g = match granularity.0.as_deref() {
            None | Some("") => match until_ms - since_ms {
                d if d <= 6 * 3_600_000 => Granularity::Minute,
                d if d <= 14 * 86_400_000 => Granularity::Hour,
                _ => Granularity::Day,
            },
            Some(s) => Granularity::parse(s)
                .ok_or_else(|| ApiError::validation("granularity", "must be minute, hour or day"))?,
        };
        if (until_ms - since_ms) / g.bucket_millis() > MAX_POINTS {
            return Err(ApiError::validation(
                "granularity",
                "too many points for this range; choose a coarser granularity",
            ));
        }
        let points = self.state.store.rollup_points(&id.0, g, g.bucket_start(since_ms), until_ms + 1).await?;
        let mut total = RollupCounts::default();
        for p in &points {
            total.merge(&p.counts);
        }
        Ok(Json(Envelope::ok(StatPointsDto {
            max_ping: total.max_ping_ms(),
            min_ping: total.min_ping_ms(),
            avg_ping: total.avg_ping_ms(),
            uptime: total.uptime_percent(),
            points: points
                .into_iter()
                .map(|p| StatPointDto {
                    timestamp: p.bucket,
                    up: p.counts.up,
                    down: p.counts.down,
                    maintenance: p.counts.maintenance,
                    ping: p.counts.avg_ping_ms(),
                    ping_min: p.counts.min_ping_ms(),
                    ping_max: p.counts.max_ping_ms(),
                })
                .collect(),
        })))
    }

    /// The TLS certificate chain seen by the latest HTTPS check (null if none yet).
    #[oai(path = "/:id/tls", method = "get")]
    async fn tls(&self, _auth: BearerAuth, id: Path<String>) -> ApiResult<Json<TlsEnvelope>> {
        self.existing(&id.0).await?;
        let info = self.state.store.tls_info(&id.0).await?;
        Ok(Json(TlsEnvelope { message: "success".into(), data: info.map(|t| TlsInfoDto::new(t, now_millis())) }))
    }

    /// Whether the monitor's badges are served: they are public only for an active monitor
    /// on a published status page (listed there or through a section's tag).
    #[oai(path = "/:id/badges", method = "get")]
    async fn badges(&self, _auth: BearerAuth, id: Path<String>) -> ApiResult<Json<Envelope<BadgeExposure>>> {
        self.existing(&id.0).await?;
        let public = self.state.store.monitor_is_public(&id.0).await?;
        Ok(Json(Envelope::ok(BadgeExposure { public })))
    }
}

#[derive(Object)]
pub struct BadgeExposure {
    /// True when `/api/v1/badge/:id/…` answers for this monitor.
    pub public: bool,
}

fn default_page() -> u32 {
    0
}

fn default_limit() -> u32 {
    10
}

fn default_bar() -> u32 {
    30
}

fn default_heartbeat_limit() -> u32 {
    50
}

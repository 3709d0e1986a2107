//! `/status-pages` and `/incidents`: the admin's CRUD of status pages (slug, custom
//! domains, password, CSS, sections, monitors) and of the incidents posted on them, and
//! the public JSON a page exposes by slug or domain. Public endpoints enforce `published`
//! (404 otherwise) and the page password (401 until `POST …/auth` sets the signed
//! cookie), and show only what the page shows: names, statuses, beats, uptime.

use std::sync::Arc;

use poem::Request;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object, OpenApi, Tags};

use super::AppState;
use super::envelope::{Envelope, ListEnvelope, MessageOnly};
use super::error::{ApiError, ApiResult};
use super::session::BearerAuth;
use super::status_page_html::{PasswordCheck, check_password};
use super::status_page_view::{Denied, PublicMonitor, Snapshot};
use crate::bus::{BusEvent, ChangeAction};
use crate::domain::status_page::{
    Incident, IncidentStatus, IncidentUpdate, PASSWORD_MAX, SectionDraft, StatusPage, StatusPageDraft,
    StatusPageSection, validate_incident,
};
use crate::domain::{ValidationError, format_millis, now_millis};
use crate::store::StatusPageFilter;

#[derive(Tags)]
enum StatusPageTag {
    /// Status pages and their incidents.
    StatusPages,
}

#[derive(Object)]
#[oai(rename = "StatusPageSection")]
pub struct SectionDto {
    pub id: String,
    pub name: String,
    /// With a tag, the section also shows every monitor carrying it.
    #[oai(nullable)]
    pub tag_id: Option<String>,
    /// The monitors listed in this section, in order.
    pub monitor_ids: Vec<String>,
}

/// A status page as the API shows it (the password is never read back).
#[derive(Object)]
#[oai(rename = "StatusPage")]
pub struct StatusPageDto {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub icon: String,
    /// light, dark or auto.
    pub theme: String,
    pub published: bool,
    pub footer_text: String,
    /// Seconds between reloads of the public page; 0 is off.
    pub auto_refresh_interval: u32,
    pub custom_css: String,
    /// Whether visitors need the page password.
    pub has_password: bool,
    pub search_engine_index: bool,
    pub show_tags: bool,
    pub show_powered_by: bool,
    pub show_certificate_expiry: bool,
    /// Custom domains that serve this page at `/`.
    pub domains: Vec<String>,
    /// Monitors shown outside any section, in order.
    pub monitor_ids: Vec<String>,
    pub sections: Vec<SectionDto>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&StatusPage> for StatusPageDto {
    fn from(p: &StatusPage) -> Self {
        Self {
            id: p.id.clone(),
            slug: p.slug.clone(),
            title: p.title.clone(),
            description: p.description.clone(),
            icon: p.icon.clone(),
            theme: p.theme.clone(),
            published: p.published,
            footer_text: p.footer_text.clone(),
            auto_refresh_interval: p.auto_refresh_interval,
            custom_css: p.custom_css.clone(),
            has_password: p.password_hash.is_some(),
            search_engine_index: p.search_engine_index,
            show_tags: p.show_tags,
            show_powered_by: p.show_powered_by,
            show_certificate_expiry: p.show_certificate_expiry,
            domains: p.domains.clone(),
            monitor_ids: p.monitor_ids.clone(),
            sections: p.sections.iter().map(section_dto).collect(),
            created_at: format_millis(p.created_at),
            updated_at: format_millis(p.updated_at),
        }
    }
}

fn section_dto(s: &StatusPageSection) -> SectionDto {
    SectionDto { id: s.id.clone(), name: s.name.clone(), tag_id: s.tag_id.clone(), monitor_ids: s.monitor_ids.clone() }
}

#[derive(Object)]
pub struct SectionInput {
    pub name: String,
    pub monitor_ids: Option<Vec<String>>,
    pub tag_id: Option<String>,
}

/// A new status page. Absent fields take their defaults.
#[derive(Object)]
pub struct StatusPageInput {
    /// Lower-case letters, digits and dashes; unique.
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    pub icon: Option<String>,
    pub theme: Option<String>,
    pub published: Option<bool>,
    pub footer_text: Option<String>,
    pub auto_refresh_interval: Option<i64>,
    pub custom_css: Option<String>,
    /// Visitors must enter it; empty means none. Write-only.
    pub password: Option<String>,
    pub search_engine_index: Option<bool>,
    pub show_tags: Option<bool>,
    pub show_powered_by: Option<bool>,
    pub show_certificate_expiry: Option<bool>,
    pub domains: Option<Vec<String>>,
    pub monitor_ids: Option<Vec<String>>,
    pub sections: Option<Vec<SectionInput>>,
}

/// Fields to change; absent ones stay. `password`: a new one, or null/"" to remove it.
#[derive(Object)]
pub struct StatusPagePatchInput {
    pub slug: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub icon: Option<String>,
    pub theme: Option<String>,
    pub published: Option<bool>,
    pub footer_text: Option<String>,
    pub auto_refresh_interval: Option<i64>,
    pub custom_css: Option<String>,
    pub password: MaybeUndefined<String>,
    pub search_engine_index: Option<bool>,
    pub show_tags: Option<bool>,
    pub show_powered_by: Option<bool>,
    pub show_certificate_expiry: Option<bool>,
    pub domains: Option<Vec<String>>,
    pub monitor_ids: Option<Vec<String>>,
    pub sections: Option<Vec<SectionInput>>,
}

#[derive(Object)]
#[oai(rename = "IncidentUpdate")]
pub struct IncidentUpdateDto {
    pub id: String,
    /// investigating, identified, monitoring or resolved.
    pub status: String,
    pub message: String,
    pub created_at: String,
}

#[derive(Object)]
#[oai(rename = "Incident")]
pub struct IncidentDto {
    pub id: String,
    pub status_page_id: String,
    pub title: String,
    /// info, warning, danger, primary, light or dark.
    pub style: String,
    pub message: String,
    /// The status of the latest update (investigating when there is none).
    pub status: String,
    #[oai(nullable)]
    pub resolved_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Oldest first.
    pub updates: Vec<IncidentUpdateDto>,
}

impl From<&Incident> for IncidentDto {
    fn from(i: &Incident) -> Self {
        Self {
            id: i.id.clone(),
            status_page_id: i.status_page_id.clone(),
            title: i.title.clone(),
            style: i.style.clone(),
            message: i.message.clone(),
            status: i.status().as_str().into(),
            resolved_at: i.resolved_at.map(format_millis),
            created_at: format_millis(i.created_at),
            updated_at: format_millis(i.updated_at),
            updates: i
                .updates
                .iter()
                .map(|u| IncidentUpdateDto {
                    id: u.id.clone(),
                    status: u.status.as_str().into(),
                    message: u.message.clone(),
                    created_at: format_millis(u.created_at),
                })
                .collect(),
        }
    }
}

#[derive(Object)]
pub struct IncidentInput {
    pub title: String,
    /// info, warning (default), danger, primary, light or dark.
    pub style: Option<String>,
    pub message: Option<String>,
}

#[derive(Object)]
pub struct IncidentPatchInput {
    pub title: Option<String>,
    pub style: Option<String>,
    pub message: Option<String>,
}

#[derive(Object)]
pub struct IncidentUpdateInput {
    /// investigating, identified, monitoring or resolved (sets `resolved_at`).
    pub status: String,
    pub message: String,
}

/// A beat as Peekaping's public DTO has it (no message: it may name internal hosts).
#[derive(Object)]
pub struct PublicBeatDto {
    /// `<monitor id>:<unix ms>`.
    pub id: String,
    /// 0 DOWN, 1 UP, 2 PENDING, 3 MAINTENANCE.
    pub status: u8,
    pub time: String,
    pub end_time: String,
    /// Milliseconds.
    #[oai(nullable)]
    pub ping: Option<f64>,
}

#[derive(Object)]
pub struct PublicTagDto {
    pub name: String,
    pub color: String,
    pub value: String,
}

/// A monitor as a public page shows it: no URL, config or messages.
#[derive(Object)]
#[oai(rename = "PublicMonitor")]
pub struct PublicMonitorDto {
    pub id: String,
    pub name: String,
    #[oai(rename = "type")]
    pub kind: String,
    pub status: u8,
    pub active: bool,
    /// The section it is shown in; null outside sections.
    #[oai(nullable)]
    pub section_id: Option<String>,
    /// Percent over the last 24 h; null without data.
    #[oai(nullable)]
    pub uptime_24h: Option<f64>,
    /// Oldest first.
    pub heartbeats: Vec<PublicBeatDto>,
    /// Days until the certificate expires (when the page shows it).
    #[oai(nullable)]
    pub cert_expiry_days: Option<i64>,
    /// The monitor's tags (when the page shows them).
    pub tags: Vec<PublicTagDto>,
}

fn public_monitor(section: Option<&StatusPageSection>, m: &PublicMonitor, last_only: bool) -> PublicMonitorDto {
    let beats = if last_only { &m.beats[m.beats.len().saturating_sub(1)..] } else { &m.beats[..] };
    PublicMonitorDto {
        id: m.id.clone(),
        name: m.name.clone(),
        kind: m.kind.clone(),
        status: m.status.as_u8(),
        active: m.active,
        section_id: section.map(|s| s.id.clone()),
        uptime_24h: m.uptime_24h,
        heartbeats: beats
            .iter()
            .map(|b| PublicBeatDto {
                id: format!("{}:{}", b.monitor_id, b.time),
                status: b.status.as_u8(),
                time: format_millis(b.time),
                end_time: format_millis(b.time + b.ping_us.map_or(0, |p| (p / 1000) as i64)),
                ping: b.ping_ms(),
            })
            .collect(),
        cert_expiry_days: m.cert_days,
        tags: m
            .tags
            .iter()
            .map(|t| PublicTagDto { name: t.name.clone(), color: t.color.clone(), value: t.value.clone() })
            .collect(),
    }
}

#[derive(Object)]
pub struct PasswordInput {
    pub password: String,
}

#[derive(ApiResponse)]
pub enum Created<T: poem_openapi::types::ToJSON + poem_openapi::types::ParseFromJSON> {
    #[oai(status = 201)]
    Created(Json<Envelope<T>>),
}

#[derive(ApiResponse)]
pub enum Unlocked {
    /// The password is right: the cookie unlocks the page's public endpoints and HTML.
    #[oai(status = 200)]
    Ok(Json<MessageOnly>, #[oai(header = "Set-Cookie")] Option<String>),
}

pub struct StatusPagesApi {
    pub state: Arc<AppState>,
}

fn sections_from(input: Vec<SectionInput>) -> Vec<SectionDraft> {
    input
        .into_iter()
        .map(|s| SectionDraft { name: s.name, tag_id: s.tag_id, monitor_ids: s.monitor_ids.unwrap_or_default() })
        .collect()
}

fn check_password_text(p: &str) -> ApiResult<()> {
    if p.chars().count() > PASSWORD_MAX {
        return Err(ValidationError::new("password", format!("must be at most {PASSWORD_MAX} characters")).into());
    }
    Ok(())
}

impl StatusPagesApi {
    async fn existing(&self, id: &str) -> ApiResult<StatusPage> {
        self.state.store.status_page(id).await?.ok_or_else(|| ApiError::not_found("Status page not found"))
    }

    async fn existing_incident(&self, id: &str) -> ApiResult<Incident> {
        self.state.store.incident(id).await?.ok_or_else(|| ApiError::not_found("Incident not found"))
    }

    /// Drops this process's cached copy at once and tells the other replicas.
    async fn announce(&self, id: &str, action: ChangeAction) {
        self.state.status_pages.forget_page(id);
        let ev = BusEvent::StatusPageChanged { id: id.to_string(), action };
        if let Err(e) = self.state.bus.publish(&ev).await {
            tracing::warn!(error = %e, "publishing a status page change failed");
        }
    }

    /// Validates a draft and stores it as a new page or over `base`. `password`: None keeps
    /// the stored one, Some("") removes it, Some(p) sets it.
    async fn save(
        &self,
        draft: StatusPageDraft,
        password: Option<String>,
        base: Option<StatusPage>,
    ) -> ApiResult<StatusPage> {
        let v = draft.validate()?;
        let password_hash = match password {
            None => base.as_ref().and_then(|b| b.password_hash.clone()),
            Some(p) if p.is_empty() => None,
            Some(p) => {
                check_password_text(&p)?;
                Some(self.state.sessions.hash_password(&p).await?)
            }
        };
        let now = now_millis();
        let (id, created_at) = match &base {
            Some(b) => (b.id.clone(), b.created_at),
            None => (uuid::Uuid::now_v7().to_string(), now),
        };
        let page = StatusPage {
            id,
            slug: v.slug,
            title: v.title,
            description: v.description,
            icon: v.icon,
            theme: v.theme,
            published: v.published,
            footer_text: v.footer_text,
            auto_refresh_interval: u32::try_from(v.auto_refresh_interval).unwrap_or(0),
            custom_css: v.custom_css,
            password_hash,
            search_engine_index: v.search_engine_index,
            show_tags: v.show_tags,
            show_powered_by: v.show_powered_by,
            show_certificate_expiry: v.show_certificate_expiry,
            domains: v.domains,
            monitor_ids: v.monitor_ids,
            sections: v
                .sections
                .into_iter()
                .map(|s| StatusPageSection {
                    id: uuid::Uuid::now_v7().to_string(),
                    name: s.name,
                    tag_id: s.tag_id,
                    monitor_ids: s.monitor_ids,
                })
                .collect(),
            created_at,
            updated_at: now,
        };
        if base.is_some() {
            self.state.store.update_status_page(&page).await?;
            self.announce(&page.id, ChangeAction::Updated).await;
        } else {
            self.state.store.insert_status_page(&page).await?;
            self.announce(&page.id, ChangeAction::Created).await;
        }
        Ok(page)
    }

    async fn change(&self, id: &str, b: StatusPagePatchInput) -> ApiResult<StatusPage> {
        let base = self.existing(id).await?;
        let mut d = StatusPageDraft::from(&base);
        macro_rules! take {
            ($($f:ident),*) => { $( if let Some(v) = b.$f { d.$f = v; } )* };
        }
        take!(
            slug,
            title,
            description,
            icon,
            theme,
            published,
            footer_text,
            auto_refresh_interval,
            custom_css,
            search_engine_index,
            show_tags,
            show_powered_by,
            show_certificate_expiry,
            domains,
            monitor_ids
        );
        if let Some(s) = b.sections {
            d.sections = sections_from(s);
        }
        let password = match b.password {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(String::new()),
            MaybeUndefined::Value(p) => Some(p),
        };
        self.save(d, password, Some(base)).await
    }

    /// A published page by slug, and the request allowed to see it.
    async fn public(&self, req: &Request, slug: &str) -> ApiResult<Arc<Snapshot>> {
        let snap =
            self.state.status_pages.by_slug(slug).await?.ok_or_else(|| ApiError::not_found("Status page not found"))?;
        self.allowed(req, snap)
    }

    fn allowed(&self, req: &Request, snap: Arc<Snapshot>) -> ApiResult<Arc<Snapshot>> {
        match self.state.status_pages.check(&snap, req) {
            Ok(()) => Ok(snap),
            Err(Denied::NotFound) => Err(ApiError::not_found("Status page not found")),
            Err(Denied::PasswordRequired) => Err(ApiError::unauthorized(
                "password_required",
                format!("this status page needs its password: POST /api/v1/status-pages/slug/{}/auth", snap.page.slug),
            )),
        }
    }

    fn public_monitors(snap: &Snapshot, last_only: bool) -> Vec<PublicMonitorDto> {
        snap.monitors().map(|(g, m)| public_monitor(g.section.as_ref(), m, last_only)).collect()
    }
}

#[OpenApi(tag = "StatusPageTag::StatusPages")]
impl StatusPagesApi {
    /// List status pages (search by title or slug; 0-based pages), newest first.
    #[oai(path = "/status-pages", method = "get")]
    async fn list(
        &self,
        _auth: BearerAuth,
        q: Query<Option<String>>,
        #[oai(default = "default_page")] page: Query<u32>,
        #[oai(default = "default_limit", validator(minimum(value = "1"), maximum(value = "1000")))] limit: Query<u32>,
    ) -> ApiResult<Json<ListEnvelope<StatusPageDto>>> {
        let p = self.state.store.list_status_pages(&StatusPageFilter { q: q.0, page: page.0, limit: limit.0 }).await?;
        Ok(Json(ListEnvelope {
            message: "success".into(),
            data: p.items.iter().map(Into::into).collect(),
            total: p.total,
        }))
    }

    /// Create a status page.
    #[oai(path = "/status-pages", method = "post")]
    async fn create(&self, _auth: BearerAuth, body: Json<StatusPageInput>) -> ApiResult<Created<StatusPageDto>> {
        let b = body.0;
        let defaults = StatusPageDraft::default();
        let draft = StatusPageDraft {
            slug: b.slug,
            title: b.title,
            description: b.description.unwrap_or_default(),
            icon: b.icon.unwrap_or_default(),
            theme: b.theme.unwrap_or(defaults.theme),
            published: b.published.unwrap_or(defaults.published),
            footer_text: b.footer_text.unwrap_or_default(),
            auto_refresh_interval: b.auto_refresh_interval.unwrap_or(defaults.auto_refresh_interval),
            custom_css: b.custom_css.unwrap_or_default(),
            search_engine_index: b.search_engine_index.unwrap_or(defaults.search_engine_index),
            show_tags: b.show_tags.unwrap_or(defaults.show_tags),
            show_powered_by: b.show_powered_by.unwrap_or(defaults.show_powered_by),
            show_certificate_expiry: b.show_certificate_expiry.unwrap_or(defaults.show_certificate_expiry),
            domains: b.domains.unwrap_or_default(),
            monitor_ids: b.monitor_ids.unwrap_or_default(),
            sections: sections_from(b.sections.unwrap_or_default()),
        };
        let page = self.save(draft, b.password.filter(|p| !p.is_empty()), None).await?;
        Ok(Created::Created(Json(Envelope::with("Status page created successfully", (&page).into()))))
    }

    #[oai(path = "/status-pages/:id", method = "get")]
    async fn get(&self, _auth: BearerAuth, id: Path<String>) -> ApiResult<Json<Envelope<StatusPageDto>>> {
        Ok(Json(Envelope::ok((&self.existing(&id.0).await?).into())))
    }

    /// Change some fields of a page; `sections`, `monitor_ids` and `domains` replace the
    /// stored lists when present.
    #[oai(path = "/status-pages/:id", method = "patch")]
    async fn patch(
        &self,
        _auth: BearerAuth,
        id: Path<String>,
        body: Json<StatusPagePatchInput>,
    ) -> ApiResult<Json<Envelope<StatusPageDto>>> {
        let page = self.change(&id.0, body.0).await?;
        Ok(Json(Envelope::with("Status page updated successfully", (&page).into())))
    }

    /// The same as PATCH (Peekaping clients send PUT with the fields they edit).
    #[oai(path = "/status-pages/:id", method = "put")]
    async fn put(
        &self,
        _auth: BearerAuth,
        id: Path<String>,
        body: Json<StatusPagePatchInput>,
    ) -> ApiResult<Json<Envelope<StatusPageDto>>> {
        let page = self.change(&id.0, body.0).await?;
        Ok(Json(Envelope::with("Status page updated successfully", (&page).into())))
    }

    /// Delete a page with its incidents.
    #[oai(path = "/status-pages/:id", method = "delete")]
    async fn delete(&self, _auth: BearerAuth, id: Path<String>) -> ApiResult<Json<MessageOnly>> {
        if !self.state.store.delete_status_page(&id.0).await? {
            return Err(ApiError::not_found("Status page not found"));
        }
        self.announce(&id.0, ChangeAction::Deleted).await;
        Ok(Json(MessageOnly::new("Status page deleted successfully")))
    }

    /// The incidents of a page, newest first.
    #[oai(path = "/status-pages/:id/incidents", method = "get")]
    async fn list_incidents(
        &self,
        _auth: BearerAuth,
        id: Path<String>,
        #[oai(default = "default_limit", validator(minimum(value = "1"), maximum(value = "1000")))] limit: Query<u32>,
    ) -> ApiResult<Json<Envelope<Vec<IncidentDto>>>> {
        self.existing(&id.0).await?;
        let list = self.state.store.incidents(&id.0, limit.0).await?;
        Ok(Json(Envelope::ok(list.iter().map(Into::into).collect())))
    }

    /// Post an incident on a page.
    #[oai(path = "/status-pages/:id/incidents", method = "post")]
    async fn create_incident(
        &self,
        _auth: BearerAuth,
        id: Path<String>,
        body: Json<IncidentInput>,
    ) -> ApiResult<Created<IncidentDto>> {
        let page = self.existing(&id.0).await?;
        let b = body.0;
        let (title, style, message) =
            validate_incident(&b.title, b.style.as_deref().unwrap_or("warning"), b.message.as_deref().unwrap_or(""))?;
        let now = now_millis();
        let incident = Incident {
            id: uuid::Uuid::now_v7().to_string(),
            status_page_id: page.id.clone(),
            title,
            style,
            message,
            resolved_at: None,
            created_at: now,
            updated_at: now,
            updates: vec![],
        };
        self.state.store.insert_incident(&incident).await?;
        self.announce(&page.id, ChangeAction::Updated).await;
        Ok(Created::Created(Json(Envelope::with("Incident created successfully", (&incident).into()))))
    }

    #[oai(path = "/incidents/:id", method = "get")]
    async fn get_incident(&self, _auth: BearerAuth, id: Path<String>) -> ApiResult<Json<Envelope<IncidentDto>>> {
        Ok(Json(Envelope::ok((&self.existing_incident(&id.0).await?).into())))
    }

    /// Change an incident's title, style or message.
    #[oai(path = "/incidents/:id", method = "patch")]
    async fn patch_incident(
        &self,
        _auth: BearerAuth,
        id: Path<String>,
        body: Json<IncidentPatchInput>,
    ) -> ApiResult<Json<Envelope<IncidentDto>>> {
        let mut i = self.existing_incident(&id.0).await?;
        let b = body.0;
        let (title, style, message) = validate_incident(
            b.title.as_deref().unwrap_or(&i.title),
            b.style.as_deref().unwrap_or(&i.style),
            b.message.as_deref().unwrap_or(&i.message),
        )?;
        (i.title, i.style, i.message, i.updated_at) = (title, style, message, now_millis());
        self.state.store.update_incident(&i).await?;
        self.announce(&i.status_page_id, ChangeAction::Updated).await;
        Ok(Json(Envelope::with("Incident updated successfully", (&i).into())))
    }

    #[oai(path = "/incidents/:id", method = "delete")]
    async fn delete_incident(&self, _auth: BearerAuth, id: Path<String>) -> ApiResult<Json<MessageOnly>> {
        let i = self.existing_incident(&id.0).await?;
        self.state.store.delete_incident(&i.id).await?;
        self.announce(&i.status_page_id, ChangeAction::Updated).await;
        Ok(Json(MessageOnly::new("Incident deleted successfully")))
    }

    /// Post an update on an incident; `resolved` resolves it, any other status reopens it.
    #[oai(path = "/incidents/:id/updates", method = "post")]
    async fn add_update(
        &self,
        _auth: BearerAuth,
        id: Path<String>,
        body: Json<IncidentUpdateInput>,
    ) -> ApiResult<Created<IncidentDto>> {
        let i = self.existing_incident(&id.0).await?;
        let b = body.0;
        let status = IncidentStatus::parse(&b.status).ok_or_else(|| {
            ValidationError::new("status", "must be one of investigating, identified, monitoring, resolved")
        })?;
        let message = b.message.trim().to_string();
        if message.is_empty() {
            return Err(ValidationError::new("message", "is required").into());
        }
        if message.chars().count() > crate::domain::status_page::TEXT_MAX {
            return Err(ValidationError::new("message", "is too long").into());
        }
        let now = now_millis();
        let update = IncidentUpdate {
            id: uuid::Uuid::now_v7().to_string(),
            incident_id: i.id.clone(),
            status,
            message,
            created_at: now,
        };
        let resolved_at = (status == IncidentStatus::Resolved).then(|| i.resolved_at.unwrap_or(now));
        self.state.store.add_incident_update(&update, resolved_at).await?;
        self.announce(&i.status_page_id, ChangeAction::Updated).await;
        let fresh = self.existing_incident(&i.id).await?;
        Ok(Created::Created(Json(Envelope::with("Incident update posted", (&fresh).into()))))
    }

    /// Public: a published page by slug (401 `password_required` until unlocked).
    #[oai(path = "/status-pages/slug/:slug", method = "get")]
    async fn public_by_slug(&self, req: &Request, slug: Path<String>) -> ApiResult<Json<Envelope<StatusPageDto>>> {
        let snap = self.public(req, &slug.0).await?;
        Ok(Json(Envelope::ok((&snap.page).into())))
    }

    /// Public: the published page a custom domain serves (the web app's custom-host check).
    #[oai(path = "/status-pages/domain/:domain", method = "get")]
    async fn public_by_domain(&self, req: &Request, domain: Path<String>) -> ApiResult<Json<Envelope<StatusPageDto>>> {
        let id = self
            .state
            .status_pages
            .page_for_host(&domain.0)
            .await?
            .ok_or_else(|| ApiError::not_found("Status page not found"))?;
        let snap =
            self.state.status_pages.by_id(&id).await?.ok_or_else(|| ApiError::not_found("Status page not found"))?;
        let snap = self.allowed(req, snap)?;
        Ok(Json(Envelope::ok((&snap.page).into())))
    }

    /// Public: the page's monitors with their last 100 beats and 24 h uptime.
    #[oai(path = "/status-pages/slug/:slug/monitors", method = "get")]
    async fn public_monitors_full(
        &self,
        req: &Request,
        slug: Path<String>,
    ) -> ApiResult<Json<Envelope<Vec<PublicMonitorDto>>>> {
        let snap = self.public(req, &slug.0).await?;
        Ok(Json(Envelope::ok(Self::public_monitors(&snap, false))))
    }

    /// Public: the page's monitors with their last beat only.
    #[oai(path = "/status-pages/slug/:slug/monitors/homepage", method = "get")]
    async fn public_monitors_home(
        &self,
        req: &Request,
        slug: Path<String>,
    ) -> ApiResult<Json<Envelope<Vec<PublicMonitorDto>>>> {
        let snap = self.public(req, &slug.0).await?;
        Ok(Json(Envelope::ok(Self::public_monitors(&snap, true))))
    }

    /// Public: the page's latest incidents with their updates, newest first.
    #[oai(path = "/status-pages/slug/:slug/incidents", method = "get")]
    async fn public_incidents(&self, req: &Request, slug: Path<String>) -> ApiResult<Json<Envelope<Vec<IncidentDto>>>> {
        let snap = self.public(req, &slug.0).await?;
        Ok(Json(Envelope::ok(snap.incidents.iter().map(Into::into).collect())))
    }

    /// Public: unlock a password-protected page. Sets an HttpOnly, SameSite=Lax cookie,
    /// signed by the server, that the public endpoints and `/status/:slug` accept.
    #[oai(path = "/status-pages/slug/:slug/auth", method = "post")]
    async fn unlock(&self, req: &Request, slug: Path<String>, body: Json<PasswordInput>) -> ApiResult<Unlocked> {
        let snap = self.state.status_pages.by_slug(&slug.0).await?;
        let snap = snap.filter(|s| s.page.published).ok_or_else(|| ApiError::not_found("Status page not found"))?;
        if snap.page.password_hash.is_none() {
            return Ok(Unlocked::Ok(Json(MessageOnly::new("This status page has no password")), None));
        }
        if body.0.password.is_empty() {
            return Err(ValidationError::new("password", "is required").into());
        }
        match check_password(&self.state, req, &snap.page, &body.0.password).await {
            Ok(true) => {
                let secure = req.headers().get("x-forwarded-proto").and_then(|h| h.to_str().ok()) == Some("https");
                let cookie = self.state.status_pages.unlock_cookie(&snap.page, secure);
                Ok(Unlocked::Ok(Json(MessageOnly::new("Status page unlocked")), Some(cookie)))
            }
            Ok(false) => Err(ApiError::unauthorized("wrong_password", "wrong password")),
            Err(PasswordCheck::Locked(secs)) => Err(ApiError::rate_limited(secs)),
            Err(PasswordCheck::Store(e)) => Err(e.into()),
        }
    }
}

fn default_page() -> u32 {
    0
}

fn default_limit() -> u32 {
    50
}

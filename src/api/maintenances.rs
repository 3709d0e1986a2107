//! `/maintenances`: maintenance windows and the monitors they cover. Every change is
//! announced (`MaintenanceChanged`) so the producer re-reads its list; reads include the
//! next windows, and `POST /maintenances/preview` computes them for an unsaved form.

use std::sync::Arc;

use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi, Tags};

use super::AppState;
use super::envelope::{Envelope, ListEnvelope, MessageOnly};
use super::error::{ApiError, ApiResult};
use super::session::BearerAuth;
use crate::bus::{BusEvent, ChangeAction};
use crate::domain::maintenance::{
    Maintenance, MaintenanceDraft, Strategy, Window, format_local_date_time, format_time, is_active, next_windows,
};
use crate::domain::{UnixMillis, ValidationError, format_millis, now_millis};
use crate::store::MaintenanceFilter;

#[derive(Tags)]
enum MaintenanceTag {
    /// Maintenance windows: monitors are not checked (beats read MAINTENANCE) while one is on.
    Maintenances,
}

/// How many upcoming windows reads include.
const PREVIEW_WINDOWS: usize = 5;

/// One maintenance window.
#[derive(Object)]
#[oai(rename = "MaintenanceWindow")]
pub struct WindowDto {
    /// RFC 3339 UTC.
    pub start: String,
    /// RFC 3339 UTC; null for a manual maintenance (on until paused).
    #[oai(nullable)]
    pub end: Option<String>,
}

impl From<Window> for WindowDto {
    fn from(w: Window) -> Self {
        Self { start: format_millis(w.start), end: w.end.map(format_millis) }
    }
}

/// A maintenance as the API shows it.
#[derive(Object)]
#[oai(rename = "Maintenance")]
pub struct MaintenanceDto {
    pub id: String,
    pub title: String,
    pub description: String,
    /// False while paused.
    pub active: bool,
    /// manual, single, cron, recurring-interval, recurring-weekday or recurring-day-of-month.
    pub strategy: String,
    /// Local time in `timezone`, `YYYY-MM-DDTHH:mm`.
    #[oai(nullable)]
    pub start_date_time: Option<String>,
    #[oai(nullable)]
    pub end_date_time: Option<String>,
    /// Local `HH:mm`.
    #[oai(nullable)]
    pub start_time: Option<String>,
    #[oai(nullable)]
    pub end_time: Option<String>,
    /// 0 = Sunday … 6 = Saturday.
    pub weekdays: Vec<u8>,
    /// Days 1–31 and `"lastDay1"` (the last day of the month) … `"lastDay4"`.
    pub days_of_month: Vec<serde_json::Value>,
    #[oai(nullable)]
    pub interval_day: Option<u32>,
    #[oai(nullable)]
    pub cron: Option<String>,
    /// Minutes each cron window lasts.
    #[oai(nullable)]
    pub duration: Option<u32>,
    pub timezone: String,
    pub monitor_ids: Vec<String>,
    /// `under-maintenance` (a window is on), `scheduled`, `ended` or `inactive` (paused).
    pub status: String,
    /// The next windows (the first may be under way).
    pub next_windows: Vec<WindowDto>,
    pub created_at: String,
    pub updated_at: String,
}

fn status_of(m: &Maintenance, now: UnixMillis) -> &'static str {
    if !m.active {
        "inactive"
    } else if is_active(m, now) {
        "under-maintenance"
    } else if next_windows(m, now, 1).is_empty() {
        "ended"
    } else {
        "scheduled"
    }
}

fn to_dto(m: Maintenance, now: UnixMillis) -> MaintenanceDto {
    let status = status_of(&m, now).to_string();
    let windows = next_windows(&m, now, PREVIEW_WINDOWS).into_iter().map(Into::into).collect();
    MaintenanceDto {
        status,
        next_windows: windows,
        id: m.id,
        title: m.title,
        description: m.description,
        active: m.active,
        strategy: m.strategy.as_str().into(),
        start_date_time: m.start_date_time.map(format_local_date_time),
        end_date_time: m.end_date_time.map(format_local_date_time),
        start_time: m.start_time.map(format_time),
        end_time: m.end_time.map(format_time),
        weekdays: m.weekdays,
        days_of_month: m.days_of_month.iter().map(|d| d.to_json()).collect(),
        interval_day: m.interval_day,
        cron: m.cron,
        duration: m.duration,
        timezone: m.timezone,
        monitor_ids: m.monitor_ids,
        created_at: format_millis(m.created_at),
        updated_at: format_millis(m.updated_at),
    }
}

/// A whole maintenance, for create (POST), full update (PUT) and preview.
#[derive(Object)]
pub struct MaintenanceInput {
    /// 1–150 characters.
    pub title: String,
    pub description: Option<String>,
    /// Default true; false creates it paused.
    pub active: Option<bool>,
    /// manual, single, cron, recurring-interval, recurring-weekday or recurring-day-of-month.
    pub strategy: String,
    /// `YYYY-MM-DDTHH:mm` in `timezone`: the window (single) or the date range (others).
    pub start_date_time: Option<String>,
    pub end_date_time: Option<String>,
    /// `HH:mm` (recurring strategies); an end before the start ends the next day.
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    /// 0 = Sunday … 6 = Saturday (recurring-weekday).
    pub weekdays: Option<Vec<i64>>,
    /// Days 1–31 and `"lastDay1"` … `"lastDay4"` (recurring-day-of-month).
    pub days_of_month: Option<Vec<serde_json::Value>>,
    /// Every N days (recurring-interval).
    pub interval_day: Option<u32>,
    /// Cron expression (cron strategy).
    pub cron: Option<String>,
    /// Minutes each cron window lasts (cron strategy).
    pub duration: Option<u32>,
    /// IANA time zone, default UTC.
    pub timezone: Option<String>,
    pub monitor_ids: Option<Vec<String>>,
}

/// Fields to change; absent ones stay.
#[derive(Object)]
pub struct MaintenancePatchInput {
    pub title: Option<String>,
    pub description: Option<String>,
    pub active: Option<bool>,
    pub strategy: Option<String>,
    pub start_date_time: Option<String>,
    pub end_date_time: Option<String>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub weekdays: Option<Vec<i64>>,
    pub days_of_month: Option<Vec<serde_json::Value>>,
    pub interval_day: Option<u32>,
    pub cron: Option<String>,
    pub duration: Option<u32>,
    pub timezone: Option<String>,
    pub monitor_ids: Option<Vec<String>>,
}

/// What a maintenance would do, without saving it.
#[derive(Object)]
pub struct MaintenancePreview {
    pub status: String,
    pub next_windows: Vec<WindowDto>,
}

#[derive(ApiResponse)]
pub enum CreatedMaintenance {
    #[oai(status = 201)]
    Created(Json<Envelope<MaintenanceDto>>),
}

fn month_days(values: Vec<serde_json::Value>) -> Result<Vec<String>, ValidationError> {
    values
        .into_iter()
        .map(|v| match v {
            serde_json::Value::String(s) => Ok(s),
            serde_json::Value::Number(n) => Ok(n.to_string()),
            _ => Err(ValidationError::new("days_of_month", "days are numbers 1 to 31 or \"lastDay1\"")),
        })
        .collect()
}

fn draft_from(i: MaintenanceInput) -> Result<MaintenanceDraft, ValidationError> {
    Ok(MaintenanceDraft {
        title: i.title,
        description: i.description.unwrap_or_default(),
        active: i.active.unwrap_or(true),
        strategy: i.strategy,
        start_date_time: i.start_date_time,
        end_date_time: i.end_date_time,
        start_time: i.start_time,
        end_time: i.end_time,
        weekdays: i.weekdays.unwrap_or_default(),
        days_of_month: month_days(i.days_of_month.unwrap_or_default())?,
        interval_day: i.interval_day,
        cron: i.cron,
        duration: i.duration,
        timezone: i.timezone.unwrap_or_default(),
        monitor_ids: i.monitor_ids.unwrap_or_default(),
    })
}

fn patched(base: &Maintenance, p: MaintenancePatchInput) -> Result<MaintenanceDraft, ValidationError> {
    let days = match p.days_of_month {
        Some(d) => month_days(d)?,
        None => base
            .days_of_month
            .iter()
            .map(|d| d.to_json().as_str().map_or(d.to_json().to_string(), str::to_string))
            .collect(),
    };
    Ok(MaintenanceDraft {
        title: p.title.unwrap_or_else(|| base.title.clone()),
        description: p.description.unwrap_or_else(|| base.description.clone()),
        active: p.active.unwrap_or(base.active),
        strategy: p.strategy.unwrap_or_else(|| base.strategy.as_str().into()),
        start_date_time: p.start_date_time.or_else(|| base.start_date_time.map(format_local_date_time)),
        end_date_time: p.end_date_time.or_else(|| base.end_date_time.map(format_local_date_time)),
        start_time: p.start_time.or_else(|| base.start_time.map(format_time)),
        end_time: p.end_time.or_else(|| base.end_time.map(format_time)),
        weekdays: p.weekdays.unwrap_or_else(|| base.weekdays.iter().map(|d| i64::from(*d)).collect()),
        days_of_month: days,
        interval_day: p.interval_day.or(base.interval_day),
        cron: p.cron.or_else(|| base.cron.clone()),
        duration: p.duration.or(base.duration),
        timezone: p.timezone.unwrap_or_else(|| base.timezone.clone()),
        monitor_ids: p.monitor_ids.unwrap_or_else(|| base.monitor_ids.clone()),
    })
}

pub struct MaintenancesApi {
    pub state: Arc<AppState>,
}

impl MaintenancesApi {
    async fn existing(&self, id: &str) -> ApiResult<Maintenance> {
        self.state.store.maintenance(id).await?.ok_or_else(|| ApiError::not_found("Maintenance not found"))
    }

    async fn announce(&self, id: &str, action: ChangeAction) {
        let ev = BusEvent::MaintenanceChanged { id: id.to_string(), action };
        if let Err(e) = self.state.bus.publish(&ev).await {
            tracing::warn!(error = %e, "publishing a maintenance change failed");
        }
    }

    async fn save(&self, draft: MaintenanceDraft, base: Option<Maintenance>) -> ApiResult<Maintenance> {
        let v = draft.validate()?;
        let now = now_millis();
        let (id, created_at) = match &base {
            Some(b) => (b.id.clone(), b.created_at),
            None => (uuid::Uuid::now_v7().to_string(), now),
        };
        let m = v.into_maintenance(id, created_at, now);
        if base.is_some() {
            self.state.store.update_maintenance(&m).await?;
            self.announce(&m.id, ChangeAction::Updated).await;
        } else {
            self.state.store.insert_maintenance(&m).await?;
            self.announce(&m.id, ChangeAction::Created).await;
        }
        Ok(m)
    }

    async fn set_active(&self, id: &str, active: bool) -> ApiResult<Maintenance> {
        if !self.state.store.set_maintenance_active(id, active, now_millis()).await? {
            return Err(ApiError::not_found("Maintenance not found"));
        }
        self.announce(id, ChangeAction::Updated).await;
        self.existing(id).await
    }
}

#[OpenApi(prefix_path = "/maintenances", tag = "MaintenanceTag::Maintenances")]
impl MaintenancesApi {
    /// List maintenances, newest first (0-based pages); `q` searches title and description.
    #[oai(path = "/", method = "get")]
    async fn list(
        &self,
        _auth: BearerAuth,
        q: Query<Option<String>>,
        strategy: Query<Option<String>>,
        #[oai(default = "default_page")] page: Query<u32>,
        #[oai(default = "default_limit", validator(minimum(value = "1"), maximum(value = "1000")))] limit: Query<u32>,
    ) -> ApiResult<Json<ListEnvelope<MaintenanceDto>>> {
        let strategy = match strategy.0.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(Strategy::parse(s).ok_or_else(|| ApiError::validation("strategy", "unknown strategy"))?),
        };
        let filter = MaintenanceFilter { q: q.0, strategy, page: page.0, limit: limit.0 };
        let p = self.state.store.list_maintenances(&filter).await?;
        let now = now_millis();
        Ok(Json(ListEnvelope {
            message: "success".into(),
            data: p.items.into_iter().map(|m| to_dto(m, now)).collect(),
            total: p.total,
        }))
    }

    /// Create a maintenance.
    #[oai(path = "/", method = "post")]
    async fn create(&self, _auth: BearerAuth, body: Json<MaintenanceInput>) -> ApiResult<CreatedMaintenance> {
        let m = self.save(draft_from(body.0)?, None).await?;
        Ok(CreatedMaintenance::Created(Json(Envelope::with(
            "Maintenance created successfully",
            to_dto(m, now_millis()),
        ))))
    }

    /// The status and next windows a maintenance would have, without saving it (for forms).
    #[oai(path = "/preview", method = "post")]
    async fn preview(
        &self,
        _auth: BearerAuth,
        body: Json<MaintenanceInput>,
    ) -> ApiResult<Json<Envelope<MaintenancePreview>>> {
        let v = draft_from(body.0)?.validate()?;
        let now = now_millis();
        let m = v.into_maintenance(String::new(), now, now);
        Ok(Json(Envelope::ok(MaintenancePreview {
            status: status_of(&m, now).into(),
            next_windows: next_windows(&m, now, PREVIEW_WINDOWS).into_iter().map(Into::into).collect(),
        })))
    }

    #[oai(path = "/:id", method = "get")]
    async fn get(&self, _auth: BearerAuth, id: Path<String>) -> ApiResult<Json<Envelope<MaintenanceDto>>> {
        Ok(Json(Envelope::ok(to_dto(self.existing(&id.0).await?, now_millis()))))
    }

    /// Replace a maintenance.
    #[oai(path = "/:id", method = "put")]
    async fn put(
        &self,
        _auth: BearerAuth,
        id: Path<String>,
        body: Json<MaintenanceInput>,
    ) -> ApiResult<Json<Envelope<MaintenanceDto>>> {
        let base = self.existing(&id.0).await?;
        let m = self.save(draft_from(body.0)?, Some(base)).await?;
        Ok(Json(Envelope::with("Maintenance updated successfully", to_dto(m, now_millis()))))
    }

    /// Change some fields of a maintenance.
    #[oai(path = "/:id", method = "patch")]
    async fn patch(
        &self,
        _auth: BearerAuth,
        id: Path<String>,
        body: Json<MaintenancePatchInput>,
    ) -> ApiResult<Json<Envelope<MaintenanceDto>>> {
        let base = self.existing(&id.0).await?;
        let draft = patched(&base, body.0)?;
        let m = self.save(draft, Some(base)).await?;
        Ok(Json(Envelope::with("Maintenance updated successfully", to_dto(m, now_millis()))))
    }

    /// Pause: the maintenance is off (its monitors are checked) until resumed.
    #[oai(path = "/:id/pause", method = "patch")]
    async fn pause(&self, _auth: BearerAuth, id: Path<String>) -> ApiResult<Json<Envelope<MaintenanceDto>>> {
        let m = self.set_active(&id.0, false).await?;
        Ok(Json(Envelope::with("Maintenance paused successfully", to_dto(m, now_millis()))))
    }

    /// Resume a paused maintenance.
    #[oai(path = "/:id/resume", method = "patch")]
    async fn resume(&self, _auth: BearerAuth, id: Path<String>) -> ApiResult<Json<Envelope<MaintenanceDto>>> {
        let m = self.set_active(&id.0, true).await?;
        Ok(Json(Envelope::with("Maintenance resumed successfully", to_dto(m, now_millis()))))
    }

    /// Delete a maintenance; its monitors are checked again from their next check on.
    #[oai(path = "/:id", method = "delete")]
    async fn delete(&self, _auth: BearerAuth, id: Path<String>) -> ApiResult<Json<MessageOnly>> {
        if !self.state.store.delete_maintenance(&id.0).await? {
            return Err(ApiError::not_found("Maintenance not found"));
        }
        self.announce(&id.0, ChangeAction::Deleted).await;
        Ok(Json(MessageOnly::new("Maintenance deleted successfully")))
    }
}

fn default_page() -> u32 {
    0
}

fn default_limit() -> u32 {
    10
}

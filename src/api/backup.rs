//! `/backup`: download a backup of every object and restore one (session only: an API
//! key cannot read out every secret). After an import the change events go out so the
//! producer schedules the imported monitors and caches reload.

use std::sync::Arc;

use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi, Tags};

use super::AppState;
use super::envelope::Envelope;
use super::error::{ApiError, ApiResult};
use super::session::JwtAuth;
use crate::backup::{self, BackupError, ImportReport};
use crate::bus::{BusEvent, ChangeAction};

#[derive(Tags)]
enum BackupTag {
    /// Backup and restore of the whole instance.
    Backup,
}

#[derive(ApiResponse)]
pub enum ExportResponse {
    /// The backup document (`format` = `peekaping-backup`), as a file download.
    #[oai(status = 200)]
    Ok(Json<serde_json::Value>, #[oai(header = "Content-Disposition")] String),
}

/// What an import wrote.
#[derive(Object)]
pub struct ImportSummary {
    pub monitors: u64,
    pub proxies: u64,
    pub maintenances: u64,
    pub status_pages: u64,
    pub heartbeats: u64,
    /// Monitors deleted first (with `replace=true`).
    pub deleted_monitors: u64,
}

impl From<&ImportReport> for ImportSummary {
    fn from(r: &ImportReport) -> Self {
        Self {
            monitors: r.monitors.len() as u64,
            proxies: r.proxies.len() as u64,
            maintenances: r.maintenances.len() as u64,
            status_pages: r.status_pages.len() as u64,
            heartbeats: r.heartbeats as u64,
            deleted_monitors: r.deleted_monitors.len() as u64,
        }
    }
}

impl From<BackupError> for ApiError {
    fn from(e: BackupError) -> Self {
        match e {
            BackupError::Invalid { field, message } => ApiError::validation(field, message),
            BackupError::NotEmpty(m) => ApiError::conflict(None, m),
            BackupError::Store(s) => s.into(),
        }
    }
}

pub struct BackupApi {
    pub state: Arc<AppState>,
}

impl BackupApi {
    async fn announce(&self, r: &ImportReport) {
        let mut events = Vec::new();
        let del = ChangeAction::Deleted;
        let new = ChangeAction::Created;
        let ev = |ids: &[String], a: ChangeAction, f: fn(String, ChangeAction) -> BusEvent| {
            ids.iter().map(move |id| f(id.clone(), a)).collect::<Vec<_>>()
        };
        events.extend(ev(&r.deleted_monitors, del, |id, action| BusEvent::MonitorChanged { id, action }));
        events.extend(ev(&r.deleted_proxies, del, |id, action| BusEvent::ProxyChanged { id, action }));
        events.extend(ev(&r.deleted_maintenances, del, |id, action| BusEvent::MaintenanceChanged { id, action }));
        events.extend(ev(&r.deleted_status_pages, del, |id, action| BusEvent::StatusPageChanged { id, action }));
        events.extend(ev(&r.proxies, new, |id, action| BusEvent::ProxyChanged { id, action }));
        events.extend(ev(&r.monitors, new, |id, action| BusEvent::MonitorChanged { id, action }));
        events.extend(ev(&r.maintenances, new, |id, action| BusEvent::MaintenanceChanged { id, action }));
        events.extend(ev(&r.status_pages, new, |id, action| BusEvent::StatusPageChanged { id, action }));
        for e in events {
            if let Err(err) = self.state.bus.publish(&e).await {
                tracing::warn!(error = %err, "publishing a change after a backup import failed");
            }
        }
    }
}

#[OpenApi(prefix_path = "/backup", tag = "BackupTag::Backup")]
impl BackupApi {
    /// Download a backup of every object, secrets included (`history=true` adds heartbeats
    /// and rollups).
    #[oai(path = "/export", method = "get")]
    async fn export(&self, _auth: JwtAuth, history: Query<Option<bool>>) -> ApiResult<ExportResponse> {
        let b = backup::export(self.state.store.as_ref(), history.0.unwrap_or(false)).await?;
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let value = serde_json::to_value(&b).map_err(|e| ApiError::internal("backup export", e))?;
        Ok(ExportResponse::Ok(Json(value), format!("attachment; filename=\"peekaping-backup-{stamp}.json\"")))
    }

    /// Restore a backup: into an instance without objects, or with `replace=true` after
    /// deleting every object. The file is checked completely before anything is written;
    /// a 400 names the JSON path of the first problem, a 409 means the instance is not
    /// empty.
    #[oai(path = "/import", method = "post")]
    async fn import(
        &self,
        _auth: JwtAuth,
        replace: Query<Option<bool>>,
        body: Json<serde_json::Value>,
    ) -> ApiResult<Json<Envelope<ImportSummary>>> {
        let b: backup::Backup = serde_path_to_error::deserialize(body.0).map_err(|e| {
            let path = e.path().to_string();
            let field = if path == "." || path.is_empty() { "body".to_string() } else { path };
            ApiError::validation(field, e.into_inner().to_string())
        })?;
        let result = backup::import(self.state.store.as_ref(), &b, replace.0.unwrap_or(false)).await;
        match result {
            Ok(report) => {
                self.announce(&report).await;
                Ok(Json(Envelope::with("Backup imported", ImportSummary::from(&report))))
            }
            Err(e) => {
                // A failed write wiped what it had written (and with replace, what was
                // there): tell every cache.
                if let BackupError::Store(_) = &e {
                    self.announce(&ImportReport {
                        deleted_monitors: b.monitors.iter().map(|m| m.id.clone()).collect(),
                        ..Default::default()
                    })
                    .await;
                }
                Err(e.into())
            }
        }
    }
}

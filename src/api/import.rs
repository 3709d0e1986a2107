//! `/import/uptime-kuma`: import an Uptime Kuma `kuma.db` or 1.x JSON backup into this
//! server (session users only). The upload is multipart (`file`) or the raw body; the
//! answer is the import report. New monitors are announced on the bus so the producer
//! schedules them at once.

use std::sync::Arc;

use poem_openapi::param::Query;
use poem_openapi::payload::{Binary, Json};
use poem_openapi::types::multipart::Upload;
use poem_openapi::{ApiRequest, Multipart, OpenApi, Tags};

use super::AppState;
use super::envelope::Envelope;
use super::error::{ApiError, ApiResult};
use super::session::JwtAuth;
use crate::import::kuma::{self, ImportOptions, ImportReport};

#[derive(Tags)]
enum ImportTag {
    /// Importing from other monitoring tools.
    Import,
}

/// A multipart upload: the Kuma file in `file`.
#[derive(Multipart)]
pub struct KumaUpload {
    /// `kuma.db` or the JSON backup.
    pub file: Upload,
}

/// The Kuma file: multipart (`file`), a raw body (`application/octet-stream`) or the
/// JSON backup itself (`application/json`).
#[derive(ApiRequest)]
pub enum KumaBody {
    Multipart(KumaUpload),
    Binary(Binary<Vec<u8>>),
    Json(Json<serde_json::Value>),
}

pub struct ImportApi {
    pub state: Arc<AppState>,
}

#[OpenApi(prefix_path = "/import", tag = "ImportTag::Import")]
impl ImportApi {
    /// Import from Uptime Kuma (kuma.db of 1.23 or 2.x, or a 1.x JSON backup). Returns
    /// what was imported and, with reasons, what was not.
    #[oai(path = "/uptime-kuma", method = "post")]
    async fn uptime_kuma(
        &self,
        _auth: JwtAuth,
        body: KumaBody,
        /// Check and report only; write nothing.
        dry_run: Query<Option<bool>>,
        /// Also copy the heartbeat history (kuma.db only).
        with_history: Query<Option<bool>>,
    ) -> ApiResult<Json<Envelope<ImportReport>>> {
        let bytes = match body {
            KumaBody::Multipart(m) => m
                .file
                .into_vec()
                .await
                .map_err(|e| ApiError::validation("file", format!("cannot read the upload: {e}")))?,
            KumaBody::Binary(b) => b.0,
            KumaBody::Json(j) => serde_json::to_vec(&j.0).unwrap_or_default(),
        };
        if bytes.is_empty() {
            return Err(ApiError::validation("file", "is empty: send a kuma.db or an Uptime Kuma JSON backup"));
        }
        let with_history = with_history.0.unwrap_or(false);
        let data = tokio::task::spawn_blocking(move || kuma::read_bytes(&bytes, with_history))
            .await
            .map_err(|e| ApiError::internal("reading the Kuma upload", e))?
            .map_err(|m| ApiError::validation("file", m))?;
        let opts =
            ImportOptions { dry_run: dry_run.0.unwrap_or(false), with_history, limits: self.state.config.limits };
        let report = kuma::import(self.state.store.as_ref(), Some(self.state.bus.as_ref()), &data, &opts).await?;
        Ok(Json(Envelope::ok(report)))
    }
}

//! `/health` and `/version`: public, cheap, for load balancers and `peekaping healthcheck`.

use std::sync::Arc;

use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi, Tags};

use super::AppState;
use super::envelope::Envelope;
use super::error::ErrorBody;

#[derive(Tags)]
enum SystemTag {
    /// Health and version.
    System,
}

#[derive(Object)]
pub struct HealthDto {
    /// `success` when storage answers.
    pub status: String,
    pub version: String,
    pub backend: String,
}

#[derive(Object)]
pub struct VersionDto {
    pub version: String,
    /// The shortest monitor interval this server accepts (seconds).
    pub min_interval: u32,
}

#[derive(ApiResponse)]
pub enum HealthResponse {
    #[oai(status = 200)]
    Ok(Json<HealthDto>),
    /// Storage does not answer.
    #[oai(status = 503)]
    Unavailable(Json<ErrorBody>),
}

pub struct SystemApi {
    pub state: Arc<AppState>,
}

#[OpenApi(tag = "SystemTag::System")]
impl SystemApi {
    /// `{"status":"success"}` while the server and its storage work.
    #[oai(path = "/health", method = "get")]
    async fn health(&self) -> HealthResponse {
        match self.state.store.ping().await {
            Ok(()) => HealthResponse::Ok(Json(HealthDto {
                status: "success".into(),
                version: crate::VERSION.into(),
                backend: self.state.store.backend().into(),
            })),
            Err(e) => HealthResponse::Unavailable(Json(ErrorBody::new("unavailable", format!("storage: {e}"), None))),
        }
    }

    #[oai(path = "/version", method = "get")]
    async fn version(&self) -> Json<Envelope<VersionDto>> {
        Json(Envelope::ok(VersionDto {
            version: crate::VERSION.into(),
            min_interval: self.state.config.limits.min_interval,
        }))
    }
}

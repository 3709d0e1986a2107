//! `/push/:token`: push monitors report in. `status=up|down|0|1` (default up), `msg`,
//! and `ping` (ms) are honoured, unlike Peekaping (#214). The outcome goes to the
//! durable results queue, so a 200 means it will be recorded even across a crash.

use std::sync::Arc;

use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{OpenApi, Tags};

use super::AppState;
use super::envelope::MessageOnly;
use super::error::{ApiError, ApiResult};
use crate::bus::{OutMessage, QueueName};
use crate::domain::heartbeat::BeatOrigin;
use crate::domain::{CheckOutcome, MonitorStatus, now_millis};

#[derive(Tags)]
enum PushTag {
    /// Push monitors: a job or device calls this URL to say it is alive.
    Push,
}

pub struct PushApi {
    pub state: Arc<AppState>,
}

fn parse_status(s: Option<&str>) -> ApiResult<MonitorStatus> {
    match s.map(|s| s.trim().to_ascii_lowercase()).as_deref() {
        None | Some("") | Some("up") | Some("1") | Some("ok") => Ok(MonitorStatus::Up),
        Some("down") | Some("0") | Some("fail") => Ok(MonitorStatus::Down),
        Some(_) => Err(ApiError::validation("status", "must be up, down, 1 or 0")),
    }
}

impl PushApi {
    async fn accept(
        &self,
        token: &str,
        status: Option<String>,
        msg: Option<String>,
        ping: Option<f64>,
    ) -> ApiResult<Json<MessageOnly>> {
        let status = parse_status(status.as_deref())?;
        let ping_us = match ping {
            None => None,
            Some(p) if p.is_finite() && (0.0..=86_400_000.0).contains(&p) => Some((p * 1000.0).round() as u64),
            Some(_) => {
                return Err(ApiError::validation("ping", "must be a number of milliseconds between 0 and 86400000"));
            }
        };
        let monitor = self
            .state
            .store
            .monitor_by_push_token(token)
            .await?
            .filter(|m| m.active && m.kind == "push")
            .ok_or_else(|| ApiError::not_found("Monitor not found or not active"))?;
        let mut msg = msg.unwrap_or_default();
        if msg.is_empty() {
            msg = if status == MonitorStatus::Up { "OK".into() } else { "Push reported DOWN".into() };
        }
        msg.truncate(msg.char_indices().nth(500).map_or(msg.len(), |(i, _)| i));
        let outcome = CheckOutcome {
            monitor_id: monitor.id.clone(),
            time: now_millis(),
            status,
            ping_us,
            msg,
            tls: None,
            origin: BeatOrigin::Push,
        };
        let payload = serde_json::to_vec(&outcome).map_err(|e| ApiError::internal("push", e))?;
        self.state
            .bus
            .enqueue(
                QueueName::Results,
                vec![OutMessage { id: format!("result:{}:{}", outcome.monitor_id, outcome.time), payload }],
            )
            .await?;
        Ok(Json(MessageOnly::new("ok")))
    }
}

#[OpenApi(prefix_path = "/push", tag = "PushTag::Push")]
impl PushApi {
    /// Report a push: `?status=up|down&msg=…&ping=<ms>`.
    #[oai(path = "/:token", method = "get")]
    async fn push_get(
        &self,
        token: Path<String>,
        status: Query<Option<String>>,
        msg: Query<Option<String>>,
        ping: Query<Option<f64>>,
    ) -> ApiResult<Json<MessageOnly>> {
        self.accept(&token.0, status.0, msg.0, ping.0).await
    }

    /// The same as GET, for clients that prefer POST (`curl -X POST`).
    #[oai(path = "/:token", method = "post")]
    async fn push_post(
        &self,
        token: Path<String>,
        status: Query<Option<String>>,
        msg: Query<Option<String>>,
        ping: Query<Option<f64>>,
    ) -> ApiResult<Json<MessageOnly>> {
        self.accept(&token.0, status.0, msg.0, ping.0).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_status_accepts_words_and_numbers() {
        assert_eq!(parse_status(Some("down")).unwrap(), MonitorStatus::Down);
        assert_eq!(parse_status(Some("0")).unwrap(), MonitorStatus::Down);
        assert_eq!(parse_status(Some("UP")).unwrap(), MonitorStatus::Up);
        assert_eq!(parse_status(None).unwrap(), MonitorStatus::Up);
        assert!(parse_status(Some("sideways")).is_err());
    }
}

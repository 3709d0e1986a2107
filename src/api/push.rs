//! `/push/:token`: push monitors report in. `status=up|down|0|1` (default up), `msg`,
//! and `ping` (ms) are honoured, unlike Peekaping (#214). A job can also announce its
//! start (`?state=start` or `/start`) so its run's duration is judged against the
//! monitor's `min_duration`/`max_duration`, and report failure (`/fail`). The outcome goes
//! to the durable results queue, so a 200 means it will be recorded even across a crash.

use std::sync::Arc;

use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{OpenApi, Tags};

use super::AppState;
use super::envelope::MessageOnly;
use super::error::{ApiError, ApiResult};
use crate::bus::{BusEvent, ChangeAction};
use crate::bus::{OutMessage, QueueName};
use crate::domain::MonitorConfig;
use crate::domain::heartbeat::BeatOrigin;
use crate::domain::maintenance::is_active;
use crate::domain::{CheckOutcome, Monitor, MonitorStatus, UnixMillis, now_millis};

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

/// What a push says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Report {
    /// A finished run (or a plain heartbeat) with this status.
    Done(MonitorStatus),
    /// A run has started.
    Start,
}

fn parse_state(state: Option<&str>) -> ApiResult<bool> {
    match state.map(|s| s.trim().to_ascii_lowercase()).as_deref() {
        None | Some("") | Some("finish") | Some("end") => Ok(false),
        Some("start") => Ok(true),
        Some(_) => Err(ApiError::validation("state", "must be start or finish")),
    }
}

fn parse_ping(ping: Option<f64>) -> ApiResult<Option<u64>> {
    match ping {
        None => Ok(None),
        Some(p) if p.is_finite() && (0.0..=86_400_000.0).contains(&p) => Ok(Some((p * 1000.0).round() as u64)),
        Some(_) => Err(ApiError::validation("ping", "must be a number of milliseconds between 0 and 86400000")),
    }
}

impl PushApi {
    async fn accept(
        &self,
        token: &str,
        report: Report,
        msg: Option<String>,
        ping_us: Option<u64>,
    ) -> ApiResult<Json<MessageOnly>> {
        let monitor = self
            .state
            .store
            .monitor_by_push_token(token)
            .await?
            .filter(|m| m.active && m.kind == "push")
            .ok_or_else(|| ApiError::not_found("Monitor not found or not active"))?;
        let now = now_millis();
        let config = match monitor.typed_config() {
            Ok(MonitorConfig::Push(c)) => c,
            _ => Default::default(),
        };
        let status = match report {
            Report::Start => {
                self.state.store.set_run_started(&monitor.id, Some(now)).await?;
                self.announce(&monitor.id).await;
                return Ok(Json(MessageOnly::new("ok")));
            }
            Report::Done(status) => status,
        };
        let mut msg = msg.unwrap_or_default();
        msg.truncate(msg.char_indices().nth(500).map_or(msg.len(), |(i, _)| i));
        let mut status = status;
        if let Some(started) = monitor.run_started_at {
            self.state.store.set_run_started(&monitor.id, None).await?;
            self.announce(&monitor.id).await;
            let took = now - started;
            if status == MonitorStatus::Up
                && let Err(why) = config.judge_duration(took)
            {
                status = MonitorStatus::Down;
                msg = if msg.is_empty() { why } else { format!("{why}: {msg}") };
            } else if msg.is_empty() {
                msg = format!("OK (the run took {:.1} s)", took as f64 / 1000.0);
            }
        }
        if msg.is_empty() {
            msg = if status == MonitorStatus::Up { "OK".into() } else { "The job reported a failure".into() };
        }
        if self.in_maintenance(&monitor, now).await? {
            // Recorded, but as MAINTENANCE: a failing job during maintenance alerts nobody.
            status = MonitorStatus::Maintenance;
            msg = format!("Under maintenance (pushed: {msg})");
        }
        let outcome = CheckOutcome {
            monitor_id: monitor.id.clone(),
            time: now,
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

    /// Whether a maintenance window covers the monitor or a group it sits in at `now`.
    async fn in_maintenance(&self, monitor: &Monitor, now: UnixMillis) -> ApiResult<bool> {
        let mut ids = vec![monitor.id.clone()];
        let mut parent = monitor.parent_id.clone();
        while let Some(p) = parent.take() {
            if ids.contains(&p) || ids.len() >= 64 {
                break;
            }
            parent = self.state.store.monitor(&p).await?.and_then(|m| m.parent_id);
            ids.push(p);
        }
        let list = self.state.store.active_maintenances_of(&ids).await?;
        Ok(list.iter().any(|m| is_active(m, now)))
    }

    /// Tells the producer the run state changed (it moves the monitor's deadline).
    async fn announce(&self, id: &str) {
        let ev = BusEvent::MonitorChanged { id: id.to_string(), action: ChangeAction::Updated };
        if let Err(e) = self.state.bus.publish(&ev).await {
            tracing::warn!(error = %e, "publishing a push run change failed");
        }
    }

    async fn report(
        &self,
        token: &str,
        status: Option<String>,
        state: Option<String>,
        msg: Option<String>,
        ping: Option<f64>,
    ) -> ApiResult<Json<MessageOnly>> {
        let status = parse_status(status.as_deref())?;
        let report = if parse_state(state.as_deref())? { Report::Start } else { Report::Done(status) };
        self.accept(token, report, msg, parse_ping(ping)?).await
    }
}

#[OpenApi(prefix_path = "/push", tag = "PushTag::Push")]
impl PushApi {
    /// Report a push: `?status=up|down&msg=…&ping=<ms>`; `?state=start` announces a run.
    #[oai(path = "/:token", method = "get")]
    async fn push_get(
        &self,
        token: Path<String>,
        status: Query<Option<String>>,
        state: Query<Option<String>>,
        msg: Query<Option<String>>,
        ping: Query<Option<f64>>,
    ) -> ApiResult<Json<MessageOnly>> {
        self.report(&token.0, status.0, state.0, msg.0, ping.0).await
    }

    /// The same as GET, for clients that prefer POST (`curl -X POST`).
    #[oai(path = "/:token", method = "post")]
    async fn push_post(
        &self,
        token: Path<String>,
        status: Query<Option<String>>,
        state: Query<Option<String>>,
        msg: Query<Option<String>>,
        ping: Query<Option<f64>>,
    ) -> ApiResult<Json<MessageOnly>> {
        self.report(&token.0, status.0, state.0, msg.0, ping.0).await
    }

    /// A run has started (the same as `?state=start`).
    #[oai(path = "/:token/start", method = "get")]
    async fn push_start(&self, token: Path<String>) -> ApiResult<Json<MessageOnly>> {
        self.accept(&token.0, Report::Start, None, None).await
    }

    /// The run failed: the monitor goes DOWN with `msg`.
    #[oai(path = "/:token/fail", method = "get")]
    async fn push_fail(&self, token: Path<String>, msg: Query<Option<String>>) -> ApiResult<Json<MessageOnly>> {
        self.accept(&token.0, Report::Done(MonitorStatus::Down), msg.0, None).await
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

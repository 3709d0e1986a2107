//! Notifications: the outbox sender, the notice texts, templates and the providers.
//!
//! The ingester enqueues one `NotifyJob` per (notifying beat, channel) on the durable
//! `notifications` queue, keyed by `NotifyJob::dedup_key`, before it stores the beat; a
//! redelivered result recomputes the same keys, which the bus drops as duplicates. The
//! `Sender` pulls jobs, skips those already recorded as sent, delivers through the
//! channel's provider and records every attempt. Failures worth retrying are handed back
//! with exponential back-off (`domain::notification::retry_delay`) for up to 24 hours;
//! rejections (a 401 from Slack) are recorded and dropped. A job is acknowledged only after
//! its attempt is recorded, so a crash at any point redelivers it, and the sent-record
//! check turns the redelivery into a no-op.

pub mod providers;
pub mod template;

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

use crate::bus::{Bus, Delivery, QueueName};
use crate::domain::notification::{
    DeliveryAttempt, DeliveryOutcome, FOLD_WAIT_MS, MAX_RETRY_AGE_MS, NoticeEvent, NotifyJob, retry_delay,
    status_color, status_icon, status_word,
};
use crate::domain::{Monitor, MonitorStatus, format_millis, now_millis};
use crate::store::Store;
pub use providers::{DeliveryError, SendContext, provider_for};

/// A notice ready for a provider: the facts, a default title and text, and the bindings
/// for the user's Liquid template.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub event: NoticeEvent,
    pub monitor_id: Option<String>,
    pub monitor_name: String,
    /// The checked URL or host, when the monitor has one.
    pub target: Option<String>,
    pub status: Option<MonitorStatus>,
    /// One line: "🔴 API is DOWN".
    pub title: String,
    /// A few lines: the title, the target, the reason, the time.
    pub text: String,
    pub bindings: Value,
}

impl Notice {
    pub fn new(monitor: Option<&Monitor>, event: &NoticeEvent) -> Self {
        let name = monitor.map_or_else(|| "Peekaping".to_string(), |m| m.name.clone());
        let config: Value = monitor.and_then(|m| serde_json::from_str(&m.config).ok()).unwrap_or_else(|| json!({}));
        let target = target_of(&config);
        let (status, title, mut lines, heartbeat, msg, ping_ms, time) = match event {
            NoticeEvent::Status { status, time, msg, ping_us, folded, .. } => {
                let ping_ms = ping_us.map(|us| (us as f64 / 1000.0 * 10.0).round() / 10.0);
                let title = format!("{} {name} is {}", status_icon(*status), status_word(*status));
                let mut lines = Vec::new();
                if !msg.is_empty() {
                    lines.push(format!("Reason: {msg}"));
                }
                if let (MonitorStatus::Up, Some(p)) = (status, ping_ms) {
                    lines.push(format!("Response time: {p} ms"));
                }
                if !folded.is_empty() {
                    lines.push(format!("Also down behind it: {}", folded.join(", ")));
                }
                lines.push(format!("Time: {}", format_millis(*time)));
                let hb = json!({"status": status.as_u8(), "msg": msg, "ping": ping_ms, "time": format_millis(*time)});
                (Some(*status), title, lines, hb, msg.clone(), ping_ms, format_millis(*time))
            }
            NoticeEvent::CertExpiry { days, not_after, subject, .. } => {
                let title = if *days < 0 {
                    format!("⚠️ The certificate of {name} expired {} days ago", -days)
                } else {
                    format!("⚠️ The certificate of {name} expires in {days} days")
                };
                let lines = vec![format!("Certificate: {subject}"), format!("Expires: {}", format_millis(*not_after))];
                let msg = format!("Certificate expires in {days} days");
                (None, title, lines, Value::Null, msg, None, format_millis(now_millis()))
            }
            NoticeEvent::Test => {
                let title = "🔔 Test notification from Peekaping".to_string();
                let lines = vec!["If you can read this, the channel works.".to_string()];
                (None, title, lines, Value::Null, "Test notification".into(), None, format_millis(now_millis()))
            }
        };
        if let Some(t) = &target {
            lines.insert(0, format!("Target: {t}"));
        }
        let text = std::iter::once(title.clone()).chain(lines).collect::<Vec<_>>().join("\n");
        let mut monitor_json = monitor.map_or(Value::Null, |m| {
            json!({"id": m.id, "name": m.name, "type": m.kind, "interval": m.interval, "active": m.active,
                   "status": m.status.as_u8()})
        });
        if let Some(obj) = monitor_json.as_object_mut() {
            obj.insert("config".into(), config);
        }
        let word = status.map_or("", status_word);
        let bindings = json!({
            "monitor": monitor_json,
            "heartbeat": heartbeat,
            "name": name,
            "status": word,
            "status_icon": status.map_or("🔔", status_icon),
            "status_color": status.map_or("#6b7280", status_color),
            "ping": ping_ms,
            "time": time,
            "msg": msg,
        });
        Self {
            event: event.clone(),
            monitor_id: monitor.map(|m| m.id.clone()),
            monitor_name: name,
            target,
            status,
            title,
            text,
            bindings,
        }
    }

    /// The user's template rendered, or the default text when it is empty. A template that
    /// fails for this notice (a config key this monitor type lacks) still delivers: the
    /// default text with the error, since a late alert beats none.
    pub fn render_or_default(&self, template: &str) -> Result<String, DeliveryError> {
        if template.trim().is_empty() {
            return Ok(self.text.clone());
        }
        Ok(template::render(template, &self.bindings)
            .unwrap_or_else(|e| format!("{}\n(The channel's template failed: {e})", self.text)))
    }

    /// A DOWN notice of an HTTP monitor with every binding set: templates are checked
    /// against it when a channel is saved.
    pub fn sample() -> Self {
        let monitor = sample_monitor();
        let event = NoticeEvent::Status {
            status: MonitorStatus::Down,
            previous: Some(MonitorStatus::Up),
            time: now_millis(),
            msg: "Connection refused".into(),
            ping_us: Some(1000),
            folded: vec![],
        };
        Self::new(Some(&monitor), &event)
    }

    /// Whether this notice says something is wrong (for providers with severities).
    pub fn is_problem(&self) -> bool {
        matches!(self.status, Some(MonitorStatus::Down)) || matches!(self.event, NoticeEvent::CertExpiry { .. })
    }
}

/// The monitor of `Notice::sample`: an HTTP monitor with every field set.
fn sample_monitor() -> Monitor {
    Monitor {
        id: "00000000-0000-0000-0000-000000000000".into(),
        kind: "http".into(),
        name: "Example".into(),
        interval: 60,
        timeout: 48,
        max_retries: 0,
        retry_interval: 60,
        resend_interval: 0,
        active: true,
        status: MonitorStatus::Down,
        config: r#"{"url":"https://example.com","method":"GET","hostname":"example.com","port":443}"#.into(),
        proxy_id: None,
        push_token: None,
        parent_id: None,
        depends_on: None,
        notify_after_failures: 1,
        notify_after_successes: 1,
        run_started_at: None,
        notification_ids: vec![],
        tag_ids: vec![],
        tags: vec![],
        created_at: 0,
        updated_at: 0,
    }
}

/// The URL or `host:port` a monitor checks, for the notice text.
fn target_of(config: &Value) -> Option<String> {
    let s = |k: &str| config.get(k).and_then(Value::as_str).filter(|v| !v.trim().is_empty());
    if let Some(u) = s("url") {
        return Some(u.to_string());
    }
    let host = s("hostname").or_else(|| s("host"))?;
    match config.get("port").and_then(Value::as_u64) {
        Some(p) => Some(format!("{host}:{p}")),
        None => Some(host.to_string()),
    }
}

/// Sender settings.
#[derive(Clone, Debug)]
pub struct SenderConfig {
    /// Notices delivered at once.
    pub concurrency: usize,
    /// The longest one delivery may take.
    pub timeout: Duration,
}

impl Default for SenderConfig {
    fn default() -> Self {
        Self { concurrency: 16, timeout: Duration::from_secs(30) }
    }
}

/// The outbox consumer.
pub struct Sender {
    store: Arc<dyn Store>,
    bus: Arc<dyn Bus>,
    ctx: SendContext,
    config: SenderConfig,
}

/// Builds the HTTP client providers share (rustls with the process's ring provider).
pub fn http_client(timeout: Duration) -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .user_agent(concat!("peekaping/", env!("CARGO_PKG_VERSION")))
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .build()?)
}

impl Sender {
    pub fn new(store: Arc<dyn Store>, bus: Arc<dyn Bus>, config: SenderConfig) -> anyhow::Result<Self> {
        let ctx = SendContext { http: http_client(config.timeout)?, timeout: config.timeout };
        Ok(Self { store, bus, ctx, config })
    }

    pub async fn run(self, shutdown: CancellationToken) {
        let this = Arc::new(self);
        loop {
            let pulled = tokio::select! {
                _ = shutdown.cancelled() => break,
                d = this.bus.pull(QueueName::Notifications, this.config.concurrency, Duration::from_secs(1)) => d,
            };
            match pulled {
                Ok(deliveries) => {
                    let work = deliveries.into_iter().map(|d| {
                        let this = this.clone();
                        async move { this.handle(d).await }
                    });
                    futures::future::join_all(work).await;
                }
                Err(e) => {
                    tracing::error!(error = %e, "notify: pulling the outbox failed");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }

    /// Delivers one outbox message and settles it (ack, or nack with back-off).
    pub async fn handle(&self, d: Delivery) {
        let settle = match self.deliver(&d).await {
            Ok(Settle::Done) => self.bus.ack(QueueName::Notifications, &[d.tag]).await,
            Ok(Settle::Later(delay)) => self.bus.nack(QueueName::Notifications, d.tag, delay).await,
            // The store is down: try again soon without counting it as a provider failure.
            Err(e) => {
                tracing::warn!(error = %e, id = %d.id, "notify: cannot process a notice now; retrying");
                self.bus.nack(QueueName::Notifications, d.tag, Duration::from_secs(5)).await
            }
        };
        if let Err(e) = settle {
            tracing::warn!(error = %e, id = %d.id, "notify: settling a notice failed; it will be redelivered");
        }
    }

    async fn deliver(&self, d: &Delivery) -> anyhow::Result<Settle> {
        let job: NotifyJob = match serde_json::from_slice(&d.payload) {
            Ok(j) => j,
            Err(e) => {
                tracing::error!(error = %e, id = %d.id, "notify: dropping an unreadable notice");
                return Ok(Settle::Done);
            }
        };
        let key = job.dedup_key();
        if self.store.delivered(&key).await? {
            return Ok(Settle::Done);
        }
        let Some(channel) = self.store.channel(&job.channel_id).await? else {
            return Ok(Settle::Done); // deleted since
        };
        if !channel.active {
            return Ok(Settle::Done);
        }
        let monitor = self.store.monitor(&job.monitor_id).await?;
        if monitor.is_none() && !matches!(job.event, NoticeEvent::Test) {
            return Ok(Settle::Done); // deleted since
        }
        let mut event = job.event.clone();
        if let (NoticeEvent::Status { status: MonitorStatus::Down, folded, .. }, Some(m)) = (&mut event, &monitor) {
            // Dependency-aware alerting: one notice for a group (or for the monitor others
            // depend on), not one per child.
            let upstreams: Vec<(&str, &str)> =
                [(m.parent_id.as_deref(), "group"), (m.depends_on.as_deref(), "dependency")]
                    .into_iter()
                    .filter_map(|(id, what)| id.map(|id| (id, what)))
                    .collect();
            if !upstreams.is_empty() {
                let age = now_millis() - job.created_at;
                if age < FOLD_WAIT_MS {
                    return Ok(Settle::Later(Duration::from_millis((FOLD_WAIT_MS - age) as u64)));
                }
                for (id, what) in upstreams {
                    if let Some(up) = self.store.monitor(id).await?
                        && up.status == MonitorStatus::Down
                    {
                        let note = format!("folded into the notice of its {what} \"{}\"", up.name);
                        self.record(&key, &channel.id, Some(&m.id), d.attempt, DeliveryOutcome::Folded, Some(note))
                            .await?;
                        return Ok(Settle::Done);
                    }
                }
            }
            let mut behind = if m.kind == "group" { self.store.children(&m.id).await? } else { Vec::new() };
            behind.extend(self.store.dependents(&m.id).await?);
            *folded =
                behind.into_iter().filter(|c| c.active && c.status == MonitorStatus::Down).map(|c| c.name).collect();
            folded.dedup();
        }
        let notice = Notice::new(monitor.as_ref(), &event);
        let result = match provider_for(&channel.kind) {
            Some(p) => {
                let config = channel.config_value();
                match tokio::time::timeout(self.ctx.timeout, p.send(&config, &notice, &self.ctx)).await {
                    Ok(r) => r,
                    Err(_) => Err(DeliveryError::Retry(format!(
                        "{} did not answer within {} s",
                        channel.kind,
                        self.ctx.timeout.as_secs()
                    ))),
                }
            }
            None => Err(DeliveryError::Reject(format!("unknown provider \"{}\"", channel.kind))),
        };
        let expired = now_millis() - job.created_at > MAX_RETRY_AGE_MS;
        let (outcome, error, settle) = match result {
            Ok(()) => (DeliveryOutcome::Sent, None, Settle::Done),
            Err(DeliveryError::Reject(e)) => (DeliveryOutcome::Failed, Some(e), Settle::Done),
            Err(DeliveryError::Retry(e)) if expired => {
                (DeliveryOutcome::Failed, Some(format!("{e} (gave up after 24 hours)")), Settle::Done)
            }
            Err(DeliveryError::Retry(e)) => (DeliveryOutcome::Retrying, Some(e), Settle::Later(retry_delay(d.attempt))),
        };
        match &error {
            Some(e) => tracing::warn!(channel = %channel.name, provider = %channel.kind, attempt = d.attempt,
                outcome = outcome.as_str(), error = %e, "notify: delivery failed"),
            None => tracing::info!(channel = %channel.name, provider = %channel.kind, monitor = %job.monitor_id,
                "notify: delivered"),
        }
        self.record(&key, &channel.id, monitor.as_ref().map(|m| m.id.as_str()), d.attempt, outcome, error).await?;
        Ok(settle)
    }

    async fn record(
        &self,
        key: &str,
        channel_id: &str,
        monitor_id: Option<&str>,
        attempt: u32,
        outcome: DeliveryOutcome,
        error: Option<String>,
    ) -> anyhow::Result<()> {
        let attempt = DeliveryAttempt {
            id: uuid::Uuid::now_v7().to_string(),
            dedup_key: key.to_string(),
            channel_id: channel_id.to_string(),
            monitor_id: monitor_id.map(str::to_string),
            attempt,
            outcome,
            error,
            created_at: now_millis(),
        };
        self.store.record_delivery(&attempt).await?;
        Ok(())
    }
}

enum Settle {
    Done,
    Later(Duration),
}

/// Sends a test notice through an (unsaved) channel right away, for `POST /test`.
pub async fn send_test(kind: &str, config: &Value, timeout: Duration) -> Result<(), DeliveryError> {
    let provider = provider_for(kind).ok_or_else(|| DeliveryError::Reject(format!("unknown provider \"{kind}\"")))?;
    let ctx = SendContext { http: http_client(timeout).map_err(|e| DeliveryError::Retry(e.to_string()))?, timeout };
    let notice = Notice::new(None, &NoticeEvent::Test);
    match tokio::time::timeout(timeout, provider.send(config, &notice, &ctx)).await {
        Ok(r) => r,
        Err(_) => Err(DeliveryError::Retry(format!("{kind} did not answer within {} s", timeout.as_secs()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn monitor() -> Monitor {
        Monitor {
            id: "m1".into(),
            name: "API".into(),
            config: r#"{"url":"https://api.example.com/health"}"#.into(),
            ..sample_monitor()
        }
    }

    #[test]
    fn a_down_notice_says_what_where_and_why() {
        let ev = NoticeEvent::Status {
            status: MonitorStatus::Down,
            previous: Some(MonitorStatus::Up),
            time: 1_700_000_000_000,
            msg: "Connection refused".into(),
            ping_us: None,
            folded: vec!["db".into()],
        };
        let n = Notice::new(Some(&monitor()), &ev);
        assert_eq!(n.title, "🔴 API is DOWN");
        assert!(n.text.contains("Target: https://api.example.com/health"), "{}", n.text);
        assert!(n.text.contains("Reason: Connection refused"));
        assert!(n.text.contains("Also down behind it: db"));
        assert_eq!(n.bindings["status"], "DOWN");
        assert_eq!(n.bindings["monitor"]["config"]["url"], "https://api.example.com/health");
        assert_eq!(n.render_or_default("{{ name }}: {{ msg }}").unwrap(), "API: Connection refused");
        assert!(n.is_problem());
    }

    #[test]
    fn an_up_notice_carries_the_response_time() {
        let ev = NoticeEvent::Status {
            status: MonitorStatus::Up,
            previous: Some(MonitorStatus::Down),
            time: 0,
            msg: "200 OK".into(),
            ping_us: Some(12_340),
            folded: vec![],
        };
        let n = Notice::new(Some(&monitor()), &ev);
        assert!(n.text.contains("Response time: 12.3 ms"), "{}", n.text);
        assert_eq!(n.bindings["ping"], 12.3);
        assert!(!n.is_problem());
    }
}

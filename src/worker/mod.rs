//! The worker: runs check jobs from the `checks` queue and puts outcomes on `results`.
//!
//! Bounded concurrency (a semaphore sized by `concurrency`), the monitor's timeout around
//! every check (a hung target costs one slot for `timeout` seconds, never more), and
//! outcomes batched into one enqueue. A job is acknowledged only after its outcome is on
//! the results queue, so a crash between the two reruns the check rather than losing it.

pub mod checks;
pub mod http_clients;
pub mod ntlm;
pub mod stats;
pub mod tls;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Semaphore, mpsc};
use tokio_util::sync::CancellationToken;

use crate::bus::{Bus, DeliveryTag, OutMessage, QueueName};
use crate::domain::check::CheckJob;
use crate::domain::heartbeat::BeatOrigin;
use crate::domain::{CheckOutcome, MonitorStatus, now_millis};
use checks::{CheckContext, Observation, check_for};
use stats::WorkerStats;

/// Worker settings.
#[derive(Clone, Debug)]
pub struct WorkerConfig {
    /// Checks running at once.
    pub concurrency: usize,
    /// Where this worker runs (multi-location monitoring).
    pub location: String,
    /// Largest response body read by keyword and JSON checks.
    pub max_body_bytes: usize,
    /// Outcomes per results enqueue, and how long to wait to fill a batch.
    pub result_batch: usize,
    pub result_linger: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            concurrency: 4096,
            location: "local".into(),
            max_body_bytes: 10 * 1024 * 1024,
            result_batch: 512,
            result_linger: Duration::from_millis(200),
        }
    }
}

pub struct Worker {
    bus: Arc<dyn Bus>,
    config: WorkerConfig,
    ctx: Arc<CheckContext>,
    stats: Arc<WorkerStats>,
}

/// Runs one job to an outcome (None when there is nothing to record).
pub async fn run_job(job: &CheckJob, ctx: &CheckContext) -> Option<CheckOutcome> {
    let started = now_millis();
    let monitor = &job.monitor;
    if job.in_maintenance {
        // The target is left alone during maintenance; the beat says why nothing ran.
        return Some(CheckOutcome {
            monitor_id: monitor.id.clone(),
            time: started,
            status: MonitorStatus::Maintenance,
            ping_us: None,
            msg: "Under maintenance".into(),
            tls: None,
            origin: BeatOrigin::Check,
        });
    }
    let obs = match monitor.typed_config() {
        Err(e) => Some(Observation::down(None, format!("Invalid configuration: {e}"))),
        Ok(config) => {
            let timeout = Duration::from_secs(u64::from(monitor.timeout.max(1)));
            // A little grace over the monitor's timeout so the check's own, more
            // descriptive timeout message usually wins.
            match tokio::time::timeout(timeout + Duration::from_millis(500), check_for(&config).run(job, &config, ctx))
                .await
            {
                Ok(obs) => obs,
                Err(_) => Some(Observation::down(None, format!("Timed out after {} s", monitor.timeout))),
            }
        }
    }?;
    Some(CheckOutcome {
        monitor_id: monitor.id.clone(),
        time: started,
        status: obs.status,
        ping_us: obs.ping_us,
        msg: truncate_msg(obs.msg),
        tls: obs.tls,
        origin: BeatOrigin::Check,
    })
}

/// Messages are shown in lists and stored: keep them to a sensible size.
fn truncate_msg(mut msg: String) -> String {
    const MAX: usize = 500;
    if msg.len() > MAX {
        let mut cut = MAX;
        while !msg.is_char_boundary(cut) {
            cut -= 1;
        }
        msg.truncate(cut);
        msg.push('…');
    }
    msg
}

impl Worker {
    pub fn new(bus: Arc<dyn Bus>, config: WorkerConfig) -> Self {
        let ctx = Arc::new(CheckContext {
            http: Arc::new(http_clients::HttpClients::default()),
            max_body_bytes: config.max_body_bytes,
            icmp: checks::IcmpClients::default(),
        });
        Self { bus, config, ctx, stats: Arc::new(WorkerStats::default()) }
    }

    pub fn stats(&self) -> Arc<WorkerStats> {
        self.stats.clone()
    }

    pub async fn run(self, shutdown: CancellationToken) {
        let slots = Arc::new(Semaphore::new(self.config.concurrency.max(1)));
        let (done_tx, done_rx) =
            mpsc::channel::<(DeliveryTag, Option<CheckOutcome>)>(self.config.concurrency.max(16) * 2);
        let sender = tokio::spawn(send_results(self.bus.clone(), done_rx, self.config.clone(), self.stats.clone()));
        loop {
            let free = slots.available_permits();
            if free == 0 {
                // Wait for a slot rather than pulling jobs we cannot start.
                let permit = tokio::select! {
                    _ = shutdown.cancelled() => break,
                    p = slots.clone().acquire_owned() => p,
                };
                drop(permit);
                continue;
            }
            let deliveries = tokio::select! {
                _ = shutdown.cancelled() => break,
                d = self.bus.pull(QueueName::Checks, free.min(256), Duration::from_secs(1)) => d,
            };
            let deliveries = match deliveries {
                Ok(d) => d,
                Err(e) => {
                    tracing::error!(error = %e, "worker: pulling checks failed");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            };
            for d in deliveries {
                let job: CheckJob = match serde_json::from_slice(&d.payload) {
                    Ok(j) => j,
                    Err(e) => {
                        tracing::error!(error = %e, id = %d.id, "worker: dropping an unreadable check job");
                        let _ = self.bus.ack(QueueName::Checks, &[d.tag]).await;
                        continue;
                    }
                };
                let now = now_millis();
                let stale_after = i64::from(job.monitor.interval) * 1500;
                if now - job.scheduled_at > stale_after {
                    // Older than 1.5 intervals: a newer job for this monitor is due anyway.
                    tracing::warn!(monitor = %job.monitor.id, late_ms = now - job.scheduled_at, "worker: skipping a stale check");
                    self.stats.record_skipped();
                    let _ = done_tx.send((d.tag, None)).await;
                    continue;
                }
                self.stats.record_lag_ms((now - job.scheduled_at).max(0) as u64);
                let Ok(permit) = slots.clone().acquire_owned().await else { break };
                let ctx = self.ctx.clone();
                let done = done_tx.clone();
                let stats = self.stats.clone();
                tokio::spawn(async move {
                    let span = tracing::debug_span!("check", monitor = %job.monitor.id, kind = %job.monitor.kind);
                    let _e = span.enter();
                    let outcome = run_job(&job, &ctx).await;
                    if let Some(o) = &outcome {
                        stats.record_outcome(o.status == MonitorStatus::Up);
                    }
                    drop(permit);
                    let _ = done.send((d.tag, outcome)).await;
                });
            }
        }
        drop(done_tx);
        let _ = sender.await;
    }
}

/// Batches outcomes onto the results queue, then acknowledges their check jobs.
async fn send_results(
    bus: Arc<dyn Bus>,
    mut rx: mpsc::Receiver<(DeliveryTag, Option<CheckOutcome>)>,
    config: WorkerConfig,
    stats: Arc<WorkerStats>,
) {
    let mut batch: Vec<(DeliveryTag, Option<CheckOutcome>)> = Vec::new();
    loop {
        let first = match rx.recv().await {
            Some(x) => x,
            None => break,
        };
        batch.push(first);
        let deadline = tokio::time::Instant::now() + config.result_linger;
        while batch.len() < config.result_batch {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some(x)) => batch.push(x),
                _ => break,
            }
        }
        let messages: Vec<OutMessage> = batch
            .iter()
            .filter_map(|(_, o)| o.as_ref())
            .filter_map(|o| {
                serde_json::to_vec(o)
                    .ok()
                    .map(|payload| OutMessage { id: format!("result:{}:{}", o.monitor_id, o.time), payload })
            })
            .collect();
        let tags: Vec<DeliveryTag> = batch.iter().map(|(t, _)| *t).collect();
        let mut attempt = 0u32;
        loop {
            match bus.enqueue_lazy(QueueName::Results, messages.clone()).await {
                Ok(()) => break,
                Err(e) => {
                    attempt += 1;
                    tracing::error!(error = %e, attempt, "worker: cannot enqueue results; retrying");
                    if attempt >= 5 {
                        // Leave the jobs unacknowledged: the bus redelivers them and the
                        // checks run again rather than their outcomes being lost.
                        stats.record_result_failures(messages.len() as u64);
                        batch.clear();
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(200 * u64::from(attempt))).await;
                }
            }
        }
        if !batch.is_empty()
            && let Err(e) = bus.ack(QueueName::Checks, &tags).await
        {
            tracing::warn!(error = %e, "worker: acknowledging checks failed");
        }
        batch.clear();
    }
}

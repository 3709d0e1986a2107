//! The ingester: turns check outcomes into heartbeats and stores them.
//!
//! It pulls outcomes from the `results` queue in batches, runs each through the status
//! state machine (`domain::state`) against the monitor's previous beat, writes the batch
//! in one store transaction (heartbeats, rollups, monitor status, TLS facts), then
//! publishes `HeartbeatRecorded` events and acknowledges the batch. A redelivered outcome
//! (same monitor and time) is skipped, so every beat is counted exactly once.
//!
//! Beats that notify (the state machine says so) become one `NotifyJob` per linked
//! channel on the durable `notifications` queue, enqueued *before* the batch is stored:
//! a crash in between redelivers the outcomes, which recompute the same jobs with the same
//! ids, and the bus drops those as duplicates. Stored first, a crash would lose them.

pub mod retention;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::StreamExt;
use tokio_util::sync::CancellationToken;

use crate::bus::OutMessage;
use crate::bus::{Bus, BusEvent, Delivery, DeliveryTag, QueueName};
use crate::domain::heartbeat::BeatOrigin;
use crate::domain::notification::{NoticeEvent, NotifyJob};
use crate::domain::state::{BeatState, RetryPolicy, next_beat};
use crate::domain::{CheckOutcome, Heartbeat, MonitorStatus, TlsInfo};
use crate::store::{IngestBatch, Store};

/// Ingester settings.
#[derive(Clone, Debug)]
pub struct IngesterConfig {
    /// Most outcomes per store transaction.
    pub batch_max: usize,
    /// Back-off before a failed batch is retried.
    pub retry_delay: Duration,
    /// After the first outcome arrives, wait this long for more before writing: at low
    /// rates this turns one fsynced transaction per check into one per linger.
    pub linger: Duration,
}

impl Default for IngesterConfig {
    fn default() -> Self {
        Self { batch_max: 2000, retry_delay: Duration::from_secs(1), linger: Duration::from_millis(200) }
    }
}

/// What the ingester remembers per monitor between batches.
#[derive(Clone, Debug)]
struct MonitorState {
    policy: RetryPolicy,
    active: bool,
    beat: Option<BeatState>,
    /// (leaf fingerprint, valid, error) of the TLS facts last stored.
    tls_seen: Option<(String, bool, Option<String>)>,
    /// The notification channels linked to the monitor.
    channels: Vec<String>,
}

type StateCache = Arc<Mutex<HashMap<String, MonitorState>>>;

pub struct Ingester {
    store: Arc<dyn Store>,
    bus: Arc<dyn Bus>,
    config: IngesterConfig,
    cache: StateCache,
}

/// What one processed batch produced.
#[derive(Debug, Default)]
pub struct BatchReport {
    pub stored: usize,
    pub skipped: usize,
}

fn tls_key(t: &TlsInfo) -> (String, bool, Option<String>) {
    (t.chain.first().map(|c| c.fingerprint_sha256.clone()).unwrap_or_default(), t.valid, t.error.clone())
}

impl Ingester {
    pub fn new(store: Arc<dyn Store>, bus: Arc<dyn Bus>, config: IngesterConfig) -> Self {
        Self { store, bus, config, cache: Arc::new(Mutex::new(HashMap::new())) }
    }

    pub async fn run(self, shutdown: CancellationToken) {
        // Monitor edits and deletions invalidate cached state; a separate task keeps the
        // pull loop simple (and pulls cancellation-free).
        match self.bus.subscribe().await {
            Ok(mut events) => {
                let cache = self.cache.clone();
                let stop = shutdown.clone();
                tokio::spawn(async move {
                    loop {
                        let ev = tokio::select! {
                            _ = stop.cancelled() => break,
                            ev = events.next() => ev,
                        };
                        match ev {
                            Some(BusEvent::MonitorChanged { id, .. }) => {
                                if let Ok(mut c) = cache.lock() {
                                    c.remove(&id);
                                }
                            }
                            Some(BusEvent::Lagged { .. }) => {
                                if let Ok(mut c) = cache.lock() {
                                    c.clear();
                                }
                            }
                            Some(_) => {}
                            None => break,
                        }
                    }
                });
            }
            Err(e) => tracing::error!(error = %e, "ingester: cannot subscribe to events; caching disabled"),
        }
        loop {
            let deliveries = tokio::select! {
                _ = shutdown.cancelled() => break,
                d = self.bus.pull(QueueName::Results, self.config.batch_max, Duration::from_secs(1)) => d,
            };
            let deliveries = match deliveries {
                Ok(mut d) if !d.is_empty() && d.len() < self.config.batch_max && !self.config.linger.is_zero() => {
                    tokio::time::sleep(self.config.linger).await;
                    match self.bus.pull(QueueName::Results, self.config.batch_max - d.len(), Duration::ZERO).await {
                        Ok(more) => d.extend(more),
                        Err(e) => tracing::warn!(error = %e, "ingester: pulling more results failed"),
                    }
                    Ok(d)
                }
                other => other,
            };
            match deliveries {
                Ok(d) if d.is_empty() => {}
                Ok(d) => {
                    if let Err(e) = self.process(d).await {
                        tracing::error!(error = %e, "ingester: batch failed; it will be retried");
                        tokio::time::sleep(self.config.retry_delay).await;
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, "ingester: pulling results failed");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }

    /// Loads state for monitors the cache does not know.
    async fn load_states(&self, ids: Vec<String>) -> anyhow::Result<HashMap<String, MonitorState>> {
        let mut out = HashMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        let monitors = self.store.monitors_by_ids(&ids).await?;
        let beats = self.store.latest_beat_states(&ids).await?;
        for m in monitors {
            out.insert(
                m.id.clone(),
                MonitorState {
                    policy: m.retry_policy(),
                    active: m.active,
                    beat: beats.get(&m.id).copied(),
                    tls_seen: None,
                    channels: m.notification_ids.clone(),
                },
            );
        }
        Ok(out)
    }

    /// Ingests one batch of deliveries: store, publish, acknowledge. On a store error the
    /// whole batch is handed back for redelivery and nothing is cached.
    pub async fn process(&self, deliveries: Vec<Delivery>) -> anyhow::Result<BatchReport> {
        let mut tags: Vec<DeliveryTag> = Vec::with_capacity(deliveries.len());
        let mut outcomes: Vec<CheckOutcome> = Vec::with_capacity(deliveries.len());
        for d in deliveries {
            tags.push(d.tag);
            match serde_json::from_slice::<CheckOutcome>(&d.payload) {
                Ok(o) => outcomes.push(o),
                Err(e) => tracing::error!(error = %e, id = %d.id, "ingester: dropping an unreadable outcome"),
            }
        }
        outcomes.sort_by(|a, b| (a.monitor_id.as_str(), a.time).cmp(&(b.monitor_id.as_str(), b.time)));

        let mut working: HashMap<String, MonitorState> = HashMap::new();
        let mut missing: Vec<String> = Vec::new();
        {
            let cache = self.cache.lock().map_err(|_| anyhow::anyhow!("state cache poisoned"))?;
            for o in &outcomes {
                if working.contains_key(&o.monitor_id) || missing.contains(&o.monitor_id) {
                    continue;
                }
                match cache.get(&o.monitor_id) {
                    Some(s) => {
                        working.insert(o.monitor_id.clone(), s.clone());
                    }
                    None => missing.push(o.monitor_id.clone()),
                }
            }
        }
        let loaded = match self.load_states(missing).await {
            Ok(l) => l,
            Err(e) => {
                self.hand_back(&tags).await;
                return Err(e);
            }
        };
        working.extend(loaded);

        let mut batch = IngestBatch::default();
        let mut notices: Vec<OutMessage> = Vec::new();
        let now = crate::domain::now_millis();
        let mut meta: Vec<(Option<MonitorStatus>, BeatOrigin)> = Vec::new();
        let mut skipped = 0;
        for o in outcomes {
            let Some(st) = working.get_mut(&o.monitor_id) else {
                skipped += 1; // deleted while in flight
                continue;
            };
            if !st.active {
                skipped += 1; // paused while in flight
                continue;
            }
            if st.beat.is_some_and(|b| o.time <= b.time) {
                skipped += 1; // a redelivery, or older than what is stored
                continue;
            }
            let prev = st.beat;
            let t = next_beat(prev.as_ref(), o.status, st.policy);
            if t.notify {
                for channel in &st.channels {
                    let job = NotifyJob {
                        channel_id: channel.clone(),
                        monitor_id: o.monitor_id.clone(),
                        event: NoticeEvent::Status {
                            status: t.status,
                            previous: prev.map(|p| p.status),
                            time: o.time,
                            msg: o.msg.clone(),
                            ping_us: o.ping_us,
                            folded: vec![],
                        },
                        created_at: now,
                    };
                    match serde_json::to_vec(&job) {
                        Ok(payload) => notices.push(OutMessage { id: job.dedup_key(), payload }),
                        Err(e) => tracing::error!(error = %e, "ingester: cannot encode a notice"),
                    }
                }
            }
            let beat = Heartbeat {
                monitor_id: o.monitor_id.clone(),
                time: o.time,
                status: t.status,
                ping_us: o.ping_us,
                msg: o.msg,
                important: t.important,
                // Notices for it are in the outbox (delivery is recorded per channel).
                notified: t.notify && !st.channels.is_empty(),
                retries: t.retries,
                down_count: t.down_count,
                duration_ms: prev.map_or(0, |p| o.time - p.time),
            };
            st.beat = Some(BeatState { status: t.status, retries: t.retries, down_count: t.down_count, time: o.time });
            if let Some(tls) = o.tls {
                let key = tls_key(&tls);
                if st.tls_seen.as_ref() != Some(&key) {
                    st.tls_seen = Some(key);
                    batch.tls.retain(|(id, _)| id != &o.monitor_id);
                    batch.tls.push((o.monitor_id.clone(), tls));
                }
            }
            meta.push((prev.map(|p| p.status), o.origin));
            batch.beats.push(beat);
        }

        if !notices.is_empty()
            && let Err(e) = self.bus.enqueue(QueueName::Notifications, notices).await
        {
            self.hand_back(&tags).await;
            return Err(e.into());
        }
        let inserted = match self.store.ingest(&batch).await {
            Ok(i) => i,
            Err(e) => {
                self.hand_back(&tags).await;
                return Err(e.into());
            }
        };
        if let Ok(mut cache) = self.cache.lock() {
            cache.extend(working);
        }
        let mut stored = 0;
        for ((beat, (previous_status, origin)), ok) in batch.beats.into_iter().zip(meta).zip(inserted) {
            if !ok {
                skipped += 1;
                continue;
            }
            stored += 1;
            let ev = BusEvent::HeartbeatRecorded { heartbeat: beat, previous_status, origin };
            if let Err(e) = self.bus.publish(&ev).await {
                tracing::warn!(error = %e, "ingester: publishing a heartbeat event failed");
            }
        }
        if let Err(e) = self.bus.ack(QueueName::Results, &tags).await {
            tracing::warn!(error = %e, "ingester: acknowledging results failed; they will be redelivered and skipped");
        }
        Ok(BatchReport { stored, skipped })
    }

    async fn hand_back(&self, tags: &[DeliveryTag]) {
        for t in tags {
            let _ = self.bus.nack(QueueName::Results, *t, self.config.retry_delay).await;
        }
    }
}

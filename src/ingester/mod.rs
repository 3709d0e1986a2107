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
use crate::domain::notification::{
    CERT_EXPIRY_SETTING, DEFAULT_CERT_EXPIRY_DAYS, NoticeEvent, NotifyJob, crossed_thresholds, parse_cert_expiry_days,
};
use crate::domain::state::{BeatState, Damping, NotifyGate, RetryPolicy, next_beat};
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
    /// Flap damping and what was last announced.
    damping: Damping,
    gate: NotifyGate,
    /// Whether certificate-expiry notices are wanted (`check_cert_expiry`, `tls` monitors).
    cert_alerts: bool,
    /// (leaf fingerprint, threshold) pairs already notified or claimed.
    cert_claimed: std::collections::HashSet<(String, i64)>,
}

/// Whether a monitor wants notices when its certificate nears expiry.
fn wants_cert_alerts(m: &crate::domain::Monitor) -> bool {
    use crate::domain::MonitorConfig as C;
    match m.typed_config() {
        Ok(C::Http(c) | C::HttpKeyword(c) | C::HttpJsonQuery(c)) => c.check_cert_expiry,
        Ok(C::Tls(_)) => true,
        _ => false,
    }
}

type StateCache = Arc<Mutex<HashMap<String, MonitorState>>>;

pub struct Ingester {
    store: Arc<dyn Store>,
    bus: Arc<dyn Bus>,
    config: IngesterConfig,
    cache: StateCache,
    /// `cert_expiry_notify_days`, re-read at most once a minute.
    cert_days: Mutex<Option<(std::time::Instant, Vec<i64>)>>,
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
        Self { store, bus, config, cache: Arc::new(Mutex::new(HashMap::new())), cert_days: Mutex::new(None) }
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

    /// The certificate-expiry thresholds (days), from the settings.
    async fn cert_expiry_days(&self) -> Vec<i64> {
        if let Ok(g) = self.cert_days.lock()
            && let Some((at, days)) = g.as_ref()
            && at.elapsed() < Duration::from_secs(60)
        {
            return days.clone();
        }
        let days = match self.store.setting(CERT_EXPIRY_SETTING).await {
            Ok(Some(s)) => parse_cert_expiry_days(&s.value),
            Ok(None) => DEFAULT_CERT_EXPIRY_DAYS.to_vec(),
            Err(e) => {
                tracing::warn!(error = %e, "ingester: cannot read {CERT_EXPIRY_SETTING}; using the default");
                DEFAULT_CERT_EXPIRY_DAYS.to_vec()
            }
        };
        if let Ok(mut g) = self.cert_days.lock() {
            *g = Some((std::time::Instant::now(), days.clone()));
        }
        days
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
                    damping: m.damping(),
                    gate: NotifyGate::resume(beats.get(&m.id).map(|b| b.status)),
                    cert_alerts: wants_cert_alerts(&m),
                    cert_claimed: Default::default(),
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
        // (monitor, fingerprint, threshold) to record once the notices are enqueued.
        let mut cert_claims: Vec<(String, String, i64)> = Vec::new();
        let wants_certs = outcomes.iter().any(|o| o.tls.is_some());
        let cert_days = if wants_certs { self.cert_expiry_days().await } else { Vec::new() };
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
            let notify = st.gate.admit(&t, st.damping);
            if notify {
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
                notified: notify && !st.channels.is_empty(),
                retries: t.retries,
                down_count: t.down_count,
                duration_ms: prev.map_or(0, |p| o.time - p.time),
            };
            st.beat = Some(BeatState { status: t.status, retries: t.retries, down_count: t.down_count, time: o.time });
            if let Some(leaf) = o.tls.as_ref().and_then(|t| t.chain.first())
                && st.cert_alerts
                && !st.channels.is_empty()
            {
                let fresh: Vec<i64> = crossed_thresholds(leaf.days_remaining, &cert_days)
                    .into_iter()
                    .filter(|t| !st.cert_claimed.contains(&(leaf.fingerprint_sha256.clone(), *t)))
                    .collect();
                if let Some(&threshold) = fresh.first() {
                    for channel in &st.channels {
                        let job = NotifyJob {
                            channel_id: channel.clone(),
                            monitor_id: o.monitor_id.clone(),
                            event: NoticeEvent::CertExpiry {
                                days: leaf.days_remaining,
                                threshold,
                                not_after: leaf.not_after,
                                subject: leaf.subject.clone(),
                                fingerprint: leaf.fingerprint_sha256.clone(),
                            },
                            created_at: now,
                        };
                        if let Ok(payload) = serde_json::to_vec(&job) {
                            notices.push(OutMessage { id: job.dedup_key(), payload });
                        }
                    }
                    for t in fresh {
                        st.cert_claimed.insert((leaf.fingerprint_sha256.clone(), t));
                        cert_claims.push((o.monitor_id.clone(), leaf.fingerprint_sha256.clone(), t));
                    }
                }
            }
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
        // Recorded after the notices are in the outbox: a crash in between re-enqueues them
        // (same ids), and the sender skips what it already delivered.
        for (monitor, fingerprint, threshold) in cert_claims {
            if let Err(e) = self.store.claim_cert_notice(&monitor, &fingerprint, threshold, now).await {
                tracing::warn!(error = %e, "ingester: recording a certificate notice failed");
            }
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

//! The producer: decides when each monitor is checked and enqueues check jobs.
//!
//! It holds a due-time heap (`schedule`) fed by monitor events, not a periodic scan:
//! a created monitor is checked right away, an edited one re-checked, a deleted or
//! paused one dropped. A PENDING result pulls the next check to `retry_interval`
//! (Peekaping ignores it). Push monitors get a deadline job each interval after their
//! latest push. Only the holder of the leader lease schedules.

pub mod lease;
pub mod schedule;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::StreamExt;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::bus::{Bus, BusEvent, ChangeAction, OutMessage, QueueName};
use crate::domain::check::CheckJob;
use crate::domain::heartbeat::BeatOrigin;
use crate::domain::maintenance::{Maintenance, is_active};
use crate::domain::monitor_types::group::ChildState;
use crate::domain::proxy::Proxy;
use crate::domain::{Monitor, MonitorConfig, MonitorStatus, UnixMillis, now_millis};
use crate::store::Store;
use lease::Lease;
use schedule::{MonoMillis, Schedule, next_on_phase};

/// Producer settings.
#[derive(Clone, Debug)]
pub struct ProducerConfig {
    /// Name in the leader lease (hostname + pid by default).
    pub instance: String,
    /// Most jobs enqueued per bus call.
    pub batch: usize,
    /// The bus key-value TTL, which bounds leader fail-over time.
    pub lease_ttl: Duration,
}

impl Default for ProducerConfig {
    fn default() -> Self {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|h| h.trim().to_string())
            .unwrap_or_else(|_| "host".into());
        Self { instance: format!("{host}:{}", std::process::id()), batch: 1000, lease_ttl: Duration::from_secs(15) }
    }
}

/// Whether a maintenance covers `monitor` or one of the groups it sits in (as in Uptime
/// Kuma, a group's maintenance covers its members).
fn covered(schedule: &Schedule, under_maintenance: &HashSet<String>, monitor: &Monitor) -> bool {
    if under_maintenance.is_empty() {
        return false;
    }
    let mut current = Some(monitor.id.clone());
    let mut parent = monitor.parent_id.clone();
    // Groups nest at most 64 deep (the store refuses cycles); stop there regardless.
    for _ in 0..64 {
        if current.as_deref().is_some_and(|id| under_maintenance.contains(id)) {
            return true;
        }
        let Some(p) = parent else { return false };
        parent = schedule.monitor(&p).and_then(|m| m.parent_id.clone());
        current = Some(p);
    }
    false
}

/// How early a check may be sent to join a batch (ms).
const COALESCE_MS: u64 = 25;

pub struct Producer {
    store: Arc<dyn Store>,
    bus: Arc<dyn Bus>,
    config: ProducerConfig,
    started: Instant,
    /// Proxies by id as last read from the store (None: it no longer exists). Dropped
    /// on `ProxyChanged`, so the next check of each of its monitors carries the edit.
    proxies: Mutex<HashMap<String, Option<Proxy>>>,
    /// The active maintenances as last read from the store; re-read on
    /// `MaintenanceChanged` and evaluated (pure arithmetic, no I/O) on every dispatch.
    maintenances: Mutex<Vec<Maintenance>>,
}

impl Producer {
    pub fn new(store: Arc<dyn Store>, bus: Arc<dyn Bus>, config: ProducerConfig) -> Self {
        Self {
            store,
            bus,
            config,
            started: Instant::now(),
            proxies: Mutex::new(HashMap::new()),
            maintenances: Mutex::new(Vec::new()),
        }
    }

    fn mono_now(&self) -> MonoMillis {
        self.started.elapsed().as_millis() as MonoMillis
    }

    /// Runs until `shutdown`: waits for the lease, schedules while holding it.
    pub async fn run(self, shutdown: CancellationToken) {
        let mut lease = Lease::new(self.bus.clone(), self.config.instance.clone());
        let renew = Lease::renew_every(self.config.lease_ttl);
        loop {
            if shutdown.is_cancelled() {
                break;
            }
            if lease.acquire_or_renew().await {
                tracing::info!(instance = %self.config.instance, "producer: leading");
                if let Err(e) = self.lead(&mut lease, renew, &shutdown).await {
                    tracing::error!(error = %e, "producer: scheduling stopped; retrying");
                }
                if shutdown.is_cancelled() {
                    break;
                }
            }
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = tokio::time::sleep(renew) => {}
            }
        }
        lease.release().await;
    }

    /// (Re)builds the schedule from the store. Each monitor resumes its phase (see
    /// `schedule::next_on_phase`), so after a restart every monitor is checked again within
    /// one interval, spread out, not all at once.
    async fn load(&self, schedule: &mut Schedule) -> anyhow::Result<()> {
        // Events were not followed before this (not leading, or lagging): forget proxies.
        if let Ok(mut cache) = self.proxies.lock() {
            cache.clear();
        }
        self.reload_maintenances().await?;
        let monitors = self.store.active_monitors().await?;
        let ids: Vec<String> = monitors.iter().map(|m| m.id.clone()).collect();
        // Only push monitors need their latest beat (their deadline runs from it).
        let push_ids: Vec<String> = monitors.iter().filter(|m| m.kind == "push").map(|m| m.id.clone()).collect();
        let states = self.store.latest_beat_states(&push_ids).await?;
        let now = self.mono_now();
        let wall_now = now_millis();
        let known: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
        for id in schedule.ids() {
            if !known.contains(id.as_str()) {
                schedule.remove(&id);
            }
        }
        for m in monitors {
            let interval_ms = u64::from(m.interval) * 1000;
            let last = states.get(&m.id);
            let last_push = last.filter(|s| s.status == MonitorStatus::Up).map(|s| s.time);
            let due = match schedule.due_of(&m.id) {
                Some(d) => d,
                None if m.kind == "push" => self.push_due(&m, last_push),
                None => now + (next_on_phase(&m.id, interval_ms, wall_now) - wall_now) as u64,
            };
            let id = m.id.clone();
            schedule.upsert(m, due);
            if let Some(t) = last_push {
                schedule.set_last_push(&id, t);
            }
        }
        tracing::info!(monitors = schedule.len(), "producer: schedule loaded");
        Ok(())
    }

    async fn lead(&self, lease: &mut Lease, renew: Duration, shutdown: &CancellationToken) -> anyhow::Result<()> {
        let mut events = self.bus.subscribe().await?;
        let mut schedule = Schedule::default();
        self.load(&mut schedule).await?;
        let mut renew_at = Instant::now() + renew;
        loop {
            let wake = schedule
                .next_due()
                .map(|d| self.started + Duration::from_millis(d))
                .unwrap_or_else(|| Instant::now() + Duration::from_secs(3600))
                .min(renew_at);
            tokio::select! {
                _ = shutdown.cancelled() => return Ok(()),
                _ = tokio::time::sleep_until(wake) => {}
                ev = events.next() => match ev {
                    Some(ev) => self.on_event(&mut schedule, ev).await?,
                    None => anyhow::bail!("the event stream ended"),
                },
            }
            if Instant::now() >= renew_at {
                if !lease.acquire_or_renew().await {
                    tracing::warn!("producer: lost the leader lease");
                    return Ok(());
                }
                renew_at = Instant::now() + renew;
            }
            self.dispatch(&mut schedule).await;
        }
    }

    async fn dispatch(&self, schedule: &mut Schedule) {
        loop {
            // Checks due within the next few milliseconds go out with this batch: one wake-up
            // (and one enqueue) for a cluster instead of one each, at most that much early.
            let (now, wall_now) = (self.mono_now(), now_millis());
            let due = schedule.pop_due(now + COALESCE_MS, wall_now + COALESCE_MS as i64, self.config.batch);
            if due.is_empty() {
                return;
            }
            let mut messages: Vec<OutMessage> = Vec::with_capacity(due.len());
            let under_maintenance = self.under_maintenance(wall_now);
            for d in &due {
                if d.monitor.kind == "push" {
                    let next = self.push_due(&d.monitor, d.last_push_at);
                    schedule.reschedule(&d.monitor.id, next);
                }
            }
            for d in due {
                let children = if d.monitor.kind == "group" {
                    match self.children_of(&d.monitor.id).await {
                        Some(c) => c,
                        None => continue, // this round is skipped; the next one retries
                    }
                } else {
                    Vec::new()
                };
                let proxy = match &d.monitor.proxy_id {
                    None => None,
                    Some(pid) => match self.proxy(pid).await {
                        Some(p) => p,
                        None => continue, // not knowing the proxy, skip rather than go direct
                    },
                };
                let job = CheckJob {
                    in_maintenance: covered(schedule, &under_maintenance, &d.monitor),
                    proxy,
                    scheduled_at: wall_now + (d.due as i64 - now as i64),
                    last_push_at: d.last_push_at,
                    monitor: (*d.monitor).clone(),
                    children,
                };
                match serde_json::to_vec(&job) {
                    Ok(payload) => messages.push(OutMessage { id: job.message_id(), payload }),
                    Err(e) => {
                        tracing::error!(monitor = %job.monitor.id, error = %e, "producer: cannot encode a check job")
                    }
                }
            }
            if let Err(e) = self.bus.enqueue(QueueName::Checks, messages).await {
                // The schedule already moved on: these checks are skipped, the next run
                // comes one interval later. Better than a burst when the bus recovers.
                tracing::error!(error = %e, "producer: enqueueing checks failed");
                return;
            }
        }
    }

    async fn on_event(&self, schedule: &mut Schedule, ev: BusEvent) -> anyhow::Result<()> {
        match ev {
            BusEvent::MonitorChanged { id, action } => match action {
                ChangeAction::Deleted => {
                    let parent = schedule.monitor(&id).and_then(|m| m.parent_id.clone());
                    schedule.remove(&id);
                    self.refresh_group(schedule, parent.as_deref());
                }
                ChangeAction::Created | ChangeAction::Updated => {
                    let old_parent = schedule.monitor(&id).and_then(|m| m.parent_id.clone());
                    let monitor = self.store.monitor(&id).await?;
                    let new_parent = monitor.as_ref().and_then(|m| m.parent_id.clone());
                    match monitor {
                        Some(m) if m.active => self.schedule_now(schedule, m),
                        _ => {
                            schedule.remove(&id);
                        }
                    }
                    self.refresh_group(schedule, old_parent.as_deref());
                    if new_parent != old_parent {
                        self.refresh_group(schedule, new_parent.as_deref());
                    }
                }
            },
            BusEvent::HeartbeatRecorded { heartbeat, origin, previous_status } => {
                let id = heartbeat.monitor_id.as_str();
                let Some(m) = schedule.monitor(id).cloned() else { return Ok(()) };
                if previous_status != Some(heartbeat.status) {
                    self.refresh_group(schedule, m.parent_id.as_deref());
                }
                let now = self.mono_now();
                if origin == BeatOrigin::Push {
                    schedule.set_last_push(id, heartbeat.time);
                    schedule.reschedule(id, self.push_due(&m, schedule.last_push(id)));
                } else if heartbeat.status == MonitorStatus::Pending && m.kind != "push" {
                    schedule.pull_earlier(id, now + u64::from(m.retry_interval) * 1000);
                }
            }
            BusEvent::ProxyChanged { id, .. } => {
                if let Ok(mut cache) = self.proxies.lock() {
                    cache.remove(&id);
                }
            }
            BusEvent::MaintenanceChanged { .. } => {
                // Monitors the maintenance covered before or covers now are checked at
                // once, so their status shows the change without waiting an interval.
                let before = self.maintained_monitors();
                if let Err(e) = self.reload_maintenances().await {
                    tracing::error!(error = %e, "producer: cannot read maintenances; keeping the previous list");
                }
                let now = self.mono_now();
                for id in before.union(&self.maintained_monitors()) {
                    if schedule.monitor(id).is_some_and(|m| m.kind != "push") {
                        schedule.pull_earlier(id, now);
                    }
                }
            }
            BusEvent::StatusPageChanged { .. } => {}
            BusEvent::Lagged { missed } => {
                tracing::warn!(missed, "producer: missed events; reloading the schedule");
                if let Ok(mut cache) = self.proxies.lock() {
                    cache.clear();
                }
                self.load(schedule).await?;
            }
        }
        Ok(())
    }

    async fn reload_maintenances(&self) -> anyhow::Result<()> {
        let list = self.store.active_maintenances().await?;
        if let Ok(mut m) = self.maintenances.lock() {
            *m = list;
        }
        Ok(())
    }

    /// Every monitor some active maintenance covers (whether or not a window is on).
    fn maintained_monitors(&self) -> HashSet<String> {
        let list = self.maintenances.lock().map(|m| m.clone()).unwrap_or_default();
        list.into_iter().flat_map(|m| m.monitor_ids).collect()
    }

    /// The monitors a maintenance window covers at `now`: one evaluation per maintenance
    /// per dispatch, not per check.
    fn under_maintenance(&self, now: UnixMillis) -> HashSet<String> {
        let Ok(list) = self.maintenances.lock() else { return HashSet::new() };
        list.iter().filter(|m| is_active(m, now)).flat_map(|m| m.monitor_ids.iter().cloned()).collect()
    }

    /// The proxy with this id (Some(None) if it was deleted); None (logged) if the store
    /// cannot say, so the check is skipped instead of bypassing the proxy.
    async fn proxy(&self, id: &str) -> Option<Option<Proxy>> {
        if let Some(p) = self.proxies.lock().ok().and_then(|c| c.get(id).cloned()) {
            return Some(p);
        }
        match self.store.proxy(id).await {
            Ok(p) => {
                if let Ok(mut cache) = self.proxies.lock() {
                    cache.insert(id.to_string(), p.clone());
                }
                Some(p)
            }
            Err(e) => {
                tracing::error!(proxy = id, error = %e, "producer: cannot read a proxy; skipping its monitors' checks");
                None
            }
        }
    }

    /// A group re-evaluates at once when one of its children changes.
    fn refresh_group(&self, schedule: &mut Schedule, parent: Option<&str>) {
        if let Some(p) = parent {
            schedule.pull_earlier(p, self.mono_now());
        }
    }

    /// The current statuses of a group's children; None (logged) if the store cannot say,
    /// so the group is not judged on a list that is not the truth.
    async fn children_of(&self, group: &str) -> Option<Vec<ChildState>> {
        match self.store.children(group).await {
            Ok(kids) => Some(
                kids.into_iter()
                    .map(|m| ChildState { id: m.id, name: m.name, status: m.status, active: m.active })
                    .collect(),
            ),
            Err(e) => {
                tracing::error!(group, error = %e, "producer: cannot read a group's monitors; skipping its check");
                None
            }
        }
    }

    /// A new or edited monitor is checked right away; a push monitor at its next deadline.
    fn schedule_now(&self, schedule: &mut Schedule, m: Monitor) {
        let due = if m.kind == "push" { self.push_due(&m, schedule.last_push(&m.id)) } else { self.mono_now() };
        schedule.upsert(m, due);
    }

    /// When to look at a push monitor next (see `PushConfig::next_deadline`).
    fn push_due(&self, m: &Monitor, last_push: Option<UnixMillis>) -> MonoMillis {
        let config = match m.typed_config() {
            Ok(MonitorConfig::Push(c)) => c,
            _ => Default::default(),
        };
        let wall_now = now_millis();
        let deadline = config.next_deadline(m.interval, last_push, m.run_started_at, wall_now);
        self.mono_now() + (deadline - wall_now).max(0) as u64
    }
}

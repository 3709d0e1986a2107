//! The embedded adapter of the `Bus` port, for `peekaping serve`: everything in one process.
//!
//! Queues live in memory (a ready deque, delayed and in-flight sets) and wake consumers
//! through `tokio::sync::Notify`. Durable queues (results, notifications) are also written
//! to a redb file by one writer thread that groups appends into one fsynced commit; acks
//! delete lazily (non-durable commits), so a crash can only cause a redelivery, which the
//! consumers de-duplicate. Events are a `tokio::sync::broadcast`; the key-value store is a
//! map with a TTL, which is all a single process needs for its leader lease.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use futures::StreamExt;
use redb::{Database, Durability, ReadableDatabase, ReadableTable, TableDefinition};
use tokio::sync::{Notify, broadcast, oneshot};
use tokio::time::Instant;

use super::{Bus, BusError, BusEvent, BusResult, Delivery, DeliveryTag, EventStream, KvEntry, OutMessage, QueueName};

/// How long an id is remembered after its message was acknowledged.
const DEDUP_WINDOW: Duration = Duration::from_secs(120);

fn table(q: QueueName) -> TableDefinition<'static, u64, &'static [u8]> {
    match q {
        QueueName::Checks => TableDefinition::new("checks"),
        QueueName::Results => TableDefinition::new("results"),
        QueueName::Notifications => TableDefinition::new("notifications"),
    }
}

/// Settings of the embedded bus.
#[derive(Clone, Debug)]
pub struct EmbeddedBusOptions {
    /// The redb file for durable queues; None keeps everything in memory (tests, benches).
    pub path: Option<std::path::PathBuf>,
    pub kv_ttl: Duration,
    pub event_capacity: usize,
    /// Overrides every queue's ack wait (tests use a short one).
    pub ack_wait: Option<Duration>,
}

impl Default for EmbeddedBusOptions {
    fn default() -> Self {
        Self { path: None, kv_ttl: Duration::from_secs(15), event_capacity: 16_384, ack_wait: None }
    }
}

struct Item {
    seq: u64,
    id: String,
    payload: Vec<u8>,
    attempt: u32,
}

struct Inflight {
    item: Item,
    deadline: Instant,
}

#[derive(Default)]
struct QueueState {
    ready: VecDeque<Item>,
    /// Due time → items handed back with a delay.
    delayed: BTreeMap<(Instant, u64), Item>,
    inflight: HashMap<u64, Inflight>,
    /// Ids of live messages and of recently acknowledged ones (dedup).
    live_ids: HashSet<String>,
    recent_ids: VecDeque<(Instant, String)>,
    recent_set: HashSet<String>,
    next_seq: u64,
}

impl QueueState {
    fn is_duplicate(&self, id: &str) -> bool {
        self.live_ids.contains(id) || self.recent_set.contains(id)
    }

    fn forget_old_ids(&mut self, now: Instant) {
        while let Some((t, _)) = self.recent_ids.front() {
            if now.duration_since(*t) < DEDUP_WINDOW {
                break;
            }
            let (_, id) = self.recent_ids.pop_front().expect("front exists");
            self.recent_set.remove(&id);
        }
    }

    /// Moves due delayed items and expired in-flight items back to ready.
    fn promote(&mut self, now: Instant) {
        while let Some(entry) = self.delayed.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let item = entry.remove();
            self.ready.push_back(item);
        }
        let expired: Vec<u64> = self.inflight.iter().filter(|(_, f)| f.deadline <= now).map(|(s, _)| *s).collect();
        for seq in expired {
            if let Some(f) = self.inflight.remove(&seq) {
                self.ready.push_back(f.item);
            }
        }
    }

    /// When the next delayed item or in-flight deadline falls due.
    fn next_wakeup(&self) -> Option<Instant> {
        let d = self.delayed.keys().next().map(|k| k.0);
        let f = self.inflight.values().map(|f| f.deadline).min();
        match (d, f) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn depth(&self) -> u64 {
        (self.ready.len() + self.delayed.len() + self.inflight.len()) as u64
    }
}

struct MemQueue {
    name: QueueName,
    state: Mutex<QueueState>,
    notify: Notify,
}

enum LogOp {
    Append {
        queue: QueueName,
        items: Vec<(u64, Vec<u8>)>,
        /// Set when the caller waits for an fsynced commit; lazy appends have none.
        done: Option<oneshot::Sender<Result<(), String>>>,
    },
    Remove {
        queue: QueueName,
        seqs: Vec<u64>,
    },
}

/// The redb file behind the durable queues, written by one thread.
struct DurableLog {
    tx: Mutex<Option<std::sync::mpsc::Sender<LogOp>>>,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
}

/// Stored value: u32 id length (LE), id bytes, payload.
fn encode(id: &str, payload: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(4 + id.len() + payload.len());
    v.extend_from_slice(&(id.len() as u32).to_le_bytes());
    v.extend_from_slice(id.as_bytes());
    v.extend_from_slice(payload);
    v
}

fn decode(v: &[u8]) -> Option<(String, Vec<u8>)> {
    let n = u32::from_le_bytes(v.get(..4)?.try_into().ok()?) as usize;
    let id = std::str::from_utf8(v.get(4..4 + n)?).ok()?.to_string();
    Some((id, v.get(4 + n..)?.to_vec()))
}

/// Lazily written data reaches the disk within this long.
const LAZY_FLUSH: Duration = Duration::from_secs(1);

fn log_loop(db: Database, rx: std::sync::mpsc::Receiver<LogOp>) {
    // Commits with Durability::None since the last fsynced one.
    let mut unsynced = false;
    loop {
        let first = if unsynced {
            match rx.recv_timeout(LAZY_FLUSH) {
                Ok(op) => op,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    // Quiet for a while: make the lazy commits durable.
                    if let Ok(mut tx) = db.begin_write() {
                        let _ = tx.set_durability(Durability::Immediate);
                        if tx.commit().is_ok() {
                            unsynced = false;
                        }
                    }
                    continue;
                }
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            }
        } else {
            match rx.recv() {
                Ok(op) => op,
                Err(_) => break,
            }
        };
        let mut ops = vec![first];
        while ops.len() < 1024 {
            match rx.try_recv() {
                Ok(op) => ops.push(op),
                Err(_) => break,
            }
        }
        let needs_sync = ops.iter().any(|o| matches!(o, LogOp::Append { done: Some(_), .. }));
        let result: Result<(), String> = (|| {
            let mut tx = db.begin_write().map_err(|e| e.to_string())?;
            tx.set_durability(if needs_sync { Durability::Immediate } else { Durability::None })
                .map_err(|e| e.to_string())?;
            for op in &ops {
                match op {
                    LogOp::Append { queue, items, .. } => {
                        let mut t = tx.open_table(table(*queue)).map_err(|e| e.to_string())?;
                        for (seq, bytes) in items {
                            t.insert(*seq, bytes.as_slice()).map_err(|e| e.to_string())?;
                        }
                    }
                    LogOp::Remove { queue, seqs } => {
                        let mut t = tx.open_table(table(*queue)).map_err(|e| e.to_string())?;
                        for seq in seqs {
                            t.remove(*seq).map_err(|e| e.to_string())?;
                        }
                    }
                }
            }
            tx.commit().map_err(|e| e.to_string())
        })();
        match &result {
            Ok(()) => unsynced = !needs_sync,
            Err(e) => tracing::error!(error = %e, "bus: writing the durable queue file failed"),
        }
        for op in ops {
            if let LogOp::Append { done: Some(done), .. } = op {
                let _ = done.send(result.clone());
            }
        }
    }
    // Shutting down: one last durable commit so lazy appends and deletes stick.
    if let Ok(mut tx) = db.begin_write() {
        let _ = tx.set_durability(Durability::Immediate);
        let _ = tx.commit();
    }
}

/// The in-process bus.
pub struct EmbeddedBus {
    queues: HashMap<QueueName, Arc<MemQueue>>,
    log: Option<DurableLog>,
    events: broadcast::Sender<BusEvent>,
    kv: Mutex<HashMap<String, (KvEntry, Instant)>>,
    kv_revision: Mutex<u64>,
    kv_ttl: Duration,
    ack_wait: Option<Duration>,
}

impl EmbeddedBus {
    /// Opens the bus, reloading every durable message left by a previous run.
    pub fn open(opts: &EmbeddedBusOptions) -> BusResult<Self> {
        let mut queues = HashMap::new();
        for q in QueueName::ALL {
            queues.insert(
                q,
                Arc::new(MemQueue { name: q, state: Mutex::new(QueueState::default()), notify: Notify::new() }),
            );
        }
        let log = match &opts.path {
            None => None,
            Some(path) => Some(Self::open_log(path, &queues)?),
        };
        let (events, _) = broadcast::channel(opts.event_capacity.max(16));
        Ok(Self {
            queues,
            log,
            events,
            kv: Mutex::new(HashMap::new()),
            kv_revision: Mutex::new(0),
            kv_ttl: opts.kv_ttl,
            ack_wait: opts.ack_wait,
        })
    }

    fn open_log(path: &Path, queues: &HashMap<QueueName, Arc<MemQueue>>) -> BusResult<DurableLog> {
        let backend = |e: &dyn std::fmt::Display| BusError::Backend(format!("{}: {e}", path.display()));
        let db = Database::builder().set_cache_size(4 << 20).create(path).map_err(|e| backend(&e))?;
        {
            let tx = db.begin_write().map_err(|e| backend(&e))?;
            for q in QueueName::ALL.into_iter().filter(|q| q.durable()) {
                tx.open_table(table(q)).map_err(|e| backend(&e))?;
            }
            tx.commit().map_err(|e| backend(&e))?;
        }
        let rtx = db.begin_read().map_err(|e| backend(&e))?;
        for q in QueueName::ALL.into_iter().filter(|q| q.durable()) {
            let t = rtx.open_table(table(q)).map_err(|e| backend(&e))?;
            let mut state = queues[&q].state.lock().map_err(|_| BusError::Backend("poisoned".into()))?;
            for entry in t.iter().map_err(|e| backend(&e))? {
                let (k, v) = entry.map_err(|e| backend(&e))?;
                let seq = k.value();
                let Some((id, payload)) = decode(v.value()) else {
                    tracing::warn!(queue = q.as_str(), seq, "bus: skipping an unreadable stored message");
                    continue;
                };
                state.live_ids.insert(id.clone());
                state.ready.push_back(Item { seq, id, payload, attempt: 0 });
                state.next_seq = state.next_seq.max(seq + 1);
            }
            if !state.ready.is_empty() {
                tracing::info!(
                    queue = q.as_str(),
                    messages = state.ready.len(),
                    "bus: recovered messages from the last run"
                );
            }
        }
        drop(rtx);
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("bus-log".into())
            .spawn(move || log_loop(db, rx))
            .map_err(|e| BusError::Backend(format!("cannot start the bus writer: {e}")))?;
        Ok(DurableLog { tx: Mutex::new(Some(tx)), thread: Mutex::new(Some(thread)) })
    }

    fn queue(&self, q: QueueName) -> &Arc<MemQueue> {
        &self.queues[&q]
    }

    fn send_log(&self, op: LogOp) -> BusResult<()> {
        let Some(log) = &self.log else { return Ok(()) };
        let guard = log.tx.lock().map_err(|_| BusError::Backend("poisoned".into()))?;
        let tx = guard.as_ref().ok_or_else(|| BusError::Unavailable("the bus is closed".into()))?;
        tx.send(op).map_err(|_| BusError::Unavailable("the bus writer has stopped".into()))
    }
}

#[async_trait]
impl Bus for EmbeddedBus {
    async fn enqueue(&self, queue: QueueName, messages: Vec<OutMessage>) -> BusResult<()> {
        self.enqueue_with(queue, messages, true).await
    }

    async fn enqueue_lazy(&self, queue: QueueName, messages: Vec<OutMessage>) -> BusResult<()> {
        self.enqueue_with(queue, messages, false).await
    }

    async fn pull(&self, queue: QueueName, max: usize, wait: Duration) -> BusResult<Vec<Delivery>> {
        let q = self.queue(queue);
        let ack_wait = self.ack_wait.unwrap_or_else(|| queue.ack_wait());
        let give_up = Instant::now() + wait;
        loop {
            let notified = q.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let (out, dropped, wake_at) = {
                let now = Instant::now();
                let mut s = q.state.lock().map_err(|_| BusError::Backend("poisoned".into()))?;
                s.promote(now);
                let mut out = Vec::new();
                let mut dropped = Vec::new();
                while out.len() < max.max(1) {
                    let Some(mut item) = s.ready.pop_front() else { break };
                    item.attempt += 1;
                    if item.attempt > q.name.max_deliver() {
                        tracing::error!(
                            queue = q.name.as_str(),
                            id = %item.id,
                            attempts = item.attempt - 1,
                            "bus: dropping a message that failed too many times"
                        );
                        s.live_ids.remove(&item.id);
                        dropped.push(item.seq);
                        continue;
                    }
                    out.push(Delivery {
                        tag: DeliveryTag(item.seq),
                        id: item.id.clone(),
                        payload: item.payload.clone(),
                        attempt: item.attempt,
                    });
                    let seq = item.seq;
                    s.inflight.insert(seq, Inflight { item, deadline: now + ack_wait });
                }
                (out, dropped, s.next_wakeup())
            };
            if !dropped.is_empty() && queue.durable() {
                self.send_log(LogOp::Remove { queue, seqs: dropped })?;
            }
            if !out.is_empty() {
                return Ok(out);
            }
            let now = Instant::now();
            if now >= give_up {
                return Ok(Vec::new());
            }
            let until = wake_at.map_or(give_up, |w| w.min(give_up));
            let _ = tokio::time::timeout_at(until, notified).await;
        }
    }

    async fn ack(&self, queue: QueueName, tags: &[DeliveryTag]) -> BusResult<()> {
        let q = self.queue(queue);
        let mut removed = Vec::with_capacity(tags.len());
        {
            let now = Instant::now();
            let mut s = q.state.lock().map_err(|_| BusError::Backend("poisoned".into()))?;
            for tag in tags {
                if let Some(f) = s.inflight.remove(&tag.0) {
                    s.live_ids.remove(&f.item.id);
                    s.recent_set.insert(f.item.id.clone());
                    s.recent_ids.push_back((now, f.item.id));
                    removed.push(tag.0);
                }
            }
        }
        if !removed.is_empty() && queue.durable() {
            self.send_log(LogOp::Remove { queue, seqs: removed })?;
        }
        Ok(())
    }

    async fn nack(&self, queue: QueueName, tag: DeliveryTag, delay: Duration) -> BusResult<()> {
        let q = self.queue(queue);
        {
            let mut s = q.state.lock().map_err(|_| BusError::Backend("poisoned".into()))?;
            if let Some(f) = s.inflight.remove(&tag.0) {
                if delay.is_zero() {
                    s.ready.push_front(f.item);
                } else {
                    s.delayed.insert((Instant::now() + delay, tag.0), f.item);
                }
            }
        }
        q.notify.notify_waiters();
        Ok(())
    }

    async fn depth(&self, queue: QueueName) -> BusResult<u64> {
        let s = self.queue(queue).state.lock().map_err(|_| BusError::Backend("poisoned".into()))?;
        Ok(s.depth())
    }

    async fn publish(&self, event: &BusEvent) -> BusResult<()> {
        // No subscriber is not an error: events are fire and forget.
        let _ = self.events.send(event.clone());
        Ok(())
    }

    async fn subscribe(&self) -> BusResult<EventStream> {
        let rx = self.events.subscribe();
        let stream = tokio_stream_from(rx);
        Ok(Box::pin(stream))
    }

    async fn kv_get(&self, key: &str) -> BusResult<Option<KvEntry>> {
        let mut kv = self.kv.lock().map_err(|_| BusError::Backend("poisoned".into()))?;
        let now = Instant::now();
        kv.retain(|_, (_, exp)| *exp > now);
        Ok(kv.get(key).map(|(e, _)| e.clone()))
    }

    async fn kv_create(&self, key: &str, value: Vec<u8>) -> BusResult<u64> {
        let mut kv = self.kv.lock().map_err(|_| BusError::Backend("poisoned".into()))?;
        let now = Instant::now();
        kv.retain(|_, (_, exp)| *exp > now);
        if kv.contains_key(key) {
            return Err(BusError::KvConflict(key.to_string()));
        }
        let revision = self.next_revision()?;
        kv.insert(key.to_string(), (KvEntry { value, revision }, now + self.kv_ttl));
        Ok(revision)
    }

    async fn kv_update(&self, key: &str, value: Vec<u8>, revision: u64) -> BusResult<u64> {
        let mut kv = self.kv.lock().map_err(|_| BusError::Backend("poisoned".into()))?;
        let now = Instant::now();
        kv.retain(|_, (_, exp)| *exp > now);
        match kv.get(key) {
            Some((e, _)) if e.revision == revision => {}
            _ => return Err(BusError::KvConflict(key.to_string())),
        }
        let revision = self.next_revision()?;
        kv.insert(key.to_string(), (KvEntry { value, revision }, now + self.kv_ttl));
        Ok(revision)
    }

    async fn kv_delete(&self, key: &str) -> BusResult<()> {
        let mut kv = self.kv.lock().map_err(|_| BusError::Backend("poisoned".into()))?;
        kv.remove(key);
        Ok(())
    }

    async fn close(&self) {
        if let Some(log) = &self.log {
            let tx = log.tx.lock().ok().and_then(|mut t| t.take());
            drop(tx);
            let handle = log.thread.lock().ok().and_then(|mut t| t.take());
            if let Some(h) = handle {
                let _ = tokio::task::spawn_blocking(move || h.join()).await;
            }
        }
    }
}

impl EmbeddedBus {
    /// Enqueues, persisting durable queues first (`sync`) or in the background.
    async fn enqueue_with(&self, queue: QueueName, messages: Vec<OutMessage>, sync: bool) -> BusResult<()> {
        let q = self.queue(queue);
        // Assign sequence numbers and drop duplicates under the lock, persist outside it.
        let fresh: Vec<Item> = {
            let mut s = q.state.lock().map_err(|_| BusError::Backend("poisoned".into()))?;
            s.forget_old_ids(Instant::now());
            let mut fresh = Vec::with_capacity(messages.len());
            for m in messages {
                if s.is_duplicate(&m.id) {
                    continue;
                }
                s.live_ids.insert(m.id.clone());
                let seq = s.next_seq;
                s.next_seq += 1;
                fresh.push(Item { seq, id: m.id, payload: m.payload, attempt: 0 });
            }
            fresh
        };
        if fresh.is_empty() {
            return Ok(());
        }
        if queue.durable() && self.log.is_some() && !sync {
            let items = fresh.iter().map(|i| (i.seq, encode(&i.id, &i.payload))).collect();
            self.send_log(LogOp::Append { queue, items, done: None })?;
        } else if queue.durable() && self.log.is_some() {
            let (done, wait) = oneshot::channel();
            let items = fresh.iter().map(|i| (i.seq, encode(&i.id, &i.payload))).collect();
            self.send_log(LogOp::Append { queue, items, done: Some(done) })?;
            let outcome = wait.await.map_err(|_| BusError::Unavailable("the bus writer has stopped".into()))?;
            if let Err(e) = outcome {
                let mut s = q.state.lock().map_err(|_| BusError::Backend("poisoned".into()))?;
                for i in &fresh {
                    s.live_ids.remove(&i.id);
                }
                return Err(BusError::Unavailable(format!("cannot persist to the {} queue: {e}", queue.as_str())));
            }
        }
        {
            let mut s = q.state.lock().map_err(|_| BusError::Backend("poisoned".into()))?;
            s.ready.extend(fresh);
        }
        q.notify.notify_waiters();
        Ok(())
    }

    fn next_revision(&self) -> BusResult<u64> {
        let mut r = self.kv_revision.lock().map_err(|_| BusError::Backend("poisoned".into()))?;
        *r += 1;
        Ok(*r)
    }
}

/// Adapts a broadcast receiver to a stream that reports lag instead of failing.
fn tokio_stream_from(rx: broadcast::Receiver<BusEvent>) -> impl futures::Stream<Item = BusEvent> + Send {
    futures::stream::unfold(rx, |mut rx| async move {
        match rx.recv().await {
            Ok(ev) => Some((ev, rx)),
            Err(broadcast::error::RecvError::Lagged(n)) => Some((BusEvent::Lagged { missed: n }, rx)),
            Err(broadcast::error::RecvError::Closed) => None,
        }
    })
    .boxed()
}

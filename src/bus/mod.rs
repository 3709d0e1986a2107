//! The `Bus` port: work queues between components, fire-and-forget events, and a small
//! key-value store with compare-and-set (for the producer's leader lease).
//!
//! Queues are at-least-once: a delivery is acknowledged (`ack`) when its work is done, or
//! handed back (`nack`) to be redelivered; an unacknowledged delivery comes back after the
//! queue's ack wait. Messages carry an id: enqueueing an id that is still queued, or was
//! within the dedup window, does nothing, so a retried enqueue never doubles work.
//! `embedded` runs in one process (tokio + redb); `nats` (scale-out) uses JetStream.
//! Every adapter passes `tests/bus_conformance.rs`.

use std::pin::Pin;
use std::time::Duration;

use async_trait::async_trait;
use futures::Stream;
use serde::{Deserialize, Serialize};

use crate::domain::heartbeat::BeatOrigin;
use crate::domain::{Heartbeat, MonitorStatus};

pub mod embedded;

/// The work queues of the data path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QueueName {
    /// Producer → worker: check jobs. May be volatile: a lost check is rescheduled.
    Checks,
    /// Worker (and push API) → ingester: check outcomes. Durable.
    Results,
    /// Ingester → notification sender: the outbox. Durable.
    Notifications,
}

impl QueueName {
    pub const ALL: [QueueName; 3] = [Self::Checks, Self::Results, Self::Notifications];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Checks => "checks",
            Self::Results => "results",
            Self::Notifications => "notifications",
        }
    }

    /// Whether enqueued messages must survive a crash of the process.
    pub fn durable(self) -> bool {
        !matches!(self, Self::Checks)
    }

    /// How long a delivery may stay unacknowledged before it is redelivered.
    pub fn ack_wait(self) -> Duration {
        match self {
            Self::Checks => Duration::from_secs(120),
            Self::Results => Duration::from_secs(30),
            Self::Notifications => Duration::from_secs(120),
        }
    }

    /// Deliveries after which a message is dropped as poison (logged).
    pub fn max_deliver(self) -> u32 {
        match self {
            Self::Checks => 3,
            Self::Results => 20,
            Self::Notifications => 1000,
        }
    }
}

/// A message to enqueue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutMessage {
    /// De-duplication key (e.g. `check:<monitor>:<due ms>`).
    pub id: String,
    pub payload: Vec<u8>,
}

/// Identifies one delivery for `ack`/`nack`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeliveryTag(pub u64);

/// A message handed to a consumer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    pub tag: DeliveryTag,
    pub id: String,
    pub payload: Vec<u8>,
    /// 1 on the first delivery.
    pub attempt: u32,
}

/// What changed, for whoever listens (the API's realtime push, the producer, caches).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BusEvent {
    MonitorChanged {
        id: String,
        action: ChangeAction,
    },
    HeartbeatRecorded {
        heartbeat: Heartbeat,
        previous_status: Option<MonitorStatus>,
        origin: BeatOrigin,
    },
    /// A proxy was edited or deleted: whoever holds a copy (the producer) reloads it.
    ProxyChanged {
        id: String,
        action: ChangeAction,
    },
    /// A maintenance was created, edited, paused, resumed or deleted: the producer
    /// re-reads the maintenance list it evaluates on every tick.
    MaintenanceChanged {
        id: String,
        action: ChangeAction,
    },
    /// A status page (or its incidents) changed: public-page caches drop their copy.
    StatusPageChanged {
        id: String,
        action: ChangeAction,
    },
    /// The subscriber fell behind and missed events: it should resynchronise from the store.
    Lagged {
        missed: u64,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeAction {
    Created,
    Updated,
    Deleted,
}

impl ChangeAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Updated => "updated",
            Self::Deleted => "deleted",
        }
    }
}

pub type EventStream = Pin<Box<dyn Stream<Item = BusEvent> + Send>>;

/// A key-value entry with its revision (for compare-and-set).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KvEntry {
    pub value: Vec<u8>,
    pub revision: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum BusError {
    /// `kv_create` on an existing key, or `kv_update` with a stale revision.
    #[error("key-value conflict on {0}")]
    KvConflict(String),
    #[error("bus unavailable: {0}")]
    Unavailable(String),
    #[error("bus error: {0}")]
    Backend(String),
}

pub type BusResult<T> = Result<T, BusError>;

#[async_trait]
pub trait Bus: Send + Sync {
    /// Enqueues messages; for durable queues they are on disk when this returns.
    async fn enqueue(&self, queue: QueueName, messages: Vec<OutMessage>) -> BusResult<()>;
    /// Enqueues messages that could be produced again if lost, without waiting for the
    /// disk: a durable queue persists them within about a second, so only a crash in that
    /// second loses them. Worker check outcomes use this (the next check redoes the work);
    /// anything acknowledged to someone outside (a push) must use `enqueue`.
    async fn enqueue_lazy(&self, queue: QueueName, messages: Vec<OutMessage>) -> BusResult<()> {
        self.enqueue(queue, messages).await
    }
    /// Takes up to `max` deliveries, waiting up to `wait` for the first one.
    async fn pull(&self, queue: QueueName, max: usize, wait: Duration) -> BusResult<Vec<Delivery>>;
    /// Marks deliveries done; they are never delivered again.
    async fn ack(&self, queue: QueueName, tags: &[DeliveryTag]) -> BusResult<()>;
    /// Hands a delivery back to be redelivered after `delay`.
    async fn nack(&self, queue: QueueName, tag: DeliveryTag, delay: Duration) -> BusResult<()>;
    /// Messages waiting or in flight (for metrics and tests).
    async fn depth(&self, queue: QueueName) -> BusResult<u64>;

    /// Publishes an event to current subscribers (fire and forget).
    async fn publish(&self, event: &BusEvent) -> BusResult<()>;
    async fn subscribe(&self) -> BusResult<EventStream>;

    /// Entries expire after the bucket's TTL unless updated.
    async fn kv_get(&self, key: &str) -> BusResult<Option<KvEntry>>;
    /// Creates a key; `KvConflict` if it exists. Returns the revision.
    async fn kv_create(&self, key: &str, value: Vec<u8>) -> BusResult<u64>;
    /// Replaces a key if its revision is still `revision`; `KvConflict` otherwise.
    async fn kv_update(&self, key: &str, value: Vec<u8>, revision: u64) -> BusResult<u64>;
    async fn kv_delete(&self, key: &str) -> BusResult<()>;

    /// Flushes and releases resources.
    async fn close(&self);
}

//! Leader lease over the bus key-value store: only the holder schedules checks.
//!
//! The lease is a key whose value names the holder; it expires after the bucket's TTL
//! unless renewed, so a dead leader is replaced within one TTL. In embedded mode there is
//! one producer and it always wins.

use std::sync::Arc;
use std::time::Duration;

use crate::bus::{Bus, BusError};

pub const LEASE_KEY: &str = "producer-leader";

pub struct Lease {
    bus: Arc<dyn Bus>,
    holder: String,
    revision: Option<u64>,
}

impl Lease {
    pub fn new(bus: Arc<dyn Bus>, holder: String) -> Self {
        Self { bus, holder, revision: None }
    }

    pub fn is_held(&self) -> bool {
        self.revision.is_some()
    }

    /// Tries to take the lease (or confirm we still hold it). Returns whether we hold it.
    pub async fn acquire_or_renew(&mut self) -> bool {
        let value = self.holder.as_bytes().to_vec();
        let attempt = match self.revision {
            Some(rev) => self.bus.kv_update(LEASE_KEY, value, rev).await,
            None => self.bus.kv_create(LEASE_KEY, value).await,
        };
        match attempt {
            Ok(rev) => {
                self.revision = Some(rev);
                true
            }
            Err(BusError::KvConflict(_)) => {
                // Someone else holds it, or our renewal lost a race: we are not leader.
                self.revision = None;
                false
            }
            Err(e) => {
                tracing::warn!(error = %e, "producer: lease check failed");
                self.revision = None;
                false
            }
        }
    }

    pub async fn release(&mut self) {
        if self.revision.take().is_some() {
            let _ = self.bus.kv_delete(LEASE_KEY).await;
        }
    }

    /// How often to renew so a TTL is never missed.
    pub fn renew_every(ttl: Duration) -> Duration {
        (ttl / 3).max(Duration::from_millis(200))
    }
}

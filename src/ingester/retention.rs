//! Retention: hourly pruning of raw heartbeats and rollups (minute 24 h, hour 30 d,
//! day and raw = the `KEEP_DATA_PERIOD_DAYS` setting, default 365 d).

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::domain::now_millis;
use crate::domain::rollup::RetentionPolicy;
use crate::store::Store;

/// Peekaping's settings key for how many days of data to keep.
pub const KEEP_DAYS_KEY: &str = "KEEP_DATA_PERIOD_DAYS";
pub const DEFAULT_KEEP_DAYS: u32 = 365;

/// The policy in force now, from settings.
pub async fn current_policy(store: &dyn Store) -> RetentionPolicy {
    let days = match store.setting(KEEP_DAYS_KEY).await {
        Ok(Some(s)) => s.value.trim().parse::<u32>().ok().filter(|d| (1..=36_500).contains(d)),
        _ => None,
    };
    RetentionPolicy::with_keep_days(days.unwrap_or(DEFAULT_KEEP_DAYS))
}

/// Prunes once shortly after start, then every `every`.
pub async fn run(store: Arc<dyn Store>, every: Duration, shutdown: CancellationToken) {
    let mut wait = Duration::from_secs(60);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(wait) => {}
        }
        wait = every;
        let policy = current_policy(store.as_ref()).await;
        let started = std::time::Instant::now();
        match store.prune(&policy, now_millis()).await {
            Ok(r) => tracing::info!(
                heartbeats = r.heartbeats,
                rollups = r.rollups,
                ms = started.elapsed().as_millis() as u64,
                keep_days = policy.raw_heartbeats_days,
                "retention: pruned old data"
            ),
            Err(e) => tracing::error!(error = %e, "retention: pruning failed"),
        }
    }
}

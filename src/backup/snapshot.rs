//! Scheduled online snapshots of the database: `<data>/backups/peekaping-<UTC>.db`,
//! written by the store (`VACUUM INTO` on SQLite) while it keeps serving. The serve
//! process takes one every `backup_interval_hours` (0 = off, default 24) and keeps the
//! newest `backup_keep` (default 7). `peekaping admin snapshot` takes one now.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::store::{Store, StoreError};

pub const INTERVAL_KEY: &str = "backup_interval_hours";
pub const KEEP_KEY: &str = "backup_keep";
pub const DEFAULT_INTERVAL_HOURS: u64 = 24;
pub const DEFAULT_KEEP: usize = 7;
const PREFIX: &str = "peekaping-";
const SUFFIX: &str = ".db";

/// The folder snapshots go to.
pub fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("backups")
}

/// The schedule in force, from settings (bad values fall back to the defaults).
pub async fn schedule(store: &dyn Store) -> (u64, usize) {
    let read = |v: Option<crate::store::Setting>| v.and_then(|s| s.value.trim().parse::<u64>().ok());
    let hours = read(store.setting(INTERVAL_KEY).await.ok().flatten()).unwrap_or(DEFAULT_INTERVAL_HOURS);
    let keep = read(store.setting(KEEP_KEY).await.ok().flatten()).map_or(DEFAULT_KEEP, |k| k.max(1) as usize);
    (hours, keep)
}

/// The snapshot files in `dir`, oldest first (their names sort by time).
pub fn list(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(PREFIX) && n.ends_with(SUFFIX))
        })
        .collect();
    files.sort();
    files
}

/// Takes one snapshot into `dir` now and returns its path.
pub async fn take(store: &dyn Store, dir: &Path) -> Result<PathBuf, StoreError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| StoreError::Unavailable(format!("cannot create {}: {e}", dir.display())))?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let path = dir.join(format!("{PREFIX}{stamp}{SUFFIX}"));
    store.snapshot_to(&path).await?;
    Ok(path)
}

/// Deletes the oldest snapshots beyond `keep`; returns the deleted paths.
pub fn prune(dir: &Path, keep: usize) -> Vec<PathBuf> {
    let files = list(dir);
    let excess = files.len().saturating_sub(keep.max(1));
    let mut deleted = Vec::new();
    for f in files.into_iter().take(excess) {
        match std::fs::remove_file(&f) {
            Ok(()) => deleted.push(f),
            Err(e) => tracing::warn!(file = %f.display(), error = %e, "snapshot: cannot delete an old snapshot"),
        }
    }
    deleted
}

/// When the newest snapshot was written (file modification time), if any.
fn newest_age(dir: &Path) -> Option<Duration> {
    let newest = list(dir).pop()?;
    std::fs::metadata(newest).ok()?.modified().ok()?.elapsed().ok()
}

/// The background task of `serve`: every `tick` it checks the schedule and takes a
/// snapshot when the newest one is older than the interval (so a restart does not take
/// an extra one), then prunes.
pub async fn run(store: Arc<dyn Store>, data_dir: PathBuf, tick: Duration, shutdown: CancellationToken) {
    let dir = dir(&data_dir);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(tick) => {}
        }
        let (hours, keep) = schedule(store.as_ref()).await;
        if hours == 0 {
            continue;
        }
        let due = newest_age(&dir).is_none_or(|age| age >= Duration::from_secs(hours.saturating_mul(3600)));
        if !due {
            continue;
        }
        match take(store.as_ref(), &dir).await {
            Ok(path) => {
                let deleted = prune(&dir, keep);
                tracing::info!(file = %path.display(), pruned = deleted.len(), "snapshot: database snapshot written");
            }
            Err(e) => tracing::error!(error = %e, "snapshot: taking a database snapshot failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prune_keeps_the_newest_n() {
        let d = tempfile::tempdir().unwrap();
        for s in ["20250101T000000.000Z", "20250102T000000.000Z", "20250103T000000.000Z"] {
            std::fs::write(d.path().join(format!("{PREFIX}{s}{SUFFIX}")), b"x").unwrap();
        }
        std::fs::write(d.path().join("other.db"), b"x").unwrap();
        let deleted = prune(d.path(), 2);
        assert_eq!(deleted.len(), 1);
        assert!(deleted[0].ends_with("peekaping-20250101T000000.000Z.db"));
        assert_eq!(list(d.path()).len(), 2);
        assert!(d.path().join("other.db").exists());
    }
}

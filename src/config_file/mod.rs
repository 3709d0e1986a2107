//! Config as code: a YAML file declaring monitors and notification channels, kept in step
//! with the database. Objects from the file carry `managed_by = "file"`; objects created
//! in the UI/API are never touched.
//!
//! The file mirrors the API input bodies (`MonitorInput`, `ChannelInput`) with references
//! by name (`notifications: [ops-slack]`, `parent: web-group`, `tags: [prod]`), and goes
//! through the same validation (`MonitorsApi::draft_from` + `MonitorDraft::validate`,
//! `checked_config`). `plan` compares the file with the database and lists what would
//! change; `execute` writes it. A validation error names the YAML path
//! (`monitors[2].interval: …`) and nothing is written.

mod model;
mod plan;

pub use model::{Document, FileChannel, FileMonitor, FileTag};
pub use plan::{Change, ChannelChange, MonitorChange, Plan, execute, export_monitor, plan};

use std::path::Path;

/// Invalid file contents: one line per problem, each naming the YAML path.
#[derive(Debug, thiserror::Error)]
#[error("{}", .0.join("\n"))]
pub struct FileError(pub Vec<String>);

impl FileError {
    pub fn one(path: impl std::fmt::Display, message: impl std::fmt::Display) -> Self {
        Self(vec![format!("{path}: {message}")])
    }
}

/// Parses a monitors file; errors name the YAML path of the offending value.
pub fn parse(text: &str) -> Result<Document, FileError> {
    if text.trim().is_empty() {
        return Ok(Document::default());
    }
    let de = serde_yaml::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." { FileError(vec![inner.to_string()]) } else { FileError::one(path, inner) }
    })
}

/// Reads and parses a monitors file.
pub fn load(path: &Path) -> anyhow::Result<Document> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read the monitors file {}: {e}", path.display()))?;
    parse(&text).map_err(|e| anyhow::anyhow!("invalid monitors file {}:\n{e}", path.display()))
}

/// Makes the database match the file at `path` (at `serve` start, and when the file
/// changes): logs each change. An invalid file is an error and nothing is written.
pub async fn apply_file(
    store: &dyn crate::store::Store,
    path: &Path,
    limits: &crate::domain::monitor::MonitorLimits,
    bus: Option<&dyn crate::bus::Bus>,
) -> anyhow::Result<Plan> {
    let doc = load(path)?;
    let plan = plan(store, &doc, limits)
        .await
        .map_err(|e| anyhow::anyhow!("invalid monitors file {}:\n{e}", path.display()))?;
    for line in plan.render().lines() {
        tracing::info!(file = %path.display(), "monitors file: {line}");
    }
    execute(store, &plan, bus).await?;
    Ok(plan)
}

/// How often a running server looks at the monitors file's modification time.
pub const WATCH_INTERVAL: std::time::Duration = std::time::Duration::from_secs(2);

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Re-applies the file whenever its modification time changes, until `stop`. A file that
/// fails validation is logged and skipped (the database keeps the last good state).
pub async fn watch(
    store: std::sync::Arc<dyn crate::store::Store>,
    bus: std::sync::Arc<dyn crate::bus::Bus>,
    path: std::path::PathBuf,
    limits: crate::domain::monitor::MonitorLimits,
    stop: tokio_util::sync::CancellationToken,
) {
    let mut seen = modified(&path);
    loop {
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(WATCH_INTERVAL) => {}
        }
        let now = modified(&path);
        if now == seen {
            continue;
        }
        seen = now;
        if let Err(e) = apply_file(&*store, &path, &limits, Some(&*bus)).await {
            tracing::error!(file = %path.display(), "monitors file not applied: {e:#}");
        }
    }
}

//! Backup export and import of a whole instance (`peekaping admin export|import`,
//! `/api/v1/backup/*`) and scheduled online snapshots of the database (`snapshot.rs`).
//!
//! Everything goes through the `Store` port, so any adapter can be backed up and
//! restored into any other. Import is validated completely (format, every object,
//! every reference inside the file) before the first write; a failure while writing
//! wipes what was written, so an instance ends up either restored or empty.

pub mod model;
pub mod snapshot;

use std::collections::{HashMap, HashSet};

use crate::api::session::{ACCESS_SECRET_KEY, REFRESH_SECRET_KEY};
use crate::api::status_page_view::COOKIE_SECRET_KEY;
use crate::domain::monitor::ValidationError;
use crate::domain::notification::validate_common;
use crate::domain::{Monitor, MonitorConfig};
use crate::store::{
    ChannelFilter, HeartbeatQuery, IngestBatch, MaintenanceFilter, MonitorFilter, Setting, SettingKind,
    StatusPageFilter, Store, StoreError, TagFilter,
};
pub use model::{Backup, BackupApiKey, BackupSetting, FORMAT, History, VERSION};

/// Why an export or import failed.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The file is not a valid backup: `field` is the JSON path of the first problem.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// The instance already holds objects and `replace` was not asked for.
    #[error("{0}")]
    NotEmpty(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> BackupError {
    BackupError::Invalid { field: field.into(), message: message.into() }
}

/// Settings that never leave the instance (the session and status-page cookie signing
/// secrets): a restored instance keeps its own, so old sessions and cookies die.
pub fn is_private_setting(key: &str) -> bool {
    key == ACCESS_SECRET_KEY || key == REFRESH_SECRET_KEY || key == COOKIE_SECRET_KEY
}

const PAGE: u32 = 1000;

async fn all_monitors(store: &dyn Store) -> Result<Vec<Monitor>, StoreError> {
    let mut out = Vec::new();
    for page in 0.. {
        let p = store.list_monitors(&MonitorFilter { page, limit: PAGE, ..Default::default() }).await?;
        let n = p.items.len();
        out.extend(p.items);
        if n < PAGE as usize || out.len() as u64 >= p.total {
            break;
        }
    }
    Ok(out)
}

/// Reads every object (and with `with_history` every heartbeat and rollup bucket).
pub async fn export(store: &dyn Store, with_history: bool) -> Result<Backup, BackupError> {
    let mut monitors = all_monitors(store).await?;
    monitors.sort_by(|a, b| a.id.cmp(&b.id));

    let mut channels = Vec::new();
    for page in 0.. {
        let p = store.list_channels(&ChannelFilter { page, limit: PAGE, ..Default::default() }).await?;
        let n = p.items.len();
        channels.extend(p.items);
        if n < PAGE as usize {
            break;
        }
    }
    channels.sort_by(|a, b| a.id.cmp(&b.id));

    let mut proxies = store.list_proxies().await?;
    proxies.sort_by(|a, b| a.id.cmp(&b.id));

    let mut tags = Vec::new();
    for page in 0.. {
        let p = store.list_tags(&TagFilter { page, limit: PAGE, ..Default::default() }).await?;
        let n = p.items.len();
        tags.extend(p.items);
        if n < PAGE as usize {
            break;
        }
    }
    tags.sort_by(|a, b| a.id.cmp(&b.id));

    let mut maintenances = Vec::new();
    for page in 0.. {
        let p = store.list_maintenances(&MaintenanceFilter { page, limit: PAGE, ..Default::default() }).await?;
        let n = p.items.len();
        maintenances.extend(p.items);
        if n < PAGE as usize {
            break;
        }
    }
    maintenances.sort_by(|a, b| a.id.cmp(&b.id));

    let mut status_pages = Vec::new();
    for page in 0.. {
        let p = store.list_status_pages(&StatusPageFilter { page, limit: PAGE, ..Default::default() }).await?;
        let n = p.items.len();
        status_pages.extend(p.items);
        if n < PAGE as usize {
            break;
        }
    }
    status_pages.sort_by(|a, b| a.id.cmp(&b.id));

    let mut incidents = Vec::new();
    for page in &status_pages {
        incidents.extend(store.incidents(&page.id, u32::MAX).await?);
    }
    incidents.sort_by(|a, b| a.id.cmp(&b.id));

    let settings = store
        .list_settings()
        .await?
        .into_iter()
        .filter(|s| !is_private_setting(&s.key))
        .map(|s| BackupSetting {
            key: s.key,
            value: s.value,
            kind: s.kind.as_str().to_string(),
            created_at: s.created_at,
            updated_at: s.updated_at,
        })
        .collect();

    let mut api_keys: Vec<BackupApiKey> = store.list_api_keys().await?.into_iter().map(Into::into).collect();
    api_keys.sort_by(|a, b| a.id.cmp(&b.id));

    let history = if with_history {
        let mut heartbeats = Vec::new();
        for m in &monitors {
            for page in 0.. {
                let q = HeartbeatQuery { limit: PAGE, page, important_only: false, oldest_first: true };
                let beats = store.heartbeats(&m.id, &q).await?;
                let n = beats.len();
                heartbeats.extend(beats);
                if n < PAGE as usize {
                    break;
                }
            }
        }
        Some(History { heartbeats, rollups: store.rollup_rows().await? })
    } else {
        None
    };

    Ok(Backup {
        format: FORMAT.into(),
        version: VERSION,
        exported_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        settings,
        proxies,
        tags,
        notification_channels: channels,
        monitors,
        maintenances,
        status_pages,
        incidents,
        api_keys,
        history,
    })
}

/// Parses a backup document; an error names the JSON path of the offending field.
pub fn parse(bytes: &[u8]) -> Result<Backup, BackupError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize::<_, Backup>(de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." || path.is_empty() { "body".to_string() } else { path };
        invalid(field, e.into_inner().to_string())
    })
}

fn unique<'a>(field: &str, ids: impl Iterator<Item = &'a str>) -> Result<HashSet<&'a str>, BackupError> {
    let mut seen = HashSet::new();
    for (i, id) in ids.enumerate() {
        if id.trim().is_empty() {
            return Err(invalid(format!("{field}[{i}].id"), "is required"));
        }
        if !seen.insert(id) {
            return Err(invalid(format!("{field}[{i}].id"), format!("\"{id}\" appears twice")));
        }
    }
    Ok(seen)
}

fn within(e: ValidationError, prefix: &str) -> BackupError {
    invalid(format!("{prefix}.{}", e.field), e.message)
}

/// Checks a parsed backup completely: format and version, each object's own rules, and
/// that every id it refers to is in the file.
pub fn validate(b: &Backup) -> Result<(), BackupError> {
    if b.format != FORMAT {
        return Err(invalid("format", format!("must be \"{FORMAT}\"")));
    }
    if b.version == 0 || b.version > VERSION {
        return Err(invalid("version", format!("{} is not supported (this build reads 1 to {VERSION})", b.version)));
    }
    let proxies = unique("proxies", b.proxies.iter().map(|p| p.id.as_str()))?;
    let tags = unique("tags", b.tags.iter().map(|t| t.id.as_str()))?;
    let channels = unique("notification_channels", b.notification_channels.iter().map(|c| c.id.as_str()))?;
    let monitors = unique("monitors", b.monitors.iter().map(|m| m.id.as_str()))?;
    unique("maintenances", b.maintenances.iter().map(|m| m.id.as_str()))?;
    let pages = unique("status_pages", b.status_pages.iter().map(|p| p.id.as_str()))?;
    unique("incidents", b.incidents.iter().map(|i| i.id.as_str()))?;
    unique("api_keys", b.api_keys.iter().map(|k| k.id.as_str()))?;

    let mut setting_keys = HashSet::new();
    for (i, s) in b.settings.iter().enumerate() {
        let f = |x: &str| format!("settings[{i}].{x}");
        if s.key.is_empty() || !setting_keys.insert(s.key.as_str()) {
            return Err(invalid(f("key"), "is empty or appears twice"));
        }
        if is_private_setting(&s.key) {
            return Err(invalid(f("key"), "is managed by the server and cannot be imported"));
        }
        let Some(kind) = SettingKind::parse(&s.kind) else {
            return Err(invalid(f("type"), "must be one of string, int, bool, json"));
        };
        let ok = match kind {
            SettingKind::Int => s.value.trim().parse::<i64>().is_ok(),
            SettingKind::Bool => matches!(s.value.trim(), "true" | "false"),
            SettingKind::Json => serde_json::from_str::<serde_json::Value>(&s.value).is_ok(),
            SettingKind::String => true,
        };
        if !ok {
            return Err(invalid(f("value"), format!("is not a valid {} value", kind.as_str())));
        }
    }

    let mut tag_names = HashSet::new();
    for (i, t) in b.tags.iter().enumerate() {
        if t.name.trim().is_empty() || !tag_names.insert(t.name.to_lowercase()) {
            return Err(invalid(format!("tags[{i}].name"), "is empty or taken by another tag"));
        }
    }
    for (i, c) in b.notification_channels.iter().enumerate() {
        let p = format!("notification_channels[{i}]");
        let value = validate_common(&c.name, &c.config).map_err(|e| within(e, &p))?;
        let provider = crate::notify::providers::provider_for(&c.kind)
            .ok_or_else(|| invalid(format!("{p}.kind"), format!("\"{}\" is not a supported provider", c.kind)))?;
        provider.validate(&value).map_err(|e| within(e, &p))?;
    }

    let kinds: HashMap<&str, &str> = b.monitors.iter().map(|m| (m.id.as_str(), m.kind.as_str())).collect();
    let mut push_tokens = HashSet::new();
    for (i, m) in b.monitors.iter().enumerate() {
        let p = format!("monitors[{i}]");
        if m.name.trim().is_empty() {
            return Err(invalid(format!("{p}.name"), "is required"));
        }
        MonitorConfig::parse(&m.kind, &m.config).map_err(|e| within(e, &p))?;
        if let Some(px) = &m.proxy_id
            && !proxies.contains(px.as_str())
        {
            return Err(invalid(format!("{p}.proxy_id"), format!("no proxy in the file has id \"{px}\"")));
        }
        if let Some(t) = &m.push_token
            && !push_tokens.insert(t.as_str())
        {
            return Err(invalid(format!("{p}.push_token"), "is used by another monitor"));
        }
        if let Some(parent) = &m.parent_id {
            match kinds.get(parent.as_str()) {
                Some(&"group") if parent != &m.id => {}
                _ => {
                    return Err(invalid(
                        format!("{p}.parent_id"),
                        format!("\"{parent}\" is not a group monitor in the file"),
                    ));
                }
            }
        }
        if let Some(d) = &m.depends_on
            && (!monitors.contains(d.as_str()) || d == &m.id)
        {
            return Err(invalid(format!("{p}.depends_on"), format!("no other monitor in the file has id \"{d}\"")));
        }
        for (j, id) in m.notification_ids.iter().enumerate() {
            if !channels.contains(id.as_str()) {
                return Err(invalid(
                    format!("{p}.notification_ids[{j}]"),
                    format!("no channel in the file has id \"{id}\""),
                ));
            }
        }
        for (j, id) in m.tag_ids.iter().enumerate() {
            if !tags.contains(id.as_str()) {
                return Err(invalid(format!("{p}.tag_ids[{j}]"), format!("no tag in the file has id \"{id}\"")));
            }
        }
        for (j, t) in m.tags.iter().enumerate() {
            if !tags.contains(t.tag_id.as_str()) {
                return Err(invalid(
                    format!("{p}.tags[{j}].tag_id"),
                    format!("no tag in the file has id \"{}\"", t.tag_id),
                ));
            }
        }
    }
    // A parent chain must end (no group inside itself).
    let parents: HashMap<&str, &str> =
        b.monitors.iter().filter_map(|m| m.parent_id.as_deref().map(|p| (m.id.as_str(), p))).collect();
    for (i, m) in b.monitors.iter().enumerate() {
        let mut at = m.id.as_str();
        for _ in 0..=parents.len() {
            match parents.get(at) {
                Some(p) if *p == m.id => {
                    return Err(invalid(format!("monitors[{i}].parent_id"), "makes a cycle of groups"));
                }
                Some(p) => at = p,
                None => break,
            }
        }
    }

    for (i, mt) in b.maintenances.iter().enumerate() {
        let p = format!("maintenances[{i}]");
        if mt.title.trim().is_empty() {
            return Err(invalid(format!("{p}.title"), "is required"));
        }
        if mt.timezone.parse::<chrono_tz::Tz>().is_err() {
            return Err(invalid(format!("{p}.timezone"), format!("\"{}\" is not an IANA time zone", mt.timezone)));
        }
        for (j, id) in mt.monitor_ids.iter().enumerate() {
            if !monitors.contains(id.as_str()) {
                return Err(invalid(
                    format!("{p}.monitor_ids[{j}]"),
                    format!("no monitor in the file has id \"{id}\""),
                ));
            }
        }
    }

    let mut slugs = HashSet::new();
    let mut domains = HashSet::new();
    for (i, sp) in b.status_pages.iter().enumerate() {
        let p = format!("status_pages[{i}]");
        if sp.slug.trim().is_empty() || !slugs.insert(sp.slug.to_lowercase()) {
            return Err(invalid(format!("{p}.slug"), "is empty or taken by another page"));
        }
        for (j, d) in sp.domains.iter().enumerate() {
            if !domains.insert(d.to_lowercase()) {
                return Err(invalid(format!("{p}.domains[{j}]"), "belongs to another page"));
            }
        }
        for (j, id) in sp.monitor_ids.iter().enumerate() {
            if !monitors.contains(id.as_str()) {
                return Err(invalid(
                    format!("{p}.monitor_ids[{j}]"),
                    format!("no monitor in the file has id \"{id}\""),
                ));
            }
        }
        for (k, s) in sp.sections.iter().enumerate() {
            if let Some(t) = &s.tag_id
                && !tags.contains(t.as_str())
            {
                return Err(invalid(format!("{p}.sections[{k}].tag_id"), format!("no tag in the file has id \"{t}\"")));
            }
            for (j, id) in s.monitor_ids.iter().enumerate() {
                if !monitors.contains(id.as_str()) {
                    return Err(invalid(
                        format!("{p}.sections[{k}].monitor_ids[{j}]"),
                        format!("no monitor in the file has id \"{id}\""),
                    ));
                }
            }
        }
    }
    for (i, inc) in b.incidents.iter().enumerate() {
        let p = format!("incidents[{i}]");
        if !pages.contains(inc.status_page_id.as_str()) {
            return Err(invalid(
                format!("{p}.status_page_id"),
                format!("no status page in the file has id \"{}\"", inc.status_page_id),
            ));
        }
        crate::domain::status_page::validate_incident(&inc.title, &inc.style, &inc.message)
            .map_err(|e| within(e, &p))?;
        for (j, u) in inc.updates.iter().enumerate() {
            if u.incident_id != inc.id {
                return Err(invalid(format!("{p}.updates[{j}].incident_id"), "must be the id of its incident"));
            }
        }
    }
    for (i, k) in b.api_keys.iter().enumerate() {
        if k.key_hash.len() != 64 || !k.key_hash.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(invalid(format!("api_keys[{i}].key_hash"), "must be a hex SHA-256"));
        }
    }
    if let Some(h) = &b.history {
        let mut last: HashMap<&str, i64> = HashMap::new();
        for (i, beat) in h.heartbeats.iter().enumerate() {
            if !monitors.contains(beat.monitor_id.as_str()) {
                return Err(invalid(
                    format!("history.heartbeats[{i}].monitor_id"),
                    format!("no monitor in the file has id \"{}\"", beat.monitor_id),
                ));
            }
            if let Some(prev) = last.insert(beat.monitor_id.as_str(), beat.time)
                && prev >= beat.time
            {
                return Err(invalid(
                    format!("history.heartbeats[{i}].time"),
                    "must be after the monitor's previous beat",
                ));
            }
        }
        for (i, r) in h.rollups.iter().enumerate() {
            if !monitors.contains(r.monitor_id.as_str()) {
                return Err(invalid(
                    format!("history.rollups[{i}].monitor_id"),
                    format!("no monitor in the file has id \"{}\"", r.monitor_id),
                ));
            }
            if !crate::store::backup::ROLLUP_GRANULARITIES.contains(&r.granularity.as_str()) {
                return Err(invalid(format!("history.rollups[{i}].granularity"), "must be minutely, hourly or daily"));
            }
        }
    }
    Ok(())
}

/// What an import changed, for the change events a running server publishes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportReport {
    pub deleted_monitors: Vec<String>,
    pub deleted_proxies: Vec<String>,
    pub deleted_maintenances: Vec<String>,
    pub deleted_status_pages: Vec<String>,
    pub monitors: Vec<String>,
    pub proxies: Vec<String>,
    pub maintenances: Vec<String>,
    pub status_pages: Vec<String>,
    pub heartbeats: usize,
}

/// Whether the instance holds any object a backup carries (settings aside).
pub async fn is_empty(store: &dyn Store) -> Result<bool, StoreError> {
    let one = |page: u32| (page, 1u32);
    let (page, limit) = one(0);
    Ok(store.list_monitors(&MonitorFilter { page, limit, ..Default::default() }).await?.total == 0
        && store.list_channels(&ChannelFilter { page, limit, ..Default::default() }).await?.total == 0
        && store.list_proxies().await?.is_empty()
        && store.list_tags(&TagFilter { page, limit, ..Default::default() }).await?.total == 0
        && store.list_maintenances(&MaintenanceFilter { page, limit, ..Default::default() }).await?.total == 0
        && store.list_status_pages(&StatusPageFilter { page, limit, ..Default::default() }).await?.total == 0
        && store.list_api_keys().await?.is_empty())
}

/// Deletes every object a backup carries, and the settings it may carry; users, login
/// state and the session secrets stay.
pub async fn wipe(store: &dyn Store, report: &mut ImportReport) -> Result<(), StoreError> {
    for p in store.list_status_pages(&StatusPageFilter { page: 0, limit: u32::MAX, ..Default::default() }).await?.items
    {
        store.delete_status_page(&p.id).await?;
        report.deleted_status_pages.push(p.id);
    }
    loop {
        let page = store.list_maintenances(&MaintenanceFilter { page: 0, limit: PAGE, ..Default::default() }).await?;
        if page.items.is_empty() {
            break;
        }
        for m in page.items {
            store.delete_maintenance(&m.id).await?;
            report.deleted_maintenances.push(m.id);
        }
    }
    // Children before their groups; ON DELETE SET NULL makes any order work, this just
    // keeps every intermediate state valid.
    let mut monitors = all_monitors(store).await?;
    monitors.sort_by_key(|m| m.parent_id.is_none());
    for m in monitors {
        store.delete_monitor(&m.id).await?;
        report.deleted_monitors.push(m.id);
    }
    for c in store.list_channels(&ChannelFilter { page: 0, limit: u32::MAX, ..Default::default() }).await?.items {
        store.delete_channel(&c.id).await?;
    }
    loop {
        let page = store.list_tags(&TagFilter { page: 0, limit: PAGE, ..Default::default() }).await?;
        if page.items.is_empty() {
            break;
        }
        for t in page.items {
            store.delete_tag(&t.id).await?;
        }
    }
    for p in store.list_proxies().await? {
        store.delete_proxy(&p.id).await?;
        report.deleted_proxies.push(p.id);
    }
    for k in store.list_api_keys().await? {
        store.delete_api_key(&k.id).await?;
    }
    for s in store.list_settings().await? {
        if !is_private_setting(&s.key) {
            store.delete_setting(&s.key).await?;
        }
    }
    Ok(())
}

/// Validates `backup` fully, then writes it. Into an empty instance unless `replace`,
/// which deletes every object first. A failure while writing wipes the partial import.
pub async fn import(store: &dyn Store, backup: &Backup, replace: bool) -> Result<ImportReport, BackupError> {
    validate(backup)?;
    let mut report = ImportReport::default();
    if !is_empty(store).await? {
        if !replace {
            return Err(BackupError::NotEmpty(
                "this instance already has monitors, channels or other objects: import with replace to delete them first"
                    .into(),
            ));
        }
        wipe(store, &mut report).await?;
    }
    match write_all(store, backup, &mut report).await {
        Ok(()) => Ok(report),
        Err(e) => {
            tracing::error!(error = %e, "backup import failed while writing; removing the partial import");
            let mut ignored = ImportReport::default();
            if let Err(w) = wipe(store, &mut ignored).await {
                tracing::error!(error = %w, "backup import: removing the partial import failed");
            }
            Err(e)
        }
    }
}

async fn write_all(store: &dyn Store, b: &Backup, report: &mut ImportReport) -> Result<(), BackupError> {
    for s in &b.settings {
        let kind = SettingKind::parse(&s.kind).unwrap_or(SettingKind::String);
        // Deleted first so the stored `created_at` is the exported one, not the existing one.
        store.delete_setting(&s.key).await?;
        store
            .put_setting(&Setting {
                key: s.key.clone(),
                value: s.value.clone(),
                kind,
                created_at: s.created_at,
                updated_at: s.updated_at,
            })
            .await?;
    }
    for p in &b.proxies {
        store.insert_proxy(p).await?;
        report.proxies.push(p.id.clone());
    }
    for t in &b.tags {
        store.insert_tag(t).await?;
    }
    for c in &b.notification_channels {
        store.insert_channel(c).await?;
    }
    // Links between monitors are set once all of them exist.
    for m in &b.monitors {
        let mut bare = m.clone();
        bare.parent_id = None;
        bare.depends_on = None;
        store.insert_monitor(&bare).await?;
        report.monitors.push(m.id.clone());
    }
    for m in b.monitors.iter().filter(|m| m.parent_id.is_some() || m.depends_on.is_some()) {
        store.update_monitor(m).await?;
    }
    for m in &b.monitors {
        if m.run_started_at.is_some() {
            store.set_run_started(&m.id, m.run_started_at).await?;
        }
    }
    for m in &b.maintenances {
        store.insert_maintenance(m).await?;
        report.maintenances.push(m.id.clone());
    }
    for p in &b.status_pages {
        store.insert_status_page(p).await?;
        report.status_pages.push(p.id.clone());
    }
    for inc in &b.incidents {
        store.insert_incident(inc).await?;
        for u in &inc.updates {
            store.add_incident_update(u, inc.resolved_at).await?;
        }
        // Restores resolved_at and updated_at as exported.
        store.update_incident(inc).await?;
    }
    for k in &b.api_keys {
        store.insert_api_key(&k.clone().into()).await?;
    }
    if let Some(h) = &b.history {
        for chunk in h.heartbeats.chunks(500) {
            store.ingest(&IngestBatch { beats: chunk.to_vec(), tls: Vec::new() }).await?;
            report.heartbeats += chunk.len();
        }
        store.replace_rollup_rows(&h.rollups).await?;
        // Ingest moves each monitor's status to its last beat; put back the exported one.
        for m in &b.monitors {
            if let Some(stored) = store.monitor(&m.id).await?
                && stored.status != m.status
            {
                store.update_monitor(m).await?;
            }
        }
    }
    Ok(())
}

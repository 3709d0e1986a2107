//! Comparing the monitors file with the database (`plan`), writing the difference
//! (`execute`), and the reverse: one monitor as a file entry (`export_monitor`).

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use super::FileError;
use super::model::{Document, FileMonitor, FileTag, config_string};
use crate::api::monitors::{MonitorInput, MonitorTagInput, MonitorsApi};
use crate::api::notification_channels::checked_config;
use crate::bus::{Bus, BusEvent, ChangeAction};
use crate::domain::monitor::MonitorLimits;
use crate::domain::notification::NotificationChannel;
use crate::domain::tag::MonitorTag;
use crate::domain::{Monitor, MonitorStatus, now_millis};
use crate::store::managed::MANAGED_BY_FILE;
use crate::store::{ChannelFilter, ManagedKind, MonitorFilter, Store, StoreError, TagFilter};

/// What happens to one object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Create,
    /// `fields` that differ; `adopt` when an object created in the UI is taken over
    /// (the file names its id).
    Update {
        fields: Vec<String>,
        adopt: bool,
    },
    Delete,
}

#[derive(Clone, Debug)]
pub struct ChannelChange {
    pub change: Change,
    pub id: String,
    pub name: String,
    /// The channel to write (none for a delete).
    pub channel: Option<NotificationChannel>,
}

#[derive(Clone, Debug)]
pub struct MonitorChange {
    pub change: Change,
    pub id: String,
    pub name: String,
    pub monitor: Option<Monitor>,
}

/// The changes that make the database match the file, in the order they are written
/// (channels before the monitors that use them, groups before their members).
#[derive(Clone, Debug, Default)]
pub struct Plan {
    pub channels: Vec<ChannelChange>,
    pub monitors: Vec<MonitorChange>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.channels.is_empty() && self.monitors.is_empty()
    }

    fn counts(&self) -> (usize, usize, usize) {
        let changes = self.channels.iter().map(|c| &c.change).chain(self.monitors.iter().map(|m| &m.change));
        let mut n = (0, 0, 0);
        for c in changes {
            match c {
                Change::Create => n.0 += 1,
                Change::Update { .. } => n.1 += 1,
                Change::Delete => n.2 += 1,
            }
        }
        n
    }

    /// `1 to create, 2 to update, 0 to delete`.
    pub fn summary(&self) -> String {
        let (c, u, d) = self.counts();
        format!("{c} to create, {u} to update, {d} to delete")
    }

    /// One line per change, terraform-like, then the summary.
    pub fn render(&self) -> String {
        if self.is_empty() {
            return "No changes: the database matches the monitors file.\n".into();
        }
        let mut out = String::new();
        let lines = self
            .channels
            .iter()
            .map(|c| ("notification_channel", &c.change, &c.name, &c.id))
            .chain(self.monitors.iter().map(|m| ("monitor", &m.change, &m.name, &m.id)));
        for (kind, change, name, id) in lines {
            let _ = match change {
                Change::Create => writeln!(out, "+ create {kind} \"{name}\""),
                Change::Update { fields, adopt: true } => {
                    writeln!(out, "~ adopt {kind} \"{name}\" ({id}){}", changed(fields))
                }
                Change::Update { fields, adopt: false } => {
                    writeln!(out, "~ update {kind} \"{name}\"{}", changed(fields))
                }
                Change::Delete => writeln!(out, "- delete {kind} \"{name}\" ({id})"),
            };
        }
        let _ = writeln!(out, "Plan: {}.", self.summary());
        out
    }
}

fn changed(fields: &[String]) -> String {
    if fields.is_empty() { String::new() } else { format!(": {}", fields.join(", ")) }
}

const MAX_ID_CHARS: usize = 64;

fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_ID_CHARS && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn json_eq(a: &str, b: &str) -> bool {
    match (serde_json::from_str::<serde_json::Value>(a), serde_json::from_str::<serde_json::Value>(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

fn store_err(e: StoreError) -> anyhow::Error {
    anyhow::anyhow!("reading the database: {e}")
}

/// Compares the file with the database. Errors (all of them, each naming its YAML path)
/// come back as `FileError` inside the `anyhow::Error`; nothing is written.
pub async fn plan(store: &dyn Store, doc: &Document, limits: &MonitorLimits) -> anyhow::Result<Plan> {
    let mut errors: Vec<String> = Vec::new();
    let mut out = Plan::default();
    let now = now_millis();

    // ---- notification channels
    let mut managed_channels: Vec<NotificationChannel> = Vec::new();
    for id in store.managed_ids(ManagedKind::NotificationChannel, MANAGED_BY_FILE).await.map_err(store_err)? {
        if let Some(c) = store.channel(&id).await.map_err(store_err)? {
            managed_channels.push(c);
        }
    }
    let all_channels =
        store.list_channels(&ChannelFilter { q: None, page: 0, limit: 100_000 }).await.map_err(store_err)?.items;
    let mut matched: HashSet<String> = HashSet::new();
    let mut channel_ids: HashMap<String, String> = HashMap::new();
    let mut seen_names: HashSet<String> = HashSet::new();
    for (i, fc) in doc.notification_channels.iter().enumerate() {
        let at = format!("notification_channels[{i}]");
        let name = fc.name.trim().to_string();
        if !seen_names.insert(name.clone()) {
            errors.push(format!("{at}.name: \"{name}\" is declared twice"));
            continue;
        }
        let base = match fc.id.as_deref() {
            Some(id) if !valid_id(id) => {
                errors.push(format!("{at}.id: must be 1 to 64 letters, digits, '-' or '_'"));
                continue;
            }
            Some(id) => all_channels.iter().find(|c| c.id == id).cloned(),
            None => managed_channels.iter().find(|c| c.name == name && !matched.contains(&c.id)).cloned(),
        };
        let config = match checked_config(&fc.kind, &name, &config_string(&fc.config), base.as_ref()) {
            Ok(c) => c,
            Err(e) => {
                errors.push(format!("{at}.{}: {}", e.field, e.message));
                continue;
            }
        };
        let id = base.as_ref().map(|b| b.id.clone()).or_else(|| fc.id.clone()).unwrap_or_else(new_id);
        if !matched.insert(id.clone()) {
            errors.push(format!("{at}.id: \"{id}\" is declared twice"));
            continue;
        }
        channel_ids.insert(name.clone(), id.clone());
        let desired = NotificationChannel {
            id: id.clone(),
            name: name.clone(),
            kind: fc.kind.trim().to_string(),
            active: fc.active.unwrap_or(true),
            is_default: fc.is_default.unwrap_or(false),
            config,
            created_at: base.as_ref().map_or(now, |b| b.created_at),
            updated_at: now,
        };
        let change = match &base {
            None => Some(Change::Create),
            Some(b) => {
                let mut fields = Vec::new();
                if b.name != desired.name {
                    fields.push("name".to_string());
                }
                if b.kind != desired.kind {
                    fields.push("type".into());
                }
                if b.active != desired.active {
                    fields.push("active".into());
                }
                if b.is_default != desired.is_default {
                    fields.push("is_default".into());
                }
                if !json_eq(&b.config, &desired.config) {
                    fields.push("config".into());
                }
                let adopt = !managed_channels.iter().any(|m| m.id == b.id);
                (adopt || !fields.is_empty()).then_some(Change::Update { fields, adopt })
            }
        };
        if let Some(change) = change {
            out.channels.push(ChannelChange { change, id, name, channel: Some(desired) });
        }
    }
    // Channels the file drops cannot be referred to by name any more.
    let all_channels: Vec<NotificationChannel> = all_channels
        .into_iter()
        .filter(|c| matched.contains(&c.id) || !managed_channels.iter().any(|m| m.id == c.id))
        .collect();
    let channel_deletes: Vec<ChannelChange> = managed_channels
        .iter()
        .filter(|c| !matched.contains(&c.id))
        .map(|c| ChannelChange { change: Change::Delete, id: c.id.clone(), name: c.name.clone(), channel: None })
        .collect();

    // ---- monitors: first give every file monitor its id (references need them)
    let managed_ids = store.managed_ids(ManagedKind::Monitor, MANAGED_BY_FILE).await.map_err(store_err)?;
    let managed_monitors = store.monitors_by_ids(&managed_ids).await.map_err(store_err)?;
    let mut matched: HashSet<String> = HashSet::new();
    let mut bases: Vec<Option<Monitor>> = Vec::new();
    let mut ids: Vec<Option<String>> = Vec::new();
    let mut monitor_ids: HashMap<String, usize> = HashMap::new();
    for (i, fm) in doc.monitors.iter().enumerate() {
        let at = format!("monitors[{i}]");
        let name = fm.name.trim().to_string();
        let mut id = None;
        let mut base = None;
        if monitor_ids.contains_key(&name) {
            errors.push(format!("{at}.name: \"{name}\" is declared twice"));
        } else {
            monitor_ids.insert(name.clone(), i);
            match fm.id.as_deref() {
                Some(pinned) if !valid_id(pinned) => {
                    errors.push(format!("{at}.id: must be 1 to 64 letters, digits, '-' or '_'"));
                }
                Some(pinned) => {
                    base = store.monitor(pinned).await.map_err(store_err)?;
                    id = Some(pinned.to_string());
                }
                None => {
                    base = managed_monitors.iter().find(|m| m.name == name && !matched.contains(&m.id)).cloned();
                    id = Some(base.as_ref().map_or_else(new_id, |b| b.id.clone()));
                }
            }
        }
        if let Some(id) = &id
            && !matched.insert(id.clone())
        {
            errors.push(format!("{at}.id: \"{id}\" is declared twice"));
        }
        bases.push(base);
        ids.push(id);
    }

    // Monitors the file drops cannot be referred to any more.
    let doomed: HashSet<String> = managed_ids.iter().filter(|id| !matched.contains(*id)).cloned().collect();

    // Lookups for references to objects outside the file.
    let all_tags = store.list_tags(&TagFilter { q: None, page: 0, limit: 100_000 }).await.map_err(store_err)?.items;
    let resolve_channel = |r: &str| -> Result<String, String> {
        if let Some(id) = channel_ids.get(r.trim()) {
            return Ok(id.clone());
        }
        if let Some(c) = all_channels.iter().find(|c| c.id == r) {
            return Ok(c.id.clone());
        }
        let named: Vec<&NotificationChannel> = all_channels.iter().filter(|c| c.name == r.trim()).collect();
        match named.as_slice() {
            [one] => Ok(one.id.clone()),
            [] => Err(format!("no notification channel is named \"{r}\"")),
            _ => Err(format!("several notification channels are named \"{r}\"; use the id")),
        }
    };
    let resolve_tag = |r: &str| -> Result<String, String> {
        all_tags
            .iter()
            .find(|t| t.id == r || t.name.eq_ignore_ascii_case(r.trim()))
            .map(|t| t.id.clone())
            .ok_or_else(|| format!("no tag is named \"{r}\" (create it in the UI first)"))
    };

    // ---- monitors: build and validate each through the API's own path
    let mut desired: Vec<Option<Monitor>> = vec![None; doc.monitors.len()];
    let mut refs: Vec<Vec<usize>> = vec![Vec::new(); doc.monitors.len()];
    for (i, fm) in doc.monitors.iter().enumerate() {
        let at = format!("monitors[{i}]");
        let Some(id) = ids[i].clone() else { continue };
        let base = bases[i].as_ref();
        let mut local: Vec<String> = Vec::new();
        let mut notification_ids = Vec::new();
        for (j, n) in fm.notifications.iter().flatten().enumerate() {
            match resolve_channel(n) {
                Ok(id) => notification_ids.push(id),
                Err(e) => local.push(format!("{at}.notifications[{j}]: {e}")),
            }
        }
        let mut tags = Vec::new();
        for (j, t) in fm.tags.iter().flatten().enumerate() {
            match resolve_tag(t.name()) {
                Ok(tag_id) => tags.push(MonitorTagInput { tag_id, value: Some(t.value().to_string()) }),
                Err(e) => local.push(format!("{at}.tags[{j}]: {e}")),
            }
        }
        let mut monitor_ref = |field: &str, r: &Option<String>, want_group: bool| -> Option<Result<String, String>> {
            let r = r.as_deref().map(str::trim).filter(|r| !r.is_empty())?;
            if let Some(&k) = monitor_ids.get(r) {
                if k == i {
                    local.push(format!("{at}.{field}: a monitor cannot refer to itself"));
                    return None;
                }
                if want_group && doc.monitors[k].kind.trim() != "group" {
                    local.push(format!("{at}.{field}: \"{r}\" is a {} monitor, not a group", doc.monitors[k].kind));
                    return None;
                }
                refs[i].push(k);
                return ids[k].clone().map(Ok);
            }
            // Outside the file: an id, or the name of exactly one monitor.
            Some(Err(r.to_string()))
        };
        let parent_ref = monitor_ref("parent", &fm.parent, true);
        let depends_ref = monitor_ref("depends_on", &fm.depends_on, false);
        let parent_id = match parent_ref {
            Some(Ok(id)) => Some(id),
            Some(Err(r)) => resolve_outside(store, "parent", &at, &r, &doomed, &mut local).await?,
            None => None,
        };
        let depends_on = match depends_ref {
            Some(Ok(id)) => Some(id),
            Some(Err(r)) => resolve_outside(store, "depends_on", &at, &r, &doomed, &mut local).await?,
            None => None,
        };
        if let Some(p) = fm.proxy.as_deref().filter(|p| !p.trim().is_empty())
            && store.proxy(p.trim()).await.map_err(store_err)?.is_none()
        {
            local.push(format!("{at}.proxy: no proxy has id \"{p}\""));
        }
        if !local.is_empty() {
            errors.extend(local);
            continue;
        }
        let input = MonitorInput {
            kind: fm.kind.trim().to_string(),
            name: fm.name.clone(),
            interval: fm.interval,
            timeout: fm.timeout,
            max_retries: fm.max_retries,
            retry_interval: fm.retry_interval,
            resend_interval: fm.resend_interval,
            active: fm.active,
            notification_ids: Some(notification_ids),
            tag_ids: None,
            tags: Some(tags),
            proxy_id: fm.proxy.as_ref().map(|p| p.trim().to_string()),
            config: Some(config_string(&fm.config)),
            push_token: fm.push_token.clone(),
            parent_id,
            depends_on,
            notify_after_failures: fm.notify_after_failures,
            notify_after_successes: fm.notify_after_successes,
        };
        // A push monitor without a token keeps the one it has (a new one gets a token).
        let keep_token = fm.push_token.is_none() && base.is_some_and(|b| b.kind == "push" && b.push_token.is_some());
        let mut draft = MonitorsApi::draft_from(input, base);
        if keep_token {
            draft.push_token = base.and_then(|b| b.push_token.clone());
        }
        let checked = draft.validate(limits).and_then(|_| crate::domain::tag::validate_monitor_tags(&draft.tags));
        match checked {
            Err(e) => errors.push(format!("{at}.{}: {}", file_field(&e.field), e.message)),
            Ok(tags) => {
                draft.tags = tags;
                let tag_ids = draft.tag_ids();
                desired[i] = Some(Monitor {
                    id,
                    kind: draft.kind,
                    name: draft.name,
                    interval: draft.interval,
                    timeout: draft.timeout,
                    max_retries: draft.max_retries,
                    retry_interval: draft.retry_interval,
                    resend_interval: draft.resend_interval,
                    active: draft.active,
                    status: base.map_or(MonitorStatus::Pending, |b| b.status),
                    config: draft.config,
                    proxy_id: draft.proxy_id,
                    push_token: draft.push_token,
                    parent_id: draft.parent_id,
                    depends_on: draft.depends_on,
                    notify_after_failures: draft.notify_after_failures,
                    notify_after_successes: draft.notify_after_successes,
                    run_started_at: base.and_then(|b| b.run_started_at),
                    notification_ids: draft.notification_ids,
                    tag_ids,
                    tags: draft.tags,
                    created_at: base.map_or(now, |b| b.created_at),
                    updated_at: now,
                });
            }
        }
    }

    // Write order: referenced monitors first; a cycle is an error.
    let order = match topo_order(&refs) {
        Ok(o) => o,
        Err(i) => {
            errors.push(format!("monitors[{i}]: parent/depends_on references form a cycle"));
            Vec::new()
        }
    };
    if !errors.is_empty() {
        return Err(FileError(errors).into());
    }
    for i in order {
        let Some(m) = desired[i].take() else { continue };
        let change = match &bases[i] {
            None => Some(Change::Create),
            Some(b) => {
                let fields = monitor_diff(b, &m);
                let adopt = !managed_ids.contains(&b.id);
                (adopt || !fields.is_empty()).then_some(Change::Update { fields, adopt })
            }
        };
        if let Some(change) = change {
            out.monitors.push(MonitorChange { change, id: m.id.clone(), name: m.name.clone(), monitor: Some(m) });
        }
    }
    for m in managed_monitors.iter().filter(|m| !matched.contains(&m.id)) {
        out.monitors.push(MonitorChange {
            change: Change::Delete,
            id: m.id.clone(),
            name: m.name.clone(),
            monitor: None,
        });
    }
    out.channels.extend(channel_deletes);
    Ok(out)
}

/// The file's name for an API field in a validation error.
fn file_field(api_field: &str) -> String {
    match api_field {
        "parent_id" => "parent".into(),
        "proxy_id" => "proxy".into(),
        "notification_ids" => "notifications".into(),
        "tag_ids" => "tags".into(),
        other => other.to_string(),
    }
}

/// Resolves a reference to a monitor outside the file: an id, or a unique name.
async fn resolve_outside(
    store: &dyn Store,
    field: &str,
    at: &str,
    r: &str,
    doomed: &HashSet<String>,
    errors: &mut Vec<String>,
) -> anyhow::Result<Option<String>> {
    if let Some(m) = store.monitor(r).await.map_err(store_err)?.filter(|m| !doomed.contains(&m.id)) {
        if field == "parent" && m.kind != "group" {
            errors.push(format!("{at}.{field}: \"{r}\" is a {} monitor, not a group", m.kind));
            return Ok(None);
        }
        return Ok(Some(m.id));
    }
    let filter = MonitorFilter { q: Some(r.to_string()), page: 0, limit: 1000, ..Default::default() };
    let found: Vec<Monitor> = store
        .list_monitors(&filter)
        .await
        .map_err(store_err)?
        .items
        .into_iter()
        .filter(|m| m.name == r && !doomed.contains(&m.id))
        .collect();
    match found.as_slice() {
        [one] if field == "parent" && one.kind != "group" => {
            errors.push(format!("{at}.{field}: \"{r}\" is a {} monitor, not a group", one.kind));
            Ok(None)
        }
        [one] => Ok(Some(one.id.clone())),
        [] => {
            errors.push(format!("{at}.{field}: no monitor is named \"{r}\""));
            Ok(None)
        }
        _ => {
            errors.push(format!("{at}.{field}: several monitors are named \"{r}\"; use the id"));
            Ok(None)
        }
    }
}

/// Indexes in an order where every monitor comes after those it refers to; `Err(i)` if
/// monitor `i` is on a cycle.
fn topo_order(refs: &[Vec<usize>]) -> Result<Vec<usize>, usize> {
    fn visit(i: usize, refs: &[Vec<usize>], state: &mut [u8], out: &mut Vec<usize>) -> Result<(), usize> {
        match state[i] {
            2 => return Ok(()),
            1 => return Err(i),
            _ => {}
        }
        state[i] = 1;
        for &k in &refs[i] {
            visit(k, refs, state, out)?;
        }
        state[i] = 2;
        out.push(i);
        Ok(())
    }
    let mut state = vec![0u8; refs.len()];
    let mut out = Vec::with_capacity(refs.len());
    for i in 0..refs.len() {
        visit(i, refs, &mut state, &mut out)?;
    }
    Ok(out)
}

fn monitor_diff(a: &Monitor, b: &Monitor) -> Vec<String> {
    let mut f: Vec<&str> = Vec::new();
    let mut check = |name: &'static str, differs: bool| {
        if differs {
            f.push(name);
        }
    };
    check("type", a.kind != b.kind);
    check("name", a.name != b.name);
    check("active", a.active != b.active);
    check("interval", a.interval != b.interval);
    check("timeout", a.timeout != b.timeout);
    check("max_retries", a.max_retries != b.max_retries);
    check("retry_interval", a.retry_interval != b.retry_interval);
    check("resend_interval", a.resend_interval != b.resend_interval);
    check("config", !json_eq(&a.config, &b.config));
    check("push_token", a.push_token != b.push_token);
    check("notifications", sorted(&a.notification_ids) != sorted(&b.notification_ids));
    check("tags", sorted_tags(&a.tags) != sorted_tags(&b.tags));
    check("parent", a.parent_id != b.parent_id);
    check("depends_on", a.depends_on != b.depends_on);
    check("proxy", a.proxy_id != b.proxy_id);
    check("notify_after_failures", a.notify_after_failures != b.notify_after_failures);
    check("notify_after_successes", a.notify_after_successes != b.notify_after_successes);
    f.into_iter().map(String::from).collect()
}

fn sorted(v: &[String]) -> Vec<String> {
    let mut v = v.to_vec();
    v.sort();
    v.dedup();
    v
}

fn sorted_tags(v: &[MonitorTag]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = v.iter().map(|t| (t.tag_id.clone(), t.value.clone())).collect();
    v.sort();
    v
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Writes a plan: channels, then monitors in order, then deletes. Each object is marked
/// `managed_by = "file"` right after it is written. With a bus, every monitor written or
/// deleted is announced (`MonitorChanged`), so a running producer reschedules it.
pub async fn execute(store: &dyn Store, plan: &Plan, bus: Option<&dyn Bus>) -> anyhow::Result<()> {
    let fail = |what: &str, name: &str, e: StoreError| anyhow::anyhow!("{what} \"{name}\": {e}");
    for c in plan.channels.iter().filter(|c| c.change != Change::Delete) {
        let ch = c.channel.as_ref().expect("a create or update carries its channel");
        match c.change {
            Change::Create => store.insert_channel(ch).await,
            _ => store.update_channel(ch).await,
        }
        .map_err(|e| fail("writing notification channel", &c.name, e))?;
        store
            .set_managed_by(ManagedKind::NotificationChannel, &c.id, Some(MANAGED_BY_FILE))
            .await
            .map_err(|e| fail("marking notification channel", &c.name, e))?;
    }
    for m in &plan.monitors {
        match (&m.change, &m.monitor) {
            (Change::Delete, _) => {
                store.delete_monitor(&m.id).await.map_err(|e| fail("deleting monitor", &m.name, e))?;
            }
            (Change::Create, Some(mon)) => {
                store.insert_monitor(mon).await.map_err(|e| fail("creating monitor", &m.name, e))?;
            }
            (_, Some(mon)) => {
                store.update_monitor(mon).await.map_err(|e| fail("updating monitor", &m.name, e))?;
            }
            (_, None) => continue,
        }
        if m.change != Change::Delete {
            store
                .set_managed_by(ManagedKind::Monitor, &m.id, Some(MANAGED_BY_FILE))
                .await
                .map_err(|e| fail("marking monitor", &m.name, e))?;
        }
        if let Some(bus) = bus {
            let action = match m.change {
                Change::Create => ChangeAction::Created,
                Change::Update { .. } => ChangeAction::Updated,
                Change::Delete => ChangeAction::Deleted,
            };
            if let Err(e) = bus.publish(&BusEvent::MonitorChanged { id: m.id.clone(), action }).await {
                tracing::warn!(error = %e, "monitors file: publishing a monitor change failed");
            }
        }
    }
    for c in plan.channels.iter().filter(|c| c.change == Change::Delete) {
        store.delete_channel(&c.id).await.map_err(|e| fail("deleting notification channel", &c.name, e))?;
    }
    Ok(())
}

/// One monitor as a monitors-file document (with its `id`, so applying it targets this
/// very monitor). References are written as names.
pub async fn export_monitor(store: &dyn Store, m: &Monitor) -> Result<String, StoreError> {
    let mut notifications = Vec::new();
    for id in &m.notification_ids {
        notifications.push(store.channel(id).await?.map_or_else(|| id.clone(), |c| c.name));
    }
    let tag_ids: Vec<String> = m.tags.iter().map(|t| t.tag_id.clone()).collect();
    let names: HashMap<String, String> =
        store.tags_by_ids(&tag_ids).await?.into_iter().map(|t| (t.id, t.name)).collect();
    let tags: Vec<FileTag> = m
        .tags
        .iter()
        .map(|t| {
            let name = names.get(&t.tag_id).cloned().unwrap_or_else(|| t.tag_id.clone());
            if t.value.is_empty() { FileTag::Name(name) } else { FileTag::WithValue { name, value: t.value.clone() } }
        })
        .collect();
    let fm = FileMonitor {
        id: Some(m.id.clone()),
        name: m.name.clone(),
        kind: m.kind.clone(),
        active: Some(m.active),
        interval: Some(m.interval),
        timeout: Some(m.timeout),
        max_retries: Some(m.max_retries),
        retry_interval: Some(m.retry_interval),
        resend_interval: Some(m.resend_interval),
        config: Some(serde_json::from_str(&m.config).unwrap_or_else(|_| serde_json::Value::String(m.config.clone()))),
        push_token: m.push_token.clone(),
        notifications: Some(notifications),
        tags: (!tags.is_empty()).then_some(tags),
        parent: monitor_name(store, &m.parent_id).await?,
        depends_on: monitor_name(store, &m.depends_on).await?,
        proxy: m.proxy_id.clone(),
        notify_after_failures: Some(m.notify_after_failures),
        notify_after_successes: Some(m.notify_after_successes),
    };
    let doc = Document { notification_channels: Vec::new(), monitors: vec![fm] };
    serde_yaml::to_string(&doc).map_err(|e| StoreError::Backend(format!("rendering YAML: {e}")))
}

async fn monitor_name(store: &dyn Store, id: &Option<String>) -> Result<Option<String>, StoreError> {
    Ok(match id {
        None => None,
        Some(id) => Some(store.monitor(id).await?.map_or_else(|| id.clone(), |p| p.name)),
    })
}

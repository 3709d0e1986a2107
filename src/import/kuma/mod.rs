//! Import from Uptime Kuma: a `kuma.db` (1.23 or 2.x schema) or a 1.x JSON backup.
//!
//! `source` reads Kuma's data into rows, `map` turns Kuma's monitor types and
//! notification providers into ours, and `import` writes everything through the `Store`
//! port after the same validation the API applies. Whatever cannot be carried over is
//! listed in the report with a reason; nothing is dropped silently. A dry run validates
//! everything and writes nothing.

pub mod map;
pub mod source;

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use crate::bus::{Bus, BusEvent, ChangeAction};
use crate::domain::maintenance::MaintenanceDraft;
use crate::domain::monitor::{MAX_INTERVAL, MonitorDraft, MonitorLimits, validate_push_token};
use crate::domain::notification::validate_common;
use crate::domain::proxy::ProxyDraft;
use crate::domain::status_page::{SectionDraft, StatusPage, StatusPageDraft, StatusPageSection};
use crate::domain::tag::{MonitorTag, Tag, TagDraft, tag_ids_of, validate_monitor_tags};
use crate::domain::{Heartbeat, Monitor, MonitorStatus, now_millis};
use crate::notify::providers::provider_for;
use crate::store::{IngestBatch, Store, StoreError, TagFilter};
use map::{Row, b, i, s};
pub use source::{KumaData, read_bytes, read_path};

/// How to import.
#[derive(Clone, Copy, Debug, Default)]
pub struct ImportOptions {
    /// Validate and report, write nothing.
    pub dry_run: bool,
    /// Also copy the heartbeat history.
    pub with_history: bool,
    pub limits: MonitorLimits,
}

/// One object in the report: what it is, its name, and why it was skipped (or what
/// changed on the way in).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, poem_openapi::Object)]
pub struct ReportEntry {
    /// monitor, notification, tag, proxy, status_page, maintenance, incident, heartbeat
    pub kind: String,
    pub name: String,
    pub reason: String,
}

/// How many objects of each kind were imported (or would be, in a dry run).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, poem_openapi::Object)]
pub struct ImportCounts {
    pub monitors: u32,
    pub notifications: u32,
    pub tags: u32,
    pub proxies: u32,
    pub status_pages: u32,
    pub maintenances: u32,
    pub incidents: u32,
    pub heartbeats: u64,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, poem_openapi::Object)]
pub struct ImportReport {
    /// What was read: "kuma.db (1.23 schema)", "JSON backup 1.23.16", …
    pub source: String,
    pub dry_run: bool,
    pub imported: ImportCounts,
    /// Objects that were not imported, with the reason.
    pub skipped: Vec<ReportEntry>,
    /// Objects imported with a setting that did not carry over or was adjusted.
    pub warnings: Vec<ReportEntry>,
    /// The ids of the monitors created (empty in a dry run).
    pub monitor_ids: Vec<String>,
}

impl ImportReport {
    fn skip(&mut self, kind: &str, name: impl Into<String>, reason: impl Into<String>) {
        self.skipped.push(ReportEntry { kind: kind.into(), name: name.into(), reason: reason.into() });
    }

    fn warn(&mut self, kind: &str, name: impl Into<String>, reason: impl Into<String>) {
        self.warnings.push(ReportEntry { kind: kind.into(), name: name.into(), reason: reason.into() });
    }

    /// The report as text, for the command line.
    pub fn to_text(&self) -> String {
        let c = &self.imported;
        let mut out = format!(
            "{} from {}: {} monitors, {} notifications, {} tags, {} proxies, {} status pages, {} incidents, {} maintenances, {} heartbeats\n",
            if self.dry_run { "Would import (dry run)" } else { "Imported" },
            self.source,
            c.monitors,
            c.notifications,
            c.tags,
            c.proxies,
            c.status_pages,
            c.incidents,
            c.maintenances,
            c.heartbeats
        );
        if !self.skipped.is_empty() {
            out.push_str(&format!("\nNot imported ({}):\n", self.skipped.len()));
            for e in &self.skipped {
                out.push_str(&format!("  {:<13} {:<30} {}\n", e.kind, e.name, e.reason));
            }
        }
        if !self.warnings.is_empty() {
            out.push_str(&format!("\nImported with changes ({}):\n", self.warnings.len()));
            for e in &self.warnings {
                out.push_str(&format!("  {:<13} {:<30} {}\n", e.kind, e.name, e.reason));
            }
        }
        out
    }
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Kuma's `YYYY-MM-DD HH:MM:SS(.sss)` UTC times (or RFC 3339) in Unix milliseconds.
fn kuma_time(t: &str) -> Option<i64> {
    let t = t.trim();
    for f in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S%.f"] {
        if let Ok(v) = chrono::NaiveDateTime::parse_from_str(t, f) {
            return Some(v.and_utc().timestamp_millis());
        }
    }
    chrono::DateTime::parse_from_rfc3339(t).ok().map(|v| v.timestamp_millis())
}

/// Imports `data` into `store`. `bus`: announce new monitors, proxies, maintenances and
/// status pages to a running server (none from the command line). Errors are storage
/// failures; everything about the data itself goes into the report.
pub async fn import(
    store: &dyn Store,
    bus: Option<&dyn Bus>,
    data: &KumaData,
    opts: &ImportOptions,
) -> Result<ImportReport, StoreError> {
    let mut report = ImportReport { source: data.source.clone(), dry_run: opts.dry_run, ..Default::default() };
    let write = !opts.dry_run;
    let now = now_millis();
    let mut events: Vec<BusEvent> = Vec::new();

    // Proxies.
    let mut proxy_ids: HashMap<i64, String> = HashMap::new();
    for p in &data.proxies {
        let name = format!("{}://{}:{}", s(p, "protocol"), s(p, "host"), s(p, "port"));
        let draft = ProxyDraft {
            protocol: s(p, "protocol"),
            host: s(p, "host"),
            port: i(p, "port").unwrap_or(0).clamp(0, u32::MAX as i64) as u32,
            auth: b(p, "auth"),
            username: s(p, "username"),
            password: s(p, "password"),
        };
        match draft.validate() {
            Err(e) => report.skip("proxy", name, e.to_string()),
            Ok(v) => {
                let proxy = crate::domain::proxy::Proxy {
                    id: new_id(),
                    protocol: v.protocol,
                    host: v.host,
                    port: v.port,
                    auth: v.auth,
                    username: v.username,
                    password: v.password,
                    created_at: now,
                    updated_at: now,
                };
                if write {
                    store.insert_proxy(&proxy).await?;
                    events.push(BusEvent::ProxyChanged { id: proxy.id.clone(), action: ChangeAction::Created });
                }
                if let Some(k) = i(p, "id") {
                    proxy_ids.insert(k, proxy.id);
                }
                report.imported.proxies += 1;
            }
        }
    }

    // Notifications.
    let mut channel_ids: HashMap<i64, String> = HashMap::new();
    for n in &data.notifications {
        let config = n.get("config").and_then(Value::as_object).cloned().unwrap_or_default();
        let name = match s(n, "name") {
            x if x.is_empty() => s(&config, "name"),
            x => x,
        };
        let mapped = map::notification_config(&config).and_then(|(provider, cfg)| {
            let text = cfg.to_string();
            let value = validate_common(&name, &text).map_err(|e| e.to_string())?;
            let p = provider_for(&provider).ok_or_else(|| format!("provider {provider} is missing"))?;
            p.validate(&value).map_err(|e| e.to_string())?;
            Ok((provider, text))
        });
        match mapped {
            Err(reason) => report.skip("notification", name, reason),
            Ok((kind, config_text)) => {
                let is_default = b(n, "is_default") || b(&config, "isDefault");
                let channel = crate::domain::notification::NotificationChannel {
                    id: new_id(),
                    name: name.trim().to_string(),
                    kind,
                    active: n.get("active").is_none_or(|_| b(n, "active")),
                    is_default,
                    config: config_text,
                    created_at: now,
                    updated_at: now,
                };
                if write {
                    store.insert_channel(&channel).await?;
                }
                if let Some(k) = i(n, "id") {
                    channel_ids.insert(k, channel.id);
                }
                report.imported.notifications += 1;
            }
        }
    }

    // Tags: reuse a tag of the same name (case-insensitive).
    let mut tag_ids: HashMap<i64, String> = HashMap::new();
    for t in &data.tags {
        let name = s(t, "name");
        let draft = TagDraft { name: name.clone(), color: Some(s(t, "color")), description: String::new() };
        let valid = match draft.validate() {
            Ok(v) => v,
            Err(e) if e.field == "color" => {
                report.warn(
                    "tag",
                    &name,
                    format!("colour {:?} is not a hex colour; the default is used", s(t, "color")),
                );
                match (TagDraft { color: None, ..draft }).validate() {
                    Ok(v) => v,
                    Err(e) => {
                        report.skip("tag", name, e.to_string());
                        continue;
                    }
                }
            }
            Err(e) => {
                report.skip("tag", name, e.to_string());
                continue;
            }
        };
        let existing = store
            .list_tags(&TagFilter { q: Some(valid.name.clone()), page: 0, limit: 100 })
            .await?
            .items
            .into_iter()
            .find(|x| x.name.eq_ignore_ascii_case(&valid.name));
        let id = match existing {
            Some(x) => x.id,
            None => {
                let tag = Tag {
                    id: new_id(),
                    name: valid.name,
                    color: valid.color,
                    description: valid.description,
                    created_at: now,
                    updated_at: now,
                };
                if write {
                    store.insert_tag(&tag).await?;
                }
                report.imported.tags += 1;
                tag.id
            }
        };
        if let Some(k) = i(t, "id") {
            tag_ids.insert(k, id);
        }
    }

    // Monitors, groups before their children.
    let docker_hosts: HashMap<i64, map::DockerHost> = data
        .docker_hosts
        .iter()
        .filter_map(|h| {
            Some((
                i(h, "id")?,
                map::DockerHost { docker_type: s(h, "docker_type"), docker_daemon: s(h, "docker_daemon") },
            ))
        })
        .collect();
    let mut monitor_ids: HashMap<i64, String> = HashMap::new();
    let mut pending: Vec<&Row> = data.monitors.iter().collect();
    let mut order: Vec<&Row> = Vec::with_capacity(pending.len());
    let known: std::collections::HashSet<i64> = data.monitors.iter().filter_map(|m| i(m, "id")).collect();
    let mut placed = std::collections::HashSet::new();
    while !pending.is_empty() {
        let before = pending.len();
        pending.retain(|m| {
            let ready = i(m, "parent").is_none_or(|p| !known.contains(&p) || placed.contains(&p));
            if ready {
                if let Some(id) = i(m, "id") {
                    placed.insert(id);
                }
                order.push(m);
            }
            !ready
        });
        if pending.len() == before {
            // A parent cycle: take the rest as they are (their parents stay unset).
            order.append(&mut pending);
        }
    }
    for m in order {
        let name = s(m, "name");
        let docker_host = i(m, "docker_host").and_then(|h| docker_hosts.get(&h));
        let (kind, config, notes) = match map::monitor_config(m, docker_host) {
            Ok(x) => x,
            Err(reason) => {
                report.skip("monitor", name, reason);
                continue;
            }
        };
        let kuma_id = i(m, "id");
        let mut warnings = notes;
        let interval_in = i(m, "interval").unwrap_or(60).max(0) as u32;
        let interval = interval_in.clamp(opts.limits.min_interval, MAX_INTERVAL);
        if interval != interval_in {
            warnings.push(format!("interval {interval_in} s is out of range; set to {interval} s"));
        }
        let retry_in = i(m, "retry_interval").filter(|v| *v > 0).unwrap_or(interval as i64) as u32;
        let retry_interval = retry_in.clamp(opts.limits.min_interval, MAX_INTERVAL);
        let timeout = i(m, "timeout")
            .filter(|v| *v > 0)
            .map_or(interval * 4 / 5, |t| t as u32)
            .clamp(opts.limits.min_timeout(), interval);
        let mut push_token = None;
        if kind == "push" {
            let t = s(m, "push_token");
            if validate_push_token(&t).is_ok() {
                if store.monitor_by_push_token(&t).await?.is_some() {
                    warnings.push("another monitor here uses its push token; a new one was made".into());
                    push_token = Some(crate::domain::monitor::new_push_token());
                } else {
                    push_token = Some(t);
                }
            } else {
                warnings.push("the push token is not 8 to 64 URL-safe characters; a new one was made".into());
                push_token = Some(crate::domain::monitor::new_push_token());
            }
        }
        let parent_id = match i(m, "parent") {
            None => None,
            Some(p) => match monitor_ids.get(&p) {
                Some(id) => Some(id.clone()),
                None => {
                    warnings.push("its group was not imported; it is now top-level".into());
                    None
                }
            },
        };
        let proxy_id = match i(m, "proxy_id") {
            None => None,
            Some(p) => match proxy_ids.get(&p) {
                Some(id) => Some(id.clone()),
                None => {
                    warnings.push("its proxy was not imported; it now connects directly".into());
                    None
                }
            },
        };
        let notification_ids: Vec<String> = data
            .monitor_notifications
            .iter()
            .filter(|(mid, _)| Some(*mid) == kuma_id)
            .filter_map(|(_, nid)| channel_ids.get(nid).cloned())
            .collect();
        let tags: Vec<MonitorTag> = data
            .monitor_tags
            .iter()
            .filter(|(mid, _, _)| Some(*mid) == kuma_id)
            .filter_map(|(_, tid, value)| {
                tag_ids.get(tid).map(|t| MonitorTag { tag_id: t.clone(), value: value.clone() })
            })
            .collect();
        let draft = MonitorDraft {
            kind: kind.clone(),
            name: name.trim().to_string(),
            interval,
            timeout,
            max_retries: i(m, "maxretries").unwrap_or(0).clamp(0, 1000) as u32,
            retry_interval,
            resend_interval: i(m, "resend_interval").unwrap_or(0).clamp(0, 100_000) as u32,
            active: m.get("active").is_none_or(|_| b(m, "active")),
            config: config.to_string(),
            proxy_id,
            push_token,
            parent_id,
            depends_on: None,
            notify_after_failures: 1,
            notify_after_successes: 1,
            notification_ids,
            tags,
        };
        if let Err(e) = draft.validate(&opts.limits) {
            report.skip("monitor", name, e.to_string());
            continue;
        }
        let tags = match validate_monitor_tags(&draft.tags) {
            Ok(t) => t,
            Err(e) => {
                report.skip("monitor", name, e.to_string());
                continue;
            }
        };
        let monitor = Monitor {
            id: new_id(),
            kind: draft.kind,
            name: draft.name,
            interval: draft.interval,
            timeout: draft.timeout,
            max_retries: draft.max_retries,
            retry_interval: draft.retry_interval,
            resend_interval: draft.resend_interval,
            active: draft.active,
            status: MonitorStatus::Pending,
            config: draft.config,
            proxy_id: draft.proxy_id,
            push_token: draft.push_token,
            parent_id: draft.parent_id,
            depends_on: None,
            notify_after_failures: 1,
            notify_after_successes: 1,
            run_started_at: None,
            notification_ids: draft.notification_ids,
            tag_ids: tag_ids_of(&tags),
            tags,
            created_at: now,
            updated_at: now,
        };
        if write {
            match store.insert_monitor(&monitor).await {
                Ok(()) => {}
                Err(e @ (StoreError::Conflict(_) | StoreError::InvalidReference { .. })) => {
                    report.skip("monitor", name, e.to_string());
                    continue;
                }
                Err(e) => return Err(e),
            }
            events.push(BusEvent::MonitorChanged { id: monitor.id.clone(), action: ChangeAction::Created });
            report.monitor_ids.push(monitor.id.clone());
        }
        for w in warnings {
            report.warn("monitor", &monitor.name, w);
        }
        if let Some(k) = kuma_id {
            monitor_ids.insert(k, monitor.id);
        }
        report.imported.monitors += 1;
    }

    // Maintenances.
    for (mt, mids) in &data.maintenances {
        let title = s(mt, "title");
        let tz = match s(mt, "timezone").as_str() {
            "" | "SAME_AS_SERVER" => {
                report.warn("maintenance", &title, "time zone \"same as server\" became UTC");
                "UTC".to_string()
            }
            other => other.to_string(),
        };
        let list = |k: &str| -> Vec<Value> {
            match mt.get(k) {
                Some(Value::String(t)) => serde_json::from_str::<Vec<Value>>(t).unwrap_or_default(),
                Some(Value::Array(a)) => a.clone(),
                _ => Vec::new(),
            }
        };
        let time_of = |k: &str| -> Option<String> {
            let t = s(mt, k);
            // Kuma 1.x stored times as JSON ({"hours":2,"minutes":0}) in older rows.
            if let Ok(v) = serde_json::from_str::<Value>(&t)
                && let (Some(h), Some(m)) =
                    (v.get("hours").and_then(Value::as_i64), v.get("minutes").and_then(Value::as_i64))
            {
                return Some(format!("{h:02}:{m:02}"));
            }
            Some(t.chars().take(5).collect::<String>()).filter(|t| !t.is_empty())
        };
        let date_of = |k: &str| Some(s(mt, k)).filter(|t| !t.trim().is_empty());
        let draft = MaintenanceDraft {
            title: title.clone(),
            description: s(mt, "description"),
            active: mt.get("active").is_none_or(|_| b(mt, "active")),
            strategy: s(mt, "strategy"),
            start_date_time: date_of("start_date"),
            end_date_time: date_of("end_date"),
            start_time: time_of("start_time"),
            end_time: time_of("end_time"),
            weekdays: list("weekdays").iter().filter_map(Value::as_i64).collect(),
            days_of_month: list("days_of_month")
                .iter()
                .map(|v| v.as_str().map(String::from).unwrap_or_else(|| v.to_string()))
                .collect(),
            interval_day: i(mt, "interval_day").map(|d| d.max(0) as u32),
            cron: Some(s(mt, "cron")).filter(|c| !c.trim().is_empty()),
            duration: i(mt, "duration").map(|d| d.max(0) as u32),
            timezone: tz,
            monitor_ids: mids.iter().filter_map(|k| monitor_ids.get(k).cloned()).collect(),
        };
        match draft.validate() {
            Err(e) => report.skip("maintenance", title, e.to_string()),
            Ok(v) => {
                let m = v.into_maintenance(new_id(), now, now);
                if write {
                    store.insert_maintenance(&m).await?;
                    events.push(BusEvent::MaintenanceChanged { id: m.id.clone(), action: ChangeAction::Created });
                }
                report.imported.maintenances += 1;
            }
        }
    }

    // Status pages, Kuma's groups as sections.
    let mut page_ids: HashMap<i64, String> = HashMap::new();
    for p in &data.status_pages {
        let r = &p.row;
        let title = s(r, "title");
        let mut icon = s(r, "icon");
        if icon == "/icon.svg" || icon.starts_with("/upload/") {
            if icon.starts_with("/upload/") {
                report.warn("status_page", &title, "its uploaded logo is not copied; the page has no icon");
            }
            icon = String::new();
        }
        if !s(r, "password").is_empty() {
            report.warn("status_page", &title, "its password is not copied; set one again");
        }
        let refresh = i(r, "auto_refresh_interval").unwrap_or(300);
        let draft = StatusPageDraft {
            slug: s(r, "slug"),
            title: title.clone(),
            description: s(r, "description"),
            icon,
            theme: match s(r, "theme").as_str() {
                "dark" => "dark".into(),
                "auto" => "auto".into(),
                _ => "light".into(),
            },
            published: r.get("published").is_none_or(|_| b(r, "published")),
            footer_text: s(r, "footer_text"),
            auto_refresh_interval: refresh,
            custom_css: s(r, "custom_css"),
            search_engine_index: b(r, "search_engine_index"),
            show_tags: b(r, "show_tags"),
            show_powered_by: r.get("show_powered_by").is_none_or(|_| b(r, "show_powered_by")),
            show_certificate_expiry: b(r, "show_certificate_expiry"),
            domains: p.domains.clone(),
            monitor_ids: Vec::new(),
            sections: p
                .groups
                .iter()
                .map(|g| SectionDraft {
                    name: g.name.clone(),
                    tag_id: None,
                    monitor_ids: g.monitor_ids.iter().filter_map(|k| monitor_ids.get(k).cloned()).collect(),
                })
                .collect(),
        };
        match draft.validate() {
            Err(e) => report.skip("status_page", title, e.to_string()),
            Ok(v) => {
                if store.status_page_by_slug(&v.slug).await?.is_some() {
                    report.skip("status_page", title, format!("slug \"{}\" is already used here", v.slug));
                    continue;
                }
                let page = StatusPage {
                    id: new_id(),
                    slug: v.slug,
                    title: v.title,
                    description: v.description,
                    icon: v.icon,
                    theme: v.theme,
                    published: v.published,
                    footer_text: v.footer_text,
                    auto_refresh_interval: u32::try_from(v.auto_refresh_interval).unwrap_or(0),
                    custom_css: v.custom_css,
                    password_hash: None,
                    search_engine_index: v.search_engine_index,
                    show_tags: v.show_tags,
                    show_powered_by: v.show_powered_by,
                    show_certificate_expiry: v.show_certificate_expiry,
                    domains: v.domains,
                    monitor_ids: v.monitor_ids,
                    sections: v
                        .sections
                        .into_iter()
                        .map(|s| StatusPageSection {
                            id: new_id(),
                            name: s.name,
                            tag_id: s.tag_id,
                            monitor_ids: s.monitor_ids,
                        })
                        .collect(),
                    created_at: now,
                    updated_at: now,
                };
                if write {
                    store.insert_status_page(&page).await?;
                    events.push(BusEvent::StatusPageChanged { id: page.id.clone(), action: ChangeAction::Created });
                }
                if let Some(k) = i(r, "id") {
                    page_ids.insert(k, page.id);
                }
                report.imported.status_pages += 1;
            }
        }
    }
    // Incidents of imported pages: Kuma shows only the pinned one; the others were
    // dismissed, so they arrive resolved.
    for inc in &data.incidents {
        let title = s(inc, "title");
        let Some(page_id) = i(inc, "status_page_id").and_then(|k| page_ids.get(&k)) else {
            report.skip("incident", title, "its status page was not imported");
            continue;
        };
        match crate::domain::status_page::validate_incident(&title, &s(inc, "style"), &s(inc, "content")) {
            Err(e) => report.skip("incident", title, e.to_string()),
            Ok((title, style, message)) => {
                let created = kuma_time(&s(inc, "created_date")).unwrap_or(now);
                let updated = kuma_time(&s(inc, "last_updated_date")).unwrap_or(created);
                let incident = crate::domain::status_page::Incident {
                    id: new_id(),
                    status_page_id: page_id.clone(),
                    title,
                    style,
                    message,
                    resolved_at: if b(inc, "pin") { None } else { Some(updated) },
                    created_at: created,
                    updated_at: updated,
                    updates: Vec::new(),
                };
                if write {
                    store.insert_incident(&incident).await?;
                }
                report.imported.incidents += 1;
            }
        }
    }

    // Heartbeat history.
    if opts.with_history {
        let mut batch = IngestBatch::default();
        for h in &data.heartbeats {
            let Some(mid) = i(h, "monitor_id").and_then(|k| monitor_ids.get(&k)) else { continue };
            let Some(time) = kuma_time(&s(h, "time")) else { continue };
            let status = match i(h, "status") {
                Some(0) => MonitorStatus::Down,
                Some(1) => MonitorStatus::Up,
                Some(3) => MonitorStatus::Maintenance,
                _ => MonitorStatus::Pending,
            };
            batch.beats.push(Heartbeat {
                monitor_id: mid.clone(),
                time,
                status,
                ping_us: h.get("ping").and_then(Value::as_f64).filter(|p| *p >= 0.0).map(|p| (p * 1000.0) as u64),
                msg: s(h, "msg"),
                important: b(h, "important"),
                notified: true,
                retries: i(h, "retries").unwrap_or(0).max(0) as u32,
                down_count: i(h, "down_count").unwrap_or(0).max(0) as u32,
                duration_ms: i(h, "duration").unwrap_or(0).max(0) * 1000,
            });
        }
        if write {
            for chunk in batch.beats.chunks(2000) {
                let part = IngestBatch { beats: chunk.to_vec(), tls: Vec::new() };
                let inserted = store.ingest(&part).await?;
                report.imported.heartbeats += inserted.iter().filter(|x| **x).count() as u64;
            }
        } else {
            report.imported.heartbeats = batch.beats.len() as u64;
        }
    }

    if let Some(bus) = bus {
        for ev in &events {
            if let Err(e) = bus.publish(ev).await {
                tracing::warn!(error = %e, "publishing an imported object failed");
            }
        }
    }
    Ok(report)
}

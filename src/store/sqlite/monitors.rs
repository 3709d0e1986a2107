//! `MonitorStore` on SQLite.

use std::collections::HashMap;

use async_trait::async_trait;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use super::{SqliteStore, WriterCtx, map_err};
use crate::domain::tag::MonitorTag;
use crate::domain::{Monitor, MonitorStatus, UnixMillis};
use crate::store::{MonitorFilter, MonitorStore, Page, StoreError, StoreResult};

const COLUMNS: &str = "seq, id, type, name, interval, timeout, max_retries, retry_interval, \
     resend_interval, active, status, config, proxy_id, push_token, created_at, updated_at, parent_id, run_started_at, depends_on, \
     notify_after_failures, notify_after_successes";

/// The columns a client writes, in the order of `row_values`.
const WRITTEN: [&str; 16] = [
    "type",
    "name",
    "interval",
    "timeout",
    "max_retries",
    "retry_interval",
    "resend_interval",
    "active",
    "status",
    "config",
    "proxy_id",
    "push_token",
    "parent_id",
    "depends_on",
    "notify_after_failures",
    "notify_after_successes",
];

fn row_values(m: &Monitor) -> Vec<Value> {
    let text = |v: &Option<String>| v.clone().map_or(Value::Null, Value::Text);
    vec![
        Value::Text(m.kind.clone()),
        Value::Text(m.name.clone()),
        Value::Integer(m.interval.into()),
        Value::Integer(m.timeout.into()),
        Value::Integer(m.max_retries.into()),
        Value::Integer(m.retry_interval.into()),
        Value::Integer(m.resend_interval.into()),
        Value::Integer(m.active.into()),
        Value::Integer(m.status.as_u8().into()),
        Value::Text(m.config.clone()),
        text(&m.proxy_id),
        text(&m.push_token),
        text(&m.parent_id),
        text(&m.depends_on),
        Value::Integer(m.notify_after_failures.into()),
        Value::Integer(m.notify_after_successes.into()),
    ]
}

fn row_to_monitor(r: &Row<'_>) -> rusqlite::Result<(i64, Monitor)> {
    let status: u8 = r.get(10)?;
    Ok((
        r.get(0)?,
        Monitor {
            id: r.get(1)?,
            kind: r.get(2)?,
            name: r.get(3)?,
            interval: r.get(4)?,
            timeout: r.get(5)?,
            max_retries: r.get(6)?,
            retry_interval: r.get(7)?,
            resend_interval: r.get(8)?,
            active: r.get(9)?,
            status: MonitorStatus::from_u8(status).unwrap_or(MonitorStatus::Pending),
            config: r.get(11)?,
            proxy_id: r.get(12)?,
            push_token: r.get(13)?,
            notification_ids: Vec::new(),
            tag_ids: Vec::new(),
            tags: Vec::new(),
            created_at: r.get(14)?,
            updated_at: r.get(15)?,
            parent_id: r.get(16)?,
            run_started_at: r.get(17)?,
            depends_on: r.get(18)?,
            notify_after_failures: r.get(19)?,
            notify_after_successes: r.get(20)?,
        },
    ))
}

/// Fills in notification and tag links for a set of monitors (two queries, not 2×N).
fn attach_links(conn: &Connection, monitors: &mut [Monitor]) -> StoreResult<()> {
    if monitors.is_empty() {
        return Ok(());
    }
    let index: HashMap<String, usize> = monitors.iter().enumerate().map(|(i, m)| (m.id.clone(), i)).collect();
    // Beyond a few hundred monitors, reading every link is cheaper than a huge IN list
    // (and stays under SQLite's bound-parameter limit).
    let ids: Vec<Value> =
        if monitors.len() > 500 { Vec::new() } else { monitors.iter().map(|m| Value::Text(m.id.clone())).collect() };
    let filter =
        if ids.is_empty() { String::new() } else { format!("WHERE monitor_id IN ({})", placeholders(ids.len())) };
    {
        let sql = format!("SELECT monitor_id, notification_id FROM monitor_notifications {filter}");
        let mut stmt = conn.prepare(&sql).map_err(map_err)?;
        let mut rows = stmt.query(params_from_iter(ids.iter())).map_err(map_err)?;
        while let Some(r) = rows.next().map_err(map_err)? {
            let mid: String = r.get(0).map_err(map_err)?;
            let other: String = r.get(1).map_err(map_err)?;
            if let Some(&i) = index.get(&mid)
                && !monitors[i].notification_ids.contains(&other)
            {
                monitors[i].notification_ids.push(other);
            }
        }
    }
    let sql = format!("SELECT monitor_id, tag_id, value FROM monitor_tags {filter}");
    let mut stmt = conn.prepare(&sql).map_err(map_err)?;
    let mut rows = stmt.query(params_from_iter(ids.iter())).map_err(map_err)?;
    while let Some(r) = rows.next().map_err(map_err)? {
        let mid: String = r.get(0).map_err(map_err)?;
        let tag_id: String = r.get(1).map_err(map_err)?;
        let value: String = r.get(2).map_err(map_err)?;
        if let Some(&i) = index.get(&mid) {
            let m = &mut monitors[i];
            if !m.tag_ids.contains(&tag_id) {
                m.tag_ids.push(tag_id.clone());
            }
            m.tags.push(MonitorTag { tag_id, value });
        }
    }
    Ok(())
}

pub(crate) fn placeholders(n: usize) -> String {
    vec!["?"; n].join(",")
}

/// Checks that every referenced row exists, naming the field that refers to a missing one.
fn check_references(conn: &Connection, m: &Monitor) -> StoreResult<()> {
    let exists = |table: &str, id: &str| -> StoreResult<bool> {
        conn.prepare_cached(&format!("SELECT 1 FROM {table} WHERE id = ?1"))
            .map_err(map_err)?
            .query_row([id], |_| Ok(()))
            .optional()
            .map(|o| o.is_some())
            .map_err(map_err)
    };
    for id in &m.notification_ids {
        if !exists("notification_channels", id)? {
            return Err(StoreError::InvalidReference {
                field: "notification_ids".into(),
                message: format!("no notification channel has id \"{id}\""),
            });
        }
    }
    // Ids in `tags` are reported as `tags`, the rest of `tag_ids` as `tag_ids`.
    let bare = m.tag_ids.iter().filter(|id| !m.tags.iter().any(|t| &t.tag_id == *id));
    for (field, id) in m.tags.iter().map(|t| ("tags", &t.tag_id)).chain(bare.map(|t| ("tag_ids", t))) {
        if !exists("tags", id)? {
            return Err(StoreError::InvalidReference {
                field: field.into(),
                message: format!("no tag has id \"{id}\""),
            });
        }
    }
    if let Some(p) = &m.proxy_id
        && !exists("proxies", p)?
    {
        return Err(StoreError::InvalidReference {
            field: "proxy_id".into(),
            message: format!("no proxy has id \"{p}\""),
        });
    }
    if let Some(parent) = &m.parent_id {
        check_parent(conn, &m.id, parent)?;
    }
    if let Some(dep) = &m.depends_on {
        check_dependency(conn, &m.id, dep)?;
    }
    if let Some(t) = &m.push_token {
        let other: Option<String> = conn
            .prepare_cached("SELECT id FROM monitors WHERE push_token = ?1")
            .map_err(map_err)?
            .query_row([t], |r| r.get(0))
            .optional()
            .map_err(map_err)?;
        if other.is_some_and(|o| o != m.id) {
            return Err(StoreError::Conflict("push_token: another monitor uses this push token".into()));
        }
    }
    Ok(())
}

/// A parent must exist, be a `group`, and not be the monitor itself or one of its
/// descendants (no cycles).
fn check_parent(conn: &Connection, id: &str, parent: &str) -> StoreResult<()> {
    let bad = |message: String| StoreError::InvalidReference { field: "parent_id".into(), message };
    let mut current = parent.to_string();
    for depth in 0..64 {
        if current == id {
            return Err(bad("a monitor cannot be inside itself".into()));
        }
        let row: Option<(String, Option<String>)> = conn
            .prepare_cached("SELECT type, parent_id FROM monitors WHERE id = ?1")
            .map_err(map_err)?
            .query_row([&current], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .map_err(map_err)?;
        match row {
            None if depth == 0 => return Err(bad(format!("no monitor has id \"{parent}\""))),
            None => return Ok(()),
            Some((kind, _)) if depth == 0 && kind != "group" => {
                return Err(bad(format!("\"{parent}\" is a {kind} monitor, not a group")));
            }
            Some((_, None)) => return Ok(()),
            Some((_, Some(up))) => current = up,
        }
    }
    Err(bad("groups are nested too deeply".into()))
}

/// A dependency must exist and not lead back to the monitor (A behind B behind A would
/// fold both alerts away).
fn check_dependency(conn: &Connection, id: &str, dep: &str) -> StoreResult<()> {
    let bad = |message: String| StoreError::InvalidReference { field: "depends_on".into(), message };
    let mut current = dep.to_string();
    for depth in 0..64 {
        if current == id {
            return Err(bad(if depth == 0 {
                "a monitor cannot depend on itself".into()
            } else {
                format!("\"{dep}\" depends on this monitor (directly or through others)")
            }));
        }
        let next: Option<Option<String>> = conn
            .prepare_cached("SELECT depends_on FROM monitors WHERE id = ?1")
            .map_err(map_err)?
            .query_row([&current], |r| r.get(0))
            .optional()
            .map_err(map_err)?;
        match next {
            None if depth == 0 => return Err(bad(format!("no monitor has id \"{dep}\""))),
            None | Some(None) => return Ok(()),
            Some(Some(up)) => current = up,
        }
    }
    Err(bad("the chain of dependencies is too long".into()))
}

fn write_links(conn: &Connection, m: &Monitor) -> StoreResult<()> {
    conn.execute("DELETE FROM monitor_notifications WHERE monitor_id = ?1", [&m.id]).map_err(map_err)?;
    conn.execute("DELETE FROM monitor_tags WHERE monitor_id = ?1", [&m.id]).map_err(map_err)?;
    for n in &m.notification_ids {
        conn.execute(
            "INSERT OR IGNORE INTO monitor_notifications (monitor_id, notification_id) VALUES (?1, ?2)",
            params![m.id, n],
        )
        .map_err(map_err)?;
    }
    let bare = m.tag_ids.iter().filter(|id| !m.tags.iter().any(|t| &t.tag_id == *id)).map(|id| (id, ""));
    for (tag_id, value) in m.tags.iter().map(|t| (&t.tag_id, t.value.as_str())).chain(bare) {
        conn.execute(
            "INSERT OR IGNORE INTO monitor_tags (monitor_id, tag_id, value) VALUES (?1, ?2, ?3)",
            params![m.id, tag_id, value],
        )
        .map_err(map_err)?;
    }
    Ok(())
}

fn load_by_ids(conn: &Connection, ids: &[String]) -> StoreResult<Vec<Monitor>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT {COLUMNS} FROM monitors WHERE id IN ({})", placeholders(ids.len()));
    let mut stmt = conn.prepare(&sql).map_err(map_err)?;
    let mut out: Vec<Monitor> = stmt
        .query_map(params_from_iter(ids.iter()), row_to_monitor)
        .map_err(map_err)?
        .map(|r| r.map(|(_, m)| m))
        .collect::<Result<_, _>>()
        .map_err(map_err)?;
    attach_links(conn, &mut out)?;
    // Keep the caller's order.
    let pos: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
    out.sort_by_key(|m| pos.get(m.id.as_str()).copied().unwrap_or(usize::MAX));
    Ok(out)
}

/// Deletes a monitor's heartbeats and rollups (rows keyed by the compact key).
pub(crate) fn delete_monitor_data(ctx: &mut WriterCtx, seq: i64) -> StoreResult<()> {
    for table in ["heartbeats", "stat_minutely", "stat_hourly", "stat_daily"] {
        ctx.conn.execute(&format!("DELETE FROM {table} WHERE monitor = ?1"), [seq]).map_err(map_err)?;
    }
    ctx.msg_slots.remove(&seq);
    Ok(())
}

#[async_trait]
impl MonitorStore for SqliteStore {
    async fn insert_monitor(&self, monitor: &Monitor) -> StoreResult<()> {
        let m = monitor.clone();
        self.write(move |ctx| {
            check_references(&ctx.conn, &m)?;
            let sql = format!(
                "INSERT INTO monitors (id, {}, created_at, updated_at) VALUES ({})",
                WRITTEN.join(", "),
                placeholders(WRITTEN.len() + 3)
            );
            let mut values = vec![Value::Text(m.id.clone())];
            values.extend(row_values(&m));
            values.extend([Value::Integer(m.created_at), Value::Integer(m.updated_at)]);
            ctx.conn.execute(&sql, params_from_iter(values)).map_err(map_err)?;
            write_links(&ctx.conn, &m)
        })
        .await
    }

    async fn update_monitor(&self, monitor: &Monitor) -> StoreResult<()> {
        let m = monitor.clone();
        self.write(move |ctx| {
            check_references(&ctx.conn, &m)?;
            let sets: Vec<String> = WRITTEN.iter().map(|c| format!("{c} = ?")).collect();
            let sql = format!("UPDATE monitors SET {}, updated_at = ? WHERE id = ?", sets.join(", "));
            let mut values = row_values(&m);
            values.extend([Value::Integer(m.updated_at), Value::Text(m.id.clone())]);
            let n = ctx.conn.execute(&sql, params_from_iter(values)).map_err(map_err)?;
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            write_links(&ctx.conn, &m)
        })
        .await
    }

    async fn delete_monitor(&self, id: &str) -> StoreResult<bool> {
        let id = id.to_string();
        self.write(move |ctx| {
            let seq: Option<i64> = ctx
                .conn
                .query_row("SELECT seq FROM monitors WHERE id = ?1", [&id], |r| r.get(0))
                .optional()
                .map_err(map_err)?;
            let Some(seq) = seq else { return Ok(false) };
            delete_monitor_data(ctx, seq)?;
            ctx.conn.execute("DELETE FROM monitors WHERE seq = ?1", [seq]).map_err(map_err)?;
            ctx.conn.execute("UPDATE monitors SET depends_on = NULL WHERE depends_on = ?1", [&id]).map_err(map_err)?;
            if let Ok(mut k) = ctx.keys.write() {
                k.remove(&id);
            }
            Ok(true)
        })
        .await
    }

    async fn monitor(&self, id: &str) -> StoreResult<Option<Monitor>> {
        let id = id.to_string();
        self.read(move |c, _| Ok(load_by_ids(c, &[id])?.pop())).await
    }

    async fn monitors_by_ids(&self, ids: &[String]) -> StoreResult<Vec<Monitor>> {
        let ids = ids.to_vec();
        self.read(move |c, _| load_by_ids(c, &ids)).await
    }

    async fn list_monitors(&self, filter: &MonitorFilter) -> StoreResult<Page<Monitor>> {
        let f = filter.clone();
        self.read(move |c, _| {
            let mut clauses: Vec<String> = Vec::new();
            let mut args: Vec<Value> = Vec::new();
            if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
                let pattern = format!("%{}%", q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
                clauses.push(
                    "(name LIKE ? ESCAPE '\\' OR json_extract(config, '$.url') LIKE ? ESCAPE '\\' \
                     OR json_extract(config, '$.host') LIKE ? ESCAPE '\\')"
                        .into(),
                );
                for _ in 0..3 {
                    args.push(Value::Text(pattern.clone()));
                }
            }
            if let Some(a) = f.active {
                clauses.push("active = ?".into());
                args.push(Value::Integer(i64::from(a)));
            }
            if let Some(s) = f.status {
                clauses.push("status = ?".into());
                args.push(Value::Integer(i64::from(s.as_u8())));
            }
            if let Some(k) = &f.kind {
                clauses.push("type = ?".into());
                args.push(Value::Text(k.clone()));
            }
            if !f.tag_ids.is_empty() {
                clauses.push(format!(
                    "id IN (SELECT monitor_id FROM monitor_tags WHERE tag_id IN ({}))",
                    placeholders(f.tag_ids.len())
                ));
                args.extend(f.tag_ids.iter().map(|t| Value::Text(t.clone())));
            }
            let where_sql = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
            let total: i64 = c
                .query_row(&format!("SELECT count(*) FROM monitors {where_sql}"), params_from_iter(args.iter()), |r| {
                    r.get(0)
                })
                .map_err(map_err)?;
            let limit = f.limit.clamp(1, 1000);
            let sql = format!(
                "SELECT {COLUMNS} FROM monitors {where_sql} ORDER BY name COLLATE NOCASE, seq LIMIT {limit} OFFSET {}",
                u64::from(f.page) * u64::from(limit)
            );
            let mut stmt = c.prepare(&sql).map_err(map_err)?;
            let mut items: Vec<Monitor> = stmt
                .query_map(params_from_iter(args.iter()), row_to_monitor)
                .map_err(map_err)?
                .map(|r| r.map(|(_, m)| m))
                .collect::<Result<_, _>>()
                .map_err(map_err)?;
            attach_links(c, &mut items)?;
            Ok(Page { items, total: total as u64 })
        })
        .await
    }

    async fn active_monitors(&self) -> StoreResult<Vec<Monitor>> {
        self.read(|c, _| {
            let mut stmt =
                c.prepare(&format!("SELECT {COLUMNS} FROM monitors WHERE active = 1 ORDER BY seq")).map_err(map_err)?;
            let mut out: Vec<Monitor> = stmt
                .query_map([], row_to_monitor)
                .map_err(map_err)?
                .map(|r| r.map(|(_, m)| m))
                .collect::<Result<_, _>>()
                .map_err(map_err)?;
            attach_links(c, &mut out)?;
            Ok(out)
        })
        .await
    }

    async fn set_run_started(&self, id: &str, at: Option<UnixMillis>) -> StoreResult<()> {
        let id = id.to_string();
        self.write(move |ctx| {
            let n = ctx
                .conn
                .execute("UPDATE monitors SET run_started_at = ?2 WHERE id = ?1", params![id, at])
                .map_err(map_err)?;
            if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
        })
        .await
    }

    async fn dependents(&self, id: &str) -> StoreResult<Vec<Monitor>> {
        let id = id.to_string();
        self.read(move |c, _| {
            let mut stmt = c
                .prepare_cached(&format!("SELECT {COLUMNS} FROM monitors WHERE depends_on = ?1 ORDER BY seq"))
                .map_err(map_err)?;
            let rows = stmt
                .query_map([&id], row_to_monitor)
                .map_err(map_err)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(map_err)?;
            Ok(rows.into_iter().map(|(_, m)| m).collect())
        })
        .await
    }

    async fn children(&self, parent_id: &str) -> StoreResult<Vec<Monitor>> {
        let parent = parent_id.to_string();
        self.read(move |c, _| {
            let mut stmt = c
                .prepare_cached(&format!("SELECT {COLUMNS} FROM monitors WHERE parent_id = ?1 ORDER BY seq"))
                .map_err(map_err)?;
            let out = stmt
                .query_map([&parent], row_to_monitor)
                .map_err(map_err)?
                .map(|r| r.map(|(_, m)| m))
                .collect::<Result<Vec<_>, _>>()
                .map_err(map_err)?;
            Ok(out)
        })
        .await
    }

    async fn monitor_by_push_token(&self, token: &str) -> StoreResult<Option<Monitor>> {
        let token = token.to_string();
        self.read(move |c, _| {
            let id: Option<String> = c
                .prepare_cached("SELECT id FROM monitors WHERE push_token = ?1")
                .map_err(map_err)?
                .query_row([&token], |r| r.get(0))
                .optional()
                .map_err(map_err)?;
            match id {
                Some(id) => Ok(load_by_ids(c, &[id])?.pop()),
                None => Ok(None),
            }
        })
        .await
    }
}

//! `MaintenanceStore` on SQLite. Weekdays and days of the month are JSON arrays in text
//! columns, as Peekaping stores them (`"lastDay1"` entries included); local date-times
//! and times are text in Peekaping's `YYYY-MM-DDTHH:mm` and `HH:mm` forms.

use std::collections::HashMap;

use async_trait::async_trait;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use super::monitors::placeholders;
use super::tags::like_pattern;
use super::{SqliteStore, map_err};
use crate::domain::maintenance::{Maintenance, MonthDay, Strategy, format_local_date_time, format_time, parse_time};
use crate::store::{MaintenanceFilter, MaintenanceStore, Page, StoreError, StoreResult};

const COLUMNS: &str = "id, title, description, active, strategy, start_date_time, end_date_time, start_time, \
     end_time, weekdays, days_of_month, interval_day, cron, duration, timezone, created_at, updated_at";

fn row_to_maintenance(r: &Row<'_>) -> rusqlite::Result<Maintenance> {
    let strategy: String = r.get(4)?;
    let local = |i: usize| -> rusqlite::Result<Option<chrono::NaiveDateTime>> {
        Ok(r.get::<_, Option<String>>(i)?
            .and_then(|s| chrono::NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M").ok()))
    };
    let time = |i: usize| -> rusqlite::Result<Option<chrono::NaiveTime>> {
        Ok(r.get::<_, Option<String>>(i)?.and_then(|s| parse_time(&s)))
    };
    let weekdays: Vec<u8> =
        r.get::<_, Option<String>>(9)?.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default();
    let days: Vec<serde_json::Value> =
        r.get::<_, Option<String>>(10)?.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default();
    Ok(Maintenance {
        id: r.get(0)?,
        title: r.get(1)?,
        description: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
        active: r.get(3)?,
        // Rows are validated on write; an unknown strategy was edited in by hand and is
        // read as manual (on while active), the safe side for a maintenance.
        strategy: Strategy::parse(&strategy).unwrap_or(Strategy::Manual),
        start_date_time: local(5)?,
        end_date_time: local(6)?,
        start_time: time(7)?,
        end_time: time(8)?,
        weekdays,
        days_of_month: days
            .iter()
            .filter_map(|d| match d {
                serde_json::Value::String(s) => MonthDay::parse(s),
                other => MonthDay::parse(&other.to_string()),
            })
            .collect(),
        interval_day: r.get(11)?,
        cron: r.get(12)?,
        duration: r.get(13)?,
        timezone: r.get(14)?,
        monitor_ids: Vec::new(),
        created_at: r.get(15)?,
        updated_at: r.get(16)?,
    })
}

fn row_values(m: &Maintenance) -> Vec<Value> {
    let opt = |v: Option<String>| v.map_or(Value::Null, Value::Text);
    let days: Vec<serde_json::Value> = m.days_of_month.iter().map(|d| d.to_json()).collect();
    vec![
        Value::Text(m.id.clone()),
        Value::Text(m.title.clone()),
        Value::Text(m.description.clone()),
        Value::Integer(m.active.into()),
        Value::Text(m.strategy.as_str().into()),
        opt(m.start_date_time.map(format_local_date_time)),
        opt(m.end_date_time.map(format_local_date_time)),
        opt(m.start_time.map(format_time)),
        opt(m.end_time.map(format_time)),
        Value::Text(serde_json::to_string(&m.weekdays).unwrap_or_else(|_| "[]".into())),
        Value::Text(serde_json::Value::from(days).to_string()),
        m.interval_day.map_or(Value::Null, |v| Value::Integer(v.into())),
        opt(m.cron.clone()),
        m.duration.map_or(Value::Null, |v| Value::Integer(v.into())),
        Value::Text(m.timezone.clone()),
        Value::Integer(m.created_at),
        Value::Integer(m.updated_at),
    ]
}

fn write_links(conn: &Connection, m: &Maintenance) -> StoreResult<()> {
    conn.execute("DELETE FROM monitor_maintenances WHERE maintenance_id = ?1", [&m.id]).map_err(map_err)?;
    for mid in &m.monitor_ids {
        let exists = conn
            .prepare_cached("SELECT 1 FROM monitors WHERE id = ?1")
            .map_err(map_err)?
            .query_row([mid], |_| Ok(()))
            .optional()
            .map_err(map_err)?
            .is_some();
        if !exists {
            return Err(StoreError::InvalidReference {
                field: "monitor_ids".into(),
                message: format!("no monitor has id \"{mid}\""),
            });
        }
        conn.execute(
            "INSERT OR IGNORE INTO monitor_maintenances (monitor_id, maintenance_id) VALUES (?1, ?2)",
            params![mid, m.id],
        )
        .map_err(map_err)?;
    }
    Ok(())
}

/// Fills in the monitor ids of each maintenance (one query).
fn attach_monitors(conn: &Connection, items: &mut [Maintenance]) -> StoreResult<()> {
    if items.is_empty() {
        return Ok(());
    }
    let index: HashMap<String, usize> = items.iter().enumerate().map(|(i, m)| (m.id.clone(), i)).collect();
    let ids: Vec<Value> = items.iter().map(|m| Value::Text(m.id.clone())).collect();
    for chunk in ids.chunks(500) {
        let mut stmt = conn
            .prepare(&format!(
                "SELECT maintenance_id, monitor_id FROM monitor_maintenances WHERE maintenance_id IN ({})
                 ORDER BY monitor_id",
                placeholders(chunk.len())
            ))
            .map_err(map_err)?;
        let mut rows = stmt.query(params_from_iter(chunk.iter())).map_err(map_err)?;
        while let Some(r) = rows.next().map_err(map_err)? {
            let maintenance: String = r.get(0).map_err(map_err)?;
            let monitor: String = r.get(1).map_err(map_err)?;
            if let Some(&i) = index.get(&maintenance) {
                items[i].monitor_ids.push(monitor);
            }
        }
    }
    Ok(())
}

#[async_trait]
impl MaintenanceStore for SqliteStore {
    async fn insert_maintenance(&self, m: &Maintenance) -> StoreResult<()> {
        let m = m.clone();
        self.write(move |ctx| {
            ctx.conn
                .execute(
                    &format!("INSERT INTO maintenances ({COLUMNS}) VALUES ({})", placeholders(17)),
                    params_from_iter(row_values(&m)),
                )
                .map_err(map_err)?;
            write_links(&ctx.conn, &m)
        })
        .await
    }

    async fn update_maintenance(&self, m: &Maintenance) -> StoreResult<()> {
        let m = m.clone();
        self.write(move |ctx| {
            let sets: Vec<String> =
                COLUMNS.split(", ").skip(1).filter(|c| *c != "created_at").map(|c| format!("{c} = ?")).collect();
            let mut values = row_values(&m);
            values.remove(15); // created_at stays
            let id = values.remove(0);
            values.push(id);
            let n = ctx
                .conn
                .execute(&format!("UPDATE maintenances SET {} WHERE id = ?", sets.join(", ")), params_from_iter(values))
                .map_err(map_err)?;
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            write_links(&ctx.conn, &m)
        })
        .await
    }

    async fn delete_maintenance(&self, id: &str) -> StoreResult<bool> {
        let id = id.to_string();
        self.write(move |ctx| {
            ctx.conn.execute("DELETE FROM monitor_maintenances WHERE maintenance_id = ?1", [&id]).map_err(map_err)?;
            ctx.conn.execute("DELETE FROM maintenances WHERE id = ?1", [&id]).map(|n| n > 0).map_err(map_err)
        })
        .await
    }

    async fn maintenance(&self, id: &str) -> StoreResult<Option<Maintenance>> {
        let id = id.to_string();
        self.read(move |c, _| {
            let m = c
                .query_row(&format!("SELECT {COLUMNS} FROM maintenances WHERE id = ?1"), [&id], row_to_maintenance)
                .optional()
                .map_err(map_err)?;
            let mut items: Vec<Maintenance> = m.into_iter().collect();
            attach_monitors(c, &mut items)?;
            Ok(items.pop())
        })
        .await
    }

    async fn list_maintenances(&self, filter: &MaintenanceFilter) -> StoreResult<Page<Maintenance>> {
        let f = filter.clone();
        self.read(move |c, _| {
            let mut clauses: Vec<&str> = Vec::new();
            let mut args: Vec<String> = Vec::new();
            if let Some(p) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(like_pattern) {
                clauses.push("(title LIKE ? ESCAPE '\\' OR description LIKE ? ESCAPE '\\')");
                args.extend([p.clone(), p]);
            }
            if let Some(s) = f.strategy {
                clauses.push("strategy = ?");
                args.push(s.as_str().into());
            }
            let cond = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
            let total: i64 = c
                .query_row(&format!("SELECT count(*) FROM maintenances {cond}"), params_from_iter(&args), |r| r.get(0))
                .map_err(map_err)?;
            let limit = f.limit.clamp(1, 1000);
            let offset = u64::from(f.page) * u64::from(limit);
            let mut stmt = c
                .prepare(&format!(
                    "SELECT {COLUMNS} FROM maintenances {cond} ORDER BY created_at DESC, id DESC
                     LIMIT {limit} OFFSET {offset}"
                ))
                .map_err(map_err)?;
            let mut items = stmt
                .query_map(params_from_iter(&args), row_to_maintenance)
                .map_err(map_err)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(map_err)?;
            attach_monitors(c, &mut items)?;
            Ok(Page { items, total: total as u64 })
        })
        .await
    }

    async fn active_maintenances(&self) -> StoreResult<Vec<Maintenance>> {
        self.read(|c, _| {
            let mut stmt = c
                .prepare(&format!(
                    "SELECT {COLUMNS} FROM maintenances WHERE active = 1
                     AND EXISTS (SELECT 1 FROM monitor_maintenances l WHERE l.maintenance_id = maintenances.id)"
                ))
                .map_err(map_err)?;
            let mut items = stmt
                .query_map([], row_to_maintenance)
                .map_err(map_err)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(map_err)?;
            attach_monitors(c, &mut items)?;
            Ok(items)
        })
        .await
    }

    async fn active_maintenances_of(&self, monitor_ids: &[String]) -> StoreResult<Vec<Maintenance>> {
        if monitor_ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<Value> = monitor_ids.iter().take(500).map(|i| Value::Text(i.clone())).collect();
        self.read(move |c, _| {
            let mut stmt = c
                .prepare(&format!(
                    "SELECT {COLUMNS} FROM maintenances WHERE active = 1 AND id IN
                     (SELECT maintenance_id FROM monitor_maintenances WHERE monitor_id IN ({}))",
                    placeholders(ids.len())
                ))
                .map_err(map_err)?;
            let mut items = stmt
                .query_map(params_from_iter(ids.iter()), row_to_maintenance)
                .map_err(map_err)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(map_err)?;
            attach_monitors(c, &mut items)?;
            Ok(items)
        })
        .await
    }

    async fn set_maintenance_active(&self, id: &str, active: bool, at: i64) -> StoreResult<bool> {
        let id = id.to_string();
        self.write(move |ctx| {
            ctx.conn
                .execute("UPDATE maintenances SET active = ?2, updated_at = ?3 WHERE id = ?1", params![id, active, at])
                .map(|n| n > 0)
                .map_err(map_err)
        })
        .await
    }
}

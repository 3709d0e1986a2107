//! `NotificationStore` on SQLite.

use std::collections::HashMap;

use async_trait::async_trait;
use rusqlite::{OptionalExtension, Row, params};

use super::{SqliteStore, map_err};
use crate::domain::UnixMillis;
use crate::domain::notification::{DeliveryAttempt, DeliveryOutcome, NotificationChannel};
use crate::store::notifications::{ChannelFilter, NotificationStore};
use crate::store::{Page, StoreError, StoreResult};

const COLUMNS: &str = "id, name, type, active, is_default, config, created_at, updated_at";

fn row_to_channel(r: &Row<'_>) -> rusqlite::Result<NotificationChannel> {
    Ok(NotificationChannel {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: r.get(2)?,
        active: r.get(3)?,
        is_default: r.get(4)?,
        config: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
    })
}

fn row_to_attempt(r: &Row<'_>) -> rusqlite::Result<DeliveryAttempt> {
    let outcome: String = r.get(5)?;
    Ok(DeliveryAttempt {
        id: r.get(0)?,
        dedup_key: r.get(1)?,
        channel_id: r.get(2)?,
        monitor_id: r.get(3)?,
        attempt: r.get(4)?,
        outcome: DeliveryOutcome::parse(&outcome),
        error: r.get(6)?,
        created_at: r.get(7)?,
    })
}

/// `%`, `_` and `\` matched literally in a LIKE pattern (with `ESCAPE '\'`).
fn like_pattern(q: &str) -> String {
    let escaped = q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

#[async_trait]
impl NotificationStore for SqliteStore {
    async fn insert_channel(&self, channel: &NotificationChannel) -> StoreResult<()> {
        let c = channel.clone();
        self.write(move |ctx| {
            ctx.conn
                .execute(
                    &format!("INSERT INTO notification_channels ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
                    params![c.id, c.name, c.kind, c.active, c.is_default, c.config, c.created_at, c.updated_at],
                )
                .map_err(map_err)?;
            Ok(())
        })
        .await
    }

    async fn update_channel(&self, channel: &NotificationChannel) -> StoreResult<()> {
        let c = channel.clone();
        self.write(move |ctx| {
            let n = ctx
                .conn
                .execute(
                    "UPDATE notification_channels SET name = ?2, type = ?3, active = ?4, is_default = ?5,
                        config = ?6, updated_at = ?7 WHERE id = ?1",
                    params![c.id, c.name, c.kind, c.active, c.is_default, c.config, c.updated_at],
                )
                .map_err(map_err)?;
            if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
        })
        .await
    }

    async fn delete_channel(&self, id: &str) -> StoreResult<bool> {
        let id = id.to_string();
        self.write(move |ctx| {
            let n = ctx.conn.execute("DELETE FROM notification_channels WHERE id = ?1", [&id]).map_err(map_err)?;
            Ok(n > 0)
        })
        .await
    }

    async fn channel(&self, id: &str) -> StoreResult<Option<NotificationChannel>> {
        let id = id.to_string();
        self.read(move |c, _| {
            c.query_row(&format!("SELECT {COLUMNS} FROM notification_channels WHERE id = ?1"), [&id], row_to_channel)
                .optional()
                .map_err(map_err)
        })
        .await
    }

    async fn list_channels(&self, filter: &ChannelFilter) -> StoreResult<Page<NotificationChannel>> {
        let f = filter.clone();
        self.read(move |c, _| {
            let pattern = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(like_pattern);
            let (cond, args): (&str, Vec<String>) = match pattern {
                Some(p) => ("WHERE name LIKE ?1 ESCAPE '\\'", vec![p]),
                None => ("", vec![]),
            };
            let total: i64 = c
                .query_row(
                    &format!("SELECT count(*) FROM notification_channels {cond}"),
                    rusqlite::params_from_iter(&args),
                    |r| r.get(0),
                )
                .map_err(map_err)?;
            let limit = f.limit.max(1);
            let offset = u64::from(f.page) * u64::from(limit);
            let mut stmt = c
                .prepare(&format!(
                    "SELECT {COLUMNS} FROM notification_channels {cond} ORDER BY name COLLATE NOCASE, id
                     LIMIT {limit} OFFSET {offset}"
                ))
                .map_err(map_err)?;
            let items = stmt
                .query_map(rusqlite::params_from_iter(&args), row_to_channel)
                .map_err(map_err)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(map_err)?;
            Ok(Page { items, total: total as u64 })
        })
        .await
    }

    async fn default_channel_ids(&self) -> StoreResult<Vec<String>> {
        self.read(|c, _| {
            let mut stmt = c
                .prepare("SELECT id FROM notification_channels WHERE is_default = 1 ORDER BY created_at, id")
                .map_err(map_err)?;
            stmt.query_map([], |r| r.get(0))
                .map_err(map_err)?
                .collect::<rusqlite::Result<Vec<String>>>()
                .map_err(map_err)
        })
        .await
    }

    async fn link_channel_to_all_monitors(&self, channel_id: &str) -> StoreResult<u64> {
        let id = channel_id.to_string();
        self.write(move |ctx| {
            let n = ctx
                .conn
                .execute(
                    "INSERT OR IGNORE INTO monitor_notifications (monitor_id, notification_id)
                     SELECT id, ?1 FROM monitors",
                    [&id],
                )
                .map_err(map_err)?;
            Ok(n as u64)
        })
        .await
    }

    async fn record_delivery(&self, attempt: &DeliveryAttempt) -> StoreResult<()> {
        let a = attempt.clone();
        self.write(move |ctx| {
            ctx.conn
                .execute(
                    "INSERT INTO notification_deliveries
                        (id, dedup_key, notification_id, monitor_id, attempt, status, error, created_at)
                     SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8
                     WHERE EXISTS (SELECT 1 FROM notification_channels WHERE id = ?3)
                       AND (?4 IS NULL OR EXISTS (SELECT 1 FROM monitors WHERE id = ?4))",
                    params![
                        a.id,
                        a.dedup_key,
                        a.channel_id,
                        a.monitor_id,
                        a.attempt,
                        a.outcome.as_str(),
                        a.error,
                        a.created_at
                    ],
                )
                .map_err(map_err)?;
            Ok(())
        })
        .await
    }

    async fn delivered(&self, dedup_key: &str) -> StoreResult<bool> {
        let key = dedup_key.to_string();
        self.read(move |c, _| {
            c.query_row(
                "SELECT EXISTS (SELECT 1 FROM notification_deliveries WHERE dedup_key = ?1 AND status = 'sent')",
                [&key],
                |r| r.get(0),
            )
            .map_err(map_err)
        })
        .await
    }

    async fn deliveries(&self, channel_id: &str, limit: u32) -> StoreResult<Vec<DeliveryAttempt>> {
        let id = channel_id.to_string();
        self.read(move |c, _| {
            let mut stmt = c
                .prepare(
                    "SELECT id, dedup_key, notification_id, monitor_id, attempt, status, error, created_at
                     FROM notification_deliveries WHERE notification_id = ?1
                     ORDER BY created_at DESC, rowid DESC LIMIT ?2",
                )
                .map_err(map_err)?;
            stmt.query_map(params![id, limit.max(1)], row_to_attempt)
                .map_err(map_err)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(map_err)
        })
        .await
    }

    async fn latest_deliveries(&self, channel_ids: &[String]) -> StoreResult<HashMap<String, DeliveryAttempt>> {
        if channel_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let ids = channel_ids.to_vec();
        self.read(move |c, _| {
            let marks = vec!["?"; ids.len()].join(", ");
            let mut stmt = c
                .prepare(&format!(
                    "SELECT id, dedup_key, notification_id, monitor_id, attempt, status, error, created_at FROM (
                        SELECT *, row_number() OVER (PARTITION BY notification_id
                                                     ORDER BY created_at DESC, rowid DESC) AS n
                        FROM notification_deliveries WHERE notification_id IN ({marks})
                     ) WHERE n = 1"
                ))
                .map_err(map_err)?;
            let rows = stmt
                .query_map(rusqlite::params_from_iter(&ids), row_to_attempt)
                .map_err(map_err)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(map_err)?;
            Ok(rows.into_iter().map(|a| (a.channel_id.clone(), a)).collect())
        })
        .await
    }

    async fn claim_cert_notice(
        &self,
        monitor_id: &str,
        fingerprint: &str,
        days: i64,
        at: UnixMillis,
    ) -> StoreResult<bool> {
        let (m, f) = (monitor_id.to_string(), fingerprint.to_string());
        self.write(move |ctx| {
            let n = ctx
                .conn
                .execute(
                    "INSERT OR IGNORE INTO notification_sent_history (type, monitor_id, days, fingerprint, created_at)
                     SELECT 'certificate', ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM monitors WHERE id = ?1)",
                    params![m, days, f, at],
                )
                .map_err(map_err)?;
            Ok(n > 0)
        })
        .await
    }
}

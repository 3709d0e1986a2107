//! `TagStore` on SQLite. Names are unique case-insensitively (`COLLATE NOCASE` in the
//! schema); the conflict is reported naming `name`.

use async_trait::async_trait;
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, params, params_from_iter};

use super::monitors::placeholders;
use super::{SqliteStore, map_err};
use crate::domain::tag::Tag;
use crate::store::{Page, StoreError, StoreResult, TagFilter, TagStore};

const COLUMNS: &str = "id, name, color, description, created_at, updated_at";

fn row_to_tag(r: &Row<'_>) -> rusqlite::Result<Tag> {
    Ok(Tag {
        id: r.get(0)?,
        name: r.get(1)?,
        color: r.get(2)?,
        description: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
        created_at: r.get(4)?,
        updated_at: r.get(5)?,
    })
}

/// A `LIKE` pattern matching `q` anywhere, with its wildcards escaped (`ESCAPE '\'`).
pub(crate) fn like_pattern(q: &str) -> String {
    let escaped = q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// `Conflict` naming `name` when another tag already has this name.
fn check_name_free(conn: &rusqlite::Connection, tag: &Tag) -> StoreResult<()> {
    let other: Option<String> = conn
        .prepare_cached("SELECT id FROM tags WHERE name = ?1 COLLATE NOCASE AND id != ?2")
        .map_err(map_err)?
        .query_row(params![tag.name, tag.id], |r| r.get(0))
        .optional()
        .map_err(map_err)?;
    match other {
        Some(_) => Err(StoreError::Conflict(format!("name: a tag named \"{}\" already exists", tag.name))),
        None => Ok(()),
    }
}

#[async_trait]
impl TagStore for SqliteStore {
    async fn insert_tag(&self, tag: &Tag) -> StoreResult<()> {
        let t = tag.clone();
        self.write(move |ctx| {
            check_name_free(&ctx.conn, &t)?;
            ctx.conn
                .execute(
                    &format!("INSERT INTO tags ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
                    params![t.id, t.name, t.color, t.description, t.created_at, t.updated_at],
                )
                .map(|_| ())
                .map_err(map_err)
        })
        .await
    }

    async fn update_tag(&self, tag: &Tag) -> StoreResult<()> {
        let t = tag.clone();
        self.write(move |ctx| {
            check_name_free(&ctx.conn, &t)?;
            let n = ctx
                .conn
                .execute(
                    "UPDATE tags SET name = ?2, color = ?3, description = ?4, updated_at = ?5 WHERE id = ?1",
                    params![t.id, t.name, t.color, t.description, t.updated_at],
                )
                .map_err(map_err)?;
            if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
        })
        .await
    }

    async fn delete_tag(&self, id: &str) -> StoreResult<bool> {
        let id = id.to_string();
        self.write(move |ctx| {
            // The foreign key cascades too; said here so the rule does not hide in the schema.
            ctx.conn.execute("DELETE FROM monitor_tags WHERE tag_id = ?1", [&id]).map_err(map_err)?;
            ctx.conn.execute("DELETE FROM tags WHERE id = ?1", [&id]).map(|n| n > 0).map_err(map_err)
        })
        .await
    }

    async fn tag(&self, id: &str) -> StoreResult<Option<Tag>> {
        let id = id.to_string();
        self.read(move |c, _| {
            c.query_row(&format!("SELECT {COLUMNS} FROM tags WHERE id = ?1"), [&id], row_to_tag)
                .optional()
                .map_err(map_err)
        })
        .await
    }

    async fn list_tags(&self, filter: &TagFilter) -> StoreResult<Page<Tag>> {
        let f = filter.clone();
        self.read(move |c, _| {
            let pattern = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(like_pattern);
            let (cond, args): (&str, Vec<String>) = match pattern {
                Some(p) => ("WHERE name LIKE ?1 ESCAPE '\\' OR description LIKE ?1 ESCAPE '\\'", vec![p]),
                None => ("", vec![]),
            };
            let total: i64 = c
                .query_row(&format!("SELECT count(*) FROM tags {cond}"), params_from_iter(&args), |r| r.get(0))
                .map_err(map_err)?;
            let limit = f.limit.clamp(1, 1000);
            let offset = u64::from(f.page) * u64::from(limit);
            let mut stmt = c
                .prepare(&format!(
                    "SELECT {COLUMNS} FROM tags {cond} ORDER BY name COLLATE NOCASE, id LIMIT {limit} OFFSET {offset}"
                ))
                .map_err(map_err)?;
            let items = stmt
                .query_map(params_from_iter(&args), row_to_tag)
                .map_err(map_err)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(map_err)?;
            Ok(Page { items, total: total as u64 })
        })
        .await
    }

    async fn tags_by_ids(&self, ids: &[String]) -> StoreResult<Vec<Tag>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<Value> = ids.iter().map(|i| Value::Text(i.clone())).collect();
        self.read(move |c, _| {
            let mut out = Vec::new();
            // Stay under SQLite's bound-parameter limit.
            for chunk in ids.chunks(500) {
                let mut stmt = c
                    .prepare(&format!("SELECT {COLUMNS} FROM tags WHERE id IN ({})", placeholders(chunk.len())))
                    .map_err(map_err)?;
                let rows = stmt.query_map(params_from_iter(chunk.iter()), row_to_tag).map_err(map_err)?;
                for r in rows {
                    out.push(r.map_err(map_err)?);
                }
            }
            Ok(out)
        })
        .await
    }
}

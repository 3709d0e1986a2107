//! `StatusPageStore` on SQLite: `status_pages` with `status_page_domains`,
//! `status_page_sections` and `monitor_status_pages` (a monitor's `section_id` is NULL
//! outside sections), and `incidents` with `incident_updates`.

use std::collections::HashMap;

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{SqliteStore, map_err};
use crate::domain::UnixMillis;
use crate::domain::status_page::{Incident, IncidentStatus, IncidentUpdate, StatusPage, StatusPageSection};
use crate::store::{Page, StatusPageFilter, StatusPageStore, StoreError, StoreResult, TagLabel};

const COLUMNS: &str = "id, slug, title, description, icon, theme, published, footer_text, auto_refresh_interval,
    custom_css, password_hash, search_engine_index, show_tags, show_powered_by, show_certificate_expiry,
    created_at, updated_at";

fn row_to_page(r: &Row<'_>) -> rusqlite::Result<StatusPage> {
    Ok(StatusPage {
        id: r.get(0)?,
        slug: r.get(1)?,
        title: r.get(2)?,
        description: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
        icon: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
        theme: r.get(5)?,
        published: r.get(6)?,
        footer_text: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
        auto_refresh_interval: r.get(8)?,
        custom_css: r.get::<_, Option<String>>(9)?.unwrap_or_default(),
        password_hash: r.get(10)?,
        search_engine_index: r.get(11)?,
        show_tags: r.get(12)?,
        show_powered_by: r.get(13)?,
        show_certificate_expiry: r.get(14)?,
        domains: Vec::new(),
        monitor_ids: Vec::new(),
        sections: Vec::new(),
        created_at: r.get(15)?,
        updated_at: r.get(16)?,
    })
}

/// Fills in domains, sections and monitor lists of the given pages.
fn load_links(c: &Connection, pages: &mut [StatusPage]) -> StoreResult<()> {
    for p in pages.iter_mut() {
        let mut stmt = c
            .prepare_cached("SELECT domain FROM status_page_domains WHERE status_page_id = ?1 ORDER BY domain")
            .map_err(map_err)?;
        p.domains =
            stmt.query_map([&p.id], |r| r.get(0)).map_err(map_err)?.collect::<Result<_, _>>().map_err(map_err)?;
        let mut stmt = c
            .prepare_cached(
                "SELECT id, name, tag_id FROM status_page_sections WHERE status_page_id = ?1 ORDER BY position, id",
            )
            .map_err(map_err)?;
        p.sections = stmt
            .query_map([&p.id], |r| {
                Ok(StatusPageSection { id: r.get(0)?, name: r.get(1)?, tag_id: r.get(2)?, monitor_ids: Vec::new() })
            })
            .map_err(map_err)?
            .collect::<Result<_, _>>()
            .map_err(map_err)?;
        let mut stmt = c
            .prepare_cached(
                "SELECT monitor_id, section_id FROM monitor_status_pages WHERE status_page_id = ?1
                 ORDER BY position, monitor_id",
            )
            .map_err(map_err)?;
        let rows = stmt
            .query_map([&p.id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)))
            .map_err(map_err)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(map_err)?;
        for (monitor, section) in rows {
            match section.and_then(|s| p.sections.iter_mut().find(|x| x.id == s)) {
                Some(s) => s.monitor_ids.push(monitor),
                None => p.monitor_ids.push(monitor),
            }
        }
    }
    Ok(())
}

fn read_page(c: &Connection, cond: &str, arg: &str) -> StoreResult<Option<StatusPage>> {
    let page = c
        .query_row(&format!("SELECT {COLUMNS} FROM status_pages WHERE {cond}"), [arg], row_to_page)
        .optional()
        .map_err(map_err)?;
    let Some(page) = page else { return Ok(None) };
    let mut pages = [page];
    load_links(c, &mut pages)?;
    let [page] = pages;
    Ok(Some(page))
}

fn exists(c: &Connection, table: &str, id: &str) -> StoreResult<bool> {
    c.prepare_cached(&format!("SELECT 1 FROM {table} WHERE id = ?1"))
        .map_err(map_err)?
        .query_row([id], |_| Ok(()))
        .optional()
        .map(|o| o.is_some())
        .map_err(map_err)
}

/// The uniqueness and reference rules, checked before writing so the error names the field.
fn check_page(c: &Connection, p: &StatusPage) -> StoreResult<()> {
    let other: Option<String> = c
        .query_row("SELECT id FROM status_pages WHERE slug = ?1 AND id <> ?2", [&p.slug, &p.id], |r| r.get(0))
        .optional()
        .map_err(map_err)?;
    if other.is_some() {
        return Err(StoreError::Conflict(format!("slug: another status page already uses the slug \"{}\"", p.slug)));
    }
    for d in &p.domains {
        let owner: Option<String> = c
            .query_row(
                "SELECT status_page_id FROM status_page_domains WHERE domain = ?1 AND status_page_id <> ?2",
                [d, &p.id],
                |r| r.get(0),
            )
            .optional()
            .map_err(map_err)?;
        if owner.is_some() {
            return Err(StoreError::Conflict(format!("domains: \"{d}\" is already used by another status page")));
        }
    }
    let missing_monitor = |field: String, ids: &[String]| -> StoreResult<()> {
        for id in ids {
            if !exists(c, "monitors", id)? {
                return Err(StoreError::InvalidReference { field, message: format!("no monitor has id \"{id}\"") });
            }
        }
        Ok(())
    };
    missing_monitor("monitor_ids".into(), &p.monitor_ids)?;
    for (i, s) in p.sections.iter().enumerate() {
        missing_monitor(format!("sections[{i}].monitor_ids"), &s.monitor_ids)?;
        if let Some(t) = &s.tag_id
            && !exists(c, "tags", t)?
        {
            return Err(StoreError::InvalidReference {
                field: format!("sections[{i}].tag_id"),
                message: format!("no tag has id \"{t}\""),
            });
        }
    }
    Ok(())
}

fn write_links(c: &Connection, p: &StatusPage) -> StoreResult<()> {
    c.execute("DELETE FROM status_page_domains WHERE status_page_id = ?1", [&p.id]).map_err(map_err)?;
    c.execute("DELETE FROM monitor_status_pages WHERE status_page_id = ?1", [&p.id]).map_err(map_err)?;
    c.execute("DELETE FROM status_page_sections WHERE status_page_id = ?1", [&p.id]).map_err(map_err)?;
    for d in &p.domains {
        c.execute("INSERT INTO status_page_domains (status_page_id, domain) VALUES (?1, ?2)", [&p.id, d])
            .map_err(map_err)?;
    }
    let mut position = 0i64;
    let mut link = |monitor: &str, section: Option<&str>| -> StoreResult<()> {
        c.execute(
            "INSERT INTO monitor_status_pages (status_page_id, monitor_id, section_id, position) VALUES (?1, ?2, ?3, ?4)",
            params![p.id, monitor, section, position],
        )
        .map_err(map_err)?;
        position += 1;
        Ok(())
    };
    for m in &p.monitor_ids {
        link(m, None)?;
    }
    for (i, s) in p.sections.iter().enumerate() {
        c.execute(
            "INSERT INTO status_page_sections (id, status_page_id, name, position, tag_id) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![s.id, p.id, s.name, i as i64, s.tag_id],
        )
        .map_err(map_err)?;
        for m in &s.monitor_ids {
            link(m, Some(&s.id))?;
        }
    }
    Ok(())
}

fn page_params(p: &StatusPage) -> [&dyn rusqlite::ToSql; 17] {
    [
        &p.id,
        &p.slug,
        &p.title,
        &p.description,
        &p.icon,
        &p.theme,
        &p.published,
        &p.footer_text,
        &p.auto_refresh_interval,
        &p.custom_css,
        &p.password_hash,
        &p.search_engine_index,
        &p.show_tags,
        &p.show_powered_by,
        &p.show_certificate_expiry,
        &p.created_at,
        &p.updated_at,
    ]
}

const INCIDENT_COLUMNS: &str = "id, status_page_id, title, style, message, resolved_at, created_at, updated_at";

fn row_to_incident(r: &Row<'_>) -> rusqlite::Result<Incident> {
    Ok(Incident {
        id: r.get(0)?,
        status_page_id: r.get(1)?,
        title: r.get(2)?,
        style: r.get(3)?,
        message: r.get(4)?,
        resolved_at: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
        updates: Vec::new(),
    })
}

fn load_updates(c: &Connection, incidents: &mut [Incident]) -> StoreResult<()> {
    let mut stmt = c
        .prepare_cached(
            "SELECT id, incident_id, status, message, created_at FROM incident_updates WHERE incident_id = ?1
             ORDER BY created_at, id",
        )
        .map_err(map_err)?;
    for i in incidents.iter_mut() {
        i.updates = stmt
            .query_map([&i.id], |r| {
                let status: String = r.get(2)?;
                Ok(IncidentUpdate {
                    id: r.get(0)?,
                    incident_id: r.get(1)?,
                    // Written validated; a hand-edited unknown status reads as the start.
                    status: IncidentStatus::parse(&status).unwrap_or(IncidentStatus::Investigating),
                    message: r.get(3)?,
                    created_at: r.get(4)?,
                })
            })
            .map_err(map_err)?
            .collect::<Result<_, _>>()
            .map_err(map_err)?;
    }
    Ok(())
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(",")
}

#[async_trait]
impl StatusPageStore for SqliteStore {
    async fn insert_status_page(&self, page: &StatusPage) -> StoreResult<()> {
        let p = page.clone();
        self.write(move |ctx| {
            check_page(&ctx.conn, &p)?;
            ctx.conn
                .execute(
                    &format!(
                        "INSERT INTO status_pages ({COLUMNS}) VALUES
                         (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"
                    ),
                    &page_params(&p)[..],
                )
                .map_err(map_err)?;
            write_links(&ctx.conn, &p)
        })
        .await
    }

    async fn update_status_page(&self, page: &StatusPage) -> StoreResult<()> {
        let p = page.clone();
        self.write(move |ctx| {
            if !exists(&ctx.conn, "status_pages", &p.id)? {
                return Err(StoreError::NotFound);
            }
            check_page(&ctx.conn, &p)?;
            ctx.conn
                .execute(
                    "UPDATE status_pages SET slug = ?2, title = ?3, description = ?4, icon = ?5, theme = ?6,
                     published = ?7, footer_text = ?8, auto_refresh_interval = ?9, custom_css = ?10,
                     password_hash = ?11, search_engine_index = ?12, show_tags = ?13, show_powered_by = ?14,
                     show_certificate_expiry = ?15, created_at = ?16, updated_at = ?17 WHERE id = ?1",
                    &page_params(&p)[..],
                )
                .map_err(map_err)?;
            write_links(&ctx.conn, &p)
        })
        .await
    }

    async fn delete_status_page(&self, id: &str) -> StoreResult<bool> {
        let id = id.to_string();
        self.write(move |ctx| {
            ctx.conn.execute("DELETE FROM status_pages WHERE id = ?1", [&id]).map(|n| n > 0).map_err(map_err)
        })
        .await
    }

    async fn status_page(&self, id: &str) -> StoreResult<Option<StatusPage>> {
        let id = id.to_string();
        self.read(move |c, _| read_page(c, "id = ?1", &id)).await
    }

    async fn status_page_by_slug(&self, slug: &str) -> StoreResult<Option<StatusPage>> {
        let slug = slug.to_string();
        self.read(move |c, _| read_page(c, "slug = ?1", &slug)).await
    }

    async fn status_page_by_domain(&self, domain: &str) -> StoreResult<Option<StatusPage>> {
        let domain = domain.to_string();
        self.read(move |c, _| {
            read_page(c, "id = (SELECT status_page_id FROM status_page_domains WHERE domain = ?1)", &domain)
        })
        .await
    }

    async fn list_status_pages(&self, filter: &StatusPageFilter) -> StoreResult<Page<StatusPage>> {
        let f = filter.clone();
        self.read(move |c, _| {
            let pattern = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(|q| {
                let escaped = q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
                format!("%{escaped}%")
            });
            let (cond, args): (&str, Vec<String>) = match pattern {
                Some(p) => ("WHERE title LIKE ?1 ESCAPE '\\' OR slug LIKE ?1 ESCAPE '\\'", vec![p]),
                None => ("", vec![]),
            };
            let total: i64 = c
                .query_row(&format!("SELECT count(*) FROM status_pages {cond}"), rusqlite::params_from_iter(&args), |r| {
                    r.get(0)
                })
                .map_err(map_err)?;
            let limit = f.limit.max(1);
            let offset = u64::from(f.page) * u64::from(limit);
            let mut stmt = c
                .prepare(&format!(
                    "SELECT {COLUMNS} FROM status_pages {cond} ORDER BY created_at DESC, id LIMIT {limit} OFFSET {offset}"
                ))
                .map_err(map_err)?;
            let mut items = stmt
                .query_map(rusqlite::params_from_iter(&args), row_to_page)
                .map_err(map_err)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(map_err)?;
            load_links(c, &mut items)?;
            Ok(Page { items, total: total as u64 })
        })
        .await
    }

    async fn status_page_domains(&self) -> StoreResult<HashMap<String, String>> {
        self.read(|c, _| {
            let mut stmt = c.prepare("SELECT domain, status_page_id FROM status_page_domains").map_err(map_err)?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(map_err)?
                .collect::<Result<_, _>>()
                .map_err(map_err)
        })
        .await
    }

    async fn monitors_with_tags(&self, tag_ids: &[String]) -> StoreResult<HashMap<String, Vec<String>>> {
        if tag_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let ids = tag_ids.to_vec();
        self.read(move |c, _| {
            let mut stmt = c
                .prepare(&format!(
                    "SELECT DISTINCT t.tag_id, m.id, m.seq FROM monitor_tags t JOIN monitors m ON m.id = t.monitor_id
                     WHERE t.tag_id IN ({}) ORDER BY m.seq",
                    placeholders(ids.len())
                ))
                .map_err(map_err)?;
            let rows = stmt
                .query_map(rusqlite::params_from_iter(&ids), |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
                .map_err(map_err)?;
            let mut out: HashMap<String, Vec<String>> = HashMap::new();
            for row in rows {
                let (tag, monitor) = row.map_err(map_err)?;
                out.entry(tag).or_default().push(monitor);
            }
            Ok(out)
        })
        .await
    }

    async fn tag_labels(&self, monitor_ids: &[String]) -> StoreResult<HashMap<String, Vec<TagLabel>>> {
        if monitor_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let ids = monitor_ids.to_vec();
        self.read(move |c, _| {
            let mut stmt = c
                .prepare(&format!(
                    "SELECT mt.monitor_id, t.name, t.color, mt.value FROM monitor_tags mt JOIN tags t ON t.id = mt.tag_id
                     WHERE mt.monitor_id IN ({}) ORDER BY t.name COLLATE NOCASE, mt.value",
                    placeholders(ids.len())
                ))
                .map_err(map_err)?;
            let rows = stmt
                .query_map(rusqlite::params_from_iter(&ids), |r| {
                    Ok((r.get::<_, String>(0)?, TagLabel { name: r.get(1)?, color: r.get(2)?, value: r.get(3)? }))
                })
                .map_err(map_err)?;
            let mut out: HashMap<String, Vec<TagLabel>> = HashMap::new();
            for row in rows {
                let (monitor, label) = row.map_err(map_err)?;
                out.entry(monitor).or_default().push(label);
            }
            Ok(out)
        })
        .await
    }

    async fn insert_incident(&self, incident: &Incident) -> StoreResult<()> {
        let i = incident.clone();
        self.write(move |ctx| {
            if !exists(&ctx.conn, "status_pages", &i.status_page_id)? {
                return Err(StoreError::NotFound);
            }
            ctx.conn
                .execute(
                    &format!("INSERT INTO incidents ({INCIDENT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
                    params![
                        i.id,
                        i.status_page_id,
                        i.title,
                        i.style,
                        i.message,
                        i.resolved_at,
                        i.created_at,
                        i.updated_at
                    ],
                )
                .map(|_| ())
                .map_err(map_err)
        })
        .await
    }

    async fn update_incident(&self, incident: &Incident) -> StoreResult<()> {
        let i = incident.clone();
        self.write(move |ctx| {
            let n = ctx
                .conn
                .execute(
                    "UPDATE incidents SET title = ?2, style = ?3, message = ?4, resolved_at = ?5, updated_at = ?6
                     WHERE id = ?1",
                    params![i.id, i.title, i.style, i.message, i.resolved_at, i.updated_at],
                )
                .map_err(map_err)?;
            if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
        })
        .await
    }

    async fn delete_incident(&self, id: &str) -> StoreResult<bool> {
        let id = id.to_string();
        self.write(move |ctx| {
            ctx.conn.execute("DELETE FROM incidents WHERE id = ?1", [&id]).map(|n| n > 0).map_err(map_err)
        })
        .await
    }

    async fn incident(&self, id: &str) -> StoreResult<Option<Incident>> {
        let id = id.to_string();
        self.read(move |c, _| {
            let found = c
                .query_row(&format!("SELECT {INCIDENT_COLUMNS} FROM incidents WHERE id = ?1"), [&id], row_to_incident)
                .optional()
                .map_err(map_err)?;
            let Some(i) = found else { return Ok(None) };
            let mut v = [i];
            load_updates(c, &mut v)?;
            let [i] = v;
            Ok(Some(i))
        })
        .await
    }

    async fn incidents(&self, status_page_id: &str, limit: u32) -> StoreResult<Vec<Incident>> {
        let id = status_page_id.to_string();
        self.read(move |c, _| {
            let mut stmt = c
                .prepare_cached(&format!(
                    "SELECT {INCIDENT_COLUMNS} FROM incidents WHERE status_page_id = ?1
                     ORDER BY created_at DESC, id DESC LIMIT ?2"
                ))
                .map_err(map_err)?;
            let mut items = stmt
                .query_map(params![id, limit], row_to_incident)
                .map_err(map_err)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(map_err)?;
            load_updates(c, &mut items)?;
            Ok(items)
        })
        .await
    }

    async fn add_incident_update(&self, update: &IncidentUpdate, resolved_at: Option<UnixMillis>) -> StoreResult<()> {
        let u = update.clone();
        self.write(move |ctx| {
            let n = ctx
                .conn
                .execute(
                    "UPDATE incidents SET resolved_at = ?2, updated_at = ?3 WHERE id = ?1",
                    params![u.incident_id, resolved_at, u.created_at],
                )
                .map_err(map_err)?;
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            ctx.conn
                .execute(
                    "INSERT INTO incident_updates (id, incident_id, status, message, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![u.id, u.incident_id, u.status.as_str(), u.message, u.created_at],
                )
                .map(|_| ())
                .map_err(map_err)
        })
        .await
    }
}

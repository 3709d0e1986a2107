//! Reading Uptime Kuma's data: a `kuma.db` SQLite file (1.23 and 2.x schemas, read-only)
//! or a 1.x JSON backup, into one shape (`KumaData`) of snake_case rows.

use std::path::Path;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use serde_json::{Value, json};

use super::map::{Row, i, s, snake_row};

/// A status page section (Kuma's `group`) with its monitors in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KumaGroup {
    pub name: String,
    pub monitor_ids: Vec<i64>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct KumaStatusPage {
    pub row: Row,
    pub domains: Vec<String>,
    pub groups: Vec<KumaGroup>,
}

/// Everything read from one Kuma source.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KumaData {
    /// What was read, for the report ("kuma.db (1.23 schema)", "JSON backup 1.23.0").
    pub source: String,
    pub monitors: Vec<Row>,
    /// (monitor id, notification id)
    pub monitor_notifications: Vec<(i64, i64)>,
    /// Rows with `id`, `name`, `active`, `is_default` and `config` (the provider's
    /// object, parsed).
    pub notifications: Vec<Row>,
    pub tags: Vec<Row>,
    /// (monitor id, tag id, value)
    pub monitor_tags: Vec<(i64, i64, String)>,
    pub proxies: Vec<Row>,
    pub docker_hosts: Vec<Row>,
    pub status_pages: Vec<KumaStatusPage>,
    /// Maintenance rows with their monitors' ids.
    pub maintenances: Vec<(Row, Vec<i64>)>,
    pub incidents: Vec<Row>,
    /// Only read when history is wanted.
    pub heartbeats: Vec<Row>,
}

fn sql_value(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(n) => json!(n),
        ValueRef::Real(f) => json!(f),
        ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(_) => Value::Null,
    }
}

fn has_table(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1", [name], |r| {
        r.get::<_, i64>(0)
    })
    .map(|n| n > 0)
}

/// Every row of a table (or of a query) as a key → value map; an absent table is empty.
fn rows(conn: &Connection, table: &str, sql: &str) -> rusqlite::Result<Vec<Row>> {
    if !has_table(conn, table)? {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare(sql)?;
    let names: Vec<String> = stmt.column_names().map(String::from).collect();
    let mut out = Vec::new();
    let mut q = stmt.query([])?;
    while let Some(r) = q.next()? {
        let mut row = Row::new();
        for (n, name) in names.iter().enumerate() {
            row.insert(name.clone(), sql_value(r.get_ref(n)?));
        }
        out.push(row);
    }
    Ok(out)
}

/// Reads a `kuma.db`. `with_history` also reads the heartbeat table.
pub fn read_db(path: &Path, with_history: bool) -> Result<KumaData, String> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| format!("cannot open the Kuma database: {e}"))?;
    read_conn(&conn, with_history).map_err(|e| format!("cannot read the Kuma database: {e}"))
}

fn read_conn(conn: &Connection, with_history: bool) -> rusqlite::Result<KumaData> {
    if !has_table(conn, "monitor")? {
        return Err(rusqlite::Error::InvalidParameterName(
            "this is not an Uptime Kuma database (it has no monitor table)".into(),
        ));
    }
    let v2 = has_table(conn, "knex_migrations")? || has_table(conn, "stat_minutely")?;
    let mut data = KumaData {
        source: format!("kuma.db ({} schema)", if v2 { "2.x" } else { "1.23" }),
        monitors: rows(conn, "monitor", "SELECT * FROM monitor ORDER BY id")?,
        ..Default::default()
    };
    for r in rows(conn, "monitor_notification", "SELECT monitor_id, notification_id FROM monitor_notification")? {
        if let (Some(m), Some(n)) = (i(&r, "monitor_id"), i(&r, "notification_id")) {
            data.monitor_notifications.push((m, n));
        }
    }
    for mut r in rows(conn, "notification", "SELECT * FROM notification ORDER BY id")? {
        let config = serde_json::from_str::<Value>(&s(&r, "config")).unwrap_or_else(|_| json!({}));
        r.insert("config".into(), config);
        data.notifications.push(r);
    }
    data.tags = rows(conn, "tag", "SELECT * FROM tag ORDER BY id")?;
    for r in rows(conn, "monitor_tag", "SELECT * FROM monitor_tag ORDER BY id")? {
        if let (Some(m), Some(t)) = (i(&r, "monitor_id"), i(&r, "tag_id")) {
            data.monitor_tags.push((m, t, s(&r, "value")));
        }
    }
    data.proxies = rows(conn, "proxy", "SELECT * FROM proxy ORDER BY id")?;
    data.docker_hosts = rows(conn, "docker_host", "SELECT * FROM docker_host ORDER BY id")?;
    let groups = rows(conn, "group", "SELECT * FROM \"group\" ORDER BY status_page_id, weight, id")?;
    let links = rows(conn, "monitor_group", "SELECT * FROM monitor_group ORDER BY group_id, weight, id")?;
    let cnames = rows(conn, "status_page_cname", "SELECT * FROM status_page_cname")?;
    for page in rows(conn, "status_page", "SELECT * FROM status_page ORDER BY id")? {
        let id = i(&page, "id");
        let groups = groups
            .iter()
            .filter(|g| i(g, "status_page_id") == id)
            .map(|g| KumaGroup {
                name: s(g, "name"),
                monitor_ids: links
                    .iter()
                    .filter(|l| i(l, "group_id") == i(g, "id"))
                    .filter_map(|l| i(l, "monitor_id"))
                    .collect(),
            })
            .collect();
        let domains = cnames.iter().filter(|c| i(c, "status_page_id") == id).map(|c| s(c, "domain")).collect();
        data.status_pages.push(KumaStatusPage { row: page, domains, groups });
    }
    let mm = rows(conn, "monitor_maintenance", "SELECT * FROM monitor_maintenance")?;
    for m in rows(conn, "maintenance", "SELECT * FROM maintenance ORDER BY id")? {
        let ids =
            mm.iter().filter(|l| i(l, "maintenance_id") == i(&m, "id")).filter_map(|l| i(l, "monitor_id")).collect();
        data.maintenances.push((m, ids));
    }
    data.incidents = rows(conn, "incident", "SELECT * FROM incident ORDER BY id")?;
    if with_history {
        data.heartbeats = rows(conn, "heartbeat", "SELECT * FROM heartbeat ORDER BY monitor_id, time")?;
    }
    Ok(data)
}

/// Reads a 1.x JSON backup (`{version, notificationList, monitorList, proxyList}`).
pub fn read_json(bytes: &[u8]) -> Result<KumaData, String> {
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| format!("the file is not JSON: {e}"))?;
    let Some(obj) = doc.as_object() else { return Err("the backup must be a JSON object".into()) };
    let Some(monitors) = obj.get("monitorList").and_then(Value::as_array) else {
        return Err("this is not an Uptime Kuma backup (it has no monitorList)".into());
    };
    let version = obj.get("version").and_then(Value::as_str).unwrap_or("unknown");
    let mut data = KumaData { source: format!("JSON backup {version}"), ..Default::default() };
    let objects = |key: &str| -> Vec<Row> {
        obj.get(key)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_object).map(snake_row).collect())
            .unwrap_or_default()
    };
    for mut n in objects("notificationList") {
        let config = match n.get("config") {
            Some(Value::String(t)) => serde_json::from_str(t).unwrap_or_else(|_| json!({})),
            Some(v @ Value::Object(_)) => v.clone(),
            _ => json!({}),
        };
        n.insert("config".into(), config);
        data.notifications.push(n);
    }
    data.proxies = objects("proxyList");
    let mut tag_ids = std::collections::BTreeSet::new();
    for m in monitors.iter().filter_map(Value::as_object) {
        let row = snake_row(m);
        let Some(id) = i(&row, "id") else { continue };
        if let Some(list) = m.get("notificationIDList").and_then(Value::as_object) {
            for (nid, on) in list {
                if on.as_bool().unwrap_or(false)
                    && let Ok(nid) = nid.parse::<i64>()
                {
                    data.monitor_notifications.push((id, nid));
                }
            }
        }
        for t in m.get("tags").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_object) {
            let t = snake_row(t);
            let Some(tid) = i(&t, "tag_id") else { continue };
            data.monitor_tags.push((id, tid, s(&t, "value")));
            if tag_ids.insert(tid) {
                let mut tag = Row::new();
                tag.insert("id".into(), json!(tid));
                tag.insert("name".into(), json!(s(&t, "name")));
                tag.insert("color".into(), json!(s(&t, "color")));
                data.tags.push(tag);
            }
        }
        data.monitors.push(row);
    }
    Ok(data)
}

/// Reads either kind of source from bytes (a SQLite file starts with its magic string).
/// The database is written to a temporary file because SQLite opens files.
pub fn read_bytes(bytes: &[u8], with_history: bool) -> Result<KumaData, String> {
    if bytes.starts_with(b"SQLite format 3\0") {
        let path = std::env::temp_dir().join(format!("peekaping-kuma-{}.db", uuid::Uuid::new_v4()));
        std::fs::write(&path, bytes).map_err(|e| format!("cannot store the upload: {e}"))?;
        let result = read_db(&path, with_history);
        let _ = std::fs::remove_file(&path);
        result
    } else {
        read_json(bytes)
    }
}

/// Reads a file: a database by its magic string, anything else as a JSON backup.
pub fn read_path(path: &Path, with_history: bool) -> Result<KumaData, String> {
    let mut head = [0u8; 16];
    let is_db = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .map(|_| &head == b"SQLite format 3\0")
        .unwrap_or(false);
    if is_db {
        read_db(path, with_history)
    } else {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        read_json(&bytes)
    }
}

//! The SQLite migration runner: `schema_migrations` bookkeeping over `migrations::SQLITE`.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, params};

use crate::store::migrations::{Migration, MigrationError, MigrationStatus, SQLITE};

fn backend(e: rusqlite::Error) -> MigrationError {
    MigrationError::Backend(e.to_string())
}

fn ensure_table(conn: &Connection) -> Result<(), MigrationError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            checksum TEXT NOT NULL,
            applied_at INTEGER NOT NULL
        )",
    )
    .map_err(backend)
}

fn applied(conn: &Connection) -> Result<Vec<(u32, String, String, i64)>, MigrationError> {
    ensure_table(conn)?;
    let mut stmt = conn
        .prepare("SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version")
        .map_err(backend)?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).map_err(backend)?;
    rows.collect::<Result<Vec<_>, _>>().map_err(backend)
}

/// Refuses databases written by a newer binary and migrations edited after the fact.
fn check_known(applied: &[(u32, String, String, i64)], known: &[Migration]) -> Result<(), MigrationError> {
    let newest_known = known.last().map_or(0, |m| m.version);
    for (version, name, checksum, _) in applied {
        match known.iter().find(|m| m.version == *version) {
            None => {
                return Err(MigrationError::DatabaseIsNewer { db: *version, known: newest_known });
            }
            Some(m) if m.checksum() != *checksum => {
                return Err(MigrationError::ChecksumMismatch {
                    version: *version,
                    name: name.clone(),
                    stored: checksum.clone(),
                    expected: m.checksum(),
                });
            }
            Some(_) => {}
        }
    }
    Ok(())
}

pub fn status(conn: &Connection) -> Result<MigrationStatus, MigrationError> {
    let applied = applied(conn)?;
    let pending = SQLITE
        .iter()
        .filter(|m| !applied.iter().any(|a| a.0 == m.version))
        .map(|m| (m.version, m.name.to_string()))
        .collect();
    Ok(MigrationStatus { applied: applied.into_iter().map(|(v, n, _, t)| (v, n, t)).collect(), pending })
}

/// Before pending migrations touch a database that already holds a schema, copies it with
/// `VACUUM INTO <db dir>/backups/pre-migrate-<from>-<to>.db` (a consistent, compacted
/// snapshot taken inside a read transaction). Nothing is copied for a fresh database or
/// when nothing is pending, and a database from a newer release is refused before anything
/// is written. Returns the snapshot's path.
pub fn backup_before_up(
    conn: &Connection,
    db_path: &Path,
    target: Option<u32>,
) -> Result<Option<PathBuf>, MigrationError> {
    let done = applied(conn)?;
    check_known(&done, SQLITE)?;
    let from = done.iter().map(|a| a.0).max().unwrap_or(0);
    let to = SQLITE
        .iter()
        .filter(|m| !done.iter().any(|a| a.0 == m.version) && target.is_none_or(|t| m.version <= t))
        .map(|m| m.version)
        .max();
    let Some(to) = to.filter(|_| from > 0) else { return Ok(None) };
    let dir = db_path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")).join("backups");
    std::fs::create_dir_all(&dir)
        .map_err(|e| MigrationError::Backend(format!("cannot create the backup directory {}: {e}", dir.display())))?;
    let mut file = dir.join(format!("pre-migrate-{from:04}-{to:04}.db"));
    if file.exists() {
        // An earlier attempt failed (its migration rolled back): keep that snapshot too.
        file = dir.join(format!("pre-migrate-{from:04}-{to:04}-{}.db", crate::domain::now_millis()));
    }
    let target_path =
        file.to_str().ok_or_else(|| MigrationError::Backend(format!("{} is not UTF-8", file.display())))?;
    conn.execute("VACUUM INTO ?1", params![target_path])
        .map_err(|e| MigrationError::Backend(format!("backup to {} before migrating failed: {e}", file.display())))?;
    Ok(Some(file))
}

/// Applies every pending migration (up to `target` when given); returns the versions applied.
pub fn up(conn: &mut Connection, target: Option<u32>) -> Result<Vec<u32>, MigrationError> {
    let done = applied(conn)?;
    check_known(&done, SQLITE)?;
    let mut ran = Vec::new();
    for m in SQLITE {
        if done.iter().any(|a| a.0 == m.version) || target.is_some_and(|t| m.version > t) {
            continue;
        }
        let tx = conn.transaction().map_err(backend)?;
        tx.execute_batch(m.up).map_err(|e| MigrationError::Failed {
            version: m.version,
            name: m.name.into(),
            message: e.to_string(),
        })?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?1, ?2, ?3, ?4)",
            params![m.version, m.name, m.checksum(), crate::domain::now_millis()],
        )
        .map_err(backend)?;
        tx.commit().map_err(backend)?;
        ran.push(m.version);
    }
    Ok(ran)
}

/// Reverts the newest `steps` applied migrations; returns the versions reverted.
pub fn down(conn: &mut Connection, steps: u32) -> Result<Vec<u32>, MigrationError> {
    let done = applied(conn)?;
    check_known(&done, SQLITE)?;
    let mut reverted = Vec::new();
    for (version, name, _, _) in done.iter().rev().take(steps as usize) {
        let m = SQLITE
            .iter()
            .find(|m| m.version == *version)
            .expect("check_known guarantees every applied version is known");
        let tx = conn.transaction().map_err(backend)?;
        tx.execute_batch(m.down).map_err(|e| MigrationError::Failed {
            version: *version,
            name: name.clone(),
            message: e.to_string(),
        })?;
        tx.execute("DELETE FROM schema_migrations WHERE version = ?1", params![version]).map_err(backend)?;
        tx.commit().map_err(backend)?;
        reverted.push(*version);
    }
    Ok(reverted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_then_down_then_up_again_leaves_a_working_schema() {
        let all: Vec<u32> = SQLITE.iter().map(|m| m.version).collect();
        let latest = *all.last().unwrap();
        let mut c = Connection::open_in_memory().unwrap();
        assert_eq!(up(&mut c, None).unwrap(), all);
        assert!(up(&mut c, None).unwrap().is_empty(), "up is idempotent");
        assert_eq!(status(&c).unwrap().current_version(), latest);
        assert_eq!(down(&mut c, 1).unwrap(), vec![latest], "down reverts the newest first");
        assert_eq!(status(&c).unwrap().current_version(), latest - 1);
        let rest: Vec<u32> = all.iter().rev().skip(1).copied().collect();
        assert_eq!(down(&mut c, latest).unwrap(), rest);
        let left: i64 = c
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type='table' AND name != 'schema_migrations'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(left, 0, "down removes every table it created");
        assert_eq!(up(&mut c, None).unwrap(), all);
    }

    #[test]
    fn a_snapshot_is_taken_only_when_an_existing_schema_has_pending_migrations() {
        let latest = SQLITE.last().unwrap().version;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("p.db");
        let mut c = Connection::open(&db).unwrap();
        assert_eq!(backup_before_up(&c, &db, None).unwrap(), None, "a fresh database has nothing to keep");
        up(&mut c, Some(latest - 1)).unwrap();
        c.execute("CREATE TABLE keepme (v TEXT)", []).unwrap();
        c.execute("INSERT INTO keepme VALUES ('before')", []).unwrap();
        let file = backup_before_up(&c, &db, None).unwrap().expect("a pending migration makes a snapshot");
        assert_eq!(file, dir.path().join(format!("backups/pre-migrate-{:04}-{latest:04}.db", latest - 1)));
        up(&mut c, None).unwrap();
        assert_eq!(backup_before_up(&c, &db, None).unwrap(), None, "nothing pending, no snapshot");
        let snap = Connection::open(&file).unwrap();
        assert_eq!(status(&snap).unwrap().current_version(), latest - 1);
        let v: String = snap.query_row("SELECT v FROM keepme", [], |r| r.get(0)).unwrap();
        assert_eq!(v, "before");
        // A second attempt at the same step keeps the first snapshot.
        down(&mut c, 1).unwrap();
        let again = backup_before_up(&c, &db, None).unwrap().unwrap();
        assert_ne!(again, file);
        assert!(file.exists() && again.exists());
    }

    #[test]
    fn a_newer_database_is_refused_before_a_snapshot_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("p.db");
        let mut c = Connection::open(&db).unwrap();
        up(&mut c, None).unwrap();
        c.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'x', 0)", []).unwrap();
        let e = backup_before_up(&c, &db, None).unwrap_err();
        assert!(matches!(e, MigrationError::DatabaseIsNewer { db: 999, .. }), "{e}");
        assert!(!dir.path().join("backups").exists());
    }

    #[test]
    fn a_database_from_a_newer_release_is_refused() {
        let mut c = Connection::open_in_memory().unwrap();
        up(&mut c, None).unwrap();
        c.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'x', 0)", []).unwrap();
        let e = up(&mut c, None).unwrap_err();
        assert!(matches!(e, MigrationError::DatabaseIsNewer { db: 999, .. }), "{e}");
        assert!(e.to_string().contains("newer"));
    }
}

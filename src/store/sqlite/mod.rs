//! The SQLite adapter of the `Store` port (the default, embedded backend).
//!
//! One dedicated writer thread owns the only write connection and commits in batches:
//! it takes every write job waiting in its queue, runs each inside a savepoint of one
//! transaction, commits once, and only then answers the callers (group commit). Reads
//! run on a small pool of read-only connections through `spawn_blocking`; WAL mode lets
//! them proceed while the writer commits. Nothing here blocks the async runtime.

mod accounts;
mod api_keys;
mod backup;
mod exposure;
mod heartbeats;
mod maintenances;
mod managed;
pub mod migrate;
mod monitors;
mod notifications;
mod proxies;
mod status_pages;
mod tags;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use async_trait::async_trait;
use rusqlite::{Connection, OpenFlags, OptionalExtension, ffi};
use tokio::sync::{Semaphore, mpsc, oneshot};

use super::{Store, StoreError, StoreResult};
use crate::store::migrations::{MigrationError, MigrationStatus};

/// How hard SQLite syncs to disk on commit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncMode {
    /// fsync on every commit: nothing acknowledged is lost even on power loss.
    Full,
    /// fsync at checkpoints only: survives a crash of the process, not of the machine.
    Normal,
}

/// Options of `SqliteStore::open`.
#[derive(Clone, Debug)]
pub struct SqliteOptions {
    pub path: PathBuf,
    pub read_connections: usize,
    pub sync: SyncMode,
    /// Most write jobs per transaction.
    pub max_batch: usize,
    /// Page cache of the write connection (KiB). Measured: 2 MiB ingests as fast as
    /// 32 MiB here (the OS page cache serves the rest), so memory stays small.
    pub writer_cache_kib: u32,
}

impl SqliteOptions {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into(), read_connections: 4, sync: SyncMode::Full, max_batch: 512, writer_cache_kib: 2048 }
    }
}

/// Called with the transaction's outcome once it committed (or failed).
type Completion = Box<dyn FnOnce(StoreResult<()>) + Send>;
/// A unit of work for the writer thread; called with None when no transaction could be
/// opened, so it can still answer its caller.
type WriteJob = Box<dyn FnOnce(Option<&mut WriterCtx>) -> Completion + Send>;

/// What write jobs get: the connection and the writer's private caches.
pub(crate) struct WriterCtx {
    pub conn: Connection,
    /// Per monitor key: the last stored message, for message de-duplication.
    pub msg_slots: HashMap<i64, heartbeats::MsgSlot>,
    pub keys: Arc<RwLock<HashMap<String, i64>>>,
}

impl WriterCtx {
    /// After a failed job or commit the caches may describe rows that were rolled back.
    fn forget_caches(&mut self) {
        self.msg_slots.clear();
        if let Ok(mut k) = self.keys.write() {
            k.clear();
        }
    }
}

struct Inner {
    writer: Mutex<Option<mpsc::Sender<WriteJob>>>,
    writer_thread: Mutex<Option<std::thread::JoinHandle<()>>>,
    readers: Mutex<Vec<Connection>>,
    read_permits: Semaphore,
    /// Monitor UUID → compact key, shared by readers and the writer.
    keys: Arc<RwLock<HashMap<String, i64>>>,
}

/// The SQLite store. Cheap to clone.
#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

pub(crate) fn map_err(e: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(f, msg) = &e {
        let detail = msg.clone().unwrap_or_else(|| f.to_string());
        match f.code {
            ffi::ErrorCode::DiskFull => return StoreError::Unavailable(format!("disk full: {detail}")),
            ffi::ErrorCode::DatabaseBusy | ffi::ErrorCode::DatabaseLocked => {
                return StoreError::Unavailable(format!("database busy: {detail}"));
            }
            ffi::ErrorCode::ReadOnly | ffi::ErrorCode::CannotOpen | ffi::ErrorCode::SystemIoFailure => {
                return StoreError::Unavailable(detail);
            }
            ffi::ErrorCode::ConstraintViolation => {
                if f.extended_code == ffi::SQLITE_CONSTRAINT_FOREIGNKEY {
                    return StoreError::InvalidReference {
                        field: "id".into(),
                        message: "refers to a row that does not exist".into(),
                    };
                }
                return StoreError::Conflict(detail);
            }
            _ => {}
        }
    }
    StoreError::Backend(e.to_string())
}

fn configure(conn: &Connection, sync: SyncMode) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(
        None,
        "synchronous",
        match sync {
            SyncMode::Full => "FULL",
            SyncMode::Normal => "NORMAL",
        },
    )?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(())
}

/// Opens (creating if needed) a write connection with WAL on; new files get incremental
/// auto-vacuum so retention can hand space back.
fn open_writer(path: &Path, sync: SyncMode) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    let empty: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    if empty == 0 {
        conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")?;
    }
    conn.pragma_update(None, "journal_mode", "WAL")?;
    configure(&conn, sync)?;
    Ok(conn)
}

impl SqliteStore {
    /// Applies pending migrations to the database at `path` (creating it).
    pub fn migrate_up(path: &Path, target: Option<u32>) -> Result<Vec<u32>, MigrationError> {
        let mut conn = open_writer(path, SyncMode::Full).map_err(|e| MigrationError::Backend(e.to_string()))?;
        if let Some(file) = migrate::backup_before_up(&conn, path, target)? {
            tracing::info!(backup = %file.display(), "database snapshot taken before migrating");
        }
        migrate::up(&mut conn, target)
    }

    pub fn migrate_down(path: &Path, steps: u32) -> Result<Vec<u32>, MigrationError> {
        let mut conn = open_writer(path, SyncMode::Full).map_err(|e| MigrationError::Backend(e.to_string()))?;
        migrate::down(&mut conn, steps)
    }

    pub fn migration_status(path: &Path) -> Result<MigrationStatus, MigrationError> {
        let conn = open_writer(path, SyncMode::Full).map_err(|e| MigrationError::Backend(e.to_string()))?;
        migrate::status(&conn)
    }

    /// Opens a migrated database. Fails when migrations are pending (run `migrate up`, or
    /// let `serve` do it) so no component ever runs against a half-made schema.
    pub fn open(opts: &SqliteOptions) -> StoreResult<Self> {
        let writer_conn = open_writer(&opts.path, opts.sync).map_err(map_err)?;
        writer_conn.pragma_update(None, "cache_size", -i64::from(opts.writer_cache_kib)).map_err(map_err)?;
        // Every ingest batch dirties a leaf page per monitor in four B-trees; checkpointing
        // every 64 MiB of WAL instead of every 4 MiB writes each hot page back once per
        // many batches instead of once per batch (ingest of 500-beat batches 26k → 48k/s).
        writer_conn.pragma_update(None, "wal_autocheckpoint", 16384).map_err(map_err)?;
        let status = migrate::status(&writer_conn).map_err(|e| StoreError::Backend(e.to_string()))?;
        if !status.pending.is_empty() {
            return Err(StoreError::Backend(format!(
                "database {} has {} pending migration(s): run `peekaping migrate up`",
                opts.path.display(),
                status.pending.len()
            )));
        }
        let mut readers = Vec::with_capacity(opts.read_connections);
        for _ in 0..opts.read_connections.max(1) {
            let c = Connection::open_with_flags(
                &opts.path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
            )
            .map_err(map_err)?;
            configure(&c, opts.sync).map_err(map_err)?;
            readers.push(c);
        }
        let keys = Arc::new(RwLock::new(HashMap::new()));
        let (tx, rx) = mpsc::channel::<WriteJob>(4096);
        let ctx = WriterCtx { conn: writer_conn, msg_slots: HashMap::new(), keys: keys.clone() };
        let max_batch = opts.max_batch.max(1);
        let handle = std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || writer_loop(ctx, rx, max_batch))
            .map_err(|e| StoreError::Backend(format!("cannot start the SQLite writer thread: {e}")))?;
        Ok(Self {
            inner: Arc::new(Inner {
                writer: Mutex::new(Some(tx)),
                writer_thread: Mutex::new(Some(handle)),
                read_permits: Semaphore::new(readers.len()),
                readers: Mutex::new(readers),
                keys,
            }),
        })
    }

    /// Runs `f` inside the next write transaction and returns its result once committed.
    pub(crate) async fn write<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut WriterCtx) -> StoreResult<T> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel::<StoreResult<T>>();
        let job: WriteJob = Box::new(move |ctx: Option<&mut WriterCtx>| {
            let outcome = match ctx {
                Some(ctx) => run_in_savepoint(ctx, f),
                None => Err(StoreError::Unavailable("no transaction".into())),
            };
            Box::new(move |commit: StoreResult<()>| {
                let _ = tx.send(commit.and(outcome));
            })
        });
        let sender = self
            .inner
            .writer
            .lock()
            .map_err(|_| StoreError::Backend("writer lock poisoned".into()))?
            .clone()
            .ok_or_else(|| StoreError::Unavailable("the store is closed".into()))?;
        sender.send(job).await.map_err(|_| StoreError::Unavailable("the SQLite writer has stopped".into()))?;
        rx.await.map_err(|_| StoreError::Unavailable("the SQLite writer has stopped".into()))?
    }

    /// Runs `f` on a pooled read connection off the async runtime.
    pub(crate) async fn read<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection, &RwLock<HashMap<String, i64>>) -> StoreResult<T> + Send + 'static,
    {
        let _permit = self
            .inner
            .read_permits
            .acquire()
            .await
            .map_err(|_| StoreError::Unavailable("the store is closed".into()))?;
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let conn = inner
                .readers
                .lock()
                .map_err(|_| StoreError::Backend("reader pool poisoned".into()))?
                .pop()
                .ok_or_else(|| StoreError::Backend("reader pool empty".into()))?;
            let result = f(&conn, &inner.keys);
            if let Ok(mut pool) = inner.readers.lock() {
                pool.push(conn);
            }
            result
        })
        .await
        .map_err(|e| StoreError::Backend(format!("read task failed: {e}")))?
    }
}

fn run_in_savepoint<T>(ctx: &mut WriterCtx, f: impl FnOnce(&mut WriterCtx) -> StoreResult<T>) -> StoreResult<T> {
    ctx.conn.execute_batch("SAVEPOINT job").map_err(map_err)?;
    match f(ctx) {
        Ok(v) => {
            ctx.conn.execute_batch("RELEASE job").map_err(map_err)?;
            Ok(v)
        }
        Err(e) => {
            let _ = ctx.conn.execute_batch("ROLLBACK TO job; RELEASE job");
            ctx.forget_caches();
            Err(e)
        }
    }
}

fn writer_loop(mut ctx: WriterCtx, mut rx: mpsc::Receiver<WriteJob>, max_batch: usize) {
    while let Some(first) = rx.blocking_recv() {
        let mut jobs = vec![first];
        while jobs.len() < max_batch {
            match rx.try_recv() {
                Ok(j) => jobs.push(j),
                Err(_) => break,
            }
        }
        if let Err(e) = ctx.conn.execute_batch("BEGIN IMMEDIATE") {
            let why = map_err(e).to_string();
            for job in jobs {
                job(None)(Err(StoreError::Unavailable(format!("cannot start a transaction: {why}"))));
            }
            continue;
        }
        let completions: Vec<Completion> = jobs.into_iter().map(|job| job(Some(&mut ctx))).collect();
        let commit = ctx.conn.execute_batch("COMMIT").map_err(map_err);
        if commit.is_err() {
            let _ = ctx.conn.execute_batch("ROLLBACK");
            ctx.forget_caches();
        }
        for done in completions {
            let c = match &commit {
                Ok(()) => Ok(()),
                Err(e) => Err(StoreError::Unavailable(format!("commit failed: {e}"))),
            };
            done(c);
        }
    }
    // Channel closed: the store is shutting down. Fold the WAL into the main file.
    let _ = ctx.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)");
}

/// Looks up (and caches) the compact key of a monitor UUID.
pub(crate) fn monitor_key(
    conn: &Connection,
    keys: &RwLock<HashMap<String, i64>>,
    id: &str,
) -> StoreResult<Option<i64>> {
    if let Some(k) = keys.read().ok().and_then(|m| m.get(id).copied()) {
        return Ok(Some(k));
    }
    let k: Option<i64> = conn
        .prepare_cached("SELECT seq FROM monitors WHERE id = ?1")
        .map_err(map_err)?
        .query_row([id], |r| r.get(0))
        .optional()
        .map_err(map_err)?;
    if let (Some(k), Ok(mut m)) = (k, keys.write()) {
        m.insert(id.to_string(), k);
    }
    Ok(k)
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn ping(&self) -> StoreResult<()> {
        self.read(|c, _| c.query_row("SELECT 1", [], |_| Ok(())).map_err(map_err)).await
    }

    async fn close(&self) {
        let sender = self.inner.writer.lock().ok().and_then(|mut w| w.take());
        drop(sender);
        let handle = self.inner.writer_thread.lock().ok().and_then(|mut h| h.take());
        if let Some(h) = handle {
            let _ = tokio::task::spawn_blocking(move || h.join()).await;
        }
    }
}

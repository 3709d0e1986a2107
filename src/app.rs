//! The composition root: builds the adapters a `Config` asks for, starts the components
//! of a role, and shuts them down in order. The only module that names adapters.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use tokio_util::sync::CancellationToken;

use crate::api::{self, AppState};
use crate::bus::Bus;
use crate::bus::embedded::{EmbeddedBus, EmbeddedBusOptions};
use crate::config::{BusConfig, Config, StoreConfig};
use crate::ingester::{Ingester, retention};
use crate::producer::Producer;
use crate::store::Store;
use crate::store::sqlite::{SqliteOptions, SqliteStore, SyncMode};
use crate::worker::Worker;

/// Which components this process runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Everything in one process (`peekaping serve`).
    All,
    Api,
    Producer,
    Worker,
    Ingester,
}

impl Role {
    fn name(self) -> &'static str {
        match self {
            Role::All => "serve",
            Role::Api => "api",
            Role::Producer => "producer",
            Role::Worker => "worker",
            Role::Ingester => "ingester",
        }
    }
}

fn unsupported_backend(what: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "{what} is not available in this build yet: scale-out adapters (NATS, PostgreSQL, MongoDB) are planned; use the embedded defaults (`peekaping serve`)"
    )
}

/// Applies pending migrations of the configured store.
pub fn migrate_up(config: &StoreConfig) -> anyhow::Result<Vec<u32>> {
    match config {
        StoreConfig::Sqlite { path, .. } => {
            ensure_parent(path)?;
            Ok(SqliteStore::migrate_up(path, None)?)
        }
        StoreConfig::Postgres { .. } => Err(unsupported_backend("PostgreSQL")),
        StoreConfig::Mongo { .. } => Err(unsupported_backend("MongoDB")),
    }
}

pub fn migrate_down(config: &StoreConfig, steps: u32) -> anyhow::Result<Vec<u32>> {
    match config {
        StoreConfig::Sqlite { path, .. } => Ok(SqliteStore::migrate_down(path, steps)?),
        StoreConfig::Postgres { .. } => Err(unsupported_backend("PostgreSQL")),
        StoreConfig::Mongo { .. } => Err(unsupported_backend("MongoDB")),
    }
}

pub fn migration_status(config: &StoreConfig) -> anyhow::Result<crate::store::migrations::MigrationStatus> {
    match config {
        StoreConfig::Sqlite { path, .. } => Ok(SqliteStore::migration_status(path)?),
        StoreConfig::Postgres { .. } => Err(unsupported_backend("PostgreSQL")),
        StoreConfig::Mongo { .. } => Err(unsupported_backend("MongoDB")),
    }
}

fn ensure_parent(path: &Path) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create the data directory {}", dir.display()))?;
    }
    Ok(())
}

/// Opens the configured store (which must be migrated).
pub fn open_store(config: &StoreConfig) -> anyhow::Result<Arc<dyn Store>> {
    match config {
        StoreConfig::Sqlite { path, sync_full } => {
            let mut opts = SqliteOptions::new(path);
            opts.sync = if *sync_full { SyncMode::Full } else { SyncMode::Normal };
            Ok(Arc::new(SqliteStore::open(&opts)?))
        }
        StoreConfig::Postgres { .. } => Err(unsupported_backend("PostgreSQL")),
        StoreConfig::Mongo { .. } => Err(unsupported_backend("MongoDB")),
    }
}

/// Opens the configured bus. The embedded bus only connects components of one process.
pub fn open_bus(config: &BusConfig, role: Role) -> anyhow::Result<Arc<dyn Bus>> {
    match config {
        BusConfig::Embedded { path } => {
            if role != Role::All {
                bail!(
                    "`peekaping {}` runs one component and needs a shared bus: set PEEKAPING_BUS=nats://… (the embedded bus only works inside `peekaping serve`)",
                    role.name()
                );
            }
            ensure_parent(path)?;
            let opts = EmbeddedBusOptions { path: Some(path.clone()), ..Default::default() };
            Ok(Arc::new(EmbeddedBus::open(&opts)?))
        }
        BusConfig::Nats { .. } => Err(unsupported_backend("The NATS bus")),
    }
}

/// Resolves when the process is asked to stop (Ctrl-C or SIGTERM).
pub async fn stop_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(t) => t,
            Err(_) => {
                let _ = ctrl_c.await;
                return;
            }
        };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

/// A running set of components.
pub struct Running {
    pub shutdown: CancellationToken,
    pub addr: Option<std::net::SocketAddr>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    store: Arc<dyn Store>,
    bus: Arc<dyn Bus>,
    pub worker_stats: Option<Arc<crate::worker::stats::WorkerStats>>,
}

impl Running {
    /// Stops every component and closes the adapters (flushing the WAL and queues).
    pub async fn stop(self) {
        self.shutdown.cancel();
        for t in self.tasks {
            let _ = tokio::time::timeout(Duration::from_secs(10), t).await;
        }
        self.bus.close().await;
        self.store.close().await;
    }
}

/// Raises the soft open-files limit to the hard one (every check in flight holds a socket;
/// Debian's default soft limit of 1024 would cap a busy worker) and returns the limit now
/// in force.
pub fn raise_open_files_limit() -> u64 {
    #[cfg(unix)]
    {
        let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: getrlimit/setrlimit only read and write the struct passed by pointer.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
                return 1024;
            }
            if lim.rlim_cur < lim.rlim_max {
                let raised = libc::rlimit { rlim_cur: lim.rlim_max, rlim_max: lim.rlim_max };
                if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                    lim.rlim_cur = lim.rlim_max;
                }
            }
        }
        #[allow(clippy::unnecessary_cast)] // rlim_t is u32 on some 32-bit targets (armv7)
        let limit = lim.rlim_cur as u64;
        limit
    }
    #[cfg(not(unix))]
    {
        u64::MAX
    }
}

/// Starts the components of `role` on the given adapters.
pub async fn start_with(
    config: &Config,
    role: Role,
    store: Arc<dyn Store>,
    bus: Arc<dyn Bus>,
) -> anyhow::Result<Running> {
    let shutdown = CancellationToken::new();
    let mut tasks = Vec::new();
    let mut addr = None;
    let mut worker_stats = None;
    let runs = |r: Role| role == Role::All || role == r;

    if runs(Role::Ingester) {
        let ingester = Ingester::new(store.clone(), bus.clone(), config.ingester.clone());
        tasks.push(tokio::spawn(ingester.run(shutdown.clone())));
        let sender = crate::notify::Sender::new(store.clone(), bus.clone(), crate::notify::SenderConfig::default())?;
        tasks.push(tokio::spawn(sender.run(shutdown.clone())));
        tasks.push(tokio::spawn(retention::run(store.clone(), Duration::from_secs(3600), shutdown.clone())));
        let snapshots = crate::backup::snapshot::run(
            store.clone(),
            config.data_dir.clone(),
            Duration::from_secs(60),
            shutdown.clone(),
        );
        tasks.push(tokio::spawn(snapshots));
    }
    if runs(Role::Worker) {
        let mut worker_config = config.worker.clone();
        // Keep sockets for the database, the API and the bus besides the checks in flight.
        let fd_room = raise_open_files_limit().saturating_sub(256).max(16) as usize;
        if worker_config.concurrency > fd_room {
            tracing::warn!(
                configured = worker_config.concurrency,
                used = fd_room,
                "worker: the open-files limit caps concurrent checks; raise LimitNOFILE / ulimit -n"
            );
            worker_config.concurrency = fd_room;
        }
        let worker = Worker::new(bus.clone(), worker_config);
        worker_stats = Some(worker.stats());
        tasks.push(tokio::spawn(worker.run(shutdown.clone())));
    }
    if runs(Role::Producer) {
        let producer = Producer::new(store.clone(), bus.clone(), config.producer.clone());
        tasks.push(tokio::spawn(producer.run(shutdown.clone())));
    }
    if runs(Role::Api) {
        let state = AppState::new(store.clone(), bus.clone(), config.api.clone()).await?;
        let (acceptor, local) = api::bind(&config.api).await?;
        addr = Some(local);
        let stop = shutdown.clone();
        tasks.push(tokio::spawn(async move {
            if let Err(e) = api::serve(state, acceptor, stop.clone()).await {
                tracing::error!(error = %e, "api: server stopped");
                stop.cancel();
            }
        }));
    }
    Ok(Running { shutdown, addr, tasks, store, bus, worker_stats })
}

/// Runs `role` until a stop signal: opens adapters (migrating SQLite first when serving).
pub async fn run(config: Config, role: Role) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create the data directory {}", config.data_dir.display()))?;
    if role == Role::All {
        let applied = migrate_up(&config.store)?;
        if !applied.is_empty() {
            tracing::info!(?applied, "database migrated");
        }
    }
    let bus = open_bus(&config.bus, role)?;
    let store = open_store(&config.store)?;
    if matches!(role, Role::All | Role::Api)
        && let Some(path) = &config.monitors_file
    {
        crate::config_file::apply_file(&*store, path, &config.api.limits, None).await?;
    }
    let mut running = start_with(&config, role, store.clone(), bus.clone()).await?;
    if matches!(role, Role::All | Role::Api)
        && let Some(path) = &config.monitors_file
    {
        let watch = crate::config_file::watch(store, bus, path.clone(), config.api.limits, running.shutdown.clone());
        running.tasks.push(tokio::spawn(watch));
    }
    if let Some(addr) = running.addr {
        tracing::info!(
            %addr,
            ms = started.elapsed().as_millis() as u64,
            version = crate::VERSION,
            "peekaping {} serving on http://{addr}",
            role.name()
        );
    }
    let stopped = running.shutdown.clone();
    tokio::select! {
        _ = stop_signal() => tracing::info!("stopping"),
        _ = stopped.cancelled() => tracing::warn!("a component stopped; shutting down"),
    }
    running.stop().await;
    Ok(())
}

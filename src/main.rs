//! `peekaping`: the command line. Parses flags, loads the configuration, and hands over
//! to `app` (serve or one component), the migration runner, or an admin task.

use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use peekaping::app::{self, Role};
use peekaping::config::{Config, LogFormat, RawSettings};
use tracing::Level;
use tracing_subscriber::filter::Targets;

#[derive(Parser)]
#[command(name = "peekaping", version, about = "Self-hosted uptime monitoring in one binary")]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

/// Settings that every command accepts (each also has an environment variable).
#[derive(Args)]
struct GlobalArgs {
    /// TOML configuration file [env: PEEKAPING_CONFIG]
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Data directory for the SQLite database and queues [env: PEEKAPING_DATA_DIR] [default: ./data]
    #[arg(long, global = true)]
    data_dir: Option<String>,
    /// Address to listen on [env: PEEKAPING_HOST] [default: 0.0.0.0]
    #[arg(long, global = true)]
    host: Option<String>,
    /// Port to listen on [env: PEEKAPING_PORT, SERVER_PORT] [default: 8383]
    #[arg(long, global = true)]
    port: Option<String>,
    /// Database: a SQLite path or sqlite://, postgres://, mongodb:// URL [env: PEEKAPING_DB]
    #[arg(long, global = true)]
    db: Option<String>,
    /// SQLite sync on commit: full (nothing lost on power loss) or normal [env: PEEKAPING_SQLITE_SYNC]
    #[arg(long, global = true)]
    sqlite_sync: Option<String>,
    /// How long results wait to be written together, e.g. 200ms or 5s (longer: fewer disk writes) [env: PEEKAPING_INGEST_LINGER] [default: 200ms]
    #[arg(long, global = true)]
    ingest_linger: Option<String>,
    /// Message bus: embedded or nats://… [env: PEEKAPING_BUS]
    #[arg(long, global = true)]
    bus: Option<String>,
    /// Log level or filter (error, warn, info, debug, trace) [env: PEEKAPING_LOG, LOG_LEVEL]
    #[arg(long, global = true)]
    log_level: Option<String>,
    /// Log format: text or json [env: PEEKAPING_LOG_FORMAT]
    #[arg(long, global = true)]
    log_format: Option<String>,
    /// Shortest monitor interval allowed, 1-20 s [env: PEEKAPING_MIN_INTERVAL] [default: 20]
    #[arg(long, global = true)]
    min_interval: Option<String>,
    /// Checks run at once by the worker [env: PEEKAPING_WORKER_CONCURRENCY, QUEUE_CONCURRENCY]
    #[arg(long, global = true)]
    worker_concurrency: Option<String>,
    /// Largest response body read by keyword/JSON checks, in bytes [env: PEEKAPING_MAX_BODY_BYTES] [default: 10485760]
    #[arg(long, global = true)]
    max_body_bytes: Option<String>,
    /// Name of this worker's location [env: PEEKAPING_LOCATION] [default: local]
    #[arg(long, global = true)]
    location: Option<String>,
    /// Serve Swagger UI at /swagger: true or false [env: PEEKAPING_SWAGGER]
    #[arg(long, global = true)]
    swagger: Option<String>,
    /// Monitors file (YAML, config as code) applied at start [env: PEEKAPING_MONITORS_FILE]
    #[arg(long, global = true)]
    monitors_file: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Run everything in one process: API + web UI, producer, worker, ingester
    Serve,
    /// Run only the API (and web UI); needs a shared bus
    Api,
    /// Run only the scheduler; needs a shared bus
    Producer,
    /// Run only a check worker; needs a shared bus
    Worker,
    /// Run only the result ingester; needs a shared bus
    Ingester,
    /// Database schema migrations
    Migrate {
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Administration tasks
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
    /// Exit 0 if the local server answers /api/v1/health (for Docker HEALTHCHECK)
    Healthcheck {
        /// URL to probe [default: http://127.0.0.1:<port>/api/v1/health]
        #[arg(long)]
        url: Option<String>,
    },
    /// Make the database match a monitors file (YAML): print the plan, then apply it
    Apply {
        /// Only print the plan
        #[arg(long)]
        dry_run: bool,
        /// The monitors file [default: the monitors_file setting]
        file: Option<PathBuf>,
    },
    /// Print the OpenAPI document
    #[command(hide = true)]
    Openapi,
}

#[derive(Subcommand)]
enum MigrateAction {
    /// Apply pending migrations
    Up {
        /// Stop at this version
        #[arg(long)]
        to: Option<u32>,
    },
    /// Revert the newest N migrations (default 1)
    Down { steps: Option<u32> },
    /// Show applied and pending migrations
    Status,
}

#[derive(Subcommand)]
enum AdminAction {
    /// Set a new password for the admin (read from standard input); revokes all sessions
    ResetPassword {
        /// The account's e-mail (default: the admin)
        #[arg(long)]
        email: Option<String>,
        /// Also turn two-factor authentication off
        #[arg(long)]
        disable_2fa: bool,
    },
    /// Write a backup of every object (JSON) to standard output
    Export {
        /// Also include heartbeat history and rollups
        #[arg(long)]
        with_history: bool,
    },
    /// Restore a backup file (into an empty instance unless --replace); stop the server first
    Import {
        /// The backup file written by `admin export` (or `-` for standard input)
        file: PathBuf,
        /// Delete every existing object first (a snapshot is taken before)
        #[arg(long)]
        replace: bool,
    },
    /// Take a database snapshot now into <data>/backups/ (and prune beyond backup_keep)
    Snapshot,
    /// Import monitors, notifications, tags, proxies, status pages and maintenances from
    /// Uptime Kuma (a kuma.db or a 1.x JSON backup) and print the report
    ImportKuma {
        /// The kuma.db SQLite file or the JSON backup
        file: PathBuf,
        /// Also copy the heartbeat history (kuma.db only)
        #[arg(long)]
        with_history: bool,
        /// Check and report only; write nothing
        #[arg(long)]
        dry_run: bool,
        /// Print the report as JSON
        #[arg(long)]
        json: bool,
    },
}

fn raw_settings(g: GlobalArgs) -> RawSettings {
    let mut raw = RawSettings { config_file: g.config, ..Default::default() };
    raw.flag("data_dir", g.data_dir);
    raw.flag("host", g.host);
    raw.flag("port", g.port);
    raw.flag("db", g.db);
    raw.flag("sqlite_sync", g.sqlite_sync);
    raw.flag("ingest_linger", g.ingest_linger);
    raw.flag("bus", g.bus);
    raw.flag("log_level", g.log_level);
    raw.flag("log_format", g.log_format);
    raw.flag("min_interval", g.min_interval);
    raw.flag("worker_concurrency", g.worker_concurrency);
    raw.flag("location", g.location);
    raw.flag("max_body_bytes", g.max_body_bytes);
    raw.flag("swagger", g.swagger);
    raw.flag("monitors_file", g.monitors_file);
    raw
}

/// Logs to stderr. The level filter is a `Targets` list (`info,peekaping::worker=debug`):
/// tracing-subscriber's `EnvFilter` would also take span-field filters, but it compiles a
/// regular expression engine at every start for them, which an appliance pays in start time
/// and resident memory for a syntax nobody here uses.
fn init_logging(config: &Config) {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let filter = config.log_level.parse::<Targets>().unwrap_or_else(|_| Targets::new().with_default(Level::INFO));
    let builder = tracing_subscriber::fmt().with_target(false).with_writer(std::io::stderr);
    match config.log_format {
        LogFormat::Json => builder.json().finish().with(filter).init(),
        LogFormat::Text => builder.finish().with(filter).init(),
    }
}

fn main() {
    let cli = Cli::parse();
    let config = match Config::load(raw_settings(cli.global)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("peekaping: {e}");
            std::process::exit(2);
        }
    };
    peekaping::install_crypto_provider();
    init_logging(&config);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("peekaping: cannot start the async runtime: {e}");
            std::process::exit(1);
        }
    };
    let result = runtime.block_on(run(cli.command, config));
    if let Err(e) = result {
        eprintln!("peekaping: {e:#}");
        std::process::exit(1);
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve => app::run(config, Role::All).await,
        Command::Api => app::run(config, Role::Api).await,
        Command::Producer => app::run(config, Role::Producer).await,
        Command::Worker => app::run(config, Role::Worker).await,
        Command::Ingester => app::run(config, Role::Ingester).await,
        Command::Migrate { action } => migrate(action, &config),
        Command::Admin { action: AdminAction::ResetPassword { email, disable_2fa } } => {
            reset_password(&config, email, disable_2fa).await
        }
        Command::Admin { action: AdminAction::Export { with_history } } => export(&config, with_history).await,
        Command::Admin { action: AdminAction::Import { file, replace } } => import(&config, &file, replace).await,
        Command::Admin { action: AdminAction::Snapshot } => snapshot(&config).await,
        Command::Admin { action: AdminAction::ImportKuma { file, with_history, dry_run, json } } => {
            import_kuma(&config, file, with_history, dry_run, json).await
        }
        Command::Healthcheck { url } => healthcheck(&config, url).await,
        Command::Apply { dry_run, file } => apply(&config, file, dry_run).await,
        Command::Openapi => {
            println!("{}", openapi_document().await?);
            Ok(())
        }
    }
}

fn migrate(action: MigrateAction, config: &Config) -> anyhow::Result<()> {
    match action {
        MigrateAction::Up { to } => {
            let applied = if to.is_some() {
                match &config.store {
                    peekaping::config::StoreConfig::Sqlite { path, .. } => {
                        peekaping::store::sqlite::SqliteStore::migrate_up(path, to)?
                    }
                    _ => app::migrate_up(&config.store)?,
                }
            } else {
                app::migrate_up(&config.store)?
            };
            if applied.is_empty() {
                println!("nothing to apply: the database is up to date");
            }
            for v in applied {
                println!("applied {v}");
            }
        }
        MigrateAction::Down { steps } => {
            for v in app::migrate_down(&config.store, steps.unwrap_or(1))? {
                println!("reverted {v}");
            }
        }
        MigrateAction::Status => {
            let s = app::migration_status(&config.store)?;
            println!("schema version {}", s.current_version());
            for (v, name, at) in &s.applied {
                println!("  applied  {v:04} {name}  ({})", peekaping::domain::format_millis(*at));
            }
            for (v, name) in &s.pending {
                println!("  pending  {v:04} {name}");
            }
            let known = peekaping::store::migrations::SQLITE.last().map_or(0, |m| m.version);
            if s.current_version() > known {
                println!(
                    "this database is newer than this binary (which knows up to {known:04}): `serve` refuses it; upgrade peekaping or restore a backup from the backups/ folder beside the database"
                );
            }
        }
    }
    Ok(())
}

async fn reset_password(config: &Config, email: Option<String>, disable_2fa: bool) -> anyhow::Result<()> {
    use argon2::password_hash::PasswordHasher;
    let store = app::open_store(&config.store)?;
    let user = match &email {
        Some(e) => store.user_by_email(e).await?,
        None => store.first_user().await?,
    };
    let Some(mut user) = user else { bail!("no such user: register the admin in the web UI first") };
    eprintln!("New password for {} (then Enter):", user.email);
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    peekaping::domain::user::check_password_policy(&password).map_err(|m| anyhow::anyhow!("password {m}"))?;
    let hash = tokio::task::spawn_blocking(move || {
        argon2::Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string())
    })
    .await?
    .map_err(|e| anyhow::anyhow!("hashing: {e}"))?;
    let now = peekaping::domain::now_millis();
    user.password_hash = hash;
    user.tokens_valid_after = now;
    user.updated_at = now;
    if disable_2fa {
        user.twofa_enabled = false;
        user.twofa_secret = None;
        user.twofa_last_step = None;
    }
    store.update_user(&user).await?;
    store.close().await;
    println!("password changed for {}; existing sessions are signed out", user.email);
    Ok(())
}

/// `peekaping apply`: prints the plan; applies it unless `dry_run`. Exit 1 on an invalid file.
async fn apply(config: &Config, file: Option<PathBuf>, dry_run: bool) -> anyhow::Result<()> {
    let Some(path) = file.or_else(|| config.monitors_file.clone()) else {
        bail!("no monitors file: pass FILE or set --monitors-file / PEEKAPING_MONITORS_FILE");
    };
    let doc = peekaping::config_file::load(&path)?;
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create the data directory {}", config.data_dir.display()))?;
    app::migrate_up(&config.store)?;
    let store = app::open_store(&config.store)?;
    let result = async {
        let plan = peekaping::config_file::plan(&*store, &doc, &config.api.limits).await?;
        print!("{}", plan.render());
        if !dry_run && !plan.is_empty() {
            peekaping::config_file::execute(&*store, &plan, None).await?;
            println!("applied: {}", plan.summary());
        }
        anyhow::Ok(())
    }
    .await;
    store.close().await;
    result
}

async fn export(config: &Config, with_history: bool) -> anyhow::Result<()> {
    let store = app::open_store(&config.store)?;
    let backup = peekaping::backup::export(store.as_ref(), with_history).await;
    store.close().await;
    let backup = backup?;
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &backup)?;
    writeln!(out)?;
    out.flush()?;
    eprintln!(
        "exported {} monitors, {} channels, {} status pages{}",
        backup.monitors.len(),
        backup.notification_channels.len(),
        backup.status_pages.len(),
        backup.history.as_ref().map(|h| format!(", {} heartbeats", h.heartbeats.len())).unwrap_or_default()
    );
    Ok(())
}

async fn import(config: &Config, file: &Path, replace: bool) -> anyhow::Result<()> {
    let bytes = if file.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::stdin().lock().read_to_end(&mut b)?;
        b
    } else {
        std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?
    };
    let backup = peekaping::backup::parse(&bytes)?;
    peekaping::backup::validate(&backup)?;
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create the data directory {}", config.data_dir.display()))?;
    app::migrate_up(&config.store)?;
    let store = app::open_store(&config.store)?;
    let result = async {
        if replace && !peekaping::backup::is_empty(store.as_ref()).await? {
            let dir = peekaping::backup::snapshot::dir(&config.data_dir);
            let path = peekaping::backup::snapshot::take(store.as_ref(), &dir).await?;
            eprintln!("snapshot of the data being replaced: {}", path.display());
        }
        anyhow::Ok(peekaping::backup::import(store.as_ref(), &backup, replace).await?)
    }
    .await;
    store.close().await;
    let report = result?;
    println!(
        "imported {} monitors, {} status pages, {} heartbeats",
        report.monitors.len(),
        report.status_pages.len(),
        report.heartbeats
    );
    Ok(())
}

async fn snapshot(config: &Config) -> anyhow::Result<()> {
    let store = app::open_store(&config.store)?;
    let dir = peekaping::backup::snapshot::dir(&config.data_dir);
    let result = peekaping::backup::snapshot::take(store.as_ref(), &dir).await;
    let (_, keep) = peekaping::backup::snapshot::schedule(store.as_ref()).await;
    store.close().await;
    let path = result?;
    let pruned = peekaping::backup::snapshot::prune(&dir, keep);
    println!("{}", path.display());
    if !pruned.is_empty() {
        eprintln!("deleted {} old snapshot(s) beyond backup_keep = {keep}", pruned.len());
    }
    Ok(())
}

async fn import_kuma(
    config: &Config,
    file: PathBuf,
    with_history: bool,
    dry_run: bool,
    json: bool,
) -> anyhow::Result<()> {
    use peekaping::import::kuma;
    let data = tokio::task::spawn_blocking(move || kuma::read_path(&file, with_history))
        .await?
        .map_err(|e| anyhow::anyhow!(e))?;
    let store = app::open_store(&config.store)?;
    let opts = kuma::ImportOptions { dry_run, with_history, limits: config.api.limits };
    let result = kuma::import(store.as_ref(), None, &data, &opts).await;
    store.close().await;
    let report = result.map_err(|e| anyhow::anyhow!("import failed: {e}"))?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.to_text());
        if !dry_run {
            println!("\nA running server schedules the new monitors after a restart.");
        }
    }
    Ok(())
}

async fn healthcheck(config: &Config, url: Option<String>) -> anyhow::Result<()> {
    let url = url.unwrap_or_else(|| format!("http://127.0.0.1:{}/api/v1/health", config.api.port));
    let client = reqwest::Client::builder().timeout(std::time::Duration::from_secs(5)).build()?;
    let resp = client.get(&url).send().await.with_context(|| format!("{url} does not answer"))?;
    if !resp.status().is_success() {
        bail!("{url} answered {}", resp.status());
    }
    println!("ok");
    Ok(())
}

/// Builds the API on a throw-away database just to render its OpenAPI document.
async fn openapi_document() -> anyhow::Result<String> {
    let dir = std::env::temp_dir().join(format!("peekaping-openapi-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("spec.db");
    let result = async {
        peekaping::store::sqlite::SqliteStore::migrate_up(&path, None)?;
        let store = app::open_store(&peekaping::config::StoreConfig::Sqlite { path: path.clone(), sync_full: false })?;
        let bus: Arc<dyn peekaping::bus::Bus> =
            Arc::new(peekaping::bus::embedded::EmbeddedBus::open(&Default::default())?);
        let state = peekaping::api::AppState::new(store.clone(), bus, Default::default()).await?;
        let spec = peekaping::api::openapi_json(&state);
        store.close().await;
        anyhow::Ok(spec)
    }
    .await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

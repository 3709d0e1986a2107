//! One `Config` for the process, composed from each component's own config struct.
//!
//! Precedence: command-line flags, then environment (`PEEKAPING_*`, plus Peekaping's
//! `DB_TYPE`, `DB_NAME`, `SERVER_PORT`, `LOG_LEVEL`, `QUEUE_CONCURRENCY` and
//! `BRUTEFORCE_*` names), then the optional TOML file, then defaults. Every value is
//! validated here; a bad one stops start-up with one line naming the setting and its
//! sources, e.g. `invalid port "abc" (--port, PEEKAPING_PORT, SERVER_PORT, [server] port): …`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::api::{ApiConfig, BruteForceConfig};
use crate::domain::monitor::MonitorLimits;
use crate::ingester::IngesterConfig;
use crate::producer::ProducerConfig;
use crate::worker::WorkerConfig;

/// Where state is stored.
#[derive(Clone, Debug, PartialEq)]
pub enum StoreConfig {
    Sqlite { path: PathBuf, sync_full: bool },
    Postgres { url: String },
    Mongo { url: String },
}

/// How components talk.
#[derive(Clone, Debug, PartialEq)]
pub enum BusConfig {
    /// In-process; `path` holds the durable queues.
    Embedded {
        path: PathBuf,
    },
    Nats {
        url: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// The whole configuration of one process.
#[derive(Clone, Debug)]
pub struct Config {
    pub data_dir: PathBuf,
    pub log_level: String,
    pub log_format: LogFormat,
    pub store: StoreConfig,
    pub bus: BusConfig,
    pub api: ApiConfig,
    pub producer: ProducerConfig,
    pub worker: WorkerConfig,
    pub ingester: IngesterConfig,
    /// The monitors file (config as code), applied at start and by `peekaping apply`.
    pub monitors_file: Option<PathBuf>,
}

/// A setting: its canonical name, the flag, the environment names and the file key that
/// can carry it. The first source that has a value wins, in this order.
struct Setting {
    name: &'static str,
    flag: &'static str,
    env: &'static [&'static str],
    file: &'static str,
}

const SETTINGS: &[Setting] = &[
    Setting { name: "data_dir", flag: "--data-dir", env: &["PEEKAPING_DATA_DIR"], file: "data_dir" },
    Setting { name: "host", flag: "--host", env: &["PEEKAPING_HOST"], file: "server.host" },
    Setting { name: "port", flag: "--port", env: &["PEEKAPING_PORT", "SERVER_PORT"], file: "server.port" },
    Setting { name: "db", flag: "--db", env: &["PEEKAPING_DB"], file: "database.url" },
    Setting { name: "db_type", flag: "", env: &["DB_TYPE"], file: "" },
    Setting { name: "db_name", flag: "", env: &["DB_NAME"], file: "" },
    Setting {
        name: "sqlite_sync",
        flag: "--sqlite-sync",
        env: &["PEEKAPING_SQLITE_SYNC"],
        file: "database.sqlite_sync",
    },
    Setting {
        name: "ingest_linger",
        flag: "--ingest-linger",
        env: &["PEEKAPING_INGEST_LINGER"],
        file: "database.ingest_linger",
    },
    Setting { name: "bus", flag: "--bus", env: &["PEEKAPING_BUS"], file: "bus.url" },
    Setting { name: "log_level", flag: "--log-level", env: &["PEEKAPING_LOG", "LOG_LEVEL"], file: "log.level" },
    Setting { name: "log_format", flag: "--log-format", env: &["PEEKAPING_LOG_FORMAT"], file: "log.format" },
    Setting {
        name: "min_interval",
        flag: "--min-interval",
        env: &["PEEKAPING_MIN_INTERVAL"],
        file: "monitors.min_interval",
    },
    Setting {
        name: "worker_concurrency",
        flag: "--worker-concurrency",
        env: &["PEEKAPING_WORKER_CONCURRENCY", "QUEUE_CONCURRENCY"],
        file: "worker.concurrency",
    },
    Setting { name: "location", flag: "--location", env: &["PEEKAPING_LOCATION"], file: "worker.location" },
    Setting {
        name: "max_body_bytes",
        flag: "--max-body-bytes",
        env: &["PEEKAPING_MAX_BODY_BYTES"],
        file: "worker.max_body_bytes",
    },
    Setting { name: "swagger", flag: "--swagger", env: &["PEEKAPING_SWAGGER"], file: "server.swagger" },
    Setting {
        name: "monitors_file",
        flag: "--monitors-file",
        env: &["PEEKAPING_MONITORS_FILE"],
        file: "monitors.file",
    },
    Setting {
        name: "bruteforce_max_attempts",
        flag: "",
        env: &["PEEKAPING_BRUTEFORCE_MAX_ATTEMPTS", "BRUTEFORCE_MAX_ATTEMPTS"],
        file: "auth.bruteforce_max_attempts",
    },
    Setting {
        name: "bruteforce_window",
        flag: "",
        env: &["PEEKAPING_BRUTEFORCE_WINDOW", "BRUTEFORCE_WINDOW"],
        file: "auth.bruteforce_window",
    },
    Setting {
        name: "bruteforce_lockout",
        flag: "",
        env: &["PEEKAPING_BRUTEFORCE_LOCKOUT", "BRUTEFORCE_LOCKOUT"],
        file: "auth.bruteforce_lockout",
    },
];

/// A bad setting, phrased for a person reading one line of output.
#[derive(Debug, thiserror::Error)]
#[error("invalid {name} {value:?} ({sources}): {reason}")]
pub struct ConfigError {
    pub name: String,
    pub value: String,
    pub sources: String,
    pub reason: String,
}

/// Raw values gathered from the sources, before validation.
#[derive(Debug, Default, Clone)]
pub struct RawSettings {
    /// Values from command-line flags, by setting name.
    pub flags: HashMap<&'static str, String>,
    /// Path of the TOML file, if any.
    pub config_file: Option<PathBuf>,
}

impl RawSettings {
    pub fn flag(&mut self, name: &'static str, value: Option<String>) {
        if let Some(v) = value {
            self.flags.insert(name, v);
        }
    }
}

struct Resolver {
    flags: HashMap<&'static str, String>,
    env: HashMap<String, String>,
    file: HashMap<String, String>,
}

impl Resolver {
    fn setting(name: &str) -> &'static Setting {
        SETTINGS.iter().find(|s| s.name == name).expect("every looked-up setting is declared")
    }

    fn sources(name: &str) -> String {
        let s = Self::setting(name);
        let mut parts: Vec<String> = Vec::new();
        if !s.flag.is_empty() {
            parts.push(s.flag.to_string());
        }
        parts.extend(s.env.iter().map(|e| e.to_string()));
        if let Some((section, key)) = s.file.split_once('.') {
            parts.push(format!("[{section}] {key}"));
        } else if !s.file.is_empty() {
            parts.push(s.file.to_string());
        }
        parts.join(", ")
    }

    fn get(&self, name: &str) -> Option<String> {
        let s = Self::setting(name);
        if let Some(v) = self.flags.get(name) {
            return Some(v.clone());
        }
        for e in s.env {
            if let Some(v) = self.env.get(*e).filter(|v| !v.is_empty()) {
                return Some(v.clone());
            }
        }
        if !s.file.is_empty() {
            return self.file.get(s.file).cloned();
        }
        None
    }

    fn error(&self, name: &str, value: &str, reason: impl Into<String>) -> ConfigError {
        ConfigError {
            name: name.to_string(),
            value: value.to_string(),
            sources: Self::sources(name),
            reason: reason.into(),
        }
    }

    fn parse<T: std::str::FromStr>(
        &self,
        name: &str,
        default: T,
        check: impl Fn(&T) -> Result<(), String>,
    ) -> Result<T, ConfigError>
    where
        T::Err: std::fmt::Display,
    {
        match self.get(name) {
            None => Ok(default),
            Some(raw) => {
                let v: T = raw.trim().parse().map_err(|e: T::Err| self.error(name, &raw, e.to_string()))?;
                check(&v).map_err(|r| self.error(name, &raw, r))?;
                Ok(v)
            }
        }
    }

    fn duration(&self, name: &str, default: Duration) -> Result<Duration, ConfigError> {
        match self.get(name) {
            None => Ok(default),
            Some(raw) => parse_duration(&raw).map_err(|r| self.error(name, &raw, r)),
        }
    }

    fn boolean(&self, name: &str, default: bool) -> Result<bool, ConfigError> {
        match self.get(name) {
            None => Ok(default),
            Some(raw) => match raw.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => Ok(true),
                "0" | "false" | "no" | "off" => Ok(false),
                _ => Err(self.error(name, &raw, "expected true or false")),
            },
        }
    }
}

/// Parses `90`, `90s`, `5m`, `2h`, `1d` (a bare number is seconds).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let (num, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let n: u64 = num.parse().map_err(|_| "expected a duration like 90s, 5m, 2h or 1d".to_string())?;
    let secs = match unit.trim() {
        "" | "s" => n,
        "ms" => return Ok(Duration::from_millis(n)),
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        other => return Err(format!("unknown duration unit {other:?}; use s, m, h or d")),
    };
    Ok(Duration::from_secs(secs))
}

/// Flattens a TOML document to `section.key` → string value.
fn flatten_toml(text: &str, path: &std::path::Path) -> Result<HashMap<String, String>, ConfigError> {
    let doc: toml::Table = text.parse().map_err(|e: toml::de::Error| ConfigError {
        name: "config file".into(),
        value: path.display().to_string(),
        sources: "--config, PEEKAPING_CONFIG".into(),
        reason: e.to_string().lines().next().unwrap_or("not valid TOML").to_string(),
    })?;
    let mut out = HashMap::new();
    fn walk(prefix: &str, t: &toml::Table, out: &mut HashMap<String, String>) {
        for (k, v) in t {
            let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
            match v {
                toml::Value::Table(inner) => walk(&key, inner, out),
                toml::Value::String(s) => {
                    out.insert(key, s.clone());
                }
                other => {
                    out.insert(key, other.to_string());
                }
            }
        }
    }
    walk("", &doc, &mut out);
    let known: Vec<&str> = SETTINGS.iter().map(|s| s.file).filter(|f| !f.is_empty()).collect();
    if let Some(unknown) = out.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(ConfigError {
            name: "config file".into(),
            value: path.display().to_string(),
            sources: "--config, PEEKAPING_CONFIG".into(),
            reason: format!("unknown setting {unknown:?} (known: {})", known.join(", ")),
        });
    }
    Ok(out)
}

impl Config {
    /// Builds the configuration from flags, the process environment and the file.
    pub fn load(raw: RawSettings) -> Result<Self, ConfigError> {
        Self::load_from(raw, std::env::vars().collect())
    }

    /// As `load`, with an explicit environment (for tests).
    pub fn load_from(raw: RawSettings, env: HashMap<String, String>) -> Result<Self, ConfigError> {
        let config_file = raw
            .config_file
            .clone()
            .or_else(|| env.get("PEEKAPING_CONFIG").filter(|v| !v.is_empty()).map(PathBuf::from));
        let file = match &config_file {
            None => HashMap::new(),
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|e| ConfigError {
                    name: "config file".into(),
                    value: p.display().to_string(),
                    sources: "--config, PEEKAPING_CONFIG".into(),
                    reason: e.to_string(),
                })?;
                flatten_toml(&text, p)?
            }
        };
        let r = Resolver { flags: raw.flags, env, file };

        let data_dir = PathBuf::from(r.get("data_dir").unwrap_or_else(|| "./data".into()));
        let host: IpAddr = r.parse("host", IpAddr::from([0, 0, 0, 0]), |_| Ok(()))?;
        let port: u16 =
            r.parse("port", 8383, |p| if *p == 0 { Err("expected a port 1-65535".into()) } else { Ok(()) })?;

        let sync_full = match r.get("sqlite_sync").as_deref().map(str::trim) {
            None | Some("full") => true,
            Some("normal") => false,
            Some(other) => return Err(r.error("sqlite_sync", other, "expected full or normal")),
        };
        let store = match (r.get("db"), r.get("db_type")) {
            (Some(url), _) => {
                parse_store_url(&url, &data_dir, sync_full).map_err(|reason| r.error("db", &url, reason))?
            }
            (None, Some(kind)) => match kind.trim().to_ascii_lowercase().as_str() {
                "sqlite" => StoreConfig::Sqlite {
                    path: r.get("db_name").map(PathBuf::from).unwrap_or_else(|| data_dir.join("peekaping.db")),
                    sync_full,
                },
                "postgres" | "postgresql" | "mongo" | "mongodb" | "mysql" => {
                    return Err(r.error(
                        "db_type",
                        &kind,
                        "set the full connection URL in PEEKAPING_DB (postgres://… or mongodb://…) instead of DB_TYPE",
                    ));
                }
                _ => return Err(r.error("db_type", &kind, "expected sqlite, postgres or mongo")),
            },
            (None, None) => StoreConfig::Sqlite { path: data_dir.join("peekaping.db"), sync_full },
        };
        let bus = match r.get("bus") {
            None => BusConfig::Embedded { path: data_dir.join("bus.redb") },
            Some(v) if v.trim() == "embedded" => BusConfig::Embedded { path: data_dir.join("bus.redb") },
            Some(v) if v.starts_with("nats://") || v.starts_with("tls://") => BusConfig::Nats { url: v },
            Some(v) => return Err(r.error("bus", &v, "expected embedded or a nats:// URL")),
        };
        let log_level = r.get("log_level").unwrap_or_else(|| "info".into());
        if !valid_log_filter(&log_level) {
            return Err(r.error(
                "log_level",
                &log_level,
                "expected error, warn, info, debug, trace or a filter like info,peekaping=debug",
            ));
        }
        let log_format = match r.get("log_format").as_deref().map(str::trim) {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => return Err(r.error("log_format", other, "expected text or json")),
        };
        let min_interval: u32 = r.parse("min_interval", 20, |v| {
            if (1..=20).contains(v) { Ok(()) } else { Err("expected 1 to 20 seconds".into()) }
        })?;
        let concurrency: usize = r.parse("worker_concurrency", WorkerConfig::default().concurrency, |v| {
            if (1..=100_000).contains(v) { Ok(()) } else { Err("expected 1 to 100000".into()) }
        })?;
        let max_body_bytes: usize = r.parse("max_body_bytes", WorkerConfig::default().max_body_bytes, |v| {
            if (1024..=1 << 30).contains(v) { Ok(()) } else { Err("expected 1024 to 1073741824 bytes".into()) }
        })?;
        let location = r.get("location").unwrap_or_else(|| "local".into());
        if location.is_empty()
            || location.len() > 64
            || !location.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(r.error("location", &location, "expected 1-64 letters, digits, '-' or '_'"));
        }
        let bf_default = BruteForceConfig::default();
        let bruteforce = BruteForceConfig {
            max_attempts: r.parse("bruteforce_max_attempts", bf_default.max_attempts, |v| {
                if *v >= 1 { Ok(()) } else { Err("expected at least 1".into()) }
            })?,
            window: r.duration("bruteforce_window", bf_default.window)?,
            lockout: r.duration("bruteforce_lockout", bf_default.lockout)?,
        };
        let api = ApiConfig {
            host,
            port,
            swagger: r.boolean("swagger", true)?,
            limits: MonitorLimits { min_interval },
            bruteforce,
        };
        // Results wait this long for company before one transaction writes them: longer
        // means fewer commits (fewer page writes on an SD card), beats shown that much later.
        let ingest_linger = r.duration("ingest_linger", IngesterConfig::default().linger)?;
        if ingest_linger > Duration::from_secs(60) {
            let raw = r.get("ingest_linger").unwrap_or_default();
            return Err(r.error("ingest_linger", &raw, "expected at most 60s"));
        }
        Ok(Config {
            data_dir,
            log_level,
            log_format,
            store,
            bus,
            api,
            producer: ProducerConfig::default(),
            worker: WorkerConfig { concurrency, location, max_body_bytes, ..WorkerConfig::default() },
            ingester: IngesterConfig { linger: ingest_linger, ..IngesterConfig::default() },
            monitors_file: r.get("monitors_file").filter(|v| !v.trim().is_empty()).map(PathBuf::from),
        })
    }
}

fn parse_store_url(url: &str, data_dir: &std::path::Path, sync_full: bool) -> Result<StoreConfig, String> {
    let u = url.trim();
    if let Some(rest) = u.strip_prefix("sqlite://") {
        let path = if rest.is_empty() { data_dir.join("peekaping.db") } else { PathBuf::from(rest) };
        return Ok(StoreConfig::Sqlite { path, sync_full });
    }
    if u.starts_with("postgres://") || u.starts_with("postgresql://") {
        return Ok(StoreConfig::Postgres { url: u.to_string() });
    }
    if u.starts_with("mongodb://") || u.starts_with("mongodb+srv://") {
        return Ok(StoreConfig::Mongo { url: u.to_string() });
    }
    if u.contains("://") {
        return Err("expected sqlite://PATH, postgres://… or mongodb://…".into());
    }
    Ok(StoreConfig::Sqlite { path: PathBuf::from(u), sync_full })
}

/// A log filter is a comma-separated list of levels (`info`) and `target=level` pairs
/// (`peekaping::worker=debug`). A bare word that is not a level would be read as "everything
/// from that target" and silence the rest, so a typo like `inof` is refused instead.
fn valid_log_filter(filter: &str) -> bool {
    const LEVELS: [&str; 6] = ["off", "error", "warn", "info", "debug", "trace"];
    filter.parse::<tracing_subscriber::filter::Targets>().is_ok()
        && filter.split(',').map(str::trim).filter(|d| !d.is_empty()).all(|directive| {
            let level = directive.rsplit_once('=').map_or(directive, |(_, level)| level);
            LEVELS.contains(&level.trim().to_ascii_lowercase().as_str())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn ingest_linger_trades_latency_for_fewer_commits_within_a_minute() {
        let c = Config::load_from(RawSettings::default(), env(&[])).unwrap();
        assert_eq!(c.ingester.linger, Duration::from_millis(200));
        let c = Config::load_from(RawSettings::default(), env(&[("PEEKAPING_INGEST_LINGER", "5s")])).unwrap();
        assert_eq!(c.ingester.linger, Duration::from_secs(5));
        let e = Config::load_from(RawSettings::default(), env(&[("PEEKAPING_INGEST_LINGER", "2m")])).unwrap_err();
        assert!(e.to_string().contains("ingest_linger") && e.to_string().contains("60s"), "{e}");
    }

    #[test]
    fn defaults_are_an_appliance_on_8383_with_sqlite_in_data() {
        let c = Config::load_from(RawSettings::default(), env(&[])).unwrap();
        assert_eq!(c.api.port, 8383);
        assert_eq!(c.store, StoreConfig::Sqlite { path: PathBuf::from("./data/peekaping.db"), sync_full: true });
        assert!(matches!(c.bus, BusConfig::Embedded { .. }));
        assert_eq!(c.api.limits.min_interval, 20);
    }

    #[test]
    fn flags_beat_env_and_env_beats_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("p.toml");
        std::fs::write(&file, "[server]\nport = 7000\n[log]\nlevel = \"debug\"\n").unwrap();
        let mut raw = RawSettings { config_file: Some(file.clone()), ..Default::default() };
        let c = Config::load_from(raw.clone(), env(&[])).unwrap();
        assert_eq!(c.api.port, 7000);
        assert_eq!(c.log_level, "debug");
        let c = Config::load_from(raw.clone(), env(&[("PEEKAPING_PORT", "7100")])).unwrap();
        assert_eq!(c.api.port, 7100);
        raw.flag("port", Some("7200".into()));
        let c = Config::load_from(raw, env(&[("PEEKAPING_PORT", "7100")])).unwrap();
        assert_eq!(c.api.port, 7200);
    }

    #[test]
    fn peekaping_env_names_are_accepted() {
        let c = Config::load_from(
            RawSettings::default(),
            env(&[
                ("SERVER_PORT", "8034"),
                ("DB_TYPE", "sqlite"),
                ("DB_NAME", "/tmp/x.db"),
                ("BRUTEFORCE_MAX_ATTEMPTS", "5"),
            ]),
        )
        .unwrap();
        assert_eq!(c.api.port, 8034);
        assert_eq!(c.store, StoreConfig::Sqlite { path: PathBuf::from("/tmp/x.db"), sync_full: true });
        assert_eq!(c.api.bruteforce.max_attempts, 5);
    }

    #[test]
    fn a_bad_value_is_one_line_naming_the_setting_and_its_sources() {
        let e = Config::load_from(RawSettings::default(), env(&[("PEEKAPING_PORT", "abc")])).unwrap_err();
        let line = e.to_string();
        assert!(!line.contains('\n'));
        assert!(line.contains("port") && line.contains("\"abc\"") && line.contains("PEEKAPING_PORT"), "{line}");
        let e = Config::load_from(RawSettings::default(), env(&[("PEEKAPING_MIN_INTERVAL", "0")])).unwrap_err();
        assert!(e.to_string().contains("min_interval"));
        let e = Config::load_from(RawSettings::default(), env(&[("PEEKAPING_BUS", "redis://x")])).unwrap_err();
        assert!(e.to_string().contains("bus"));
    }

    #[test]
    fn unknown_file_settings_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("p.toml");
        std::fs::write(&file, "[server]\nprot = 1\n").unwrap();
        let e = Config::load_from(RawSettings { config_file: Some(file), ..Default::default() }, env(&[])).unwrap_err();
        assert!(e.to_string().contains("server.prot"), "{e}");
    }

    #[test]
    fn log_filters_are_levels_or_target_level_pairs() {
        for ok in ["info", "DEBUG", "warn,peekaping::worker=trace", "peekaping=debug, info", "off"] {
            assert!(valid_log_filter(ok), "{ok} should be accepted");
        }
        for bad in ["inof", "peekaping", "info,peekaping=loud", "=debug=x"] {
            assert!(!valid_log_filter(bad), "{bad} should be refused");
        }
    }

    #[test]
    fn durations_accept_units() {
        assert_eq!(parse_duration("90").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("1m").unwrap(), Duration::from_secs(60));
        assert_eq!(parse_duration("2h").unwrap(), Duration::from_secs(7200));
        assert!(parse_duration("1y").is_err());
    }
}

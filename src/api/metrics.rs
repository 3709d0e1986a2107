//! `GET /metrics`: Prometheus text exposition (format 0.0.4), hand-written (no client
//! crate: the format is a few lines, and the binary stays small).
//!
//! Off unless the setting `metrics_enabled` is `true` (404 otherwise); needs an API key
//! (`X-API-Key`, or `Authorization: Bearer pk_…` as Prometheus' `bearer_token` sends it)
//! or a session. Response times and state changes are counted from the bus's
//! `HeartbeatRecorded` events by `collect`; uptime ratios and certificate expiries come
//! from whole-fleet store queries cached for `FLEET_CACHE_TTL`, so a scrape of 10,000
//! monitors is three queries at most once a minute plus formatting.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::StreamExt;
use poem::web::Data;
use poem::{IntoResponse, Request, Response};
use tokio_util::sync::CancellationToken;

use super::AppState;
use super::error::ApiError;
use crate::bus::{BusEvent, ChangeAction, QueueName};
use crate::domain::rollup::{Granularity, RollupCounts};
use crate::domain::{UnixMillis, now_millis};
use crate::store::MonitorSummary;

/// The setting that turns `/metrics` on.
pub const METRICS_SETTING: &str = "metrics_enabled";

/// Upper bounds (ms) of the response-time histogram buckets.
pub const BUCKETS_MS: [f64; 11] = [5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 2500.0, 5000.0, 10000.0];

const FLEET_CACHE_TTL: Duration = Duration::from_secs(60);

/// The uptime windows reported, with the rollup each is read from. 24 h and 7 d come from
/// hourly buckets (one row per monitor-hour: 24 h from minutes would read 1,440 rows per
/// monitor per scrape), 30 d from daily ones.
const WINDOWS: [(&str, i64, Granularity); 3] = [
    ("24h", 86_400_000, Granularity::Hour),
    ("7d", 7 * 86_400_000, Granularity::Hour),
    ("30d", 30 * 86_400_000, Granularity::Day),
];

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Series {
    buckets: [u64; BUCKETS_MS.len()],
    count: u64,
    sum_ms: f64,
    state_changes: u64,
}

struct FleetCache {
    at: Instant,
    uptime: Vec<HashMap<String, RollupCounts>>,
    cert_expiry: HashMap<String, UnixMillis>,
}

/// What the API process counts for `/metrics`.
pub struct Metrics {
    /// Heartbeats are counted only while `/metrics` is on (the default is off): a disabled
    /// feature should cost neither a lock per beat nor a series per monitor.
    observing: AtomicBool,
    series: Mutex<HashMap<String, Series>>,
    fleet: tokio::sync::Mutex<Option<Arc<FleetCache>>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self {
            observing: AtomicBool::new(false),
            series: Mutex::new(HashMap::new()),
            fleet: tokio::sync::Mutex::new(None),
        }
    }
}

impl Metrics {
    /// Starts or stops counting heartbeats; stopping drops the series (a Prometheus
    /// counter reset when it starts again).
    pub fn set_observing(&self, on: bool) {
        if !self.observing.swap(on, Ordering::Relaxed) || on {
            return;
        }
        if let Ok(mut series) = self.series.lock() {
            series.clear();
        }
    }

    /// Counts one recorded heartbeat (while observing).
    pub fn observe(&self, event: &BusEvent) {
        if !self.observing.load(Ordering::Relaxed) {
            return;
        }
        let Ok(mut series) = self.series.lock() else { return };
        match event {
            BusEvent::HeartbeatRecorded { heartbeat, previous_status, .. } => {
                let s = series.entry(heartbeat.monitor_id.clone()).or_default();
                if let Some(us) = heartbeat.ping_us {
                    let ms = us as f64 / 1000.0;
                    for (i, le) in BUCKETS_MS.iter().enumerate() {
                        if ms <= *le {
                            s.buckets[i] += 1;
                        }
                    }
                    s.count += 1;
                    s.sum_ms += ms;
                }
                if previous_status.is_some_and(|p| p != heartbeat.status) {
                    s.state_changes += 1;
                }
            }
            BusEvent::MonitorChanged { id, action: ChangeAction::Deleted } => {
                series.remove(id);
            }
            _ => {}
        }
    }

    async fn fleet(&self, state: &AppState) -> Result<Arc<FleetCache>, ApiError> {
        let mut guard = self.fleet.lock().await;
        if let Some(c) = guard.as_ref()
            && c.at.elapsed() < FLEET_CACHE_TTL
        {
            return Ok(c.clone());
        }
        let now = now_millis();
        let mut uptime = Vec::with_capacity(WINDOWS.len());
        for (_, span, g) in WINDOWS {
            uptime.push(state.store.rollup_totals(g, g.bucket_start(now - span + 1), now + 1).await?);
        }
        let cert_expiry = state.store.certificate_expiries().await?;
        let c = Arc::new(FleetCache { at: Instant::now(), uptime, cert_expiry });
        *guard = Some(c.clone());
        Ok(c)
    }
}

/// Feeds `state.metrics` from the bus until shutdown.
pub async fn collect(state: Arc<AppState>, shutdown: CancellationToken) {
    let mut events = match state.bus.subscribe().await {
        Ok(e) => e,
        Err(e) => {
            tracing::warn!(error = %e, "metrics cannot subscribe to bus events; response-time histograms stay empty");
            return;
        }
    };
    match enabled(&state).await {
        Ok(on) => state.metrics.set_observing(on),
        Err(e) => {
            tracing::warn!(error = %e, "metrics cannot read the metrics_enabled setting; counting starts at the first scrape")
        }
    }
    loop {
        tokio::select! {
            ev = events.next() => match ev {
                Some(ev) => state.metrics.observe(&ev),
                None => return,
            },
            _ = shutdown.cancelled() => return,
        }
    }
}

/// Escapes a label value: backslash, double quote and line feed.
pub fn escape_label(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// A float as Prometheus reads it.
fn num(v: f64) -> String {
    if v.is_infinite() {
        if v > 0.0 { "+Inf".into() } else { "-Inf".into() }
    } else if v.is_nan() {
        "NaN".into()
    } else {
        format!("{v}")
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// Figures about this process, from `/proc/self` (absent elsewhere).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProcessFigures {
    pub rss_bytes: Option<u64>,
    pub cpu_seconds: Option<f64>,
    pub open_fds: Option<u64>,
    pub start_time_seconds: Option<f64>,
}

impl ProcessFigures {
    pub fn read() -> Self {
        // SAFETY: sysconf only reads a configuration value.
        let (tick, page) = unsafe { (libc::sysconf(libc::_SC_CLK_TCK), libc::sysconf(libc::_SC_PAGESIZE)) };
        let tick = if tick > 0 { tick as f64 } else { 100.0 };
        let mut f = Self::default();
        if let Ok(statm) = std::fs::read_to_string("/proc/self/statm") {
            f.rss_bytes =
                statm.split_whitespace().nth(1).and_then(|p| p.parse::<u64>().ok()).map(|p| p * page.max(1) as u64);
        }
        if let Ok(stat) = std::fs::read_to_string("/proc/self/stat") {
            // Fields after the command name (which may hold spaces), which ends with ')'.
            let rest: Vec<&str> =
                stat.rsplit_once(')').map(|(_, r)| r.split_whitespace().collect()).unwrap_or_default();
            // rest[0] is field 3 (state): utime is field 14, stime 15, starttime 22.
            let field = |n: usize| rest.get(n - 3).and_then(|v| v.parse::<f64>().ok());
            if let (Some(u), Some(s)) = (field(14), field(15)) {
                f.cpu_seconds = Some((u + s) / tick);
            }
            let boot = std::fs::read_to_string("/proc/stat").ok().and_then(|s| {
                s.lines().find_map(|l| l.strip_prefix("btime ").and_then(|v| v.trim().parse::<f64>().ok()))
            });
            if let (Some(start), Some(boot)) = (field(22), boot) {
                f.start_time_seconds = Some(boot + start / tick);
            }
        }
        f.open_fds = std::fs::read_dir("/proc/self/fd").ok().map(|d| d.count() as u64);
        f
    }
}

/// Everything one scrape reports.
pub struct Snapshot<'a> {
    pub monitors: &'a [MonitorSummary],
    pub series: &'a HashMap<String, Series>,
    pub uptime: &'a [HashMap<String, RollupCounts>],
    pub cert_expiry: &'a HashMap<String, UnixMillis>,
    pub queues: &'a [(&'static str, u64)],
    pub process: &'a ProcessFigures,
    pub now: UnixMillis,
}

/// Writes the exposition text.
pub fn render(s: &Snapshot<'_>) -> String {
    let labels: Vec<String> = s
        .monitors
        .iter()
        .map(|m| {
            format!(
                "monitor_id=\"{}\",monitor_name=\"{}\",monitor_type=\"{}\"",
                escape_label(&m.id),
                escape_label(&m.name),
                escape_label(&m.kind)
            )
        })
        .collect();
    let mut out = String::with_capacity(256 + s.monitors.len() * 1200);

    header(&mut out, "peekaping_monitor_status", "gauge", "Monitor status: 0 down, 1 up, 2 pending, 3 maintenance.");
    for (m, l) in s.monitors.iter().zip(&labels) {
        let _ = writeln!(out, "peekaping_monitor_status{{{l}}} {}", m.status.as_u8());
    }
    header(&mut out, "peekaping_monitor_active", "gauge", "1 if the monitor is active, 0 if paused.");
    for (m, l) in s.monitors.iter().zip(&labels) {
        let _ = writeln!(out, "peekaping_monitor_active{{{l}}} {}", u8::from(m.active));
    }

    let name = "peekaping_monitor_response_time_ms";
    header(&mut out, name, "histogram", "Response time of checks since this API process started, in milliseconds.");
    for (m, l) in s.monitors.iter().zip(&labels) {
        let Some(series) = s.series.get(&m.id) else { continue };
        for (i, le) in BUCKETS_MS.iter().enumerate() {
            let _ = writeln!(out, "{name}_bucket{{{l},le=\"{}\"}} {}", num(*le), series.buckets[i]);
        }
        let _ = writeln!(out, "{name}_bucket{{{l},le=\"+Inf\"}} {}", series.count);
        let _ = writeln!(out, "{name}_sum{{{l}}} {}", num(series.sum_ms));
        let _ = writeln!(out, "{name}_count{{{l}}} {}", series.count);
    }

    header(
        &mut out,
        "peekaping_monitor_state_changes_total",
        "counter",
        "Status changes since this API process started.",
    );
    for (m, l) in s.monitors.iter().zip(&labels) {
        let n = s.series.get(&m.id).map_or(0, |x| x.state_changes);
        let _ = writeln!(out, "peekaping_monitor_state_changes_total{{{l}}} {n}");
    }

    header(
        &mut out,
        "peekaping_monitor_uptime_ratio",
        "gauge",
        "Share of UP checks in the window (0..1), from rollups.",
    );
    for (w, (window, _, _)) in WINDOWS.iter().enumerate() {
        let Some(totals) = s.uptime.get(w) else { continue };
        for (m, l) in s.monitors.iter().zip(&labels) {
            if let Some(p) = totals.get(&m.id).and_then(RollupCounts::uptime_percent) {
                let _ = writeln!(out, "peekaping_monitor_uptime_ratio{{{l},window=\"{window}\"}} {}", num(p / 100.0));
            }
        }
    }

    header(&mut out, "peekaping_monitor_cert_days_remaining", "gauge", "Days until the leaf certificate expires.");
    for (m, l) in s.monitors.iter().zip(&labels) {
        if let Some(exp) = s.cert_expiry.get(&m.id) {
            let days = (exp - s.now) as f64 / 86_400_000.0;
            let _ =
                writeln!(out, "peekaping_monitor_cert_days_remaining{{{l}}} {}", num((days * 100.0).round() / 100.0));
        }
    }

    header(&mut out, "peekaping_queue_depth", "gauge", "Messages waiting or in flight on a bus queue.");
    for (q, d) in s.queues {
        let _ = writeln!(out, "peekaping_queue_depth{{queue=\"{q}\"}} {d}");
    }

    let p = s.process;
    let mut proc_metric = |name: &str, kind: &str, help: &str, v: Option<f64>| {
        if let Some(v) = v {
            header(&mut out, name, kind, help);
            let _ = writeln!(out, "{name} {}", num(v));
        }
    };
    proc_metric(
        "process_resident_memory_bytes",
        "gauge",
        "Resident memory size in bytes.",
        p.rss_bytes.map(|v| v as f64),
    );
    proc_metric("process_cpu_seconds_total", "counter", "Total user and system CPU time in seconds.", p.cpu_seconds);
    proc_metric("process_open_fds", "gauge", "Number of open file descriptors.", p.open_fds.map(|v| v as f64));
    proc_metric(
        "process_start_time_seconds",
        "gauge",
        "Start time of the process since the Unix epoch in seconds.",
        p.start_time_seconds,
    );
    out
}

/// `GET /metrics`.
#[poem::handler]
pub async fn endpoint(req: &Request, state: Data<&Arc<AppState>>) -> Response {
    match scrape(req, &state).await {
        Ok(text) => text
            .with_content_type("text/plain; version=0.0.4; charset=utf-8")
            .with_header("Cache-Control", "no-store")
            .into_response(),
        Err(e) => e.into_response(),
    }
}

/// Whether the `metrics_enabled` setting is on.
async fn enabled(state: &AppState) -> crate::store::StoreResult<bool> {
    Ok(state.store.setting(METRICS_SETTING).await?.is_some_and(|s| s.value.trim() == "true"))
}

async fn scrape(req: &Request, state: &Arc<AppState>) -> poem::Result<String> {
    let on = enabled(state).await.map_err(ApiError::from)?;
    // Another API replica may have changed the setting: follow it here too.
    state.metrics.set_observing(on);
    if !on {
        return Err(poem::Error::from(ApiError::not_found(
            "metrics are disabled; set the setting metrics_enabled to true to enable /metrics",
        )));
    }
    super::session::authenticate(req, true).await?;
    let monitors = state.store.monitor_summaries().await.map_err(ApiError::from)?;
    let fleet = state.metrics.fleet(state).await?;
    let mut queues = Vec::with_capacity(QueueName::ALL.len());
    for q in QueueName::ALL {
        if let Ok(d) = state.bus.depth(q).await {
            queues.push((q.as_str(), d));
        }
    }
    let series = state.metrics.series.lock().map(|s| s.clone()).unwrap_or_default();
    let process = ProcessFigures::read();
    Ok(render(&Snapshot {
        monitors: &monitors,
        series: &series,
        uptime: &fleet.uptime,
        cert_expiry: &fleet.cert_expiry,
        queues: &queues,
        process: &process,
        now: now_millis(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::heartbeat::BeatOrigin;
    use crate::domain::{Heartbeat, MonitorStatus};

    fn beat(id: &str, status: MonitorStatus, ping_ms: Option<u64>) -> Heartbeat {
        Heartbeat {
            monitor_id: id.into(),
            time: 0,
            status,
            ping_us: ping_ms.map(|p| p * 1000),
            msg: String::new(),
            important: false,
            notified: false,
            retries: 0,
            down_count: 0,
            duration_ms: 0,
        }
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape_label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }

    #[test]
    fn beats_fill_cumulative_buckets_and_count_state_changes() {
        let m = Metrics::default();
        let ev = |s, p, prev| BusEvent::HeartbeatRecorded {
            heartbeat: beat("m1", s, p),
            previous_status: prev,
            origin: BeatOrigin::default(),
        };
        m.observe(&ev(MonitorStatus::Up, Some(1), None));
        assert!(m.series.lock().unwrap().is_empty(), "nothing is counted while /metrics is off");
        m.set_observing(true);
        m.observe(&ev(MonitorStatus::Up, Some(7), None));
        m.observe(&ev(MonitorStatus::Up, Some(300), Some(MonitorStatus::Up)));
        m.observe(&ev(MonitorStatus::Down, None, Some(MonitorStatus::Up)));
        let s = m.series.lock().unwrap().get("m1").cloned().unwrap();
        assert_eq!(s.count, 2);
        assert_eq!(s.buckets[0], 0); // le 5
        assert_eq!(s.buckets[1], 1); // le 10
        assert_eq!(s.buckets[6], 2); // le 500
        assert_eq!(s.state_changes, 1);
        assert!((s.sum_ms - 307.0).abs() < 1e-9);
        m.set_observing(false);
        assert!(m.series.lock().unwrap().is_empty(), "turning /metrics off drops the series");
    }

    #[test]
    fn render_writes_every_family_with_labels() {
        let monitors = vec![MonitorSummary {
            id: "m1".into(),
            name: "My \"site\"".into(),
            kind: "http".into(),
            active: true,
            status: MonitorStatus::Up,
        }];
        let mut series = HashMap::new();
        series.insert("m1".to_string(), Series { buckets: [1; 11], count: 1, sum_ms: 4.0, state_changes: 2 });
        let mut day = HashMap::new();
        day.insert("m1".to_string(), RollupCounts { up: 3, down: 1, ..Default::default() });
        let mut certs = HashMap::new();
        certs.insert("m1".to_string(), 10 * 86_400_000);
        let text = render(&Snapshot {
            monitors: &monitors,
            series: &series,
            uptime: &[day, HashMap::new(), HashMap::new()],
            cert_expiry: &certs,
            queues: &[("checks", 4)],
            process: &ProcessFigures { rss_bytes: Some(1), ..Default::default() },
            now: 0,
        });
        let l = r#"monitor_id="m1",monitor_name="My \"site\"",monitor_type="http""#;
        assert!(text.contains(&format!("peekaping_monitor_status{{{l}}} 1\n")), "{text}");
        assert!(text.contains(&format!("peekaping_monitor_response_time_ms_bucket{{{l},le=\"+Inf\"}} 1\n")));
        assert!(text.contains(&format!("peekaping_monitor_uptime_ratio{{{l},window=\"24h\"}} 0.75\n")));
        assert!(text.contains(&format!("peekaping_monitor_cert_days_remaining{{{l}}} 10\n")));
        assert!(text.contains(&format!("peekaping_monitor_state_changes_total{{{l}}} 2\n")));
        assert!(text.contains("peekaping_queue_depth{queue=\"checks\"} 4\n"));
        assert!(text.contains("process_resident_memory_bytes 1\n"));
    }

    #[test]
    fn process_figures_come_from_proc() {
        let p = ProcessFigures::read();
        assert!(p.rss_bytes.unwrap() > 0);
        assert!(p.open_fds.unwrap() > 0);
        assert!(p.start_time_seconds.unwrap() > 1.6e9);
    }
}

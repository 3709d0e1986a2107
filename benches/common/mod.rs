//! What every benchmark shares, std-only (plus serde_json for the result files): the
//! `--bench` guard, result files under `target/bench-results/`, readings from `/proc`,
//! a tiny blocking HTTP/1.1 client, the local HTTP check target, and percentiles.
//!
//! Each benchmark uses a different subset of this module.
#![allow(dead_code)]

pub mod target;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where the crate lives (the benches read and write under it).
pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The cargo target directory (honours `CARGO_TARGET_DIR`).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => {
            let d = PathBuf::from(d);
            if d.is_absolute() { d } else { manifest_dir().join(d) }
        }
        None => manifest_dir().join("target"),
    }
}

/// The release binary the process-level benchmarks start (`PEEKAPING_BIN` overrides).
pub fn release_binary() -> PathBuf {
    std::env::var_os("PEEKAPING_BIN").map(PathBuf::from).unwrap_or_else(|| target_dir().join("release/peekaping"))
}

/// Where result files go: `PEEKAPING_BENCH_RESULTS`, or `target/bench-results/`.
pub fn results_dir() -> PathBuf {
    std::env::var_os("PEEKAPING_BENCH_RESULTS").map(PathBuf::from).unwrap_or_else(|| target_dir().join("bench-results"))
}

/// `PEEKAPING_BENCH_QUICK=1` (set by `benches/run.sh --quick`): smaller, shorter runs.
pub fn quick() -> bool {
    std::env::var("PEEKAPING_BENCH_QUICK").is_ok_and(|v| v == "1")
}

/// Handles the command line shared by every benchmark binary and returns its arguments.
///
/// `--bench-target` turns the process into the HTTP check target (see `target`), so a
/// benchmark can run it as a separate process with `std::env::current_exe()`. Without
/// `--bench` (which `cargo bench` passes) the benchmark exits at once: `cargo test
/// --all-targets` builds and runs bench targets, and must not start a minutes-long run.
pub fn start(name: &str) -> Vec<String> {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--bench-target") {
        target::serve_forever();
    }
    if !args.iter().any(|a| a == "--bench" || a.starts_with("--run-")) {
        println!("{name}: skipped (a system benchmark; run it with `cargo bench --bench {name}`)");
        std::process::exit(0);
    }
    args
}

/// The value after `--flag` on the command line, if any.
pub fn arg_value(args: &[String], flag: &str) -> Option<String> {
    args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1).cloned())
}

/// How a measured figure compares with its SPEC §8 target.
#[derive(Clone, Copy, Debug)]
pub enum Goal {
    AtMost(f64),
    AtLeast(f64),
}

impl Goal {
    fn met(self, v: f64) -> bool {
        match self {
            Goal::AtMost(t) => v <= t,
            Goal::AtLeast(t) => v >= t,
        }
    }
}

/// One figure of a benchmark.
pub struct Figure {
    id: String,
    label: String,
    value: f64,
    unit: String,
    goal: Option<(Goal, String)>,
    note: Option<String>,
}

impl Figure {
    pub fn new(id: impl Into<String>, label: impl Into<String>, value: f64, unit: impl Into<String>) -> Self {
        Self { id: id.into(), label: label.into(), value, unit: unit.into(), goal: None, note: None }
    }

    /// Compares the figure with a target of SPEC §8 (`spec_row` names the table row).
    pub fn target(mut self, goal: Goal, spec_row: &str) -> Self {
        self.goal = Some((goal, spec_row.to_string()));
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    fn verdict(&self) -> Option<&'static str> {
        self.goal.as_ref().map(|(g, _)| if g.met(self.value) { "PASS" } else { "MISS" })
    }

    fn to_json(&self) -> serde_json::Value {
        let (target, cmp, spec) = match &self.goal {
            Some((Goal::AtMost(t), s)) => (Some(*t), Some("<="), Some(s.as_str())),
            Some((Goal::AtLeast(t), s)) => (Some(*t), Some(">="), Some(s.as_str())),
            None => (None, None, None),
        };
        serde_json::json!({
            "id": self.id,
            "label": self.label,
            "value": if self.value.is_finite() { Some(self.value) } else { None },
            "unit": self.unit,
            "target": target,
            "cmp": cmp,
            "spec": spec,
            "verdict": self.verdict(),
            "note": self.note,
        })
    }
}

/// Formats a value with sensible precision for reading.
pub fn fmt_value(v: f64) -> String {
    if !v.is_finite() {
        "n/a".into()
    } else if v.abs() >= 1000.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}

/// The figures of one benchmark run, printed as they come and saved as one JSON file.
pub struct Report {
    bench: String,
    title: String,
    method: String,
    figures: Vec<Figure>,
    notes: Vec<String>,
    started: Instant,
}

impl Report {
    /// `bench` names the result file; `method` says in a few lines how it was measured.
    pub fn new(bench: &str, title: &str, method: &str) -> Self {
        println!("== {title} ==");
        Self {
            bench: bench.to_string(),
            title: title.to_string(),
            method: method.to_string(),
            figures: Vec::new(),
            notes: Vec::new(),
            started: Instant::now(),
        }
    }

    pub fn add(&mut self, f: Figure) {
        let mut line = format!("  {:<58} {:>12} {}", f.label, fmt_value(f.value), f.unit);
        if let (Some((goal, _)), Some(v)) = (&f.goal, f.verdict()) {
            let t = match goal {
                Goal::AtMost(t) => format!("<= {}", fmt_value(*t)),
                Goal::AtLeast(t) => format!(">= {}", fmt_value(*t)),
            };
            line.push_str(&format!("   [target {t}: {v}]"));
        }
        println!("{line}");
        if let Some(n) = &f.note {
            println!("  {:<58} ({n})", "");
        }
        self.figures.push(f);
    }

    pub fn note(&mut self, note: impl Into<String>) {
        let note = note.into();
        println!("  note: {note}");
        self.notes.push(note);
    }

    /// Writes `target/bench-results/<bench>.json`.
    pub fn save(&self) {
        let dir = results_dir();
        let doc = serde_json::json!({
            "bench": self.bench,
            "title": self.title,
            "method": self.method,
            "quick": quick(),
            "seconds": self.started.elapsed().as_secs_f64(),
            "finished_unix": std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0),
            "figures": self.figures.iter().map(Figure::to_json).collect::<Vec<_>>(),
            "notes": self.notes,
        });
        let path = dir.join(format!("{}.json", self.bench));
        let written = std::fs::create_dir_all(&dir)
            .and_then(|_| std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap_or_default()));
        match written {
            Ok(()) => println!("  results: {}", path.display()),
            Err(e) => eprintln!("  cannot write {}: {e}", path.display()),
        }
    }
}

/// Nearest-rank percentile (`p` in 0–1) of unsorted samples.
pub fn percentile(samples: &[f64], p: f64) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    let mut s = samples.to_vec();
    s.sort_by(f64::total_cmp);
    let rank = ((p * s.len() as f64).ceil() as usize).clamp(1, s.len());
    s[rank - 1]
}

/// A process id as a `/proc` path component (`self` for this process).
fn proc_dir(pid: Option<u32>) -> PathBuf {
    match pid {
        Some(p) => PathBuf::from(format!("/proc/{p}")),
        None => PathBuf::from("/proc/self"),
    }
}

/// A `kB` field of `/proc/<pid>/status` (VmRSS, VmHWM…), in bytes.
pub fn status_bytes(pid: Option<u32>, field: &str) -> Option<u64> {
    let text = std::fs::read_to_string(proc_dir(pid).join("status")).ok()?;
    let line = text.lines().find(|l| l.starts_with(field) && l[field.len()..].starts_with(':'))?;
    let kb: u64 = line[field.len() + 1..].trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb * 1024)
}

pub fn rss_bytes(pid: Option<u32>) -> Option<u64> {
    status_bytes(pid, "VmRSS")
}

pub fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// Clock ticks per second of `/proc/<pid>/stat` times (USER_HZ, 100 on Linux).
fn ticks_per_second() -> f64 {
    static HZ: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *HZ.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse::<f64>().ok())
            .filter(|hz| *hz > 0.0)
            .unwrap_or(100.0)
    })
}

/// User + system CPU time a process has used so far, in seconds.
pub fn cpu_seconds(pid: Option<u32>) -> Option<f64> {
    let text = std::fs::read_to_string(proc_dir(pid).join("stat")).ok()?;
    // Fields after the command name (which may hold spaces), starting at field 3.
    let rest = &text[text.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / ticks_per_second())
}

/// CPU seconds used so far by each thread of a process, by thread id, with its name.
pub fn thread_cpu(pid: Option<u32>) -> std::collections::HashMap<u32, (String, f64)> {
    let mut out = std::collections::HashMap::new();
    let Ok(tasks) = std::fs::read_dir(proc_dir(pid).join("task")) else { return out };
    for task in tasks.flatten() {
        let Some(tid) = task.file_name().to_str().and_then(|t| t.parse::<u32>().ok()) else { continue };
        let name = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default().trim().to_string();
        let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else { continue };
        let Some(close) = stat.rfind(')') else { continue };
        let fields: Vec<&str> = stat[close + 2..].split_whitespace().collect();
        let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
        out.insert(tid, (name, (ticks(11) + ticks(12)) / ticks_per_second()));
    }
    out
}

/// Where CPU went between two `thread_cpu` readings, by thread name, largest first, as
/// "name n% · name n%" of one core over `secs` (threads that ended in between are lost).
pub fn thread_breakdown(
    before: &std::collections::HashMap<u32, (String, f64)>,
    after: &std::collections::HashMap<u32, (String, f64)>,
    secs: f64,
) -> String {
    let mut by_name: std::collections::BTreeMap<String, f64> = Default::default();
    for (tid, (name, cpu)) in after {
        let start = before.get(tid).map_or(0.0, |(_, c)| *c);
        *by_name.entry(name.clone()).or_default() += cpu - start;
    }
    let mut rows: Vec<(String, f64)> = by_name.into_iter().filter(|(_, c)| *c > 0.0).collect();
    rows.sort_by(|a, b| b.1.total_cmp(&a.1));
    rows.iter().map(|(n, c)| format!("{n} {:.1}%", c / secs * 100.0)).collect::<Vec<_>>().join(" · ")
}

/// Threads of a process.
pub fn thread_count(pid: Option<u32>) -> Option<u64> {
    let text = std::fs::read_to_string(proc_dir(pid).join("status")).ok()?;
    text.lines().find_map(|l| l.strip_prefix("Threads:")).and_then(|v| v.trim().parse().ok())
}

/// A free TCP port on 127.0.0.1 (bound and released; good enough on a quiet machine).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("the loopback interface can bind an ephemeral port")
}

/// Sum of the sizes of `path` and its `-wal` and `-shm` companions that exist.
pub fn sqlite_files_bytes(path: &Path) -> (u64, u64, u64) {
    let size = |p: PathBuf| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    let shm = PathBuf::from(format!("{}-shm", path.display()));
    (size(path.to_path_buf()), size(wal), size(shm))
}

/// A keep-alive HTTP/1.1 connection for measuring API latency without an async client.
pub struct HttpConn {
    addr: SocketAddr,
    reader: BufReader<TcpStream>,
}

/// A response: status code and body.
pub struct HttpResponse {
    pub status: u16,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

impl HttpConn {
    pub fn connect(addr: SocketAddr) -> std::io::Result<Self> {
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        Ok(Self { addr, reader: BufReader::new(stream) })
    }

    /// Sends one request and reads the whole response (Content-Length or chunked).
    pub fn request(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&str>,
    ) -> std::io::Result<HttpResponse> {
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\nAccept: application/json\r\n", self.addr);
        if let Some(t) = token {
            head.push_str(&format!("Authorization: Bearer {t}\r\n"));
        }
        if let Some(b) = body {
            head.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n", b.len()));
        }
        head.push_str("\r\n");
        let stream = self.reader.get_mut();
        stream.write_all(head.as_bytes())?;
        if let Some(b) = body {
            stream.write_all(b.as_bytes())?;
        }
        stream.flush()?;
        self.read_response()
    }

    fn read_response(&mut self) -> std::io::Result<HttpResponse> {
        let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string());
        let mut line = String::new();
        if self.reader.read_line(&mut line)? == 0 {
            return Err(bad("connection closed before a response"));
        }
        let status: u16 =
            line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or_else(|| bad("status line"))?;
        let mut length: Option<usize> = None;
        let mut chunked = false;
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                let v = v.trim();
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.parse().ok();
                } else if k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked") {
                    chunked = true;
                }
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                self.reader.read_line(&mut line)?;
                let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                    .map_err(|_| bad("chunk size"))?;
                let mut chunk = vec![0u8; size + 2];
                self.reader.read_exact(&mut chunk)?;
                if size == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..size]);
            }
        } else if let Some(n) = length {
            body.resize(n, 0);
            self.reader.read_exact(&mut body)?;
        }
        Ok(HttpResponse { status, body })
    }
}

/// GET on a fresh connection; the status code, or an error while nothing listens.
pub fn get_status(addr: SocketAddr, path: &str) -> std::io::Result<u16> {
    let mut c = HttpConn::connect(addr)?;
    c.request("GET", path, None, None).map(|r| r.status)
}

/// A running `peekaping serve` started by a benchmark; stopped (SIGTERM, then SIGKILL)
/// when dropped, so a failing benchmark does not leave it behind.
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    /// Spawn to first `200` from `/api/v1/health`.
    pub start_to_serve: Duration,
}

impl Server {
    /// Starts the release binary on a free loopback port and waits (at most `wait`) for
    /// `/api/v1/health` to answer 200, polling every millisecond.
    pub fn start(data_dir: &Path, extra_env: &[(&str, &str)], wait: Duration) -> std::io::Result<Server> {
        let bin = release_binary();
        if !bin.exists() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{} is missing: run `cargo build --release` first", bin.display()),
            ));
        }
        std::fs::create_dir_all(data_dir)?;
        let port = free_port();
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let log = std::fs::OpenOptions::new().create(true).append(true).open(data_dir.join("server.log"))?;
        let mut cmd = Command::new(&bin);
        cmd.arg("serve")
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--port")
            .arg(port.to_string())
            .arg("--host")
            .arg("127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::from(log.try_clone()?))
            .stderr(Stdio::from(log));
        for (k, _) in std::env::vars() {
            if k.starts_with("PEEKAPING_") {
                cmd.env_remove(k);
            }
        }
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        let spawned = Instant::now();
        let child = cmd.spawn()?;
        let mut server = Server { child, addr, data_dir: data_dir.to_path_buf(), start_to_serve: Duration::ZERO };
        loop {
            if let Ok(200) = get_status(addr, "/api/v1/health") {
                server.start_to_serve = spawned.elapsed();
                return Ok(server);
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(std::io::Error::other(format!(
                    "peekaping exited with {status} before serving; see {}",
                    data_dir.join("server.log").display()
                )));
            }
            if spawned.elapsed() > wait {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    format!("peekaping did not serve within {wait:?}"),
                ));
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Stops the server gracefully (SIGTERM), killing it after `grace`.
    pub fn stop(mut self, grace: Duration) -> Duration {
        self.terminate(grace)
    }

    fn terminate(&mut self, grace: Duration) -> Duration {
        let asked = Instant::now();
        if let Ok(Some(_)) = self.child.try_wait() {
            return Duration::ZERO;
        }
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        while asked.elapsed() < grace {
            if let Ok(Some(_)) = self.child.try_wait() {
                return asked.elapsed();
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        asked.elapsed()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.terminate(Duration::from_secs(10));
    }
}

/// Registers the admin on a fresh server and returns an access token.
pub fn register_admin(addr: SocketAddr) -> std::io::Result<String> {
    let mut c = HttpConn::connect(addr)?;
    let body = r#"{"email":"bench@example.com","password":"Bench-pass-1!"}"#;
    let r = c.request("POST", "/api/v1/auth/register", None, Some(body))?;
    let v = r.json();
    v["data"]["accessToken"].as_str().map(str::to_string).ok_or_else(|| {
        std::io::Error::other(format!("register answered {}: {}", r.status, String::from_utf8_lossy(&r.body)))
    })
}

/// A temporary directory removed on drop (under `$TMPDIR`, not in the work tree).
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> Self {
        let unique = format!(
            "peekaping-bench-{prefix}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
        );
        let path = std::env::temp_dir().join(unique);
        std::fs::create_dir_all(&path).expect("the temp directory is writable");
        Self(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A small deterministic PRNG (xorshift64*), so runs are comparable.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `lo..hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo).max(1)
    }
}

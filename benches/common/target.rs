//! The HTTP target the check benchmarks monitor: a tiny blocking HTTP/1.1 responder on
//! 127.0.0.1 that answers every request `200 OK` with a two-byte body and closes.
//!
//! It runs as a separate process (the benchmark binary re-executed with
//! `--bench-target`), so the CPU time and RSS measured for Peekaping never include it.
//! It stops when its standard input closes (its parent exited) or after 30 minutes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const RESPONSE: &[u8] =
    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
const THREADS: usize = 4;
const LIFETIME: Duration = Duration::from_secs(30 * 60);

/// Serves until stdin closes; never returns.
pub fn serve_forever() -> ! {
    let listener = match TcpListener::bind("127.0.0.1:0") {
        Ok(l) => l,
        Err(e) => {
            eprintln!("bench target: cannot bind: {e}");
            std::process::exit(1);
        }
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    for _ in 0..THREADS {
        let Ok(l) = listener.try_clone() else { break };
        std::thread::spawn(move || {
            loop {
                if let Ok((s, _)) = l.accept() {
                    answer(s);
                }
            }
        });
    }
    std::thread::spawn(|| {
        std::thread::sleep(LIFETIME);
        std::process::exit(0);
    });
    println!("PORT {port}");
    let _ = std::io::stdout().flush();
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    std::process::exit(0);
}

fn answer(mut s: TcpStream) {
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = s.set_nodelay(true);
    let mut buf = [0u8; 4096];
    let mut filled = 0;
    while filled < buf.len() {
        match s.read(&mut buf[filled..]) {
            Ok(0) | Err(_) => return,
            Ok(n) => filled += n,
        }
        if buf[..filled].windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    let _ = s.write_all(RESPONSE);
}

/// The target running as a child process; ended when dropped.
pub struct TargetProcess {
    child: Child,
    pub port: u16,
}

impl TargetProcess {
    pub fn spawn() -> std::io::Result<Self> {
        let exe = std::env::current_exe()?;
        let mut child = Command::new(exe)
            .arg("--bench-target")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdout = child.stdout.take().ok_or_else(|| std::io::Error::other("no stdout"))?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let port = line
            .trim()
            .strip_prefix("PORT ")
            .and_then(|p| p.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("the target did not report its port: {line:?}")))?;
        Ok(Self { child, port })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }
}

impl Drop for TargetProcess {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        for _ in 0..100 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

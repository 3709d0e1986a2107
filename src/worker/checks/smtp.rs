//! `smtp`: the greeting, EHLO, optionally STARTTLS (and EHLO again), QUIT. No mail is sent.
//!
//! A small dialogue of our own rather than a mail library: the check needs the banner and
//! the EHLO reply verbatim, the certificate chain of the STARTTLS handshake, and a bounded
//! read of every reply (lines of at most 1,000 bytes, 100 lines a reply) so a server that
//! talks forever cannot grow memory.

use std::time::Instant;

use async_trait::async_trait;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};

use super::tls::{Handshake, describe_tls_error, handshake};
use super::{Check, CheckContext, Deadline, Observation, connect_tcp, elapsed_us};
use crate::domain::check::CheckJob;
use crate::domain::monitor_config::SmtpConfig;
use crate::domain::{MonitorConfig, TlsInfo};
use crate::worker::tls::TlsOptions;

pub struct SmtpCheck;

const MAX_LINE: u64 = 1000;
const MAX_LINES: usize = 100;

/// One SMTP reply: its code and the text of each line.
#[derive(Debug)]
struct Reply {
    code: u16,
    lines: Vec<String>,
}

impl Reply {
    fn first_line(&self) -> String {
        format!("{} {}", self.code, self.lines.first().map(String::as_str).unwrap_or("")).trim().to_string()
    }

    /// EHLO keywords after the greeting line (`STARTTLS`, `SIZE 10240000`, …).
    fn keywords(&self) -> Vec<String> {
        self.lines.iter().skip(1).map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect()
    }
}

async fn read_reply<R: AsyncBufRead + Unpin>(r: &mut R) -> Result<Reply, String> {
    let mut lines = Vec::new();
    loop {
        let mut buf = Vec::new();
        let n = (&mut *r).take(MAX_LINE).read_until(b'\n', &mut buf).await.map_err(|e| format!("read failed: {e}"))?;
        if n == 0 {
            return Err("the server closed the connection".into());
        }
        if !buf.ends_with(b"\n") {
            return Err(format!("a reply line is longer than {MAX_LINE} bytes"));
        }
        let line = String::from_utf8_lossy(&buf).trim_end().to_string();
        let code = line.get(..3).filter(|c| c.bytes().all(|b| b.is_ascii_digit())).and_then(|c| c.parse().ok());
        let Some(code) = code else {
            return Err(format!("not an SMTP reply: \"{}\"", line.chars().take(120).collect::<String>()));
        };
        let more = line.as_bytes().get(3) == Some(&b'-');
        lines.push(line.get(4..).unwrap_or("").to_string());
        if !more {
            return Ok(Reply { code, lines });
        }
        if lines.len() >= MAX_LINES {
            return Err(format!("a reply has more than {MAX_LINES} lines"));
        }
    }
}

async fn command<S: AsyncRead + AsyncWrite + Unpin>(
    conn: &mut BufReader<S>,
    line: &str,
    deadline: Deadline,
) -> Result<Reply, String> {
    let verb = line.split_whitespace().next().unwrap_or(line).to_string();
    deadline
        .run(&format!("to send {verb}"), conn.get_mut().write_all(format!("{line}\r\n").as_bytes()))
        .await?
        .map_err(|e| format!("Sending {verb} failed: {e}"))?;
    deadline
        .run(&format!("for the reply to {verb}"), read_reply(conn))
        .await?
        .map_err(|e| format!("Reading the reply to {verb} failed: {e}"))
}

/// Greeting (unless already read) and EHLO; the EHLO reply.
async fn ehlo<S: AsyncRead + AsyncWrite + Unpin>(
    conn: &mut BufReader<S>,
    helo_name: &str,
    deadline: Deadline,
) -> Result<Reply, String> {
    let reply = command(conn, &format!("EHLO {helo_name}"), deadline).await?;
    if reply.code != 250 {
        return Err(format!("EHLO rejected: {}", reply.first_line()));
    }
    Ok(reply)
}

async fn banner<S: AsyncRead + AsyncWrite + Unpin>(
    conn: &mut BufReader<S>,
    deadline: Deadline,
) -> Result<Reply, String> {
    let banner = deadline
        .run("for the banner (220)", read_reply(conn))
        .await?
        .map_err(|e| format!("Reading the banner failed: {e}"))?;
    if banner.code != 220 {
        return Err(format!("The server refused the session: {}", banner.first_line()));
    }
    Ok(banner)
}

/// QUIT politely, within what is left of the deadline; the verdict does not depend on it.
async fn quit<S: AsyncRead + AsyncWrite + Unpin>(mut conn: BufReader<S>, deadline: Deadline) {
    let _ = command(&mut conn, "QUIT", deadline).await;
    let _ = deadline.run("", conn.get_mut().shutdown()).await;
}

fn tls_version<S>(s: &tokio_rustls::client::TlsStream<S>) -> String {
    s.get_ref().1.protocol_version().map(|v| format!("{v:?}").replace('_', ".")).unwrap_or_default()
}

/// The address literal of our end (`[127.0.0.1]`, `[IPv6:::1]`) for EHLO.
fn helo_name(local: Option<std::net::SocketAddr>) -> String {
    match local {
        Some(std::net::SocketAddr::V4(a)) => format!("[{}]", a.ip()),
        Some(std::net::SocketAddr::V6(a)) => format!("[IPv6:{}]", a.ip()),
        None => "localhost".into(),
    }
}

#[async_trait]
impl Check for SmtpCheck {
    async fn run(&self, job: &CheckJob, config: &MonitorConfig, ctx: &CheckContext) -> Option<Observation> {
        let MonitorConfig::Smtp(c) = config else { return Some(Observation::down(None, "not an smtp monitor")) };
        let (result, tls) = session(job, c, ctx).await;
        let mut obs = match result {
            Ok((ping, msg)) => Observation::up(Some(ping), msg),
            Err(msg) => Observation::down(None, msg),
        };
        obs.tls = tls;
        Some(obs)
    }
}

/// The whole dialogue: Ok((latency to the EHLO reply, message)) or the reason it failed,
/// and the certificate chain when TLS was negotiated.
async fn session(
    job: &CheckJob,
    c: &SmtpConfig,
    ctx: &CheckContext,
) -> (Result<(u64, String), String>, Option<TlsInfo>) {
    let deadline = Deadline::of(job);
    let start = Instant::now();
    let tcp = match connect_tcp(&c.host, c.port, deadline).await {
        Ok(s) => s,
        Err(e) => return (Err(e), None),
    };
    let helo = helo_name(tcp.local_addr().ok());
    let opts = TlsOptions {
        lenient: c.ignore_tls_errors,
        ca_pem: (!c.ca.trim().is_empty()).then(|| c.ca.clone()),
        ..Default::default()
    };
    let certificate_note = |error: &Option<rustls::Error>| match error {
        Some(e) => format!("; certificate problem ignored as configured: {}", describe_tls_error(e)),
        None => String::new(),
    };
    match c.security_mode().as_str() {
        "tls" => {
            let hs = match deadline.run("for the TLS handshake", handshake(tcp, &c.host, &opts, ctx)).await {
                Ok(Ok(hs)) => hs,
                Ok(Err(e)) | Err(e) => return (Err(e), None),
            };
            let Handshake { stream, info, error } = hs;
            let version = tls_version(&stream);
            let mut conn = BufReader::new(stream);
            let result = async {
                let banner = banner(&mut conn, deadline).await?;
                ehlo(&mut conn, &helo, deadline).await?;
                Ok::<_, String>((
                    elapsed_us(start),
                    format!("{}; EHLO accepted over TLS ({version}){}", banner.first_line(), certificate_note(&error)),
                ))
            }
            .await;
            quit(conn, deadline).await;
            (result, Some(info))
        }
        "starttls" => {
            let mut conn = BufReader::new(tcp);
            let plain = async {
                let banner = banner(&mut conn, deadline).await?;
                let first = ehlo(&mut conn, &helo, deadline).await?;
                if !first.keywords().iter().any(|k| k.eq_ignore_ascii_case("STARTTLS")) {
                    return Err(format!(
                        "The server does not offer STARTTLS (EHLO lists: {})",
                        first.keywords().join(", ")
                    ));
                }
                let go = command(&mut conn, "STARTTLS", deadline).await?;
                if go.code != 220 {
                    return Err(format!("STARTTLS refused: {}", go.first_line()));
                }
                if !conn.buffer().is_empty() {
                    return Err(
                        "The server sent data after agreeing to STARTTLS (refusing a possible injection)".into()
                    );
                }
                Ok(banner)
            }
            .await;
            let banner = match plain {
                Ok(b) => b,
                Err(e) => {
                    quit(conn, deadline).await;
                    return (Err(e), None);
                }
            };
            let hs =
                match deadline.run("for the TLS handshake", handshake(conn.into_inner(), &c.host, &opts, ctx)).await {
                    Ok(Ok(hs)) => hs,
                    Ok(Err(e)) | Err(e) => return (Err(format!("After STARTTLS: {e}")), None),
                };
            let Handshake { stream, info, error } = hs;
            let version = tls_version(&stream);
            let mut conn = BufReader::new(stream);
            let result = match ehlo(&mut conn, &helo, deadline).await {
                Ok(_) => Ok((
                    elapsed_us(start),
                    format!(
                        "{}; EHLO accepted after STARTTLS ({version}){}",
                        banner.first_line(),
                        certificate_note(&error)
                    ),
                )),
                Err(e) => Err(format!("After STARTTLS: {e}")),
            };
            quit(conn, deadline).await;
            (result, Some(info))
        }
        _ => {
            let mut conn = BufReader::new(tcp);
            let result = async {
                let banner = banner(&mut conn, deadline).await?;
                ehlo(&mut conn, &helo, deadline).await?;
                Ok::<_, String>((elapsed_us(start), format!("{}; EHLO accepted", banner.first_line())))
            }
            .await;
            quit(conn, deadline).await;
            (result, None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn multi_line_replies_are_joined_and_keywords_listed() {
        let mut r = BufReader::new(&b"250-mx.example.com hello\r\n250-SIZE 1000\r\n250 STARTTLS\r\n"[..]);
        let reply = read_reply(&mut r).await.unwrap();
        assert_eq!(reply.code, 250);
        assert_eq!(reply.first_line(), "250 mx.example.com hello");
        assert_eq!(reply.keywords(), vec!["SIZE 1000", "STARTTLS"]);
    }

    #[tokio::test]
    async fn endless_lines_and_non_smtp_text_are_errors_not_hangs() {
        let long = vec![b'2'; 5000];
        let e = read_reply(&mut BufReader::new(&long[..])).await.unwrap_err();
        assert!(e.contains("longer than 1000"), "{e}");
        let e = read_reply(&mut BufReader::new(&b"SSH-2.0-OpenSSH\r\n"[..])).await.unwrap_err();
        assert!(e.contains("not an SMTP reply"), "{e}");
    }

    #[test]
    fn ehlo_uses_an_address_literal() {
        assert_eq!(helo_name("127.0.0.1:5".parse().ok()), "[127.0.0.1]");
        assert_eq!(helo_name("[::1]:5".parse().ok()), "[IPv6:::1]");
    }
}

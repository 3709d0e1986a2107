//! `ping`: ICMP echo requests through surge-ping, never a `ping` binary.
//!
//! Sockets: surge-ping opens an unprivileged datagram ICMP socket (Linux allows it to the
//! groups in `net.ipv4.ping_group_range`, for IPv4 and IPv6 alike) and falls back to a raw
//! socket when that is refused and the process has CAP_NET_RAW (root). One socket per
//! address family serves every ping check (`IcmpClients`); replies are matched by
//! (address, sequence), so sequences come from one counter and never collide in flight.
//!
//! Verdict: UP when at least one of the `count` requests is answered. A timeout is "lost";
//! an ICMP error (unreachable, TTL exceeded) is lost with its reason in the message.

use std::net::IpAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use surge_ping::{Client, Config, ICMP, IcmpPacket, PingIdentifier, PingSequence, SurgeError};

use super::{Check, CheckContext, Deadline, Observation, resolve, seconds};
use crate::domain::MonitorConfig;
use crate::domain::check::CheckJob;
use crate::domain::monitor_types::host::bare_host;

pub struct PingCheck;

/// The ICMP sockets of this worker, opened on first use. A failed open is not cached, so
/// fixing the sysctl or the capability takes effect without a restart.
#[derive(Default)]
pub struct IcmpClients {
    v4: Mutex<Option<Client>>,
    v6: Mutex<Option<Client>>,
    next_seq: AtomicU16,
}

impl IcmpClients {
    fn client(&self, v6: bool) -> Result<Client, String> {
        let slot = if v6 { &self.v6 } else { &self.v4 };
        let mut guard = slot.lock().map_err(|_| "ICMP client lock poisoned".to_string())?;
        if let Some(client) = guard.as_ref() {
            return Ok(client.clone());
        }
        let kind = if v6 { ICMP::V6 } else { ICMP::V4 };
        let client = Client::new(&Config::builder().kind(kind).build()).map_err(|e| {
            if e.kind() == std::io::ErrorKind::PermissionDenied {
                "Cannot open an ICMP socket: permission denied. Allow unprivileged ping with \
                 `sysctl -w net.ipv4.ping_group_range=\"0 2147483647\"`, or give the binary \
                 CAP_NET_RAW (`setcap cap_net_raw+ep`)"
                    .to_string()
            } else {
                format!("Cannot open an ICMP socket: {e}")
            }
        })?;
        *guard = Some(client.clone());
        Ok(client)
    }

    fn next_seq(&self) -> PingSequence {
        PingSequence(self.next_seq.fetch_add(1, Ordering::Relaxed))
    }
}

/// What one run of `count` echo requests saw.
#[derive(Debug, Default)]
pub(crate) struct PingRun {
    pub count: u32,
    pub sent: u32,
    pub rtts: Vec<Duration>,
    /// The last ICMP error or send failure, if any ("destination host unreachable").
    pub last_error: Option<String>,
    pub per_ping: Duration,
}

impl PingRun {
    /// The verdict and the message the user reads.
    pub(crate) fn observation(&self, target: &str) -> Observation {
        let received = self.rtts.len() as u32;
        let loss = (self.sent.saturating_sub(received) * 100).checked_div(self.sent).unwrap_or(100);
        let unsent = if self.sent < self.count {
            format!(" ({} of {} sent before the monitor's timeout)", self.sent, self.count)
        } else {
            String::new()
        };
        if received == 0 {
            let why = match &self.last_error {
                Some(e) => format!("{e}; "),
                None => format!("no reply within {} per ping; ", seconds(self.per_ping)),
            };
            return Observation::down(
                None,
                format!("No reply from {target}: {why}{} sent, 100% loss{unsent}", self.sent),
            );
        }
        let ms = |d: &Duration| d.as_secs_f64() * 1000.0;
        let total: Duration = self.rtts.iter().sum();
        let avg = total / received;
        let min = self.rtts.iter().min().map(ms).unwrap_or(0.0);
        let max = self.rtts.iter().max().map(ms).unwrap_or(0.0);
        let avg_us = u64::try_from(avg.as_micros()).unwrap_or(u64::MAX);
        Observation::up(
            Some(avg_us),
            format!(
                "{received}/{} replies from {target}, {loss}% loss, rtt avg {:.3} ms (min {min:.3}, max {max:.3}){unsent}",
                self.sent,
                ms(&avg)
            ),
        )
    }
}

fn icmp_error(packet: &IcmpPacket) -> Option<String> {
    let (kind, code, v6) = match packet {
        IcmpPacket::V4(p) => (p.get_icmp_type().0, p.get_icmp_code().0, false),
        IcmpPacket::V6(p) => (p.get_icmpv6_type().0, p.get_icmpv6_code().0, true),
    };
    let from = match packet {
        IcmpPacket::V4(p) => p.get_source().to_string(),
        IcmpPacket::V6(p) => p.get_source().to_string(),
    };
    Some(match (v6, kind, code) {
        (false, 0, _) | (true, 129, _) => return None,
        (false, 3, 0) | (true, 1, 0) => format!("network unreachable (reported by {from})"),
        (false, 3, 1) | (true, 1, 3) => format!("destination host unreachable (reported by {from})"),
        (false, 3, 13) | (true, 1, 1) => format!("administratively prohibited (reported by {from})"),
        (false, 3, _) | (true, 1, _) => format!("destination unreachable, code {code} (reported by {from})"),
        (false, 11, _) | (true, 3, _) => format!("time to live exceeded (reported by {from})"),
        _ => format!("unexpected ICMP message type {kind} code {code} from {from}"),
    })
}

#[async_trait]
impl Check for PingCheck {
    async fn run(&self, job: &CheckJob, config: &MonitorConfig, ctx: &CheckContext) -> Option<Observation> {
        let MonitorConfig::Ping(c) = config else { return Some(Observation::down(None, "not a ping monitor")) };
        let deadline = Deadline::of(job);
        let host = bare_host(&c.host);
        let ip: IpAddr = match resolve(host, 0, deadline).await {
            Ok(addr) => addr.ip(),
            Err(e) => return Some(Observation::down(None, e)),
        };
        let target = if host.parse::<IpAddr>().is_ok() { host.to_string() } else { format!("{host} ({ip})") };
        let client = match ctx.icmp.client(ip.is_ipv6()) {
            Ok(client) => client,
            Err(e) => return Some(Observation::down(None, e)),
        };
        let mut pinger = client.pinger(ip, PingIdentifier(rand::random())).await;
        let payload: Vec<u8> = (0..c.packet_size).map(|i| (i % 256) as u8).collect();
        let mut run =
            PingRun { count: c.count, per_ping: Duration::from_secs_f64(c.per_ping_timeout), ..Default::default() };
        // Keep a little of the monitor's timeout for reporting.
        let margin = Duration::from_millis(50);
        let mut collisions = 0;
        while run.sent < c.count {
            let left = deadline.remaining().saturating_sub(margin);
            if left.is_zero() {
                break;
            }
            pinger.timeout(run.per_ping.min(left));
            let started = Instant::now();
            let result = match deadline.run("", pinger.ping(ctx.icmp.next_seq(), &payload)).await {
                Ok(r) => r,
                Err(_) => break,
            };
            match result {
                Err(SurgeError::IdenticalRequests { .. }) if collisions < 8 => {
                    // 65,536 sequences wrapped while an old request to this host was still
                    // waiting: take the next number.
                    collisions += 1;
                    continue;
                }
                Ok((packet, rtt)) => {
                    run.sent += 1;
                    match icmp_error(&packet) {
                        None => run.rtts.push(if rtt.is_zero() { started.elapsed() } else { rtt }),
                        Some(e) => run.last_error = Some(e),
                    }
                }
                Err(SurgeError::Timeout { .. }) => run.sent += 1,
                Err(SurgeError::IOError(e)) => {
                    run.sent += 1;
                    run.last_error = Some(format!("cannot send: {e}"));
                    break;
                }
                Err(e) => {
                    run.sent += 1;
                    run.last_error = Some(e.to_string());
                }
            }
        }
        Some(run.observation(&target))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::MonitorStatus;

    /// The timeout path, without a network: every request timed out.
    #[test]
    fn all_requests_lost_is_down_with_the_loss_and_the_wait() {
        let run = PingRun { count: 3, sent: 3, per_ping: Duration::from_millis(500), ..Default::default() };
        let obs = run.observation("192.0.2.1");
        assert_eq!(obs.status, MonitorStatus::Down);
        assert_eq!(obs.msg, "No reply from 192.0.2.1: no reply within 0.5 s per ping; 3 sent, 100% loss");
        assert_eq!(obs.ping_us, None);
    }

    #[test]
    fn one_reply_of_three_is_up_with_loss_and_rtt() {
        let run = PingRun {
            count: 3,
            sent: 3,
            rtts: vec![Duration::from_micros(1500)],
            per_ping: Duration::from_secs(2),
            ..Default::default()
        };
        let obs = run.observation("h (10.0.0.1)");
        assert_eq!(obs.status, MonitorStatus::Up);
        assert_eq!(obs.ping_us, Some(1500));
        assert_eq!(obs.msg, "1/3 replies from h (10.0.0.1), 66% loss, rtt avg 1.500 ms (min 1.500, max 1.500)");
    }

    #[test]
    fn pings_cut_short_by_the_monitor_timeout_say_so() {
        let run = PingRun {
            count: 5,
            sent: 2,
            per_ping: Duration::from_secs(2),
            last_error: Some("destination host unreachable (reported by 10.0.0.254)".into()),
            ..Default::default()
        };
        assert_eq!(
            run.observation("10.0.0.1").msg,
            "No reply from 10.0.0.1: destination host unreachable (reported by 10.0.0.254); 2 sent, 100% loss \
             (2 of 5 sent before the monitor's timeout)"
        );
    }
}

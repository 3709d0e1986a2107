//! `udp`: one datagram from a connected socket, so the kernel reports an ICMP port
//! unreachable as a refused receive. Semantics in `UdpConfig`'s documentation.

use std::time::{Duration, Instant};

use async_trait::async_trait;
use tokio::net::UdpSocket;

use super::{Check, CheckContext, Deadline, Observation, elapsed_us, host_port, resolve, seconds};
use crate::domain::MonitorConfig;
use crate::domain::check::CheckJob;
use crate::domain::monitor_config::UdpConfig;
use crate::domain::monitor_types::udp::encode_hex;

pub struct UdpCheck;

/// Without a reply to wait for, how long to listen for a port-unreachable error: it comes
/// back within one round trip.
const UNREACHABLE_WINDOW: Duration = Duration::from_secs(1);

fn hex_snippet(bytes: &[u8]) -> String {
    let shown = encode_hex(&bytes[..bytes.len().min(32)]);
    if bytes.len() > 32 { format!("{shown}…") } else { shown }
}

#[async_trait]
impl Check for UdpCheck {
    async fn run(&self, job: &CheckJob, config: &MonitorConfig, _ctx: &CheckContext) -> Option<Observation> {
        let MonitorConfig::Udp(c) = config else { return Some(Observation::down(None, "not a udp monitor")) };
        Some(exchange(job, c).await)
    }
}

async fn exchange(job: &CheckJob, c: &UdpConfig) -> Observation {
    let deadline = Deadline::of(job);
    let target = host_port(&c.host, c.port);
    let addr = match resolve(&c.host, c.port, deadline).await {
        Ok(a) => a,
        Err(e) => return Observation::down(None, e),
    };
    let local = if addr.is_ipv6() { "[::]:0" } else { "0.0.0.0:0" };
    let socket = match UdpSocket::bind(local).await {
        Ok(s) => s,
        Err(e) => return Observation::down(None, format!("Cannot open a UDP socket: {e}")),
    };
    if let Err(e) = socket.connect(addr).await {
        return Observation::down(None, format!("Cannot reach {target}: {e}"));
    }
    let payload = c.payload();
    let expected = c.expected();
    let start = Instant::now();
    if let Err(e) = socket.send(&payload).await {
        return Observation::down(None, format!("Cannot send to {target}: {e}"));
    }
    let required = c.reply_required();
    let wait = if required { deadline } else { Deadline::after(deadline.remaining().min(UNREACHABLE_WINDOW)) };
    let mut buf = vec![0u8; 65_536];
    match wait.run("", socket.recv(&mut buf)).await {
        Ok(Ok(n)) => {
            let ping = elapsed_us(start);
            let reply = &buf[..n];
            if !expected.is_empty() && !reply.windows(expected.len()).any(|w| w == expected.as_slice()) {
                Observation::down(
                    Some(ping),
                    format!(
                        "Reply from {target} does not contain {}: got {n} bytes {}",
                        encode_hex(&expected),
                        hex_snippet(reply)
                    ),
                )
            } else if expected.is_empty() {
                Observation::up(Some(ping), format!("Reply of {n} bytes from {target}: {}", hex_snippet(reply)))
            } else {
                Observation::up(
                    Some(ping),
                    format!("Reply of {n} bytes from {target} contains {}", encode_hex(&expected)),
                )
            }
        }
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => Observation::down(
            None,
            format!("{target} is unreachable: the host answered ICMP port unreachable (nothing listens there)"),
        ),
        Ok(Err(e)) => Observation::down(None, format!("Receiving from {target} failed: {e}")),
        Err(_) if required => {
            Observation::down(None, format!("No reply from {target} within {}", seconds(deadline.total())))
        }
        Err(_) => Observation::up(
            None,
            format!(
                "No reply from {target} and no port-unreachable error within {} (UDP cannot tell an open port from a filtered one)",
                seconds(wait.total())
            ),
        ),
    }
}

//! `tcp`: UP when a TCP connection to host:port is established.

use async_trait::async_trait;
use tokio::net::TcpStream;

use super::{Check, CheckContext, Observation, elapsed_us};
use crate::domain::MonitorConfig;
use crate::domain::check::CheckJob;

pub struct TcpCheck;

#[async_trait]
impl Check for TcpCheck {
    async fn run(&self, _job: &CheckJob, config: &MonitorConfig, _ctx: &CheckContext) -> Option<Observation> {
        let MonitorConfig::Tcp(c) = config else { return Some(Observation::down(None, "not a tcp monitor")) };
        let host = c.host.trim().trim_start_matches('[').trim_end_matches(']').to_string();
        let start = std::time::Instant::now();
        Some(match TcpStream::connect((host.as_str(), c.port)).await {
            Ok(stream) => {
                let ping = elapsed_us(start);
                drop(stream);
                Observation::up(Some(ping), format!("Connected to {}:{}", c.host, c.port))
            }
            Err(e) => Observation::down(None, format!("Cannot connect to {}:{}: {e}", c.host, c.port)),
        })
    }
}

//! `rabbitmq`: GET `api/health/checks/alarms/` on every node of the management API at
//! once; UP when any node answers 200 (no alarms), DOWN naming each node's failure.

use std::time::{Duration, Instant};

use async_trait::async_trait;
use futures::stream::{FuturesUnordered, StreamExt};

use super::{Check, CheckContext, Observation, elapsed_us, root_cause};
use crate::domain::MonitorConfig;
use crate::domain::check::CheckJob;
use crate::domain::monitor_config::RabbitMqConfig;
use crate::worker::http_clients::ClientKey;

pub struct RabbitMqCheck;

/// The health endpoint answers a few hundred bytes; more is not read.
const MAX_BODY: usize = 64 * 1024;

#[async_trait]
impl Check for RabbitMqCheck {
    async fn run(&self, job: &CheckJob, config: &MonitorConfig, ctx: &CheckContext) -> Option<Observation> {
        let MonitorConfig::RabbitMq(c) = config else { return Some(Observation::down(None, "not a rabbitmq monitor")) };
        let timeout = Duration::from_millis(u64::from(job.monitor.timeout.max(1)) * 900);
        let client = match ctx.http.client(&ClientKey { tls: Default::default(), max_redirects: 0, proxy: None }) {
            Ok(c) => c,
            Err(e) => return Some(Observation::down(None, e)),
        };
        let start = Instant::now();
        let mut pending: FuturesUnordered<_> = c
            .nodes
            .iter()
            .map(|node| async { (node.trim().to_string(), ask_node(&client, c, node, timeout).await) })
            .collect();
        let mut failures = Vec::new();
        while let Some((node, result)) = pending.next().await {
            match result {
                Ok(()) => return Some(Observation::up(Some(elapsed_us(start)), format!("{node}: OK, no alarms"))),
                Err(why) => failures.push((node, why)),
            }
        }
        // Report in the configured order, whatever order the answers came in.
        failures.sort_by_key(|(n, _)| c.nodes.iter().position(|x| x.trim() == n));
        let msg = if failures.len() == 1 {
            let (node, why) = &failures[0];
            format!("RabbitMQ node {node}: {why}")
        } else {
            let each: Vec<String> = failures.iter().map(|(n, w)| format!("{n}: {w}")).collect();
            format!("All {} RabbitMQ nodes failed: {}", failures.len(), each.join("; "))
        };
        Some(Observation::down(None, msg))
    }
}

async fn ask_node(client: &reqwest::Client, c: &RabbitMqConfig, node: &str, timeout: Duration) -> Result<(), String> {
    let url = RabbitMqConfig::alarms_url(node)?;
    let resp = client
        .get(url)
        .basic_auth(&c.username, Some(&c.password))
        .header("accept", "application/json")
        .timeout(timeout)
        .send()
        .await
        .map_err(|e| {
            if e.is_timeout() {
                format!("no answer within {} s", timeout.as_secs_f32().round())
            } else {
                root_cause(&e)
            }
        })?;
    let status = resp.status();
    let body = read_capped(resp).await;
    match status.as_u16() {
        200 => Ok(()),
        401 => Err("401 Unauthorized: check the username and password".into()),
        403 => Err("403 Forbidden: the user needs the monitoring (or administrator) tag".into()),
        404 => Err("404 Not Found: is this the management API URL (port 15672) with the management plugin on?".into()),
        503 => {
            let reason = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v.get("reason").and_then(|r| r.as_str()).map(str::to_string))
                .unwrap_or_else(|| "service unavailable".into());
            Err(format!("alarm: {reason}"))
        }
        code => Err(format!("unexpected {code} {}", status.canonical_reason().unwrap_or(""))),
    }
}

async fn read_capped(mut resp: reqwest::Response) -> String {
    let mut buf = Vec::new();
    while let Ok(Some(chunk)) = resp.chunk().await {
        buf.extend_from_slice(&chunk[..chunk.len().min(MAX_BODY - buf.len())]);
        if buf.len() >= MAX_BODY {
            break;
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

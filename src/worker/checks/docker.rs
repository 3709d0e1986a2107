//! `docker`: inspect a container through the Docker Engine API (bollard) over the unix
//! socket or TCP (TLS with our rustls/ring configuration). Running and healthy (or without
//! a health check) is UP; health `starting` is PENDING; anything else is DOWN with the
//! container's state.

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use bollard::models::{ContainerStateStatusEnum, HealthStatusEnum};
use bollard::{API_DEFAULT_VERSION, BollardRequest, Docker};

use super::{Check, CheckContext, Observation, elapsed_us, root_cause};
use crate::domain::check::CheckJob;
use crate::domain::monitor_config::DockerConfig;
use crate::domain::{MonitorConfig, MonitorStatus};
use crate::worker::tls::TlsOptions;

pub struct DockerCheck;

#[async_trait]
impl Check for DockerCheck {
    async fn run(&self, job: &CheckJob, config: &MonitorConfig, ctx: &CheckContext) -> Option<Observation> {
        let MonitorConfig::Docker(c) = config else { return Some(Observation::down(None, "not a docker monitor")) };
        let timeout = Duration::from_millis(u64::from(job.monitor.timeout.max(1)) * 900);
        let docker = match connect(c, timeout, ctx) {
            Ok(d) => d,
            Err(e) => return Some(Observation::down(None, e)),
        };
        let start = Instant::now();
        let inspected = tokio::time::timeout(timeout, docker.inspect_container(c.container(), None)).await;
        let ping = Some(elapsed_us(start));
        let daemon = c.docker_daemon.trim();
        Some(match inspected {
            Err(_) => Observation::down(
                None,
                format!("Docker engine {daemon} did not answer within {:.1} s", timeout.as_secs_f32()),
            ),
            Ok(Err(e)) => Observation::down(None, describe_error(c, &e)),
            Ok(Ok(info)) => judge(c.container(), info.state, ping),
        })
    }
}

fn connect(c: &DockerConfig, timeout: Duration, ctx: &CheckContext) -> Result<Docker, String> {
    let secs = timeout.as_secs().max(1);
    let daemon = c.docker_daemon.trim();
    if c.connection_type == "socket" {
        return Docker::connect_with_unix(c.socket_path(), secs, API_DEFAULT_VERSION).map_err(|e| match e {
            bollard::errors::Error::SocketNotFoundError(p) => format!("Docker socket {p} not found"),
            other => format!("Cannot use Docker socket {daemon}: {other}"),
        });
    }
    let authority = c.tcp_authority()?;
    if !c.uses_tls() {
        return Docker::connect_with_http(&format!("http://{authority}"), secs, API_DEFAULT_VERSION)
            .map_err(|e| format!("Cannot use Docker engine {daemon}: {e}"));
    }
    let opts = TlsOptions {
        lenient: !c.tls_verify,
        client_cert_pem: Some(c.tls_cert.clone()).filter(|s| !s.trim().is_empty()),
        client_key_pem: Some(c.tls_key.clone()).filter(|s| !s.trim().is_empty()),
        ca_pem: Some(c.tls_ca.clone()).filter(|s| !s.trim().is_empty()),
    };
    let mut tls = ctx.http.tls().client_config(&opts).map_err(|e| format!("TLS setup failed: {e}"))?;
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    let mut http = hyper_util::client::legacy::connect::HttpConnector::new();
    http.enforce_http(false);
    http.set_connect_timeout(Some(timeout));
    let https = hyper_rustls::HttpsConnector::from((http, tls));
    let mut builder = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new());
    builder.pool_max_idle_per_host(0);
    let client = Arc::new(builder.build(https));
    Docker::connect_with_custom_transport(
        move |req: BollardRequest| {
            let client = client.clone();
            async move { client.request(req).await.map_err(bollard::errors::Error::from) }
        },
        Some(format!("https://{authority}")),
        secs,
        API_DEFAULT_VERSION,
    )
    .map_err(|e| format!("Cannot use Docker engine {daemon}: {e}"))
}

fn judge(container: &str, state: Option<bollard::models::ContainerState>, ping: Option<u64>) -> Observation {
    let Some(state) = state else {
        return Observation::down(ping, format!("Container {container}: the engine reported no state"));
    };
    let status = state.status.map(|s| s.to_string()).filter(|s| !s.is_empty()).unwrap_or_else(|| "unknown".into());
    let running = state.running.unwrap_or(false) || state.status == Some(ContainerStateStatusEnum::RUNNING);
    if !running {
        let mut msg = format!("Container {container} is {status}");
        if let Some(code) = state.exit_code.filter(|_| state.status == Some(ContainerStateStatusEnum::EXITED)) {
            msg.push_str(&format!(" (exit code {code})"));
        }
        if let Some(err) = state.error.filter(|e| !e.is_empty()) {
            msg.push_str(&format!(": {err}"));
        }
        return Observation::down(ping, msg);
    }
    let health = state.health.as_ref().and_then(|h| h.status);
    match health {
        None | Some(HealthStatusEnum::EMPTY) | Some(HealthStatusEnum::NONE) => {
            Observation::up(ping, format!("Container {container} is running"))
        }
        Some(HealthStatusEnum::HEALTHY) => {
            Observation::up(ping, format!("Container {container} is running and healthy"))
        }
        Some(HealthStatusEnum::STARTING) => Observation {
            status: MonitorStatus::Pending,
            ping_us: ping,
            msg: format!("Container {container} is running; its health check is still starting"),
            tls: None,
        },
        Some(HealthStatusEnum::UNHEALTHY) => {
            let last = state
                .health
                .as_ref()
                .and_then(|h| h.log.as_ref())
                .and_then(|log| log.last())
                .and_then(|r| r.output.as_deref())
                .map(|o| o.trim().chars().take(200).collect::<String>())
                .filter(|o| !o.is_empty());
            let streak = state.health.as_ref().and_then(|h| h.failing_streak).unwrap_or(0);
            let mut msg = format!("Container {container} is running but unhealthy");
            if streak > 0 {
                msg.push_str(&format!(" ({streak} failed checks in a row)"));
            }
            if let Some(out) = last {
                msg.push_str(&format!(": {out}"));
            }
            Observation::down(ping, msg)
        }
    }
}

fn describe_error(c: &DockerConfig, e: &bollard::errors::Error) -> String {
    use bollard::errors::Error;
    let daemon = c.docker_daemon.trim();
    match e {
        Error::DockerResponseServerError { status_code: 404, .. } => {
            format!("Container {} not found on {daemon}", c.container())
        }
        Error::DockerResponseServerError { status_code, message } => {
            format!("Docker engine {daemon} answered {status_code}: {message}")
        }
        Error::RequestTimeoutError => format!("Docker engine {daemon} did not answer in time"),
        other => format!("Cannot reach Docker engine {daemon}: {}", root_cause(other)),
    }
}

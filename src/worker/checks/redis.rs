//! `redis`: connect (authenticating as the URL says), send PING, UP on PONG. A fresh
//! connection per check, dropped afterwards (its driver task ends with it).

use std::time::{Duration, Instant};

use async_trait::async_trait;
use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, Client, ConnectionAddr, RedisError};

use super::database::{Secrets, millis};
use super::{Check, CheckContext, Deadline, Observation, elapsed_us, host_port, root_cause};
use crate::domain::MonitorConfig;
use crate::domain::check::CheckJob;
use crate::domain::monitor_config::RedisConfig;

pub struct RedisCheck;

#[async_trait]
impl Check for RedisCheck {
    async fn run(&self, job: &CheckJob, config: &MonitorConfig, _ctx: &CheckContext) -> Option<Observation> {
        let MonitorConfig::Redis(c) = config else { return Some(Observation::down(None, "not a redis monitor")) };
        let secrets = Secrets::of(&c.connection_string);
        let start = Instant::now();
        Some(match check(c, Deadline::of(job), start).await {
            Ok(msg) => Observation::up(Some(elapsed_us(start)), msg),
            Err(msg) => Observation::down(None, secrets.hide(&msg)),
        })
    }
}

async fn check(c: &RedisConfig, deadline: Deadline, start: Instant) -> Result<String, String> {
    let mut info = c.connection_info()?;
    let target = match info.addr() {
        ConnectionAddr::Tcp(h, p) | ConnectionAddr::TcpTls { host: h, port: p, .. } => host_port(h, *p),
        ConnectionAddr::Unix(path) => path.display().to_string(),
        other => format!("{other:?}"),
    };
    if c.ignore_tls
        && let ConnectionAddr::TcpTls { host, port, tls_params, .. } = info.addr().clone()
    {
        info = info.set_addr(ConnectionAddr::TcpTls { host, port, insecure: true, tls_params });
    }
    // The driver would log in while connecting, but it reports every refused AUTH as
    // "Password authentication failed"; logging in here keeps the server's words
    // ("WRONGPASS invalid username-password pair or user is disabled.").
    let settings = info.redis_settings().clone();
    let info = info.set_redis_settings(
        redis::RedisConnectionInfo::default().set_protocol(settings.protocol()).set_skip_set_lib_name(),
    );
    let client = client_for(c, info).map_err(|e| format!("TLS setup for {target} failed: {}", root_cause(&e)))?;
    // The driver's own timeouts sit past the deadline, so the deadline's message (which
    // says what was awaited) is the one the user reads.
    let slack = deadline.remaining() + Duration::from_secs(1);
    let config = AsyncConnectionConfig::new().set_connection_timeout(Some(slack)).set_response_timeout(Some(slack));
    let mut conn: MultiplexedConnection = deadline
        .run("for the server's reply", client.get_multiplexed_async_connection_with_config(&config))
        .await?
        .map_err(|e| connect_error(&target, &e))?;
    if let Some(password) = settings.password() {
        let mut auth = redis::cmd("AUTH");
        if let Some(user) = settings.username() {
            auth.arg(user);
        }
        auth.arg(password);
        let _: () = deadline
            .run("for the reply to AUTH", auth.query_async(&mut conn))
            .await?
            .map_err(|e| format!("Redis {target} refused the login: {}", describe(&e)))?;
    }
    if settings.db() != 0 {
        let _: () = deadline
            .run("for the reply to SELECT", redis::cmd("SELECT").arg(settings.db()).query_async(&mut conn))
            .await?
            .map_err(|e| format!("Redis {target} refused SELECT {}: {}", settings.db(), describe(&e)))?;
    }
    let reply: String = deadline
        .run("for the reply to PING", redis::cmd("PING").query_async(&mut conn))
        .await?
        .map_err(|e| format!("PING failed: {}", describe(&e)))?;
    if reply == "PONG" {
        Ok(format!("PONG in {}", millis(start.elapsed())))
    } else {
        Err(format!("PING answered \"{}\" instead of PONG", reply.chars().take(80).collect::<String>()))
    }
}

fn client_for(c: &RedisConfig, info: redis::ConnectionInfo) -> redis::RedisResult<Client> {
    let ca = c.ca_cert.trim();
    let cert = c.client_cert.trim();
    if !c.uses_tls() || (ca.is_empty() && cert.is_empty()) {
        return Client::open(info);
    }
    let certs = redis::TlsCertificates {
        client_tls: (!cert.is_empty()).then(|| redis::ClientTlsConfig {
            client_cert: cert.as_bytes().to_vec(),
            client_key: c.client_key.trim().as_bytes().to_vec(),
        }),
        root_cert: (!ca.is_empty()).then(|| ca.as_bytes().to_vec()),
    };
    Client::build_with_tls(info, certs)
}

fn connect_error(target: &str, e: &RedisError) -> String {
    if e.is_io_error() {
        format!("Cannot connect to {target}: {}", root_cause(e))
    } else {
        format!("Redis {target} refused the connection: {}", describe(e))
    }
}

/// A server error in the server's words ("WRONGPASS invalid username-password pair…").
fn describe(e: &RedisError) -> String {
    match (e.code(), e.detail()) {
        (Some(code), Some(detail)) => format!("{code} {detail}"),
        _ => root_cause(e),
    }
}

//! `postgres`: open a connection, run the query with the simple-query protocol, count up
//! to `ROW_CAP` rows, close the connection. A fresh connection per check, so the check
//! tests what a new client would meet (listener, TLS, authentication, the query).

use std::time::Instant;

use async_trait::async_trait;
use futures::StreamExt;
use tokio::net::TcpStream;
use tokio_postgres::config::Host;
use tokio_postgres::tls::TlsConnect;
use tokio_postgres::{Client, Config, NoTls, SimpleQueryMessage};

use super::database::{RowsSeen, Secrets, millis};
use super::{Check, CheckContext, Deadline, Observation, connect_tcp, elapsed_us, host_port, root_cause};
use crate::domain::MonitorConfig;
use crate::domain::check::CheckJob;
use crate::domain::monitor_config::PostgresConfig;
use crate::domain::monitor_types::postgres::PgTls;
use crate::worker::tls::TlsOptions;

pub struct PostgresCheck;

#[async_trait]
impl Check for PostgresCheck {
    async fn run(&self, job: &CheckJob, config: &MonitorConfig, ctx: &CheckContext) -> Option<Observation> {
        let MonitorConfig::Postgres(c) = config else { return Some(Observation::down(None, "not a postgres monitor")) };
        let secrets = Secrets::of(&c.database_connection_string);
        let start = Instant::now();
        Some(match check(c, Deadline::of(job), ctx, start).await {
            Ok(msg) => Observation::up(Some(elapsed_us(start)), msg),
            Err(msg) => Observation::down(None, secrets.hide(&msg)),
        })
    }
}

async fn check(c: &PostgresConfig, deadline: Deadline, ctx: &CheckContext, start: Instant) -> Result<String, String> {
    let config = c.driver_config()?;
    let secrets = Secrets::of(&c.database_connection_string)
        .with(config.get_password().map(|p| String::from_utf8_lossy(p).into_owned()).as_deref());
    let ports = config.get_ports();
    let mut failures = Vec::new();
    // Hosts in order, like libpq: the first that accepts a TCP connection is used.
    for (i, host) in config.get_hosts().iter().enumerate() {
        let Host::Tcp(name) = host else {
            failures.push("Unix-socket hosts are not supported; use a TCP host".to_string());
            continue;
        };
        let port = ports.get(i).or_else(|| ports.first()).copied().unwrap_or(5432);
        let stream = match connect_tcp(name, port, deadline).await {
            Ok(s) => s,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        let target = host_port(name, port);
        let outcome = match c.tls() {
            PgTls::Disable => session(&config, stream, NoTls, &target, c.query(), deadline).await,
            mode => {
                let opts = TlsOptions { lenient: mode != PgTls::Verify, ..Default::default() };
                let (tls, _) = ctx.http.tls().connection_config(&opts)?;
                let mut make = tokio_postgres_rustls::MakeRustlsConnect::new(std::sync::Arc::unwrap_or_clone(tls));
                let connector = tokio_postgres::tls::MakeTlsConnect::<TcpStream>::make_tls_connect(
                    &mut make,
                    crate::domain::monitor_types::host::bare_host(name),
                )
                .map_err(|e| format!("TLS setup for {target} failed: {e}"))?;
                session(&config, stream, connector, &target, c.query(), deadline).await
            }
        };
        return outcome.map(|seen| match seen {
            Outcome::Rows(rows) => rows.message(start.elapsed()),
            Outcome::Statement(n) => format!("Statement completed in {} ({n} rows affected)", millis(start.elapsed())),
        });
    }
    Err(match failures.len() {
        0 => "The connection string names no host".to_string(),
        1 => failures.remove(0),
        _ => failures.join("; "),
    })
    .map_err(|m| secrets.hide(&m))
}

enum Outcome {
    Rows(RowsSeen),
    Statement(u64),
}

/// Logs in over `stream`, runs the query and closes the connection, whatever happens.
async fn session<T>(
    config: &Config,
    stream: TcpStream,
    tls: T,
    target: &str,
    query: &str,
    deadline: Deadline,
) -> Result<Outcome, String>
where
    T: TlsConnect<TcpStream> + Send + 'static,
    T::Stream: Send + 'static,
    T::Future: Send,
{
    let (client, connection) = deadline
        .run("for the server's reply", config.connect_raw(stream, tls))
        .await?
        .map_err(|e| login_error(target, &e))?;
    // The connection task does the I/O; it ends once the client is dropped (Terminate
    // sent) and is aborted if it does not, so no check leaves a connection behind.
    let mut io = tokio::spawn(connection);
    let result = deadline.run("for the query's result", run_query(&client, query)).await;
    drop(client);
    if tokio::time::timeout(std::time::Duration::from_millis(500), &mut io).await.is_err() {
        io.abort();
    }
    result?
}

async fn run_query(client: &Client, query: &str) -> Result<Outcome, String> {
    let stream = client.simple_query_raw(query).await.map_err(|e| query_error(&e))?;
    futures::pin_mut!(stream);
    let mut seen = RowsSeen::default();
    let mut returned_rows = false;
    let mut affected = 0;
    while let Some(message) = stream.next().await {
        match message.map_err(|e| query_error(&e))? {
            SimpleQueryMessage::RowDescription(_) => returned_rows = true,
            SimpleQueryMessage::Row(_) => {
                returned_rows = true;
                if !seen.count() {
                    break;
                }
            }
            SimpleQueryMessage::CommandComplete(n) => affected = n,
            _ => {}
        }
    }
    Ok(if returned_rows { Outcome::Rows(seen) } else { Outcome::Statement(affected) })
}

fn login_error(target: &str, e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("PostgreSQL {target} refused the connection: {}", db.message()),
        None => format!("Cannot log in to PostgreSQL {target}: {}", root_cause(e)),
    }
}

fn query_error(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("Query failed: {}", db.message()),
        None => format!("Query failed: {}", root_cause(e)),
    }
}

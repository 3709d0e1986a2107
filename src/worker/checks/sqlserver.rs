//! `sqlserver`: connect over TDS, log in, run the query as a batch, count up to
//! `ROW_CAP` rows, close. A fresh connection per check. No TLS (see the config's doc).

use std::time::{Duration, Instant};

use async_trait::async_trait;
use futures::StreamExt;
use tiberius::{Client, QueryItem};
use tokio::net::TcpStream;
use tokio_util::compat::{Compat, TokioAsyncWriteCompatExt};

use super::database::{RowsSeen, Secrets};
use super::{Check, CheckContext, Deadline, Observation, elapsed_us, root_cause};
use crate::domain::MonitorConfig;
use crate::domain::check::CheckJob;
use crate::domain::monitor_config::SqlServerConfig;

pub struct SqlServerCheck;

#[async_trait]
impl Check for SqlServerCheck {
    async fn run(&self, job: &CheckJob, config: &MonitorConfig, _ctx: &CheckContext) -> Option<Observation> {
        let MonitorConfig::SqlServer(c) = config else {
            return Some(Observation::down(None, "not a sqlserver monitor"));
        };
        let secrets = Secrets::of(&c.database_connection_string);
        let start = Instant::now();
        Some(match check(c, Deadline::of(job), start).await {
            Ok(msg) => Observation::up(Some(elapsed_us(start)), msg),
            Err(msg) => Observation::down(None, secrets.hide(&msg)),
        })
    }
}

async fn check(c: &SqlServerConfig, deadline: Deadline, start: Instant) -> Result<String, String> {
    let config = c.driver_config()?;
    let target = config.get_addr();
    let tcp = match deadline.run(&format!("to connect to {target}"), TcpStream::connect(&target)).await? {
        Ok(s) => s,
        Err(e) => return Err(format!("Cannot connect to {target}: {e}")),
    };
    let _ = tcp.set_nodelay(true);
    let mut client = deadline
        .run("for the server's reply", Client::connect(config, tcp.compat_write()))
        .await?
        .map_err(|e| login_error(&target, &e))?;
    let result = deadline.run("for the query's result", run_query(&mut client, c.query())).await;
    let _ = tokio::time::timeout(Duration::from_millis(500), client.close()).await;
    let seen = result??;
    Ok(seen.message(start.elapsed()))
}

async fn run_query(client: &mut Client<Compat<TcpStream>>, query: &str) -> Result<RowsSeen, String> {
    let mut stream = client.simple_query(query).await.map_err(|e| query_error(&e))?;
    let mut seen = RowsSeen::default();
    while let Some(item) = stream.next().await {
        if let QueryItem::Row(_) = item.map_err(|e| query_error(&e))?
            && !seen.count()
        {
            break;
        }
    }
    Ok(seen)
}

fn login_error(target: &str, e: &tiberius::error::Error) -> String {
    match e {
        tiberius::error::Error::Server(token) => {
            format!("SQL Server {target} refused the login: {} (error {})", token.message(), token.code())
        }
        tiberius::error::Error::Routing { host, port } => {
            format!("SQL Server {target} redirects to {host}:{port}; use that address")
        }
        tiberius::error::Error::Tls(_) => format!(
            "SQL Server {target} requires encryption, which this build does not speak; turn off Force Encryption or monitor over a plain connection"
        ),
        other => format!("Cannot log in to SQL Server {target}: {}", root_cause(other)),
    }
}

fn query_error(e: &tiberius::error::Error) -> String {
    match e {
        tiberius::error::Error::Server(token) => format!("Query failed: {} (error {})", token.message(), token.code()),
        other => format!("Query failed: {}", root_cause(other)),
    }
}

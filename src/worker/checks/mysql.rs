//! `mysql`: connect (MySQL or MariaDB), run the query with the text protocol, count up to
//! `ROW_CAP` rows, then quit without draining the rest. A fresh connection per check.

use std::time::{Duration, Instant};

use async_trait::async_trait;
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Opts};

use super::database::{RowsSeen, Secrets, millis};
use super::{Check, CheckContext, Deadline, Observation, elapsed_us, host_port, root_cause};
use crate::domain::MonitorConfig;
use crate::domain::check::CheckJob;
use crate::domain::monitor_config::MysqlConfig;

pub struct MysqlCheck;

#[async_trait]
impl Check for MysqlCheck {
    async fn run(&self, job: &CheckJob, config: &MonitorConfig, _ctx: &CheckContext) -> Option<Observation> {
        let MonitorConfig::Mysql(c) = config else { return Some(Observation::down(None, "not a mysql monitor")) };
        let start = Instant::now();
        let opts = match c.driver_opts() {
            Ok(o) => o,
            Err(e) => return Some(Observation::down(None, Secrets::of(&c.connection_string).hide(&e))),
        };
        let secrets = Secrets::of(&c.connection_string).with(opts.pass());
        Some(match check(c, opts, Deadline::of(job), start).await {
            Ok(msg) => Observation::up(Some(elapsed_us(start)), msg),
            Err(msg) => Observation::down(None, secrets.hide(&msg)),
        })
    }
}

async fn check(c: &MysqlConfig, opts: Opts, deadline: Deadline, start: Instant) -> Result<String, String> {
    let target = host_port(opts.ip_or_hostname(), opts.tcp_port());
    let mut conn =
        deadline.run("for the server's reply", Conn::new(opts)).await?.map_err(|e| connect_error(&target, &e))?;
    let result = deadline.run("for the query's result", run_query(&mut conn, c.query())).await;
    // COM_QUIT and close without reading what is left of the result: a dropped `Conn`
    // would drain it in the background first.
    let _ = tokio::time::timeout(Duration::from_millis(500), conn.disconnect()).await;
    Ok(match result?? {
        Outcome::Rows(seen) => seen.message(start.elapsed()),
        Outcome::Statement(n) => format!("Statement completed in {} ({n} rows affected)", millis(start.elapsed())),
    })
}

enum Outcome {
    Rows(RowsSeen),
    Statement(u64),
}

async fn run_query(conn: &mut Conn, query: &str) -> Result<Outcome, String> {
    let mut result = conn.query_iter(query).await.map_err(|e| query_error(&e))?;
    // Empty: neither rows nor another result set follow (an UPDATE, say), while a SELECT
    // of no rows still has columns.
    if result.is_empty() {
        return Ok(Outcome::Statement(result.affected_rows()));
    }
    let mut seen = RowsSeen::default();
    while result.next().await.map_err(|e| query_error(&e))?.is_some() {
        if !seen.count() {
            break;
        }
    }
    Ok(Outcome::Rows(seen))
}

fn connect_error(target: &str, e: &mysql_async::Error) -> String {
    match e {
        mysql_async::Error::Server(s) => format!("MySQL {target} refused the connection: {}", s.message),
        mysql_async::Error::Io(mysql_async::IoError::Io(io)) => format!("Cannot connect to {target}: {io}"),
        mysql_async::Error::Io(mysql_async::IoError::Tls(t)) => format!("TLS with {target} failed: {t}"),
        other => format!("Cannot connect to MySQL {target}: {}", root_cause(other)),
    }
}

fn query_error(e: &mysql_async::Error) -> String {
    match e {
        mysql_async::Error::Server(s) => format!("Query failed: {}", s.message),
        other => format!("Query failed: {}", root_cause(other)),
    }
}

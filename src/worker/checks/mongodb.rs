//! `mongodb`: connect, run the command on the connection string's database (`admin` when
//! it names none) and, with a `jsonPath`, compare the reply's value there with
//! `expectedValue`. A fresh client per check, shut down afterwards; server selection and
//! connecting stay within the monitor's timeout so a dead server reads as such.

use std::time::{Duration, Instant};

use async_trait::async_trait;
use mongodb::Client;
use mongodb::bson::Bson;
use mongodb::error::ErrorKind;
use mongodb::options::{ClientOptions, ServerAddress};

use super::database::{Secrets, millis};
use super::{Check, CheckContext, Deadline, Observation, elapsed_us, root_cause};
use crate::domain::MonitorConfig;
use crate::domain::check::CheckJob;
use crate::domain::json_query::{self, Condition};
use crate::domain::monitor_config::MongodbConfig;
use crate::domain::monitor_types::mqtt::gjson_path;

pub struct MongodbCheck;

/// How much of a reply a message quotes.
const QUOTE_CHARS: usize = 200;

#[async_trait]
impl Check for MongodbCheck {
    async fn run(&self, job: &CheckJob, config: &MonitorConfig, _ctx: &CheckContext) -> Option<Observation> {
        let MonitorConfig::Mongodb(c) = config else { return Some(Observation::down(None, "not a mongodb monitor")) };
        let secrets = Secrets::of(&c.connection_string);
        let start = Instant::now();
        let deadline = Deadline::of(job);
        Some(match check(c, deadline, start).await {
            Ok(msg) => Observation::up(Some(elapsed_us(start)), msg),
            Err(msg) => Observation::down(None, secrets.hide(&msg)),
        })
    }
}

async fn check(c: &MongodbConfig, deadline: Deadline, start: Instant) -> Result<String, String> {
    let command = c.command_document().map_err(|e| format!("command {e}"))?;
    let name = command.keys().next().cloned().unwrap_or_default();
    let mut opts = deadline
        .run("to read the connection string", async { ClientOptions::parse(c.connection_string.trim()).await })
        .await?
        .map_err(|e| format!("Invalid connection string: {}", describe(&e)))?;
    // Leave a fifth of the time to report: the driver's own message names the cause
    // (refused, timed out, TLS) where the deadline's could only say "no reply".
    let budget = deadline.remaining().mul_f32(0.8).max(Duration::from_millis(200));
    opts.server_selection_timeout = Some(budget);
    opts.connect_timeout = Some(budget);
    opts.max_pool_size = Some(1);
    opts.app_name = Some("peekaping".into());
    let hosts: Vec<String> = opts.hosts.iter().map(|h| h.to_string()).collect();
    let first_host = opts.hosts.iter().find_map(|h| match h {
        ServerAddress::Tcp { host, port } => Some((host.clone(), port.unwrap_or(27017))),
        _ => None,
    });
    let client = Client::with_options(opts).map_err(|e| describe(&e))?;
    let db = client.default_database().unwrap_or_else(|| client.database("admin"));
    let reply = deadline.run("for the reply to the command", async { db.run_command(command).await }).await;
    // Background monitors end with the client; don't wait long for a polite goodbye.
    let _ = tokio::time::timeout(Duration::from_millis(500), client.shutdown().immediate(true)).await;
    let reply = match reply? {
        Ok(r) => r,
        Err(e) => {
            let mut msg = command_error(&hosts, &name, &e);
            // Server selection can give up before the driver's monitor recorded why the
            // server is unreachable; one plain connection attempt finds out.
            if msg.starts_with("No MongoDB server")
                && let Some((host, port)) = first_host
            {
                let probe = Deadline::after(deadline.remaining().min(Duration::from_millis(500)));
                msg = match super::connect_tcp(&host, port, probe).await {
                    Err(why) => why,
                    Ok(_) => format!(
                        "MongoDB {} accepted the connection but gave no usable reply within {} (server selection timed out)",
                        super::host_port(&host, port),
                        super::seconds(budget)
                    ),
                };
            }
            return Err(msg);
        }
    };
    let json = Bson::Document(reply).into_relaxed_extjson().to_string();
    let took = millis(start.elapsed());
    if c.json_path.trim().is_empty() {
        return Ok(format!("Command {name} succeeded in {took}"));
    }
    json_query::evaluate(&json, gjson_path(&c.json_path), Condition::Eq, c.expected_value.trim())
        .map(|v| format!("Command {name}: {} is \"{v}\" as expected ({took})", c.json_path.trim()))
        .map_err(|m| format!("Command {name}: {m}; reply: {}", quote(&json)))
}

fn command_error(hosts: &[String], name: &str, e: &mongodb::error::Error) -> String {
    match e.kind.as_ref() {
        ErrorKind::ServerSelection { message, .. } => server_selection(hosts, message),
        ErrorKind::Authentication { message, .. } => format!("Authentication failed: {message}"),
        ErrorKind::Command(ce) if !ce.code_name.is_empty() => {
            format!("Command {name} failed: {} ({})", ce.message, ce.code_name)
        }
        ErrorKind::Command(ce) => format!("Command {name} failed: {}", ce.message),
        // A reply the driver cannot read as a command error (some wire-compatible servers
        // leave out `code`) still carries the server's `errmsg`.
        _ => match e.server_response().and_then(|r| r.get_str("errmsg").ok()) {
            Some(errmsg) => format!("Command {name} failed: {errmsg}"),
            None => format!("Command {name} failed: {}", describe(e)),
        },
    }
}

/// The driver's server-selection message lists the topology; the useful part is the
/// server's own error ("Connection refused", "timed out").
fn server_selection(hosts: &[String], message: &str) -> String {
    let target = hosts.join(", ");
    let cause = message.split("Error: ").nth(1).map(|rest| {
        let rest = rest.split(", labels:").next().unwrap_or(rest);
        rest.trim_start_matches("Kind: ").trim_start_matches("I/O error: ").trim().to_string()
    });
    match cause {
        Some(why) if !why.is_empty() => format!("Cannot connect to {target}: {why}"),
        _ => {
            format!("No MongoDB server at {target} answered: {}", message.split(". Topology").next().unwrap_or(message))
        }
    }
}

fn describe(e: &mongodb::error::Error) -> String {
    match e.kind.as_ref() {
        ErrorKind::InvalidArgument { message, .. } => message.clone(),
        _ => root_cause(e),
    }
}

fn quote(text: &str) -> String {
    let cut: String = text.chars().take(QUOTE_CHARS).collect();
    if cut.len() < text.len() { format!("{cut}…") } else { cut }
}

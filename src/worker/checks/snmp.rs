//! `snmp`: one GET of one OID over UDP (snmp2, v1/v2c); the value is compared with
//! `expected_value` when one is set. No answer within the window is DOWN: SNMP agents
//! stay silent on a wrong community, so the message says both possibilities.

use std::time::{Duration, Instant};

use async_trait::async_trait;
use snmp2::{AsyncSession, Oid, Value};

use super::{Check, CheckContext, Observation, elapsed_us};
use crate::domain::MonitorConfig;
use crate::domain::check::CheckJob;
use crate::domain::json_query::Condition;
use crate::domain::monitor_config::SnmpConfig;
use crate::domain::monitor_types::mqtt::gjson_path;

pub struct SnmpCheck;

#[async_trait]
impl Check for SnmpCheck {
    async fn run(&self, job: &CheckJob, config: &MonitorConfig, _ctx: &CheckContext) -> Option<Observation> {
        let MonitorConfig::Snmp(c) = config else { return Some(Observation::down(None, "not an snmp monitor")) };
        let window = Duration::from_millis(u64::from(job.monitor.timeout.max(1)) * 900);
        let target = format!("{}:{}", c.host.trim(), c.port);
        Some(match tokio::time::timeout(window, get(c)).await {
            Ok(obs) => obs,
            Err(_) => Observation::down(
                None,
                format!(
                    "No SNMP answer from {target} within {:.1} s (agent down, or community \"{}\" not accepted)",
                    window.as_secs_f32(),
                    c.community
                ),
            ),
        })
    }
}

async fn get(c: &SnmpConfig) -> Observation {
    let host = c.host.trim().trim_start_matches('[').trim_end_matches(']');
    let target = format!("{}:{}", c.host.trim(), c.port);
    let arcs = match c.oid_arcs() {
        Ok(a) => a,
        Err(e) => return Observation::down(None, e),
    };
    let oid = match Oid::from(&arcs) {
        Ok(o) => o,
        Err(e) => return Observation::down(None, format!("OID {}: {e:?}", c.oid)),
    };
    let req_id = rand::random::<u16>() as i32;
    let session = match c.snmp_version.as_str() {
        "v1" => AsyncSession::new_v1((host, c.port), c.community.as_bytes(), req_id).await,
        _ => AsyncSession::new_v2c((host, c.port), c.community.as_bytes(), req_id).await,
    };
    let mut session = match session {
        Ok(s) => s,
        Err(e) => return Observation::down(None, format!("Cannot reach {target}: {e}")),
    };
    let start = Instant::now();
    let pdu = match session.get(&oid).await {
        Ok(p) => p,
        Err(e) => return Observation::down(None, format!("SNMP GET {} from {target} failed: {}", c.oid, describe(&e))),
    };
    let ping = Some(elapsed_us(start));
    if pdu.error_status != 0 {
        return Observation::down(
            ping,
            format!("Agent {target} answered error status {} for {}", pdu.error_status, c.oid),
        );
    }
    let mut varbinds = pdu.varbinds;
    let Some((_, value)) = varbinds.next() else {
        return Observation::down(ping, format!("Agent {target} returned no value for {}", c.oid));
    };
    let actual = match value_text(&value) {
        Ok(v) => v,
        Err(why) => return Observation::down(ping, format!("OID {}: {why}", c.oid)),
    };
    judge(c, &actual, ping)
}

fn judge(c: &SnmpConfig, actual: &str, ping: Option<u64>) -> Observation {
    let shown: String = actual.chars().take(200).collect();
    if c.expected_value.trim().is_empty() {
        return Observation::up(ping, format!("{} = \"{shown}\"", c.oid));
    }
    let path = gjson_path(&c.json_path);
    let (subject, value) = if path.is_empty() {
        (c.oid.clone(), actual.to_string())
    } else {
        let v = gjson::get(actual, path);
        if !v.exists() {
            return Observation::down(
                ping,
                format!("{} = \"{shown}\": JSON path \"{}\" matched nothing", c.oid, c.json_path),
            );
        }
        (format!("{} {}", c.oid, c.json_path), v.str().to_string())
    };
    let cond = match c.operator() {
        "ne" => Condition::Ne,
        "lt" => Condition::Lt,
        "gt" => Condition::Gt,
        "le" => Condition::Le,
        "ge" => Condition::Ge,
        _ => Condition::Eq,
    };
    let expected = c.expected_value.trim();
    if holds(cond, &value, expected) {
        Observation::up(ping, format!("{subject} is \"{value}\" ({} \"{expected}\")", cond.symbol()))
    } else {
        Observation::down(ping, format!("{subject} is \"{value}\", expected {} \"{expected}\"", cond.symbol()))
    }
}

/// Numbers compare numerically when both sides are numbers, text compares as text.
fn holds(cond: Condition, actual: &str, expected: &str) -> bool {
    use std::cmp::Ordering::*;
    let ordering = match (actual.trim().parse::<f64>(), expected.parse::<f64>()) {
        (Ok(a), Ok(e)) => a.partial_cmp(&e),
        _ => Some(actual.cmp(expected)),
    };
    match cond {
        Condition::Eq => ordering == Some(Equal),
        Condition::Ne => ordering != Some(Equal),
        Condition::Gt => ordering == Some(Greater),
        Condition::Lt => ordering == Some(Less),
        Condition::Ge => matches!(ordering, Some(Greater | Equal)),
        Condition::Le => matches!(ordering, Some(Less | Equal)),
    }
}

/// The value as text, the way Peekaping shows it; the SNMP "no such" answers are errors.
fn value_text(v: &Value<'_>) -> Result<String, String> {
    Ok(match v {
        Value::Boolean(b) => b.to_string(),
        Value::Null => String::new(),
        Value::Integer(i) => i.to_string(),
        Value::OctetString(s) | Value::Opaque(s) => String::from_utf8_lossy(s).into_owned(),
        Value::ObjectIdentifier(o) => o.to_id_string(),
        Value::IpAddress(a) => format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3]),
        Value::Counter32(n) | Value::Unsigned32(n) | Value::Timeticks(n) => n.to_string(),
        Value::Counter64(n) => n.to_string(),
        Value::NoSuchObject => return Err("no such object on this agent".into()),
        Value::NoSuchInstance => return Err("no such instance (a scalar OID ends in .0)".into()),
        Value::EndOfMibView => return Err("end of MIB view".into()),
        other => return Err(format!("unexpected value {other:?}")),
    })
}

fn describe(e: &snmp2::Error) -> String {
    match e {
        snmp2::Error::CommunityMismatch => "community mismatch".into(),
        other => format!("{other:?}"),
    }
}

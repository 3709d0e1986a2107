//! `dns`: one query against the configured server with hickory-resolver, no cache (each
//! check asks the server), no hosts file, no search domains, one attempt per check.

use std::net::IpAddr;
use std::str::FromStr;
use std::time::Instant;

use async_trait::async_trait;
use hickory_resolver::Resolver;
use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolveHosts, ResolverConfig};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::rr::{Name, RData, RecordType};

use super::{Check, CheckContext, Deadline, Observation, elapsed_us, seconds};
use crate::domain::MonitorConfig;
use crate::domain::check::CheckJob;
use crate::domain::monitor_config::DnsConfig;
use crate::domain::monitor_types::host::bare_host;

pub struct DnsCheck;

/// Records listed in a message, at most.
const SHOWN: usize = 10;

/// The name to query: PTR takes an IP address and asks for its reverse name.
fn query_name(c: &DnsConfig, kind: RecordType) -> Result<Name, String> {
    let host = bare_host(&c.host);
    if kind == RecordType::PTR
        && let Ok(ip) = host.parse::<IpAddr>()
    {
        return Ok(Name::from(ip));
    }
    let mut name = Name::from_str(host).map_err(|e| format!("\"{host}\" is not a valid DNS name: {e}"))?;
    name.set_fqdn(true);
    Ok(name)
}

/// Normalised for comparison: trimmed, lower case, no trailing dot.
fn norm(s: &str) -> String {
    s.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// Whether one record satisfies `expected` (rules in `DnsConfig`'s documentation).
fn record_matches(data: &RData, text: &str, expected: &str) -> bool {
    let expected = expected.trim();
    match data {
        RData::A(a) => expected.parse::<IpAddr>().is_ok_and(|e| e == IpAddr::V4(a.0)),
        RData::AAAA(a) => expected.parse::<IpAddr>().is_ok_and(|e| e == IpAddr::V6(a.0)),
        RData::TXT(_) => text.contains(expected),
        _ => {
            let main = match data {
                RData::MX(_) | RData::SRV(_) => text.split_whitespace().last().unwrap_or(text),
                RData::SOA(_) => text.split_whitespace().next().unwrap_or(text),
                RData::CAA(_) => text.split('"').nth(1).unwrap_or(text),
                _ => text,
            };
            let e = norm(expected);
            norm(text) == e || norm(main) == e
        }
    }
}

/// A record's text as users know it (TXT without the quoting of its strings).
fn record_text(data: &RData) -> String {
    match data {
        RData::TXT(txt) => txt.txt_data.iter().map(|s| String::from_utf8_lossy(s)).collect::<Vec<_>>().join(""),
        other => other.to_string(),
    }
}

fn list(texts: &[String]) -> String {
    let mut shown: Vec<String> = texts.iter().take(SHOWN).map(|t| t.chars().take(200).collect()).collect();
    if texts.len() > SHOWN {
        shown.push(format!("… {} more", texts.len() - SHOWN));
    }
    shown.join(", ")
}

#[async_trait]
impl Check for DnsCheck {
    async fn run(&self, job: &CheckJob, config: &MonitorConfig, _ctx: &CheckContext) -> Option<Observation> {
        let MonitorConfig::Dns(c) = config else { return Some(Observation::down(None, "not a dns monitor")) };
        Some(query(job, c).await)
    }
}

async fn query(job: &CheckJob, c: &DnsConfig) -> Observation {
    let deadline = Deadline::of(job);
    let Some(server) = c.resolver_ip() else {
        return Observation::down(None, format!("Resolver \"{}\" is not an IP address", c.resolver_server));
    };
    let server_label = match server {
        IpAddr::V6(ip) => format!("[{ip}]:{}", c.port),
        IpAddr::V4(ip) => format!("{ip}:{}", c.port),
    };
    let type_text = c.record_type();
    let Ok(kind) = RecordType::from_str(&type_text) else {
        return Observation::down(None, format!("Unknown record type {type_text}"));
    };
    let name = match query_name(c, kind) {
        Ok(n) => n,
        Err(e) => return Observation::down(None, e),
    };
    let mut udp = ConnectionConfig::udp();
    udp.port = c.port;
    let mut tcp = ConnectionConfig::tcp();
    tcp.port = c.port;
    let ns = NameServerConfig::new(server, true, vec![udp, tcp]);
    let mut builder =
        Resolver::builder_with_config(ResolverConfig::from_name_servers(vec![ns]), TokioRuntimeProvider::default());
    {
        let opts = builder.options_mut();
        opts.cache_size = 0;
        opts.attempts = 1;
        opts.timeout = deadline.total();
        opts.use_hosts_file = ResolveHosts::Never;
        opts.ndots = 0;
    }
    let resolver = match builder.build() {
        Ok(r) => r,
        Err(e) => return Observation::down(None, format!("Cannot set up a resolver for {server_label}: {e}")),
    };
    let shown_name = name.to_string();
    let start = Instant::now();
    let waiting = format!("for {server_label} to answer the {type_text} query for {shown_name}");
    let lookup = match deadline.run(&waiting, resolver.lookup(name, kind)).await {
        Err(e) => return Observation::down(None, e),
        Ok(Err(e)) => {
            let why = if e.is_nx_domain() {
                format!("{shown_name} does not exist (NXDOMAIN from {server_label})")
            } else if e.is_no_records_found() {
                format!("No {type_text} records for {shown_name} at {server_label}")
            } else if matches!(e, hickory_resolver::net::NetError::Timeout) {
                format!("Timed out after {} {waiting}", seconds(deadline.total()))
            } else {
                format!("{type_text} query for {shown_name} at {server_label} failed: {e}")
            };
            return Observation::down(None, why);
        }
        Ok(Ok(lookup)) => lookup,
    };
    let ping = elapsed_us(start);
    let records: Vec<(RData, String)> = lookup
        .answers()
        .iter()
        .filter(|r| r.record_type() == kind)
        .map(|r| (r.data.clone(), record_text(&r.data)))
        .collect();
    let texts: Vec<String> = records.iter().map(|(_, t)| t.clone()).collect();
    if records.is_empty() {
        return Observation::down(Some(ping), format!("No {type_text} records for {shown_name} at {server_label}"));
    }
    let expected = c.expected_value.trim();
    if expected.is_empty() {
        return Observation::up(Some(ping), format!("{type_text} records: {}", list(&texts)));
    }
    if records.iter().any(|(data, text)| record_matches(data, text, expected)) {
        Observation::up(Some(ping), format!("Found \"{expected}\" in {type_text} records: {}", list(&texts)))
    } else {
        Observation::down(Some(ping), format!("Expected \"{expected}\" not in {type_text} records: {}", list(&texts)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_resolver::proto::rr::rdata::{A, AAAA, MX, TXT};

    #[test]
    fn addresses_match_by_value_not_by_text() {
        let a = RData::AAAA(AAAA("2001:db8::1".parse().unwrap()));
        assert!(record_matches(&a, &a.to_string(), "2001:DB8:0::1"));
        let a = RData::A(A("10.0.0.1".parse().unwrap()));
        assert!(!record_matches(&a, &a.to_string(), "10.0.0.10"));
    }

    #[test]
    fn mx_matches_whole_text_or_exchange_ignoring_case_and_dot() {
        let mx = RData::MX(MX::new(10, Name::from_str("Mail.Example.com.").unwrap()));
        let text = record_text(&mx);
        assert!(record_matches(&mx, &text, "10 mail.example.com"));
        assert!(record_matches(&mx, &text, "mail.example.com."));
        assert!(!record_matches(&mx, &text, "example.com"));
    }

    #[test]
    fn txt_matches_a_substring_case_sensitively() {
        let txt = RData::TXT(TXT::new(vec!["v=spf1 ".into(), "include:_spf.example.com -all".into()]));
        let text = record_text(&txt);
        assert_eq!(text, "v=spf1 include:_spf.example.com -all");
        assert!(record_matches(&txt, &text, "include:_spf.example.com"));
        assert!(!record_matches(&txt, &text, "V=SPF1"));
    }
}

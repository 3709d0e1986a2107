//! `tls`: connect, handshake, judge the certificate (chain, host name, expiry) and record
//! the chain. Also the handshake `smtp` and `websocket` (wss://) use, so every check that
//! speaks TLS itself explains certificate problems the same way.

use std::time::Instant;

use async_trait::async_trait;
use rustls::pki_types::ServerName;
use rustls::{CertificateError, Error as TlsError};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_rustls::client::TlsStream;

use super::{Check, CheckContext, Deadline, Observation, connect_tcp, elapsed_us};
use crate::domain::check::CheckJob;
use crate::domain::monitor_types::host::bare_host;
use crate::domain::{MonitorConfig, TlsInfo, now_millis};
use crate::worker::tls::{TlsOptions, describe_chain};

pub struct TlsCheck;

/// A finished handshake: the stream, the chain the server sent, and why that chain does
/// not verify (only possible when the options were lenient).
pub(super) struct Handshake<S> {
    pub stream: TlsStream<S>,
    pub info: TlsInfo,
    pub error: Option<TlsError>,
}

/// Runs a TLS handshake over `io` for `name`, with the verdict kept even when
/// `opts.lenient` lets an invalid certificate through. Errors are user-facing messages.
pub(super) async fn handshake<S>(
    io: S,
    name: &str,
    opts: &TlsOptions,
    ctx: &CheckContext,
) -> Result<Handshake<S>, String>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let server_name = ServerName::try_from(bare_host(name).to_string())
        .map_err(|_| format!("\"{name}\" cannot be used as a TLS server name"))?;
    let (config, verdict) = ctx.http.tls().connection_config(opts)?;
    let connector = tokio_rustls::TlsConnector::from(config);
    match connector.connect(server_name, io).await {
        Ok(stream) => {
            let error = verdict.error();
            let certs = stream.get_ref().1.peer_certificates().unwrap_or_default();
            let info = describe_chain(certs, error.as_ref().map(describe_tls_error), now_millis());
            Ok(Handshake { stream, info, error })
        }
        Err(e) => Err(match verdict.error() {
            Some(cert) => format!("Certificate rejected: {}", describe_tls_error(&cert)),
            None => format!("TLS handshake failed: {}", super::root_cause(&e)),
        }),
    }
}

fn date(secs: u64) -> String {
    chrono::DateTime::from_timestamp(i64::try_from(secs).unwrap_or(i64::MAX), 0)
        .map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|| secs.to_string())
}

/// `DnsName("a.example")` / `IpAddress(127.0.0.1)` (how webpki lists names) → the name.
fn bare_name(presented: &str) -> String {
    let inner = presented.split_once('(').and_then(|(_, rest)| rest.strip_suffix(')')).unwrap_or(presented);
    inner.trim_matches('"').to_string()
}

/// What is wrong with a certificate, in words a user can act on.
pub(super) fn describe_tls_error(e: &TlsError) -> String {
    let TlsError::InvalidCertificate(cert) = e else { return e.to_string() };
    match cert {
        CertificateError::ExpiredContext { time, not_after } => {
            let days = time.as_secs().saturating_sub(not_after.as_secs()) / 86_400;
            format!("the certificate expired on {} ({days} days ago)", date(not_after.as_secs()))
        }
        CertificateError::Expired => "the certificate has expired".into(),
        CertificateError::NotValidYetContext { not_before, .. } => {
            format!("the certificate is not valid before {}", date(not_before.as_secs()))
        }
        CertificateError::NotValidYet => "the certificate is not valid yet".into(),
        CertificateError::NotValidForNameContext { expected, presented } => {
            let names: Vec<String> = presented.iter().map(|p| bare_name(p)).collect();
            if names.is_empty() {
                format!("the certificate is not valid for \"{}\" (it names no host)", expected.to_str())
            } else {
                format!("the certificate is not valid for \"{}\" (it is for {})", expected.to_str(), names.join(", "))
            }
        }
        CertificateError::NotValidForName => "the certificate is not valid for this host name".into(),
        CertificateError::UnknownIssuer => {
            "the certificate is not signed by a trusted authority (self-signed, a private \
             CA or a missing intermediate); add its CA certificate under \"ca\" to trust it"
                .into()
        }
        CertificateError::Revoked => "the certificate has been revoked".into(),
        CertificateError::BadSignature => "the certificate's signature is invalid".into(),
        CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
            "the certificate is not meant for TLS servers (extended key usage)".into()
        }
        other => format!("the certificate is invalid: {other}"),
    }
}

#[async_trait]
impl Check for TlsCheck {
    async fn run(&self, job: &CheckJob, config: &MonitorConfig, ctx: &CheckContext) -> Option<Observation> {
        let MonitorConfig::Tls(c) = config else { return Some(Observation::down(None, "not a tls monitor")) };
        let deadline = Deadline::of(job);
        let start = Instant::now();
        let tcp = match connect_tcp(&c.host, c.port, deadline).await {
            Ok(s) => s,
            Err(e) => return Some(Observation::down(None, e)),
        };
        let opts =
            TlsOptions { lenient: true, ca_pem: (!c.ca.trim().is_empty()).then(|| c.ca.clone()), ..Default::default() };
        let name = c.expected_name();
        let hs = match deadline.run("for the TLS handshake", handshake(tcp, name, &opts, ctx)).await {
            Ok(Ok(hs)) => hs,
            Ok(Err(e)) | Err(e) => return Some(Observation::down(None, e)),
        };
        let ping = elapsed_us(start);
        let Handshake { mut stream, info, error } = hs;
        // Best effort close_notify; the verdict is already in.
        let _ = deadline.run("", tokio::io::AsyncWriteExt::shutdown(&mut stream)).await;
        let Some(leaf) = info.chain.first() else {
            let mut obs = Observation::down(Some(ping), "The server sent no certificate");
            obs.tls = Some(info);
            return Some(obs);
        };
        let until = date(u64::try_from(leaf.not_after / 1000).unwrap_or(0));
        let days = leaf.days_remaining;
        let mut obs = match &error {
            Some(e) => {
                Observation::down(Some(ping), format!("Certificate of {name} is invalid: {}", describe_tls_error(e)))
            }
            None if days < i64::from(c.min_days_remaining) => Observation::down(
                Some(ping),
                format!(
                    "Certificate of {name} expires in {days} days ({until}), fewer than the {} required",
                    c.min_days_remaining
                ),
            ),
            None => Observation::up(
                Some(ping),
                format!(
                    "Certificate of {name} is valid for {days} more days (until {until}), issued by {}; chain of {}",
                    if leaf.issuer.is_empty() { "(unknown)" } else { leaf.issuer.as_str() },
                    info.chain.len()
                ),
            ),
        };
        obs.tls = Some(info);
        Some(obs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webpki_name_lists_become_plain_names() {
        assert_eq!(bare_name("DnsName(\"localhost\")"), "localhost");
        assert_eq!(bare_name("IpAddress(127.0.0.1)"), "127.0.0.1");
        assert_eq!(bare_name("plain"), "plain");
    }

    #[test]
    fn expiry_is_described_with_its_date_and_age() {
        let e = TlsError::InvalidCertificate(CertificateError::ExpiredContext {
            time: rustls::pki_types::UnixTime::since_unix_epoch(std::time::Duration::from_secs(
                1_700_000_000 + 3 * 86_400,
            )),
            not_after: rustls::pki_types::UnixTime::since_unix_epoch(std::time::Duration::from_secs(1_700_000_000)),
        });
        assert_eq!(describe_tls_error(&e), "the certificate expired on 2023-11-14 22:13 UTC (3 days ago)");
    }
}

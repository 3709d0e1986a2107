//! TLS for checks: one rustls verifier that records every chain it sees, so HTTPS (and
//! later TLS, SMTP) checks can report the full certificate chain and why it failed to
//! verify, even when `ignore_tls_errors` lets the request through.
//!
//! reqwest only exposes the leaf certificate of a response; the verifier keeps the
//! intermediates and the verification error keyed by the leaf's SHA-256, and the check
//! looks them up with the leaf it got back.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use ring::digest;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::domain::{CertificateInfo, TlsInfo, UnixMillis};

const CACHE_LIMIT: usize = 4096;

struct Seen {
    intermediates: Vec<CertificateDer<'static>>,
    error: Option<String>,
}

/// Chains seen during handshakes, by SHA-256 of the leaf.
#[derive(Default)]
pub struct ChainCache {
    seen: Mutex<HashMap<[u8; 32], Seen>>,
}

fn sha256(der: &[u8]) -> [u8; 32] {
    let d = digest::digest(&digest::SHA256, der);
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}

impl ChainCache {
    fn record(&self, leaf: &CertificateDer<'_>, intermediates: &[CertificateDer<'_>], error: Option<String>) {
        if let Ok(mut seen) = self.seen.lock() {
            if seen.len() >= CACHE_LIMIT {
                seen.clear();
            }
            seen.insert(
                sha256(leaf.as_ref()),
                Seen { intermediates: intermediates.iter().map(|c| c.clone().into_owned()).collect(), error },
            );
        }
    }

    /// Builds the TLS facts for a leaf certificate a response came with.
    pub fn describe(&self, leaf_der: &[u8], now: UnixMillis) -> TlsInfo {
        let (intermediates, error) = self
            .seen
            .lock()
            .ok()
            .and_then(|s| s.get(&sha256(leaf_der)).map(|s| (s.intermediates.clone(), s.error.clone())))
            .unwrap_or_default();
        let mut chain = vec![describe_certificate(leaf_der, now)];
        chain.extend(intermediates.iter().map(|c| describe_certificate(c.as_ref(), now)));
        TlsInfo { valid: error.is_none(), error, chain, captured_at: now }
    }
}

fn hex(bytes: &[u8], sep: &str) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(sep)
}

/// Subject, issuer, validity, fingerprints and SANs of one DER certificate.
pub fn describe_certificate(der: &[u8], now: UnixMillis) -> CertificateInfo {
    let sha1 = hex(digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, der).as_ref(), ":");
    let sha256 = hex(digest::digest(&digest::SHA256, der).as_ref(), ":");
    match x509_parser::parse_x509_certificate(der) {
        Ok((_, cert)) => {
            let not_before = cert.validity().not_before.timestamp() * 1000;
            let not_after = cert.validity().not_after.timestamp() * 1000;
            let mut sans = Vec::new();
            if let Ok(Some(ext)) = cert.subject_alternative_name() {
                for name in &ext.value.general_names {
                    match name {
                        x509_parser::extensions::GeneralName::DNSName(d) => sans.push(d.to_string()),
                        x509_parser::extensions::GeneralName::IPAddress(ip) => sans.push(match ip.len() {
                            4 => std::net::Ipv4Addr::new(ip[0], ip[1], ip[2], ip[3]).to_string(),
                            16 => {
                                let mut a = [0u8; 16];
                                a.copy_from_slice(ip);
                                std::net::Ipv6Addr::from(a).to_string()
                            }
                            _ => hex(ip, ""),
                        }),
                        _ => {}
                    }
                }
            }
            CertificateInfo {
                subject: cert.subject().to_string(),
                issuer: cert.issuer().to_string(),
                serial: cert.raw_serial_as_string(),
                not_before,
                not_after,
                days_remaining: (not_after - now).div_euclid(86_400_000),
                fingerprint_sha1: sha1,
                fingerprint_sha256: sha256,
                sans,
            }
        }
        Err(e) => CertificateInfo {
            subject: format!("(unparsable certificate: {e})"),
            issuer: String::new(),
            serial: String::new(),
            not_before: 0,
            not_after: 0,
            days_remaining: 0,
            fingerprint_sha1: sha1,
            fingerprint_sha256: sha256,
            sans: Vec::new(),
        },
    }
}

impl std::fmt::Debug for ChainCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChainCache")
    }
}

/// Where a verifier records what it saw.
#[derive(Debug)]
enum Record {
    /// The chain and its verification error, for `GET /monitors/:id/tls` (HTTP checks).
    Chains(Arc<ChainCache>),
    /// The typed verdict of one connection (checks that run their own handshake).
    Verdict(Arc<HandshakeVerdict>),
}

/// Verifies like webpki, records what it saw, and (when lenient) accepts anyway.
#[derive(Debug)]
struct RecordingVerifier {
    inner: Arc<WebPkiServerVerifier>,
    lenient: bool,
    record: Record,
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let result = self.inner.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now);
        match &self.record {
            Record::Chains(chains) => {
                chains.record(end_entity, intermediates, result.as_ref().err().map(|e| e.to_string()))
            }
            Record::Verdict(verdict) => {
                if let Ok(mut slot) = verdict.error.lock() {
                    *slot = result.as_ref().err().cloned();
                }
            }
        }
        match result {
            Ok(v) => Ok(v),
            Err(_) if self.lenient => Ok(ServerCertVerified::assertion()),
            Err(e) => Err(e),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// The verdict on the server certificate of one connection, for checks that run their own
/// TLS handshake (`tls`, `smtp`, `websocket`): the typed error survives a lenient
/// handshake, so the check can say exactly what is wrong and still record the chain.
#[derive(Debug, Default)]
pub struct HandshakeVerdict {
    error: Mutex<Option<rustls::Error>>,
}

impl HandshakeVerdict {
    /// Why the certificate did not verify, if it did not (None also before any handshake).
    pub fn error(&self) -> Option<rustls::Error> {
        self.error.lock().ok().and_then(|e| e.clone())
    }
}

/// The TLS facts of a chain a check received itself (leaf first, as the server sent it).
pub fn describe_chain(certs: &[CertificateDer<'_>], error: Option<String>, now: UnixMillis) -> TlsInfo {
    TlsInfo {
        valid: error.is_none(),
        error,
        chain: certs.iter().map(|c| describe_certificate(c.as_ref(), now)).collect(),
        captured_at: now,
    }
}

/// Builds TLS client configurations for checks, sharing one root store and chain cache.
pub struct TlsFactory {
    roots: Arc<RootCertStore>,
    pub chains: Arc<ChainCache>,
}

/// Client certificate for mTLS and extra trusted CAs (PEM), as a monitor configures them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct TlsOptions {
    pub lenient: bool,
    pub client_cert_pem: Option<String>,
    pub client_key_pem: Option<String>,
    pub ca_pem: Option<String>,
}

impl Default for TlsFactory {
    fn default() -> Self {
        let mut roots = RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        Self { roots: Arc::new(roots), chains: Arc::new(ChainCache::default()) }
    }
}

impl TlsFactory {
    /// A client configuration for one connection of a check that does its own handshake,
    /// with the slot where the certificate verdict lands (`opts.lenient` lets an invalid
    /// certificate through; the verdict still records why it is invalid). No ALPN.
    pub fn connection_config(
        &self,
        opts: &TlsOptions,
    ) -> Result<(Arc<rustls::ClientConfig>, Arc<HandshakeVerdict>), String> {
        let roots = match &opts.ca_pem {
            Some(pem) if !pem.trim().is_empty() => {
                let mut r = (*self.roots).clone();
                for cert in rustls_pemfile_certs(pem)? {
                    r.add(cert).map_err(|e| format!("ca: {e}"))?;
                }
                Arc::new(r)
            }
            _ => self.roots.clone(),
        };
        let inner = WebPkiServerVerifier::builder(roots).build().map_err(|e| e.to_string())?;
        let verdict = Arc::new(HandshakeVerdict::default());
        let verifier =
            Arc::new(RecordingVerifier { inner, lenient: opts.lenient, record: Record::Verdict(verdict.clone()) });
        let config = rustls::ClientConfig::builder()
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        Ok((Arc::new(config), verdict))
    }

    /// A rustls client configuration for these options (ALPN h2 + http/1.1).
    pub fn client_config(&self, opts: &TlsOptions) -> Result<rustls::ClientConfig, String> {
        let roots = match &opts.ca_pem {
            Some(pem) if !pem.trim().is_empty() => {
                let mut r = (*self.roots).clone();
                let mut added = 0;
                for cert in rustls_pemfile_certs(pem)? {
                    r.add(cert).map_err(|e| format!("tlsCa: {e}"))?;
                    added += 1;
                }
                if added == 0 {
                    return Err("tlsCa: no certificate found in the PEM text".into());
                }
                Arc::new(r)
            }
            _ => self.roots.clone(),
        };
        let inner = WebPkiServerVerifier::builder(roots).build().map_err(|e| e.to_string())?;
        let verifier =
            Arc::new(RecordingVerifier { inner, lenient: opts.lenient, record: Record::Chains(self.chains.clone()) });
        let builder = rustls::ClientConfig::builder().dangerous().with_custom_certificate_verifier(verifier);
        let mut config = match (&opts.client_cert_pem, &opts.client_key_pem) {
            (Some(cert), Some(key)) if !cert.trim().is_empty() => {
                let certs = rustls_pemfile_certs(cert)?;
                let key = pem_private_key(key)?;
                builder.with_client_auth_cert(certs, key).map_err(|e| format!("tlsCert/tlsKey: {e}"))?
            }
            _ => builder.with_no_client_auth(),
        };
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(config)
    }
}

fn rustls_pemfile_certs(pem: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    use rustls::pki_types::pem::PemObject;
    CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("cannot read PEM certificate: {e}"))
}

fn pem_private_key(pem: &str) -> Result<rustls::pki_types::PrivateKeyDer<'static>, String> {
    use rustls::pki_types::pem::PemObject;
    rustls::pki_types::PrivateKeyDer::from_pem_slice(pem.as_bytes())
        .map_err(|e| format!("tlsKey: cannot read PEM private key: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_self_signed_certificate_is_described() {
        let key = rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
        let der = key.cert.der().to_vec();
        let now = crate::domain::now_millis();
        let info = describe_certificate(&der, now);
        assert!(info.subject.contains("rcgen") || !info.subject.is_empty());
        assert!(info.sans.contains(&"localhost".to_string()));
        assert!(info.sans.contains(&"127.0.0.1".to_string()));
        assert!(info.days_remaining > 300, "rcgen certificates are valid for years");
        assert_eq!(info.fingerprint_sha256.len(), 32 * 3 - 1);
    }

    #[test]
    fn bad_pem_is_reported_not_panicked() {
        crate::install_crypto_provider();
        let f = TlsFactory::default();
        let e = f.client_config(&TlsOptions { ca_pem: Some("not pem".into()), ..Default::default() }).unwrap_err();
        assert!(e.contains("tlsCa"), "{e}");
    }
}

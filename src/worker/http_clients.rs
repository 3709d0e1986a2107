//! HTTP clients for checks: one per distinct combination of TLS, redirect and proxy settings,
//! built once and shared (a client is cheap to clone, costly to build). Checks never
//! share one mutable client (Peekaping's race), and connections are not pooled, so each
//! check measures a fresh connect like a user's browser would.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::tls::{ChainCache, TlsFactory, TlsOptions};

const CLIENT_LIMIT: usize = 1024;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ClientKey {
    pub tls: TlsOptions,
    pub max_redirects: u32,
    /// The proxy URL (credentials included), or None to connect directly.
    pub proxy: Option<String>,
}

pub struct HttpClients {
    tls: TlsFactory,
    clients: Mutex<HashMap<ClientKey, reqwest::Client>>,
    /// OAuth2 client-credentials tokens by (token URL, client id, scopes).
    tokens: Mutex<HashMap<String, (String, Instant)>>,
}

impl Default for HttpClients {
    fn default() -> Self {
        Self { tls: TlsFactory::default(), clients: Mutex::new(HashMap::new()), tokens: Mutex::new(HashMap::new()) }
    }
}

impl HttpClients {
    /// TLS configurations for checks that do their own handshake (tls, smtp, websocket,
    /// mqtt, kafka-producer, docker).
    pub fn tls(&self) -> &TlsFactory {
        &self.tls
    }

    pub fn chains(&self) -> &ChainCache {
        &self.tls.chains
    }

    pub fn client(&self, key: &ClientKey) -> Result<reqwest::Client, String> {
        if let Some(c) = self.clients.lock().ok().and_then(|m| m.get(key).cloned()) {
            return Ok(c);
        }
        let client = self.build(key, false)?;
        if let Ok(mut m) = self.clients.lock() {
            if m.len() >= CLIENT_LIMIT {
                m.clear();
            }
            m.insert(key.clone(), client.clone());
        }
        Ok(client)
    }

    /// A client of its own for one check whose requests must share one TCP connection
    /// (NTLM authenticates the connection, not the request): HTTP/1.1 only, and the one
    /// connection is kept between the requests. Not shared, so no other check can take it.
    pub fn connection_bound_client(&self, key: &ClientKey) -> Result<reqwest::Client, String> {
        self.build(key, true)
    }

    fn build(&self, key: &ClientKey, connection_bound: bool) -> Result<reqwest::Client, String> {
        let mut tls = self.tls.client_config(&key.tls)?;
        let redirect = if key.max_redirects == 0 {
            reqwest::redirect::Policy::none()
        } else {
            reqwest::redirect::Policy::limited(key.max_redirects as usize)
        };
        let mut builder = reqwest::Client::builder();
        if connection_bound {
            tls.alpn_protocols = vec![b"http/1.1".to_vec()];
            builder = builder.http1_only().pool_max_idle_per_host(1);
        } else {
            builder = builder.pool_max_idle_per_host(0);
        }
        builder = match &key.proxy {
            Some(url) => builder
                .proxy(reqwest::Proxy::all(url).map_err(|e| format!("Proxy: {}", super::checks::root_cause(&e)))?),
            None => builder.no_proxy(),
        };
        builder
            .tls_backend_preconfigured(tls)
            .tls_info(true)
            .redirect(redirect)
            .user_agent(format!("peekaping/{}", crate::VERSION))
            .build()
            .map_err(|e| format!("cannot build an HTTP client: {e}"))
    }

    pub fn cached_token(&self, key: &str) -> Option<String> {
        let m = self.tokens.lock().ok()?;
        m.get(key).filter(|(_, exp)| *exp > Instant::now()).map(|(t, _)| t.clone())
    }

    pub fn store_token(&self, key: String, token: String, lifetime: Duration) {
        if let Ok(mut m) = self.tokens.lock() {
            if m.len() >= CLIENT_LIMIT {
                m.clear();
            }
            // Renew a little before the server says it expires.
            let lifetime = lifetime.saturating_sub(Duration::from_secs(30)).max(Duration::from_secs(5));
            m.insert(key, (token, Instant::now() + lifetime));
        }
    }
}

//! `http`, `http-keyword`, `http-json-query`: one request, judged by its status code,
//! and optionally by a keyword in the body or a JSON query on it.

use std::time::{Duration, Instant};

use async_trait::async_trait;

use super::{Check, CheckContext, Observation, elapsed_us, root_cause};
use crate::domain::check::CheckJob;
use crate::domain::json_query;
use crate::domain::monitor_config::HttpConfig;
use crate::domain::status_codes::accepts;
use crate::domain::{MonitorConfig, now_millis};
use crate::worker::http_clients::{ClientKey, HttpClients};
use crate::worker::ntlm;
use crate::worker::tls::TlsOptions;

pub struct HttpCheck;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Judge {
    Status,
    Keyword,
    JsonQuery,
}

fn content_type(encoding: &str) -> &'static str {
    match encoding.to_ascii_lowercase().as_str() {
        "form" => "application/x-www-form-urlencoded",
        "xml" => "application/xml",
        "text" => "text/plain; charset=utf-8",
        _ => "application/json",
    }
}

/// What a failed request says to the user. Through a proxy, a connection failure names
/// the proxy: it is the proxy that could not be reached or refused to connect onwards.
fn describe_send_error(e: &reqwest::Error, timeout: Duration, proxy: Option<&str>) -> String {
    if let Some(addr) = proxy
        && e.is_connect()
        && !e.is_timeout()
    {
        return format!("Proxy {addr}: {}", root_cause(e));
    }
    if e.is_timeout() {
        return format!("Timed out after {} s", timeout.as_secs());
    }
    if e.is_redirect() {
        return format!("Too many redirects: {}", root_cause(e));
    }
    root_cause(e)
}

fn status_text(s: reqwest::StatusCode) -> String {
    format!("{} - {}", s.as_u16(), s.canonical_reason().unwrap_or("Unknown"))
}

/// Reads at most `max` bytes of the body: a 1 GB response costs `max`, not 1 GB.
async fn read_capped(mut resp: reqwest::Response, max: usize) -> Result<String, String> {
    let mut buf: Vec<u8> = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| format!("Reading the body failed: {}", root_cause(&e)))? {
        let room = max.saturating_sub(buf.len());
        buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if buf.len() >= max {
            break;
        }
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

fn snippet(body: &str) -> String {
    let one_line: String = body.chars().map(|c| if c.is_control() { ' ' } else { c }).take(120).collect();
    one_line.trim().to_string()
}

/// Fetches (or reuses) an OAuth2 client-credentials token with the check's own client.
async fn oauth_token(
    c: &HttpConfig,
    client: &reqwest::Client,
    clients: &HttpClients,
    timeout: Duration,
    proxy: Option<&str>,
) -> Result<String, String> {
    let key = format!("{}\u{0}{}\u{0}{}", c.oauth_token_url, c.oauth_client_id, c.oauth_scopes);
    if let Some(t) = clients.cached_token(&key) {
        return Ok(t);
    }
    let secret_in_body = c.oauth_auth_method == "client_secret_post";
    let body = {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        form.append_pair("grant_type", "client_credentials");
        if !c.oauth_scopes.trim().is_empty() {
            form.append_pair("scope", c.oauth_scopes.trim());
        }
        if secret_in_body {
            form.append_pair("client_id", &c.oauth_client_id);
            form.append_pair("client_secret", &c.oauth_client_secret);
        }
        form.finish()
    };
    let mut req = client.post(&c.oauth_token_url).timeout(timeout);
    if !secret_in_body {
        req = req.basic_auth(&c.oauth_client_id, Some(&c.oauth_client_secret));
    }
    let resp = req
        .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .map_err(|e| format!("OAuth2 token request failed: {}", describe_send_error(&e, timeout, proxy)))?;
    let status = resp.status();
    let body = read_capped(resp, 64 * 1024).await?;
    if !status.is_success() {
        return Err(format!("OAuth2 token request answered {}: {}", status_text(status), snippet(&body)));
    }
    let v: serde_json::Value =
        serde_json::from_str(&body).map_err(|_| "OAuth2 token response is not JSON".to_string())?;
    let token = v["access_token"].as_str().ok_or("OAuth2 token response has no access_token")?.to_string();
    let lifetime = Duration::from_secs(v["expires_in"].as_u64().unwrap_or(300));
    clients.store_token(key, token.clone(), lifetime);
    Ok(token)
}

/// The NTLM handshake on one connection: Negotiate, the server's 401 with its challenge,
/// then the same request with the Authenticate message. Returns the final response.
async fn ntlm_exchange(
    c: &HttpConfig,
    build: &(dyn Fn() -> reqwest::RequestBuilder + Sync),
    timeout: Duration,
    proxy: Option<&str>,
) -> Result<reqwest::Response, String> {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD as B64;
    use reqwest::header::{AUTHORIZATION, WWW_AUTHENTICATE};

    let started = Instant::now();
    let first = build()
        .header(AUTHORIZATION, format!("NTLM {}", B64.encode(ntlm::negotiate())))
        .send()
        .await
        .map_err(|e| describe_send_error(&e, timeout, proxy))?;
    if first.status() != reqwest::StatusCode::UNAUTHORIZED {
        return Ok(first); // the server did not ask for authentication
    }
    let offers: Vec<String> =
        first.headers().get_all(WWW_AUTHENTICATE).iter().filter_map(|v| v.to_str().ok()).map(str::to_string).collect();
    let token = offers.iter().find_map(|v| {
        let (scheme, token) = v.trim().split_once(' ')?;
        scheme.eq_ignore_ascii_case("NTLM").then(|| token.trim().to_string())
    });
    let Some(token) = token else {
        let offered = if offers.is_empty() { "none".to_string() } else { offers.join(", ") };
        return Err(format!(
            "NTLM authentication failed: the server answered 401 without an NTLM challenge (WWW-Authenticate: {offered})"
        ));
    };
    let challenge = B64
        .decode(token.as_bytes())
        .map_err(|_| "NTLM authentication failed: the server's challenge is not base64".to_string())
        .and_then(|bytes| ntlm::parse_challenge(&bytes).map_err(|e| format!("NTLM authentication failed: {e}")))?;
    // The connection goes back to the pool (for the second leg) only once this body is read.
    drain(first).await;
    let creds = ntlm::Credentials {
        user: c.basic_auth_user.clone(),
        password: c.basic_auth_pass.clone(),
        domain: c.auth_domain.clone(),
        workstation: c.auth_workstation.clone(),
    };
    let message = ntlm::authenticate(&creds, &challenge, ntlm::filetime_now(), &rand::random::<[u8; 8]>());
    let left = timeout.saturating_sub(started.elapsed()).max(Duration::from_millis(1));
    let second = build()
        .timeout(left)
        .header(AUTHORIZATION, format!("NTLM {}", B64.encode(message)))
        .send()
        .await
        .map_err(|e| describe_send_error(&e, timeout, proxy))?;
    if second.status() == reqwest::StatusCode::UNAUTHORIZED {
        return Err(
            "NTLM authentication failed: the server answered 401 (check the user name, password and domain)".into()
        );
    }
    Ok(second)
}

/// Reads a body to its end (up to 1 MB) so its connection can be reused.
async fn drain(mut resp: reqwest::Response) {
    let mut seen = 0usize;
    while let Ok(Some(chunk)) = resp.chunk().await {
        seen += chunk.len();
        if seen > 1024 * 1024 {
            break;
        }
    }
}

#[async_trait]
impl Check for HttpCheck {
    async fn run(&self, job: &CheckJob, config: &MonitorConfig, ctx: &CheckContext) -> Option<Observation> {
        let (c, judge) = match config {
            MonitorConfig::Http(c) => (c, Judge::Status),
            MonitorConfig::HttpKeyword(c) => (c, Judge::Keyword),
            MonitorConfig::HttpJsonQuery(c) => (c, Judge::JsonQuery),
            _ => return Some(Observation::down(None, "not an HTTP monitor")),
        };
        Some(run_http(job, c, judge, ctx).await)
    }
}

async fn run_http(job: &CheckJob, c: &HttpConfig, judge: Judge, ctx: &CheckContext) -> Observation {
    let timeout = Duration::from_secs(u64::from(job.monitor.timeout.max(1)));
    let mtls = c.auth_method == "mtls";
    let key = ClientKey {
        tls: TlsOptions {
            lenient: c.ignore_tls_errors,
            client_cert_pem: mtls.then(|| c.tls_cert.clone()),
            client_key_pem: mtls.then(|| c.tls_key.clone()),
            ca_pem: (mtls && !c.tls_ca.trim().is_empty()).then(|| c.tls_ca.clone()),
        },
        max_redirects: c.max_redirects,
        proxy: job.proxy.as_ref().map(|p| p.url()),
    };
    let proxy_addr = job.proxy.as_ref().map(|p| p.address());
    let proxy = proxy_addr.as_deref();
    let ntlm = c.auth_method == "ntlm";
    let client = if ntlm { ctx.http.connection_bound_client(&key) } else { ctx.http.client(&key) };
    let client = match client {
        Ok(client) => client,
        Err(e) => return Observation::down(None, e),
    };
    let method = match reqwest::Method::from_bytes(c.method_upper().as_bytes()) {
        Ok(m) => m,
        Err(_) => return Observation::down(None, format!("Unknown HTTP method {}", c.method)),
    };
    let headers = c.header_pairs().unwrap_or_default();
    let has_content_type = headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type"));
    // A builder per request: NTLM sends the same request twice.
    let build = || {
        let mut req = client.request(method.clone(), c.url.trim()).timeout(timeout);
        for (k, v) in &headers {
            req = req.header(k.as_str(), v.as_str());
        }
        if !c.body.is_empty() {
            if !has_content_type {
                req = req.header(reqwest::header::CONTENT_TYPE, content_type(&c.encoding));
            }
            req = req.body(c.body.clone());
        }
        req
    };
    let mut req = build();
    match c.auth_method.as_str() {
        "basic" => req = req.basic_auth(&c.basic_auth_user, Some(&c.basic_auth_pass)),
        "oauth2-cc" => match oauth_token(c, &client, &ctx.http, timeout, proxy).await {
            Ok(token) => req = req.bearer_auth(token),
            Err(e) => return Observation::down(None, e),
        },
        _ => {}
    }

    let start = Instant::now();
    let sent = if ntlm {
        ntlm_exchange(c, &build, timeout, proxy).await
    } else {
        req.send().await.map_err(|e| describe_send_error(&e, timeout, proxy))
    };
    let resp = match sent {
        Ok(r) => r,
        Err(e) => return Observation::down(None, e),
    };
    let status = resp.status();
    let tls = resp
        .extensions()
        .get::<reqwest::tls::TlsInfo>()
        .and_then(|t| t.peer_certificate())
        .map(|der| ctx.http.chains().describe(der, now_millis()));
    let accepted = accepts(&c.status_rules(), status.as_u16());

    let mut obs = match judge {
        Judge::Status => {
            let ping = elapsed_us(start);
            drop(resp);
            if accepted {
                Observation::up(Some(ping), status_text(status))
            } else {
                Observation::down(Some(ping), format!("{} (accepted: {})", status_text(status), accepted_list(c)))
            }
        }
        Judge::Keyword | Judge::JsonQuery => {
            let body = read_capped(resp, ctx.max_body_bytes).await;
            let ping = elapsed_us(start);
            match body {
                Err(e) => Observation::down(Some(ping), e),
                Ok(_) if !accepted => {
                    Observation::down(Some(ping), format!("{} (accepted: {})", status_text(status), accepted_list(c)))
                }
                Ok(body) if judge == Judge::Keyword => {
                    let found = body.contains(&c.keyword);
                    match (found, c.invert_keyword) {
                        (true, false) => Observation::up(
                            Some(ping),
                            format!("{}, keyword \"{}\" found", status_text(status), c.keyword),
                        ),
                        (false, true) => Observation::up(
                            Some(ping),
                            format!("{}, keyword \"{}\" absent as expected", status_text(status), c.keyword),
                        ),
                        (true, true) => {
                            Observation::down(Some(ping), format!("Keyword \"{}\" found but must be absent", c.keyword))
                        }
                        (false, false) => Observation::down(
                            Some(ping),
                            format!("Keyword \"{}\" not found in [{}]", c.keyword, snippet(&body)),
                        ),
                    }
                }
                Ok(body) => match json_query::evaluate(&body, &c.json_query, c.condition(), &c.expected_value) {
                    Ok(actual) => Observation::up(
                        Some(ping),
                        format!(
                            "{}, {} {} {}",
                            status_text(status),
                            display_query(&c.json_query),
                            c.condition().symbol(),
                            actual
                        ),
                    ),
                    Err(e) => Observation::down(Some(ping), e),
                },
            }
        }
    };
    obs.tls = tls;
    obs
}

fn accepted_list(c: &HttpConfig) -> String {
    if c.accepted_statuscodes.is_empty() { "2XX".into() } else { c.accepted_statuscodes.join(", ") }
}

fn display_query(q: &str) -> &str {
    if q.trim().is_empty() { "body" } else { q }
}

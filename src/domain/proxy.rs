//! Proxies: the global list of HTTP and SOCKS proxies that HTTP-family monitors can send
//! their requests through (a monitor refers to one by `proxy_id`). Validation names the
//! field at fault; `url()` is the one place that turns a proxy into a client setting.

use serde::{Deserialize, Serialize};

use super::UnixMillis;
use super::monitor::ValidationError;

/// How the check talks to the proxy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProxyProtocol {
    /// Plain HTTP to the proxy: forward requests for http:// targets, CONNECT for https://.
    Http,
    /// Like `Http`, with TLS to the proxy itself.
    Https,
    /// SOCKS4: no credentials, the checker resolves the target's name.
    Socks4,
    /// SOCKS5: the checker resolves the target's name.
    Socks5,
    /// SOCKS5 with the target's name resolved by the proxy.
    Socks5h,
}

impl ProxyProtocol {
    pub const ALL: [ProxyProtocol; 5] = [Self::Http, Self::Https, Self::Socks4, Self::Socks5, Self::Socks5h];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Http => "http",
            Self::Https => "https",
            Self::Socks4 => "socks4",
            Self::Socks5 => "socks5",
            Self::Socks5h => "socks5h",
        }
    }

    /// Parses a protocol name; Peekaping's plain `socks` means SOCKS5.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "http" => Self::Http,
            "https" => Self::Https,
            "socks4" => Self::Socks4,
            "socks5" | "socks" => Self::Socks5,
            "socks5h" => Self::Socks5h,
            _ => return None,
        })
    }
}

/// A stored proxy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proxy {
    pub id: String,
    pub protocol: ProxyProtocol,
    pub host: String,
    pub port: u16,
    /// Whether `username`/`password` are sent to the proxy.
    pub auth: bool,
    pub username: String,
    pub password: String,
    pub created_at: UnixMillis,
    pub updated_at: UnixMillis,
}

impl Proxy {
    /// `host:port` as the user reads it in messages.
    pub fn address(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// The proxy URL a client takes, credentials included (percent-encoded) when `auth`.
    pub fn url(&self) -> String {
        let base = format!("{}://{}", self.protocol.as_str(), self.address());
        let Ok(mut url) = url::Url::parse(&base) else { return base };
        if self.auth {
            let _ = url.set_username(&self.username);
            let _ = url.set_password(Some(&self.password));
        }
        url.to_string()
    }
}

pub const HOST_MAX: usize = 255;
pub const CREDENTIAL_MAX: usize = 255;

/// A whole proxy as a client writes it (create, full update).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProxyDraft {
    pub protocol: String,
    pub host: String,
    /// Wider than a port so an out-of-range number is reported, not truncated.
    pub port: u32,
    pub auth: bool,
    pub username: String,
    pub password: String,
}

/// Valid proxy settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidProxy {
    pub protocol: ProxyProtocol,
    pub host: String,
    pub port: u16,
    pub auth: bool,
    pub username: String,
    pub password: String,
}

impl ProxyDraft {
    pub fn validate(&self) -> Result<ValidProxy, ValidationError> {
        let protocol = ProxyProtocol::parse(&self.protocol)
            .ok_or_else(|| ValidationError::new("protocol", "must be one of http, https, socks4, socks5, socks5h"))?;
        let host = self.host.trim().trim_start_matches('[').trim_end_matches(']').to_string();
        if host.is_empty() {
            return Err(ValidationError::new("host", "is required"));
        }
        if host.chars().count() > HOST_MAX {
            return Err(ValidationError::new("host", format!("must be at most {HOST_MAX} characters")));
        }
        let host_ok = if host.contains(':') {
            host.parse::<std::net::Ipv6Addr>().is_ok()
        } else {
            host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
        };
        if !host_ok {
            return Err(ValidationError::new(
                "host",
                "must be a host name or IP address without scheme, port or path (e.g. proxy.example.com)",
            ));
        }
        let port = u16::try_from(self.port)
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| ValidationError::new("port", "must be between 1 and 65535"))?;
        if self.auth {
            if protocol == ProxyProtocol::Socks4 {
                return Err(ValidationError::new(
                    "auth",
                    "SOCKS4 proxies cannot authenticate here; use socks5 for a proxy that needs a user name and password",
                ));
            }
            if self.username.is_empty() {
                return Err(ValidationError::new("username", "is required when auth is on"));
            }
        }
        if self.username.chars().count() > CREDENTIAL_MAX {
            return Err(ValidationError::new("username", format!("must be at most {CREDENTIAL_MAX} characters")));
        }
        if self.password.chars().count() > CREDENTIAL_MAX {
            return Err(ValidationError::new("password", format!("must be at most {CREDENTIAL_MAX} characters")));
        }
        Ok(ValidProxy {
            protocol,
            host,
            port,
            auth: self.auth,
            username: self.username.clone(),
            password: self.password.clone(),
        })
    }
}

/// A partial update: only the fields present change.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProxyPatch {
    pub protocol: Option<String>,
    pub host: Option<String>,
    pub port: Option<u32>,
    pub auth: Option<bool>,
    pub username: Option<String>,
    pub password: Option<String>,
}

impl ProxyPatch {
    /// The complete proxy this patch would produce from `base`.
    pub fn apply(&self, base: &Proxy) -> ProxyDraft {
        ProxyDraft {
            protocol: self.protocol.clone().unwrap_or_else(|| base.protocol.as_str().to_string()),
            host: self.host.clone().unwrap_or_else(|| base.host.clone()),
            port: self.port.unwrap_or(u32::from(base.port)),
            auth: self.auth.unwrap_or(base.auth),
            username: self.username.clone().unwrap_or_else(|| base.username.clone()),
            password: self.password.clone().unwrap_or_else(|| base.password.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ProxyDraft {
        ProxyDraft {
            protocol: "http".into(),
            host: "proxy.example.com".into(),
            port: 3128,
            auth: false,
            username: String::new(),
            password: String::new(),
        }
    }

    fn field(d: &ProxyDraft) -> String {
        d.validate().unwrap_err().field
    }

    #[test]
    fn a_plain_http_proxy_is_valid() {
        let v = draft().validate().unwrap();
        assert_eq!((v.protocol, v.port), (ProxyProtocol::Http, 3128));
    }

    #[test]
    fn every_bad_field_is_named() {
        assert_eq!(field(&ProxyDraft { protocol: "ftp".into(), ..draft() }), "protocol");
        assert_eq!(field(&ProxyDraft { host: " ".into(), ..draft() }), "host");
        assert_eq!(field(&ProxyDraft { host: "http://proxy".into(), ..draft() }), "host");
        assert_eq!(field(&ProxyDraft { host: "proxy:3128".into(), ..draft() }), "host");
        assert_eq!(field(&ProxyDraft { port: 0, ..draft() }), "port");
        assert_eq!(field(&ProxyDraft { port: 70_000, ..draft() }), "port");
        assert_eq!(field(&ProxyDraft { auth: true, ..draft() }), "username");
        assert_eq!(
            field(&ProxyDraft { protocol: "socks4".into(), auth: true, username: "u".into(), ..draft() }),
            "auth"
        );
        assert_eq!(field(&ProxyDraft { password: "x".repeat(256), ..draft() }), "password");
    }

    #[test]
    fn socks_means_socks5_and_ipv6_hosts_are_bracketed() {
        let v = ProxyDraft { protocol: "SOCKS".into(), host: "[::1]".into(), ..draft() }.validate().unwrap();
        assert_eq!(v.protocol, ProxyProtocol::Socks5);
        assert_eq!(v.host, "::1");
        let p = Proxy {
            id: "p".into(),
            protocol: v.protocol,
            host: v.host,
            port: 1080,
            auth: true,
            username: "a b".into(),
            password: "p@ss:word".into(),
            created_at: 0,
            updated_at: 0,
        };
        assert_eq!(p.address(), "[::1]:1080");
        assert_eq!(p.url(), "socks5://a%20b:p%40ss%3Aword@[::1]:1080");
    }

    #[test]
    fn credentials_stay_out_of_the_url_without_auth() {
        let p = Proxy {
            id: "p".into(),
            protocol: ProxyProtocol::Http,
            host: "127.0.0.1".into(),
            port: 8080,
            auth: false,
            username: "u".into(),
            password: "secret".into(),
            created_at: 0,
            updated_at: 0,
        };
        assert_eq!(p.url(), "http://127.0.0.1:8080/");
    }
}

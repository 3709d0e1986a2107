//! `docker`: inspect one container through the Docker Engine API (Peekaping's keys).

use serde::{Deserialize, Serialize};

use crate::domain::monitor::ValidationError;

/// Configuration of a `docker` monitor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DockerConfig {
    /// Container name or id.
    pub container_id: String,
    /// `socket` (a unix socket path) or `tcp` (an engine URL).
    pub connection_type: String,
    /// `/var/run/docker.sock` for sockets; `tcp://host:2375`, `http://…` or `https://…` for tcp.
    pub docker_daemon: String,
    pub tls_enabled: bool,
    /// Client certificate and key (PEM text) for engines that require them.
    pub tls_cert: String,
    pub tls_key: String,
    /// Extra CA (PEM text) that signed the engine's certificate.
    pub tls_ca: String,
    /// Verify the engine's certificate; off (Peekaping's default) accepts any certificate.
    pub tls_verify: bool,
}

impl Default for DockerConfig {
    fn default() -> Self {
        Self {
            container_id: String::new(),
            connection_type: "socket".into(),
            docker_daemon: "/var/run/docker.sock".into(),
            tls_enabled: false,
            tls_cert: String::new(),
            tls_key: String::new(),
            tls_ca: String::new(),
            tls_verify: false,
        }
    }
}

impl DockerConfig {
    /// The container as the API names it (a leading `/` of `docker inspect` output removed).
    pub fn container(&self) -> &str {
        self.container_id.trim().trim_start_matches('/')
    }

    /// The socket path for `socket` connections.
    pub fn socket_path(&self) -> &str {
        let d = self.docker_daemon.trim();
        d.strip_prefix("unix://").unwrap_or(d)
    }

    /// `host:port` of a `tcp` engine.
    pub fn tcp_authority(&self) -> Result<String, String> {
        let d = self.docker_daemon.trim();
        let with_scheme = if d.contains("://") { d.replacen("tcp://", "http://", 1) } else { format!("http://{d}") };
        let u = url::Url::parse(&with_scheme).map_err(|e| e.to_string())?;
        if !matches!(u.scheme(), "http" | "https") {
            return Err(format!("scheme \"{}\" is not tcp, http or https", u.scheme()));
        }
        let host = u.host_str().ok_or("no host")?;
        let port = u.port_or_known_default().ok_or("no port")?;
        let explicit = u.port().is_some() || d.starts_with("http");
        if !explicit {
            return Err("a port is required, e.g. tcp://docker-host:2375".into());
        }
        Ok(format!("{host}:{port}"))
    }

    /// Whether a `tcp` connection uses TLS (`tls_enabled`, or an `https://` URL).
    pub fn uses_tls(&self) -> bool {
        self.connection_type == "tcp" && (self.tls_enabled || self.docker_daemon.trim().starts_with("https://"))
    }

    pub(crate) fn validate(&self) -> Result<(), ValidationError> {
        let err = |f: &str, m: String| Err(ValidationError::new(format!("config.{f}"), m));
        let c = self.container();
        if c.is_empty() {
            return err("container_id", "is required (a container name or id)".into());
        }
        if c.len() > 255 || !c.chars().all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '.' | '-')) {
            return err("container_id", "must be a container name or id (letters, digits, '_', '.', '-')".into());
        }
        match self.connection_type.as_str() {
            "socket" => {
                let p = self.socket_path();
                if !p.starts_with('/') || p.contains(char::is_whitespace) {
                    return err("docker_daemon", "must be an absolute socket path, e.g. /var/run/docker.sock".into());
                }
            }
            "tcp" => {
                if let Err(e) = self.tcp_authority() {
                    return err("docker_daemon", format!("must be an engine URL like tcp://docker-host:2375: {e}"));
                }
            }
            _ => return err("connection_type", "must be socket or tcp".into()),
        }
        if self.uses_tls() {
            let cert = !self.tls_cert.trim().is_empty();
            let key = !self.tls_key.trim().is_empty();
            if cert != key {
                let missing = if cert { "tls_key" } else { "tls_cert" };
                return err(missing, "client certificate and key go together: set both or neither".into());
            }
            for (f, v) in [("tls_cert", &self.tls_cert), ("tls_key", &self.tls_key), ("tls_ca", &self.tls_ca)] {
                if !v.trim().is_empty() && !v.contains("-----BEGIN") {
                    return err(f, "must be PEM text (-----BEGIN …)".into());
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::MonitorConfig;

    fn field(c: &str) -> String {
        MonitorConfig::parse("docker", c).unwrap_err().field
    }

    #[test]
    fn docker_socket_and_tcp_configs_parse() {
        assert!(
            MonitorConfig::parse(
                "docker",
                r#"{"container_id":"web","connection_type":"socket","docker_daemon":"/var/run/docker.sock"}"#
            )
            .is_ok()
        );
        let c = DockerConfig {
            connection_type: "tcp".into(),
            docker_daemon: "tcp://10.0.0.5:2376".into(),
            ..Default::default()
        };
        assert_eq!(c.tcp_authority().unwrap(), "10.0.0.5:2376");
        let c = DockerConfig {
            connection_type: "tcp".into(),
            docker_daemon: "https://docker:2376".into(),
            ..Default::default()
        };
        assert!(c.uses_tls());
    }

    #[test]
    fn docker_rejects_bad_fields_by_name() {
        assert_eq!(field(r#"{"container_id":""}"#), "config.container_id");
        assert_eq!(field(r#"{"container_id":"a/../b"}"#), "config.container_id");
        assert_eq!(field(r#"{"container_id":"web","connection_type":"ssh"}"#), "config.connection_type");
        assert_eq!(field(r#"{"container_id":"web","docker_daemon":"docker.sock"}"#), "config.docker_daemon");
        assert_eq!(
            field(r#"{"container_id":"web","connection_type":"tcp","docker_daemon":"tcp://host"}"#),
            "config.docker_daemon"
        );
        assert_eq!(
            field(
                r#"{"container_id":"web","connection_type":"tcp","docker_daemon":"tcp://h:2376","tls_enabled":true,"tls_cert":"-----BEGIN CERTIFICATE-----"}"#
            ),
            "config.tls_key"
        );
    }
}

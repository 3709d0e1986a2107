//! `tcp`: a TCP connection to host:port.

use serde::{Deserialize, Serialize};

use crate::domain::monitor::ValidationError;

/// Configuration of a `tcp` monitor: connect and close.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TcpConfig {
    pub host: String,
    pub port: u16,
}

impl TcpConfig {
    pub(crate) fn validate(&self) -> Result<(), ValidationError> {
        let host = self.host.trim();
        if host.is_empty() || host.contains(char::is_whitespace) || host.contains('/') {
            return Err(ValidationError::new("config.host", "must be a host name or IP address"));
        }
        if self.port == 0 {
            return Err(ValidationError::new("config.port", "must be between 1 and 65535"));
        }
        Ok(())
    }
}

//! `push`: passive; a job or device reports to `/api/v1/push/:token`.

use serde::{Deserialize, Serialize};

/// Configuration of a `push` monitor. The token itself is the monitor's `push_token`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct PushConfig {
    #[serde(rename = "pushToken", skip_serializing_if = "Option::is_none")]
    pub push_token: Option<String>,
}

//! The shape of the monitors file. Field names are the API's (`type`, `interval`,
//! `notify_after_failures`…); ids become names: `notifications`, `tags`, `parent`,
//! `depends_on`. `proxy` is a proxy id (proxies have no name).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notification_channels: Vec<FileChannel>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub monitors: Vec<FileMonitor>,
}

/// A monitor. Absent fields take the API's defaults; absent `notifications` means none
/// (not the default channels: the file says everything).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FileMonitor {
    /// Pins the object: an existing monitor with this id is taken over by the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_retries: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_interval: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resend_interval: Option<u32>,
    /// Type-specific settings: a mapping (or a JSON object string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push_token: Option<String>,
    /// Notification channels by name (or id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notifications: Option<Vec<String>>,
    /// Tags by name (or id), optionally with a value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<FileTag>>,
    /// The group monitor, by name (or id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// The monitor this one sits behind, by name (or id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depends_on: Option<String>,
    /// A proxy id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_after_failures: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_after_successes: Option<u32>,
}

/// `prod` or `{name: region, value: eu}`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum FileTag {
    Name(String),
    WithValue {
        name: String,
        #[serde(default)]
        value: String,
    },
}

impl FileTag {
    pub fn name(&self) -> &str {
        match self {
            Self::Name(n) | Self::WithValue { name: n, .. } => n,
        }
    }

    pub fn value(&self) -> &str {
        match self {
            Self::Name(_) => "",
            Self::WithValue { value, .. } => value,
        }
    }
}

/// A notification channel; `config` is the provider's settings (a mapping).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FileChannel {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_default: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<serde_json::Value>,
}

/// A `config` value as the JSON object string the API stores.
pub(crate) fn config_string(v: &Option<serde_json::Value>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => "{}".into(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

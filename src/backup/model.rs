//! The backup file: one JSON document, versioned, holding every object of an instance
//! with its id (so links survive), secrets included. Field names are the domain's.

use serde::{Deserialize, Serialize};

use crate::domain::api_key::{ApiKey, ApiKeyScope};
use crate::domain::maintenance::Maintenance;
use crate::domain::notification::NotificationChannel;
use crate::domain::proxy::Proxy;
use crate::domain::status_page::{Incident, StatusPage};
use crate::domain::tag::Tag;
use crate::domain::{Heartbeat, Monitor, UnixMillis};
use crate::store::RollupRow;

/// `format` of every backup file.
pub const FORMAT: &str = "peekaping-backup";
/// The newest `version` this build writes and reads.
pub const VERSION: u32 = 1;

/// A whole instance. Lists are sorted by id so two exports of the same data are equal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Backup {
    pub format: String,
    pub version: u32,
    /// RFC 3339, UTC.
    pub exported_at: String,
    #[serde(default)]
    pub settings: Vec<BackupSetting>,
    #[serde(default)]
    pub proxies: Vec<Proxy>,
    #[serde(default)]
    pub tags: Vec<Tag>,
    #[serde(default)]
    pub notification_channels: Vec<NotificationChannel>,
    #[serde(default)]
    pub monitors: Vec<Monitor>,
    #[serde(default)]
    pub maintenances: Vec<Maintenance>,
    #[serde(default)]
    pub status_pages: Vec<StatusPage>,
    /// Incidents of every page, each with its updates.
    #[serde(default)]
    pub incidents: Vec<Incident>,
    #[serde(default)]
    pub api_keys: Vec<BackupApiKey>,
    /// Only in exports made with history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<History>,
}

/// A setting (`type` is string, int, bool or json).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupSetting {
    pub key: String,
    pub value: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub created_at: UnixMillis,
    pub updated_at: UnixMillis,
}

/// An API key: the hash of its secret, never the secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupApiKey {
    pub id: String,
    pub name: String,
    pub key_hash: String,
    pub display_key: String,
    pub scope: ApiKeyScope,
    pub last_used: Option<UnixMillis>,
    pub expires_at: Option<UnixMillis>,
    pub usage_count: u64,
    pub max_usage_count: Option<u64>,
    pub created_at: UnixMillis,
    pub updated_at: UnixMillis,
}

impl From<ApiKey> for BackupApiKey {
    fn from(k: ApiKey) -> Self {
        Self {
            id: k.id,
            name: k.name,
            key_hash: k.key_hash,
            display_key: k.display_key,
            scope: k.scope,
            last_used: k.last_used,
            expires_at: k.expires_at,
            usage_count: k.usage_count,
            max_usage_count: k.max_usage_count,
            created_at: k.created_at,
            updated_at: k.updated_at,
        }
    }
}

impl From<BackupApiKey> for ApiKey {
    fn from(k: BackupApiKey) -> Self {
        Self {
            id: k.id,
            name: k.name,
            key_hash: k.key_hash,
            display_key: k.display_key,
            scope: k.scope,
            last_used: k.last_used,
            expires_at: k.expires_at,
            usage_count: k.usage_count,
            max_usage_count: k.max_usage_count,
            created_at: k.created_at,
            updated_at: k.updated_at,
        }
    }
}

/// Heartbeats (oldest first per monitor) and the rollup buckets.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    #[serde(default)]
    pub heartbeats: Vec<Heartbeat>,
    #[serde(default)]
    pub rollups: Vec<RollupRow>,
}

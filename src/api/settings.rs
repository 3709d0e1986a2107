//! `/settings/key/:key`: Peekaping's typed key/value settings (`{value, type}` with type
//! string, int, bool or json). Values are checked against their type, and known keys
//! against their meaning (`cert_expiry_notify_days` is a list of days). The JWT signing
//! secrets live here too: they read back masked and cannot be written or deleted.

use std::sync::Arc;

use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi, Tags};

use super::AppState;
use super::envelope::{Envelope, MessageOnly};
use super::error::{ApiError, ApiResult};
use super::session::{ACCESS_SECRET_KEY, BearerAuth, REFRESH_SECRET_KEY};
use crate::domain::notification::CERT_EXPIRY_SETTING;
use crate::domain::{SECRET_MASK, format_millis, now_millis};
use crate::store::{Setting, SettingKind};

#[derive(Tags)]
enum SettingTag {
    /// Server-wide settings.
    Settings,
}

#[derive(Object)]
#[oai(rename = "Setting")]
pub struct SettingDto {
    pub key: String,
    pub value: String,
    /// string, int, bool or json.
    #[oai(rename = "type")]
    pub kind: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Object)]
pub struct SettingInput {
    pub value: String,
    /// string (default), int, bool or json.
    #[oai(rename = "type")]
    pub kind: Option<String>,
}

fn is_secret(key: &str) -> bool {
    key == ACCESS_SECRET_KEY || key == REFRESH_SECRET_KEY
}

impl From<Setting> for SettingDto {
    fn from(s: Setting) -> Self {
        Self {
            value: if is_secret(&s.key) { SECRET_MASK.into() } else { s.value },
            key: s.key,
            kind: s.kind.as_str().into(),
            created_at: format_millis(s.created_at),
            updated_at: format_millis(s.updated_at),
        }
    }
}

fn check_key(key: &str) -> ApiResult<()> {
    if key.is_empty() || key.len() > 128 || !key.chars().all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c)) {
        return Err(ApiError::validation("key", "must be 1 to 128 letters, digits, '_', '-' or '.'"));
    }
    if is_secret(key) {
        return Err(ApiError::validation("key", "is managed by the server and cannot be changed"));
    }
    Ok(())
}

/// Checks a value against its type and, for known keys, its meaning.
fn check_value(key: &str, value: &str, kind: SettingKind) -> ApiResult<()> {
    let bad = |m: &str| Err(ApiError::validation("value", m));
    match kind {
        SettingKind::Int if value.trim().parse::<i64>().is_err() => return bad("must be an integer"),
        SettingKind::Bool if !matches!(value.trim(), "true" | "false") => return bad("must be true or false"),
        SettingKind::Json if serde_json::from_str::<serde_json::Value>(value).is_err() => {
            return bad("must be valid JSON");
        }
        _ => {}
    }
    if key == super::metrics::METRICS_SETTING && !matches!(value.trim(), "true" | "false") {
        return bad("must be true or false");
    }
    let int_in = |lo: u64, hi: u64| value.trim().parse::<u64>().is_ok_and(|v| (lo..=hi).contains(&v));
    match key {
        crate::backup::snapshot::INTERVAL_KEY if !int_in(0, 8760) => {
            return bad("must be a whole number of hours from 0 (off) to 8760");
        }
        crate::backup::snapshot::KEEP_KEY if !int_in(1, 1000) => return bad("must be a whole number from 1 to 1000"),
        crate::ingester::retention::KEEP_DAYS_KEY if !int_in(1, 36_500) => {
            return bad("must be a whole number of days from 1 to 36500");
        }
        _ => {}
    }
    if key == CERT_EXPIRY_SETTING {
        let days: Option<Vec<i64>> = serde_json::from_str(value).ok();
        match days {
            Some(d) if !d.is_empty() && d.iter().all(|d| (1..=3650).contains(d)) => {}
            _ => return bad("must be a JSON list of days between 1 and 3650, e.g. [7, 14, 21]"),
        }
    }
    Ok(())
}

pub struct SettingsApi {
    pub state: Arc<AppState>,
}

#[OpenApi(prefix_path = "/settings", tag = "SettingTag::Settings")]
impl SettingsApi {
    #[oai(path = "/key/:key", method = "get")]
    async fn get(&self, _auth: BearerAuth, key: Path<String>) -> ApiResult<Json<Envelope<SettingDto>>> {
        let s = self.state.store.setting(&key.0).await?.ok_or_else(|| ApiError::not_found("Setting not found"))?;
        Ok(Json(Envelope::ok(s.into())))
    }

    /// Create or replace a setting.
    #[oai(path = "/key/:key", method = "put")]
    async fn put(
        &self,
        _auth: BearerAuth,
        key: Path<String>,
        body: Json<SettingInput>,
    ) -> ApiResult<Json<Envelope<SettingDto>>> {
        let key = key.0;
        check_key(&key)?;
        let kind = match body.0.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            None => SettingKind::String,
            Some(k) => SettingKind::parse(k)
                .ok_or_else(|| ApiError::validation("type", "must be one of string, int, bool, json"))?,
        };
        check_value(&key, &body.0.value, kind)?;
        let now = now_millis();
        let created_at = self.state.store.setting(&key).await?.map_or(now, |s| s.created_at);
        let setting = Setting { key, value: body.0.value, kind, created_at, updated_at: now };
        self.state.store.put_setting(&setting).await?;
        if setting.key == super::metrics::METRICS_SETTING {
            self.state.metrics.set_observing(setting.value.trim() == "true");
        }
        Ok(Json(Envelope::with("Setting saved", setting.into())))
    }

    #[oai(path = "/key/:key", method = "delete")]
    async fn delete(&self, _auth: BearerAuth, key: Path<String>) -> ApiResult<Json<MessageOnly>> {
        check_key(&key.0)?;
        if !self.state.store.delete_setting(&key.0).await? {
            return Err(ApiError::not_found("Setting not found"));
        }
        if key.0 == super::metrics::METRICS_SETTING {
            self.state.metrics.set_observing(false);
        }
        Ok(Json(MessageOnly::new("Setting deleted")))
    }
}

//! Monitors: what to check, how often, and how to treat failures.
//!
//! `MonitorDraft` is a complete monitor as a client writes it (create, full update);
//! `MonitorPatch` changes some fields of an existing one. Both validate against
//! `MonitorLimits` before anything is stored, and every error names its field.

use serde::{Deserialize, Serialize};

use super::tag::{MonitorTag, links_from_tag_ids, tag_ids_of, validate_monitor_tags};
use super::{MonitorConfig, MonitorStatus, UnixMillis};

/// A stored monitor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Monitor {
    pub id: String,
    /// The monitor type (`http`, `tcp`, …): Peekaping's `type`.
    pub kind: String,
    pub name: String,
    /// Seconds between checks.
    pub interval: u32,
    /// Seconds a check may take.
    pub timeout: u32,
    pub max_retries: u32,
    /// Seconds between checks while PENDING (retrying).
    pub retry_interval: u32,
    /// Notify again after this many consecutive DOWN beats; 0 = never.
    pub resend_interval: u32,
    pub active: bool,
    pub status: MonitorStatus,
    /// The type-specific configuration as the client sent it (a JSON object string).
    pub config: String,
    pub proxy_id: Option<String>,
    pub push_token: Option<String>,
    /// The `group` monitor this one belongs to.
    pub parent_id: Option<String>,
    /// A monitor this one depends on: while that one is DOWN, this one's DOWN notices
    /// fold into its notice.
    #[serde(default)]
    pub depends_on: Option<String>,
    /// Notify DOWN only after this many consecutive DOWN beats (1 = at once).
    #[serde(default = "one")]
    pub notify_after_failures: u32,
    /// Notify the recovery only after this many consecutive UP beats (1 = at once).
    #[serde(default = "one")]
    pub notify_after_successes: u32,
    /// Push monitors: when the run in progress reported its start (runtime state, not
    /// configuration: written only through `MonitorStore::set_run_started`).
    #[serde(default)]
    pub run_started_at: Option<UnixMillis>,
    pub notification_ids: Vec<String>,
    /// The distinct ids of `tags` (Peekaping's field). The store links any id listed here
    /// but absent from `tags` with an empty value.
    pub tag_ids: Vec<String>,
    /// The tag links with their per-monitor values (Uptime Kuma's tag values).
    #[serde(default)]
    pub tags: Vec<MonitorTag>,
    pub created_at: UnixMillis,
    pub updated_at: UnixMillis,
}

fn one() -> u32 {
    1
}

/// Most consecutive beats flap damping can wait for.
pub const MAX_NOTIFY_AFTER: u32 = 100;

impl Monitor {
    /// The typed configuration. Stored monitors were validated on write, so this fails
    /// only if the stored row was edited by hand.
    pub fn typed_config(&self) -> Result<MonitorConfig, ValidationError> {
        MonitorConfig::parse(&self.kind, &self.config)
    }

    pub fn retry_policy(&self) -> super::state::RetryPolicy {
        super::state::RetryPolicy { max_retries: self.max_retries, resend_interval: self.resend_interval }
    }

    pub fn damping(&self) -> super::state::Damping {
        super::state::Damping { failures: self.notify_after_failures, successes: self.notify_after_successes }
    }
}

/// A field-level validation failure, reported to API clients as 400 with `field`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ValidationError {
    pub field: String,
    pub message: String,
}

impl ValidationError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

/// Bounds that depend on the deployment (a test rig may allow 1 s intervals).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonitorLimits {
    /// Shortest allowed interval in seconds (Peekaping: 20).
    pub min_interval: u32,
}

impl Default for MonitorLimits {
    fn default() -> Self {
        Self { min_interval: 20 }
    }
}

pub const MAX_INTERVAL: u32 = 30 * 24 * 3600;
pub const NAME_MIN: usize = 3;
pub const NAME_MAX: usize = 255;

impl MonitorLimits {
    /// Shortest allowed timeout: Peekaping's 16 s at its 20 s minimum interval (80%).
    pub fn min_timeout(&self) -> u32 {
        (self.min_interval * 4 / 5).max(1)
    }
}

/// A whole monitor as a client writes it.
#[derive(Clone, Debug, PartialEq)]
pub struct MonitorDraft {
    pub kind: String,
    pub name: String,
    pub interval: u32,
    pub timeout: u32,
    pub max_retries: u32,
    pub retry_interval: u32,
    pub resend_interval: u32,
    pub active: bool,
    pub config: String,
    pub proxy_id: Option<String>,
    pub push_token: Option<String>,
    pub parent_id: Option<String>,
    pub depends_on: Option<String>,
    pub notify_after_failures: u32,
    pub notify_after_successes: u32,
    pub notification_ids: Vec<String>,
    /// The tag links; `tag_ids` is derived from them.
    pub tags: Vec<MonitorTag>,
}

impl MonitorDraft {
    /// The `tag_ids` field these links make.
    pub fn tag_ids(&self) -> Vec<String> {
        tag_ids_of(&self.tags)
    }

    /// Checks every field and the type's configuration; returns the typed configuration.
    pub fn validate(&self, limits: &MonitorLimits) -> Result<MonitorConfig, ValidationError> {
        let name_len = self.name.trim().chars().count();
        if !(NAME_MIN..=NAME_MAX).contains(&name_len) {
            return Err(ValidationError::new("name", format!("must be {NAME_MIN} to {NAME_MAX} characters")));
        }
        if self.interval < limits.min_interval || self.interval > MAX_INTERVAL {
            return Err(ValidationError::new(
                "interval",
                format!("must be between {} and {MAX_INTERVAL} seconds", limits.min_interval),
            ));
        }
        if self.retry_interval < limits.min_interval || self.retry_interval > MAX_INTERVAL {
            return Err(ValidationError::new(
                "retry_interval",
                format!("must be between {} and {MAX_INTERVAL} seconds", limits.min_interval),
            ));
        }
        if self.timeout < limits.min_timeout() || self.timeout > self.interval {
            return Err(ValidationError::new(
                "timeout",
                format!(
                    "must be between {} seconds and the interval ({} seconds)",
                    limits.min_timeout(),
                    self.interval
                ),
            ));
        }
        if self.max_retries > 1000 {
            return Err(ValidationError::new("max_retries", "must be between 0 and 1000"));
        }
        if self.resend_interval > 100_000 {
            return Err(ValidationError::new("resend_interval", "must be between 0 and 100000"));
        }
        for (field, v) in [
            ("notify_after_failures", self.notify_after_failures),
            ("notify_after_successes", self.notify_after_successes),
        ] {
            if !(1..=MAX_NOTIFY_AFTER).contains(&v) {
                return Err(ValidationError::new(field, format!("must be between 1 and {MAX_NOTIFY_AFTER} beats")));
            }
        }
        validate_monitor_tags(&self.tags)?;
        let config = MonitorConfig::parse(&self.kind, &self.config)?;
        if let Some(token) = &self.push_token {
            validate_push_token(token)?;
        }
        if matches!(config, MonitorConfig::Push(_)) && self.push_token.is_none() {
            return Err(ValidationError::new("push_token", "is required for a push monitor"));
        }
        Ok(config)
    }
}

/// Push tokens appear in URLs: 8–64 URL-safe characters.
/// A URL-safe random token for push monitors (32 letters and digits).
pub fn new_push_token() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..32).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

pub fn validate_push_token(token: &str) -> Result<(), ValidationError> {
    let ok =
        (8..=64).contains(&token.len()) && token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new("push_token", "must be 8 to 64 characters of letters, digits, '-' or '_'"))
    }
}

/// A partial update: only the fields present change.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MonitorPatch {
    pub kind: Option<String>,
    pub name: Option<String>,
    pub interval: Option<u32>,
    pub timeout: Option<u32>,
    pub max_retries: Option<u32>,
    pub retry_interval: Option<u32>,
    pub resend_interval: Option<u32>,
    pub active: Option<bool>,
    pub config: Option<String>,
    pub proxy_id: Option<Option<String>>,
    pub push_token: Option<Option<String>>,
    pub parent_id: Option<Option<String>>,
    pub depends_on: Option<Option<String>>,
    pub notify_after_failures: Option<u32>,
    pub notify_after_successes: Option<u32>,
    pub notification_ids: Option<Vec<String>>,
    /// Tags without values (Peekaping's field): values already set for them are kept.
    pub tag_ids: Option<Vec<String>>,
    /// Tag links with values; wins over `tag_ids`.
    pub tags: Option<Vec<MonitorTag>>,
}

impl MonitorPatch {
    /// The complete monitor this patch would produce from `base`.
    pub fn apply(&self, base: &Monitor) -> MonitorDraft {
        MonitorDraft {
            kind: self.kind.clone().unwrap_or_else(|| base.kind.clone()),
            name: self.name.clone().unwrap_or_else(|| base.name.clone()),
            interval: self.interval.unwrap_or(base.interval),
            timeout: self.timeout.unwrap_or(base.timeout),
            max_retries: self.max_retries.unwrap_or(base.max_retries),
            retry_interval: self.retry_interval.unwrap_or(base.retry_interval),
            resend_interval: self.resend_interval.unwrap_or(base.resend_interval),
            active: self.active.unwrap_or(base.active),
            config: self.config.clone().unwrap_or_else(|| base.config.clone()),
            proxy_id: self.proxy_id.clone().unwrap_or_else(|| base.proxy_id.clone()),
            push_token: self.push_token.clone().unwrap_or_else(|| base.push_token.clone()),
            parent_id: self.parent_id.clone().unwrap_or_else(|| base.parent_id.clone()),
            depends_on: self.depends_on.clone().unwrap_or_else(|| base.depends_on.clone()),
            notify_after_failures: self.notify_after_failures.unwrap_or(base.notify_after_failures),
            notify_after_successes: self.notify_after_successes.unwrap_or(base.notify_after_successes),
            notification_ids: self.notification_ids.clone().unwrap_or_else(|| base.notification_ids.clone()),
            tags: match (&self.tags, &self.tag_ids) {
                (Some(t), _) => t.clone(),
                (None, Some(ids)) => links_from_tag_ids(ids, &base.tags),
                (None, None) => base.tags.clone(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> MonitorDraft {
        MonitorDraft {
            kind: "http".into(),
            name: "Example".into(),
            interval: 60,
            timeout: 48,
            max_retries: 0,
            retry_interval: 60,
            resend_interval: 0,
            active: true,
            config: r#"{"url":"https://example.com"}"#.into(),
            proxy_id: None,
            push_token: None,
            parent_id: None,
            depends_on: None,
            notify_after_failures: 1,
            notify_after_successes: 1,
            notification_ids: vec![],
            tags: vec![],
        }
    }

    #[test]
    fn a_sensible_http_monitor_is_valid() {
        assert!(draft().validate(&MonitorLimits::default()).is_ok());
    }

    #[test]
    fn interval_below_the_minimum_names_interval() {
        let mut d = draft();
        d.interval = 5;
        let e = d.validate(&MonitorLimits::default()).unwrap_err();
        assert_eq!(e.field, "interval");
        assert!(d.validate(&MonitorLimits { min_interval: 1 }).is_err(), "timeout 48 > interval 5");
        d.timeout = 4;
        assert!(d.validate(&MonitorLimits { min_interval: 1 }).is_ok());
    }

    #[test]
    fn timeout_longer_than_the_interval_is_rejected() {
        let mut d = draft();
        d.timeout = 61;
        assert_eq!(d.validate(&MonitorLimits::default()).unwrap_err().field, "timeout");
        d.timeout = 10;
        assert_eq!(d.validate(&MonitorLimits::default()).unwrap_err().field, "timeout");
    }

    #[test]
    fn short_names_are_rejected() {
        let mut d = draft();
        d.name = "ab".into();
        assert_eq!(d.validate(&MonitorLimits::default()).unwrap_err().field, "name");
    }

    #[test]
    fn push_monitor_needs_a_url_safe_token() {
        let mut d = draft();
        d.kind = "push".into();
        d.config = "{}".into();
        assert_eq!(d.validate(&MonitorLimits::default()).unwrap_err().field, "push_token");
        d.push_token = Some("has spaces in it".into());
        assert_eq!(d.validate(&MonitorLimits::default()).unwrap_err().field, "push_token");
        d.push_token = Some("abcDEF123_-xyz".into());
        assert!(d.validate(&MonitorLimits::default()).is_ok());
    }

    #[test]
    fn patch_changes_only_what_it_names() {
        let m = Monitor {
            id: "m1".into(),
            kind: "http".into(),
            name: "Example".into(),
            interval: 60,
            timeout: 48,
            max_retries: 2,
            retry_interval: 30,
            resend_interval: 0,
            active: true,
            status: MonitorStatus::Up,
            config: r#"{"url":"https://example.com"}"#.into(),
            proxy_id: Some("p".into()),
            push_token: None,
            parent_id: None,
            depends_on: None,
            notify_after_failures: 1,
            notify_after_successes: 1,
            run_started_at: None,
            notification_ids: vec!["n".into()],
            tag_ids: vec!["t".into()],
            tags: vec![MonitorTag { tag_id: "t".into(), value: "eu".into() }],
            created_at: 0,
            updated_at: 0,
        };
        let p = MonitorPatch { active: Some(false), proxy_id: Some(None), ..Default::default() };
        let d = p.apply(&m);
        assert!(!d.active);
        assert_eq!(d.proxy_id, None);
        assert_eq!(d.max_retries, 2);
        assert_eq!(d.notification_ids, vec!["n".to_string()]);
        assert_eq!(d.tags, m.tags, "tag values stay");
        let d = MonitorPatch { tag_ids: Some(vec!["t".into(), "u".into()]), ..Default::default() }.apply(&m);
        assert_eq!(d.tag_ids(), vec!["t".to_string(), "u".into()]);
        assert_eq!(d.tags[0].value, "eu", "a Peekaping client sending tag_ids keeps the values");
    }
}

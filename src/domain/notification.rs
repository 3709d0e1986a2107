//! Notification channels and the notices sent through them: plain data and rules.
//!
//! A channel is one configured provider (a Slack webhook, an SMTP mailbox…): Peekaping's
//! `name`, `type`, `active`, `is_default` and a JSON-object `config` whose keys are the
//! provider's. A `NotifyJob` is one notice for one channel, the unit of the outbox: it is
//! self-contained (the beat it is about travels with it) so a sender needs the store only
//! for the channel and the monitor's name.

use serde::{Deserialize, Serialize};

use super::{MonitorStatus, UnixMillis, ValidationError};

pub use super::SECRET_MASK;

/// Longest channel name.
pub const MAX_NAME_CHARS: usize = 255;

/// A stored notification channel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NotificationChannel {
    pub id: String,
    pub name: String,
    /// The provider key (`slack`, `smtp`, …): Peekaping's `type`.
    pub kind: String,
    pub active: bool,
    /// Linked to new monitors that do not say which channels they want.
    pub is_default: bool,
    /// The provider's settings as a JSON object string.
    pub config: String,
    pub created_at: UnixMillis,
    pub updated_at: UnixMillis,
}

impl NotificationChannel {
    /// `config` parsed; stored channels were validated on write.
    pub fn config_value(&self) -> serde_json::Value {
        serde_json::from_str(&self.config).unwrap_or_else(|_| serde_json::json!({}))
    }
}

/// Checks the fields every channel has; the provider checks its own `config`.
pub fn validate_common(name: &str, config: &str) -> Result<serde_json::Value, ValidationError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ValidationError::new("name", "is required"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(ValidationError::new("name", format!("must be at most {MAX_NAME_CHARS} characters")));
    }
    let raw = if config.trim().is_empty() { "{}" } else { config };
    let value: serde_json::Value =
        serde_json::from_str(raw).map_err(|e| ValidationError::new("config", format!("is not valid JSON: {e}")))?;
    if !value.is_object() {
        return Err(ValidationError::new("config", "must be a JSON object"));
    }
    Ok(value)
}

/// Replaces the non-empty values of `secret_keys` with `SECRET_MASK` (for API reads).
pub fn mask_secrets(config: &serde_json::Value, secret_keys: &[&str]) -> serde_json::Value {
    let mut out = config.clone();
    if let Some(obj) = out.as_object_mut() {
        for key in secret_keys {
            if let Some(v) = obj.get_mut(*key)
                && v.as_str().is_some_and(|s| !s.is_empty())
            {
                *v = serde_json::Value::String(SECRET_MASK.into());
            }
        }
    }
    out
}

/// Puts the stored secrets back where a client sent `SECRET_MASK` (it edited other fields
/// of a channel it read masked).
pub fn unmask_secrets(incoming: &mut serde_json::Value, stored: &serde_json::Value, secret_keys: &[&str]) {
    let Some(obj) = incoming.as_object_mut() else { return };
    for key in secret_keys {
        if obj.get(*key).and_then(|v| v.as_str()) == Some(SECRET_MASK) {
            match stored.get(*key) {
                Some(v) => {
                    obj.insert((*key).to_string(), v.clone());
                }
                None => {
                    obj.remove(*key);
                }
            }
        }
    }
}

/// What a notice is about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NoticeEvent {
    /// A monitor changed state (DOWN, back UP, …) or is still DOWN (resend).
    Status {
        status: MonitorStatus,
        previous: Option<MonitorStatus>,
        time: UnixMillis,
        msg: String,
        ping_us: Option<u64>,
        /// Children whose DOWN was folded into this (group) monitor's notice.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        folded: Vec<String>,
    },
    /// A certificate expires in `days` days, which crossed `threshold` (one of the
    /// `cert_expiry_notify_days` setting).
    CertExpiry { days: i64, threshold: i64, not_after: UnixMillis, subject: String, fingerprint: String },
    /// `POST /notification-channels/test`.
    Test,
}

/// One notice for one channel: a message in the durable `notifications` queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NotifyJob {
    pub channel_id: String,
    pub monitor_id: String,
    pub event: NoticeEvent,
    /// When the notice was first enqueued; retries stop `MAX_RETRY_AGE_MS` after it.
    pub created_at: UnixMillis,
}

impl NotifyJob {
    /// The queue message id and delivery-record key: one notice per channel per event.
    pub fn dedup_key(&self) -> String {
        let what = match &self.event {
            NoticeEvent::Status { time, .. } => format!("beat:{time}"),
            NoticeEvent::CertExpiry { threshold, fingerprint, .. } => format!("cert:{fingerprint}:{threshold}"),
            NoticeEvent::Test => format!("test:{}", self.created_at),
        };
        format!("notify:{}:{}:{what}", self.channel_id, self.monitor_id)
    }
}

/// How long a DOWN notice of a monitor in a group waits for the group to be judged
/// (groups re-evaluate within about a second of a child's change) before it is sent, or
/// folded into the group's notice when the group is DOWN.
pub const FOLD_WAIT_MS: i64 = 10_000;

/// The setting that lists the days before expiry at which certificates are notified.
pub const CERT_EXPIRY_SETTING: &str = "cert_expiry_notify_days";
pub const DEFAULT_CERT_EXPIRY_DAYS: [i64; 3] = [7, 14, 21];

/// `cert_expiry_notify_days` as stored (a JSON array of days, or "7,14,21"); the default
/// when it cannot be read. Sorted ascending, positive, without duplicates.
pub fn parse_cert_expiry_days(value: &str) -> Vec<i64> {
    let parsed: Option<Vec<i64>> = serde_json::from_str::<Vec<i64>>(value)
        .ok()
        .or_else(|| value.split(',').map(|d| d.trim().parse::<i64>().ok()).collect::<Option<Vec<_>>>());
    let mut days: Vec<i64> = parsed.unwrap_or_default().into_iter().filter(|d| *d > 0 && *d <= 3650).collect();
    if days.is_empty() {
        days = DEFAULT_CERT_EXPIRY_DAYS.to_vec();
    }
    days.sort_unstable();
    days.dedup();
    days
}

/// The thresholds a certificate with `days_remaining` days left has crossed, most urgent
/// first (`thresholds` ascending).
pub fn crossed_thresholds(days_remaining: i64, thresholds: &[i64]) -> Vec<i64> {
    thresholds.iter().copied().filter(|t| days_remaining <= *t).collect()
}

/// How long a failing notice is retried.
pub const MAX_RETRY_AGE_MS: i64 = 24 * 3600 * 1000;

/// Delay before retry number `attempt` (1 = after the first failure): 15 s doubling, at
/// most one hour, so a notice is tried about 32 times over 24 hours.
pub fn retry_delay(attempt: u32) -> std::time::Duration {
    let secs = 15u64.saturating_mul(1u64 << attempt.saturating_sub(1).min(20));
    std::time::Duration::from_secs(secs.min(3600))
}

/// One attempt to deliver a notice, as recorded for the UI ("last delivery failed: …").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeliveryAttempt {
    pub id: String,
    pub dedup_key: String,
    pub channel_id: String,
    pub monitor_id: Option<String>,
    pub attempt: u32,
    pub outcome: DeliveryOutcome,
    pub error: Option<String>,
    pub created_at: UnixMillis,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryOutcome {
    /// The provider accepted the message.
    Sent,
    /// Failed; it will be retried.
    Retrying,
    /// Failed for good (rejected by the provider, or retried for 24 hours).
    Failed,
    /// Not sent: the monitor's group was DOWN, and the group's notice covers it.
    Folded,
}

impl DeliveryOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Retrying => "retrying",
            Self::Failed => "failed",
            Self::Folded => "folded",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "sent" => Self::Sent,
            "retrying" => Self::Retrying,
            "folded" => Self::Folded,
            _ => Self::Failed,
        }
    }
}

/// The words and colours a notice is shown with.
pub fn status_word(status: MonitorStatus) -> &'static str {
    match status {
        MonitorStatus::Up => "UP",
        MonitorStatus::Down => "DOWN",
        MonitorStatus::Pending => "PENDING",
        MonitorStatus::Maintenance => "MAINTENANCE",
    }
}

pub fn status_icon(status: MonitorStatus) -> &'static str {
    match status {
        MonitorStatus::Up => "✅",
        MonitorStatus::Down => "🔴",
        MonitorStatus::Pending => "🟡",
        MonitorStatus::Maintenance => "🔧",
    }
}

pub fn status_color(status: MonitorStatus) -> &'static str {
    match status {
        MonitorStatus::Up => "#16a34a",
        MonitorStatus::Down => "#dc2626",
        MonitorStatus::Pending => "#f59e0b",
        MonitorStatus::Maintenance => "#3b82f6",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked_and_restored() {
        let stored = serde_json::json!({"bot_token": "123:abc", "chat_id": "42", "empty": ""});
        let masked = mask_secrets(&stored, &["bot_token", "empty", "absent"]);
        assert_eq!(masked["bot_token"], SECRET_MASK);
        assert_eq!(masked["chat_id"], "42");
        assert_eq!(masked["empty"], "", "an empty secret stays visibly empty");
        let mut incoming = serde_json::json!({"bot_token": SECRET_MASK, "chat_id": "43"});
        unmask_secrets(&mut incoming, &stored, &["bot_token"]);
        assert_eq!(incoming["bot_token"], "123:abc");
        let mut replaced = serde_json::json!({"bot_token": "new"});
        unmask_secrets(&mut replaced, &stored, &["bot_token"]);
        assert_eq!(replaced["bot_token"], "new");
    }

    #[test]
    fn retry_delays_grow_to_an_hour() {
        assert_eq!(retry_delay(1).as_secs(), 15);
        assert_eq!(retry_delay(2).as_secs(), 30);
        assert_eq!(retry_delay(9).as_secs(), 3600);
        assert_eq!(retry_delay(200).as_secs(), 3600);
        let total: u64 = (1..=32).map(|a| retry_delay(a).as_secs()).sum();
        assert!(total >= 24 * 3600, "32 retries span a day: {total}");
    }

    #[test]
    fn common_fields_are_checked() {
        assert_eq!(validate_common(" ", "{}").unwrap_err().field, "name");
        assert_eq!(validate_common("a", "[1]").unwrap_err().field, "config");
        assert_eq!(validate_common("a", "{").unwrap_err().field, "config");
        assert!(validate_common("a", "").unwrap().is_object());
    }

    #[test]
    fn certificate_thresholds() {
        assert_eq!(parse_cert_expiry_days("[21, 7, 14, 7]"), vec![7, 14, 21]);
        assert_eq!(parse_cert_expiry_days("30,1"), vec![1, 30]);
        assert_eq!(parse_cert_expiry_days("nonsense"), vec![7, 14, 21]);
        assert_eq!(parse_cert_expiry_days("[0, -3]"), vec![7, 14, 21]);
        let t = [7, 14, 21];
        assert!(crossed_thresholds(30, &t).is_empty());
        assert_eq!(crossed_thresholds(21, &t), vec![21]);
        assert_eq!(crossed_thresholds(5, &t), vec![7, 14, 21]);
        assert_eq!(crossed_thresholds(-2, &t), vec![7, 14, 21], "expired certificates cross every threshold");
    }

    #[test]
    fn dedup_keys_separate_channels_and_events() {
        let job = |ch: &str, t| NotifyJob {
            channel_id: ch.into(),
            monitor_id: "m".into(),
            event: NoticeEvent::Status {
                status: MonitorStatus::Down,
                previous: Some(MonitorStatus::Up),
                time: t,
                msg: String::new(),
                ping_us: None,
                folded: vec![],
            },
            created_at: 0,
        };
        assert_ne!(job("a", 1).dedup_key(), job("b", 1).dedup_key());
        assert_ne!(job("a", 1).dedup_key(), job("a", 2).dedup_key());
        assert_eq!(job("a", 1).dedup_key(), job("a", 1).dedup_key());
    }
}

//! `pagerduty`: Events API v2. A DOWN (or an expiring certificate, or a test) is a
//! `trigger`; the recovery is a `resolve` of the same `dedup_key` (`peekaping-<monitor id>`)
//! when `pagerduty_auto_resolve` is on. Keys: `pagerduty_integration_key` (the routing
//! key), `pagerduty_integration_url` (default https://events.pagerduty.com/v2/enqueue),
//! `pagerduty_priority`, `pagerduty_auto_resolve`.
//!
//! `pagerduty_priority` sets the event severity. It takes PagerDuty's own severities
//! (`critical`, `error`, `warning`, `info`) or the words Peekaping-style forms use:
//! `highest` → critical, `high` → error, `moderate`/`medium` → warning, `low` → info.
//! Unset, a DOWN is `critical`, a certificate warning `warning`, a test `info`.

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::incident::{IncidentAction, incident};
use super::{DeliveryError, Provider, SendContext, deliver, parsed, require, require_url, typed};
use crate::domain::ValidationError;
use crate::domain::notification::NoticeEvent;
use crate::notify::Notice;

pub struct PagerDuty;

const DEFAULT_URL: &str = "https://events.pagerduty.com/v2/enqueue";

/// PagerDuty's limit for `payload.summary`, in characters.
const MAX_SUMMARY: usize = 1024;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    pagerduty_integration_key: String,
    pagerduty_integration_url: String,
    pagerduty_priority: String,
    pagerduty_auto_resolve: Value,
}

/// What a recovery does to the incident: `pagerduty_auto_resolve` is true/"resolve",
/// "acknowledge", or false/"0"/absent (leave it open), as Peekaping's and Uptime Kuma's
/// forms send it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OnRecovery {
    Nothing,
    Acknowledge,
    Resolve,
}

fn on_recovery(v: &Value) -> Result<OnRecovery, ValidationError> {
    Ok(match v {
        Value::Null | Value::Bool(false) => OnRecovery::Nothing,
        Value::Bool(true) => OnRecovery::Resolve,
        Value::Number(n) if n.as_i64() == Some(0) => OnRecovery::Nothing,
        Value::Number(n) if n.as_i64() == Some(1) => OnRecovery::Resolve,
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "" | "0" | "false" | "none" => OnRecovery::Nothing,
            "1" | "true" | "resolve" => OnRecovery::Resolve,
            "acknowledge" => OnRecovery::Acknowledge,
            _ => {
                return Err(ValidationError::new(
                    "config.pagerduty_auto_resolve",
                    "must be 0 (leave open), acknowledge or resolve",
                ));
            }
        },
        _ => return Err(ValidationError::new("config.pagerduty_auto_resolve", "must be 0, acknowledge or resolve")),
    })
}

/// The Events API severity for a `pagerduty_priority` value ("" → None: the default).
fn severity(priority: &str) -> Result<Option<&'static str>, ValidationError> {
    Ok(Some(match priority.trim().to_ascii_lowercase().as_str() {
        "" => return Ok(None),
        "critical" | "highest" => "critical",
        "error" | "high" => "error",
        "warning" | "moderate" | "medium" => "warning",
        "info" | "low" => "info",
        _ => {
            return Err(ValidationError::new(
                "config.pagerduty_priority",
                "must be one of critical, error, warning, info (or highest, high, moderate, low)",
            ));
        }
    }))
}

/// The severity when the channel sets none.
fn default_severity(notice: &Notice) -> &'static str {
    match notice.event {
        NoticeEvent::Test => "info",
        NoticeEvent::CertExpiry { .. } => "warning",
        NoticeEvent::Status { .. } => "critical",
    }
}

#[async_trait]
impl Provider for PagerDuty {
    fn secret_keys(&self) -> &'static [&'static str] {
        &["pagerduty_integration_key"]
    }

    fn validate(&self, config: &Value) -> Result<(), ValidationError> {
        let c: Config = typed(config)?;
        require("pagerduty_integration_key", &c.pagerduty_integration_key)?;
        if !c.pagerduty_integration_url.trim().is_empty() {
            require_url("pagerduty_integration_url", &c.pagerduty_integration_url)?;
        }
        on_recovery(&c.pagerduty_auto_resolve)?;
        severity(&c.pagerduty_priority).map(|_| ())
    }

    async fn send(&self, config: &Value, notice: &Notice, ctx: &SendContext) -> Result<(), DeliveryError> {
        let c: Config = parsed(config)?;
        let (action, dedup_key) = incident(notice);
        let routing_key = c.pagerduty_integration_key.trim();
        let body = match action {
            IncidentAction::Nothing => return Ok(()),
            IncidentAction::Resolve => {
                let action =
                    match on_recovery(&c.pagerduty_auto_resolve).map_err(|e| DeliveryError::Reject(e.to_string()))? {
                        OnRecovery::Nothing => return Ok(()),
                        OnRecovery::Acknowledge => "acknowledge",
                        OnRecovery::Resolve => "resolve",
                    };
                json!({"routing_key": routing_key, "event_action": action, "dedup_key": dedup_key})
            }
            IncidentAction::Open => {
                let severity = severity(&c.pagerduty_priority)
                    .map_err(|e| DeliveryError::Reject(e.to_string()))?
                    .unwrap_or_else(|| default_severity(notice));
                json!({
                    "routing_key": routing_key,
                    "event_action": "trigger",
                    "dedup_key": dedup_key,
                    "client": "Peekaping",
                    "payload": {
                        "summary": notice.title.chars().take(MAX_SUMMARY).collect::<String>(),
                        "source": notice.target.clone().unwrap_or_else(|| notice.monitor_name.clone()),
                        "severity": severity,
                        "component": notice.monitor_name,
                        "custom_details": { "message": notice.text },
                    },
                })
            }
        };
        let url = match c.pagerduty_integration_url.trim() {
            "" => DEFAULT_URL,
            url => url,
        };
        deliver("PagerDuty", ctx.http.post(url).json(&body)).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_actions_accept_the_forms_values() {
        assert_eq!(on_recovery(&json!(true)).unwrap(), OnRecovery::Resolve);
        assert_eq!(on_recovery(&json!("resolve")).unwrap(), OnRecovery::Resolve);
        assert_eq!(on_recovery(&json!("acknowledge")).unwrap(), OnRecovery::Acknowledge);
        assert_eq!(on_recovery(&json!("0")).unwrap(), OnRecovery::Nothing);
        assert_eq!(on_recovery(&Value::Null).unwrap(), OnRecovery::Nothing);
        assert_eq!(on_recovery(&json!("sometimes")).unwrap_err().field, "config.pagerduty_auto_resolve");
    }

    #[test]
    fn priorities_map_to_event_severities() {
        for (priority, expected) in [
            ("critical", "critical"),
            ("Highest", "critical"),
            ("error", "error"),
            ("high", "error"),
            ("warning", "warning"),
            ("moderate", "warning"),
            ("medium", "warning"),
            ("info", "info"),
            ("low", "info"),
        ] {
            assert_eq!(severity(priority).unwrap(), Some(expected), "{priority}");
        }
        assert_eq!(severity(" ").unwrap(), None);
        assert_eq!(severity("urgent").unwrap_err().field, "config.pagerduty_priority");
        assert_eq!(default_severity(&Notice::sample()), "critical");
        assert_eq!(default_severity(&Notice::new(None, &NoticeEvent::Test)), "info");
    }
}

//! `pagertree`: a PagerTree webhook integration. Keys: `integrationUrl` (the integration's
//! endpoint), `urgency` (silent, low, medium, high, critical; the integration's default
//! when empty), `autoResolve` (resolve the alert when the monitor is UP again),
//! `authToken` (the integration's token, sent as the `pagertree-token` header).
//!
//! A DOWN opens an alert (`event_type: create`) whose `Id` is `peekaping-<monitor id>`, so
//! the UP that follows resolves that same alert; a certificate warning has its own `Id`.
//! PENDING and MAINTENANCE open nothing.

use async_trait::async_trait;
use serde::{Deserialize, Deserializer};
use serde_json::{Value, json};

use super::{DeliveryError, Provider, SendContext, deliver, details, parsed, require_url, typed};
use crate::domain::notification::NoticeEvent;
use crate::domain::{MonitorStatus, ValidationError};
use crate::notify::Notice;

pub struct PagerTree;

const URGENCIES: [&str; 5] = ["silent", "low", "medium", "high", "critical"];
/// The alert id of test notices (they have no monitor).
const TEST_ID: &str = "peekaping-test";

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    #[serde(rename = "integrationUrl")]
    integration_url: String,
    urgency: String,
    #[serde(rename = "autoResolve", deserialize_with = "auto_resolve")]
    auto_resolve: bool,
    #[serde(rename = "authToken")]
    auth_token: String,
}

/// A boolean, or the web app's choice `"resolve"` / `"disable"`.
fn auto_resolve<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let v = Option::<Value>::deserialize(d)?;
    Ok(match v {
        Some(Value::Bool(b)) => b,
        Some(Value::Number(n)) => n.as_i64().is_some_and(|n| n != 0),
        Some(Value::String(s)) => {
            matches!(s.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes" | "on" | "resolve")
        }
        _ => false,
    })
}

/// What a notice asks of PagerTree: `(event_type, Id)`, or None when it asks nothing.
fn event(notice: &Notice, auto_resolve: bool) -> Option<(&'static str, String)> {
    let monitor = notice.monitor_id.as_deref();
    let id = |suffix: &str| monitor.map_or_else(|| TEST_ID.to_string(), |m| format!("peekaping-{m}{suffix}"));
    match (&notice.event, notice.status) {
        (NoticeEvent::Test, _) => Some(("create", TEST_ID.to_string())),
        (NoticeEvent::CertExpiry { .. }, _) => Some(("create", id("-certificate"))),
        (_, Some(MonitorStatus::Down)) => Some(("create", id(""))),
        (_, Some(MonitorStatus::Up)) if auto_resolve => Some(("resolve", id(""))),
        _ => None,
    }
}

#[async_trait]
impl Provider for PagerTree {
    fn secret_keys(&self) -> &'static [&'static str] {
        // The integration URL alone lets anyone raise alerts.
        &["integrationUrl", "authToken"]
    }

    fn validate(&self, config: &Value) -> Result<(), ValidationError> {
        let c: Config = typed(config)?;
        require_url("integrationUrl", &c.integration_url)?;
        let urgency = c.urgency.trim();
        if !urgency.is_empty() && !URGENCIES.contains(&urgency) {
            return Err(ValidationError::new("config.urgency", "must be one of silent, low, medium, high, critical"));
        }
        if reqwest::header::HeaderValue::from_str(c.auth_token.trim()).is_err() {
            return Err(ValidationError::new("config.authToken", "must be printable text"));
        }
        Ok(())
    }

    async fn send(&self, config: &Value, notice: &Notice, ctx: &SendContext) -> Result<(), DeliveryError> {
        let c: Config = parsed(config)?;
        let Some((event_type, id)) = event(notice, c.auto_resolve) else { return Ok(()) };
        let mut body = json!({
            "event_type": event_type,
            "Id": id,
            "Title": notice.title,
            "Description": details(notice),
            "Tags": ["peekaping"],
            "Meta": {
                "monitor": notice.monitor_name,
                "target": notice.target,
                "status": notice.bindings["status"],
                "time": notice.bindings["time"],
            },
        });
        if !c.urgency.trim().is_empty() {
            body["Urgency"] = json!(c.urgency.trim());
        }
        let mut req = ctx.http.post(c.integration_url.trim()).json(&body);
        if !c.auth_token.trim().is_empty() {
            req = req.header("pagertree-token", c.auth_token.trim());
        }
        deliver("PagerTree", req).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: MonitorStatus) -> Notice {
        let ev =
            NoticeEvent::Status { status, previous: None, time: 0, msg: String::new(), ping_us: None, folded: vec![] };
        let mut n = Notice::new(None, &ev);
        n.monitor_id = Some("m1".into());
        n
    }

    #[test]
    fn down_creates_and_up_resolves_the_same_alert_only_when_asked() {
        assert_eq!(event(&status(MonitorStatus::Down), false), Some(("create", "peekaping-m1".into())));
        assert_eq!(event(&status(MonitorStatus::Up), true), Some(("resolve", "peekaping-m1".into())));
        assert_eq!(event(&status(MonitorStatus::Up), false), None);
        assert_eq!(event(&status(MonitorStatus::Pending), true), None);
        assert_eq!(event(&status(MonitorStatus::Maintenance), true), None);
        assert_eq!(event(&Notice::new(None, &NoticeEvent::Test), true), Some(("create", TEST_ID.into())));
    }

    #[test]
    fn auto_resolve_accepts_the_web_apps_values() {
        let c = |v: Value| typed::<Config>(&json!({ "autoResolve": v })).unwrap().auto_resolve;
        assert!(c(json!(true)) && c(json!("resolve")) && c(json!("true")));
        assert!(!c(json!(false)) && !c(json!("disable")) && !c(Value::Null));
    }
}

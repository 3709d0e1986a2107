//! `grafana_oncall`: a Grafana OnCall "Formatted Webhook" integration. A DOWN (or an
//! expiring certificate, or a test) posts `state: alerting`, the recovery `state: ok`
//! with the same `alert_uid` (`peekaping-<monitor id>`), which OnCall auto-resolves.
//! Keys: `grafana_oncall_url` (the integration URL; its token makes it a secret).

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::incident::{IncidentAction, incident};
use super::{DeliveryError, Provider, SendContext, deliver, parsed, require_url, typed};
use crate::domain::ValidationError;
use crate::notify::Notice;

pub struct GrafanaOncall;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    grafana_oncall_url: String,
}

#[async_trait]
impl Provider for GrafanaOncall {
    fn secret_keys(&self) -> &'static [&'static str] {
        &["grafana_oncall_url"]
    }

    fn validate(&self, config: &Value) -> Result<(), ValidationError> {
        let c: Config = typed(config)?;
        require_url("grafana_oncall_url", &c.grafana_oncall_url)
    }

    async fn send(&self, config: &Value, notice: &Notice, ctx: &SendContext) -> Result<(), DeliveryError> {
        let c: Config = parsed(config)?;
        let (action, alert_uid) = incident(notice);
        let state = match action {
            IncidentAction::Nothing => return Ok(()),
            IncidentAction::Open => "alerting",
            IncidentAction::Resolve => "ok",
        };
        let body = json!({
            "alert_uid": alert_uid,
            "title": notice.title,
            "state": state,
            "message": notice.text,
        });
        deliver("Grafana OnCall", ctx.http.post(c.grafana_oncall_url.trim()).json(&body)).await.map(|_| ())
    }
}

//! `opsgenie`: Alert API v2 with `Authorization: GenieKey …`. A DOWN (or an expiring
//! certificate, or a test) creates an alert whose `alias` is `peekaping-<monitor id>`;
//! the recovery closes it by alias (`POST /v2/alerts/{alias}/close?identifierType=alias`).
//! Keys: `region` (us or eu: picks the API host), `api_key`, `priority` (1–5 → P1–P5;
//! Opsgenie's default P3 when unset), `api_url` (overrides the region's host).

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::incident::{IncidentAction, incident};
use super::{DeliveryError, Provider, SendContext, deliver, join, parsed, require, require_url, typed};
use crate::domain::ValidationError;
use crate::notify::Notice;

pub struct Opsgenie;

const US_API: &str = "https://api.opsgenie.com";
const EU_API: &str = "https://api.eu.opsgenie.com";

/// Opsgenie's limits for an alert's `message` and `description`, in characters.
const MAX_MESSAGE: usize = 130;
const MAX_DESCRIPTION: usize = 15_000;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    region: String,
    api_key: String,
    priority: Value,
    api_url: String,
}

impl Config {
    fn base(&self) -> Result<&str, ValidationError> {
        if !self.api_url.trim().is_empty() {
            return Ok(self.api_url.trim());
        }
        match self.region.trim().to_ascii_lowercase().as_str() {
            "" | "us" => Ok(US_API),
            "eu" => Ok(EU_API),
            _ => Err(ValidationError::new("config.region", "must be us or eu")),
        }
    }
}

/// `1`…`5` (number or text, or "P1"…"P5") as Opsgenie's priority; None when unset.
fn priority(value: &Value) -> Result<Option<String>, ValidationError> {
    let n = match value {
        Value::Null => return Ok(None),
        Value::String(s) if s.trim().is_empty() => return Ok(None),
        Value::String(s) => s.trim().trim_start_matches(['P', 'p']).parse::<u64>().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    };
    match n {
        Some(n @ 1..=5) => Ok(Some(format!("P{n}"))),
        _ => Err(ValidationError::new("config.priority", "must be 1 (highest) to 5 (lowest)")),
    }
}

#[async_trait]
impl Provider for Opsgenie {
    fn secret_keys(&self) -> &'static [&'static str] {
        &["api_key"]
    }

    fn validate(&self, config: &Value) -> Result<(), ValidationError> {
        let c: Config = typed(config)?;
        if !matches!(c.region.trim().to_ascii_lowercase().as_str(), "" | "us" | "eu") {
            return Err(ValidationError::new("config.region", "must be us or eu"));
        }
        require("api_key", &c.api_key)?;
        if !c.api_url.trim().is_empty() {
            require_url("api_url", &c.api_url)?;
        }
        priority(&c.priority).map(|_| ())
    }

    async fn send(&self, config: &Value, notice: &Notice, ctx: &SendContext) -> Result<(), DeliveryError> {
        let c: Config = parsed(config)?;
        let reject = |e: ValidationError| DeliveryError::Reject(e.to_string());
        let base = c.base().map_err(reject)?;
        let (action, alias) = incident(notice);
        let (url, body) = match action {
            IncidentAction::Nothing => return Ok(()),
            IncidentAction::Resolve => (
                join(base, &format!("v2/alerts/{alias}/close?identifierType=alias")),
                json!({"source": "Peekaping", "note": notice.text}),
            ),
            IncidentAction::Open => {
                let mut body = json!({
                    "message": notice.title.chars().take(MAX_MESSAGE).collect::<String>(),
                    "alias": alias,
                    "description": notice.text.chars().take(MAX_DESCRIPTION).collect::<String>(),
                    "source": "Peekaping",
                    "entity": notice.monitor_name,
                });
                if let Some(p) = priority(&c.priority).map_err(reject)? {
                    body["priority"] = json!(p);
                }
                (join(base, "v2/alerts"), body)
            }
        };
        let req = ctx.http.post(url).header("Authorization", format!("GenieKey {}", c.api_key.trim())).json(&body);
        deliver("Opsgenie", req).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priorities_one_to_five_are_p1_to_p5() {
        assert_eq!(priority(&json!(1)).unwrap().as_deref(), Some("P1"));
        assert_eq!(priority(&json!("5")).unwrap().as_deref(), Some("P5"));
        assert_eq!(priority(&json!("P2")).unwrap().as_deref(), Some("P2"));
        assert_eq!(priority(&json!("")).unwrap(), None);
        assert_eq!(priority(&Value::Null).unwrap(), None);
        for bad in [json!(0), json!(6), json!("high"), json!(2.5), json!(true)] {
            assert_eq!(priority(&bad).unwrap_err().field, "config.priority", "{bad}");
        }
    }

    #[test]
    fn the_region_picks_the_host_and_api_url_wins() {
        let c = |v: Value| serde_json::from_value::<Config>(v).unwrap();
        assert_eq!(c(json!({"region": "us"})).base().unwrap(), US_API);
        assert_eq!(c(json!({"region": "EU"})).base().unwrap(), EU_API);
        assert_eq!(c(json!({"region": "eu", "api_url": "http://127.0.0.1:9"})).base().unwrap(), "http://127.0.0.1:9");
    }
}

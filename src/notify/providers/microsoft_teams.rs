//! `microsoft_teams`: an Adaptive Card (1.4) posted to a Teams Workflows (Power Automate)
//! webhook, the replacement of the retired Office 365 connectors. Keys: `webhook_url`,
//! `use_template`, `template` (Liquid text for the card's body).
//!
//! The card: a coloured status line, the text, and facts (monitor, target, time).

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    DeliveryError, Provider, SendContext, check_template, deliver, details, loose_bool, parsed, require_url, typed,
};
use crate::domain::notification::NoticeEvent;
use crate::domain::{MonitorStatus, ValidationError};
use crate::notify::Notice;

pub struct MicrosoftTeams;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    webhook_url: String,
    #[serde(deserialize_with = "loose_bool::deserialize")]
    use_template: bool,
    template: String,
}

/// The Adaptive Card colour of the status line.
fn color(notice: &Notice) -> &'static str {
    match (&notice.event, notice.status) {
        (NoticeEvent::CertExpiry { .. }, _) => "Warning",
        (_, Some(MonitorStatus::Down)) => "Attention",
        (_, Some(MonitorStatus::Up)) => "Good",
        (_, Some(MonitorStatus::Pending)) => "Warning",
        (_, Some(MonitorStatus::Maintenance)) => "Accent",
        _ => "Default",
    }
}

/// The message Teams' Workflows webhook expects: one Adaptive Card attachment.
fn card(notice: &Notice, text: &str) -> Value {
    let mut facts = vec![json!({"title": "Monitor", "value": notice.monitor_name})];
    if let Some(target) = &notice.target {
        facts.push(json!({"title": "Target", "value": target}));
    }
    facts.push(json!({"title": "Time", "value": notice.bindings["time"]}));
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "body": [
                    {"type": "TextBlock", "text": notice.title, "size": "Medium", "weight": "Bolder",
                     "color": color(notice), "wrap": true},
                    {"type": "TextBlock", "text": text, "wrap": true},
                    {"type": "FactSet", "facts": facts},
                ],
            },
        }],
    })
}

#[async_trait]
impl Provider for MicrosoftTeams {
    fn secret_keys(&self) -> &'static [&'static str] {
        // Workflows URLs carry their signature (`sig=`) in the query.
        &["webhook_url"]
    }

    fn validate(&self, config: &Value) -> Result<(), ValidationError> {
        let c: Config = typed(config)?;
        require_url("webhook_url", &c.webhook_url)?;
        if c.use_template {
            super::require("template", &c.template)?;
        }
        check_template("template", &c.template)
    }

    async fn send(&self, config: &Value, notice: &Notice, ctx: &SendContext) -> Result<(), DeliveryError> {
        let c: Config = parsed(config)?;
        let text = if c.use_template { notice.render_or_default(&c.template)? } else { details(notice).to_string() };
        deliver("Microsoft Teams", ctx.http.post(c.webhook_url.trim()).json(&card(notice, &text))).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: MonitorStatus) -> Notice {
        let ev =
            NoticeEvent::Status { status, previous: None, time: 0, msg: String::new(), ping_us: None, folded: vec![] };
        Notice::new(None, &ev)
    }

    #[test]
    fn the_status_line_is_coloured_by_status() {
        assert_eq!(color(&status(MonitorStatus::Down)), "Attention");
        assert_eq!(color(&status(MonitorStatus::Up)), "Good");
        assert_eq!(color(&status(MonitorStatus::Pending)), "Warning");
        assert_eq!(color(&status(MonitorStatus::Maintenance)), "Accent");
        assert_eq!(color(&Notice::new(None, &NoticeEvent::Test)), "Default");
    }

    #[test]
    fn the_card_lists_the_target_only_when_there_is_one() {
        let sample = Notice::sample();
        let facts = &card(&sample, "x")["attachments"][0]["content"]["body"][2]["facts"];
        assert_eq!(facts[1], json!({"title": "Target", "value": "https://example.com"}));
        let facts = &card(&Notice::new(None, &NoticeEvent::Test), "x")["attachments"][0]["content"]["body"][2]["facts"];
        assert_eq!(facts.as_array().unwrap().len(), 2);
    }
}

//! The notification providers: one file per provider, all of the same shape, one line
//! each in `PROVIDERS`. Adding a provider touches its file, that line and its form in the
//! web UI.
//!
//! Every hosted provider's base URL is a config key (`server_url`, `api_url`, …) so tests
//! and self-hosted gateways can point it elsewhere; its default is the public service.

mod apprise;
mod discord;
mod google_chat;
mod gotify;
mod grafana_oncall;
mod home_assistant;
mod incident;
mod line;
mod matrix;
mod mattermost;
mod microsoft_teams;
mod ntfy;
mod opsgenie;
mod pagerduty;
mod pagertree;
mod pushbullet;
mod pushover;
mod rocket_chat;
mod sendgrid;
mod signal;
mod slack;
mod smtp;
mod telegram;
mod twilio;
mod webhook;
mod wecom;
mod whatsapp;

use std::time::Duration;

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::Notice;
use crate::domain::ValidationError;

/// Why a delivery failed, and whether trying again can help.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// Worth retrying: the network, a timeout, 429, 5xx.
    #[error("{0}")]
    Retry(String),
    /// Retrying cannot help: the provider rejected the message or the credentials.
    #[error("{0}")]
    Reject(String),
}

/// What senders share.
#[derive(Clone)]
pub struct SendContext {
    pub http: reqwest::Client,
    /// The longest one delivery may take.
    pub timeout: Duration,
}

/// One notification provider.
#[async_trait]
pub trait Provider: Send + Sync {
    /// Config keys holding secrets: masked in API reads, never logged.
    fn secret_keys(&self) -> &'static [&'static str];
    /// Checks a channel's config; errors name `config.<key>`.
    fn validate(&self, config: &Value) -> Result<(), ValidationError>;
    /// Delivers one notice.
    async fn send(&self, config: &Value, notice: &Notice, ctx: &SendContext) -> Result<(), DeliveryError>;
}

/// Every provider, by its `type` key, in the order the UI lists them.
pub const PROVIDERS: &[(&str, &dyn Provider)] = &[
    ("smtp", &smtp::Smtp),
    ("webhook", &webhook::Webhook),
    ("telegram", &telegram::Telegram),
    ("slack", &slack::Slack),
    ("google_chat", &google_chat::GoogleChat),
    ("signal", &signal::Signal),
    ("mattermost", &mattermost::Mattermost),
    ("matrix", &matrix::Matrix),
    ("discord", &discord::Discord),
    ("wecom", &wecom::WeCom),
    ("whatsapp", &whatsapp::WhatsApp),
    ("pagerduty", &pagerduty::PagerDuty),
    ("opsgenie", &opsgenie::Opsgenie),
    ("grafana_oncall", &grafana_oncall::GrafanaOncall),
    ("ntfy", &ntfy::Ntfy),
    ("gotify", &gotify::Gotify),
    ("pushover", &pushover::Pushover),
    ("sendgrid", &sendgrid::SendGrid),
    ("twilio", &twilio::Twilio),
    ("line", &line::Line),
    ("pagertree", &pagertree::PagerTree),
    ("pushbullet", &pushbullet::Pushbullet),
    ("microsoft_teams", &microsoft_teams::MicrosoftTeams),
    ("rocket_chat", &rocket_chat::RocketChat),
    ("home_assistant", &home_assistant::HomeAssistant),
    ("apprise", &apprise::Apprise),
];

pub fn provider_for(kind: &str) -> Option<&'static dyn Provider> {
    PROVIDERS.iter().find(|(k, _)| *k == kind).map(|(_, p)| *p)
}

/// The provider keys, for error messages.
pub fn provider_names() -> String {
    PROVIDERS.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
}

/// A provider's typed config; errors name `config.<field>`.
pub(crate) fn typed<T: DeserializeOwned>(config: &Value) -> Result<T, ValidationError> {
    crate::domain::monitor_config::typed(config.clone())
}

/// A provider's typed config at send time (it was validated when saved).
pub(crate) fn parsed<T: DeserializeOwned>(config: &Value) -> Result<T, DeliveryError> {
    typed(config).map_err(|e| DeliveryError::Reject(format!("invalid channel settings: {e}")))
}

pub(crate) fn require(field: &str, value: &str) -> Result<(), ValidationError> {
    if value.trim().is_empty() { Err(ValidationError::new(format!("config.{field}"), "is required")) } else { Ok(()) }
}

/// An http(s) URL, or the field's error.
pub(crate) fn require_url(field: &str, value: &str) -> Result<(), ValidationError> {
    require(field, value)?;
    match url::Url::parse(value.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => Ok(()),
        _ => Err(ValidationError::new(format!("config.{field}"), "must be an http:// or https:// URL")),
    }
}

/// An http(s) URL when set.
pub(crate) fn optional_url(field: &str, value: &str) -> Result<(), ValidationError> {
    if value.trim().is_empty() { Ok(()) } else { require_url(field, value) }
}

/// The `api_url` override, or the public service's base URL.
pub(crate) fn base_url<'a>(api_url: &'a str, default: &'a str) -> &'a str {
    if api_url.trim().is_empty() { default } else { api_url.trim() }
}

/// Checks a Liquid template when `use` says it is used (or always, with `use = true`).
pub(crate) fn check_template(field: &str, template: &str) -> Result<(), ValidationError> {
    if template.trim().is_empty() {
        return Ok(());
    }
    super::template::check(template, &super::Notice::sample().bindings)
        .map_err(|e| ValidationError::new(format!("config.{field}"), format!("is not a valid Liquid template: {e}")))
}

/// `url` joined with `path` (base URLs may or may not end in `/`).
pub(crate) fn join(base: &str, path: &str) -> String {
    format!("{}/{}", base.trim().trim_end_matches('/'), path.trim_start_matches('/'))
}

/// A notice's lines after its title (the title alone when there are none), for providers
/// that show a title and a body apart.
pub(crate) fn details(notice: &Notice) -> &str {
    match notice.text.split_once('\n') {
        Some((_, rest)) if !rest.trim().is_empty() => rest,
        _ => &notice.text,
    }
}

/// A string or number config value as trimmed text ("" when absent): the web app sends
/// numbers both ways.
pub(crate) fn loose_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

/// An `application/x-www-form-urlencoded` body (Pushover, Twilio).
pub(crate) fn form(req: reqwest::RequestBuilder, fields: &[(&str, String)]) -> reqwest::RequestBuilder {
    let mut body = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        body.append_pair(k, v);
    }
    req.header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(body.finish())
}

/// Sends a request and maps the answer: 2xx is delivered; 408, 425, 429 and 5xx are worth
/// retrying; other statuses are rejections. The message names the provider and quotes
/// the start of the body (providers explain themselves there).
pub(crate) async fn deliver(provider: &str, req: reqwest::RequestBuilder) -> Result<String, DeliveryError> {
    let resp = req.send().await.map_err(|e| {
        // Without the URL: it may carry a token (Telegram's bot token is in the path).
        let e = e.without_url();
        let cause = crate::worker::checks::root_cause(&e);
        DeliveryError::Retry(format!("cannot reach {provider}: {cause}"))
    })?;
    let status = resp.status();
    let body = read_capped(resp, 64 * 1024).await;
    if status.is_success() {
        return Ok(body);
    }
    let quoted: String = body.trim().chars().take(200).collect();
    let msg = if quoted.is_empty() {
        format!("{} from {provider}", status.as_u16())
    } else {
        format!("{} from {provider}: {quoted}", status.as_u16())
    };
    if matches!(status.as_u16(), 408 | 425 | 429) || status.is_server_error() {
        Err(DeliveryError::Retry(msg))
    } else {
        Err(DeliveryError::Reject(msg))
    }
}

async fn read_capped(mut resp: reqwest::Response, cap: usize) -> String {
    let mut buf = Vec::new();
    while let Ok(Some(chunk)) = resp.chunk().await {
        buf.extend_from_slice(&chunk);
        if buf.len() >= cap {
            buf.truncate(cap);
            break;
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// `"true"`, `true`, `1` and `"1"` (Peekaping's web app sends booleans both ways).
pub(crate) mod loose_bool {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Loose {
            Bool(bool),
            Text(String),
            Number(i64),
        }
        Ok(match Option::<Loose>::deserialize(d)? {
            None => false,
            Some(Loose::Bool(b)) => b,
            Some(Loose::Text(s)) => matches!(s.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes" | "on"),
            Some(Loose::Number(n)) => n != 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_provider_is_listed_once() {
        let mut names: Vec<&str> = PROVIDERS.iter().map(|(k, _)| *k).collect();
        names.sort_unstable();
        let n = names.len();
        names.dedup();
        assert_eq!(n, names.len());
        assert!(provider_for("slack").is_some());
        assert!(provider_for("carrier-pigeon").is_none());
    }

    #[test]
    fn urls_are_checked_and_joined() {
        assert!(require_url("u", "https://hooks.slack.com/x").is_ok());
        assert_eq!(require_url("u", "ftp://x").unwrap_err().field, "config.u");
        assert_eq!(require_url("u", "").unwrap_err().message, "is required");
        assert_eq!(join("https://a/", "/b"), "https://a/b");
        assert_eq!(join("https://a", "b"), "https://a/b");
    }
}

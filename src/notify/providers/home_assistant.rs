//! `home_assistant`: calls a `notify` service through Home Assistant's REST API
//! (`POST /api/services/notify/<service>`, bearer long-lived access token). Keys:
//! `home_assistant_url`, `long_lived_access_token`, `notification_service` (e.g.
//! `mobile_app_pixel`; `notify.` may prefix it; default `notify`, the default notifier).

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{DeliveryError, Provider, SendContext, deliver, details, join, parsed, require, require_url, typed};
use crate::domain::ValidationError;
use crate::notify::Notice;

pub struct HomeAssistant;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    home_assistant_url: String,
    long_lived_access_token: String,
    notification_service: String,
}

impl Config {
    /// The service's object id: `mobile_app_pixel` from `notify.mobile_app_pixel`.
    fn service(&self) -> &str {
        let s = self.notification_service.trim();
        match s.strip_prefix("notify.").unwrap_or(s) {
            "" => "notify",
            other => other,
        }
    }
}

#[async_trait]
impl Provider for HomeAssistant {
    fn secret_keys(&self) -> &'static [&'static str] {
        &["long_lived_access_token"]
    }

    fn validate(&self, config: &Value) -> Result<(), ValidationError> {
        let c: Config = typed(config)?;
        require_url("home_assistant_url", &c.home_assistant_url)?;
        require("long_lived_access_token", &c.long_lived_access_token)?;
        if !c.service().chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_') {
            return Err(ValidationError::new(
                "config.notification_service",
                "must be a notify service name such as mobile_app_pixel (lower-case letters, digits, _)",
            ));
        }
        Ok(())
    }

    async fn send(&self, config: &Value, notice: &Notice, ctx: &SendContext) -> Result<(), DeliveryError> {
        let c: Config = parsed(config)?;
        let url = join(&c.home_assistant_url, &format!("api/services/notify/{}", c.service()));
        let body = json!({ "title": notice.title, "message": details(notice) });
        let req = ctx.http.post(url).bearer_auth(c.long_lived_access_token.trim()).json(&body);
        deliver("Home Assistant", req).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_service_name_drops_the_domain_and_defaults_to_notify() {
        let service = |s: &str| Config { notification_service: s.into(), ..Config::default() }.service().to_string();
        assert_eq!(service(""), "notify");
        assert_eq!(service("mobile_app_pixel"), "mobile_app_pixel");
        assert_eq!(service(" notify.mobile_app_pixel "), "mobile_app_pixel");
    }
}

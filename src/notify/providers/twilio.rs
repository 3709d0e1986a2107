//! `twilio`: an SMS through the Programmable Messaging API
//! (`POST /2010-04-01/Accounts/{sid}/Messages.json`, form fields `To`, `From`, `Body`).
//! Keys: `twilio_account_sid`, `twilio_api_key` (an API key SID: when set it is the basic
//! auth user and `twilio_auth_token` is its secret), `twilio_auth_token`,
//! `twilio_from_number`, `twilio_to_number` (E.164), `api_url` (default https://api.twilio.com).

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::Value;

use super::{
    DeliveryError, Provider, SendContext, base_url, deliver, form, join, optional_url, parsed, require, typed,
};
use crate::domain::ValidationError;
use crate::notify::Notice;

pub struct Twilio;

const DEFAULT_API: &str = "https://api.twilio.com";
/// Twilio splits longer bodies into segments and refuses more than 1600 characters.
const MAX_BODY_CHARS: usize = 1600;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    twilio_account_sid: String,
    twilio_api_key: String,
    twilio_auth_token: String,
    twilio_from_number: String,
    twilio_to_number: String,
    api_url: String,
}

/// `+` and 2 to 15 digits, the first not 0.
fn is_e164(number: &str) -> bool {
    number
        .strip_prefix('+')
        .is_some_and(|d| (2..=15).contains(&d.len()) && d.chars().all(|c| c.is_ascii_digit()) && !d.starts_with('0'))
}

#[async_trait]
impl Provider for Twilio {
    fn secret_keys(&self) -> &'static [&'static str] {
        &["twilio_auth_token"]
    }

    fn validate(&self, config: &Value) -> Result<(), ValidationError> {
        let c: Config = typed(config)?;
        require("twilio_account_sid", &c.twilio_account_sid)?;
        let sid = c.twilio_account_sid.trim();
        if !sid.starts_with("AC") || !sid.chars().all(|ch| ch.is_ascii_alphanumeric()) {
            return Err(ValidationError::new("config.twilio_account_sid", "must be an account SID (AC…)"));
        }
        let key = c.twilio_api_key.trim();
        if !key.is_empty() && (!key.starts_with("SK") || !key.chars().all(|ch| ch.is_ascii_alphanumeric())) {
            return Err(ValidationError::new("config.twilio_api_key", "must be an API key SID (SK…)"));
        }
        require("twilio_auth_token", &c.twilio_auth_token)?;
        for (field, number) in
            [("twilio_from_number", &c.twilio_from_number), ("twilio_to_number", &c.twilio_to_number)]
        {
            require(field, number)?;
            if !is_e164(number.trim()) {
                return Err(ValidationError::new(
                    format!("config.{field}"),
                    "must be a phone number in E.164 form (+14155550100)",
                ));
            }
        }
        optional_url("api_url", &c.api_url)
    }

    async fn send(&self, config: &Value, notice: &Notice, ctx: &SendContext) -> Result<(), DeliveryError> {
        let c: Config = parsed(config)?;
        let sid = c.twilio_account_sid.trim();
        let user = if c.twilio_api_key.trim().is_empty() { sid } else { c.twilio_api_key.trim() };
        let body: String = notice.text.chars().take(MAX_BODY_CHARS).collect();
        let fields = [
            ("To", c.twilio_to_number.trim().to_string()),
            ("From", c.twilio_from_number.trim().to_string()),
            ("Body", body),
        ];
        let url = join(base_url(&c.api_url, DEFAULT_API), &format!("2010-04-01/Accounts/{sid}/Messages.json"));
        let req = ctx.http.post(url).basic_auth(user, Some(c.twilio_auth_token.trim()));
        deliver("Twilio", form(req, &fields)).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e164_numbers() {
        assert!(is_e164("+14155550100"));
        assert!(is_e164("+447911123456"));
        assert!(!is_e164("14155550100"), "the plus is required");
        assert!(!is_e164("+0123"));
        assert!(!is_e164("+1 415 555 0100"));
        assert!(!is_e164("+1234567890123456"), "at most 15 digits");
    }
}

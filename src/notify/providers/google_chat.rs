//! `google_chat`: a Google Chat space's incoming webhook (the URL carries the space's key
//! and token, so it is a secret). Keys: `webhook_url`. The message is plain text: Chat
//! webhooks take `{"text": …}` with its own light formatting.

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{DeliveryError, Provider, SendContext, deliver, parsed, require_url, typed};
use crate::domain::ValidationError;
use crate::notify::Notice;

pub struct GoogleChat;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    webhook_url: String,
}

#[async_trait]
impl Provider for GoogleChat {
    fn secret_keys(&self) -> &'static [&'static str] {
        &["webhook_url"]
    }

    fn validate(&self, config: &Value) -> Result<(), ValidationError> {
        let c: Config = typed(config)?;
        require_url("webhook_url", &c.webhook_url)
    }

    async fn send(&self, config: &Value, notice: &Notice, ctx: &SendContext) -> Result<(), DeliveryError> {
        let c: Config = parsed(config)?;
        let body = json!({ "text": notice.text });
        deliver("Google Chat", ctx.http.post(c.webhook_url.trim()).json(&body)).await.map(|_| ())
    }
}

//! `sendgrid`: the v3 Mail Send API (`POST /v3/mail/send`, bearer API key). Keys:
//! `api_key`, `from_email`, `to_email`, `cc_email`, `bcc_email` (lists separated by commas
//! or semicolons), `subject` (a Liquid template; the notice's title when empty), `api_url`
//! (default https://api.sendgrid.com).

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    DeliveryError, Provider, SendContext, base_url, check_template, deliver, join, optional_url, parsed, require, typed,
};
use crate::domain::ValidationError;
use crate::notify::Notice;

pub struct SendGrid;

const DEFAULT_API: &str = "https://api.sendgrid.com";

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    api_key: String,
    from_email: String,
    to_email: String,
    cc_email: String,
    bcc_email: String,
    subject: String,
    api_url: String,
}

/// The addresses in a list (`a@x.io` or `Name <a@x.io>`), each checked; the field's
/// error names the bad one.
fn mailboxes(field: &str, list: &str) -> Result<Vec<lettre::message::Mailbox>, ValidationError> {
    list.split([',', ';'])
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| {
            a.parse::<lettre::message::Mailbox>().map_err(|e| {
                ValidationError::new(format!("config.{field}"), format!("\"{a}\" is not an e-mail address: {e}"))
            })
        })
        .collect()
}

/// The bare addresses of a list.
fn addresses(field: &str, list: &str) -> Result<Vec<String>, ValidationError> {
    Ok(mailboxes(field, list)?.into_iter().map(|m| m.email.to_string()).collect())
}

/// SendGrid's `from`: `{email}` or `{email, name}`.
fn from_object(from: &str) -> Result<Value, ValidationError> {
    let mut list = mailboxes("from_email", from)?;
    if list.len() != 1 {
        return Err(ValidationError::new("config.from_email", "must be exactly one e-mail address"));
    }
    let m = list.remove(0);
    Ok(match m.name {
        Some(name) if !name.is_empty() => json!({"email": m.email.to_string(), "name": name}),
        _ => json!({"email": m.email.to_string()}),
    })
}

/// The personalization: SendGrid refuses an address that appears twice across to, cc and
/// bcc, so later lists drop addresses already listed.
fn personalization(to: Vec<String>, cc: Vec<String>, bcc: Vec<String>) -> Value {
    let mut seen: Vec<String> = Vec::new();
    let mut list = |addrs: Vec<String>| -> Vec<Value> {
        addrs
            .into_iter()
            .filter(|a| {
                let key = a.to_ascii_lowercase();
                if seen.contains(&key) {
                    false
                } else {
                    seen.push(key);
                    true
                }
            })
            .map(|a| json!({ "email": a }))
            .collect()
    };
    let mut p = json!({ "to": list(to) });
    for (key, addrs) in [("cc", cc), ("bcc", bcc)] {
        let l = list(addrs);
        if !l.is_empty() {
            p[key] = json!(l);
        }
    }
    p
}

#[async_trait]
impl Provider for SendGrid {
    fn secret_keys(&self) -> &'static [&'static str] {
        &["api_key"]
    }

    fn validate(&self, config: &Value) -> Result<(), ValidationError> {
        let c: Config = typed(config)?;
        require("api_key", &c.api_key)?;
        require("from_email", &c.from_email)?;
        if addresses("from_email", &c.from_email)?.len() != 1 {
            return Err(ValidationError::new("config.from_email", "must be one e-mail address"));
        }
        require("to_email", &c.to_email)?;
        addresses("to_email", &c.to_email)?;
        addresses("cc_email", &c.cc_email)?;
        addresses("bcc_email", &c.bcc_email)?;
        check_template("subject", &c.subject)?;
        optional_url("api_url", &c.api_url)
    }

    async fn send(&self, config: &Value, notice: &Notice, ctx: &SendContext) -> Result<(), DeliveryError> {
        let c: Config = parsed(config)?;
        let invalid = |e: ValidationError| DeliveryError::Reject(format!("invalid channel settings: {e}"));
        let to = addresses("to_email", &c.to_email).map_err(invalid)?;
        let cc = addresses("cc_email", &c.cc_email).map_err(invalid)?;
        let bcc = addresses("bcc_email", &c.bcc_email).map_err(invalid)?;
        let subject = if c.subject.trim().is_empty() {
            notice.title.clone()
        } else {
            // A subject is one line.
            notice.render_or_default(&c.subject)?.lines().next().unwrap_or_default().trim().to_string()
        };
        let body = json!({
            "personalizations": [personalization(to, cc, bcc)],
            "from": from_object(&c.from_email).map_err(invalid)?,
            "subject": subject,
            "content": [{ "type": "text/plain", "value": notice.text }],
        });
        let url = join(base_url(&c.api_url, DEFAULT_API), "v3/mail/send");
        let req = ctx.http.post(url).bearer_auth(c.api_key.trim()).json(&body);
        deliver("SendGrid", req).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_listed_once_across_to_cc_and_bcc() {
        let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<_>>();
        let p = personalization(s(&["a@x.io"]), s(&["A@x.io", "b@x.io"]), s(&["b@x.io"]));
        assert_eq!(p, json!({"to": [{"email": "a@x.io"}], "cc": [{"email": "b@x.io"}]}));
        assert_eq!(addresses("to_email", "a@x.io; b@x.io").unwrap().len(), 2);
        assert_eq!(addresses("cc_email", "a@x.io, nope").unwrap_err().field, "config.cc_email");
        assert_eq!(addresses("to_email", "Ops <ops@x.io>").unwrap(), vec!["ops@x.io".to_string()]);
        assert_eq!(from_object("Ops <ops@x.io>").unwrap(), json!({"email": "ops@x.io", "name": "Ops"}));
        assert_eq!(from_object("ops@x.io").unwrap(), json!({"email": "ops@x.io"}));
    }
}

//! `smtp`: an e-mail through any SMTP server. Keys: `smtp_host`, `smtp_port`,
//! `smtp_secure` (true or "tls": TLS from the first byte, usually port 465; false, "" or
//! "starttls": STARTTLS when the server offers it, required with "starttls"; "none":
//! plain), `username`, `password`, `from`, `to`, `cc`, `bcc` (comma-separated lists),
//! `custom_subject`, `custom_body` (Liquid templates).

use std::time::Duration;

use async_trait::async_trait;
use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::Deserialize;
use serde_json::Value;

use super::{DeliveryError, Provider, SendContext, check_template, parsed, require, typed};
use crate::domain::ValidationError;
use crate::notify::Notice;

pub struct Smtp;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    smtp_host: String,
    smtp_port: Value,
    smtp_secure: Value,
    username: String,
    password: String,
    from: String,
    to: String,
    cc: String,
    bcc: String,
    custom_subject: String,
    custom_body: String,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Security {
    Tls,
    StartTlsRequired,
    StartTlsOpportunistic,
    None,
}

impl Config {
    fn port(&self) -> Result<u16, ValidationError> {
        let err = || ValidationError::new("config.smtp_port", "must be a port between 1 and 65535");
        let p = match &self.smtp_port {
            Value::Number(n) => n.as_u64().ok_or_else(err)?,
            Value::String(s) => s.trim().parse::<u64>().map_err(|_| err())?,
            _ => return Err(ValidationError::new("config.smtp_port", "is required")),
        };
        u16::try_from(p).ok().filter(|p| *p > 0).ok_or_else(err)
    }

    fn security(&self) -> Result<Security, ValidationError> {
        Ok(match &self.smtp_secure {
            Value::Bool(true) => Security::Tls,
            Value::Bool(false) | Value::Null => Security::StartTlsOpportunistic,
            Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "tls" | "ssl" => Security::Tls,
                "" | "false" => Security::StartTlsOpportunistic,
                "starttls" => Security::StartTlsRequired,
                "none" => Security::None,
                _ => {
                    return Err(ValidationError::new(
                        "config.smtp_secure",
                        "must be true (TLS), false, \"starttls\" or \"none\"",
                    ));
                }
            },
            _ => return Err(ValidationError::new("config.smtp_secure", "must be true or false")),
        })
    }
}

fn mailboxes(field: &str, list: &str) -> Result<Vec<Mailbox>, ValidationError> {
    list.split([',', ';'])
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| {
            a.parse::<Mailbox>().map_err(|e| {
                ValidationError::new(format!("config.{field}"), format!("\"{a}\" is not an e-mail address: {e}"))
            })
        })
        .collect()
}

#[async_trait]
impl Provider for Smtp {
    fn secret_keys(&self) -> &'static [&'static str] {
        &["password"]
    }

    fn validate(&self, config: &Value) -> Result<(), ValidationError> {
        let c: Config = typed(config)?;
        require("smtp_host", &c.smtp_host)?;
        c.port()?;
        c.security()?;
        require("from", &c.from)?;
        mailboxes("from", &c.from)?;
        require("to", &c.to)?;
        mailboxes("to", &c.to)?;
        mailboxes("cc", &c.cc)?;
        mailboxes("bcc", &c.bcc)?;
        if !c.password.is_empty() && c.username.trim().is_empty() {
            return Err(ValidationError::new("config.username", "is required when a password is set"));
        }
        check_template("custom_subject", &c.custom_subject)?;
        check_template("custom_body", &c.custom_body)
    }

    async fn send(&self, config: &Value, notice: &Notice, ctx: &SendContext) -> Result<(), DeliveryError> {
        let c: Config = parsed(config)?;
        let reject = |e: ValidationError| DeliveryError::Reject(e.to_string());
        let port = c.port().map_err(reject)?;
        let host = c.smtp_host.trim().to_string();
        let subject = if c.custom_subject.trim().is_empty() {
            notice.title.clone()
        } else {
            notice.render_or_default(&c.custom_subject)?.lines().next().unwrap_or_default().to_string()
        };
        let body = notice.render_or_default(&c.custom_body)?;
        let mut builder = Message::builder().subject(subject);
        builder = builder.from(mailboxes("from", &c.from).map_err(reject)?.remove(0));
        for m in mailboxes("to", &c.to).map_err(reject)? {
            builder = builder.to(m);
        }
        for m in mailboxes("cc", &c.cc).map_err(reject)? {
            builder = builder.cc(m);
        }
        for m in mailboxes("bcc", &c.bcc).map_err(reject)? {
            builder = builder.bcc(m);
        }
        let email = builder
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| DeliveryError::Reject(format!("cannot build the e-mail: {e}")))?;

        let tls_params =
            || TlsParameters::new(host.clone()).map_err(|e| DeliveryError::Reject(format!("TLS setup failed: {e}")));
        let tls = match c.security().map_err(reject)? {
            Security::Tls => Tls::Wrapper(tls_params()?),
            Security::StartTlsRequired => Tls::Required(tls_params()?),
            Security::StartTlsOpportunistic => Tls::Opportunistic(tls_params()?),
            Security::None => Tls::None,
        };
        let mut transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&host)
            .port(port)
            .tls(tls)
            .timeout(Some(ctx.timeout.min(Duration::from_secs(60))));
        if !c.username.trim().is_empty() {
            transport = transport.credentials(Credentials::new(c.username.trim().to_string(), c.password.clone()));
        }
        let mailer = transport.build();
        match mailer.send(email).await {
            Ok(_) => Ok(()),
            Err(e) => {
                let msg = format!("SMTP {host}:{port}: {}", crate::worker::checks::root_cause(&e));
                // 5xx replies are permanent (bad recipient, authentication refused).
                if e.is_permanent() { Err(DeliveryError::Reject(msg)) } else { Err(DeliveryError::Retry(msg)) }
            }
        }
    }
}

//! `/proxies`: the global proxy list HTTP-family monitors can send their checks through.
//! Every change is announced on the bus so the producer hands workers the new settings
//! with the next checks; deleting a proxy turns its monitors back to direct connections.

use std::sync::Arc;

use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi, Tags};

use super::AppState;
use super::envelope::{Envelope, MessageOnly};
use super::error::{ApiError, ApiResult};
use super::session::BearerAuth;
use crate::bus::{BusEvent, ChangeAction};
use crate::domain::SECRET_MASK;
use crate::domain::proxy::{Proxy, ProxyDraft, ProxyPatch};
use crate::domain::{format_millis, now_millis};

#[derive(Tags)]
enum ProxyTag {
    /// Proxies for HTTP-family monitors.
    Proxies,
}

/// A proxy as the API shows it.
#[derive(Object)]
#[oai(rename = "Proxy")]
pub struct ProxyDto {
    pub id: String,
    /// http, https, socks4, socks5 or socks5h.
    pub protocol: String,
    pub host: String,
    pub port: u16,
    /// Whether the username and password are sent to the proxy.
    pub auth: bool,
    pub username: String,
    /// `********` when a password is set (secrets are never read back); send it back
    /// unchanged to keep the stored password.
    pub password: String,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Proxy> for ProxyDto {
    fn from(p: Proxy) -> Self {
        Self {
            id: p.id,
            protocol: p.protocol.as_str().into(),
            host: p.host,
            port: p.port,
            auth: p.auth,
            username: p.username,
            password: if p.password.is_empty() { String::new() } else { SECRET_MASK.into() },
            created_at: format_millis(p.created_at),
            updated_at: format_millis(p.updated_at),
        }
    }
}

/// A whole proxy, for create (POST) and full update (PUT).
#[derive(Object)]
pub struct ProxyInput {
    /// http, https, socks4, socks5 or socks5h (`socks` is taken as socks5).
    pub protocol: String,
    /// Host name or IP address of the proxy.
    pub host: String,
    /// 1 to 65535.
    pub port: u32,
    /// Send `username`/`password` to the proxy (not for socks4).
    pub auth: Option<bool>,
    pub username: Option<String>,
    pub password: Option<String>,
}

/// Fields to change; absent ones stay.
#[derive(Object)]
pub struct ProxyPatchInput {
    pub protocol: Option<String>,
    pub host: Option<String>,
    pub port: Option<u32>,
    pub auth: Option<bool>,
    pub username: Option<String>,
    pub password: Option<String>,
}

#[derive(ApiResponse)]
pub enum CreatedProxy {
    #[oai(status = 201)]
    Created(Json<Envelope<ProxyDto>>),
}

pub struct ProxiesApi {
    pub state: Arc<AppState>,
}

impl ProxiesApi {
    async fn existing(&self, id: &str) -> ApiResult<Proxy> {
        self.state.store.proxy(id).await?.ok_or_else(|| ApiError::not_found("Proxy not found"))
    }

    async fn announce(&self, id: &str, action: ChangeAction) {
        let ev = BusEvent::ProxyChanged { id: id.to_string(), action };
        if let Err(e) = self.state.bus.publish(&ev).await {
            tracing::warn!(error = %e, "publishing a proxy change failed");
        }
    }

    /// Validates a draft and stores it over `base` (update) or as a new proxy.
    async fn save(&self, mut draft: ProxyDraft, base: Option<Proxy>) -> ApiResult<Proxy> {
        if draft.password == SECRET_MASK {
            draft.password = base.as_ref().map(|b| b.password.clone()).unwrap_or_default();
        }
        let v = draft.validate()?;
        let now = now_millis();
        let (id, created_at) = match &base {
            Some(b) => (b.id.clone(), b.created_at),
            None => (uuid::Uuid::now_v7().to_string(), now),
        };
        let proxy = Proxy {
            id,
            protocol: v.protocol,
            host: v.host,
            port: v.port,
            auth: v.auth,
            username: v.username,
            password: v.password,
            created_at,
            updated_at: now,
        };
        if base.is_some() {
            self.state.store.update_proxy(&proxy).await?;
            self.announce(&proxy.id, ChangeAction::Updated).await;
        } else {
            self.state.store.insert_proxy(&proxy).await?;
        }
        Ok(proxy)
    }
}

fn draft_from(input: ProxyInput) -> ProxyDraft {
    ProxyDraft {
        protocol: input.protocol,
        host: input.host,
        port: input.port,
        auth: input.auth.unwrap_or(false),
        username: input.username.unwrap_or_default(),
        password: input.password.unwrap_or_default(),
    }
}

#[OpenApi(prefix_path = "/proxies", tag = "ProxyTag::Proxies")]
impl ProxiesApi {
    /// List proxies, oldest first.
    #[oai(path = "/", method = "get")]
    async fn list(&self, _auth: BearerAuth) -> ApiResult<Json<Envelope<Vec<ProxyDto>>>> {
        let proxies = self.state.store.list_proxies().await?;
        Ok(Json(Envelope::ok(proxies.into_iter().map(Into::into).collect())))
    }

    /// Create a proxy.
    #[oai(path = "/", method = "post")]
    async fn create(&self, _auth: BearerAuth, body: Json<ProxyInput>) -> ApiResult<CreatedProxy> {
        let p = self.save(draft_from(body.0), None).await?;
        Ok(CreatedProxy::Created(Json(Envelope::with("Proxy created successfully", p.into()))))
    }

    #[oai(path = "/:id", method = "get")]
    async fn get(&self, _auth: BearerAuth, id: Path<String>) -> ApiResult<Json<Envelope<ProxyDto>>> {
        Ok(Json(Envelope::ok(self.existing(&id.0).await?.into())))
    }

    /// Replace a proxy. Its monitors use the new settings from their next check on.
    #[oai(path = "/:id", method = "put")]
    async fn put(
        &self,
        _auth: BearerAuth,
        id: Path<String>,
        body: Json<ProxyInput>,
    ) -> ApiResult<Json<Envelope<ProxyDto>>> {
        let base = self.existing(&id.0).await?;
        let p = self.save(draft_from(body.0), Some(base)).await?;
        Ok(Json(Envelope::with("Proxy updated successfully", p.into())))
    }

    /// Change some fields of a proxy.
    #[oai(path = "/:id", method = "patch")]
    async fn patch(
        &self,
        _auth: BearerAuth,
        id: Path<String>,
        body: Json<ProxyPatchInput>,
    ) -> ApiResult<Json<Envelope<ProxyDto>>> {
        let base = self.existing(&id.0).await?;
        let b = body.0;
        let patch = ProxyPatch {
            protocol: b.protocol,
            host: b.host,
            port: b.port,
            auth: b.auth,
            username: b.username,
            password: b.password,
        };
        let draft = patch.apply(&base);
        let p = self.save(draft, Some(base)).await?;
        Ok(Json(Envelope::with("Proxy updated successfully", p.into())))
    }

    /// Delete a proxy; the monitors that used it connect directly from then on.
    #[oai(path = "/:id", method = "delete")]
    async fn delete(&self, _auth: BearerAuth, id: Path<String>) -> ApiResult<Json<MessageOnly>> {
        if !self.state.store.delete_proxy(&id.0).await? {
            return Err(ApiError::not_found("Proxy not found"));
        }
        self.announce(&id.0, ChangeAction::Deleted).await;
        Ok(Json(MessageOnly::new("Proxy deleted successfully")))
    }
}

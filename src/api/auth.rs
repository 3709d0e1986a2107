//! `/auth`: register the admin (once), log in (with TOTP when enabled), refresh, manage
//! 2FA and change the password. Field names are Peekaping's.

use std::sync::Arc;

use poem::Request;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi, Tags};

use super::AppState;
use super::envelope::{Envelope, MessageOnly};
use super::error::{ApiError, ApiResult};
use super::session::{BearerAuth, LoginGuard, TokenPair, totp};
use crate::domain::now_millis;
use crate::domain::user::{User, check_email, check_password_policy};
use crate::store::StoreError;

#[derive(Tags)]
enum AuthTag {
    /// Registration, login, tokens and two-factor authentication.
    Auth,
}

#[derive(Object)]
pub struct UserDto {
    pub id: String,
    pub email: String,
    pub active: bool,
    pub twofa_status: bool,
    #[oai(rename = "createdAt")]
    pub created_at: String,
    #[oai(rename = "updatedAt")]
    pub updated_at: String,
}

impl From<&User> for UserDto {
    fn from(u: &User) -> Self {
        Self {
            id: u.id.clone(),
            email: u.email.clone(),
            active: u.active,
            twofa_status: u.twofa_enabled,
            created_at: crate::domain::format_millis(u.created_at),
            updated_at: crate::domain::format_millis(u.updated_at),
        }
    }
}

#[derive(Object)]
pub struct LoginResponse {
    pub user: UserDto,
    #[oai(rename = "accessToken")]
    pub access_token: String,
    #[oai(rename = "refreshToken")]
    pub refresh_token: String,
}

fn login_response(user: &User, t: TokenPair) -> LoginResponse {
    LoginResponse { user: user.into(), access_token: t.access, refresh_token: t.refresh }
}

#[derive(Object)]
pub struct SetupStatus {
    /// True while no admin exists: the UI shows registration.
    pub needs_setup: bool,
}

#[derive(Object)]
pub struct RegisterRequest {
    pub email: String,
    pub password: String,
}

#[derive(Object)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    /// The TOTP code, when 2FA is enabled.
    pub token: Option<String>,
}

#[derive(Object)]
pub struct RefreshRequest {
    #[oai(rename = "refreshToken")]
    pub refresh_token: String,
}

#[derive(Object)]
pub struct CredentialsRequest {
    pub email: String,
    pub password: String,
}

#[derive(Object)]
pub struct TwoFaSetupResponse {
    pub secret: String,
    #[oai(rename = "provisioningUri")]
    pub provisioning_uri: String,
}

#[derive(Object)]
pub struct TwoFaSetupEnvelope {
    pub message: String,
    pub data: TwoFaSetupResponse,
    /// Also at the top level, where Peekaping's client reads it.
    pub secret: String,
    #[oai(rename = "provisioningUri")]
    pub provisioning_uri: String,
}

#[derive(Object)]
pub struct TwoFaVerifyRequest {
    pub email: String,
    pub code: String,
}

#[derive(Object)]
pub struct TwoFaVerifyResponse {
    pub success: bool,
    pub message: String,
}

#[derive(Object)]
pub struct PasswordChangeRequest {
    #[oai(rename = "currentPassword")]
    pub current_password: String,
    #[oai(rename = "newPassword")]
    pub new_password: String,
}

#[derive(ApiResponse)]
pub enum RegisterResponse {
    /// The admin was created and is logged in.
    #[oai(status = 201)]
    Created(Json<Envelope<LoginResponse>>),
}

pub struct AuthApi {
    pub state: Arc<AppState>,
}

fn client_ip(req: &Request) -> String {
    req.remote_addr().as_socket_addr().map(|a| a.ip().to_string()).unwrap_or_else(|| "unknown".into())
}

impl AuthApi {
    /// The caller must name their own account in 2FA requests (Peekaping's DTOs carry it).
    fn same_account(user: &User, email: &str) -> ApiResult<()> {
        if user.email.eq_ignore_ascii_case(email.trim()) {
            Ok(())
        } else {
            Err(ApiError::validation("email", "does not match the logged-in account"))
        }
    }

    async fn save(&self, user: &User) -> ApiResult<()> {
        self.state.store.update_user(user).await?;
        self.state.sessions.forget_user();
        Ok(())
    }
}

#[OpenApi(prefix_path = "/auth", tag = "AuthTag::Auth")]
impl AuthApi {
    /// Whether the admin still has to be registered.
    #[oai(path = "/setup", method = "get")]
    async fn setup(&self) -> ApiResult<Json<Envelope<SetupStatus>>> {
        let n = self.state.store.user_count().await?;
        Ok(Json(Envelope::ok(SetupStatus { needs_setup: n == 0 })))
    }

    /// Register the admin. Only possible while no user exists.
    #[oai(path = "/register", method = "post")]
    async fn register(&self, body: Json<RegisterRequest>) -> ApiResult<RegisterResponse> {
        check_email(&body.email).map_err(|m| ApiError::validation("email", m))?;
        check_password_policy(&body.password).map_err(|m| ApiError::validation("password", m))?;
        if self.state.store.user_count().await? > 0 {
            return Err(ApiError::bad_request("admin already exists"));
        }
        let now = now_millis();
        let user = User {
            id: uuid::Uuid::new_v4().to_string(),
            email: body.email.trim().to_string(),
            password_hash: self.state.sessions.hash_password(&body.password).await?,
            active: true,
            twofa_secret: None,
            twofa_enabled: false,
            twofa_last_step: None,
            tokens_valid_after: 0,
            created_at: now,
            updated_at: now,
        };
        match self.state.store.insert_first_user(&user).await {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => return Err(ApiError::bad_request("admin already exists")),
            Err(e) => return Err(e.into()),
        }
        tracing::info!(email = %user.email, "admin registered");
        let tokens = self.state.sessions.issue(&user)?;
        Ok(RegisterResponse::Created(Json(Envelope::with(
            "User registered successfully",
            login_response(&user, tokens),
        ))))
    }

    /// Log in. With 2FA on, a missing or wrong `token` answers 401 `2fa_required`.
    /// Too many failures lock the (client IP, e-mail) pair out for a while (429).
    #[oai(path = "/login", method = "post")]
    async fn login(&self, req: &Request, body: Json<LoginRequest>) -> ApiResult<Json<Envelope<LoginResponse>>> {
        let now = now_millis();
        let key = format!("{}:{}", client_ip(req), body.email.trim().to_lowercase());
        let guard = LoginGuard { store: self.state.store.as_ref(), config: &self.state.config.bruteforce };
        if let Some(wait) = guard.locked_for(&key, now).await? {
            return Err(ApiError::rate_limited(wait));
        }
        let user = self.state.store.user_by_email(body.email.trim()).await?;
        let password_ok =
            self.state.sessions.verify_password(&body.password, user.as_ref().map(|u| u.password_hash.as_str())).await;
        let user = match user {
            Some(u) if password_ok && u.active => u,
            _ => {
                guard.record_failure(&key, now).await?;
                return Err(ApiError::unauthorized("unauthorized", "invalid email or password"));
            }
        };
        let mut user = user;
        if user.twofa_enabled {
            let secret = user.twofa_secret.clone().unwrap_or_default();
            let Some(code) = body.token.as_deref().filter(|c| !c.trim().is_empty()) else {
                return Err(ApiError::unauthorized("2fa_required", "2FA token required"));
            };
            match totp::check(&secret, &user.email, code) {
                Some(step) if user.twofa_last_step.is_none_or(|last| (step as i64) > last) => {
                    user.twofa_last_step = Some(step as i64);
                    self.save(&user).await?;
                }
                Some(_) => {
                    guard.record_failure(&key, now).await?;
                    return Err(ApiError::unauthorized(
                        "2fa_required",
                        "this 2FA code was already used; wait for the next one",
                    ));
                }
                None => {
                    guard.record_failure(&key, now).await?;
                    return Err(ApiError::unauthorized("2fa_required", "invalid 2FA token"));
                }
            }
        }
        guard.record_success(&key).await?;
        let tokens = self.state.sessions.issue(&user)?;
        Ok(Json(Envelope::with("Login successful", login_response(&user, tokens))))
    }

    /// Exchange a refresh token for a new token pair.
    #[oai(path = "/refresh", method = "post")]
    async fn refresh(&self, body: Json<RefreshRequest>) -> ApiResult<Json<Envelope<LoginResponse>>> {
        let user = self.state.sessions.verify(body.refresh_token.trim(), true).await?;
        let tokens = self.state.sessions.issue(&user)?;
        Ok(Json(Envelope::with("Token refreshed", login_response(&user, tokens))))
    }

    /// Start 2FA setup: returns a new secret and its otpauth:// URI (for a QR code).
    /// 2FA is on once `/auth/2fa/verify` accepts a code.
    #[oai(path = "/2fa/setup", method = "post")]
    async fn twofa_setup(
        &self,
        auth: BearerAuth,
        body: Json<CredentialsRequest>,
    ) -> ApiResult<Json<TwoFaSetupEnvelope>> {
        let mut user = auth.0.user;
        Self::same_account(&user, &body.email)?;
        if !self.state.sessions.verify_password(&body.password, Some(&user.password_hash)).await {
            return Err(ApiError::validation("password", "is not correct"));
        }
        if user.twofa_enabled {
            return Err(ApiError::bad_request("2FA is already enabled; disable it first"));
        }
        let secret = totp::new_secret();
        let uri = totp::provisioning_uri(&secret, &user.email).map_err(|e| ApiError::internal("2fa setup", e))?;
        user.twofa_secret = Some(secret.clone());
        user.twofa_last_step = None;
        user.updated_at = now_millis();
        self.save(&user).await?;
        Ok(Json(TwoFaSetupEnvelope {
            message: "Scan the QR code, then verify a code to enable 2FA".into(),
            data: TwoFaSetupResponse { secret: secret.clone(), provisioning_uri: uri.clone() },
            secret,
            provisioning_uri: uri,
        }))
    }

    /// Verify a TOTP code against the pending secret; enables 2FA.
    #[oai(path = "/2fa/verify", method = "post")]
    async fn twofa_verify(
        &self,
        auth: BearerAuth,
        body: Json<TwoFaVerifyRequest>,
    ) -> ApiResult<Json<TwoFaVerifyResponse>> {
        let mut user = auth.0.user;
        Self::same_account(&user, &body.email)?;
        let Some(secret) = user.twofa_secret.clone() else {
            return Err(ApiError::bad_request("start 2FA setup first"));
        };
        match totp::check(&secret, &user.email, &body.code) {
            Some(step) if user.twofa_last_step.is_none_or(|last| (step as i64) > last) => {
                user.twofa_enabled = true;
                user.twofa_last_step = Some(step as i64);
                user.updated_at = now_millis();
                self.save(&user).await?;
                Ok(Json(TwoFaVerifyResponse { success: true, message: "2FA enabled".into() }))
            }
            _ => Err(ApiError::validation("code", "is not a valid code for this secret")),
        }
    }

    /// Turn 2FA off (needs the password).
    #[oai(path = "/2fa/disable", method = "post")]
    async fn twofa_disable(&self, auth: BearerAuth, body: Json<CredentialsRequest>) -> ApiResult<Json<MessageOnly>> {
        let mut user = auth.0.user;
        Self::same_account(&user, &body.email)?;
        if !self.state.sessions.verify_password(&body.password, Some(&user.password_hash)).await {
            return Err(ApiError::validation("password", "is not correct"));
        }
        user.twofa_enabled = false;
        user.twofa_secret = None;
        user.twofa_last_step = None;
        user.updated_at = now_millis();
        self.save(&user).await?;
        Ok(Json(MessageOnly::new("2FA disabled")))
    }

    /// Change the password. Every token issued before is revoked; a fresh pair is returned.
    #[oai(path = "/password", method = "put")]
    async fn change_password(
        &self,
        auth: BearerAuth,
        body: Json<PasswordChangeRequest>,
    ) -> ApiResult<Json<Envelope<LoginResponse>>> {
        let mut user = auth.0.user;
        if !self.state.sessions.verify_password(&body.current_password, Some(&user.password_hash)).await {
            return Err(ApiError::validation("currentPassword", "is not correct"));
        }
        check_password_policy(&body.new_password).map_err(|m| ApiError::validation("newPassword", m))?;
        user.password_hash = self.state.sessions.hash_password(&body.new_password).await?;
        let now = now_millis();
        user.tokens_valid_after = now;
        user.updated_at = now;
        self.save(&user).await?;
        // Issue after the cut-off so the new pair is valid.
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        let tokens = self.state.sessions.issue(&user)?;
        Ok(Json(Envelope::with("Password updated", login_response(&user, tokens))))
    }
}

//! Who is calling: JWT access/refresh tokens, password hashing, TOTP, and the
//! brute-force guard on logins.
//!
//! Tokens are HS256 JWTs signed with secrets kept in settings (Peekaping's
//! `ACCESS_TOKEN_SECRET_KEY`/`REFRESH_TOKEN_SECRET_KEY`), generated on first start. A
//! password change voids every token issued before it (`tokens_valid_after`). Passwords
//! are argon2id, hashed off the async runtime and at most two at a time (19 MiB each).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use poem::Request;
use poem_openapi::SecurityScheme;
use poem_openapi::auth::ApiKey;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;

use super::AppState;
use super::error::ApiError;
use crate::domain::api_key::{self, ApiKey as ApiKeyRow, ApiKeyScope, KEY_PREFIX, KeyRefusal};
use crate::domain::user::User;
use crate::domain::{UnixMillis, now_millis};
use crate::store::{KeyUses, LoginState, Setting, SettingKind, Store, StoreError};

pub const ACCESS_SECRET_KEY: &str = "ACCESS_TOKEN_SECRET_KEY";
pub const REFRESH_SECRET_KEY: &str = "REFRESH_TOKEN_SECRET_KEY";
pub const ACCESS_TTL_KEY: &str = "ACCESS_TOKEN_EXPIRED_IN";
pub const REFRESH_TTL_KEY: &str = "REFRESH_TOKEN_EXPIRED_IN";

/// Brute-force protection of `/auth/login` (Peekaping's `BRUTEFORCE_*`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BruteForceConfig {
    pub max_attempts: u32,
    pub window: Duration,
    pub lockout: Duration,
}

impl Default for BruteForceConfig {
    fn default() -> Self {
        Self { max_attempts: 20, window: Duration::from_secs(60), lockout: Duration::from_secs(60) }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    typ: String,
    /// Issue time in ms (finer than `iat`, so a token issued right after a password
    /// change is not mistaken for an older one).
    iat_ms: i64,
    exp: u64,
}

/// The authenticated caller.
#[derive(Clone, Debug)]
pub struct AuthUser {
    pub user: User,
    pub credential: Credential,
}

/// A fresh token pair.
pub struct TokenPair {
    pub access: String,
    pub refresh: String,
}

pub struct Sessions {
    store: Arc<dyn Store>,
    access_secret: Vec<u8>,
    refresh_secret: Vec<u8>,
    access_ttl: Duration,
    refresh_ttl: Duration,
    hashing: Semaphore,
    /// The (single) user, cached briefly so each request does not read it.
    user_cache: RwLock<Option<(User, Instant)>>,
    key_uses: PendingKeyUses,
}

/// A real argon2id hash (default parameters) of a random password nobody knows: verifying
/// an unknown e-mail's login against it costs what a real one does, so timing does not tell.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$wUEknFlY7GNCqn2Sz6Nedg$kElCGWONs9YBKr2/22nhql9Cu45qW59CL09KMPwTJX0";

const USER_CACHE_TTL: Duration = Duration::from_secs(5);

fn random_secret() -> String {
    let mut b = [0u8; 48];
    rand::rng().fill_bytes(&mut b);
    base64::engine::general_purpose::STANDARD.encode(b)
}

impl Sessions {
    /// Loads (or creates, once for all replicas) the signing secrets and token lifetimes.
    pub async fn load(store: Arc<dyn Store>) -> Result<Self, StoreError> {
        let now = now_millis();
        let seed = |key: &str, value: String| Setting {
            key: key.into(),
            value,
            kind: SettingKind::String,
            created_at: now,
            updated_at: now,
        };
        let access = store.setting_or_insert(&seed(ACCESS_SECRET_KEY, random_secret())).await?;
        let refresh = store.setting_or_insert(&seed(REFRESH_SECRET_KEY, random_secret())).await?;
        let access_ttl = store.setting_or_insert(&seed(ACCESS_TTL_KEY, "15m".into())).await?;
        let refresh_ttl = store.setting_or_insert(&seed(REFRESH_TTL_KEY, "720h".into())).await?;
        let ttl = |s: &Setting, default: u64| {
            crate::config::parse_duration(&s.value).unwrap_or_else(|_| {
                tracing::warn!(key = %s.key, value = %s.value, "unreadable token lifetime setting; using the default");
                Duration::from_secs(default)
            })
        };
        Ok(Self {
            access_ttl: ttl(&access_ttl, 900),
            refresh_ttl: ttl(&refresh_ttl, 720 * 3600),
            access_secret: access.value.into_bytes(),
            refresh_secret: refresh.value.into_bytes(),
            store,
            hashing: Semaphore::new(2),
            user_cache: RwLock::new(None),
            key_uses: PendingKeyUses::default(),
        })
    }

    pub fn issue(&self, user: &User) -> Result<TokenPair, ApiError> {
        let now = now_millis();
        let make = |typ: &str, ttl: Duration, secret: &[u8]| {
            let claims =
                Claims { sub: user.id.clone(), typ: typ.into(), iat_ms: now, exp: (now as u64 / 1000) + ttl.as_secs() };
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(secret))
                .map_err(|e| ApiError::internal("signing a token", e))
        };
        Ok(TokenPair {
            access: make("access", self.access_ttl, &self.access_secret)?,
            refresh: make("refresh", self.refresh_ttl, &self.refresh_secret)?,
        })
    }

    async fn user(&self, id: &str) -> Result<Option<User>, StoreError> {
        if let Ok(c) = self.user_cache.read()
            && let Some((u, at)) = c.as_ref()
            && u.id == id
            && at.elapsed() < USER_CACHE_TTL
        {
            return Ok(Some(u.clone()));
        }
        let u = self.store.user_by_id(id).await?;
        if let (Some(u), Ok(mut c)) = (&u, self.user_cache.write()) {
            *c = Some((u.clone(), Instant::now()));
        }
        Ok(u)
    }

    /// Forget the cached user (after a password or 2FA change).
    pub fn forget_user(&self) {
        if let Ok(mut c) = self.user_cache.write() {
            *c = None;
        }
    }

    /// Checks a token of the given type; returns its user.
    pub async fn verify(&self, token: &str, refresh: bool) -> Result<User, ApiError> {
        let secret = if refresh { &self.refresh_secret } else { &self.access_secret };
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        let data = jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(secret), &validation)
            .map_err(|e| ApiError::unauthorized("unauthorized", format!("invalid token: {e}")))?;
        let expected = if refresh { "refresh" } else { "access" };
        if data.claims.typ != expected {
            return Err(ApiError::unauthorized("unauthorized", format!("not an {expected} token")));
        }
        let user = self
            .user(&data.claims.sub)
            .await?
            .ok_or_else(|| ApiError::unauthorized("unauthorized", "the user no longer exists"))?;
        if !user.active {
            return Err(ApiError::unauthorized("unauthorized", "the user is disabled"));
        }
        if data.claims.iat_ms < user.tokens_valid_after {
            return Err(ApiError::unauthorized("unauthorized", "the token was revoked by a password change"));
        }
        Ok(user)
    }

    pub async fn hash_password(&self, password: &str) -> Result<String, ApiError> {
        let _permit = self.hashing.acquire().await.map_err(|e| ApiError::internal("hashing", e))?;
        let p = password.to_string();
        tokio::task::spawn_blocking(move || hash_blocking(&p))
            .await
            .map_err(|e| ApiError::internal("hashing", e))?
            .map_err(|e| ApiError::internal("hashing", e))
    }

    /// Verifies a password against a PHC hash (or against a dummy when there is no user).
    pub async fn verify_password(&self, password: &str, hash: Option<&str>) -> bool {
        let Ok(_permit) = self.hashing.acquire().await else { return false };
        let p = password.to_string();
        let real = hash.is_some();
        let h = hash.unwrap_or(DUMMY_HASH).to_string();
        let ok = tokio::task::spawn_blocking(move || {
            PasswordHash::new(&h)
                .is_ok_and(|parsed| argon2::Argon2::default().verify_password(p.as_bytes(), &parsed).is_ok())
        })
        .await
        .unwrap_or(false);
        ok && real
    }
}

fn hash_blocking(password: &str) -> Result<String, String> {
    argon2::Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// TOTP as Peekaping (and every authenticator app) does it: SHA-1, 6 digits, 30 s.
pub mod totp {
    use totp_rs::{Algorithm, Builder, Secret, Totp};

    pub fn new_secret() -> String {
        Secret::generate().to_base32()
    }

    fn build(secret_b32: &str, account: &str) -> Result<Totp, String> {
        let secret = Secret::try_from_base32(secret_b32).map_err(|e| e.to_string())?;
        Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(6)
            .with_skew(1)
            .with_step_duration(30)
            .with_secret(secret)
            .with_account_name(account)
            .with_issuer(Some("Peekaping"))
            .build()
            .map_err(|e| e.to_string())
    }

    pub fn provisioning_uri(secret_b32: &str, account: &str) -> Result<String, String> {
        build(secret_b32, account)?.to_url().map_err(|e| e.to_string())
    }

    /// The time step a code matches, if it does.
    pub fn check(secret_b32: &str, account: &str, code: &str) -> Option<u64> {
        let t = build(secret_b32, account).ok()?;
        t.check_current(code.trim())
    }

    #[cfg(test)]
    pub fn current_code(secret_b32: &str, account: &str) -> String {
        build(secret_b32, account).unwrap().generate_current().to_string()
    }
}

/// Failed-login bookkeeping, per `<client ip>:<email>`.
pub struct LoginGuard<'a> {
    pub store: &'a dyn Store,
    pub config: &'a BruteForceConfig,
}

impl LoginGuard<'_> {
    /// Seconds until the key may try again, if it is locked out.
    pub async fn locked_for(&self, key: &str, now: UnixMillis) -> Result<Option<u64>, StoreError> {
        Ok(self
            .store
            .login_state(key)
            .await?
            .and_then(|s| s.locked_until)
            .filter(|until| *until > now)
            .map(|until| ((until - now) as u64).div_ceil(1000)))
    }

    pub async fn record_failure(&self, key: &str, now: UnixMillis) -> Result<(), StoreError> {
        let window = self.config.window.as_millis() as i64;
        let mut s = match self.store.login_state(key).await? {
            Some(s) if now - s.first_fail_at <= window && s.locked_until.is_none_or(|u| u > now) => s,
            _ => LoginState { key: key.into(), fail_count: 0, first_fail_at: now, locked_until: None },
        };
        s.fail_count += 1;
        if s.fail_count >= self.config.max_attempts {
            s.locked_until = Some(now + self.config.lockout.as_millis() as i64);
        }
        self.store.put_login_state(&s).await
    }

    pub async fn record_success(&self, key: &str) -> Result<(), StoreError> {
        self.store.clear_login_state(key).await
    }
}

/// The documented form of `Authorization: Bearer <access token>` (the `Bearer ` prefix is
/// optional, as in Peekaping). Only registers the scheme; `BearerAuth` does the checking.
#[allow(dead_code)] // read by nobody: `authenticate` parses the headers itself
#[derive(SecurityScheme)]
#[oai(rename = "BearerAuth", ty = "api_key", key_name = "Authorization", key_in = "header")]
struct JwtScheme(ApiKey);

/// The documented form of `X-API-Key: pk_…`.
#[allow(dead_code)] // as above
#[derive(SecurityScheme)]
#[oai(rename = "ApiKeyAuth", ty = "api_key", key_name = "X-API-Key", key_in = "header")]
struct ApiKeyScheme(ApiKey);

/// Any caller of the API: an access token, or an API key (`X-API-Key`, or a `pk_` token
/// in `Authorization: Bearer`, which is what Prometheus' `bearer_token` sends). A key of
/// scope `read` may only GET/HEAD, and no key reaches `/auth/*` (403 both).
pub struct BearerAuth(pub AuthUser);

/// A caller with an access token only: API keys get 403 (managing API keys).
pub struct JwtAuth(pub AuthUser);

/// How the caller proved who it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credential {
    Session,
    ApiKey { id: String, scope: ApiKeyScope },
}

fn forbidden(message: impl Into<String>) -> poem::Error {
    ApiError::Forbidden(poem_openapi::payload::Json(super::error::ErrorBody::new("forbidden", message, None))).into()
}

/// The credential a request carries, read from its headers.
enum Presented<'a> {
    Jwt(&'a str),
    Key(&'a str),
    Nothing,
}

fn presented(req: &Request) -> Presented<'_> {
    if let Some(k) = req.header("X-API-Key").map(str::trim).filter(|k| !k.is_empty()) {
        return Presented::Key(k);
    }
    let Some(raw) = req.header("Authorization").map(str::trim).filter(|v| !v.is_empty()) else {
        return Presented::Nothing;
    };
    let token = raw.strip_prefix("Bearer ").or_else(|| raw.strip_prefix("bearer ")).unwrap_or(raw).trim();
    if token.starts_with(KEY_PREFIX) { Presented::Key(token) } else { Presented::Jwt(token) }
}

/// Authenticates a request. `keys_allowed` is false for endpoints only a logged-in user
/// may call.
pub async fn authenticate(req: &Request, keys_allowed: bool) -> poem::Result<AuthUser> {
    let state = req
        .data::<Arc<AppState>>()
        .ok_or_else(|| poem::Error::from(ApiError::internal("auth", "application state missing")))?;
    match presented(req) {
        Presented::Nothing => Err(ApiError::unauthorized(
            "unauthorized",
            "authentication required: send Authorization: Bearer <access token> or X-API-Key: <pk_ key>",
        )
        .into()),
        Presented::Jwt(token) => {
            Ok(AuthUser { user: state.sessions.verify(token, false).await?, credential: Credential::Session })
        }
        Presented::Key(token) => {
            let key = state.sessions.verify_api_key(token).await?;
            if !keys_allowed {
                return Err(forbidden("API keys cannot manage API keys; log in to do this"));
            }
            if req.original_uri().path().starts_with("/api/v1/auth/") {
                return Err(forbidden("API keys cannot be used for /auth endpoints; log in to do this"));
            }
            if !key.scope.allows(req.method().as_str()) {
                return Err(forbidden(format!(
                    "the API key's scope '{}' allows only GET and HEAD requests; use a key with scope 'write'",
                    key.scope.as_str()
                )));
            }
            state.sessions.count_api_key_use(&key).await?;
            let user = state.sessions.admin().await?;
            Ok(AuthUser { user, credential: Credential::ApiKey { id: key.id, scope: key.scope } })
        }
    }
}

impl<'a> poem_openapi::ApiExtractor<'a> for BearerAuth {
    const TYPES: &'static [poem_openapi::ApiExtractorType] = &[poem_openapi::ApiExtractorType::SecurityScheme];
    type ParamType = ();
    type ParamRawType = ();

    fn register(registry: &mut poem_openapi::registry::Registry) {
        <JwtScheme as poem_openapi::ApiExtractor>::register(registry);
        <ApiKeyScheme as poem_openapi::ApiExtractor>::register(registry);
    }

    fn security_schemes() -> Vec<&'static str> {
        vec!["BearerAuth", "ApiKeyAuth"]
    }

    async fn from_request(
        req: &'a Request,
        _body: &mut poem::RequestBody,
        _opts: poem_openapi::ExtractParamOptions<()>,
    ) -> poem::Result<Self> {
        authenticate(req, true).await.map(BearerAuth)
    }
}

impl<'a> poem_openapi::ApiExtractor<'a> for JwtAuth {
    const TYPES: &'static [poem_openapi::ApiExtractorType] = &[poem_openapi::ApiExtractorType::SecurityScheme];
    type ParamType = ();
    type ParamRawType = ();

    fn register(registry: &mut poem_openapi::registry::Registry) {
        <JwtScheme as poem_openapi::ApiExtractor>::register(registry);
    }

    fn security_schemes() -> Vec<&'static str> {
        vec!["BearerAuth"]
    }

    async fn from_request(
        req: &'a Request,
        _body: &mut poem::RequestBody,
        _opts: poem_openapi::ExtractParamOptions<()>,
    ) -> poem::Result<Self> {
        authenticate(req, false).await.map(JwtAuth)
    }
}

/// Uses of API keys without a usage cap, counted in memory and written in one batch every
/// few seconds (`flush_key_uses`), so a key-authenticated request costs no write.
#[derive(Default)]
pub struct PendingKeyUses {
    uses: Mutex<HashMap<String, (u64, UnixMillis)>>,
}

impl PendingKeyUses {
    fn note(&self, id: &str, now: UnixMillis) {
        if let Ok(mut m) = self.uses.lock() {
            let e = m.entry(id.to_string()).or_insert((0, now));
            e.0 += 1;
            e.1 = e.1.max(now);
        }
    }

    /// Uses not yet written for one key: (count, last use).
    pub fn pending(&self, id: &str) -> Option<(u64, UnixMillis)> {
        self.uses.lock().ok().and_then(|m| m.get(id).copied())
    }

    fn take(&self) -> Vec<KeyUses> {
        let Ok(mut m) = self.uses.lock() else { return vec![] };
        m.drain().map(|(id, (count, last_used))| KeyUses { id, count, last_used }).collect()
    }

    fn put_back(&self, uses: Vec<KeyUses>) {
        if let Ok(mut m) = self.uses.lock() {
            for u in uses {
                let e = m.entry(u.id).or_insert((0, u.last_used));
                e.0 += u.count;
                e.1 = e.1.max(u.last_used);
            }
        }
    }
}

/// Writes pending API-key uses every 5 s (`serve` writes the rest after the last request).
pub async fn flush_key_uses(state: Arc<AppState>, shutdown: tokio_util::sync::CancellationToken) {
    let mut tick = tokio::time::interval(Duration::from_secs(5));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => state.sessions.flush_key_uses().await,
            _ = shutdown.cancelled() => return,
        }
    }
}

impl Sessions {
    /// Checks a presented API key token: format, hash, expiry, and (for capped keys) the
    /// usage count as stored. Scope rules are the caller's.
    pub async fn verify_api_key(&self, token: &str) -> Result<ApiKeyRow, ApiError> {
        let refuse = |r: KeyRefusal| ApiError::unauthorized("invalid_api_key", r.message());
        let (id, secret) = api_key::parse(token).map_err(refuse)?;
        let key = self.store.api_key(&id).await?.ok_or_else(|| refuse(KeyRefusal::Unknown))?;
        if !api_key::secret_matches(&secret, &key.key_hash) {
            return Err(refuse(KeyRefusal::Unknown));
        }
        key.check_usable(now_millis()).map_err(refuse)?;
        Ok(key)
    }

    /// Counts one use of a verified key. A capped key is counted in the store, atomically
    /// against its cap (the 401 when it is reached); an uncapped one in memory.
    pub async fn count_api_key_use(&self, key: &ApiKeyRow) -> Result<(), ApiError> {
        let now = now_millis();
        if key.max_usage_count.is_some() {
            if !self.store.consume_api_key_use(&key.id, now).await? {
                return Err(ApiError::unauthorized("invalid_api_key", KeyRefusal::UsageCapReached.message()));
            }
        } else {
            self.key_uses.note(&key.id, now);
        }
        Ok(())
    }

    /// Uses of a key counted but not yet stored.
    pub fn pending_key_uses(&self, id: &str) -> Option<(u64, UnixMillis)> {
        self.key_uses.pending(id)
    }

    pub async fn flush_key_uses(&self) {
        let uses = self.key_uses.take();
        if uses.is_empty() {
            return;
        }
        if let Err(e) = self.store.record_api_key_uses(&uses).await {
            tracing::warn!(error = %e, "recording API key usage failed; will retry");
            self.key_uses.put_back(uses);
        }
    }

    /// The (single) admin user, whom an API key acts as.
    pub async fn admin(&self) -> Result<User, ApiError> {
        if let Ok(c) = self.user_cache.read()
            && let Some((u, at)) = c.as_ref()
            && at.elapsed() < USER_CACHE_TTL
            && u.active
        {
            return Ok(u.clone());
        }
        let u = self
            .store
            .first_user()
            .await?
            .filter(|u| u.active)
            .ok_or_else(|| ApiError::unauthorized("unauthorized", "no active user to act as"))?;
        if let Ok(mut c) = self.user_cache.write() {
            *c = Some((u.clone(), Instant::now()));
        }
        Ok(u)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totp_codes_verify_and_report_their_step() {
        let secret = totp::new_secret();
        let code = totp::current_code(&secret, "a@example.com");
        let step = totp::check(&secret, "a@example.com", &code);
        assert!(step.is_some());
        assert!(totp::check(&secret, "a@example.com", "000000").is_none() || code == "000000");
        let uri = totp::provisioning_uri(&secret, "a@example.com").unwrap();
        assert!(uri.starts_with("otpauth://totp/"));
    }

    #[test]
    fn the_dummy_hash_is_a_real_argon2id_hash() {
        let parsed = PasswordHash::new(DUMMY_HASH).unwrap();
        assert!(argon2::Argon2::default().verify_password(b"guess", &parsed).is_err());
    }

    #[test]
    fn hashes_verify() {
        let h = hash_blocking("Str0ng!pass").unwrap();
        assert!(h.starts_with("$argon2id$"));
        let parsed = PasswordHash::new(&h).unwrap();
        assert!(argon2::Argon2::default().verify_password(b"Str0ng!pass", &parsed).is_ok());
        assert!(argon2::Argon2::default().verify_password(b"wrong", &parsed).is_err());
    }
}

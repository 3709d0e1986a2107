//! API keys: long-lived credentials for scripts and scrapers (`X-API-Key: pk_…`).
//!
//! The token is Peekaping's format, `pk_` + base64(JSON `{"id","key"}`) with 32 random
//! bytes of key, so keys made for Peekaping's clients look the same. Only a SHA-256 of the
//! secret part is stored, with a masked `display_key`. This module owns the format, the
//! hashing and the rules (scope, expiry, usage cap); it does no I/O.

use base64::Engine as _;
use rand::RngCore;
use serde::{Deserialize, Serialize};

use super::UnixMillis;
use super::monitor::ValidationError;

/// What every API key token starts with (`GET /api-keys/config`).
pub const KEY_PREFIX: &str = "pk_";

/// What a key may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ApiKeyScope {
    /// GET and HEAD only.
    Read,
    /// Everything an admin can do except managing API keys and `/auth/*`.
    Write,
}

impl ApiKeyScope {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "read" => Self::Read,
            "write" => Self::Write,
            _ => return None,
        })
    }

    /// Whether this scope allows a request with `method`.
    pub fn allows(self, method: &str) -> bool {
        match self {
            Self::Write => true,
            Self::Read => method.eq_ignore_ascii_case("GET") || method.eq_ignore_ascii_case("HEAD"),
        }
    }
}

/// A stored API key (never the secret itself).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKey {
    pub id: String,
    pub name: String,
    /// Lower-case hex SHA-256 of the secret part of the token.
    pub key_hash: String,
    /// What the UI shows to tell keys apart, e.g. `pk_…3fQa`.
    pub display_key: String,
    pub scope: ApiKeyScope,
    pub last_used: Option<UnixMillis>,
    pub expires_at: Option<UnixMillis>,
    pub usage_count: u64,
    pub max_usage_count: Option<u64>,
    pub created_at: UnixMillis,
    pub updated_at: UnixMillis,
}

/// Why a presented key is refused (all of them answer 401).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyRefusal {
    Malformed,
    Unknown,
    Expired,
    UsageCapReached,
}

impl KeyRefusal {
    pub fn message(&self) -> &'static str {
        match self {
            Self::Malformed => "invalid API key: not a pk_ token",
            Self::Unknown => "invalid API key",
            Self::Expired => "the API key has expired",
            Self::UsageCapReached => "the API key has reached its maximum usage count",
        }
    }
}

impl ApiKey {
    /// Checks the parts of the key's validity that do not need the store.
    pub fn check_usable(&self, now: UnixMillis) -> Result<(), KeyRefusal> {
        if self.expires_at.is_some_and(|e| e <= now) {
            return Err(KeyRefusal::Expired);
        }
        if self.max_usage_count.is_some_and(|max| self.usage_count >= max) {
            return Err(KeyRefusal::UsageCapReached);
        }
        Ok(())
    }
}

/// A freshly generated key: the token to hand out once, and what to store.
pub struct NewKeySecret {
    pub token: String,
    pub key_hash: String,
    pub display_key: String,
}

#[derive(Serialize, Deserialize)]
struct TokenBody {
    id: String,
    key: String,
}

/// Makes the token of a new key with id `id`.
pub fn generate(id: &str) -> NewKeySecret {
    let mut raw = [0u8; 32];
    rand::rng().fill_bytes(&mut raw);
    let key = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw);
    let body =
        serde_json::to_vec(&TokenBody { id: id.to_string(), key: key.clone() }).expect("two strings always serialize");
    let token = format!("{KEY_PREFIX}{}", base64::engine::general_purpose::STANDARD.encode(body));
    let tail: String = key.chars().skip(key.len().saturating_sub(4)).collect();
    NewKeySecret { token, key_hash: hash_secret(&key), display_key: format!("{KEY_PREFIX}…{tail}") }
}

/// Splits a presented token into (key id, secret).
pub fn parse(token: &str) -> Result<(String, String), KeyRefusal> {
    let b64 = token.trim().strip_prefix(KEY_PREFIX).ok_or(KeyRefusal::Malformed)?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(b64))
        .map_err(|_| KeyRefusal::Malformed)?;
    let body: TokenBody = serde_json::from_slice(&bytes).map_err(|_| KeyRefusal::Malformed)?;
    if body.id.is_empty() || body.key.is_empty() {
        return Err(KeyRefusal::Malformed);
    }
    Ok((body.id, body.key))
}

/// SHA-256 of the secret, hex. A fast hash is right here, unlike for passwords: the secret
/// is 32 random bytes (256 bits of entropy), so no amount of guessing speed makes a brute
/// force feasible, and a slow hash (Peekaping uses bcrypt) would cost every API-key request
/// tens of milliseconds of CPU for no gain.
pub fn hash_secret(secret: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, secret.as_bytes());
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `secret` matches `stored_hash`, comparing in constant time.
pub fn secret_matches(secret: &str, stored_hash: &str) -> bool {
    let h = hash_secret(secret);
    if h.len() != stored_hash.len() {
        return false;
    }
    h.bytes().zip(stored_hash.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// The editable fields, as sent on create and update.
#[derive(Clone, Debug, Default)]
pub struct ApiKeyDraft {
    pub name: String,
    pub expires_at: Option<UnixMillis>,
    pub max_usage_count: Option<i64>,
    pub scope: Option<String>,
}

/// The checked form of a draft.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidApiKeyDraft {
    pub name: String,
    pub expires_at: Option<UnixMillis>,
    pub max_usage_count: Option<u64>,
    pub scope: ApiKeyScope,
}

impl ApiKeyDraft {
    /// `now` bounds `expires_at` on create only (an existing key may keep a past expiry).
    pub fn validate(self, now: Option<UnixMillis>) -> Result<ValidApiKeyDraft, ValidationError> {
        let name = self.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(ValidationError::new("name", "must be 1 to 100 characters"));
        }
        if let (Some(e), Some(now)) = (self.expires_at, now)
            && e <= now
        {
            return Err(ValidationError::new("expires_at", "must be in the future"));
        }
        let max_usage_count = match self.max_usage_count {
            None => None,
            Some(n) if n >= 1 => Some(n as u64),
            Some(_) => return Err(ValidationError::new("max_usage_count", "must be at least 1")),
        };
        let scope = match self.scope.as_deref() {
            None | Some("") => ApiKeyScope::Write,
            Some(s) => ApiKeyScope::parse(s).ok_or_else(|| ValidationError::new("scope", "must be read or write"))?,
        };
        Ok(ValidApiKeyDraft { name, expires_at: self.expires_at, max_usage_count, scope })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_parse_back_and_match_their_hash() {
        let s = generate("0190-id");
        assert!(s.token.starts_with("pk_"));
        let (id, secret) = parse(&s.token).unwrap();
        assert_eq!(id, "0190-id");
        assert!(secret_matches(&secret, &s.key_hash));
        assert!(!secret_matches("other", &s.key_hash));
        assert!(s.display_key.starts_with("pk_…") && s.display_key.chars().count() == 8);
        assert!(!s.token.contains(&s.key_hash));
    }

    #[test]
    fn malformed_tokens_are_refused() {
        assert_eq!(parse("abc"), Err(KeyRefusal::Malformed));
        assert_eq!(parse("pk_!!!"), Err(KeyRefusal::Malformed));
        let not_json = format!("pk_{}", base64::engine::general_purpose::STANDARD.encode("hello"));
        assert_eq!(parse(&not_json), Err(KeyRefusal::Malformed));
    }

    #[test]
    fn read_scope_allows_only_safe_methods() {
        assert!(ApiKeyScope::Read.allows("GET") && ApiKeyScope::Read.allows("HEAD"));
        assert!(!ApiKeyScope::Read.allows("POST") && !ApiKeyScope::Read.allows("DELETE"));
        assert!(ApiKeyScope::Write.allows("DELETE"));
    }

    #[test]
    fn drafts_name_the_bad_field() {
        let d = |name: &str, exp: Option<i64>, max: Option<i64>, scope: Option<&str>| ApiKeyDraft {
            name: name.into(),
            expires_at: exp,
            max_usage_count: max,
            scope: scope.map(Into::into),
        };
        assert_eq!(d(" ", None, None, None).validate(Some(10)).unwrap_err().field, "name");
        assert_eq!(d("k", Some(5), None, None).validate(Some(10)).unwrap_err().field, "expires_at");
        assert!(d("k", Some(5), None, None).validate(None).is_ok());
        assert_eq!(d("k", None, Some(0), None).validate(Some(10)).unwrap_err().field, "max_usage_count");
        assert_eq!(d("k", None, None, Some("admin")).validate(Some(10)).unwrap_err().field, "scope");
        assert_eq!(d("k", None, None, None).validate(Some(10)).unwrap().scope, ApiKeyScope::Write);
    }

    #[test]
    fn expiry_and_cap_make_a_key_unusable() {
        let mut k = ApiKey {
            id: "i".into(),
            name: "n".into(),
            key_hash: String::new(),
            display_key: String::new(),
            scope: ApiKeyScope::Write,
            last_used: None,
            expires_at: Some(100),
            usage_count: 0,
            max_usage_count: Some(2),
            created_at: 0,
            updated_at: 0,
        };
        assert_eq!(k.check_usable(99), Ok(()));
        assert_eq!(k.check_usable(100), Err(KeyRefusal::Expired));
        k.usage_count = 2;
        assert_eq!(k.check_usable(0), Err(KeyRefusal::UsageCapReached));
    }
}

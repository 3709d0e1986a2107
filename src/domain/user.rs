//! The admin user and the password rule.

use serde::{Deserialize, Serialize};

use super::UnixMillis;

/// The (single) admin account. Secrets stay in the store; `public` fields go to clients.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub email: String,
    /// argon2id PHC string.
    pub password_hash: String,
    pub active: bool,
    /// Base32 TOTP secret, present once 2FA setup has started.
    pub twofa_secret: Option<String>,
    /// True once a code has verified the secret: logins then need a TOTP code.
    pub twofa_enabled: bool,
    /// The TOTP time step last accepted, so a code cannot be replayed.
    pub twofa_last_step: Option<i64>,
    /// Tokens issued before this instant are void (set when the password changes).
    pub tokens_valid_after: UnixMillis,
    pub created_at: UnixMillis,
    pub updated_at: UnixMillis,
}

/// Peekaping's policy: at least 8 characters with upper, lower, digit and special.
pub fn check_password_policy(password: &str) -> Result<(), String> {
    let long = password.chars().count() >= 8;
    let upper = password.chars().any(|c| c.is_uppercase());
    let lower = password.chars().any(|c| c.is_lowercase());
    let digit = password.chars().any(|c| c.is_ascii_digit());
    let special = password.chars().any(|c| !c.is_alphanumeric() && !c.is_whitespace());
    if password.chars().count() > 128 {
        return Err("must be at most 128 characters".into());
    }
    if long && upper && lower && digit && special {
        Ok(())
    } else {
        Err("must be at least 8 characters and contain an upper-case letter, a lower-case letter, a digit and a special character".into())
    }
}

/// A light e-mail shape check (something@something.tld); delivery is not our business.
pub fn check_email(email: &str) -> Result<(), String> {
    let e = email.trim();
    let ok = e.len() <= 254
        && e.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        })
        && !e.contains(char::is_whitespace);
    if ok { Ok(()) } else { Err("must be an e-mail address".into()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strong_password_passes_and_weak_ones_fail() {
        assert!(check_password_policy("Str0ng!pass").is_ok());
        for weak in ["short1!A", "alllowercase1!", "ALLUPPER1!", "NoDigits!!", "NoSpecial12", "S1!a"] {
            let r = check_password_policy(weak);
            if weak == "short1!A" {
                assert!(r.is_ok(), "8 chars with all classes is fine");
            } else {
                assert!(r.is_err(), "{weak} should fail");
            }
        }
    }

    #[test]
    fn email_shape() {
        assert!(check_email("admin@example.com").is_ok());
        assert!(check_email("admin@localhost").is_err());
        assert!(check_email("no-at-sign").is_err());
        assert!(check_email("a b@example.com").is_err());
    }
}

//! Auth against the real binary: register once, login, lockout, 2FA with replay
//! protection, refresh, password change revoking tokens.

mod support;

use std::time::Duration;

use serde_json::json;
use support::{EMAIL, PASSWORD, Server};

#[tokio::test]
async fn health_version_and_docs_are_public() {
    let s = Server::start(&[]).await;
    let (st, body) = s.get("/health").await;
    assert_eq!((st, body["status"].as_str()), (200, Some("success")));
    let (st, body) = s.get("/version").await;
    assert_eq!(st, 200);
    assert_eq!(body["data"]["version"], env!("CARGO_PKG_VERSION"));
    let spec: serde_json::Value = s.http.get(s.url("/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(spec["openapi"], "3.0.0");
    assert!(spec["paths"]["/monitors"].is_object());
    let swagger = s.http.get(format!("{}/swagger/", s.base)).send().await.unwrap();
    assert_eq!(swagger.status(), 200);
    let root = s.http.get(format!("{}/monitors/some/client/route", s.base)).send().await.unwrap();
    assert_eq!(root.status(), 200, "client-side routes get the SPA");
}

#[tokio::test]
async fn the_admin_registers_once_with_a_strong_password() {
    let mut s = Server::start(&[]).await;
    assert_eq!(s.get("/auth/setup").await.1["data"]["needs_setup"], true);
    let (st, body) = s.send("POST", "/auth/register", json!({"email": EMAIL, "password": "weakpass"})).await;
    assert_eq!(st, 400);
    assert_eq!(body["error"]["field"], "password");
    let (st, body) = s.send("POST", "/auth/register", json!({"email": "not-an-email", "password": PASSWORD})).await;
    assert_eq!((st, body["error"]["field"].as_str()), (400, Some("email")));
    let reg = s.register().await;
    assert_eq!(reg["data"]["user"]["email"], EMAIL);
    assert_eq!(reg["data"]["user"]["twofa_status"], false);
    assert_eq!(s.get("/auth/setup").await.1["data"]["needs_setup"], false);
    let (st, body) =
        s.send("POST", "/auth/register", json!({"email": "second@example.com", "password": PASSWORD})).await;
    assert_eq!(st, 400, "{body}");
    assert!(body["message"].as_str().unwrap().contains("admin already exists"));
}

#[tokio::test]
async fn protected_routes_need_a_valid_token() {
    let mut s = Server::start(&[]).await;
    let (st, body) = s.get("/monitors").await;
    assert_eq!(st, 401);
    assert_eq!(body["status"], "error");
    s.register().await;
    assert_eq!(s.get("/monitors").await.0, 200);
    // The `Bearer ` prefix is optional, as in Peekaping.
    let raw = s.token.clone().unwrap();
    let r = s.http.get(s.url("/monitors")).header("Authorization", raw).send().await.unwrap();
    assert_eq!(r.status(), 200);
    s.token = Some("not.a.jwt".into());
    assert_eq!(s.get("/monitors").await.0, 401);
}

#[tokio::test]
async fn login_refresh_and_password_change() {
    let mut s = Server::start(&[]).await;
    s.register().await;
    let (st, body) = s.send("POST", "/auth/login", json!({"email": EMAIL, "password": "Wr0ng!pass"})).await;
    assert_eq!((st, body["error"]["code"].as_str()), (401, Some("unauthorized")));
    let (st, body) = s.send("POST", "/auth/login", json!({"email": "ADMIN@example.com", "password": PASSWORD})).await;
    assert_eq!(st, 200, "{body}");
    let refresh = body["data"]["refreshToken"].as_str().unwrap().to_string();
    let (st, body) = s.send("POST", "/auth/refresh", json!({"refreshToken": refresh})).await;
    assert_eq!(st, 200, "{body}");
    let access = body["data"]["accessToken"].as_str().unwrap().to_string();
    let (st, _) = s.send("POST", "/auth/refresh", json!({"refreshToken": access})).await;
    assert_eq!(st, 401, "an access token is not a refresh token");

    let old = s.token.clone();
    let (st, body) =
        s.send("PUT", "/auth/password", json!({"currentPassword": "nope", "newPassword": "N3w!password"})).await;
    assert_eq!((st, body["error"]["field"].as_str()), (400, Some("currentPassword")));
    let (st, body) =
        s.send("PUT", "/auth/password", json!({"currentPassword": PASSWORD, "newPassword": "N3w!password"})).await;
    assert_eq!(st, 200, "{body}");
    let fresh = body["data"]["accessToken"].as_str().unwrap().to_string();
    s.token = old;
    tokio::time::sleep(Duration::from_secs(6)).await; // past the server's short user cache
    assert_eq!(s.get("/monitors").await.0, 401, "tokens issued before a password change are revoked");
    s.token = Some(fresh);
    assert_eq!(s.get("/monitors").await.0, 200);
    let (st, _) = s.send("POST", "/auth/login", json!({"email": EMAIL, "password": "N3w!password"})).await;
    assert_eq!(st, 200);
}

#[tokio::test]
async fn repeated_failures_lock_the_login_out() {
    let mut s = Server::start(&[("BRUTEFORCE_MAX_ATTEMPTS", "3"), ("BRUTEFORCE_LOCKOUT", "2s")]).await;
    s.register().await;
    for _ in 0..3 {
        let (st, _) = s.send("POST", "/auth/login", json!({"email": EMAIL, "password": "Wr0ng!pass"})).await;
        assert_eq!(st, 401);
    }
    let r =
        s.http.post(s.url("/auth/login")).json(&json!({"email": EMAIL, "password": PASSWORD})).send().await.unwrap();
    assert_eq!(r.status(), 429, "even the right password waits out the lockout");
    assert!(r.headers().get("retry-after").is_some());
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    tokio::time::sleep(Duration::from_millis(2200)).await;
    let (st, _) = s.send("POST", "/auth/login", json!({"email": EMAIL, "password": PASSWORD})).await;
    assert_eq!(st, 200);
}

fn totp_code(secret: &str) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret).unwrap();
    totp_rs::Builder::new()
        .with_secret(secret)
        .with_account_name(EMAIL)
        .with_issuer(Some("Peekaping"))
        .build()
        .unwrap()
        .generate_current()
        .to_string()
}

#[tokio::test]
async fn two_factor_login_needs_a_fresh_code() {
    let mut s = Server::start(&[]).await;
    s.register().await;
    let (st, body) = s.send("POST", "/auth/2fa/setup", json!({"email": EMAIL, "password": PASSWORD})).await;
    assert_eq!(st, 200, "{body}");
    let secret = body["data"]["secret"].as_str().unwrap().to_string();
    assert!(body["provisioningUri"].as_str().unwrap().starts_with("otpauth://totp/"));
    let (st, _) = s.send("POST", "/auth/2fa/verify", json!({"email": EMAIL, "code": "000000"})).await;
    assert_eq!(st, 400);
    let (st, body) = s.send("POST", "/auth/2fa/verify", json!({"email": EMAIL, "code": totp_code(&secret)})).await;
    assert_eq!((st, body["success"].as_bool()), (200, Some(true)), "{body}");

    let (st, body) = s.send("POST", "/auth/login", json!({"email": EMAIL, "password": PASSWORD})).await;
    assert_eq!((st, body["error"]["code"].as_str()), (401, Some("2fa_required")));
    // Codes are valid once: wait for the next 30 s step so the one used by verify is new.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    tokio::time::sleep(Duration::from_secs(30 - now % 30 + 1)).await;
    let code = totp_code(&secret);
    let (st, body) = s.send("POST", "/auth/login", json!({"email": EMAIL, "password": PASSWORD, "token": code})).await;
    assert_eq!(st, 200, "{body}");
    assert_eq!(body["data"]["user"]["twofa_status"], true);
    let (st, body) = s.send("POST", "/auth/login", json!({"email": EMAIL, "password": PASSWORD, "token": code})).await;
    assert_eq!((st, body["error"]["code"].as_str()), (401, Some("2fa_required")), "a replayed code is refused");
    let (st, _) = s.send("POST", "/auth/2fa/disable", json!({"email": EMAIL, "password": PASSWORD})).await;
    assert_eq!(st, 200);
    let (st, _) = s.send("POST", "/auth/login", json!({"email": EMAIL, "password": PASSWORD})).await;
    assert_eq!(st, 200);
}

//! The one error shape of the API, Peekaping-compatible and field-precise:
//! `{ "status": "error", "message": "…", "error": { "code", "message", "field"? } }`.
//!
//! Handlers return `ApiError`; errors raised by poem/poem-openapi before a handler runs
//! (malformed JSON, a bad query parameter, a missing token, an unknown route) are turned
//! into the same shape by `json_errors`, which also names the field when it can.

use poem::{IntoResponse, Response};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object};

use crate::domain::ValidationError;
use crate::store::StoreError;

#[derive(Object, Debug, Clone)]
pub struct ErrorDetail {
    /// Machine-readable reason: `validation`, `unauthorized`, `2fa_required`, `not_found`,
    /// `conflict`, `rate_limited`, `unavailable`, `internal`.
    pub code: String,
    pub message: String,
    /// The request field at fault, when there is one (`interval`, `config.url`).
    #[oai(skip_serializing_if_is_none)]
    pub field: Option<String>,
}

#[derive(Object, Debug, Clone)]
pub struct ErrorBody {
    /// Always `error` (Peekaping's `APIError.status`).
    pub status: String,
    pub message: String,
    pub error: ErrorDetail,
    /// Seconds until a rate-limited request may be retried.
    #[oai(skip_serializing_if_is_none)]
    pub retry_after: Option<u64>,
}

impl ErrorBody {
    pub fn new(code: &str, message: impl Into<String>, field: Option<String>) -> Self {
        let message = message.into();
        let display = match &field {
            Some(f) => format!("{f}: {message}"),
            None => message.clone(),
        };
        Self {
            status: "error".into(),
            message: display,
            error: ErrorDetail { code: code.into(), message, field },
            retry_after: None,
        }
    }
}

#[derive(ApiResponse, Debug)]
pub enum ApiError {
    /// The request is invalid; `error.field` names the field.
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    /// Missing or invalid credentials, or a TOTP code is required (`2fa_required`).
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>),
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
    #[oai(status = 409)]
    Conflict(Json<ErrorBody>),
    /// Too many failed attempts; retry after `Retry-After` seconds.
    #[oai(status = 429)]
    TooManyRequests(Json<ErrorBody>, #[oai(header = "Retry-After")] u64),
    #[oai(status = 500)]
    Internal(Json<ErrorBody>),
    /// A remote service (a notification provider) failed; `error.message` says how.
    #[oai(status = 502)]
    BadGateway(Json<ErrorBody>),
    /// Storage or the bus cannot take the request right now (disk full, locked).
    #[oai(status = 503)]
    Unavailable(Json<ErrorBody>),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::BadRequest(Json(ErrorBody::new("validation", message, Some(field.into()))))
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::BadRequest(Json(ErrorBody::new("bad_request", message, None)))
    }

    pub fn unauthorized(code: &str, message: impl Into<String>) -> Self {
        Self::Unauthorized(Json(ErrorBody::new(code, message, None)))
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::NotFound(Json(ErrorBody::new("not_found", message, None)))
    }

    pub fn conflict(field: Option<String>, message: impl Into<String>) -> Self {
        Self::Conflict(Json(ErrorBody::new("conflict", message, field)))
    }

    pub fn rate_limited(retry_after: u64) -> Self {
        let mut body = ErrorBody::new("rate_limited", "too many failed attempts, try again later", None);
        body.retry_after = Some(retry_after);
        Self::TooManyRequests(Json(body), retry_after)
    }

    pub fn internal(context: &str, e: impl std::fmt::Display) -> Self {
        tracing::error!(error = %e, "{context}");
        Self::Internal(Json(ErrorBody::new("internal", "internal server error", None)))
    }

    pub fn bad_gateway(code: &str, message: impl Into<String>) -> Self {
        Self::BadGateway(Json(ErrorBody::new(code, message, None)))
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::Unavailable(Json(ErrorBody::new("unavailable", message, None)))
    }
}

impl From<ValidationError> for ApiError {
    fn from(e: ValidationError) -> Self {
        Self::validation(e.field, e.message)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::not_found("not found"),
            StoreError::InvalidReference { field, message } => Self::validation(field, message),
            StoreError::Conflict(m) => match m.split_once(": ") {
                Some((field, msg)) if !field.contains(' ') => Self::conflict(Some(field.into()), msg),
                _ => Self::conflict(None, m),
            },
            StoreError::Unavailable(m) => {
                tracing::error!(error = %m, "storage unavailable");
                Self::unavailable(format!("storage unavailable: {m}"))
            }
            StoreError::Backend(m) => Self::internal("storage error", m),
        }
    }
}

impl From<crate::bus::BusError> for ApiError {
    fn from(e: crate::bus::BusError) -> Self {
        tracing::error!(error = %e, "bus error");
        Self::unavailable("the message bus is unavailable")
    }
}

/// The request field a poem-openapi parse error is about, if it says.
fn field_of(message: &str) -> Option<String> {
    // `… (occurred while parsing "interval")` for JSON bodies, innermost last.
    if let Some(i) = message.rfind("occurred while parsing \"") {
        let rest = &message[i + "occurred while parsing \"".len()..];
        if let Some(end) = rest.find('"') {
            return Some(rest[..end].to_string());
        }
    }
    // `failed to parse parameter `page`` / `… path parameter 'id' …`
    for (open, close) in [("parameter `", '`'), ("parameter \"", '"'), ("path '", '\'')] {
        if let Some(i) = message.find(open) {
            let rest = &message[i + open.len()..];
            if let Some(end) = rest.find(close) {
                return Some(rest[..end].to_string());
            }
        }
    }
    None
}

fn code_for(status: poem::http::StatusCode) -> &'static str {
    match status.as_u16() {
        400 | 422 => "validation",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        409 => "conflict",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        429 => "rate_limited",
        503 => "unavailable",
        _ => "internal",
    }
}

/// Converts any error into the API's JSON error shape (used with `catch_all_error`).
pub async fn json_errors(err: poem::Error) -> Response {
    let status = err.status();
    let message = err.to_string();
    let resp = err.into_response();
    let is_json = resp
        .headers()
        .get(poem::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return resp;
    }
    let message = if status.is_server_error() { "internal server error".to_string() } else { message };
    let field = if status == poem::http::StatusCode::BAD_REQUEST { field_of(&message) } else { None };
    let body = ErrorBody::new(code_for(status), message, field);
    let mut out = Json(body).into_response();
    out.set_status(status);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_is_found_in_poem_openapi_messages() {
        assert_eq!(
            field_of(
                r#"parse request payload error: failed to parse "Object": Type "integer(uint32)" expects an input value. (occurred while parsing "interval")"#
            ),
            Some("interval".into())
        );
        assert_eq!(field_of("failed to parse parameter `page`: invalid digit"), Some("page".into()));
        assert_eq!(field_of("something else entirely"), None);
    }

    #[test]
    fn store_conflicts_keep_their_field() {
        let e: ApiError = StoreError::Conflict("push_token: another monitor uses this push token".into()).into();
        let ApiError::Conflict(Json(body)) = e else { panic!("expected 409") };
        assert_eq!(body.error.field.as_deref(), Some("push_token"));
    }
}

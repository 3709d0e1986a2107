//! The web UI, embedded at compile time from `web/dist` and served at `/` with SPA
//! fallback: any path that is not a file gets `index.html`. Hashed assets are cached
//! for a year; `index.html` never is, so an upgrade shows at once.

use poem::http::{StatusCode, header};
use poem::{Endpoint, Request, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "web/dist"]
struct WebAssets;

pub struct Spa;

fn file_response(path: &str) -> Option<Response> {
    let file = WebAssets::get(path)?;
    let mime = file.metadata.mimetype().to_string();
    let cache = if path.starts_with("assets/") { "public, max-age=31536000, immutable" } else { "no-cache" };
    Some(
        Response::builder()
            .header(header::CONTENT_TYPE, mime)
            .header(header::CACHE_CONTROL, cache)
            .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
            .header("Referrer-Policy", "same-origin")
            .header(
                header::CONTENT_SECURITY_POLICY,
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; frame-ancestors 'self'",
            )
            .body(file.data.into_owned()),
    )
}

impl Endpoint for Spa {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Self::Output> {
        let path = req.uri().path().trim_start_matches('/');
        if path.starts_with("api/") || path == "api" {
            return Err(poem::Error::from_status(StatusCode::NOT_FOUND));
        }
        if let Some(resp) = (!path.is_empty()).then(|| file_response(path)).flatten() {
            return Ok(resp);
        }
        // Unknown asset paths are real 404s; everything else is a client-side route.
        if path.starts_with("assets/") {
            return Err(poem::Error::from_status(StatusCode::NOT_FOUND));
        }
        file_response("index.html").ok_or_else(|| poem::Error::from_status(StatusCode::NOT_FOUND))
    }
}

//! Gzip for responses, in place of poem's `Compression` middleware.
//!
//! poem's `compression` feature links every codec (brotli with its 120 KiB dictionary,
//! zstd, deflate) for ~0.7 MiB of binary; browsers and API clients all take gzip. The
//! body is compressed as a stream, so large and streaming bodies are never held whole.

use async_compression::tokio::bufread::GzipEncoder;
use poem::http::header::{ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, VARY};
use poem::http::{HeaderValue, StatusCode};
use poem::{Body, Endpoint, IntoResponse, Middleware, Request, Response};

/// Bodies that say they are smaller than this are sent as they are: gzip would not pay off.
const MIN_SIZE: usize = 860;

/// The middleware: `route.with(Gzip)`.
pub struct Gzip;

impl<E: Endpoint> Middleware<E> for Gzip {
    type Output = GzipEndpoint<E>;

    fn transform(&self, inner: E) -> Self::Output {
        GzipEndpoint { inner }
    }
}

pub struct GzipEndpoint<E> {
    inner: E,
}

impl<E: Endpoint> Endpoint for GzipEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Self::Output> {
        let accepts = req.headers().get_all(ACCEPT_ENCODING).iter().any(|v| v.to_str().is_ok_and(accepts_gzip));
        let mut resp = self.inner.call(req).await?.into_response();
        if !accepts || !should_compress(&resp) {
            return Ok(resp);
        }
        let body = resp.take_body();
        let encoder = GzipEncoder::new(tokio::io::BufReader::new(body.into_async_read()));
        resp.set_body(Body::from_async_read(encoder));
        let headers = resp.headers_mut();
        headers.remove(CONTENT_LENGTH);
        headers.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        headers.append(VARY, HeaderValue::from_static("accept-encoding"));
        Ok(resp)
    }
}

/// Whether an `Accept-Encoding` value admits gzip (`gzip`, `x-gzip` or `*`, unless `q=0`).
fn accepts_gzip(value: &str) -> bool {
    value.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let coding = parts.next().unwrap_or_default().to_ascii_lowercase();
        let refused =
            parts.any(|p| p.strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()).is_some_and(|q| q <= 0.0));
        matches!(coding.as_str(), "gzip" | "x-gzip" | "*") && !refused
    })
}

fn should_compress(resp: &Response) -> bool {
    if resp.status() == StatusCode::SWITCHING_PROTOCOLS
        || resp.status() == StatusCode::NO_CONTENT
        || resp.status() == StatusCode::NOT_MODIFIED
        || resp.headers().contains_key(CONTENT_ENCODING)
    {
        return false;
    }
    let known_small = resp
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|len| len < MIN_SIZE);
    if known_small {
        return false;
    }
    let Some(kind) = resp.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else { return false };
    let kind = kind.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    kind.starts_with("text/")
        || matches!(
            kind.as_str(),
            "application/json"
                | "application/javascript"
                | "application/xml"
                | "application/atom+xml"
                | "application/rss+xml"
                | "application/manifest+json"
                | "image/svg+xml"
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use poem::EndpointExt;

    #[test]
    fn gzip_is_accepted_unless_refused() {
        assert!(accepts_gzip("gzip, deflate, br"));
        assert!(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
        assert!(accepts_gzip("*"));
        assert!(!accepts_gzip("br, deflate"));
        assert!(!accepts_gzip("gzip;q=0"));
        assert!(!accepts_gzip("identity"));
    }

    fn response(kind: &str, body: &str) -> Response {
        Response::builder().content_type(kind).body(body.to_string())
    }

    #[test]
    fn only_text_like_bodies_of_some_size_are_compressed() {
        let big = "x".repeat(2000);
        assert!(should_compress(&response("application/json; charset=utf-8", &big)));
        assert!(should_compress(&response("text/html", &big)));
        assert!(should_compress(&response("image/svg+xml", &big)));
        assert!(!should_compress(&response("image/png", &big)));
        let mut small = response("application/json", "{}");
        small.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from_static("2"));
        assert!(!should_compress(&small));
        let mut done = response("text/plain", &big);
        done.headers_mut().insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        assert!(!should_compress(&done));
    }

    #[tokio::test]
    async fn a_compressed_body_inflates_to_the_original() {
        use std::io::Read;
        let text = "peekaping ".repeat(500);
        let app = poem::endpoint::make_sync({
            let text = text.clone();
            move |_| Response::builder().content_type("text/plain").body(text.clone())
        })
        .with(Gzip);
        let req = Request::builder().header(ACCEPT_ENCODING, "gzip").finish();
        let resp = app.call(req).await.unwrap();
        assert_eq!(resp.headers()[CONTENT_ENCODING], "gzip");
        let packed = resp.into_body().into_vec().await.unwrap();
        assert!(packed.len() < text.len() / 10, "{} bytes", packed.len());
        let mut out = String::new();
        flate2::read::GzDecoder::new(&packed[..]).read_to_string(&mut out).unwrap();
        assert_eq!(out, text);

        let plain = app.call(Request::builder().finish()).await.unwrap();
        assert!(!plain.headers().contains_key(CONTENT_ENCODING));
        assert_eq!(plain.into_body().into_string().await.unwrap(), text);
    }
}

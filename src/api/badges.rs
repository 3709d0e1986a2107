//! Public SVG badges: `/api/v1/badge/:monitorId/{status, uptime[/:hours], ping[/:hours],
//! cert-exp, response, sparkline[/:hours]}` with Peekaping's query parameters.
//!
//! Served only for active monitors on at least one published status page (404 otherwise,
//! the same answer as for an unknown id, so a badge URL does not reveal private monitors).
//! Answers carry an ETag (a hash of the SVG) and `Cache-Control: max-age=60`; a matching
//! `If-None-Match` gets 304.

use std::sync::Arc;

use poem::http::StatusCode;
use poem::web::{Data, Path, Query};
use poem::{IntoResponse, Request, Response, Route, get};
use serde::Deserialize;

use super::AppState;
use super::badge_svg::{self, Badge, Style};
use super::error::{ApiError, ApiResult};
use crate::domain::rollup::Granularity;
use crate::domain::{MonitorStatus, now_millis};

/// The query parameters of every badge (Peekaping's names).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BadgeQuery {
    style: Option<String>,
    color: Option<String>,
    label_color: Option<String>,
    label: Option<String>,
    label_prefix: Option<String>,
    label_suffix: Option<String>,
    prefix: Option<String>,
    suffix: Option<String>,
    up_label: Option<String>,
    down_label: Option<String>,
    up_color: Option<String>,
    down_color: Option<String>,
    warn_days: Option<String>,
    down_days: Option<String>,
}

/// Longest accepted label or message part: a badge is a few words, and the SVG's width
/// follows its text.
const MAX_TEXT: usize = 100;

/// The routes under `/api/v1/badge`.
pub fn routes() -> Route {
    Route::new().at("/:id/:kind", get(badge)).at("/:id/:kind/:hours", get(badge_for_hours))
}

#[poem::handler]
async fn badge(
    req: &Request,
    state: Data<&Arc<AppState>>,
    Path((id, kind)): Path<(String, String)>,
    query: Query<BadgeQuery>,
) -> Response {
    answer(req, render(&state, &id, &kind, None, &query).await)
}

#[poem::handler]
async fn badge_for_hours(
    req: &Request,
    state: Data<&Arc<AppState>>,
    Path((id, kind, hours)): Path<(String, String, String)>,
    query: Query<BadgeQuery>,
) -> Response {
    answer(req, render(&state, &id, &kind, Some(&hours), &query).await)
}

/// FNV-1a of the SVG: the ETag only has to change when the picture does.
fn etag(svg: &str) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in svg.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("\"{h:016x}\"")
}

fn answer(req: &Request, svg: ApiResult<String>) -> Response {
    let svg = match svg {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let tag = etag(&svg);
    let cache = "public, max-age=60";
    let matches = req
        .header("If-None-Match")
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*" || t.trim() == format!("W/{tag}")));
    if matches {
        return Response::builder()
            .status(StatusCode::NOT_MODIFIED)
            .header("ETag", tag)
            .header("Cache-Control", cache)
            .finish();
    }
    Response::builder()
        .content_type("image/svg+xml; charset=utf-8")
        .header("ETag", tag)
        .header("Cache-Control", cache)
        .body(svg)
}

fn pick_color(field: &str, v: Option<&str>, default: &str) -> ApiResult<String> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(badge_svg::color(default).expect("defaults are valid colours")),
        Some(v) => badge_svg::color(v).ok_or_else(|| {
            ApiError::validation(field, "must be a colour name (brightgreen, red, …) or hex such as 4c1 or #4c1")
        }),
    }
}

fn days_param(field: &str, v: Option<&str>, default: i64) -> ApiResult<i64> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|d| (0..=3650).contains(d))
            .ok_or_else(|| ApiError::validation(field, "must be a whole number of days from 0 to 3650")),
    }
}

fn hours_param(v: Option<&str>) -> ApiResult<i64> {
    match v {
        None => Ok(24),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|h| (1..=8760).contains(h))
            .ok_or_else(|| ApiError::validation("hours", "must be a whole number of hours from 1 to 8760")),
    }
}

/// The finest rollup kept for a window of `hours` (minutes 24 h, hours 30 d).
fn granularity_for(hours: i64) -> Granularity {
    if hours <= 24 {
        Granularity::Minute
    } else if hours <= 720 {
        Granularity::Hour
    } else {
        Granularity::Day
    }
}

/// `99.95` → `99.95`, `100.00` → `100`.
fn percent(p: f64) -> String {
    let s = format!("{:.2}", (p * 100.0).floor() / 100.0);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn uptime_color(p: f64) -> &'static str {
    match p {
        p if p >= 99.0 => "brightgreen",
        p if p >= 97.0 => "green",
        p if p >= 95.0 => "yellowgreen",
        p if p >= 90.0 => "yellow",
        p if p >= 80.0 => "orange",
        _ => "red",
    }
}

async fn render(state: &AppState, id: &str, kind: &str, hours: Option<&str>, q: &BadgeQuery) -> ApiResult<String> {
    const KINDS: [&str; 6] = ["status", "uptime", "ping", "cert-exp", "response", "sparkline"];
    let takes_hours = matches!(kind, "uptime" | "ping" | "sparkline");
    if !KINDS.contains(&kind) || (hours.is_some() && !takes_hours) {
        return Err(ApiError::not_found("no such badge: use status, uptime, ping, cert-exp, response or sparkline"));
    }
    let style = match q.style.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Style::Flat,
        Some(s) => Style::parse(s).ok_or_else(|| {
            ApiError::validation("style", "must be flat, flat-square, plastic, for-the-badge or social")
        })?,
    };
    let texts = [
        ("label", &q.label),
        ("labelPrefix", &q.label_prefix),
        ("labelSuffix", &q.label_suffix),
        ("prefix", &q.prefix),
        ("suffix", &q.suffix),
        ("upLabel", &q.up_label),
        ("downLabel", &q.down_label),
    ];
    if let Some((field, _)) = texts.iter().find(|(_, v)| v.as_ref().is_some_and(|v| v.chars().count() > MAX_TEXT)) {
        return Err(ApiError::validation(*field, format!("must be at most {MAX_TEXT} characters")));
    }
    let hours = hours_param(hours)?;
    let label_color = pick_color("labelColor", q.label_color.as_deref(), "#555")?;
    let warn_days = days_param("warnDays", q.warn_days.as_deref(), 14)?;
    let down_days = days_param("downDays", q.down_days.as_deref(), 7)?;
    let up_color = pick_color("upColor", q.up_color.as_deref(), "#4c1")?;
    let down_color = pick_color("downColor", q.down_color.as_deref(), "#e05d44")?;
    let explicit_color = q.color.as_deref().map(str::trim).filter(|c| !c.is_empty());
    if let Some(c) = explicit_color {
        pick_color("color", Some(c), "")?;
    }

    let store = &state.store;
    if !store.monitor_is_public(id).await? {
        return Err(ApiError::not_found(
            "no public monitor with this id (it must be active and on a published status page)",
        ));
    }
    let monitor = store.monitor(id).await?.ok_or_else(|| ApiError::not_found("monitor not found"))?;
    let now = now_millis();
    let label_for = |default: String| {
        let base = q.label.clone().unwrap_or(default);
        format!("{}{base}{}", q.label_prefix.as_deref().unwrap_or(""), q.label_suffix.as_deref().unwrap_or(""))
    };
    let message_for = |value: &str, unit: &str| {
        format!("{}{value}{}", q.prefix.as_deref().unwrap_or(""), q.suffix.as_deref().unwrap_or(unit))
    };
    let na = || (String::from("N/A"), String::from("lightgrey"));

    if kind == "sparkline" {
        let g = granularity_for(hours);
        let from = g.bucket_start(now - hours * 3_600_000 + 1);
        let points = store.rollup_points(id, g, from, now + 1).await?;
        let step = g.bucket_millis();
        let mut series = Vec::new();
        let mut at = from;
        let mut it = points.iter().peekable();
        while at <= now {
            let v = match it.peek() {
                Some(p) if p.bucket == at => it.next().and_then(|p| p.counts.avg_ping_ms()),
                _ => None,
            };
            series.push(v);
            at += step;
        }
        let stroke = pick_color("color", explicit_color, "blue")?;
        return Ok(badge_svg::sparkline(
            &label_for(format!("Response ({hours}h)")),
            &series,
            &stroke,
            &label_color,
            style,
        ));
    }

    let (label, message, color) = match kind {
        "status" => {
            let (text, color) = match monitor.status {
                MonitorStatus::Up => (q.up_label.clone().unwrap_or_else(|| "Up".into()), up_color.clone()),
                MonitorStatus::Down => (q.down_label.clone().unwrap_or_else(|| "Down".into()), down_color.clone()),
                MonitorStatus::Pending => ("Pending".into(), "#dfb317".into()),
                MonitorStatus::Maintenance => ("Maintenance".into(), "#1747f5".into()),
            };
            (label_for("Status".into()), message_for(&text, ""), color)
        }
        "uptime" => {
            let g = granularity_for(hours);
            let total = store.rollup_total(id, g, g.bucket_start(now - hours * 3_600_000 + 1), now + 1).await?;
            let (value, color) = match total.uptime_percent() {
                Some(p) => (message_for(&percent(p), "%"), uptime_color(p).to_string()),
                None => na(),
            };
            (label_for(format!("Uptime ({hours}h)")), value, color)
        }
        "ping" => {
            let g = granularity_for(hours);
            let total = store.rollup_total(id, g, g.bucket_start(now - hours * 3_600_000 + 1), now + 1).await?;
            let (value, color) = match total.avg_ping_ms() {
                Some(ms) => (message_for(&format!("{}", ms.round()), "ms"), "blue".to_string()),
                None => na(),
            };
            (label_for(format!("Avg. Ping ({hours}h)")), value, color)
        }
        "response" => {
            let beats = store.latest_heartbeats(&[id.to_string()], 1).await?;
            let ping = beats.get(id).and_then(|b| b.last()).and_then(|b| b.ping_us);
            let (value, color) = match ping {
                Some(us) => (message_for(&format!("{}", (us as f64 / 1000.0).round()), "ms"), "blue".to_string()),
                None => na(),
            };
            (label_for("Response".into()), value, color)
        }
        _ => {
            let expiry = store.tls_info(id).await?.and_then(|t| t.chain.first().map(|c| c.not_after));
            let (value, color) = match expiry {
                Some(at) => {
                    let days = (at - now).div_euclid(86_400_000);
                    let color = if days <= down_days {
                        down_color.clone()
                    } else if days <= warn_days {
                        "#fe7d37".to_string()
                    } else {
                        up_color.clone()
                    };
                    (message_for(&days.to_string(), " days"), color)
                }
                None => na(),
            };
            (label_for("Cert Exp.".into()), value, color)
        }
    };
    let color = match explicit_color {
        Some(c) => pick_color("color", Some(c), "")?,
        None => pick_color("color", Some(&color), "")?,
    };
    Ok(Badge { label, message, color, label_color, style }.render())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_drop_trailing_zeros_and_never_round_up_to_100() {
        assert_eq!(percent(100.0), "100");
        assert_eq!(percent(99.5), "99.5");
        assert_eq!(percent(99.999), "99.99");
    }

    #[test]
    fn etags_change_with_the_picture() {
        assert_ne!(etag("<svg/>"), etag("<svg />"));
        assert!(etag("x").starts_with('"'));
    }
}

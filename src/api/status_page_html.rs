//! The server-rendered public status page (`/status/:slug`, or `/` on a custom domain),
//! its password form, and its incident feeds (Atom and RSS 2.0). Complete HTML without
//! JavaScript: a wall screen refreshes itself with `<meta http-equiv=refresh>`. Every text
//! from the database passes through `escape`; the only raw insert is the page's custom
//! CSS, sanitised on write and again here, and fenced by a Content-Security-Policy.

use std::fmt::Write as _;
use std::sync::Arc;

use poem::http::{HeaderValue, StatusCode, header};
use poem::web::{Data, Form, Path};
use poem::{Endpoint, IntoResponse, Request, Response, handler};

use super::AppState;
use super::markup::escape;
use super::session::LoginGuard;
use super::status_page_view::{Denied, PublicMonitor, PublicPages, Snapshot};
use crate::domain::status_page::{Incident, IncidentStatus, StatusPage, sanitize_css};
use crate::domain::{MonitorStatus, UnixMillis, format_millis, now_millis};

/// Escaped text with its line breaks kept.
fn escape_lines(s: &str) -> String {
    escape(s).replace('\n', "<br>")
}

fn human_time(ms: UnixMillis) -> String {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default().format("%Y-%m-%d %H:%M UTC").to_string()
}

fn status_word(s: MonitorStatus) -> (&'static str, &'static str) {
    match s {
        MonitorStatus::Up => ("up", "Operational"),
        MonitorStatus::Down => ("down", "Down"),
        MonitorStatus::Pending => ("pending", "Degraded"),
        MonitorStatus::Maintenance => ("maint", "Maintenance"),
    }
}

fn incident_status_word(s: IncidentStatus) -> &'static str {
    match s {
        IncidentStatus::Investigating => "Investigating",
        IncidentStatus::Identified => "Identified",
        IncidentStatus::Monitoring => "Monitoring",
        IncidentStatus::Resolved => "Resolved",
    }
}

const BASE_CSS: &str = r#":root{--bg:#f8fafc;--card:#fff;--fg:#0f172a;--mute:#64748b;--line:#e2e8f0;--up:#16a34a;--down:#dc2626;--pending:#d97706;--maint:#2563eb;--none:#cbd5e1}
.theme-dark{--bg:#0b1120;--card:#111827;--fg:#e5e7eb;--mute:#94a3b8;--line:#1f2937;--none:#334155}
@media (prefers-color-scheme:dark){.theme-auto{--bg:#0b1120;--card:#111827;--fg:#e5e7eb;--mute:#94a3b8;--line:#1f2937;--none:#334155}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:860px;margin:0 auto;padding:24px 16px}header{display:flex;gap:12px;align-items:center}header img{width:48px;height:48px;object-fit:contain}
h1{font-size:1.6rem;margin:0}h2{font-size:1.1rem;margin:28px 0 8px}.desc{color:var(--mute);margin:8px 0 0}
.overall{margin:20px 0;padding:14px 16px;border-radius:8px;color:#fff;font-weight:600}.overall.up{background:var(--up)}.overall.down{background:var(--down)}.overall.pending{background:var(--pending)}.overall.maint{background:var(--maint)}.overall.none{background:var(--mute)}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px}.mon{padding:12px 16px;border-top:1px solid var(--line)}.mon:first-child{border-top:0}
.row{display:flex;justify-content:space-between;gap:8px;flex-wrap:wrap}.name{font-weight:600}.meta{color:var(--mute);font-size:.85rem}
.st.up{color:var(--up)}.st.down{color:var(--down)}.st.pending{color:var(--pending)}.st.maint{color:var(--maint)}
.bar{display:flex;gap:2px;margin-top:8px;height:22px}.bar i{flex:1;border-radius:2px;background:var(--none);min-width:2px}.bar i.up{background:var(--up)}.bar i.down{background:var(--down)}.bar i.pending{background:var(--pending)}.bar i.maint{background:var(--maint)}
.tag{display:inline-block;font-size:.75rem;padding:0 6px;border-radius:4px;color:#fff;margin-left:6px}
.inc{padding:12px 16px;margin:12px 0;border-left:4px solid var(--pending)}.inc.info,.inc.primary{border-left-color:var(--maint)}.inc.danger{border-left-color:var(--down)}.inc.light{border-left-color:var(--line)}.inc.dark{border-left-color:var(--fg)}
.inc h3{margin:0 0 4px;font-size:1rem}.upd{margin:8px 0 0;padding-left:12px;border-left:2px solid var(--line)}
footer{margin:32px 0 8px;color:var(--mute);font-size:.85rem;text-align:center}footer a{color:inherit}
form{display:flex;gap:8px;margin-top:16px}input{flex:1;padding:8px;border:1px solid var(--line);border-radius:6px;background:var(--card);color:var(--fg)}button{padding:8px 14px;border:0;border-radius:6px;background:var(--maint);color:#fff}.err{color:var(--down)}"#;

fn head(out: &mut String, page: &StatusPage, title: &str, slug_path: &str, refresh: bool) {
    let _ = write!(
        out,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{}</title>",
        escape(title)
    );
    if !page.description.is_empty() {
        let _ = write!(out, "<meta name=\"description\" content=\"{}\">", escape(&page.description));
    }
    if !page.search_engine_index {
        out.push_str("<meta name=\"robots\" content=\"noindex,nofollow\">");
    }
    if refresh && page.auto_refresh_interval > 0 {
        let _ = write!(out, "<meta http-equiv=\"refresh\" content=\"{}\">", page.auto_refresh_interval);
    }
    let _ = write!(
        out,
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Incidents\" href=\"{0}/feed.atom\"><link rel=\"alternate\" type=\"application/rss+xml\" title=\"Incidents\" href=\"{0}/rss.xml\">",
        escape(slug_path)
    );
    let _ = write!(out, "<style>{BASE_CSS}</style>");
    if !page.custom_css.is_empty() {
        let _ = write!(out, "<style>{}</style>", sanitize_css(&page.custom_css));
    }
    let _ = write!(out, "</head><body class=\"theme-{}\"><main>", escape(&page.theme));
}

fn overall(snap: &Snapshot) -> (&'static str, &'static str) {
    let statuses: Vec<MonitorStatus> = snap.monitors().filter(|(_, m)| m.active).map(|(_, m)| m.status).collect();
    if statuses.is_empty() {
        return ("none", "No monitors");
    }
    let down = statuses.iter().filter(|s| **s == MonitorStatus::Down).count();
    if down == statuses.len() {
        ("down", "Major outage")
    } else if down > 0 {
        ("down", "Partial outage")
    } else if statuses.contains(&MonitorStatus::Pending) {
        ("pending", "Degraded performance")
    } else if statuses.contains(&MonitorStatus::Maintenance) {
        ("maint", "Under maintenance")
    } else {
        ("up", "All systems operational")
    }
}

fn monitor_row(out: &mut String, m: &PublicMonitor) {
    let (class, word) = if m.active { status_word(m.status) } else { ("none", "Paused") };
    let _ = write!(out, "<div class=\"mon\"><div class=\"row\"><span><span class=\"name\">{}</span>", escape(&m.name));
    for t in &m.tags {
        let label = if t.value.is_empty() { t.name.clone() } else { format!("{}: {}", t.name, t.value) };
        let color = if is_hex_color(&t.color) { t.color.as_str() } else { "#64748b" };
        let _ = write!(out, "<span class=\"tag\" style=\"background:{color}\">{}</span>", escape(&label));
    }
    let _ = write!(out, "</span><span class=\"st {class}\">{word}</span></div><div class=\"meta\">");
    match m.uptime_24h {
        Some(u) => {
            let _ = write!(out, "{u:.2}% uptime (24 h)");
        }
        None => out.push_str("No data in the last 24 h"),
    }
    if let Some(d) = m.cert_days {
        if d < 0 {
            out.push_str(" · certificate expired");
        } else {
            let _ = write!(out, " · certificate expires in {d} days");
        }
    }
    out.push_str("</div><div class=\"bar\" aria-label=\"recent checks\">");
    let pad = (super::status_page_view::BEATS_SHOWN as usize).saturating_sub(m.beats.len()).min(100);
    for _ in 0..pad.min(100) {
        out.push_str("<i></i>");
    }
    for b in &m.beats {
        let (class, word) = status_word(b.status);
        let ping = b.ping_ms().map(|p| format!(" · {p:.0} ms")).unwrap_or_default();
        let _ = write!(out, "<i class=\"{class}\" title=\"{} · {word}{ping}\"></i>", human_time(b.time));
    }
    out.push_str("</div></div>");
}

fn is_hex_color(c: &str) -> bool {
    c.len() <= 9 && c.starts_with('#') && c[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

fn incident_block(out: &mut String, i: &Incident) {
    let style = escape(&i.style);
    let _ = write!(
        out,
        "<div class=\"card inc {style}\"><h3>{}</h3><div class=\"meta\">{} · posted {}</div>",
        escape(&i.title),
        incident_status_word(i.status()),
        human_time(i.created_at)
    );
    if !i.message.is_empty() {
        let _ = write!(out, "<p>{}</p>", escape_lines(&i.message));
    }
    for u in i.updates.iter().rev() {
        let _ = write!(
            out,
            "<div class=\"upd\"><strong>{}</strong> <span class=\"meta\">{}</span><div>{}</div></div>",
            incident_status_word(u.status),
            human_time(u.created_at),
            escape_lines(&u.message)
        );
    }
    out.push_str("</div>");
}

/// The whole public page. `base` is where the page lives (`/status/<slug>` or `` at a
/// custom domain's root), for the feed links.
pub fn render_page(snap: &Snapshot, base: &str) -> String {
    let page = &snap.page;
    let mut out = String::with_capacity(16 * 1024);
    head(&mut out, page, &page.title, base, true);
    out.push_str("<header>");
    if !page.icon.is_empty() {
        let _ = write!(out, "<img src=\"{}\" alt=\"\">", escape(&page.icon));
    }
    let _ = write!(out, "<div><h1>{}</h1>", escape(&page.title));
    if !page.description.is_empty() {
        let _ = write!(out, "<p class=\"desc\">{}</p>", escape_lines(&page.description));
    }
    out.push_str("</div></header>");
    let (class, word) = overall(snap);
    let _ = write!(out, "<div class=\"overall {class}\">{word}</div>");
    for i in snap.incidents.iter().filter(|i| i.resolved_at.is_none()) {
        incident_block(&mut out, i);
    }
    for g in &snap.groups {
        if let Some(s) = &g.section {
            let _ = write!(out, "<h2>{}</h2>", escape(&s.name));
        }
        out.push_str("<div class=\"card\">");
        if g.monitors.is_empty() {
            out.push_str("<div class=\"mon meta\">No monitors</div>");
        }
        for m in &g.monitors {
            monitor_row(&mut out, m);
        }
        out.push_str("</div>");
    }
    let past: Vec<&Incident> = snap.incidents.iter().filter(|i| i.resolved_at.is_some()).collect();
    if !past.is_empty() {
        out.push_str("<h2>Past incidents</h2>");
        for i in past {
            incident_block(&mut out, i);
        }
    }
    out.push_str("<footer>");
    if !page.footer_text.is_empty() {
        let _ = write!(out, "<p>{}</p>", escape_lines(&page.footer_text));
    }
    let _ = write!(out, "<p>Updated {}", human_time(snap.built_at));
    if page.show_powered_by {
        out.push_str(" · Powered by <a href=\"https://github.com/0xfurai/peekaping\">Peekaping</a>");
    }
    let _ = write!(
        out,
        " · <a href=\"{}/feed.atom\">Atom</a> · <a href=\"{}/rss.xml\">RSS</a></p>",
        escape(base),
        escape(base)
    );
    out.push_str("</footer></main></body></html>");
    out
}

/// The form a password-protected page shows instead of its content.
pub fn render_password_form(page: &StatusPage, next: &str, wrong: bool) -> String {
    let mut out = String::with_capacity(4096);
    head(&mut out, page, &page.title, next.trim_end_matches('/'), false);
    let _ = write!(
        out,
        "<h1>{}</h1><p class=\"desc\">This status page is protected by a password.</p>",
        escape(&page.title)
    );
    if wrong {
        out.push_str("<p class=\"err\">Wrong password.</p>");
    }
    let _ = write!(
        out,
        "<form method=\"post\" action=\"/status/{}/auth\"><input type=\"hidden\" name=\"next\" value=\"{}\"><input type=\"password\" name=\"password\" placeholder=\"Password\" required autofocus aria-label=\"Password\"><button type=\"submit\">View</button></form></main></body></html>",
        escape(&page.slug),
        escape(next)
    );
    out
}

/// The incidents of a page and their updates as entries, newest first.
fn feed_entries(snap: &Snapshot) -> Vec<(String, String, String, UnixMillis)> {
    let mut entries = Vec::new();
    for i in &snap.incidents {
        entries.push((format!("urn:uuid:{}", i.id), i.title.clone(), i.message.clone(), i.created_at));
        for u in &i.updates {
            entries.push((
                format!("urn:uuid:{}", u.id),
                format!("{}: {}", i.title, incident_status_word(u.status)),
                u.message.clone(),
                u.created_at,
            ));
        }
    }
    entries.sort_by(|a, b| b.3.cmp(&a.3).then_with(|| b.0.cmp(&a.0)));
    entries
}

/// Atom 1.0 (RFC 4287) feed of the page's incidents and their updates.
pub fn render_atom(snap: &Snapshot, page_url: &str) -> String {
    let entries = feed_entries(snap);
    let updated = entries.first().map_or(snap.page.updated_at, |e| e.3);
    let mut out = String::with_capacity(4096);
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><id>urn:uuid:{}</id><title>{} incidents</title><updated>{}</updated><link rel=\"alternate\" type=\"text/html\" href=\"{}\"/><link rel=\"self\" href=\"{}/feed.atom\"/><author><name>{}</name></author>",
        escape(&snap.page.id),
        escape(&snap.page.title),
        format_millis(updated),
        escape(page_url),
        escape(page_url),
        escape(&snap.page.title)
    );
    for (id, title, body, at) in entries {
        let _ = write!(
            out,
            "<entry><id>{}</id><title>{}</title><updated>{2}</updated><published>{2}</published><link rel=\"alternate\" type=\"text/html\" href=\"{3}\"/><content type=\"text\">{4}</content></entry>",
            escape(&id),
            escape(&title),
            format_millis(at),
            escape(page_url),
            escape(&body)
        );
    }
    out.push_str("</feed>\n");
    out
}

/// RSS 2.0 feed of the same entries.
pub fn render_rss(snap: &Snapshot, page_url: &str) -> String {
    let rfc2822 = |ms: UnixMillis| chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default().to_rfc2822();
    let mut out = String::with_capacity(4096);
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>{} incidents</title><link>{}</link><description>Incidents and updates of {}</description><lastBuildDate>{}</lastBuildDate>",
        escape(&snap.page.title),
        escape(page_url),
        escape(&snap.page.title),
        rfc2822(snap.built_at)
    );
    for (id, title, body, at) in feed_entries(snap) {
        let _ = write!(
            out,
            "<item><title>{}</title><link>{}</link><description>{}</description><guid isPermaLink=\"false\">{}</guid><pubDate>{}</pubDate></item>",
            escape(&title),
            escape(page_url),
            escape(&body),
            escape(&id),
            rfc2822(at)
        );
    }
    out.push_str("</channel></rss>\n");
    out
}

/// Content-Security-Policy of the public page: no script at all, styles inline only,
/// images and fonts from https or this server, forms only back here.
const PAGE_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; font-src 'self' https:; form-action 'self'; base-uri 'none'; frame-ancestors 'self'";

fn html(status: StatusCode, body: String) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .header(header::CONTENT_SECURITY_POLICY, PAGE_CSP)
        .header(header::CACHE_CONTROL, "no-cache")
        .header("Referrer-Policy", "same-origin")
        .body(body)
}

fn not_found() -> Response {
    html(
        StatusCode::NOT_FOUND,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head><body><p>This status page does not exist.</p></body></html>".into(),
    )
}

fn internal(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "status page: storage error");
    html(StatusCode::SERVICE_UNAVAILABLE, "<!doctype html><p>The status page is unavailable right now.</p>".into())
}

/// `http(s)://host` of the request, for absolute links in feeds.
fn origin(req: &Request) -> String {
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = match req.headers().get("x-forwarded-proto").and_then(|h| h.to_str().ok()) {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}")
}

fn is_https(req: &Request) -> bool {
    req.headers().get("x-forwarded-proto").and_then(|h| h.to_str().ok()) == Some("https")
}

#[derive(Clone, Copy)]
enum View {
    Page,
    Atom,
    Rss,
}

/// Serves one view of a page found by slug or id; `base` is the page's path on this host.
async fn serve(pages: &PublicPages, req: &Request, snap: Option<Arc<Snapshot>>, base: &str, view: View) -> Response {
    let Some(snap) = snap else { return not_found() };
    match pages.check(&snap, req) {
        Err(Denied::NotFound) => return not_found(),
        Err(Denied::PasswordRequired) => {
            let next = if base.is_empty() { "/".to_string() } else { base.to_string() };
            return html(StatusCode::UNAUTHORIZED, render_password_form(&snap.page, &next, false));
        }
        Ok(()) => {}
    }
    match view {
        View::Page => {
            // The cached copy is the one at `/status/<slug>`; a custom domain's root differs
            // only in its feed links and is rendered each time.
            let body = if base.is_empty() {
                render_page(&snap, base)
            } else {
                snap.html.get_or_init(|| render_page(&snap, base)).clone()
            };
            html(StatusCode::OK, body)
        }
        View::Atom | View::Rss => {
            let url = format!("{}{}", origin(req), if base.is_empty() { "/" } else { base });
            let (body, mime) = match view {
                View::Atom => (render_atom(&snap, &url), "application/atom+xml; charset=utf-8"),
                _ => (render_rss(&snap, &url), "application/rss+xml; charset=utf-8"),
            };
            Response::builder().header(header::CONTENT_TYPE, mime).header(header::CACHE_CONTROL, "no-cache").body(body)
        }
    }
}

async fn by_slug(state: &AppState, req: &Request, slug: &str, view: View) -> Response {
    match state.status_pages.by_slug(slug).await {
        Ok(snap) => serve(&state.status_pages, req, snap, &format!("/status/{slug}"), view).await,
        Err(e) => internal(e),
    }
}

#[handler]
pub async fn html_page(req: &Request, Path(slug): Path<String>, state: Data<&Arc<AppState>>) -> Response {
    by_slug(&state, req, &slug, View::Page).await
}

#[handler]
pub async fn atom_feed(req: &Request, Path(slug): Path<String>, state: Data<&Arc<AppState>>) -> Response {
    by_slug(&state, req, &slug, View::Atom).await
}

#[handler]
pub async fn rss_feed(req: &Request, Path(slug): Path<String>, state: Data<&Arc<AppState>>) -> Response {
    by_slug(&state, req, &slug, View::Rss).await
}

#[derive(serde::Deserialize)]
pub struct UnlockForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// The password form's target: a right password sets the cookie and goes back to the page.
#[handler]
pub async fn unlock(
    req: &Request,
    Path(slug): Path<String>,
    state: Data<&Arc<AppState>>,
    Form(form): Form<UnlockForm>,
) -> Response {
    let snap = match state.status_pages.by_slug(&slug).await {
        Ok(Some(s)) if s.page.published => s,
        Ok(_) => return not_found(),
        Err(e) => return internal(e),
    };
    // Only a path on this site: never an open redirect.
    let next = if form.next.starts_with('/') && !form.next.starts_with("//") && !form.next.contains('\\') {
        form.next.clone()
    } else {
        format!("/status/{slug}")
    };
    match check_password(&state, req, &snap.page, &form.password).await {
        Ok(true) => {
            let mut resp = Response::builder().status(StatusCode::SEE_OTHER).header(header::LOCATION, next).finish();
            if let Ok(v) = HeaderValue::from_str(&state.status_pages.unlock_cookie(&snap.page, is_https(req))) {
                resp.headers_mut().insert(header::SET_COOKIE, v);
            }
            resp
        }
        Ok(false) => html(StatusCode::UNAUTHORIZED, render_password_form(&snap.page, &next, true)),
        Err(PasswordCheck::Locked(secs)) => {
            let mut r = html(
                StatusCode::TOO_MANY_REQUESTS,
                format!("<!doctype html><p>Too many wrong passwords. Try again in {secs} s.</p>"),
            );
            r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
            r
        }
        Err(PasswordCheck::Store(e)) => internal(e),
    }
}

pub enum PasswordCheck {
    Locked(u64),
    Store(crate::store::StoreError),
}

/// Checks a page password under the login brute-force guard (keyed by client IP and page).
/// A page without a password accepts anything.
pub async fn check_password(
    state: &AppState,
    req: &Request,
    page: &StatusPage,
    password: &str,
) -> Result<bool, PasswordCheck> {
    let Some(hash) = page.password_hash.as_deref() else { return Ok(true) };
    let ip = req.remote_addr().as_socket_addr().map(|a| a.ip().to_string()).unwrap_or_else(|| "unknown".into());
    let key = format!("status-page:{ip}:{}", page.id);
    let guard = LoginGuard { store: state.store.as_ref(), config: &state.config.bruteforce };
    let now = now_millis();
    if let Some(secs) = guard.locked_for(&key, now).await.map_err(PasswordCheck::Store)? {
        return Err(PasswordCheck::Locked(secs));
    }
    let ok = state.sessions.verify_password(password, Some(hash)).await;
    if ok {
        guard.record_success(&key).await.map_err(PasswordCheck::Store)?;
    } else {
        guard.record_failure(&key, now).await.map_err(PasswordCheck::Store)?;
    }
    Ok(ok)
}

/// The site root: a request whose Host is a status page's custom domain gets that page
/// (and its feeds) at `/`; every other request goes to the web UI.
pub struct SiteRoot<E> {
    pub inner: E,
}

impl<E: Endpoint<Output = Response>> Endpoint for SiteRoot<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Self::Output> {
        let view = match req.uri().path() {
            "/" | "" => Some(View::Page),
            "/feed.atom" => Some(View::Atom),
            "/rss.xml" => Some(View::Rss),
            _ => None,
        };
        if let (Some(view), Some(state)) = (view, req.data::<Arc<AppState>>()) {
            let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
            match state.status_pages.page_for_host(host).await {
                Ok(Some(id)) => {
                    let snap = match state.status_pages.by_id(&id).await {
                        Ok(s) => s,
                        Err(e) => return Ok(internal(e)),
                    };
                    return Ok(serve(&state.status_pages, &req, snap, "", view).await);
                }
                Ok(None) => {}
                Err(e) => return Ok(internal(e)),
            }
        }
        self.inner.call(req).await.map(IntoResponse::into_response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(escape("a\u{1}b"), "ab");
    }

    #[test]
    fn only_hex_colors_reach_a_style_attribute() {
        assert!(is_hex_color("#3B82F6"));
        assert!(!is_hex_color("red;background:url(x)"));
    }
}

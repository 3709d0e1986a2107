//! What the public sees of a status page: a `Snapshot` (the page, its monitors with their
//! last beats and 24 h uptime, its incidents) built from the store and cached in memory,
//! the access rules (`published`, the page password and its signed cookie), and the
//! custom-domain table. Both the public JSON and the server-rendered HTML read from here;
//! neither may show anything a snapshot does not hold (no monitor URLs or configs).
//!
//! Cache: a snapshot is dropped when its page, or any monitor, is edited (bus events, and
//! directly by this process's API so its own edits apply at once); a new heartbeat of a
//! monitor on the page marks it stale, and a stale snapshot is rebuilt once it is
//! `MIN_AGE` old, so a page of busy monitors is rebuilt at most every `MIN_AGE`. Every
//! snapshot expires after `TTL` (uptime windows slide even without events).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use base64::Engine as _;
use futures::StreamExt;
use poem::Request;
use tokio_util::sync::CancellationToken;

use crate::bus::{Bus, BusEvent};
use crate::domain::rollup::UptimeWindow;
use crate::domain::status_page::{Incident, StatusPage, StatusPageSection};
use crate::domain::{Heartbeat, MonitorStatus, UnixMillis, now_millis};
use crate::store::{Setting, SettingKind, Store, StoreResult, TagLabel};

/// How many beats a monitor shows (Peekaping's public view shows 100).
pub const BEATS_SHOWN: u32 = 100;
/// How many incidents a page lists.
pub const INCIDENTS_SHOWN: u32 = 20;
const TTL: Duration = Duration::from_secs(60);
const MIN_AGE: Duration = Duration::from_secs(1);
/// How long an unlocked password-protected page stays unlocked in a browser.
pub const COOKIE_TTL_SECS: i64 = 7 * 86_400;
pub const COOKIE_SECRET_KEY: &str = "STATUS_PAGE_COOKIE_SECRET";

/// A monitor as a public page shows it.
#[derive(Clone, Debug)]
pub struct PublicMonitor {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub status: MonitorStatus,
    pub active: bool,
    /// Percent over the last 24 h from the minute rollups; None without data.
    pub uptime_24h: Option<f64>,
    /// The last `BEATS_SHOWN` beats, oldest first.
    pub beats: Vec<Heartbeat>,
    /// Days until the certificate expires, when the page shows it and one was captured.
    pub cert_days: Option<i64>,
    /// The monitor's tags, when the page shows them.
    pub tags: Vec<TagLabel>,
}

/// A group of monitors; the first group of a page has no section (its loose monitors).
#[derive(Clone, Debug)]
pub struct PublicGroup {
    pub section: Option<StatusPageSection>,
    pub monitors: Vec<PublicMonitor>,
}

/// Everything a public view of one page needs, read at `built_at`.
pub struct Snapshot {
    pub page: StatusPage,
    pub groups: Vec<PublicGroup>,
    pub incidents: Vec<Incident>,
    pub built_at: UnixMillis,
    born: Instant,
    monitor_ids: HashSet<String>,
    stale: AtomicBool,
    /// The rendered HTML, made on first request.
    pub html: OnceLock<String>,
}

impl Snapshot {
    fn usable(&self) -> bool {
        let age = self.born.elapsed();
        age < TTL && (!self.stale.load(Ordering::Relaxed) || age < MIN_AGE)
    }

    pub fn monitors(&self) -> impl Iterator<Item = (&PublicGroup, &PublicMonitor)> {
        self.groups.iter().flat_map(|g| g.monitors.iter().map(move |m| (g, m)))
    }
}

/// Why a public request gets no page.
#[derive(Debug, PartialEq, Eq)]
pub enum Denied {
    /// No such page, or it is not published: the same answer, so existence is not revealed.
    NotFound,
    /// The page has a password and the request carries no valid cookie for it.
    PasswordRequired,
}

/// Custom domain → page id, shared with readers while it is replaced.
type DomainTable = Arc<HashMap<String, String>>;

pub struct PublicPages {
    store: Arc<dyn Store>,
    secret: ring::hmac::Key,
    pages: Mutex<HashMap<String, Arc<Snapshot>>>,
    domains: Mutex<Option<(Instant, DomainTable)>>,
}

impl PublicPages {
    /// Loads (or creates, once for all replicas) the cookie signing secret.
    pub async fn load(store: Arc<dyn Store>) -> StoreResult<Self> {
        let mut raw = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut raw);
        let now = now_millis();
        let seed = Setting {
            key: COOKIE_SECRET_KEY.into(),
            value: base64::engine::general_purpose::STANDARD.encode(raw),
            kind: SettingKind::String,
            created_at: now,
            updated_at: now,
        };
        let stored = store.setting_or_insert(&seed).await?;
        Ok(Self {
            secret: ring::hmac::Key::new(ring::hmac::HMAC_SHA256, stored.value.as_bytes()),
            store,
            pages: Mutex::new(HashMap::new()),
            domains: Mutex::new(None),
        })
    }

    fn cached(&self, pred: impl Fn(&StatusPage) -> bool) -> Option<Arc<Snapshot>> {
        let pages = self.pages.lock().ok()?;
        pages.values().find(|s| pred(&s.page) && s.usable()).cloned()
    }

    async fn snapshot_of(&self, page: Option<StatusPage>) -> StoreResult<Option<Arc<Snapshot>>> {
        let Some(page) = page else { return Ok(None) };
        let snap = Arc::new(build(self.store.as_ref(), page).await?);
        if let Ok(mut pages) = self.pages.lock() {
            pages.insert(snap.page.id.clone(), snap.clone());
        }
        Ok(Some(snap))
    }

    /// The snapshot of a page by slug, published or not (callers apply `check`).
    pub async fn by_slug(&self, slug: &str) -> StoreResult<Option<Arc<Snapshot>>> {
        if let Some(s) = self.cached(|p| p.slug == slug) {
            return Ok(Some(s));
        }
        let page = self.store.status_page_by_slug(slug).await?;
        self.snapshot_of(page).await
    }

    pub async fn by_id(&self, id: &str) -> StoreResult<Option<Arc<Snapshot>>> {
        if let Some(s) = self.cached(|p| p.id == id) {
            return Ok(Some(s));
        }
        let page = self.store.status_page(id).await?;
        self.snapshot_of(page).await
    }

    /// The id of the page a Host header (port and case ignored) is a custom domain of.
    pub async fn page_for_host(&self, host: &str) -> StoreResult<Option<String>> {
        let host = host_name(host);
        if host.is_empty() {
            return Ok(None);
        }
        let table = {
            let guard = self.domains.lock().ok();
            guard.and_then(|g| g.as_ref().filter(|(at, _)| at.elapsed() < TTL).map(|(_, t)| t.clone()))
        };
        let table = match table {
            Some(t) => t,
            None => {
                let t = Arc::new(self.store.status_page_domains().await?);
                if let Ok(mut g) = self.domains.lock() {
                    *g = Some((Instant::now(), t.clone()));
                }
                t
            }
        };
        Ok(table.get(&host).cloned())
    }

    /// Applies `published` and the password to a request.
    pub fn check(&self, snap: &Snapshot, req: &Request) -> Result<(), Denied> {
        if !snap.page.published {
            return Err(Denied::NotFound);
        }
        if snap.page.password_hash.is_some() && !self.cookie_valid(req, &snap.page) {
            return Err(Denied::PasswordRequired);
        }
        Ok(())
    }

    pub fn cookie_name(page: &StatusPage) -> String {
        format!("peekaping_sp_{}", page.id)
    }

    /// The signature binds the page, the expiry and the current password hash, so a new
    /// password locks out every browser that knew the old one.
    fn sign(&self, page: &StatusPage, expires: i64) -> String {
        let msg = format!("{}|{}|{}", page.id, expires, page.password_hash.as_deref().unwrap_or(""));
        let tag = ring::hmac::sign(&self.secret, msg.as_bytes());
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(tag.as_ref())
    }

    /// A `Set-Cookie` value that unlocks the page for `COOKIE_TTL_SECS`.
    pub fn unlock_cookie(&self, page: &StatusPage, secure: bool) -> String {
        let expires = now_millis() / 1000 + COOKIE_TTL_SECS;
        format!(
            "{}={}.{}; Path=/; Max-Age={COOKIE_TTL_SECS}; HttpOnly; SameSite=Lax{}",
            Self::cookie_name(page),
            expires,
            self.sign(page, expires),
            if secure { "; Secure" } else { "" }
        )
    }

    fn cookie_valid(&self, req: &Request, page: &StatusPage) -> bool {
        let name = Self::cookie_name(page);
        let Some(value) = cookie_value(req, &name) else { return false };
        let Some((exp, sig)) = value.split_once('.') else { return false };
        let Ok(exp) = exp.parse::<i64>() else { return false };
        if exp < now_millis() / 1000 {
            return false;
        }
        let Ok(sig) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(sig) else { return false };
        let msg = format!("{}|{}|{}", page.id, exp, page.password_hash.as_deref().unwrap_or(""));
        ring::hmac::verify(&self.secret, msg.as_bytes(), &sig).is_ok()
    }

    /// Drops a page's snapshot and the domain table (after an edit of the page).
    pub fn forget_page(&self, id: &str) {
        if let Ok(mut pages) = self.pages.lock() {
            pages.remove(id);
        }
        if let Ok(mut d) = self.domains.lock() {
            *d = None;
        }
    }

    pub fn forget_all(&self) {
        if let Ok(mut pages) = self.pages.lock() {
            pages.clear();
        }
        if let Ok(mut d) = self.domains.lock() {
            *d = None;
        }
    }

    fn beat_recorded(&self, monitor_id: &str) {
        if let Ok(pages) = self.pages.lock() {
            for s in pages.values().filter(|s| s.monitor_ids.contains(monitor_id)) {
                s.stale.store(true, Ordering::Relaxed);
            }
        }
    }

    /// Follows bus events until `shutdown`, keeping the cache honest.
    pub async fn run(self: Arc<Self>, bus: Arc<dyn Bus>, shutdown: CancellationToken) {
        let mut events = match bus.subscribe().await {
            Ok(e) => e,
            Err(e) => {
                tracing::error!(error = %e, "status pages: cannot subscribe to events; caching is off");
                return;
            }
        };
        loop {
            let ev = tokio::select! {
                _ = shutdown.cancelled() => break,
                ev = events.next() => ev,
            };
            match ev {
                Some(BusEvent::HeartbeatRecorded { heartbeat, .. }) => self.beat_recorded(&heartbeat.monitor_id),
                Some(BusEvent::StatusPageChanged { id, .. }) => self.forget_page(&id),
                Some(BusEvent::MonitorChanged { .. }) | Some(BusEvent::Lagged { .. }) => self.forget_all(),
                Some(_) => {}
                None => break,
            }
        }
    }
}

/// The host name of a Host header: lower case, without port or trailing dot.
pub fn host_name(host: &str) -> String {
    let h = host.trim();
    let h = if h.starts_with('[') {
        h.split(']').next().map(|s| format!("{s}]")).unwrap_or_default()
    } else {
        h.rsplit_once(':')
            .map_or(h, |(name, port)| if port.bytes().all(|b| b.is_ascii_digit()) { name } else { h })
            .to_string()
    };
    h.trim_end_matches('.').to_ascii_lowercase()
}

fn cookie_value(req: &Request, name: &str) -> Option<String> {
    req.headers().get_all(poem::http::header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|header| {
        header.split(';').find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then(|| v.trim_matches('"').to_string())
        })
    })
}

/// Reads what a page shows. One query per kind of data, plus one rollup sum per monitor.
async fn build(store: &dyn Store, page: StatusPage) -> StoreResult<Snapshot> {
    let tag_ids: Vec<String> = page.sections.iter().filter_map(|s| s.tag_id.clone()).collect();
    let tagged = store.monitors_with_tags(&tag_ids).await?;
    let mut shown: HashSet<String> = page.listed_monitor_ids().into_iter().collect();
    let mut layout: Vec<(Option<StatusPageSection>, Vec<String>)> = vec![(None, page.monitor_ids.clone())];
    for s in &page.sections {
        let mut ids = s.monitor_ids.clone();
        if let Some(extra) = s.tag_id.as_ref().and_then(|t| tagged.get(t)) {
            for id in extra {
                if shown.insert(id.clone()) {
                    ids.push(id.clone());
                }
            }
        }
        layout.push((Some(s.clone()), ids));
    }
    let all: Vec<String> = layout.iter().flat_map(|(_, ids)| ids.iter().cloned()).collect();
    let monitors: HashMap<String, crate::domain::Monitor> =
        store.monitors_by_ids(&all).await?.into_iter().map(|m| (m.id.clone(), m)).collect();
    let mut beats = store.latest_heartbeats(&all, BEATS_SHOWN).await?;
    let mut tags = if page.show_tags { store.tag_labels(&all).await? } else { HashMap::new() };
    let now = now_millis();
    let mut groups = Vec::with_capacity(layout.len());
    for (section, ids) in layout {
        let mut list = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(m) = monitors.get(&id) else { continue };
            let day = UptimeWindow::Day;
            let total = store.rollup_total(&id, day.granularity(), day.first_bucket(now), now + 1).await?;
            let cert_days = if page.show_certificate_expiry {
                store
                    .tls_info(&id)
                    .await?
                    .and_then(|t| t.chain.first().map(|c| (c.not_after - now).div_euclid(86_400_000)))
            } else {
                None
            };
            list.push(PublicMonitor {
                name: m.name.clone(),
                kind: m.kind.clone(),
                status: m.status,
                active: m.active,
                uptime_24h: total.uptime_percent(),
                beats: beats.remove(&id).unwrap_or_default(),
                cert_days,
                tags: tags.remove(&id).unwrap_or_default(),
                id,
            });
        }
        if section.is_some() || !list.is_empty() {
            groups.push(PublicGroup { section, monitors: list });
        }
    }
    let incidents = store.incidents(&page.id, INCIDENTS_SHOWN).await?;
    Ok(Snapshot {
        monitor_ids: all.into_iter().collect(),
        page,
        groups,
        incidents,
        built_at: now,
        born: Instant::now(),
        stale: AtomicBool::new(false),
        html: OnceLock::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_drop_port_case_and_dot() {
        assert_eq!(host_name("Status.Example.com:8080"), "status.example.com");
        assert_eq!(host_name("status.example.com."), "status.example.com");
        assert_eq!(host_name("[::1]:80"), "[::1]");
        assert_eq!(host_name("localhost"), "localhost");
    }

    #[test]
    fn cookies_are_found_by_name() {
        let req = Request::builder().header("cookie", "a=1; peekaping_sp_x=9.sig; b=2").finish();
        assert_eq!(cookie_value(&req, "peekaping_sp_x").as_deref(), Some("9.sig"));
        assert_eq!(cookie_value(&req, "c"), None);
    }
}

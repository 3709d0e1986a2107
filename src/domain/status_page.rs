//! Status pages and their incidents: the public face of a set of monitors. Validation
//! names the field at fault; `sanitize_css` is the one place custom CSS is made safe to
//! inline. No I/O here: the store keeps pages, the API renders them.

use serde::{Deserialize, Serialize};

use super::UnixMillis;
use super::monitor::ValidationError;

pub const SLUG_MAX: usize = 100;
pub const TITLE_MAX: usize = 200;
pub const TEXT_MAX: usize = 10_000;
pub const CSS_MAX: usize = 100_000;
/// Icons may be inline `data:image/…` URLs, so they may be long.
pub const ICON_MAX: usize = 200_000;
pub const DOMAIN_MAX: usize = 253;
pub const PASSWORD_MAX: usize = 200;
pub const THEMES: [&str; 3] = ["light", "dark", "auto"];
/// Shortest auto-refresh (seconds) other than 0 (off): a page open on a wall screen should
/// not poll the server every second.
pub const MIN_AUTO_REFRESH: u32 = 10;
pub const MAX_AUTO_REFRESH: u32 = 86_400;

/// A stored status page. `monitor_ids` are the monitors shown outside any section.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusPage {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub icon: String,
    pub theme: String,
    pub published: bool,
    pub footer_text: String,
    /// Seconds between automatic reloads of the public page; 0 turns it off.
    pub auto_refresh_interval: u32,
    /// Already sanitised (`sanitize_css`).
    pub custom_css: String,
    /// argon2id PHC string; `None` when the page is open to everyone.
    pub password_hash: Option<String>,
    pub search_engine_index: bool,
    pub show_tags: bool,
    pub show_powered_by: bool,
    pub show_certificate_expiry: bool,
    /// Lower-case host names that serve this page at `/`.
    pub domains: Vec<String>,
    pub monitor_ids: Vec<String>,
    pub sections: Vec<StatusPageSection>,
    pub created_at: UnixMillis,
    pub updated_at: UnixMillis,
}

impl StatusPage {
    /// Every monitor listed by id (not the ones a tag section pulls in), in page order.
    pub fn listed_monitor_ids(&self) -> Vec<String> {
        let mut ids = self.monitor_ids.clone();
        for s in &self.sections {
            ids.extend(s.monitor_ids.iter().cloned());
        }
        ids
    }
}

/// A titled group of monitors on a page: the listed ones in order, then (with `tag_id`)
/// every other monitor carrying that tag.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusPageSection {
    pub id: String,
    pub name: String,
    pub tag_id: Option<String>,
    pub monitor_ids: Vec<String>,
}

/// A section as a client writes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SectionDraft {
    pub name: String,
    pub tag_id: Option<String>,
    pub monitor_ids: Vec<String>,
}

/// The editable fields of a page as a client writes them (the password is the API's concern).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusPageDraft {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub icon: String,
    pub theme: String,
    pub published: bool,
    pub footer_text: String,
    /// Wider than stored so a negative or huge number is reported, not wrapped.
    pub auto_refresh_interval: i64,
    pub custom_css: String,
    pub search_engine_index: bool,
    pub show_tags: bool,
    pub show_powered_by: bool,
    pub show_certificate_expiry: bool,
    pub domains: Vec<String>,
    pub monitor_ids: Vec<String>,
    pub sections: Vec<SectionDraft>,
}

impl Default for StatusPageDraft {
    fn default() -> Self {
        Self {
            slug: String::new(),
            title: String::new(),
            description: String::new(),
            icon: String::new(),
            theme: "light".into(),
            published: true,
            footer_text: String::new(),
            auto_refresh_interval: 300,
            custom_css: String::new(),
            search_engine_index: true,
            show_tags: false,
            show_powered_by: true,
            show_certificate_expiry: false,
            domains: Vec::new(),
            monitor_ids: Vec::new(),
            sections: Vec::new(),
        }
    }
}

impl From<&StatusPage> for StatusPageDraft {
    fn from(p: &StatusPage) -> Self {
        Self {
            slug: p.slug.clone(),
            title: p.title.clone(),
            description: p.description.clone(),
            icon: p.icon.clone(),
            theme: p.theme.clone(),
            published: p.published,
            footer_text: p.footer_text.clone(),
            auto_refresh_interval: i64::from(p.auto_refresh_interval),
            custom_css: p.custom_css.clone(),
            search_engine_index: p.search_engine_index,
            show_tags: p.show_tags,
            show_powered_by: p.show_powered_by,
            show_certificate_expiry: p.show_certificate_expiry,
            domains: p.domains.clone(),
            monitor_ids: p.monitor_ids.clone(),
            sections: p
                .sections
                .iter()
                .map(|s| SectionDraft {
                    name: s.name.clone(),
                    tag_id: s.tag_id.clone(),
                    monitor_ids: s.monitor_ids.clone(),
                })
                .collect(),
        }
    }
}

fn too_long(field: &str, value: &str, max: usize) -> Result<(), ValidationError> {
    if value.chars().count() > max {
        return Err(ValidationError::new(field, format!("must be at most {max} characters")));
    }
    Ok(())
}

/// Checks a slug: lower-case letters, digits and inner dashes.
pub fn validate_slug(slug: &str) -> Result<(), ValidationError> {
    if slug.is_empty() {
        return Err(ValidationError::new("slug", "is required"));
    }
    too_long("slug", slug, SLUG_MAX)?;
    let ok = slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if !ok {
        return Err(ValidationError::new(
            "slug",
            "may contain only lower-case letters a-z, digits and inner dashes (e.g. my-service)",
        ));
    }
    Ok(())
}

/// Normalises a custom domain (lower case, no scheme, port or path) or says why it is not one.
pub fn normalize_domain(raw: &str) -> Result<String, ValidationError> {
    let d = raw.trim().trim_end_matches('.').to_ascii_lowercase();
    let bad = || {
        ValidationError::new(
            "domains",
            format!("\"{raw}\" is not a host name: give it without scheme, port or path (e.g. status.example.com)"),
        )
    };
    if d.is_empty() || d.len() > DOMAIN_MAX {
        return Err(bad());
    }
    let labels_ok = d.split('.').all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    });
    if !labels_ok {
        return Err(bad());
    }
    Ok(d)
}

/// An icon is an https URL, a path on this server, or an inline image.
fn validate_icon(icon: &str) -> Result<(), ValidationError> {
    too_long("icon", icon, ICON_MAX)?;
    if icon.is_empty()
        || icon.starts_with("https://")
        || (icon.starts_with('/') && !icon.starts_with("//"))
        || icon.starts_with("data:image/")
    {
        return Ok(());
    }
    Err(ValidationError::new("icon", "must be an https:// URL, a path starting with /, or a data:image/ URL"))
}

impl StatusPageDraft {
    /// Checks every field and returns the normalised draft: trimmed texts, lower-case
    /// unique domains, sanitised CSS. A monitor may appear once per page.
    pub fn validate(mut self) -> Result<StatusPageDraft, ValidationError> {
        self.slug = self.slug.trim().to_string();
        validate_slug(&self.slug)?;
        self.title = self.title.trim().to_string();
        if self.title.is_empty() {
            return Err(ValidationError::new("title", "is required"));
        }
        too_long("title", &self.title, TITLE_MAX)?;
        too_long("description", &self.description, TEXT_MAX)?;
        too_long("footer_text", &self.footer_text, TEXT_MAX)?;
        self.icon = self.icon.trim().to_string();
        validate_icon(&self.icon)?;
        self.theme = self.theme.trim().to_ascii_lowercase();
        if !THEMES.contains(&self.theme.as_str()) {
            return Err(ValidationError::new("theme", "must be one of light, dark, auto"));
        }
        let r = self.auto_refresh_interval;
        if r != 0 && !(i64::from(MIN_AUTO_REFRESH)..=i64::from(MAX_AUTO_REFRESH)).contains(&r) {
            return Err(ValidationError::new(
                "auto_refresh_interval",
                format!("must be 0 (off) or between {MIN_AUTO_REFRESH} and {MAX_AUTO_REFRESH} seconds"),
            ));
        }
        too_long("custom_css", &self.custom_css, CSS_MAX)?;
        self.custom_css = sanitize_css(&self.custom_css);
        let mut domains: Vec<String> = Vec::with_capacity(self.domains.len());
        for d in &self.domains {
            let d = normalize_domain(d)?;
            if !domains.contains(&d) {
                domains.push(d);
            }
        }
        self.domains = domains;
        let mut seen = std::collections::HashSet::new();
        let mut check_ids = |field: &str, ids: &mut Vec<String>| -> Result<(), ValidationError> {
            for id in ids.iter_mut() {
                *id = id.trim().to_string();
                if id.is_empty() {
                    return Err(ValidationError::new(field, "contains an empty monitor id"));
                }
                if !seen.insert(id.clone()) {
                    return Err(ValidationError::new(
                        field,
                        format!("monitor \"{id}\" is listed more than once on this page"),
                    ));
                }
            }
            Ok(())
        };
        check_ids("monitor_ids", &mut self.monitor_ids)?;
        for (i, s) in self.sections.iter_mut().enumerate() {
            s.name = s.name.trim().to_string();
            if s.name.is_empty() {
                return Err(ValidationError::new(format!("sections[{i}].name"), "is required"));
            }
            too_long(&format!("sections[{i}].name"), &s.name, TITLE_MAX)?;
            s.tag_id = s.tag_id.take().map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
            check_ids(&format!("sections[{i}].monitor_ids"), &mut s.monitor_ids)?;
        }
        Ok(self)
    }
}

/// Makes user CSS safe to put inside `<style>`: it cannot close the element (`<` is
/// dropped: CSS needs it only inside strings), import other sheets, run script
/// (`expression(`, `javascript:`), or load anything but https or same-origin URLs.
/// Anything removed is simply gone; the rest of the sheet still applies.
pub fn sanitize_css(css: &str) -> String {
    let mut out = css.replace('<', "");
    for needle in ["@import", "expression(", "javascript:", "behavior:", "-moz-binding"] {
        out = remove_ci(&out, needle);
    }
    rewrite_urls(&out)
}

/// Removes every case-insensitive occurrence of an ASCII `needle`, repeatedly, so that
/// removing one cannot splice another together (`@im@importport`).
fn remove_ci(s: &str, needle: &str) -> String {
    let mut cur = s.to_string();
    loop {
        let lower = cur.to_ascii_lowercase();
        let Some(i) = lower.find(needle) else { return cur };
        cur.replace_range(i..i + needle.len(), "");
    }
}

/// Keeps `url(…)` only for https and relative URLs; others become `none`.
fn rewrite_urls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    loop {
        let lower = rest.to_ascii_lowercase();
        let Some(i) = lower.find("url(") else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..i]);
        let after = &rest[i + 4..];
        let end = after.find(')').unwrap_or(after.len());
        let arg = after[..end].trim().trim_matches(|c| c == '"' || c == '\'').trim();
        if url_allowed(arg) {
            out.push_str(&rest[i..i + 4 + end]);
            if end < after.len() {
                out.push(')');
            }
        } else {
            out.push_str("none");
        }
        rest = if end < after.len() { &after[end + 1..] } else { "" };
    }
}

fn url_allowed(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") {
        return true;
    }
    if lower.starts_with("//") || lower.contains('\\') {
        return false;
    }
    // Relative: no scheme before the first path, query or fragment character.
    let head = lower.split(['/', '?', '#']).next().unwrap_or("");
    !head.contains(':')
}

/// How an incident is highlighted on the page (Uptime Kuma's styles).
pub const INCIDENT_STYLES: [&str; 6] = ["info", "warning", "danger", "primary", "light", "dark"];

/// Where an incident stands, as each update says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IncidentStatus {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
}

impl IncidentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Investigating => "investigating",
            Self::Identified => "identified",
            Self::Monitoring => "monitoring",
            Self::Resolved => "resolved",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "investigating" => Self::Investigating,
            "identified" => Self::Identified,
            "monitoring" => Self::Monitoring,
            "resolved" => Self::Resolved,
            _ => return None,
        })
    }
}

/// An incident posted on a status page, with its updates oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incident {
    pub id: String,
    pub status_page_id: String,
    pub title: String,
    pub style: String,
    pub message: String,
    pub resolved_at: Option<UnixMillis>,
    pub created_at: UnixMillis,
    pub updated_at: UnixMillis,
    pub updates: Vec<IncidentUpdate>,
}

impl Incident {
    /// The status of the latest update; a fresh incident is being investigated.
    pub fn status(&self) -> IncidentStatus {
        if self.resolved_at.is_some() {
            return IncidentStatus::Resolved;
        }
        self.updates.last().map_or(IncidentStatus::Investigating, |u| u.status)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentUpdate {
    pub id: String,
    pub incident_id: String,
    pub status: IncidentStatus,
    pub message: String,
    pub created_at: UnixMillis,
}

/// Checks an incident's title, style and message; returns them trimmed.
pub fn validate_incident(title: &str, style: &str, message: &str) -> Result<(String, String, String), ValidationError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(ValidationError::new("title", "is required"));
    }
    too_long("title", title, TITLE_MAX)?;
    let style = style.trim().to_ascii_lowercase();
    if !INCIDENT_STYLES.contains(&style.as_str()) {
        return Err(ValidationError::new("style", format!("must be one of {}", INCIDENT_STYLES.join(", "))));
    }
    too_long("message", message, TEXT_MAX)?;
    Ok((title.to_string(), style, message.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> StatusPageDraft {
        StatusPageDraft { slug: "my-page".into(), title: "My page".into(), ..Default::default() }
    }

    fn field(d: StatusPageDraft) -> String {
        d.validate().unwrap_err().field
    }

    #[test]
    fn a_minimal_page_is_valid_with_defaults() {
        let v = draft().validate().unwrap();
        assert_eq!((v.theme.as_str(), v.auto_refresh_interval, v.published), ("light", 300, true));
    }

    #[test]
    fn every_bad_field_is_named() {
        assert_eq!(field(StatusPageDraft { slug: "My Page".into(), ..draft() }), "slug");
        assert_eq!(field(StatusPageDraft { slug: "-x".into(), ..draft() }), "slug");
        assert_eq!(field(StatusPageDraft { slug: String::new(), ..draft() }), "slug");
        assert_eq!(field(StatusPageDraft { title: " ".into(), ..draft() }), "title");
        assert_eq!(field(StatusPageDraft { theme: "pink".into(), ..draft() }), "theme");
        assert_eq!(field(StatusPageDraft { auto_refresh_interval: 5, ..draft() }), "auto_refresh_interval");
        assert_eq!(field(StatusPageDraft { auto_refresh_interval: -1, ..draft() }), "auto_refresh_interval");
        assert_eq!(field(StatusPageDraft { icon: "javascript:alert(1)".into(), ..draft() }), "icon");
        assert_eq!(field(StatusPageDraft { domains: vec!["https://x.com/".into()], ..draft() }), "domains");
        assert_eq!(
            field(StatusPageDraft {
                monitor_ids: vec!["a".into()],
                sections: vec![SectionDraft { name: "S".into(), monitor_ids: vec!["a".into()], tag_id: None }],
                ..draft()
            }),
            "sections[0].monitor_ids"
        );
        assert_eq!(
            field(StatusPageDraft {
                sections: vec![SectionDraft { name: "".into(), ..Default::default() }],
                ..draft()
            }),
            "sections[0].name"
        );
    }

    #[test]
    fn domains_are_lowercased_and_deduplicated() {
        let v = StatusPageDraft { domains: vec!["Status.Example.com.".into(), "status.example.com".into()], ..draft() }
            .validate()
            .unwrap();
        assert_eq!(v.domains, vec!["status.example.com"]);
    }

    #[test]
    fn css_cannot_escape_style_or_load_foreign_things() {
        let css = "body{color:red}</style><script>alert(1)</script>\
                   @import url(http://evil/x.css); @IM@importPORT 'y';\
                   .a{width:expression(alert(1))} .b{background:url(javascript:alert(1))}\
                   .c{background:url('http://plain/x.png')} .d{background:url(\"https://ok/x.png\")}\
                   .e{background:url(/img/x.png)} .f{background:url(data:image/png;base64,AAA)}";
        let out = sanitize_css(css);
        let lower = out.to_ascii_lowercase();
        for bad in ["</style", "<script", "@import", "expression(", "javascript:", "http://", "data:"] {
            assert!(!lower.contains(bad), "{bad} survived in {out}");
        }
        assert!(out.contains("body{color:red}"), "{out}");
        assert!(out.contains("url(\"https://ok/x.png\")"), "{out}");
        assert!(out.contains("url(/img/x.png)"), "{out}");
        assert!(out.contains(".c{background:none}"), "{out}");
    }

    #[test]
    fn an_incident_is_resolved_by_its_last_update() {
        let mut i = Incident {
            id: "i".into(),
            status_page_id: "p".into(),
            title: "t".into(),
            style: "warning".into(),
            message: String::new(),
            resolved_at: None,
            created_at: 0,
            updated_at: 0,
            updates: vec![],
        };
        assert_eq!(i.status(), IncidentStatus::Investigating);
        i.updates.push(IncidentUpdate {
            id: "u".into(),
            incident_id: "i".into(),
            status: IncidentStatus::Monitoring,
            message: "m".into(),
            created_at: 1,
        });
        assert_eq!(i.status(), IncidentStatus::Monitoring);
        i.resolved_at = Some(2);
        assert_eq!(i.status(), IncidentStatus::Resolved);
        assert_eq!(validate_incident("x", "pink", "").unwrap_err().field, "style");
        assert_eq!(validate_incident(" ", "info", "").unwrap_err().field, "title");
    }
}

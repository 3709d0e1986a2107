//! Tags: named, coloured labels for monitors, with an optional per-monitor value (as
//! Uptime Kuma has: tag `env` with value `prod`). Validation names the field at fault.

use serde::{Deserialize, Serialize};

use super::UnixMillis;
use super::monitor::ValidationError;

pub const NAME_MAX: usize = 100;
pub const DESCRIPTION_MAX: usize = 1000;
pub const VALUE_MAX: usize = 255;
pub const DEFAULT_COLOR: &str = "#3B82F6";

/// A stored tag.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub id: String,
    pub name: String,
    /// `#RGB` or `#RRGGBB`.
    pub color: String,
    pub description: String,
    pub created_at: UnixMillis,
    pub updated_at: UnixMillis,
}

/// One link of a monitor to a tag, with the monitor's value for it (may be empty). A
/// monitor may carry the same tag several times with different values.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MonitorTag {
    pub tag_id: String,
    #[serde(default)]
    pub value: String,
}

/// A tag as a client writes it (create, full update).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TagDraft {
    pub name: String,
    pub color: Option<String>,
    pub description: String,
}

/// Valid tag fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidTag {
    pub name: String,
    pub color: String,
    pub description: String,
}

/// Whether `c` is `#RGB` or `#RRGGBB`.
pub fn is_hex_color(c: &str) -> bool {
    c.strip_prefix('#').is_some_and(|h| (h.len() == 3 || h.len() == 6) && h.chars().all(|c| c.is_ascii_hexdigit()))
}

impl TagDraft {
    pub fn validate(&self) -> Result<ValidTag, ValidationError> {
        let name = self.name.trim().to_string();
        if name.is_empty() {
            return Err(ValidationError::new("name", "is required"));
        }
        if name.chars().count() > NAME_MAX {
            return Err(ValidationError::new("name", format!("must be at most {NAME_MAX} characters")));
        }
        let color = match self.color.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            None => DEFAULT_COLOR.to_string(),
            Some(c) if is_hex_color(c) => c.to_ascii_uppercase(),
            Some(_) => return Err(ValidationError::new("color", "must be a hex colour like #3B82F6 or #F00")),
        };
        if self.description.chars().count() > DESCRIPTION_MAX {
            return Err(ValidationError::new("description", format!("must be at most {DESCRIPTION_MAX} characters")));
        }
        Ok(ValidTag { name, color, description: self.description.clone() })
    }
}

/// Checks a monitor's tag links: values bounded, no link listed twice. Returns them
/// trimmed and de-duplicated, in the order given.
pub fn validate_monitor_tags(tags: &[MonitorTag]) -> Result<Vec<MonitorTag>, ValidationError> {
    let mut out: Vec<MonitorTag> = Vec::with_capacity(tags.len());
    for t in tags {
        let link = MonitorTag { tag_id: t.tag_id.trim().to_string(), value: t.value.trim().to_string() };
        if link.tag_id.is_empty() {
            return Err(ValidationError::new("tags", "every tag needs a tag_id"));
        }
        if link.value.chars().count() > VALUE_MAX {
            return Err(ValidationError::new("tags", format!("a tag value must be at most {VALUE_MAX} characters")));
        }
        if !out.contains(&link) {
            out.push(link);
        }
    }
    Ok(out)
}

/// The links a Peekaping client means by `tag_ids` alone: the tags listed, keeping the
/// values the monitor already has for them, with an empty value for new ones.
pub fn links_from_tag_ids(tag_ids: &[String], existing: &[MonitorTag]) -> Vec<MonitorTag> {
    let mut out: Vec<MonitorTag> = Vec::new();
    for id in tag_ids {
        let kept: Vec<&MonitorTag> = existing.iter().filter(|t| &t.tag_id == id).collect();
        if kept.is_empty() {
            out.push(MonitorTag { tag_id: id.clone(), value: String::new() });
        } else {
            out.extend(kept.into_iter().cloned());
        }
    }
    let mut seen = Vec::new();
    out.retain(|t| {
        let fresh = !seen.contains(t);
        seen.push(t.clone());
        fresh
    });
    out
}

/// The distinct tag ids of a set of links, in order (the `tag_ids` field).
pub fn tag_ids_of(tags: &[MonitorTag]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for t in tags {
        if !ids.contains(&t.tag_id) {
            ids.push(t.tag_id.clone());
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(id: &str, v: &str) -> MonitorTag {
        MonitorTag { tag_id: id.into(), value: v.into() }
    }

    #[test]
    fn colour_defaults_and_must_be_hex() {
        let d = TagDraft { name: " prod ".into(), ..Default::default() };
        let v = d.validate().unwrap();
        assert_eq!((v.name.as_str(), v.color.as_str()), ("prod", DEFAULT_COLOR));
        let v = TagDraft { color: Some("#f0a".into()), ..d.clone() }.validate().unwrap();
        assert_eq!(v.color, "#F0A");
        for bad in ["red", "#12", "#1234567", "#GGGGGG", "3B82F6"] {
            let e = TagDraft { color: Some(bad.into()), ..d.clone() }.validate().unwrap_err();
            assert_eq!(e.field, "color", "{bad}");
        }
    }

    #[test]
    fn names_are_required_and_bounded() {
        assert_eq!(TagDraft::default().validate().unwrap_err().field, "name");
        let long = TagDraft { name: "x".repeat(NAME_MAX + 1), ..Default::default() };
        assert_eq!(long.validate().unwrap_err().field, "name");
        assert!(TagDraft { name: "x".repeat(NAME_MAX), ..Default::default() }.validate().is_ok());
    }

    #[test]
    fn tag_ids_alone_keep_the_values_already_set() {
        let existing = vec![link("a", "prod"), link("a", "eu"), link("b", "")];
        let out = links_from_tag_ids(&["a".into(), "c".into()], &existing);
        assert_eq!(out, vec![link("a", "prod"), link("a", "eu"), link("c", "")]);
        assert_eq!(tag_ids_of(&out), vec!["a".to_string(), "c".into()]);
    }

    #[test]
    fn monitor_tag_links_are_trimmed_deduplicated_and_bounded() {
        let out = validate_monitor_tags(&[link("a", " x "), link("a", "x"), link("a", "y")]).unwrap();
        assert_eq!(out, vec![link("a", "x"), link("a", "y")]);
        assert_eq!(validate_monitor_tags(&[link(" ", "")]).unwrap_err().field, "tags");
        assert_eq!(validate_monitor_tags(&[link("a", &"v".repeat(256))]).unwrap_err().field, "tags");
    }
}

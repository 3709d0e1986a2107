//! SVG badges in the shields.io look (flat, flat-square, plastic, for-the-badge, social)
//! and a response-time sparkline. Pure rendering: text widths come from a per-character
//! table of Verdana 11px (as shields.io measures), every text is XML-escaped and every
//! colour is checked before it reaches an attribute.

use std::fmt::Write as _;

use super::markup::escape;

/// The badge looks of shields.io.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Style {
    #[default]
    Flat,
    FlatSquare,
    Plastic,
    ForTheBadge,
    Social,
}

impl Style {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "flat" => Self::Flat,
            "flat-square" => Self::FlatSquare,
            "plastic" => Self::Plastic,
            "for-the-badge" => Self::ForTheBadge,
            "social" => Self::Social,
            _ => return None,
        })
    }
}

/// Shields.io's named colours; other names pass as CSS colour names.
const NAMED: &[(&str, &str)] = &[
    ("brightgreen", "#4c1"),
    ("green", "#97ca00"),
    ("yellowgreen", "#a4a61d"),
    ("yellow", "#dfb317"),
    ("orange", "#fe7d37"),
    ("red", "#e05d44"),
    ("blue", "#007ec6"),
    ("lightgrey", "#9f9f9f"),
    ("lightgray", "#9f9f9f"),
    ("grey", "#555"),
    ("gray", "#555"),
    ("success", "#4c1"),
    ("important", "#fe7d37"),
    ("critical", "#e05d44"),
    ("informational", "#007ec6"),
    ("inactive", "#9f9f9f"),
];

/// A colour safe to put in an attribute: a shields.io name, a CSS name, or hex (with or
/// without `#`, 3, 4, 6 or 8 digits). None for anything else.
pub fn color(v: &str) -> Option<String> {
    let v = v.trim();
    if let Some((_, hex)) = NAMED.iter().find(|(n, _)| n.eq_ignore_ascii_case(v)) {
        return Some((*hex).to_string());
    }
    let hex = v.strip_prefix('#').unwrap_or(v);
    if matches!(hex.len(), 3 | 4 | 6 | 8) && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Some(format!("#{}", hex.to_ascii_lowercase()));
    }
    if !v.is_empty() && v.len() <= 20 && v.chars().all(|c| c.is_ascii_alphabetic()) {
        return Some(v.to_ascii_lowercase());
    }
    None
}

/// Widths (px) of ASCII 32..=126 in Verdana 11px, as shields.io measures text.
const VERDANA_11: [f32; 95] = [
    3.87, 4.33, 5.05, 9.0, 7.0, 11.84, 7.99, 2.95, 4.99, 4.99, 7.0, 9.0, 4.0, 4.99, 4.0, 4.99, // ' '..'/'
    7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, // digits
    4.99, 4.99, 9.0, 9.0, 9.0, 6.0, 11.0, // ':'..'@'
    7.52, 7.54, 7.68, 8.48, 6.96, 6.32, 8.53, 8.27, 4.62, 5.0, 7.62, 6.12, 9.27, 8.23, 8.66, 6.63, 8.66, 7.65, 7.52,
    6.78, 8.05, 7.52, 10.88, 7.54, 6.77, 7.54, // 'A'..'Z'
    4.99, 4.99, 4.99, 9.0, 7.0, 7.0, // '['..'`'
    6.61, 6.85, 5.73, 6.85, 6.55, 3.87, 6.85, 6.96, 3.02, 3.79, 6.51, 3.02, 10.71, 6.96, 6.68, 6.85, 6.85, 4.69, 5.73,
    4.33, 6.96, 6.51, 8.97, 6.51, 6.51, 5.83, // 'a'..'z'
    6.98, 4.99, 6.98, 9.0, // '{'..'~'
];

/// Estimated width of `text` in Verdana 11px.
pub fn text_width(text: &str) -> f32 {
    text.chars()
        .map(|c| match c as u32 {
            32..=126 => VERDANA_11[(c as u32 - 32) as usize],
            // Wide scripts (CJK, emoji) take about a square; other letters an average one.
            0x1100.. if c.len_utf8() >= 3 => 11.0,
            _ => 7.0,
        })
        .sum()
}

/// A two-part badge.
#[derive(Clone, Debug, PartialEq)]
pub struct Badge {
    pub label: String,
    pub message: String,
    /// Message background (already checked with `color`).
    pub color: String,
    pub label_color: String,
    pub style: Style,
}

const FONT: &str = "Verdana,Geneva,DejaVu Sans,sans-serif";

fn round_up(w: f32) -> u32 {
    w.ceil() as u32
}

impl Badge {
    pub fn render(&self) -> String {
        match self.style {
            Style::ForTheBadge => self.render_for_the_badge(),
            Style::Social => self.render_social(),
            s => self.render_flat_like(s),
        }
    }

    fn render_flat_like(&self, style: Style) -> String {
        let (label, message) = (escape(&self.label), escape(&self.message));
        let (ltw, mtw) = (round_up(text_width(&self.label)), round_up(text_width(&self.message)));
        let has_label = !self.label.is_empty();
        let lw = if has_label { ltw + 10 } else { 0 };
        let mw = mtw + 10;
        let w = lw + mw;
        let (h, rx, text_y, shadow_y) = match style {
            Style::Plastic => (18, 4, 130, 140),
            Style::FlatSquare => (20, 0, 140, 150),
            _ => (20, 3, 140, 150),
        };
        let gradient = match style {
            Style::Flat => {
                r##"<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>"##
            }
            Style::Plastic => {
                r##"<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#fff" stop-opacity=".7"/><stop offset=".1" stop-color="#aaa" stop-opacity=".1"/><stop offset=".9" stop-color="#000" stop-opacity=".3"/><stop offset="1" stop-color="#000" stop-opacity=".5"/></linearGradient>"##
            }
            _ => "",
        };
        let title = if has_label { format!("{label}: {message}") } else { message.clone() };
        let mut s = String::with_capacity(1024);
        let _ = write!(
            s,
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" role="img" aria-label="{title}"><title>{title}</title>{gradient}<clipPath id="r"><rect width="{w}" height="{h}" rx="{rx}" fill="#fff"/></clipPath><g clip-path="url(#r)"{crisp}><rect width="{lw}" height="{h}" fill="{lc}"/><rect x="{lw}" width="{mw}" height="{h}" fill="{mc}"/>"##,
            crisp = if style == Style::FlatSquare { r##" shape-rendering="crispEdges""## } else { "" },
            lc = self.label_color,
            mc = self.color,
        );
        if !gradient.is_empty() {
            let _ = write!(s, r##"<rect width="{w}" height="{h}" fill="url(#s)"/>"##);
        }
        let _ = write!(
            s,
            r##"</g><g fill="#fff" text-anchor="middle" font-family="{FONT}" text-rendering="geometricPrecision" font-size="110">"##
        );
        let mut text = |x: u32, tw: u32, t: &str| {
            if style != Style::FlatSquare {
                let _ = write!(
                    s,
                    r##"<text aria-hidden="true" x="{x}" y="{shadow_y}" fill="#010101" fill-opacity=".3" transform="scale(.1)" textLength="{tl}">{t}</text>"##,
                    tl = tw * 10
                );
            }
            let _ = write!(
                s,
                r##"<text x="{x}" y="{text_y}" transform="scale(.1)" fill="#fff" textLength="{tl}">{t}</text>"##,
                tl = tw * 10
            );
        };
        if has_label {
            text(lw * 5, ltw, &label);
        }
        text(lw * 10 + mw * 5, mtw, &message);
        s.push_str("</g></svg>");
        s
    }

    fn render_for_the_badge(&self) -> String {
        let (lu, mu) = (self.label.to_uppercase(), self.message.to_uppercase());
        // 10px bold caps with 1.25px letter spacing: about Verdana 11px plus the spacing.
        let width = |t: &str| round_up(text_width(t) * 1.0 + 1.25 * t.chars().count() as f32);
        let (ltw, mtw) = (width(&lu), width(&mu));
        let has_label = !lu.is_empty();
        let lw = if has_label { ltw + 24 } else { 0 };
        let mw = mtw + 24;
        let w = lw + mw;
        let (label, message) = (escape(&lu), escape(&mu));
        let title = if has_label { format!("{label}: {message}") } else { message.clone() };
        let mut s = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="28" role="img" aria-label="{title}"><title>{title}</title><g shape-rendering="crispEdges"><rect width="{lw}" height="28" fill="{lc}"/><rect x="{lw}" width="{mw}" height="28" fill="{mc}"/></g><g fill="#fff" text-anchor="middle" font-family="{FONT}" text-rendering="geometricPrecision" font-size="100">"##,
            lc = self.label_color,
            mc = self.color
        );
        if has_label {
            let _ = write!(
                s,
                r##"<text transform="scale(.1)" x="{x}" y="175" textLength="{tl}" fill="#fff">{label}</text>"##,
                x = lw * 5,
                tl = ltw * 10
            );
        }
        let _ = write!(
            s,
            r##"<text transform="scale(.1)" x="{x}" y="175" textLength="{tl}" fill="#fff" font-weight="bold">{message}</text></g></svg>"##,
            x = lw * 10 + mw * 5,
            tl = mtw * 10
        );
        s
    }

    fn render_social(&self) -> String {
        let (label, message) = (escape(&self.label), escape(&self.message));
        let (ltw, mtw) = (round_up(text_width(&self.label)), round_up(text_width(&self.message)));
        let lw = ltw + 10;
        let mw = mtw + 10;
        let bubble_x = lw + 6;
        let w = bubble_x + mw + 1;
        format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="20" role="img" aria-label="{label}: {message}"><title>{label}: {message}</title><linearGradient id="a" x2="0" y2="100%"><stop offset="0" stop-color="#fcfcfc" stop-opacity="0"/><stop offset="1" stop-opacity=".1"/></linearGradient><g stroke="#d5d5d5"><rect stroke="none" fill="#fcfcfc" x="0.5" y="0.5" width="{lw}" height="19" rx="2"/><rect y="0.5" x="{bubble_x}.5" width="{mw}" height="19" rx="2" fill="#fafafa"/><rect x="{tip}" y="7.5" width="0.5" height="5" stroke="#fafafa"/><path d="M{tipp}.5 6.5 l-3 3v1 l3 3" fill="#fafafa"/></g><rect x="0.5" y="0.5" width="{lw}" height="19" rx="2" fill="url(#a)" stroke="none"/><g text-anchor="middle" font-family="{FONT}" text-rendering="geometricPrecision" font-weight="700" font-size="110"><text x="{lx}" y="140" transform="scale(.1)" fill="#333" textLength="{ltl}">{label}</text><text x="{mx}" y="140" transform="scale(.1)" fill="#333" textLength="{mtl}">{message}</text></g></svg>"##,
            tip = bubble_x,
            tipp = bubble_x,
            lx = lw * 5 + 5,
            ltl = ltw * 10,
            mx = bubble_x * 10 + mw * 5 + 5,
            mtl = mtw * 10,
        )
    }
}

/// A label and a small line chart of response times (ms), oldest first; `None` marks a
/// bucket without data (a gap in the line).
pub fn sparkline(label: &str, points: &[Option<f64>], stroke: &str, label_color: &str, style: Style) -> String {
    const CHART_W: u32 = 80;
    let label_text = escape(label);
    let ltw = round_up(text_width(label));
    let lw = ltw + 10;
    let w = lw + CHART_W;
    let rx = if matches!(style, Style::FlatSquare | Style::ForTheBadge) { 0 } else { 3 };
    let max = points.iter().flatten().copied().fold(0.0_f64, f64::max);
    let mut path = String::new();
    let n = points.len().max(2) - 1;
    // Points in the current run; a run of one is drawn as a dot (a tiny segment with round caps).
    let mut run = 0;
    for (i, p) in points.iter().enumerate() {
        match p {
            Some(v) => {
                let x = f64::from(lw) + 2.0 + i as f64 * f64::from(CHART_W - 4) / n as f64;
                let y = if max > 0.0 { 17.0 - v / max * 14.0 } else { 17.0 };
                let _ = write!(path, "{}{x:.1} {y:.1} ", if run > 0 { "L" } else { "M" });
                run += 1;
            }
            None => {
                if run == 1 {
                    path.push_str("h0.01 ");
                }
                run = 0;
            }
        }
    }
    if run == 1 {
        path.push_str("h0.01 ");
    }
    let latest =
        points.iter().rev().flatten().next().map(|v| format!("{}ms", v.round())).unwrap_or_else(|| "no data".into());
    let latest = escape(&latest);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="20" role="img" aria-label="{label_text}: {latest}"><title>{label_text}: {latest}</title><clipPath id="r"><rect width="{w}" height="20" rx="{rx}" fill="#fff"/></clipPath><g clip-path="url(#r)"><rect width="{lw}" height="20" fill="{label_color}"/><rect x="{lw}" width="{CHART_W}" height="20" fill="#f6f8fa"/></g><g fill="#fff" text-anchor="middle" font-family="{FONT}" text-rendering="geometricPrecision" font-size="110"><text x="{lx}" y="140" transform="scale(.1)" fill="#fff" textLength="{ltl}">{label_text}</text></g><path d="{path}" fill="none" stroke="{stroke}" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round"/></svg>"##,
        path = path.trim_end(),
        lx = lw * 5,
        ltl = ltw * 10,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal XML well-formedness check: tags nest and close, attributes are quoted,
    /// and no raw `<`/`&` sits in text.
    fn assert_well_formed(svg: &str) {
        let mut stack: Vec<String> = Vec::new();
        let mut rest = svg;
        while let Some(i) = rest.find('<') {
            let text = &rest[..i];
            assert!(!text.contains('>'), "stray '>' in text {text:?}");
            for (j, _) in text.match_indices('&') {
                let ent = &text[j..];
                assert!(
                    ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].iter().any(|e| ent.starts_with(e)),
                    "raw & in {text:?}"
                );
            }
            let end = rest[i..].find('>').expect("unclosed tag") + i;
            let tag = &rest[i + 1..end];
            assert!(!tag.contains('<'), "'<' inside tag {tag:?}");
            assert_eq!(tag.matches('"').count() % 2, 0, "unbalanced quotes in {tag:?}");
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop().as_deref(), Some(name), "mismatched close {name}");
            } else if !tag.ends_with('/') {
                stack.push(tag.split_whitespace().next().unwrap().to_string());
            }
            rest = &rest[end + 1..];
        }
        assert!(stack.is_empty(), "unclosed {stack:?}");
        assert!(rest.trim().is_empty());
    }

    fn badge(style: Style) -> Badge {
        Badge {
            label: "Status <&> \"x\"".into(),
            message: "Up".into(),
            color: color("brightgreen").unwrap(),
            label_color: color("555").unwrap(),
            style,
        }
    }

    #[test]
    fn every_style_is_well_formed_and_escapes_text() {
        for style in [Style::Flat, Style::FlatSquare, Style::Plastic, Style::ForTheBadge, Style::Social] {
            let svg = badge(style).render();
            assert_well_formed(&svg);
            assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{style:?}");
            assert!(!svg.contains("<&>"), "{style:?}");
            assert!(svg.contains("&lt;&amp;&gt;") || svg.contains("&LT;"), "{style:?}: {svg}");
        }
    }

    #[test]
    fn sparklines_are_well_formed_with_gaps() {
        let svg =
            sparkline("Ping & <24h>", &[Some(10.0), None, Some(30.0), Some(20.0)], "#007ec6", "#555", Style::Flat);
        assert_well_formed(&svg);
        let d = svg.split("<path d=\"").nth(1).unwrap().split('"').next().unwrap();
        assert_eq!(d.matches('M').count(), 2, "two runs around the gap: {d}");
        assert_eq!(d.matches('L').count(), 1, "{d}");
        assert!(d.contains("h0.01"), "a lone point is drawn as a dot: {d}");
        assert!(svg.contains("20ms"));
        assert_well_formed(&sparkline("x", &[], "#000", "#555", Style::Flat));
    }

    #[test]
    fn widths_follow_the_verdana_table() {
        assert!((text_width("Up") - (8.05 + 6.85)).abs() < 0.01);
        assert!(text_width("WWW") > text_width("iii") * 3.0);
        let wide = badge(Style::Flat);
        let narrow = Badge { label: "a".into(), ..wide.clone() };
        let width =
            |svg: String| svg.split("width=\"").nth(1).unwrap().split('"').next().unwrap().parse::<u32>().unwrap();
        assert!(width(wide.render()) > width(narrow.render()));
    }

    #[test]
    fn colours_are_checked() {
        assert_eq!(color("red").as_deref(), Some("#e05d44"));
        assert_eq!(color("#ABC").as_deref(), Some("#abc"));
        assert_eq!(color("4c1").as_deref(), Some("#4c1"));
        assert_eq!(color("purple").as_deref(), Some("purple"));
        assert_eq!(color("\"/><script>"), None);
        assert_eq!(color("#12345"), None);
    }
}

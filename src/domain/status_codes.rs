//! Accepted HTTP status codes: classes (`2XX`), single codes (`204`) and ranges (`200-299`).
//!
//! Peekaping only knows the classes; Uptime Kuma users also write codes and ranges.

/// One accepted-status-code rule, parsed from the monitor's `accepted_statuscodes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusCodeRule {
    Class(u16),
    Exact(u16),
    Range(u16, u16),
}

impl StatusCodeRule {
    pub fn parse(s: &str) -> Result<Self, String> {
        let t = s.trim();
        let bad = || format!("\"{s}\" is not a status code, a class like \"2XX\" or a range like \"200-299\"");
        let code = |v: &str| -> Result<u16, String> {
            let n: u16 = v.trim().parse().map_err(|_| bad())?;
            if (100..=599).contains(&n) { Ok(n) } else { Err(format!("{n} is outside 100-599")) }
        };
        if t.len() == 3 && t[1..].eq_ignore_ascii_case("xx") {
            let class = t[..1].parse::<u16>().map_err(|_| bad())?;
            return if (1..=5).contains(&class) { Ok(Self::Class(class)) } else { Err(bad()) };
        }
        if let Some((a, b)) = t.split_once('-') {
            let (a, b) = (code(a)?, code(b)?);
            return if a <= b { Ok(Self::Range(a, b)) } else { Err(format!("range \"{t}\" runs backwards")) };
        }
        code(t).map(Self::Exact)
    }

    pub fn matches(self, status: u16) -> bool {
        match self {
            Self::Class(c) => status / 100 == c,
            Self::Exact(c) => status == c,
            Self::Range(a, b) => (a..=b).contains(&status),
        }
    }
}

/// Parses a whole list; an empty list means the default `2XX`.
pub fn parse_rules(list: &[String]) -> Result<Vec<StatusCodeRule>, String> {
    if list.is_empty() {
        return Ok(vec![StatusCodeRule::Class(2)]);
    }
    list.iter().map(|s| StatusCodeRule::parse(s)).collect()
}

pub fn accepts(rules: &[StatusCodeRule], status: u16) -> bool {
    rules.iter().any(|r| r.matches(status))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(v: &[&str]) -> Vec<StatusCodeRule> {
        parse_rules(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn classes_codes_and_ranges_all_match() {
        let r = rules(&["2XX", "301", "400-404"]);
        assert!(accepts(&r, 200) && accepts(&r, 299));
        assert!(accepts(&r, 301) && !accepts(&r, 302));
        assert!(accepts(&r, 400) && accepts(&r, 404) && !accepts(&r, 405));
        assert!(!accepts(&r, 500));
    }

    #[test]
    fn lowercase_class_is_accepted() {
        assert_eq!(StatusCodeRule::parse("3xx"), Ok(StatusCodeRule::Class(3)));
    }

    #[test]
    fn empty_list_means_2xx() {
        let r = rules(&[]);
        assert!(accepts(&r, 204) && !accepts(&r, 301));
    }

    #[test]
    fn nonsense_is_rejected_with_a_reason() {
        for bad in ["abc", "6XX", "99", "700", "300-200", "2X", ""] {
            assert!(StatusCodeRule::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }
}

//! What the network monitor types accept as a host: an IP address (IPv6 with or without
//! brackets) or a DNS name. Validation only; resolving is the worker's job.

use std::net::IpAddr;

use crate::domain::monitor::ValidationError;

/// The host without IPv6 brackets and surrounding blanks, as the checks use it.
pub fn bare_host(host: &str) -> &str {
    let h = host.trim();
    h.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(h)
}

/// Checks `host` is an IP address or a syntactically valid DNS name (labels of letters,
/// digits, `-` and `_`, at most 63 characters each and 253 in all; `*` as a whole label
/// when `wildcard` is allowed, for DNS queries). `field` names the config key in errors.
pub fn validate_host(field: &str, host: &str, wildcard: bool) -> Result<(), ValidationError> {
    let bad = |why: &str| Err(ValidationError::new(field, why.to_string()));
    let h = bare_host(host);
    if h.is_empty() {
        return bad("must be a host name or IP address");
    }
    if h.parse::<IpAddr>().is_ok() {
        return Ok(());
    }
    if h.contains(char::is_whitespace) || h.contains('/') || h.contains(':') {
        return bad("must be a host name or IP address, without a scheme, port or path");
    }
    let name = h.strip_suffix('.').unwrap_or(h);
    if name.len() > 253 {
        return bad("is longer than the 253 characters a DNS name may have");
    }
    for label in name.split('.') {
        if label.is_empty() {
            return bad("has an empty label (two dots in a row, or a leading dot)");
        }
        if label.len() > 63 {
            return bad("has a label longer than 63 characters");
        }
        let ok = label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') || (wildcard && label == "*");
        if !ok {
            return bad("may only contain letters, digits, '-', '_' and dots");
        }
    }
    Ok(())
}

/// A port that is set and non-zero.
pub fn validate_port(field: &str, port: u16) -> Result<(), ValidationError> {
    if port == 0 {
        return Err(ValidationError::new(field, "must be between 1 and 65535"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_names_are_hosts() {
        for ok in
            ["127.0.0.1", "::1", "[::1]", "localhost", "db.example.com.", "_sip._udp.example.com", "xn--bcher-kva.ch"]
        {
            assert!(validate_host("config.host", ok, false).is_ok(), "{ok}");
        }
    }

    #[test]
    fn urls_blanks_and_bad_labels_are_not_hosts() {
        let long = "a".repeat(64);
        for bad in ["", " ", "http://x", "a b", "a..b", ".a", "host:80", long.as_str(), "ex@mple.com", "*.example.com"]
        {
            let e = validate_host("config.host", bad, false).unwrap_err();
            assert_eq!(e.field, "config.host", "{bad}");
        }
        assert!(validate_host("config.host", "*.example.com", true).is_ok());
    }
}

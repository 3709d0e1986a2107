//! What the database monitor types share about connection strings: finding the password
//! in one (URL or `key=value` form) so it never reaches a message the user reads.
//!
//! Pure text handling; each type parses its own format with its driver's parser.

/// The password in a URL (`scheme://user:pass@host`) or a `key=value` string
/// (`password=…`, `pwd=…`; `;` or space separated), as written and percent-decoded.
pub fn passwords_in(conn: &str) -> Vec<String> {
    let mut found = Vec::new();
    if let Some((_, rest)) = conn.split_once("://") {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        if let Some((userinfo, _)) = authority.rsplit_once('@')
            && let Some((_, pass)) = userinfo.split_once(':')
        {
            found.push(pass.to_string());
            if let Ok(decoded) = urlencoding_decode(pass) {
                found.push(decoded);
            }
        }
        // URL query parameters may carry a password too (`?password=…`).
        if let Some((_, query)) = rest.split_once('?') {
            for pair in query.split('&') {
                if let Some((k, v)) = pair.split_once('=')
                    && is_password_key(k)
                {
                    found.push(v.to_string());
                    if let Ok(decoded) = urlencoding_decode(v) {
                        found.push(decoded);
                    }
                }
            }
        }
    } else {
        for (key, value) in key_values(conn) {
            if is_password_key(&key) {
                found.push(value);
            }
        }
    }
    found.retain(|p| !p.is_empty());
    found.sort();
    found.dedup();
    found
}

/// `conn` with every password replaced by `***`, fit to show (validation errors, logs).
pub fn redacted(conn: &str) -> String {
    hide(conn, &passwords_in(conn))
}

/// `text` with each of `secrets` replaced by `***`. Secrets shorter than 3 characters are
/// left alone: hiding every "a" would garble the message and protect nothing.
pub fn hide(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    let mut ordered: Vec<&String> = secrets.iter().filter(|s| s.chars().count() >= 3).collect();
    // Longest first, so a password containing another one is hidden whole.
    ordered.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for s in ordered {
        out = out.replace(s.as_str(), "***");
    }
    out
}

fn is_password_key(key: &str) -> bool {
    matches!(key.trim().to_ascii_lowercase().as_str(), "password" | "pwd" | "pass")
}

/// `key=value` pairs of a libpq (`a=b c='d e'`) or ADO (`A=b;C=d`) string.
fn key_values(conn: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let separator_is_semicolon = conn.contains(';');
    let mut rest = conn.trim();
    while !rest.is_empty() {
        let Some((key, after)) = rest.split_once('=') else { break };
        let key = key.trim().trim_start_matches(';').trim().to_string();
        let after = after.trim_start();
        let (value, remaining) = if let Some(quoted) = after.strip_prefix('\'') {
            match quoted.find('\'') {
                Some(end) => (quoted[..end].to_string(), &quoted[end + 1..]),
                None => (quoted.to_string(), ""),
            }
        } else if let Some(braced) = after.strip_prefix('{') {
            match braced.find('}') {
                Some(end) => (braced[..end].to_string(), &braced[end + 1..]),
                None => (braced.to_string(), ""),
            }
        } else {
            let end = if separator_is_semicolon {
                after.find(';').unwrap_or(after.len())
            } else {
                after.find(char::is_whitespace).unwrap_or(after.len())
            };
            (after[..end].trim().to_string(), &after[end..])
        };
        pairs.push((key, value));
        rest = remaining.trim_start_matches([';', ' ', '\t', '\n']).trim_start();
    }
    pairs
}

fn urlencoding_decode(s: &str) -> Result<String, ()> {
    if !s.contains('%') {
        return Err(());
    }
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .ok_or(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_passwords_are_found_raw_and_decoded() {
        assert_eq!(passwords_in("postgres://u:s3cr%40t@h/db"), vec!["s3cr%40t".to_string(), "s3cr@t".to_string()]);
        assert_eq!(passwords_in("redis://:hunter2@127.0.0.1:6379/0"), vec!["hunter2".to_string()]);
        assert!(passwords_in("mysql://root@127.0.0.1/test").is_empty());
    }

    #[test]
    fn key_value_passwords_are_found() {
        assert_eq!(passwords_in("host=h user=u password='a b c' dbname=d"), vec!["a b c".to_string()]);
        assert_eq!(
            passwords_in("Server=h,1433;User Id=sa;Password=Str0ng!;Encrypt=false"),
            vec!["Str0ng!".to_string()]
        );
        assert_eq!(passwords_in("Server=h;Pwd={x;y};"), vec!["x;y".to_string()]);
    }

    #[test]
    fn redaction_hides_the_password_only() {
        assert_eq!(redacted("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(hide("failed for secret", &["secret".into(), "ab".into()]), "failed for ***");
    }
}

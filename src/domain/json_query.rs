//! Peekaping's `http-json-query` rule: a gjson path, a comparison and an expected value.
//!
//! Numbers compare numerically when both sides parse as numbers, strings otherwise; an
//! empty path compares the whole (normalised) body.

/// The comparison operators Peekaping offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Condition {
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
}

impl Condition {
    pub fn parse(s: &str) -> Result<Self, String> {
        Ok(match s.trim() {
            "==" | "" => Self::Eq,
            "!=" => Self::Ne,
            ">" => Self::Gt,
            "<" => Self::Lt,
            ">=" => Self::Ge,
            "<=" => Self::Le,
            other => return Err(format!("\"{other}\" is not one of == != > < >= <=")),
        })
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Self::Eq => "==",
            Self::Ne => "!=",
            Self::Gt => ">",
            Self::Lt => "<",
            Self::Ge => ">=",
            Self::Le => "<=",
        }
    }
}

/// Evaluates the rule; Ok(actual value) when it holds, Err(message naming both sides) when not.
pub fn evaluate(body: &str, path: &str, cond: Condition, expected: &str) -> Result<String, String> {
    let actual = if path.trim().is_empty() {
        normalise(body)
    } else {
        let v = gjson::get(body, path);
        if !v.exists() {
            return Err(format!("JSON query \"{path}\" matched nothing"));
        }
        v.str().to_string()
    };
    let ordering = match (actual.trim().parse::<f64>(), expected.trim().parse::<f64>()) {
        (Ok(a), Ok(e)) => a.partial_cmp(&e),
        _ => Some(actual.as_str().cmp(expected)),
    };
    use std::cmp::Ordering::*;
    let holds = match (cond, ordering) {
        (Condition::Eq, Some(Equal)) => true,
        (Condition::Ne, o) => o != Some(Equal),
        (Condition::Gt, Some(Greater)) => true,
        (Condition::Lt, Some(Less)) => true,
        (Condition::Ge, Some(Greater | Equal)) => true,
        (Condition::Le, Some(Less | Equal)) => true,
        _ => false,
    };
    if holds {
        Ok(actual)
    } else {
        Err(format!(
            "JSON query \"{path}\" is \"{}\", expected {} \"{expected}\"",
            truncate(&actual, 200),
            cond.symbol()
        ))
    }
}

/// A JSON body re-serialised compactly (so formatting does not matter); other text trimmed.
fn normalise(body: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(body) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(v) => v.to_string(),
        Err(_) => body.trim().to_string(),
    }
}

fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = r#"{"status":"ok","count":12,"items":[{"n":1,"name":"a"},{"n":3,"name":"b"}]}"#;

    #[test]
    fn string_equality_on_a_path() {
        assert!(evaluate(BODY, "status", Condition::Eq, "ok").is_ok());
        let err = evaluate(BODY, "status", Condition::Eq, "fail").unwrap_err();
        assert!(err.contains("\"ok\"") && err.contains("fail"), "{err}");
    }

    #[test]
    fn numbers_compare_numerically() {
        assert!(evaluate(BODY, "count", Condition::Gt, "9").is_ok());
        assert!(evaluate(BODY, "count", Condition::Le, "12.0").is_ok());
        assert!(evaluate(BODY, "count", Condition::Lt, "100").is_ok());
    }

    #[test]
    fn gjson_queries_and_counts_work() {
        assert!(evaluate(BODY, "items.#(n>2).name", Condition::Eq, "b").is_ok());
        assert!(evaluate(BODY, "items.#", Condition::Eq, "2").is_ok());
    }

    #[test]
    fn missing_path_fails_with_a_clear_message() {
        let err = evaluate(BODY, "nope.deeper", Condition::Eq, "x").unwrap_err();
        assert!(err.contains("matched nothing"));
    }

    #[test]
    fn empty_path_compares_the_normalised_body() {
        assert!(evaluate("{ \"a\" : 1 }", "", Condition::Eq, "{\"a\":1}").is_ok());
        assert!(evaluate("  pong \n", "", Condition::Eq, "pong").is_ok());
    }

    #[test]
    fn unknown_operator_is_rejected() {
        assert!(Condition::parse("=~").is_err());
    }
}

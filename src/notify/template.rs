//! Liquid templates for notification texts, with Peekaping's bindings: `monitor` (its
//! `config` parsed), `heartbeat`, `name`, `status` (UP/DOWN/PENDING/MAINTENANCE),
//! `status_icon`, `status_color`, `ping` (ms), `time` and `msg`.
//!
//! Templates are parsed and rendered against a sample notice when a channel is saved, so a
//! typo or an unknown variable is a 400 naming the field, not a silent failure at 3 a.m.
//! (The Liquid crate is strict: an unknown variable is an error. A key that exists only
//! for some monitor types, `monitor.config.url` on a TCP monitor, can still fail when
//! alerting; the sender then sends the default text with the error appended.)

use std::sync::OnceLock;

fn parser() -> &'static liquid::Parser {
    static PARSER: OnceLock<liquid::Parser> = OnceLock::new();
    PARSER.get_or_init(|| liquid::ParserBuilder::with_stdlib().build().expect("the standard Liquid library builds"))
}

/// Checks that `template` parses and renders with the bindings of a sample notice.
pub fn check(template: &str, sample: &serde_json::Value) -> Result<(), String> {
    render(template, sample).map(|_| ())
}

/// Renders `template` with `bindings` (a JSON object); unknown variables render empty.
pub fn render(template: &str, bindings: &serde_json::Value) -> Result<String, String> {
    let tpl = parser().parse(template).map_err(|e| first_line(&e.to_string()))?;
    let globals: liquid::Object = match liquid::model::to_value(bindings) {
        Ok(liquid::model::Value::Object(o)) => o,
        Ok(_) => liquid::Object::new(),
        Err(e) => return Err(e.to_string()),
    };
    tpl.render(&globals).map_err(|e| first_line(&e.to_string()))
}

fn first_line(s: &str) -> String {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_peekaping_bindings() {
        let b = serde_json::json!({"name": "API", "status": "DOWN", "msg": "timeout", "ping": null,
            "monitor": {"name": "API", "config": {"url": "https://x"}}});
        assert_eq!(
            render("{{ name }} is {{ status }}: {{ msg }} ({{ monitor.config.url }})", &b).unwrap(),
            "API is DOWN: timeout (https://x)"
        );
        assert_eq!(render("{% if status == 'DOWN' %}!{% endif %}", &b).unwrap(), "!");
    }

    #[test]
    fn syntax_errors_and_unknown_variables_are_caught_when_checked() {
        let b = serde_json::json!({"name": "API"});
        assert!(check("{{ name }", &b).is_err());
        assert!(check("{% if name %}unclosed", &b).is_err());
        let e = check("{{ nmae }}", &b).unwrap_err();
        assert!(e.contains("nmae"), "{e}");
        assert_eq!(render("{{ name | upcase }}", &b).unwrap(), "API");
    }
}

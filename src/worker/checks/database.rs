//! What the database checks (`postgres`, `mysql`, `sqlserver`, `mongodb`, `redis`) share:
//! how many rows of a result are read, how the UP message reads, and keeping the
//! connection string's password out of every message.

use std::time::Duration;

use crate::domain::monitor_types::connection_string::{hide, passwords_in};

/// Rows read from a query's result before the check stops reading: only "did it return
/// rows" matters, and a query that returns millions must not be buffered.
pub(crate) const ROW_CAP: usize = 100;

/// How far a check got through a query's result.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct RowsSeen {
    pub rows: usize,
    /// More rows followed the cap and were not read.
    pub more: bool,
}

impl RowsSeen {
    /// Counts one row; false once the cap is reached (stop reading).
    pub(crate) fn count(&mut self) -> bool {
        if self.rows >= ROW_CAP {
            self.more = true;
            return false;
        }
        self.rows += 1;
        true
    }

    /// "Query returned 1 row in 3 ms".
    pub(crate) fn message(&self, took: Duration) -> String {
        let rows = match (self.rows, self.more) {
            (n, true) => format!("more than {n} rows"),
            (1, false) => "1 row".to_string(),
            (n, false) => format!("{n} rows"),
        };
        format!("Query returned {rows} in {}", millis(took))
    }
}

/// "3 ms".
pub(crate) fn millis(d: Duration) -> String {
    format!("{} ms", d.as_millis())
}

/// The passwords of a connection string, to hide from messages.
pub(crate) struct Secrets(Vec<String>);

impl Secrets {
    pub(crate) fn of(connection_string: &str) -> Self {
        Self(passwords_in(connection_string))
    }

    pub(crate) fn with(mut self, more: Option<&str>) -> Self {
        if let Some(p) = more.filter(|p| !p.is_empty()) {
            self.0.push(p.to_string());
        }
        self
    }

    /// `msg` with every password replaced by `***`.
    pub(crate) fn hide(&self, msg: &str) -> String {
        hide(msg, &self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_counted_up_to_the_cap() {
        let mut seen = RowsSeen::default();
        assert_eq!(seen.message(Duration::from_millis(3)), "Query returned 0 rows in 3 ms");
        seen.count();
        assert_eq!(seen.message(Duration::from_millis(3)), "Query returned 1 row in 3 ms");
        while seen.count() {}
        assert_eq!(seen.rows, ROW_CAP);
        assert!(seen.message(Duration::ZERO).starts_with("Query returned more than 100 rows"));
    }

    #[test]
    fn secrets_are_hidden() {
        let s = Secrets::of("mysql://u:p4ssw0rd@h/db");
        assert_eq!(s.hide("Access denied (p4ssw0rd)"), "Access denied (***)");
    }
}

//! Versioned up/down SQL migrations, embedded in the binary, one folder per SQL backend.
//!
//! A migration is applied in one transaction together with its row in
//! `schema_migrations(version, name, checksum, applied_at)`. A database that carries a
//! version this binary does not know was written by a newer release: the runner refuses
//! to touch it rather than guess (see `MigrationError::DatabaseIsNewer`).

/// One schema step with its reverse.
#[derive(Clone, Copy, Debug)]
pub struct Migration {
    pub version: u32,
    pub name: &'static str,
    pub up: &'static str,
    pub down: &'static str,
}

impl Migration {
    /// FNV-1a of the up script: detects a migration edited after it was applied.
    pub fn checksum(&self) -> String {
        let mut h: u64 = 0xcbf29ce484222325;
        for b in self.up.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100000001b3);
        }
        format!("{h:016x}")
    }
}

/// The SQLite migrations, oldest first.
pub const SQLITE: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        up: include_str!("sqlite/0001_init.up.sql"),
        down: include_str!("sqlite/0001_init.down.sql"),
    },
    Migration {
        version: 2,
        name: "push_runs",
        up: include_str!("sqlite/0002_push_runs.up.sql"),
        down: include_str!("sqlite/0002_push_runs.down.sql"),
    },
    Migration {
        version: 3,
        name: "alerting",
        up: include_str!("sqlite/0003_alerting.up.sql"),
        down: include_str!("sqlite/0003_alerting.down.sql"),
    },
    Migration {
        version: 4,
        name: "status_pages",
        up: include_str!("sqlite/0004_status_pages.up.sql"),
        down: include_str!("sqlite/0004_status_pages.down.sql"),
    },
    Migration {
        version: 5,
        name: "managed_by",
        up: include_str!("sqlite/0005_managed_by.up.sql"),
        down: include_str!("sqlite/0005_managed_by.down.sql"),
    },
];

/// Where a database stands against the migrations this binary carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MigrationStatus {
    /// (version, name, applied_at Unix ms) of every applied migration.
    pub applied: Vec<(u32, String, i64)>,
    /// (version, name) of every known migration not yet applied.
    pub pending: Vec<(u32, String)>,
}

impl MigrationStatus {
    pub fn current_version(&self) -> u32 {
        self.applied.iter().map(|a| a.0).max().unwrap_or(0)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    #[error(
        "the database is at schema version {db}, newer than this binary knows ({known}): it was written by a newer Peekaping; upgrade the binary or restore a backup"
    )]
    DatabaseIsNewer { db: u32, known: u32 },
    #[error("migration {version} ({name}) was changed after it was applied (checksum {stored} != {expected})")]
    ChecksumMismatch { version: u32, name: String, stored: String, expected: String },
    #[error("migration {version} ({name}) failed: {message}")]
    Failed { version: u32, name: String, message: String },
    #[error("{0}")]
    Backend(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_migrations_are_numbered_in_order_without_gaps() {
        for (i, m) in SQLITE.iter().enumerate() {
            assert_eq!(m.version as usize, i + 1, "{} is out of order", m.name);
            assert!(!m.up.trim().is_empty() && !m.down.trim().is_empty());
        }
    }
}

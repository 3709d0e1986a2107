//! Rollup arithmetic: per-monitor minute, hour and day buckets of heartbeat counts and
//! response times, from which charts and uptime percentages are read (never from raw rows).
//!
//! Counting rules (Peekaping's): PENDING counts as down; MAINTENANCE counts as up and is
//! also counted on its own; response times are aggregated over UP beats only.

use serde::{Deserialize, Serialize};

use super::{MonitorStatus, UnixMillis};

/// The three rollup resolutions, each with its own table and retention.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    Minute,
    Hour,
    Day,
}

impl Granularity {
    pub const ALL: [Granularity; 3] = [Granularity::Minute, Granularity::Hour, Granularity::Day];

    /// Width of one bucket in milliseconds.
    pub fn bucket_millis(self) -> i64 {
        match self {
            Granularity::Minute => 60_000,
            Granularity::Hour => 3_600_000,
            Granularity::Day => 86_400_000,
        }
    }

    /// Start (Unix ms, UTC-aligned) of the bucket holding `time`.
    pub fn bucket_start(self, time: UnixMillis) -> UnixMillis {
        time.div_euclid(self.bucket_millis()) * self.bucket_millis()
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "minute" => Some(Self::Minute),
            "hour" => Some(Self::Hour),
            "day" => Some(Self::Day),
            _ => None,
        }
    }
}

/// Counts and response-time aggregates of one bucket (or of any merged range of buckets).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollupCounts {
    pub up: u64,
    pub down: u64,
    pub maintenance: u64,
    pub ping_sum_us: u64,
    pub ping_count: u64,
    pub ping_min_us: Option<u64>,
    pub ping_max_us: Option<u64>,
}

impl RollupCounts {
    /// Adds one heartbeat.
    pub fn record(&mut self, status: MonitorStatus, ping_us: Option<u64>) {
        match status {
            MonitorStatus::Up => {
                self.up += 1;
                if let Some(p) = ping_us {
                    self.ping_sum_us += p;
                    self.ping_count += 1;
                    self.ping_min_us = Some(self.ping_min_us.map_or(p, |m| m.min(p)));
                    self.ping_max_us = Some(self.ping_max_us.map_or(p, |m| m.max(p)));
                }
            }
            MonitorStatus::Maintenance => {
                self.up += 1;
                self.maintenance += 1;
            }
            MonitorStatus::Down | MonitorStatus::Pending => self.down += 1,
        }
    }

    /// Adds another bucket's counts to this one.
    pub fn merge(&mut self, o: &RollupCounts) {
        self.up += o.up;
        self.down += o.down;
        self.maintenance += o.maintenance;
        self.ping_sum_us += o.ping_sum_us;
        self.ping_count += o.ping_count;
        self.ping_min_us = min_opt(self.ping_min_us, o.ping_min_us);
        self.ping_max_us = max_opt(self.ping_max_us, o.ping_max_us);
    }

    pub fn total(&self) -> u64 {
        self.up + self.down
    }

    /// Uptime in percent (0–100), or None when nothing was recorded.
    pub fn uptime_percent(&self) -> Option<f64> {
        let total = self.total();
        (total > 0).then(|| self.up as f64 * 100.0 / total as f64)
    }

    pub fn avg_ping_ms(&self) -> Option<f64> {
        (self.ping_count > 0).then(|| self.ping_sum_us as f64 / self.ping_count as f64 / 1000.0)
    }

    pub fn min_ping_ms(&self) -> Option<f64> {
        self.ping_min_us.map(|v| v as f64 / 1000.0)
    }

    pub fn max_ping_ms(&self) -> Option<f64> {
        self.ping_max_us.map(|v| v as f64 / 1000.0)
    }
}

fn min_opt(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn max_opt(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// One bucket as read back for charts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RollupPoint {
    pub bucket: UnixMillis,
    pub counts: RollupCounts,
}

/// The uptime windows the monitor page shows, and the rollup each is read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UptimeWindow {
    Day,
    Week,
    Month,
    Year,
}

impl UptimeWindow {
    pub const ALL: [UptimeWindow; 4] = [Self::Day, Self::Week, Self::Month, Self::Year];

    pub fn millis(self) -> i64 {
        const DAY: i64 = 86_400_000;
        match self {
            Self::Day => DAY,
            Self::Week => 7 * DAY,
            Self::Month => 30 * DAY,
            Self::Year => 365 * DAY,
        }
    }

    /// The finest rollup whose retention covers the window: 24 h from minutes
    /// (exact to the minute), 7 d and 30 d from hours, 365 d from days.
    pub fn granularity(self) -> Granularity {
        match self {
            Self::Day => Granularity::Minute,
            Self::Week | Self::Month => Granularity::Hour,
            Self::Year => Granularity::Day,
        }
    }

    /// First bucket start included in the window ending at `now`.
    pub fn first_bucket(self, now: UnixMillis) -> UnixMillis {
        self.granularity().bucket_start(now - self.millis() + 1)
    }
}

/// How long each kind of data is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetentionPolicy {
    pub raw_heartbeats_days: u32,
    pub minute_hours: u32,
    pub hour_days: u32,
    pub day_days: u32,
}

impl RetentionPolicy {
    /// Minute rollups 24 h, hour rollups 30 d, raw heartbeats and day rollups `keep_days`.
    pub fn with_keep_days(keep_days: u32) -> Self {
        Self { raw_heartbeats_days: keep_days, minute_hours: 24, hour_days: 30, day_days: keep_days }
    }

    /// Oldest time kept for each rollup, given `now`.
    pub fn rollup_cutoff(&self, g: Granularity, now: UnixMillis) -> UnixMillis {
        let keep = match g {
            Granularity::Minute => i64::from(self.minute_hours) * 3_600_000,
            Granularity::Hour => i64::from(self.hour_days) * 86_400_000,
            Granularity::Day => i64::from(self.day_days) * 86_400_000,
        };
        g.bucket_start(now - keep)
    }

    pub fn heartbeat_cutoff(&self, now: UnixMillis) -> UnixMillis {
        now - i64::from(self.raw_heartbeats_days) * 86_400_000
    }
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        Self::with_keep_days(365)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use MonitorStatus::*;

    #[test]
    fn buckets_align_to_utc_boundaries() {
        let t = 1_700_000_123_456; // 2023-11-14T22:15:23.456Z
        assert_eq!(Granularity::Minute.bucket_start(t), 1_700_000_100_000);
        assert_eq!(Granularity::Hour.bucket_start(t) % 3_600_000, 0);
        assert_eq!(Granularity::Day.bucket_start(t) % 86_400_000, 0);
        assert!(Granularity::Day.bucket_start(t) <= t);
        assert!(t - Granularity::Day.bucket_start(t) < 86_400_000);
    }

    #[test]
    fn pending_counts_as_down_and_maintenance_as_up() {
        let mut c = RollupCounts::default();
        c.record(Up, Some(1000));
        c.record(Pending, None);
        c.record(Down, Some(5000));
        c.record(Maintenance, None);
        assert_eq!((c.up, c.down, c.maintenance), (2, 2, 1));
        assert_eq!(c.uptime_percent(), Some(50.0));
    }

    #[test]
    fn response_times_come_from_up_beats_only() {
        let mut c = RollupCounts::default();
        c.record(Up, Some(1000));
        c.record(Up, Some(3000));
        c.record(Down, Some(90_000));
        assert_eq!(c.avg_ping_ms(), Some(2.0));
        assert_eq!(c.min_ping_ms(), Some(1.0));
        assert_eq!(c.max_ping_ms(), Some(3.0));
    }

    #[test]
    fn merging_buckets_equals_recording_everything_in_one() {
        let beats = [(Up, Some(10)), (Down, None), (Up, Some(7)), (Maintenance, None), (Up, Some(30))];
        let mut all = RollupCounts::default();
        let mut a = RollupCounts::default();
        let mut b = RollupCounts::default();
        for (i, (s, p)) in beats.iter().enumerate() {
            all.record(*s, *p);
            if i < 2 { a.record(*s, *p) } else { b.record(*s, *p) }
        }
        a.merge(&b);
        assert_eq!(a, all);
    }

    #[test]
    fn empty_rollup_has_no_uptime() {
        assert_eq!(RollupCounts::default().uptime_percent(), None);
        assert_eq!(RollupCounts::default().avg_ping_ms(), None);
    }

    #[test]
    fn uptime_windows_read_from_the_finest_rollup_that_covers_them() {
        let now = 1_700_000_000_000;
        assert_eq!(UptimeWindow::Day.granularity(), Granularity::Minute);
        let first = UptimeWindow::Day.first_bucket(now);
        assert!(now - first <= 86_400_000 + 60_000);
        assert!(now - first >= 86_400_000 - 60_000);
        let p = RetentionPolicy::default();
        for w in UptimeWindow::ALL {
            assert!(
                p.rollup_cutoff(w.granularity(), now) <= w.first_bucket(now),
                "{w:?} must be covered by its rollup's retention"
            );
        }
    }
}

//! Counters and a scheduling-lag histogram of one worker, for benchmarks and metrics.

use std::sync::atomic::{AtomicU64, Ordering};

/// Upper bounds (ms) of the lag histogram buckets; the last bucket is open.
pub const BOUNDS_MS: [u64; 16] =
    [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 60_000, u64::MAX];

#[derive(Default)]
pub struct WorkerStats {
    pub checks: AtomicU64,
    pub up: AtomicU64,
    pub skipped_stale: AtomicU64,
    pub result_failures: AtomicU64,
    lag: [AtomicU64; 16],
    lag_max_ms: AtomicU64,
}

impl WorkerStats {
    pub fn record_outcome(&self, up: bool) {
        self.checks.fetch_add(1, Ordering::Relaxed);
        if up {
            self.up.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub fn record_skipped(&self) {
        self.skipped_stale.fetch_add(1, Ordering::Relaxed);
    }

    pub fn record_result_failures(&self, n: u64) {
        self.result_failures.fetch_add(n, Ordering::Relaxed);
    }

    pub fn record_lag_ms(&self, ms: u64) {
        let i = BOUNDS_MS.iter().position(|b| ms <= *b).unwrap_or(BOUNDS_MS.len() - 1);
        self.lag[i].fetch_add(1, Ordering::Relaxed);
        self.lag_max_ms.fetch_max(ms, Ordering::Relaxed);
    }

    /// The bucket bound at or under which `p` (0–1) of the recorded lags fall.
    pub fn lag_percentile_ms(&self, p: f64) -> Option<u64> {
        let counts: Vec<u64> = self.lag.iter().map(|c| c.load(Ordering::Relaxed)).collect();
        let total: u64 = counts.iter().sum();
        if total == 0 {
            return None;
        }
        let target = (p * total as f64).ceil().max(1.0) as u64;
        let mut seen = 0;
        for (i, c) in counts.iter().enumerate() {
            seen += c;
            if seen >= target {
                return Some(BOUNDS_MS[i].min(self.lag_max_ms.load(Ordering::Relaxed)));
            }
        }
        None
    }

    /// Counts per bucket of `BOUNDS_MS` since start; subtract two snapshots for a window.
    pub fn lag_buckets(&self) -> [u64; 16] {
        std::array::from_fn(|i| self.lag[i].load(Ordering::Relaxed))
    }

    pub fn lag_max_ms(&self) -> u64 {
        self.lag_max_ms.load(Ordering::Relaxed)
    }

    pub fn lag_samples(&self) -> u64 {
        self.lag.iter().map(|c| c.load(Ordering::Relaxed)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_come_from_the_histogram() {
        let s = WorkerStats::default();
        for _ in 0..98 {
            s.record_lag_ms(3);
        }
        s.record_lag_ms(400);
        s.record_lag_ms(900);
        assert_eq!(s.lag_percentile_ms(0.5), Some(5));
        assert_eq!(s.lag_percentile_ms(0.99), Some(500));
        assert_eq!(s.lag_percentile_ms(1.0), Some(900));
        assert_eq!(s.lag_max_ms(), 900);
    }
}

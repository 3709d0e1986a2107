//! `push`: passive; a job or device reports to `/api/v1/push/:token`.
//!
//! Without `cron`, a push is expected every `interval` seconds. With `cron` (Healthchecks
//! style), a run is expected at each occurrence of the schedule, reported within `grace`
//! seconds (plus `max_duration` when the job announces its start with `?state=start`).
//! `min_duration`/`max_duration` bound how long a run may take between its start and its
//! finishing ping. The rules are pure functions: the producer asks `next_deadline` when to
//! look, the worker asks `verdict` what it sees.

use std::str::FromStr;

use chrono::TimeZone;
use serde::{Deserialize, Serialize};

use crate::domain::monitor::ValidationError;
use crate::domain::{MonitorStatus, UnixMillis, format_millis};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PushConfig {
    #[serde(rename = "pushToken", skip_serializing_if = "Option::is_none")]
    pub push_token: Option<String>,
    /// A 5-field cron expression (or 6 with seconds) for when runs are expected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cron: Option<String>,
    /// Seconds a run may be late before the monitor is DOWN (cron schedules).
    pub grace: u32,
    /// IANA time zone of the cron expression.
    pub timezone: String,
    /// Seconds a run must take at least, between `?state=start` and the finishing ping.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_duration: Option<u32>,
    /// Seconds a run may take at most.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_duration: Option<u32>,
}

impl Default for PushConfig {
    fn default() -> Self {
        Self { push_token: None, cron: None, grace: 60, timezone: "UTC".into(), min_duration: None, max_duration: None }
    }
}

const MAX_GRACE: u32 = 7 * 86_400;

impl PushConfig {
    pub(crate) fn validate(&self) -> Result<(), ValidationError> {
        if let Some(expr) = self.cron.as_deref().filter(|c| !c.trim().is_empty()) {
            croner::Cron::from_str(expr.trim())
                .map_err(|e| ValidationError::new("config.cron", format!("is not a cron expression: {e}")))?;
        }
        self.tz()?;
        if self.grace > MAX_GRACE {
            return Err(ValidationError::new("config.grace", format!("must be at most {MAX_GRACE} seconds")));
        }
        if let (Some(min), Some(max)) = (self.min_duration, self.max_duration)
            && min > max
        {
            return Err(ValidationError::new("config.min_duration", "must not exceed max_duration"));
        }
        Ok(())
    }

    fn tz(&self) -> Result<chrono_tz::Tz, ValidationError> {
        let name = if self.timezone.trim().is_empty() { "UTC" } else { self.timezone.trim() };
        name.parse::<chrono_tz::Tz>()
            .map_err(|_| ValidationError::new("config.timezone", format!("\"{name}\" is not an IANA time zone")))
    }

    fn schedule(&self) -> Option<(croner::Cron, chrono_tz::Tz)> {
        let expr = self.cron.as_deref()?.trim();
        if expr.is_empty() {
            return None;
        }
        Some((croner::Cron::from_str(expr).ok()?, self.tz().ok()?))
    }

    /// How long after an expected run the monitor waits before calling it late (ms).
    fn allowance_ms(&self) -> i64 {
        (i64::from(self.grace) + i64::from(self.max_duration.unwrap_or(0))) * 1000
    }

    /// When the producer should look next: the earliest instant a verdict could change.
    pub fn next_deadline(
        &self,
        interval_s: u32,
        last_push: Option<UnixMillis>,
        run_started: Option<UnixMillis>,
        now: UnixMillis,
    ) -> UnixMillis {
        let run_limit =
            run_started.zip(self.max_duration).map(|(s, max)| s + i64::from(max) * 1000 + 1).filter(|t| *t > now);
        let expected = match self.schedule() {
            Some((cron, tz)) => {
                // The first occurrence whose allowance has not run out yet.
                let from = tz.timestamp_millis_opt(now - self.allowance_ms()).single();
                from.and_then(|f| cron.find_next_occurrence(&f, false).ok())
                    .map(|t| t.timestamp_millis() + self.allowance_ms() + 1)
                    .unwrap_or(now + 86_400_000)
            }
            None => last_push.unwrap_or(now) + i64::from(interval_s) * 1000 + 1000,
        };
        run_limit.map_or(expected, |r| r.min(expected)).max(now + 1000)
    }

    /// What a check at `now` concludes; None when all is well (nothing to record).
    pub fn verdict(
        &self,
        interval_s: u32,
        last_push: Option<UnixMillis>,
        run_started: Option<UnixMillis>,
        now: UnixMillis,
    ) -> Option<(MonitorStatus, String)> {
        if let (Some(started), Some(max)) = (run_started, self.max_duration)
            && now - started > i64::from(max) * 1000
        {
            return Some((
                MonitorStatus::Down,
                format!("A run started at {} has not finished after {max} s", format_millis(started)),
            ));
        }
        match self.schedule() {
            Some((cron, tz)) => {
                // The latest occurrence whose allowance has run out.
                let until = tz.timestamp_millis_opt(now - self.allowance_ms()).single()?;
                let due = cron.find_previous_occurrence(&until, true).ok()?.timestamp_millis();
                let ok = last_push.is_some_and(|p| p >= due - i64::from(self.grace) * 1000);
                (!ok).then(|| {
                    (
                        MonitorStatus::Down,
                        format!(
                            "Expected a run at {} ({}), none reported within {} s",
                            format_millis(due),
                            self.cron.as_deref().unwrap_or_default().trim(),
                            self.allowance_ms() / 1000
                        ),
                    )
                })
            }
            None => match last_push {
                // A little slack for the push itself travelling through the queue.
                Some(t) if now - t <= i64::from(interval_s) * 1000 + 1000 => None,
                Some(t) => Some((
                    MonitorStatus::Down,
                    format!("No push received in the last {interval_s} s (last push {} s ago)", (now - t) / 1000),
                )),
                None => Some((MonitorStatus::Down, format!("No push received within {interval_s} s"))),
            },
        }
    }

    /// Judges a finished run's duration; Err(message) when it breaks a bound.
    pub fn judge_duration(&self, duration_ms: i64) -> Result<(), String> {
        let secs = duration_ms as f64 / 1000.0;
        if let Some(min) = self.min_duration
            && duration_ms < i64::from(min) * 1000
        {
            return Err(format!("The run took {secs:.1} s, shorter than the minimum {min} s"));
        }
        if let Some(max) = self.max_duration
            && duration_ms > i64::from(max) * 1000
        {
            return Err(format!("The run took {secs:.1} s, longer than the maximum {max} s"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2027-01-15 08:00:00 UTC, a Friday.
    const T0: i64 = 1_800_000_000_000;
    const MIN: i64 = 60_000;

    fn cron(expr: &str, grace: u32) -> PushConfig {
        PushConfig { cron: Some(expr.into()), grace, ..Default::default() }
    }

    #[test]
    fn interval_pushes_are_late_after_one_interval() {
        let c = PushConfig::default();
        assert_eq!(c.verdict(60, Some(T0), None, T0 + 30_000), None);
        let late = c.verdict(60, Some(T0), None, T0 + 62_000).unwrap();
        assert_eq!(late.0, MonitorStatus::Down);
        assert!(late.1.contains("No push received"), "{}", late.1);
        assert!(c.verdict(60, None, None, T0).is_some());
        assert_eq!(c.next_deadline(60, Some(T0), None, T0), T0 + 61_000);
    }

    #[test]
    fn a_cron_run_reported_within_grace_is_on_time() {
        let c = cron("0 * * * *", 300); // hourly, 5 min grace
        // The 08:00 run reported at 08:03: fine at 08:10.
        assert_eq!(c.verdict(60, Some(T0 + 3 * MIN), None, T0 + 10 * MIN), None);
        // Reported early, within grace before the hour, also counts.
        assert_eq!(c.verdict(60, Some(T0 - 2 * MIN), None, T0 + 10 * MIN), None);
    }

    #[test]
    fn a_missing_cron_run_is_down_after_grace() {
        let c = cron("0 * * * *", 300);
        // Last run at 07:01; at 08:04 the 08:00 run is still within grace.
        assert_eq!(c.verdict(60, Some(T0 - 59 * MIN), None, T0 + 4 * MIN), None);
        let (status, msg) = c.verdict(60, Some(T0 - 59 * MIN), None, T0 + 6 * MIN).unwrap();
        assert_eq!(status, MonitorStatus::Down);
        assert!(msg.contains("Expected a run at 2027-01-15T08:00:00.000Z"), "{msg}");
    }

    #[test]
    fn the_next_look_is_when_the_next_run_runs_out_of_grace() {
        let c = cron("0 * * * *", 300);
        assert_eq!(c.next_deadline(60, None, None, T0 + 10 * MIN), T0 + 65 * MIN + 1);
        assert_eq!(c.next_deadline(60, None, None, T0 + 2 * MIN), T0 + 5 * MIN + 1);
    }

    #[test]
    fn cron_follows_the_time_zone() {
        // 09:00 in Paris is 08:00 UTC in January.
        let c = PushConfig { timezone: "Europe/Paris".into(), ..cron("0 9 * * *", 60) };
        let (_, msg) = c.verdict(60, None, None, T0 + 2 * MIN).unwrap();
        assert!(msg.contains("2027-01-15T08:00:00.000Z"), "{msg}");
    }

    #[test]
    fn a_run_that_runs_too_long_is_down_before_it_finishes() {
        let c = PushConfig { max_duration: Some(120), ..Default::default() };
        assert_eq!(c.verdict(3600, Some(T0), Some(T0 + MIN), T0 + 2 * MIN), None);
        let (s, msg) = c.verdict(3600, Some(T0), Some(T0 + MIN), T0 + 4 * MIN).unwrap();
        assert_eq!(s, MonitorStatus::Down);
        assert!(msg.contains("has not finished after 120 s"), "{msg}");
        assert_eq!(c.next_deadline(3600, Some(T0), Some(T0 + MIN), T0 + MIN), T0 + 3 * MIN + 1);
    }

    #[test]
    fn durations_are_judged_against_both_bounds() {
        let c = PushConfig { min_duration: Some(10), max_duration: Some(60), ..Default::default() };
        assert!(c.judge_duration(30_000).is_ok());
        assert!(c.judge_duration(2_000).unwrap_err().contains("shorter than the minimum 10 s"));
        assert!(c.judge_duration(61_000).unwrap_err().contains("longer than the maximum 60 s"));
    }

    #[test]
    fn bad_cron_and_zones_are_named() {
        assert_eq!(cron("every minute", 60).validate().unwrap_err().field, "config.cron");
        let z = PushConfig { timezone: "Mars/Olympus".into(), ..Default::default() };
        assert_eq!(z.validate().unwrap_err().field, "config.timezone");
        let d = PushConfig { min_duration: Some(10), max_duration: Some(5), ..Default::default() };
        assert_eq!(d.validate().unwrap_err().field, "config.min_duration");
    }
}

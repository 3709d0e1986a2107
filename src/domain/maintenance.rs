//! Maintenance windows: when a monitor is deliberately not checked (its beats read
//! MAINTENANCE and no notice goes out). This module owns the window arithmetic only, pure
//! and clock-free: `is_active(m, now)` and `next_windows(m, now, n)`. It never reads the
//! store or the clock; the producer asks it on every tick.
//!
//! Local times are wall-clock times in the maintenance's IANA time zone. A local time
//! that does not exist (the spring-forward gap) is read with the offset before the gap,
//! as RFC 5545 §3.3.5 does (02:30 on the Berlin spring-forward day is 03:30 CEST). A local
//! time that occurs twice (fall-back) starts a window at its first occurrence and ends one
//! at its second, so a window covers every instant whose wall clock reads inside it.

use chrono::{Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset as _, TimeZone};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::UnixMillis;
use super::monitor::ValidationError;

/// How a maintenance decides when it is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Strategy {
    /// On while `active`, until paused.
    Manual,
    /// One window from `start_date_time` to `end_date_time`.
    Single,
    /// A window of `duration` minutes at each occurrence of `cron`.
    Cron,
    /// `start_time`–`end_time` every `interval_day` days from the start date.
    RecurringInterval,
    /// `start_time`–`end_time` on the listed weekdays.
    RecurringWeekday,
    /// `start_time`–`end_time` on the listed days of the month.
    RecurringDayOfMonth,
}

impl Strategy {
    pub const ALL: [Strategy; 6] = [
        Self::Manual,
        Self::Single,
        Self::Cron,
        Self::RecurringInterval,
        Self::RecurringWeekday,
        Self::RecurringDayOfMonth,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Manual => "manual",
            Self::Single => "single",
            Self::Cron => "cron",
            Self::RecurringInterval => "recurring-interval",
            Self::RecurringWeekday => "recurring-weekday",
            Self::RecurringDayOfMonth => "recurring-day-of-month",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }
}

/// A day of the month a recurring-day-of-month maintenance runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MonthDay {
    /// 1–31; skipped in months that are shorter.
    Day(u8),
    /// `lastDay1` is the last day of the month, `lastDay2` the one before, up to 4.
    FromEnd(u8),
}

impl MonthDay {
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        if let Some(n) = s.strip_prefix("lastDay") {
            return n.parse::<u8>().ok().filter(|n| (1..=4).contains(n)).map(Self::FromEnd);
        }
        s.parse::<u8>().ok().filter(|d| (1..=31).contains(d)).map(Self::Day)
    }

    /// Peekaping's JSON form: a number, or the string `lastDayN`.
    pub fn to_json(self) -> serde_json::Value {
        match self {
            Self::Day(d) => serde_json::Value::from(d),
            Self::FromEnd(n) => serde_json::Value::from(format!("lastDay{n}")),
        }
    }

    fn matches(self, date: NaiveDate) -> bool {
        match self {
            Self::Day(d) => date.day() == u32::from(d),
            Self::FromEnd(n) => days_in_month(date) - date.day() + 1 == u32::from(n),
        }
    }
}

fn days_in_month(date: NaiveDate) -> u32 {
    let (y, m) = if date.month() == 12 { (date.year() + 1, 1) } else { (date.year(), date.month() + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt()).map_or(31, |d| d.day())
}

/// A stored maintenance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Maintenance {
    pub id: String,
    pub title: String,
    pub description: String,
    /// False while paused: then it is never on.
    pub active: bool,
    pub strategy: Strategy,
    /// Single: the window. Cron and recurring: the date range the windows must start in.
    pub start_date_time: Option<NaiveDateTime>,
    pub end_date_time: Option<NaiveDateTime>,
    /// Recurring: the daily window (an end before the start ends the next day).
    pub start_time: Option<NaiveTime>,
    pub end_time: Option<NaiveTime>,
    /// Recurring-weekday: 0 = Sunday … 6 = Saturday.
    pub weekdays: Vec<u8>,
    pub days_of_month: Vec<MonthDay>,
    /// Recurring-interval: every this many days.
    pub interval_day: Option<u32>,
    pub cron: Option<String>,
    /// Cron: minutes each window lasts.
    pub duration: Option<u32>,
    /// IANA name, validated on write.
    pub timezone: String,
    pub monitor_ids: Vec<String>,
    pub created_at: UnixMillis,
    pub updated_at: UnixMillis,
}

/// One maintenance window; `end` is None for a manual maintenance (open until paused).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub start: UnixMillis,
    pub end: Option<UnixMillis>,
}

impl Window {
    fn contains(&self, t: UnixMillis) -> bool {
        self.start <= t && self.end.is_none_or(|e| t < e)
    }
}

pub const TITLE_MAX: usize = 150;
pub const DESCRIPTION_MAX: usize = 2000;
/// Longest cron window: a week.
pub const DURATION_MAX: u32 = 7 * 24 * 60;
pub const INTERVAL_DAY_MAX: u32 = 3650;
/// How far ahead recurring windows are searched (days of the month that rarely occur,
/// such as the 31st with a narrow date range, may need a long look).
const SEARCH_DAYS: i64 = 5 * 366;

/// A whole maintenance as a client writes it; times as strings, validated here.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MaintenanceDraft {
    pub title: String,
    pub description: String,
    pub active: bool,
    pub strategy: String,
    pub start_date_time: Option<String>,
    pub end_date_time: Option<String>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub weekdays: Vec<i64>,
    /// Numbers as strings (`"15"`) or `lastDayN`.
    pub days_of_month: Vec<String>,
    pub interval_day: Option<u32>,
    pub cron: Option<String>,
    pub duration: Option<u32>,
    pub timezone: String,
    pub monitor_ids: Vec<String>,
}

/// The validated fields of a maintenance (everything but id and timestamps).
#[derive(Clone, Debug, PartialEq)]
pub struct ValidMaintenance {
    pub title: String,
    pub description: String,
    pub active: bool,
    pub strategy: Strategy,
    pub start_date_time: Option<NaiveDateTime>,
    pub end_date_time: Option<NaiveDateTime>,
    pub start_time: Option<NaiveTime>,
    pub end_time: Option<NaiveTime>,
    pub weekdays: Vec<u8>,
    pub days_of_month: Vec<MonthDay>,
    pub interval_day: Option<u32>,
    pub cron: Option<String>,
    pub duration: Option<u32>,
    pub timezone: String,
    pub monitor_ids: Vec<String>,
}

impl ValidMaintenance {
    pub fn into_maintenance(self, id: String, created_at: UnixMillis, updated_at: UnixMillis) -> Maintenance {
        Maintenance {
            id,
            title: self.title,
            description: self.description,
            active: self.active,
            strategy: self.strategy,
            start_date_time: self.start_date_time,
            end_date_time: self.end_date_time,
            start_time: self.start_time,
            end_time: self.end_time,
            weekdays: self.weekdays,
            days_of_month: self.days_of_month,
            interval_day: self.interval_day,
            cron: self.cron,
            duration: self.duration,
            timezone: self.timezone,
            monitor_ids: self.monitor_ids,
            created_at,
            updated_at,
        }
    }
}

/// Parses `YYYY-MM-DDTHH:mm` (Peekaping's form; seconds and a space separator are also
/// taken) as a local time, or an RFC 3339 instant converted into `tz`.
pub fn parse_local_date_time(s: &str, tz: Tz) -> Option<NaiveDateTime> {
    let s = s.trim();
    for f in ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S%.f"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(t);
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0);
    }
    chrono::DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&tz).naive_local())
}

/// Parses `HH:mm` (or `HH:mm:ss`).
pub fn parse_time(s: &str) -> Option<NaiveTime> {
    let s = s.trim();
    NaiveTime::parse_from_str(s, "%H:%M").or_else(|_| NaiveTime::parse_from_str(s, "%H:%M:%S")).ok()
}

/// The form the API returns local date-times in.
pub fn format_local_date_time(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

pub fn format_time(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

/// Parses an IANA time zone name (empty means UTC).
pub fn parse_timezone(name: &str) -> Result<Tz, ValidationError> {
    let name = if name.trim().is_empty() { "UTC" } else { name.trim() };
    name.parse::<Tz>().map_err(|_| {
        ValidationError::new("timezone", format!("\"{name}\" is not an IANA time zone (e.g. Europe/Berlin)"))
    })
}

impl MaintenanceDraft {
    pub fn validate(&self) -> Result<ValidMaintenance, ValidationError> {
        let title = self.title.trim().to_string();
        if title.is_empty() {
            return Err(ValidationError::new("title", "is required"));
        }
        if title.chars().count() > TITLE_MAX {
            return Err(ValidationError::new("title", format!("must be at most {TITLE_MAX} characters")));
        }
        if self.description.chars().count() > DESCRIPTION_MAX {
            return Err(ValidationError::new("description", format!("must be at most {DESCRIPTION_MAX} characters")));
        }
        let strategy = Strategy::parse(&self.strategy).ok_or_else(|| {
            let names: Vec<&str> = Strategy::ALL.iter().map(|s| s.as_str()).collect();
            ValidationError::new("strategy", format!("must be one of {}", names.join(", ")))
        })?;
        let tz = parse_timezone(&self.timezone)?;
        let date_time = |field: &str, v: &Option<String>| -> Result<Option<NaiveDateTime>, ValidationError> {
            match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => parse_local_date_time(s, tz)
                    .map(Some)
                    .ok_or_else(|| ValidationError::new(field, "must be a date and time like 2025-01-31T22:00")),
            }
        };
        let time = |field: &str, v: &Option<String>| -> Result<Option<NaiveTime>, ValidationError> {
            match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => {
                    parse_time(s).map(Some).ok_or_else(|| ValidationError::new(field, "must be a time like 22:30"))
                }
            }
        };
        let mut v = ValidMaintenance {
            title,
            description: self.description.clone(),
            active: self.active,
            strategy,
            start_date_time: date_time("start_date_time", &self.start_date_time)?,
            end_date_time: date_time("end_date_time", &self.end_date_time)?,
            start_time: time("start_time", &self.start_time)?,
            end_time: time("end_time", &self.end_time)?,
            weekdays: Vec::new(),
            days_of_month: Vec::new(),
            interval_day: None,
            cron: None,
            duration: None,
            timezone: tz.name().to_string(),
            monitor_ids: dedup(&self.monitor_ids),
        };
        if let (Some(s), Some(e)) = (v.start_date_time, v.end_date_time)
            && e <= s
        {
            return Err(ValidationError::new("end_date_time", "must be after start_date_time"));
        }
        let needs_daily_window = matches!(
            strategy,
            Strategy::RecurringInterval | Strategy::RecurringWeekday | Strategy::RecurringDayOfMonth
        );
        match strategy {
            Strategy::Manual => {}
            Strategy::Single => {
                if v.start_date_time.is_none() {
                    return Err(ValidationError::new("start_date_time", "is required for a single window"));
                }
                if v.end_date_time.is_none() {
                    return Err(ValidationError::new("end_date_time", "is required for a single window"));
                }
            }
            Strategy::Cron => {
                let expr = self.cron.as_deref().map(str::trim).unwrap_or_default();
                if expr.is_empty() {
                    return Err(ValidationError::new("cron", "is required for the cron strategy"));
                }
                expr.parse::<croner::Cron>()
                    .map_err(|e| ValidationError::new("cron", format!("is not a cron expression: {e}")))?;
                let duration = self.duration.filter(|d| (1..=DURATION_MAX).contains(d)).ok_or_else(|| {
                    ValidationError::new(
                        "duration",
                        format!("must be 1 to {DURATION_MAX} minutes for the cron strategy"),
                    )
                })?;
                v.cron = Some(expr.to_string());
                v.duration = Some(duration);
            }
            Strategy::RecurringInterval => {
                let n = self.interval_day.filter(|n| (1..=INTERVAL_DAY_MAX).contains(n)).ok_or_else(|| {
                    ValidationError::new("interval_day", format!("must be 1 to {INTERVAL_DAY_MAX} days"))
                })?;
                if v.start_date_time.is_none() {
                    return Err(ValidationError::new(
                        "start_date_time",
                        "is required for recurring-interval (the first day counted from)",
                    ));
                }
                v.interval_day = Some(n);
            }
            Strategy::RecurringWeekday => {
                if self.weekdays.is_empty() {
                    return Err(ValidationError::new("weekdays", "choose at least one day"));
                }
                let mut days = Vec::new();
                for d in &self.weekdays {
                    let d = u8::try_from(*d)
                        .ok()
                        .filter(|d| *d <= 6)
                        .ok_or_else(|| ValidationError::new("weekdays", "days are 0 (Sunday) to 6 (Saturday)"))?;
                    if !days.contains(&d) {
                        days.push(d);
                    }
                }
                days.sort_unstable();
                v.weekdays = days;
            }
            Strategy::RecurringDayOfMonth => {
                if self.days_of_month.is_empty() {
                    return Err(ValidationError::new("days_of_month", "choose at least one day"));
                }
                let mut days = Vec::new();
                for d in &self.days_of_month {
                    let d = MonthDay::parse(d).ok_or_else(|| {
                        ValidationError::new("days_of_month", "days are 1 to 31 or lastDay1 (the last day) to lastDay4")
                    })?;
                    if !days.contains(&d) {
                        days.push(d);
                    }
                }
                v.days_of_month = days;
            }
        }
        if needs_daily_window {
            let s = v.start_time.ok_or_else(|| ValidationError::new("start_time", "is required"))?;
            let e = v.end_time.ok_or_else(|| ValidationError::new("end_time", "is required"))?;
            if s == e {
                return Err(ValidationError::new("end_time", "must differ from start_time"));
            }
        }
        Ok(v)
    }
}

fn dedup(ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in ids.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if !out.iter().any(|o| o == id) {
            out.push(id.to_string());
        }
    }
    out
}

/// A local time as the instant a window starts at.
fn start_instant(tz: Tz, t: NaiveDateTime) -> Option<UnixMillis> {
    resolve(tz, t, true)
}

/// A local time as the instant a window ends at.
fn end_instant(tz: Tz, t: NaiveDateTime) -> Option<UnixMillis> {
    resolve(tz, t, false)
}

fn resolve(tz: Tz, t: NaiveDateTime, earliest: bool) -> Option<UnixMillis> {
    match tz.from_local_datetime(&t) {
        LocalResult::Single(x) => Some(x.timestamp_millis()),
        LocalResult::Ambiguous(a, b) => {
            let (a, b) = (a.timestamp_millis(), b.timestamp_millis());
            Some(if earliest { a.min(b) } else { a.max(b) })
        }
        // In a gap: use the offset in force just before it (RFC 5545), i.e. the offset
        // of a moment a few hours earlier, which no gap is longer than.
        LocalResult::None => {
            let before = tz.from_local_datetime(&(t - Duration::hours(3))).earliest()?;
            let offset = before.offset().fix().local_minus_utc();
            Some((t - Duration::seconds(i64::from(offset))).and_utc().timestamp_millis())
        }
    }
}

impl Maintenance {
    fn tz(&self) -> Tz {
        // Validated on write; a zone name removed from the tz database reads as UTC.
        parse_timezone(&self.timezone).unwrap_or(Tz::UTC)
    }

    /// The bounds of the date range, as instants (cron and recurring strategies).
    fn range(&self, tz: Tz) -> (Option<UnixMillis>, Option<UnixMillis>) {
        (self.start_date_time.and_then(|t| start_instant(tz, t)), self.end_date_time.and_then(|t| end_instant(tz, t)))
    }

    /// The window of a recurring maintenance that starts on `date`, if it runs that day.
    fn daily_window(&self, tz: Tz, date: NaiveDate) -> Option<Window> {
        let (st, et) = (self.start_time?, self.end_time?);
        let runs = match self.strategy {
            Strategy::RecurringWeekday => self.weekdays.contains(&(date.weekday().num_days_from_sunday() as u8)),
            Strategy::RecurringDayOfMonth => self.days_of_month.iter().any(|d| d.matches(date)),
            Strategy::RecurringInterval => {
                let first = self.start_date_time?.date();
                let n = i64::from(self.interval_day?.max(1));
                let since = (date - first).num_days();
                since >= 0 && since % n == 0
            }
            _ => false,
        };
        if !runs {
            return None;
        }
        let end_date = if et > st { date } else { date.succ_opt()? };
        let start = start_instant(tz, date.and_time(st))?;
        let end = end_instant(tz, end_date.and_time(et))?;
        (end > start).then_some(Window { start, end: Some(end) })
    }

    /// Up to `n` windows that have not ended by `now`, earliest first (the first may be
    /// under way). A paused maintenance has none.
    pub fn windows_from(&self, now: UnixMillis, n: usize) -> Vec<Window> {
        if !self.active || n == 0 {
            return Vec::new();
        }
        let tz = self.tz();
        let (range_start, range_end) = self.range(tz);
        let clip = |w: Window| -> Option<Window> {
            if range_start.is_some_and(|s| w.start < s) || range_end.is_some_and(|e| w.start >= e) {
                return None;
            }
            let end = match (w.end, range_end) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (e, _) => e,
            };
            Some(Window { start: w.start, end })
        };
        let mut out = Vec::new();
        match self.strategy {
            Strategy::Manual => out.push(Window { start: self.updated_at.min(now), end: None }),
            Strategy::Single => {
                let w = self
                    .start_date_time
                    .zip(self.end_date_time)
                    .and_then(|(s, e)| Some(Window { start: start_instant(tz, s)?, end: Some(end_instant(tz, e)?) }));
                if let Some(w) = w.filter(|w| w.end.is_some_and(|e| e > now)) {
                    out.push(w);
                }
            }
            Strategy::Cron => {
                let (Some(expr), Some(minutes)) = (self.cron.as_deref(), self.duration) else { return out };
                let Ok(cron) = expr.parse::<croner::Cron>() else { return out };
                let length = i64::from(minutes) * 60_000;
                // A window that started up to one duration ago may still be under way.
                let from = (now - length).max(range_start.unwrap_or(i64::MIN));
                let Some(mut cursor) = tz.timestamp_millis_opt(from).single() else { return out };
                let mut inclusive = true;
                for _ in 0..10_000 {
                    let Ok(next) = cron.find_next_occurrence(&cursor, inclusive) else { break };
                    let start = next.timestamp_millis();
                    if range_end.is_some_and(|e| start >= e) {
                        break;
                    }
                    if let Some(w) = clip(Window { start, end: Some(start + length) })
                        && w.end.is_some_and(|e| e > now)
                    {
                        out.push(w);
                        if out.len() >= n {
                            break;
                        }
                    }
                    cursor = next;
                    inclusive = false;
                }
            }
            Strategy::RecurringInterval | Strategy::RecurringWeekday | Strategy::RecurringDayOfMonth => {
                let Some(today) = tz.timestamp_millis_opt(now).single().map(|t| t.date_naive()) else { return out };
                // Yesterday's window may run past midnight into today; a range that starts
                // later is searched from its start.
                let first = range_start
                    .and_then(|s| tz.timestamp_millis_opt(s).single())
                    .map(|s| s.date_naive())
                    .filter(|d| *d > today)
                    .unwrap_or(today);
                let mut date = first - Duration::days(1);
                let last = first + Duration::days(SEARCH_DAYS);
                while date <= last && out.len() < n {
                    if let Some(w) = self.daily_window(tz, date).and_then(clip)
                        && w.end.is_some_and(|e| e > now)
                    {
                        out.push(w);
                    }
                    if range_end
                        .and_then(|e| tz.timestamp_millis_opt(e).single())
                        .is_some_and(|e| date > e.date_naive())
                    {
                        break;
                    }
                    date = match date.succ_opt() {
                        Some(d) => d,
                        None => break,
                    };
                }
            }
        }
        out.truncate(n);
        out
    }
}

/// Whether the maintenance is on at `now`. Cheap enough for every producer tick: a
/// recurring maintenance looks at yesterday's and today's windows only.
pub fn is_active(m: &Maintenance, now: UnixMillis) -> bool {
    match m.strategy {
        Strategy::RecurringInterval | Strategy::RecurringWeekday | Strategy::RecurringDayOfMonth if m.active => {
            let tz = m.tz();
            let (range_start, range_end) = m.range(tz);
            if range_start.is_some_and(|s| now < s) || range_end.is_some_and(|e| now >= e) {
                return false;
            }
            let Some(today) = tz.timestamp_millis_opt(now).single().map(|t| t.date_naive()) else { return false };
            [today - Duration::days(1), today].into_iter().any(|d| {
                m.daily_window(tz, d)
                    .filter(|w| range_start.is_none_or(|s| w.start >= s))
                    .is_some_and(|w| w.contains(now))
            })
        }
        _ => m.windows_from(now, 1).first().is_some_and(|w| w.contains(now)),
    }
}

/// The next `n` windows that have not ended at `now` (the first may be under way).
pub fn next_windows(m: &Maintenance, now: UnixMillis, n: usize) -> Vec<Window> {
    m.windows_from(now, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(s: &str) -> UnixMillis {
        chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp_millis()
    }

    fn iso(t: UnixMillis) -> String {
        chrono::DateTime::from_timestamp_millis(t).unwrap().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    }

    fn base(strategy: &str, tz: &str) -> MaintenanceDraft {
        MaintenanceDraft {
            title: "Window".into(),
            active: true,
            strategy: strategy.into(),
            timezone: tz.into(),
            ..Default::default()
        }
    }

    fn build(d: MaintenanceDraft) -> Maintenance {
        d.validate().unwrap().into_maintenance("m".into(), 0, 0)
    }

    fn windows(m: &Maintenance, now: &str, n: usize) -> Vec<(String, String)> {
        next_windows(m, ms(now), n).into_iter().map(|w| (iso(w.start), w.end.map(iso).unwrap_or_default())).collect()
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.to_string(), b.to_string())
    }

    fn daily(strategy: &str, tz: &str, start: &str, end: &str) -> MaintenanceDraft {
        MaintenanceDraft { start_time: Some(start.into()), end_time: Some(end.into()), ..base(strategy, tz) }
    }

    #[test]
    fn manual_is_on_while_active_and_off_when_paused() {
        let mut m = build(base("manual", "UTC"));
        assert!(is_active(&m, ms("2030-01-01T00:00:00Z")));
        m.active = false;
        assert!(!is_active(&m, ms("2030-01-01T00:00:00Z")));
        assert!(next_windows(&m, 0, 3).is_empty());
    }

    #[test]
    fn single_window_is_read_in_its_time_zone() {
        let m = build(MaintenanceDraft {
            start_date_time: Some("2025-06-01T22:00".into()),
            end_date_time: Some("2025-06-02T01:30".into()),
            ..base("single", "America/New_York")
        });
        // EDT is UTC-4.
        assert_eq!(windows(&m, "2025-06-01T00:00:00Z", 5), vec![pair("2025-06-02T02:00:00Z", "2025-06-02T05:30:00Z")]);
        assert!(!is_active(&m, ms("2025-06-02T01:59:59Z")));
        assert!(is_active(&m, ms("2025-06-02T02:00:00Z")));
        assert!(is_active(&m, ms("2025-06-02T05:29:59Z")));
        assert!(!is_active(&m, ms("2025-06-02T05:30:00Z")));
        assert!(windows(&m, "2025-06-03T00:00:00Z", 5).is_empty(), "over: no windows left");
    }

    #[test]
    fn a_daily_window_crossing_midnight_ends_the_next_day_and_is_on_after_midnight() {
        let m = build(MaintenanceDraft { weekdays: vec![1], ..daily("recurring-weekday", "UTC", "23:00", "01:00") });
        // 2025-03-03 is a Monday.
        assert_eq!(
            windows(&m, "2025-03-03T12:00:00Z", 2),
            vec![
                pair("2025-03-03T23:00:00Z", "2025-03-04T01:00:00Z"),
                pair("2025-03-10T23:00:00Z", "2025-03-11T01:00:00Z")
            ]
        );
        assert!(is_active(&m, ms("2025-03-04T00:30:00Z")), "Monday's window is still on on Tuesday 00:30");
        assert!(!is_active(&m, ms("2025-03-04T01:00:00Z")));
        assert!(!is_active(&m, ms("2025-03-03T22:59:00Z")));
    }

    #[test]
    fn berlin_spring_forward_keeps_the_wall_clock_and_reads_the_gap_with_the_old_offset() {
        // 2025-03-30: Berlin jumps from 02:00 CET to 03:00 CEST. Every day 01:00–04:00.
        let m = build(MaintenanceDraft {
            weekdays: (0..=6).collect(),
            ..daily("recurring-weekday", "Europe/Berlin", "01:00", "04:00")
        });
        assert_eq!(
            windows(&m, "2025-03-29T12:00:00Z", 3),
            vec![
                pair("2025-03-30T00:00:00Z", "2025-03-30T02:00:00Z"), // 01:00 CET → 04:00 CEST: 2 h
                pair("2025-03-30T23:00:00Z", "2025-03-31T02:00:00Z"),
                pair("2025-03-31T23:00:00Z", "2025-04-01T02:00:00Z"),
            ]
        );
        // A start inside the gap (02:30 does not exist that day) is read with CET: 01:30 UTC.
        let gap = build(MaintenanceDraft {
            weekdays: vec![0],
            ..daily("recurring-weekday", "Europe/Berlin", "02:30", "05:00")
        });
        assert_eq!(
            windows(&gap, "2025-03-29T12:00:00Z", 1),
            vec![pair("2025-03-30T01:30:00Z", "2025-03-30T03:00:00Z")]
        );
    }

    #[test]
    fn berlin_fall_back_covers_both_passes_of_the_repeated_hour() {
        // 2025-10-26: 03:00 CEST becomes 02:00 CET; 02:00–02:59 happen twice.
        let m = build(MaintenanceDraft {
            weekdays: vec![0],
            ..daily("recurring-weekday", "Europe/Berlin", "02:00", "02:45")
        });
        // From the first 02:00 (CEST, 00:00 UTC) to the second 02:45 (CET, 01:45 UTC).
        assert_eq!(windows(&m, "2025-10-25T12:00:00Z", 1), vec![pair("2025-10-26T00:00:00Z", "2025-10-26T01:45:00Z")]);
        assert!(is_active(&m, ms("2025-10-26T01:10:00Z")), "the second pass of 02:10 is inside");
    }

    #[test]
    fn new_york_windows_follow_daylight_saving() {
        // 2025-03-09 02:00 EST → 03:00 EDT; 2025-11-02 02:00 EDT → 01:00 EST.
        let m = build(MaintenanceDraft {
            weekdays: (0..=6).collect(),
            ..daily("recurring-weekday", "America/New_York", "09:00", "10:00")
        });
        assert_eq!(
            windows(&m, "2025-03-08T00:00:00Z", 2),
            vec![
                pair("2025-03-08T14:00:00Z", "2025-03-08T15:00:00Z"),
                pair("2025-03-09T13:00:00Z", "2025-03-09T14:00:00Z")
            ]
        );
        assert_eq!(
            windows(&m, "2025-11-01T00:00:00Z", 2),
            vec![
                pair("2025-11-01T13:00:00Z", "2025-11-01T14:00:00Z"),
                pair("2025-11-02T14:00:00Z", "2025-11-02T15:00:00Z")
            ]
        );
    }

    #[test]
    fn last_day_of_february_in_leap_and_common_years() {
        let m = build(MaintenanceDraft {
            days_of_month: vec!["lastDay1".into()],
            ..daily("recurring-day-of-month", "UTC", "22:00", "23:00")
        });
        assert_eq!(
            windows(&m, "2024-02-01T00:00:00Z", 2),
            vec![
                pair("2024-02-29T22:00:00Z", "2024-02-29T23:00:00Z"),
                pair("2024-03-31T22:00:00Z", "2024-03-31T23:00:00Z")
            ]
        );
        assert_eq!(windows(&m, "2025-02-01T00:00:00Z", 1), vec![pair("2025-02-28T22:00:00Z", "2025-02-28T23:00:00Z")]);
        // Day 29 does not exist in February 2025: that month is skipped.
        let d29 = build(MaintenanceDraft {
            days_of_month: vec!["29".into()],
            ..daily("recurring-day-of-month", "UTC", "22:00", "23:00")
        });
        assert_eq!(
            windows(&d29, "2025-02-01T00:00:00Z", 1),
            vec![pair("2025-03-29T22:00:00Z", "2025-03-29T23:00:00Z")]
        );
        assert_eq!(
            windows(&d29, "2024-02-01T00:00:00Z", 1),
            vec![pair("2024-02-29T22:00:00Z", "2024-02-29T23:00:00Z")]
        );
    }

    #[test]
    fn cron_windows_last_their_duration_in_the_time_zone_and_date_range() {
        let m = build(MaintenanceDraft {
            cron: Some("30 3 * * *".into()),
            duration: Some(90),
            start_date_time: Some("2025-03-29T00:00".into()),
            end_date_time: Some("2025-04-01T00:00".into()),
            ..base("cron", "Europe/Berlin")
        });
        assert_eq!(
            windows(&m, "2025-03-01T00:00:00Z", 5),
            vec![
                pair("2025-03-29T02:30:00Z", "2025-03-29T04:00:00Z"),
                pair("2025-03-30T01:30:00Z", "2025-03-30T03:00:00Z"), // CEST from that day on
                pair("2025-03-31T01:30:00Z", "2025-03-31T03:00:00Z"),
            ],
            "nothing after the end of the range"
        );
        assert!(is_active(&m, ms("2025-03-30T02:59:00Z")), "an occurrence that started an hour ago is on");
        assert!(!is_active(&m, ms("2025-03-30T03:00:00Z")));
    }

    #[test]
    fn a_range_starting_years_ahead_still_shows_its_first_windows() {
        let m = build(MaintenanceDraft {
            days_of_month: vec!["lastDay1".into()],
            start_date_time: Some("2040-02-01T00:00".into()),
            ..daily("recurring-day-of-month", "UTC", "22:00", "23:00")
        });
        assert_eq!(windows(&m, "2025-01-01T00:00:00Z", 1), vec![pair("2040-02-29T22:00:00Z", "2040-02-29T23:00:00Z")]);
        assert!(!is_active(&m, ms("2025-01-31T22:30:00Z")), "not before the range");
    }

    #[test]
    fn recurring_interval_counts_days_from_the_start_date() {
        let m = build(MaintenanceDraft {
            interval_day: Some(3),
            start_date_time: Some("2025-01-01T00:00".into()),
            ..daily("recurring-interval", "UTC", "02:00", "03:00")
        });
        assert_eq!(
            windows(&m, "2024-12-01T00:00:00Z", 3),
            vec![
                pair("2025-01-01T02:00:00Z", "2025-01-01T03:00:00Z"),
                pair("2025-01-04T02:00:00Z", "2025-01-04T03:00:00Z"),
                pair("2025-01-07T02:00:00Z", "2025-01-07T03:00:00Z"),
            ]
        );
    }

    #[test]
    fn a_paused_maintenance_is_never_on() {
        let mut m = build(MaintenanceDraft {
            weekdays: (0..=6).collect(),
            ..daily("recurring-weekday", "UTC", "00:00", "23:59")
        });
        assert!(is_active(&m, ms("2025-05-05T12:00:00Z")));
        m.active = false;
        assert!(!is_active(&m, ms("2025-05-05T12:00:00Z")));
    }

    #[test]
    fn every_bad_field_is_named() {
        let field = |d: MaintenanceDraft| d.validate().unwrap_err().field;
        assert_eq!(field(MaintenanceDraft { title: " ".into(), ..base("manual", "UTC") }), "title");
        assert_eq!(field(base("weekly", "UTC")), "strategy");
        assert_eq!(field(base("manual", "Mars/Olympus")), "timezone");
        assert_eq!(field(base("single", "UTC")), "start_date_time");
        assert_eq!(
            field(MaintenanceDraft {
                start_date_time: Some("2025-01-02T00:00".into()),
                end_date_time: Some("2025-01-01T00:00".into()),
                ..base("single", "UTC")
            }),
            "end_date_time"
        );
        assert_eq!(
            field(MaintenanceDraft { start_date_time: Some("tomorrow".into()), ..base("single", "UTC") }),
            "start_date_time"
        );
        assert_eq!(field(MaintenanceDraft { cron: Some("not cron".into()), ..base("cron", "UTC") }), "cron");
        assert_eq!(field(MaintenanceDraft { cron: Some("0 3 * * *".into()), ..base("cron", "UTC") }), "duration");
        assert_eq!(field(daily("recurring-weekday", "UTC", "01:00", "02:00")), "weekdays");
        assert_eq!(
            field(MaintenanceDraft { weekdays: vec![7], ..daily("recurring-weekday", "UTC", "01:00", "02:00") }),
            "weekdays"
        );
        assert_eq!(
            field(MaintenanceDraft { weekdays: vec![1], ..daily("recurring-weekday", "UTC", "25:00", "02:00") }),
            "start_time"
        );
        assert_eq!(
            field(MaintenanceDraft { weekdays: vec![1], ..daily("recurring-weekday", "UTC", "02:00", "02:00") }),
            "end_time"
        );
        assert_eq!(
            field(MaintenanceDraft {
                days_of_month: vec!["32".into()],
                ..daily("recurring-day-of-month", "UTC", "01:00", "02:00")
            }),
            "days_of_month"
        );
        assert_eq!(field(daily("recurring-interval", "UTC", "01:00", "02:00")), "interval_day");
    }

    #[test]
    fn is_active_agrees_with_the_windows_minute_by_minute_across_dst() {
        let range = MaintenanceDraft {
            weekdays: (0..=6).collect(),
            start_date_time: Some("2025-03-29T12:00".into()),
            end_date_time: Some("2025-04-02T02:00".into()),
            ..daily("recurring-weekday", "Europe/Berlin", "23:30", "02:30")
        };
        let m = build(range);
        let start = ms("2025-03-29T00:00:00Z");
        for minute in 0..(5 * 24 * 60) {
            let now = start + minute * 60_000;
            let by_windows = m.windows_from(now, 1).first().is_some_and(|w| w.contains(now));
            assert_eq!(is_active(&m, now), by_windows, "at {}", iso(now));
        }
    }

    #[test]
    fn month_days_parse_numbers_and_last_days() {
        assert_eq!(MonthDay::parse("lastDay1"), Some(MonthDay::FromEnd(1)));
        assert_eq!(MonthDay::parse("15"), Some(MonthDay::Day(15)));
        assert_eq!(MonthDay::parse("lastDay5"), None);
        assert_eq!(MonthDay::parse("0"), None);
        assert!(MonthDay::FromEnd(2).matches(NaiveDate::from_ymd_opt(2024, 2, 28).unwrap()));
    }
}

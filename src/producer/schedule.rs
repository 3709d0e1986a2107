//! The due-time min-heap: which monitor is checked next, and when.
//!
//! Pure bookkeeping on a monotonic millisecond clock supplied by the caller, so a wall
//! clock jumping forward or back never causes a burst of checks or a silent gap. Entries
//! are replaced lazily: each (re)scheduling bumps a generation and stale heap items are
//! skipped when they surface, so updates are O(log n) and nothing scans all monitors.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

use crate::domain::{Monitor, UnixMillis};

/// Monotonic milliseconds (from the producer's start), not wall-clock time.
pub type MonoMillis = u64;

#[derive(Debug)]
struct Entry {
    monitor: Arc<Monitor>,
    due: MonoMillis,
    generation: u64,
    /// Push monitors: wall time of the latest push.
    last_push_at: Option<UnixMillis>,
}

/// One check to dispatch now.
#[derive(Clone, Debug, PartialEq)]
pub struct Due {
    pub monitor: Arc<Monitor>,
    /// When it was due (monotonic).
    pub due: MonoMillis,
    pub last_push_at: Option<UnixMillis>,
}

#[derive(Debug, Default)]
pub struct Schedule {
    heap: BinaryHeap<Reverse<(MonoMillis, u64, Arc<str>)>>,
    entries: HashMap<Arc<str>, Entry>,
    next_generation: u64,
}

/// A monitor's phase within its interval, stable per monitor id: checks run at
/// `k·interval + phase` (wall time), so monitors spread evenly over the interval whatever
/// their creation times, and a restart resumes the same cadence (Peekaping instead aligns
/// every monitor of an interval to the same instant).
pub fn spread_offset(id: &str, interval_ms: u64) -> MonoMillis {
    if interval_ms == 0 {
        return 0;
    }
    let mut h: u64 = 0xcbf29ce484222325;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h % interval_ms
}

/// The first instant at or after `earliest` (wall ms) on the monitor's phase.
pub fn next_on_phase(id: &str, interval_ms: u64, earliest: UnixMillis) -> UnixMillis {
    let i = interval_ms.max(1) as i64;
    let phase = spread_offset(id, interval_ms) as i64;
    (earliest - phase + i - 1).div_euclid(i) * i + phase
}

impl Schedule {
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn contains(&self, id: &str) -> bool {
        self.entries.contains_key(id)
    }

    pub fn monitor(&self, id: &str) -> Option<&Arc<Monitor>> {
        self.entries.get(id).map(|e| &e.monitor)
    }

    /// Adds or replaces a monitor, due at `due`. Keeps the known last push.
    pub fn upsert(&mut self, monitor: Monitor, due: MonoMillis) {
        let id: Arc<str> = Arc::from(monitor.id.as_str());
        let last_push_at = self.entries.get(&id).and_then(|e| e.last_push_at);
        let generation = self.bump();
        self.entries.insert(id.clone(), Entry { monitor: Arc::new(monitor), due, generation, last_push_at });
        self.heap.push(Reverse((due, generation, id)));
    }

    pub fn remove(&mut self, id: &str) -> bool {
        self.entries.remove(id).is_some()
    }

    /// Moves a monitor's next check to `due`.
    pub fn reschedule(&mut self, id: &str, due: MonoMillis) {
        let Some(key) = self.entries.get_key_value(id).map(|(k, _)| k.clone()) else { return };
        let generation = self.bump();
        let e = self.entries.get_mut(&key).expect("key taken from the map");
        e.due = due;
        e.generation = generation;
        self.heap.push(Reverse((due, generation, key)));
    }

    /// Brings the next check earlier (never later) than already planned.
    pub fn pull_earlier(&mut self, id: &str, due: MonoMillis) {
        if self.entries.get(id).is_some_and(|e| due < e.due) {
            self.reschedule(id, due);
        }
    }

    pub fn last_push(&self, id: &str) -> Option<UnixMillis> {
        self.entries.get(id).and_then(|e| e.last_push_at)
    }

    pub fn due_of(&self, id: &str) -> Option<MonoMillis> {
        self.entries.get(id).map(|e| e.due)
    }

    pub fn set_last_push(&mut self, id: &str, at: UnixMillis) {
        if let Some(e) = self.entries.get_mut(id) {
            e.last_push_at = Some(e.last_push_at.map_or(at, |p| p.max(at)));
        }
    }

    /// When the earliest live entry falls due.
    pub fn next_due(&mut self) -> Option<MonoMillis> {
        while let Some(Reverse((due, generation, id))) = self.heap.peek() {
            match self.entries.get(id) {
                Some(e) if e.generation == *generation => return Some(*due),
                _ => {
                    self.heap.pop();
                }
            }
        }
        None
    }

    /// Takes up to `max` checks due at `now` (monotonic; `wall_now` is the same instant on
    /// the wall clock) and plans each one's next run: the next point on its phase at least
    /// half an interval away (so a check off phase, e.g. right after creation or a retry,
    /// drifts back onto it), and never in the past: a monitor that fell behind (overload,
    /// a suspended machine) resumes from now instead of bursting to catch up. Push
    /// monitors keep a plain interval: their deadline is moved by each push.
    pub fn pop_due(&mut self, now: MonoMillis, wall_now: UnixMillis, max: usize) -> Vec<Due> {
        let mut out = Vec::new();
        while out.len() < max {
            let Some(Reverse((due, generation, id))) = self.heap.peek().cloned() else { break };
            if due > now {
                break;
            }
            self.heap.pop();
            let Some(e) = self.entries.get(&id) else { continue };
            if e.generation != generation {
                continue;
            }
            let interval = u64::from(e.monitor.interval.max(1)) * 1000;
            let next = if e.monitor.kind == "push" {
                let next = due + interval;
                if next <= now { now + interval } else { next }
            } else {
                let wall_due = wall_now - (now - due) as i64;
                let earliest = (wall_due + (interval / 2) as i64).max(wall_now + 1);
                now + (next_on_phase(&id, interval, earliest) - wall_now) as u64
            };
            out.push(Due { monitor: e.monitor.clone(), due, last_push_at: e.last_push_at });
            let generation = self.bump();
            let e = self.entries.get_mut(&id).expect("entry checked above");
            e.due = next;
            e.generation = generation;
            self.heap.push(Reverse((next, generation, id)));
        }
        out
    }

    /// Ids of every scheduled monitor.
    pub fn ids(&self) -> Vec<String> {
        self.entries.keys().map(|k| k.to_string()).collect()
    }

    fn bump(&mut self) -> u64 {
        self.next_generation += 1;
        self.next_generation
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::MonitorStatus;

    fn monitor(id: &str, interval: u32) -> Monitor {
        Monitor {
            id: id.into(),
            kind: "tcp".into(),
            name: id.into(),
            interval,
            timeout: interval,
            max_retries: 0,
            retry_interval: interval,
            resend_interval: 0,
            active: true,
            status: MonitorStatus::Pending,
            config: r#"{"host":"127.0.0.1","port":1}"#.into(),
            proxy_id: None,
            push_token: None,
            parent_id: None,
            depends_on: None,
            notify_after_failures: 1,
            notify_after_successes: 1,
            run_started_at: None,
            notification_ids: vec![],
            tag_ids: vec![],
            tags: vec![],
            created_at: 0,
            updated_at: 0,
        }
    }

    /// Wall time equal to monotonic time plus this, in these tests.
    const WALL: i64 = 1_800_000_000_000;

    fn pop(s: &mut Schedule, now: MonoMillis) -> Vec<Due> {
        s.pop_due(now, WALL + now as i64, 100)
    }

    fn phase_of(id: &str, interval_ms: u64) -> u64 {
        (next_on_phase(id, interval_ms, WALL) - WALL) as u64
    }

    #[test]
    fn checks_come_out_in_due_order_and_settle_on_their_phase() {
        let mut s = Schedule::default();
        s.upsert(monitor("a", 20), 5_000);
        s.upsert(monitor("b", 30), 1_000);
        assert_eq!(s.next_due(), Some(1_000));
        let d = pop(&mut s, 1_000);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].monitor.id, "b");
        let next = s.due_of("b").unwrap();
        assert!((16_000..=46_000).contains(&next), "between half and one and a half intervals: {next}");
        assert_eq!((WALL + next as i64 - next_on_phase("b", 30_000, WALL)).rem_euclid(30_000), 0, "on phase");
        // Once on phase, exactly one interval apart.
        pop(&mut s, next);
        assert_eq!(s.due_of("b"), Some(next + 30_000));
    }

    #[test]
    fn a_monitor_that_fell_behind_does_not_burst() {
        let mut s = Schedule::default();
        s.upsert(monitor("a", 20), 0);
        let d = pop(&mut s, 100_000);
        assert_eq!(d.len(), 1, "one check, not five catch-up checks");
        let next = s.due_of("a").unwrap();
        assert!(next > 100_000 && next <= 120_000, "{next}");
        assert!(pop(&mut s, 100_000).is_empty());
    }

    #[test]
    fn monitors_created_together_spread_over_the_interval() {
        let mut s = Schedule::default();
        for i in 0..200 {
            s.upsert(monitor(&format!("m{i}"), 20), 0);
        }
        assert_eq!(pop(&mut s, 0).len(), 100);
        assert_eq!(pop(&mut s, 0).len(), 100, "all first checks run at once (right after creation)");
        let mut per_second = [0u32; 40];
        let mut now = 1;
        while now < 40_000 {
            for _ in pop(&mut s, now) {
                per_second[(now / 1000) as usize] += 1;
            }
            now += 50;
        }
        let busiest = per_second[20..40].iter().max().unwrap();
        assert!(*busiest < 40, "the second round is spread out, not a burst of 200: {per_second:?}");
    }

    #[test]
    fn phases_are_stable_and_within_the_interval() {
        assert_eq!(phase_of("x", 20_000), phase_of("x", 20_000));
        assert!(phase_of("x", 20_000) < 20_000);
        let t = next_on_phase("x", 20_000, WALL + 5);
        assert!((WALL + 5..WALL + 5 + 20_000).contains(&t));
    }

    #[test]
    fn rescheduling_replaces_the_old_due_time() {
        let mut s = Schedule::default();
        s.upsert(monitor("a", 60), 60_000);
        s.reschedule("a", 10_000);
        assert_eq!(s.next_due(), Some(10_000));
        assert_eq!(pop(&mut s, 10_000).len(), 1);
        assert!(s.due_of("a").unwrap() > 10_000 + 30_000, "the next check is a new one, not the stale 60 s entry");
    }

    #[test]
    fn pull_earlier_never_delays() {
        let mut s = Schedule::default();
        s.upsert(monitor("a", 60), 10_000);
        s.pull_earlier("a", 50_000);
        assert_eq!(s.due_of("a"), Some(10_000));
        s.pull_earlier("a", 5_000);
        assert_eq!(s.due_of("a"), Some(5_000));
    }

    #[test]
    fn removed_monitors_are_never_dispatched() {
        let mut s = Schedule::default();
        s.upsert(monitor("a", 20), 0);
        assert!(s.remove("a"));
        assert_eq!(s.next_due(), None);
        assert!(pop(&mut s, 1_000_000).is_empty());
    }

    #[test]
    fn updating_a_monitor_keeps_its_last_push() {
        let mut s = Schedule::default();
        s.upsert(monitor("p", 60), 0);
        s.set_last_push("p", 123);
        s.upsert(monitor("p", 30), 10);
        assert_eq!(pop(&mut s, 10)[0].last_push_at, Some(123));
    }

    #[test]
    fn spread_is_stable_and_within_one_interval() {
        for id in ["a", "b", "0b6f…", "monitor-42"] {
            let o = spread_offset(id, 20_000);
            assert!(o < 20_000);
            assert_eq!(o, spread_offset(id, 20_000));
        }
        let offsets: std::collections::HashSet<_> =
            (0..100).map(|i| spread_offset(&format!("m{i}"), 20_000) / 1000).collect();
        assert!(offsets.len() > 10, "first checks are spread, not aligned");
    }
}

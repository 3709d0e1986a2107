//! The status state machine: how one observed check outcome becomes a heartbeat.
//!
//! Peekaping's rules (reference §6) with its gaps fixed:
//! - retries apply from the very first beat (a new monitor whose first check blips goes
//!   PENDING, not DOWN), and start again after maintenance;
//! - MAINTENANCE → DOWN notifies, even with `max_retries = 0`;
//! - resend counts consecutive unimportant DOWN beats and notifies every `resend_interval`.

use super::{MonitorStatus, UnixMillis};

/// What the ingester remembers of a monitor's latest heartbeat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BeatState {
    pub status: MonitorStatus,
    pub retries: u32,
    pub down_count: u32,
    pub time: UnixMillis,
}

/// The per-monitor settings the state machine needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct RetryPolicy {
    /// Failed checks reported as PENDING before the monitor is DOWN.
    pub max_retries: u32,
    /// Notify again after this many consecutive DOWN beats; 0 turns resending off.
    pub resend_interval: u32,
}

/// The heartbeat fields the state machine decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transition {
    pub status: MonitorStatus,
    pub retries: u32,
    pub down_count: u32,
    /// Worth listing as an event: a change of state (or the first beat).
    pub important: bool,
    /// Worth a notification: UP↔DOWN, into DOWN from anywhere, the first beat, or a resend.
    pub notify: bool,
}

/// Applies one observed status to the previous beat (None for the monitor's first beat).
pub fn next_beat(prev: Option<&BeatState>, observed: MonitorStatus, policy: RetryPolicy) -> Transition {
    use MonitorStatus::*;
    let prev_status = prev.map(|p| p.status);
    let prev_retries = match prev_status {
        Some(Maintenance) | None => 0,
        Some(_) => prev.map_or(0, |p| p.retries),
    };

    let (status, retries) = match observed {
        Down => {
            let retries = prev_retries.saturating_add(1);
            let already_down = prev_status == Some(Down);
            if !already_down && retries <= policy.max_retries { (Pending, retries) } else { (Down, retries) }
        }
        // A check that itself reports PENDING (a container still starting) neither
        // counts as a failure nor clears the failures so far.
        Pending => (Pending, prev_retries),
        Up | Maintenance => (observed, 0),
    };

    let important = is_important(prev_status, status);
    let mut notify = notifies(prev_status, status);
    let mut down_count = 0;
    if status == Down && !important {
        down_count = prev.map_or(0, |p| p.down_count).saturating_add(1);
        if policy.resend_interval > 0 && down_count >= policy.resend_interval {
            notify = true;
            down_count = 0;
        }
    }

    Transition { status, retries, down_count, important, notify }
}

/// Flap damping (Gatus's thresholds): notify DOWN only after `failures` consecutive DOWN
/// beats and the recovery only after `successes` consecutive UP beats. 1 and 1 is the
/// plain state machine. Applies on top of retries: PENDING beats do not count as DOWN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Damping {
    pub failures: u32,
    pub successes: u32,
}

impl Default for Damping {
    fn default() -> Self {
        Self { failures: 1, successes: 1 }
    }
}

/// What the notification gate remembers per monitor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NotifyGate {
    /// The last status a notice was sent for (UP or DOWN).
    pub last_notified: Option<MonitorStatus>,
    /// The status of the current run of beats and its length.
    pub run: Option<(MonitorStatus, u32)>,
}

impl NotifyGate {
    /// The gate of a monitor whose latest stored status is `status` (after a restart: the
    /// notice for it is assumed sent, so a recovery is still announced).
    pub fn resume(status: Option<MonitorStatus>) -> Self {
        match status {
            Some(s @ (MonitorStatus::Up | MonitorStatus::Down)) => Self { last_notified: Some(s), run: Some((s, 1)) },
            _ => Self::default(),
        }
    }

    /// Whether the beat that `t` produced is notified, given the damping.
    pub fn admit(&mut self, t: &Transition, damping: Damping) -> bool {
        use MonitorStatus::*;
        self.run = match self.run {
            Some((s, n)) if s == t.status => Some((s, n.saturating_add(1))),
            _ => Some((t.status, 1)),
        };
        let run_len = self.run.map_or(0, |(_, n)| n);
        match t.status {
            // Still DOWN as far as the user knows: only resend reminders (a bounce through an
            // unannounced UP is not news).
            Down if self.last_notified == Some(Down) => t.notify && !t.important,
            Down if run_len >= damping.failures.max(1) => {
                self.last_notified = Some(Down);
                true
            }
            Up if self.last_notified == Some(Down) && run_len >= damping.successes.max(1) => {
                self.last_notified = Some(Up);
                true
            }
            Up if self.last_notified == Some(Down) => false,
            // A first beat that is UP, or UP after a DOWN that was never announced.
            Up if t.notify && self.last_notified.is_none() => {
                self.last_notified = Some(Up);
                true
            }
            _ => false,
        }
    }
}

/// Important beats are the status changes listed as events on the monitor page.
fn is_important(prev: Option<MonitorStatus>, cur: MonitorStatus) -> bool {
    use MonitorStatus::*;
    match (prev, cur) {
        (None, _) => true,
        (Some(p), c) if p == c => false,
        // Entering PENDING is a retry in progress, not yet an event.
        (Some(_), Pending) => false,
        _ => true,
    }
}

/// Transitions a user wants to hear about.
fn notifies(prev: Option<MonitorStatus>, cur: MonitorStatus) -> bool {
    use MonitorStatus::*;
    matches!((prev, cur), (None, Up | Down) | (Some(Up | Pending | Maintenance), Down) | (Some(Down), Up))
}

#[cfg(test)]
mod tests {
    use super::MonitorStatus::*;
    use super::*;

    fn policy(max_retries: u32, resend_interval: u32) -> RetryPolicy {
        RetryPolicy { max_retries, resend_interval }
    }

    /// Feeds observations through the machine and returns every transition.
    fn run(observed: &[MonitorStatus], p: RetryPolicy) -> Vec<Transition> {
        let mut prev: Option<BeatState> = None;
        let mut out = Vec::new();
        for (i, &o) in observed.iter().enumerate() {
            let t = next_beat(prev.as_ref(), o, p);
            prev = Some(BeatState { status: t.status, retries: t.retries, down_count: t.down_count, time: i as i64 });
            out.push(t);
        }
        out
    }

    /// Feeds observations through the machine and the gate; returns which beats notify.
    fn gated(observed: &[MonitorStatus], p: RetryPolicy, d: Damping) -> Vec<bool> {
        let mut prev: Option<BeatState> = None;
        let mut gate = NotifyGate::default();
        let mut out = Vec::new();
        for (i, &o) in observed.iter().enumerate() {
            let t = next_beat(prev.as_ref(), o, p);
            prev = Some(BeatState { status: t.status, retries: t.retries, down_count: t.down_count, time: i as i64 });
            out.push(gate.admit(&t, d));
        }
        out
    }

    #[test]
    fn an_undamped_gate_follows_the_state_machine() {
        let seq = [Up, Up, Down, Down, Down, Up, Up, Down, Up];
        let plain: Vec<bool> = run(&seq, policy(0, 0)).iter().map(|t| t.notify).collect();
        assert_eq!(gated(&seq, policy(0, 0), Damping::default()), plain);
        let seq = [Down, Down, Down, Down, Up];
        let plain: Vec<bool> = run(&seq, policy(1, 2)).iter().map(|t| t.notify).collect();
        assert_eq!(gated(&seq, policy(1, 2), Damping::default()), plain, "retries and resends unchanged");
    }

    #[test]
    fn damping_waits_for_consecutive_failures_and_successes() {
        let d = Damping { failures: 3, successes: 2 };
        // Two DOWN beats then UP: never announced, so the recovery is quiet too.
        assert_eq!(gated(&[Up, Down, Down, Up, Up], policy(0, 0), d), [true, false, false, false, false]);
        // Three DOWN beats: announced on the third; UP announced on the second UP.
        assert_eq!(
            gated(&[Up, Down, Down, Down, Down, Up, Down, Up, Up], policy(0, 0), d),
            [true, false, false, true, false, false, false, false, true],
            "a single UP inside a DOWN run is not a recovery"
        );
    }

    #[test]
    fn a_resumed_gate_still_announces_the_recovery() {
        let mut g = NotifyGate::resume(Some(Down));
        let t = next_beat(Some(&BeatState { status: Down, retries: 1, down_count: 0, time: 0 }), Up, policy(0, 0));
        assert!(g.admit(&t, Damping::default()));
    }

    #[test]
    fn first_beat_is_important_and_notifies() {
        let t = next_beat(None, Up, policy(0, 0));
        assert!(t.important && t.notify);
        assert_eq!(t.status, Up);
    }

    #[test]
    fn down_without_retries_is_down_at_once_and_notifies() {
        let t = run(&[Up, Down], policy(0, 0));
        assert_eq!(t[1].status, Down);
        assert!(t[1].important && t[1].notify);
    }

    #[test]
    fn pending_while_retries_remain_then_down_after_retries_exhausted() {
        let t = run(&[Up, Down, Down, Down, Down], policy(2, 0));
        let statuses: Vec<_> = t.iter().map(|t| t.status).collect();
        assert_eq!(statuses, vec![Up, Pending, Pending, Down, Down]);
        assert!(!t[1].important && !t[1].notify, "entering PENDING is quiet");
        assert!(t[3].important && t[3].notify, "PENDING → DOWN notifies");
        assert!(!t[4].important && !t[4].notify);
        assert_eq!(t[3].retries, 3);
    }

    #[test]
    fn retries_apply_to_the_first_beat_too() {
        let t = run(&[Down, Up], policy(1, 0));
        assert_eq!(t[0].status, Pending);
        assert!(t[0].important, "the first beat is always important");
        assert!(!t[0].notify, "a first PENDING is not worth a message");
        assert_eq!(t[1].status, Up);
        assert!(t[1].important && !t[1].notify, "PENDING → UP is an event, not an alert");
    }

    #[test]
    fn recovery_resets_retries() {
        let t = run(&[Up, Down, Up, Down], policy(1, 0));
        assert_eq!(t[1].status, Pending);
        assert_eq!(t[2].retries, 0);
        assert_eq!(t[3].status, Pending, "a fresh failure gets its retries again");
    }

    #[test]
    fn down_to_up_notifies() {
        let t = run(&[Up, Down, Up], policy(0, 0));
        assert!(t[2].important && t[2].notify);
    }

    #[test]
    fn resend_notifies_every_n_consecutive_downs() {
        let t = run(&[Up, Down, Down, Down, Down, Down, Down, Down], policy(0, 3));
        let notified: Vec<bool> = t.iter().map(|t| t.notify).collect();
        // up(first), down(change), then every third unimportant DOWN.
        assert_eq!(notified, vec![true, true, false, false, true, false, false, true]);
        assert_eq!(t[4].down_count, 0, "the counter restarts after a resend");
    }

    #[test]
    fn resend_off_never_repeats() {
        let t = run(&[Up, Down, Down, Down, Down], policy(0, 0));
        assert!(t[2..].iter().all(|t| !t.notify));
        assert_eq!(t[4].down_count, 3);
    }

    #[test]
    fn maintenance_to_down_notifies_even_without_retries() {
        let t = run(&[Up, Maintenance, Down], policy(0, 0));
        assert!(t[1].important && !t[1].notify, "entering maintenance is quiet");
        assert!(t[2].important && t[2].notify);
    }

    #[test]
    fn maintenance_restarts_the_retry_count() {
        let t = run(&[Down, Down, Maintenance, Down], policy(1, 0));
        assert_eq!(t[1].status, Down);
        assert_eq!(t[3].status, Pending, "after maintenance the retries start over");
    }

    #[test]
    fn maintenance_to_up_is_an_event_without_a_message() {
        let t = run(&[Up, Maintenance, Up], policy(0, 0));
        assert!(t[2].important && !t[2].notify);
    }

    #[test]
    fn check_reported_pending_neither_counts_nor_clears_failures() {
        let t = run(&[Up, Down, Pending, Down], policy(2, 0));
        assert_eq!(t[2].status, Pending);
        assert_eq!(t[2].retries, 1);
        assert_eq!(t[3].retries, 2);
        assert_eq!(t[3].status, Pending);
    }
}

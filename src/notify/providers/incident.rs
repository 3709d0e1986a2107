//! What incident tools (PagerDuty, Opsgenie, Grafana OnCall) do with a notice: open an
//! incident, resolve it, or nothing, and under which stable key, so that a monitor's
//! recovery closes the very incident its failure opened. Not a provider itself.

use crate::domain::MonitorStatus;
use crate::domain::notification::NoticeEvent;
use crate::notify::Notice;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum IncidentAction {
    /// A DOWN, an expiring certificate, a test.
    Open,
    /// The monitor is UP again.
    Resolve,
    /// PENDING and MAINTENANCE page nobody and resolve nothing.
    Nothing,
}

/// The action for `notice` and its incident key: `peekaping-<monitor id>` for state
/// changes, `peekaping-<monitor id>-cert` for certificate warnings (a recovery must not
/// close those), `peekaping-test` for test sends.
pub(crate) fn incident(notice: &Notice) -> (IncidentAction, String) {
    let monitor = notice.monitor_id.as_deref().unwrap_or("test");
    match &notice.event {
        NoticeEvent::Test => (IncidentAction::Open, "peekaping-test".into()),
        NoticeEvent::CertExpiry { .. } => (IncidentAction::Open, format!("peekaping-{monitor}-cert")),
        NoticeEvent::Status { status, .. } => {
            let action = match status {
                MonitorStatus::Down => IncidentAction::Open,
                MonitorStatus::Up => IncidentAction::Resolve,
                MonitorStatus::Pending | MonitorStatus::Maintenance => IncidentAction::Nothing,
            };
            (action, format!("peekaping-{monitor}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_status(status: MonitorStatus) -> Notice {
        let mut n = Notice::sample();
        if let NoticeEvent::Status { status: s, .. } = &mut n.event {
            *s = status;
        }
        n
    }

    #[test]
    fn down_opens_and_up_resolves_the_same_incident() {
        let id = "peekaping-00000000-0000-0000-0000-000000000000".to_string();
        assert_eq!(incident(&with_status(MonitorStatus::Down)), (IncidentAction::Open, id.clone()));
        assert_eq!(incident(&with_status(MonitorStatus::Up)), (IncidentAction::Resolve, id.clone()));
        assert_eq!(incident(&with_status(MonitorStatus::Maintenance)).0, IncidentAction::Nothing);
        assert_eq!(incident(&with_status(MonitorStatus::Pending)).0, IncidentAction::Nothing);
        let test = Notice::new(None, &NoticeEvent::Test);
        assert_eq!(incident(&test), (IncidentAction::Open, "peekaping-test".into()));
        let mut cert = Notice::sample();
        cert.event = NoticeEvent::CertExpiry {
            days: 7,
            threshold: 7,
            not_after: 0,
            subject: "CN=x".into(),
            fingerprint: "f".into(),
        };
        assert_eq!(incident(&cert), (IncidentAction::Open, format!("{id}-cert")));
    }
}

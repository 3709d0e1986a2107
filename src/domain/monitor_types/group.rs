//! `group`: a parent whose status rolls up its children's (monitors whose `parent_id`
//! names it). No configuration of its own.

use serde::{Deserialize, Serialize};

use crate::domain::MonitorStatus;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupConfig {}

/// One child as the group check sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChildState {
    pub id: String,
    pub name: String,
    pub status: MonitorStatus,
    pub active: bool,
}

/// The group's status and message: DOWN if any active child is DOWN, else PENDING if any
/// is PENDING, else UP (MAINTENANCE children count as up). Paused children are ignored.
pub fn roll_up(children: &[ChildState]) -> (MonitorStatus, String) {
    let active: Vec<&ChildState> = children.iter().filter(|c| c.active).collect();
    let names =
        |s: MonitorStatus| -> Vec<&str> { active.iter().filter(|c| c.status == s).map(|c| c.name.as_str()).collect() };
    let list = |v: &[&str]| {
        let mut shown = v.iter().take(5).copied().collect::<Vec<_>>().join(", ");
        if v.len() > 5 {
            shown.push_str(&format!(" and {} more", v.len() - 5));
        }
        shown
    };
    let down = names(MonitorStatus::Down);
    if !down.is_empty() {
        return (MonitorStatus::Down, format!("{} of {} down: {}", down.len(), active.len(), list(&down)));
    }
    let pending = names(MonitorStatus::Pending);
    if !pending.is_empty() {
        return (MonitorStatus::Pending, format!("{} of {} pending: {}", pending.len(), active.len(), list(&pending)));
    }
    if active.is_empty() {
        return (MonitorStatus::Up, "No active monitors in this group".into());
    }
    (MonitorStatus::Up, format!("All {} monitors up", active.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use MonitorStatus::*;

    fn child(name: &str, status: MonitorStatus, active: bool) -> ChildState {
        ChildState { id: name.into(), name: name.into(), status, active }
    }

    #[test]
    fn any_down_child_makes_the_group_down() {
        let (s, msg) = roll_up(&[child("api", Up, true), child("db", Down, true), child("cache", Pending, true)]);
        assert_eq!(s, Down);
        assert_eq!(msg, "1 of 3 down: db");
    }

    #[test]
    fn pending_wins_over_up_and_maintenance_counts_as_up() {
        assert_eq!(roll_up(&[child("a", Up, true), child("b", Pending, true)]).0, Pending);
        assert_eq!(roll_up(&[child("a", Up, true), child("b", Maintenance, true)]).0, Up);
    }

    #[test]
    fn paused_children_are_ignored() {
        let (s, msg) = roll_up(&[child("a", Up, true), child("b", Down, false)]);
        assert_eq!((s, msg.as_str()), (Up, "All 1 monitors up"));
        assert_eq!(roll_up(&[]).0, Up);
    }

    #[test]
    fn long_lists_are_shortened() {
        let kids: Vec<_> = (0..8).map(|i| child(&format!("m{i}"), Down, true)).collect();
        assert!(roll_up(&kids).1.ends_with("and 3 more"));
    }
}

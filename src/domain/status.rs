//! Monitor status as Peekaping numbers it: 0 DOWN, 1 UP, 2 PENDING, 3 MAINTENANCE.

use serde::{Deserialize, Serialize};

/// The status of one heartbeat, and of a monitor (its latest heartbeat's status).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum MonitorStatus {
    Down = 0,
    Up = 1,
    Pending = 2,
    Maintenance = 3,
}

impl MonitorStatus {
    pub fn as_u8(self) -> u8 {
        self as u8
    }

    pub fn from_u8(v: u8) -> Option<Self> {
        match v {
            0 => Some(Self::Down),
            1 => Some(Self::Up),
            2 => Some(Self::Pending),
            3 => Some(Self::Maintenance),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Down => "DOWN",
            Self::Up => "UP",
            Self::Pending => "PENDING",
            Self::Maintenance => "MAINTENANCE",
        }
    }
}

impl From<MonitorStatus> for u8 {
    fn from(s: MonitorStatus) -> u8 {
        s.as_u8()
    }
}

impl TryFrom<u8> for MonitorStatus {
    type Error = String;
    fn try_from(v: u8) -> Result<Self, String> {
        Self::from_u8(v).ok_or_else(|| format!("status must be 0..=3, got {v}"))
    }
}

impl std::fmt::Display for MonitorStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_as_peekaping_defines_them() {
        for v in 0..=3u8 {
            assert_eq!(MonitorStatus::from_u8(v).unwrap().as_u8(), v);
        }
        assert_eq!(MonitorStatus::from_u8(4), None);
        assert_eq!(serde_json::to_string(&MonitorStatus::Up).unwrap(), "1");
        assert_eq!(serde_json::from_str::<MonitorStatus>("0").unwrap(), MonitorStatus::Down);
    }
}

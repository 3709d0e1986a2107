//! The configuration of each monitor type, one file per type: its fields (Peekaping's
//! JSON keys) and their validation. `monitor_config::MonitorConfig` has one variant each.

pub mod group;
pub mod http;
pub mod push;
pub mod tcp;

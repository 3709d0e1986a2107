//! The configuration of each monitor type, one file per type: its fields (Peekaping's
//! JSON keys) and their validation. `monitor_config::MonitorConfig` has one variant each.

pub mod dns;
pub mod group;
pub mod host;
pub mod http;
pub mod ping;
pub mod push;
pub mod smtp;
pub mod tcp;
pub mod tls;
pub mod udp;
pub mod websocket;

//! The configuration of each monitor type, one file per type: its fields (Peekaping's
//! JSON keys) and their validation. `monitor_config::MonitorConfig` has one variant each.

pub mod connection_string;
pub mod dns;
pub mod docker;
pub mod group;
pub mod grpc_keyword;
pub mod host;
pub mod http;
pub mod kafka_producer;
pub mod mongodb;
pub mod mqtt;
pub mod mysql;
pub mod ping;
pub mod postgres;
pub mod push;
pub mod rabbitmq;
pub mod redis;
pub mod smtp;
pub mod snmp;
pub mod sqlserver;
pub mod tcp;
pub mod tls;
pub mod udp;
pub mod websocket;

//! Conformance suites for the ports, written once and run against every adapter.
//! An adapter's test file calls `store_conformance!` / `bus_conformance!` with a factory.

#![allow(dead_code)]

pub mod api_keys;
pub mod backup;
pub mod bus;
pub mod managed;
pub mod status_pages;
pub mod store;
pub mod tags_maintenance;

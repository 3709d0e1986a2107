//! Peekaping: a self-hosted uptime monitor in one binary.
//!
//! The crate is organised as ports and adapters (see ARCHITECTURE.md): `domain` holds the
//! pure rules, `store` and `bus` define the ports with their adapters, and the five
//! components (`api`, `producer`, `worker`, `ingester`, plus migrations) depend only on
//! the ports. `app` is the composition root that picks adapters from the configuration.

pub mod api;
pub mod app;
pub mod backup;
pub mod bus;
pub mod config;
pub mod config_file;
pub mod domain;
pub mod import;
pub mod ingester;
pub mod notify;
pub mod producer;
pub mod store;
pub mod worker;

/// Version of this build, reported by `/api/v1/version` and `--version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Installs the process-wide rustls crypto provider (ring). Every TLS client in the
/// process (reqwest, tokio-rustls) relies on it, so call it before building any.
pub fn install_crypto_provider() {
    // Err means a provider is already installed (tests call this repeatedly): fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

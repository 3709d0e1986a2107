//! The `ApiKeyStore` port: API keys and their usage counters. Adapters store what
//! `domain::api_key` hands them (hashes, never secrets) and keep the usage cap exact.

use async_trait::async_trait;

use super::StoreResult;
use crate::domain::UnixMillis;
use crate::domain::api_key::ApiKey;

/// Uses of one key seen since the last flush (keys without a usage cap are counted in
/// memory and written in batches).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyUses {
    pub id: String,
    pub count: u64,
    pub last_used: UnixMillis,
}

#[async_trait]
pub trait ApiKeyStore: Send + Sync {
    async fn insert_api_key(&self, key: &ApiKey) -> StoreResult<()>;
    /// Replaces name, scope, expiry and cap (not the hash or the counters); `NotFound`
    /// if it does not exist.
    async fn update_api_key(&self, key: &ApiKey) -> StoreResult<()>;
    /// False if it did not exist.
    async fn delete_api_key(&self, id: &str) -> StoreResult<bool>;
    async fn api_key(&self, id: &str) -> StoreResult<Option<ApiKey>>;
    /// Every key, newest first.
    async fn list_api_keys(&self) -> StoreResult<Vec<ApiKey>>;
    /// Counts one use if the key is under its cap, atomically (one conditional UPDATE, so
    /// concurrent requests and replicas cannot overrun the cap). False when the cap is
    /// reached or the key is gone.
    async fn consume_api_key_use(&self, id: &str, now: UnixMillis) -> StoreResult<bool>;
    /// Adds batched uses; unknown ids are ignored.
    async fn record_api_key_uses(&self, uses: &[KeyUses]) -> StoreResult<()>;
}

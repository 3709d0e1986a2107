//! The `ApiKeyStore` and `ExposureStore` contracts. Each case gets a fresh, empty store.

use std::sync::Arc;

use peekaping::domain::api_key::{ApiKey, ApiKeyScope};
use peekaping::domain::rollup::Granularity;
use peekaping::domain::{MonitorStatus, TlsInfo};
use peekaping::store::{IngestBatch, KeyUses, Store, StoreError};

use super::store::{T0, beat, monitor};

pub fn key(id: &str, created_at: i64, cap: Option<u64>) -> ApiKey {
    ApiKey {
        id: id.into(),
        name: format!("key {id}"),
        key_hash: format!("{id:0>64}"),
        display_key: "pk_…abcd".into(),
        scope: ApiKeyScope::Write,
        last_used: None,
        expires_at: None,
        usage_count: 0,
        max_usage_count: cap,
        created_at,
        updated_at: created_at,
    }
}

pub async fn api_keys_round_trip_newest_first(store: Arc<dyn Store>) {
    let (a, b) = (key("a", T0, None), key("b", T0 + 1, Some(5)));
    store.insert_api_key(&a).await.unwrap();
    store.insert_api_key(&b).await.unwrap();
    assert_eq!(store.api_key("a").await.unwrap(), Some(a.clone()));
    assert_eq!(store.api_key("nope").await.unwrap(), None);
    let ids: Vec<String> = store.list_api_keys().await.unwrap().into_iter().map(|k| k.id).collect();
    assert_eq!(ids, ["b", "a"]);

    let mut changed = a.clone();
    changed.name = "renamed".into();
    changed.scope = ApiKeyScope::Read;
    changed.expires_at = Some(T0 + 1000);
    changed.max_usage_count = Some(3);
    changed.key_hash = "must not change".into();
    changed.updated_at = T0 + 5;
    store.update_api_key(&changed).await.unwrap();
    let got = store.api_key("a").await.unwrap().unwrap();
    assert_eq!(
        (got.name.as_str(), got.scope, got.expires_at, got.max_usage_count),
        ("renamed", ApiKeyScope::Read, Some(T0 + 1000), Some(3))
    );
    assert_eq!(got.key_hash, a.key_hash, "update never replaces the hash");
    assert!(matches!(store.update_api_key(&key("ghost", T0, None)).await, Err(StoreError::NotFound)));

    assert!(store.delete_api_key("a").await.unwrap());
    assert!(!store.delete_api_key("a").await.unwrap());
    assert_eq!(store.api_key("a").await.unwrap(), None);
}

pub async fn capped_uses_stop_exactly_at_the_cap(store: Arc<dyn Store>) {
    store.insert_api_key(&key("c", T0, Some(3))).await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..8 {
        let s = store.clone();
        tasks.push(tokio::spawn(async move { s.consume_api_key_use("c", T0 + i).await.unwrap() }));
    }
    let mut granted = 0;
    for t in tasks {
        granted += usize::from(t.await.unwrap());
    }
    assert_eq!(granted, 3, "concurrent uses never overrun the cap");
    let k = store.api_key("c").await.unwrap().unwrap();
    assert_eq!(k.usage_count, 3);
    assert!(k.last_used.is_some());
    assert!(!store.consume_api_key_use("missing", T0).await.unwrap());
}

pub async fn batched_uses_add_up(store: Arc<dyn Store>) {
    store.insert_api_key(&key("u", T0, None)).await.unwrap();
    let uses = |n, at| KeyUses { id: "u".into(), count: n, last_used: at };
    store
        .record_api_key_uses(&[uses(4, T0 + 10), KeyUses { id: "ghost".into(), count: 1, last_used: T0 }])
        .await
        .unwrap();
    store.record_api_key_uses(&[uses(2, T0 + 5)]).await.unwrap();
    store.record_api_key_uses(&[]).await.unwrap();
    let k = store.api_key("u").await.unwrap().unwrap();
    assert_eq!(k.usage_count, 6);
    assert_eq!(k.last_used, Some(T0 + 10), "an older batch does not move last_used back");
}

pub async fn fleet_reads_cover_every_monitor(store: Arc<dyn Store>) {
    store.insert_monitor(&monitor("m1", "beta")).await.unwrap();
    store.insert_monitor(&monitor("m2", "alpha")).await.unwrap();
    let beats = vec![
        beat("m1", T0, MonitorStatus::Up, Some(10_000), "ok"),
        beat("m1", T0 + 60_000, MonitorStatus::Down, None, "down"),
        beat("m2", T0, MonitorStatus::Up, Some(2_000), "ok"),
    ];
    let tls = TlsInfo {
        valid: true,
        error: None,
        chain: vec![peekaping::domain::CertificateInfo {
            subject: "CN=x".into(),
            issuer: "CN=ca".into(),
            serial: "1".into(),
            not_before: T0 - 1,
            not_after: T0 + 86_400_000 * 9,
            days_remaining: 9,
            fingerprint_sha1: String::new(),
            fingerprint_sha256: String::new(),
            sans: vec![],
        }],
        captured_at: T0,
    };
    store.ingest(&IngestBatch { beats, tls: vec![("m1".into(), tls)] }).await.unwrap();

    let names: Vec<String> = store.monitor_summaries().await.unwrap().into_iter().map(|m| m.name).collect();
    assert_eq!(names, ["alpha", "beta"]);
    let totals = store.rollup_totals(Granularity::Hour, T0 - 3_600_000, T0 + 3_600_000).await.unwrap();
    assert_eq!((totals["m1"].up, totals["m1"].down), (1, 1));
    assert_eq!(totals["m2"].up, 1);
    assert!(store.rollup_totals(Granularity::Hour, T0 + 7_200_000, T0 + 9_000_000).await.unwrap().is_empty());
    let certs = store.certificate_expiries().await.unwrap();
    assert_eq!(certs.get("m1"), Some(&(T0 + 86_400_000 * 9)));
    assert!(!certs.contains_key("m2"));
}

pub async fn unpublished_or_unlisted_monitors_are_not_public(store: Arc<dyn Store>) {
    // No status-page API in this adapter's port yet: a fresh monitor is on no page.
    store.insert_monitor(&monitor("m1", "one")).await.unwrap();
    assert!(!store.monitor_is_public("m1").await.unwrap());
    assert!(!store.monitor_is_public("missing").await.unwrap());
}

#[macro_export]
macro_rules! api_key_conformance {
    ($factory:expr) => {
        $crate::api_key_conformance!(@cases $factory;
            api_keys_round_trip_newest_first, capped_uses_stop_exactly_at_the_cap, batched_uses_add_up,
            fleet_reads_cover_every_monitor, unpublished_or_unlisted_monitors_are_not_public);
    };
    (@cases $factory:expr; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let (store, _guard) = $factory.await;
                conformance::api_keys::$case(store.clone()).await;
                store.close().await;
            }
        )*
    };
}

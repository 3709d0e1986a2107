//! The `BackupStore` contract: every setting, rollup rows out and back in exactly, and a
//! snapshot that is a complete copy. Each case gets a fresh, empty store.

use std::sync::Arc;

use peekaping::domain::MonitorStatus;
use peekaping::store::{IngestBatch, Setting, SettingKind, Store, StoreError};

use super::store::{T0, beat, monitor};

pub async fn settings_are_listed_by_key(store: Arc<dyn Store>) {
    for (key, value) in [("b", "2"), ("a", "1")] {
        let s =
            Setting { key: key.into(), value: value.into(), kind: SettingKind::Int, created_at: T0, updated_at: T0 };
        store.put_setting(&s).await.unwrap();
    }
    let keys: Vec<String> = store.list_settings().await.unwrap().into_iter().map(|s| s.key).collect();
    assert_eq!(keys, ["a", "b"]);
}

pub async fn rollup_rows_round_trip(store: Arc<dyn Store>) {
    store.insert_monitor(&monitor("m1", "one")).await.unwrap();
    let beats = vec![
        beat("m1", T0, MonitorStatus::Up, Some(1000), "ok"),
        beat("m1", T0 + 60_000, MonitorStatus::Down, None, "down"),
        beat("m1", T0 + 3_600_000, MonitorStatus::Up, Some(3000), "ok"),
    ];
    store.ingest(&IngestBatch { beats, tls: vec![] }).await.unwrap();
    let rows = store.rollup_rows().await.unwrap();
    assert!(rows.iter().any(|r| r.granularity == "minutely"));
    assert!(rows.iter().any(|r| r.granularity == "hourly"));
    assert!(rows.iter().any(|r| r.granularity == "daily"));
    assert_eq!(rows.iter().filter(|r| r.granularity == "minutely").map(|r| r.up + r.down).sum::<u64>(), 3);

    // Replacing with a subset leaves exactly that subset.
    let some: Vec<_> = rows.iter().filter(|r| r.granularity != "minutely").cloned().collect();
    store.replace_rollup_rows(&some).await.unwrap();
    assert_eq!(store.rollup_rows().await.unwrap(), some);
    store.replace_rollup_rows(&rows).await.unwrap();
    assert_eq!(store.rollup_rows().await.unwrap(), rows);

    let mut stranger = rows[0].clone();
    stranger.monitor_id = "missing".into();
    let err = store.replace_rollup_rows(&[stranger]).await.unwrap_err();
    assert!(matches!(err, StoreError::InvalidReference { .. }), "{err:?}");
    assert_eq!(store.rollup_rows().await.unwrap(), rows, "a refused replace changes nothing");
}

pub async fn snapshot_is_a_complete_copy(store: Arc<dyn Store>) {
    store.insert_monitor(&monitor("m1", "one")).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snap.db");
    match store.snapshot_to(&path).await {
        // Backends without a local file may not snapshot.
        Err(StoreError::Unavailable(_)) => return,
        r => r.unwrap(),
    }
    assert!(std::fs::metadata(&path).unwrap().len() > 0);
    assert!(store.snapshot_to(&path).await.is_err(), "an existing file is never overwritten");
}

#[macro_export]
macro_rules! backup_conformance {
    ($factory:expr) => {
        $crate::backup_conformance!(@cases $factory;
            settings_are_listed_by_key, rollup_rows_round_trip, snapshot_is_a_complete_copy);
    };
    (@cases $factory:expr; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let (store, _guard) = $factory.await;
                conformance::backup::$case(store.clone()).await;
                store.close().await;
            }
        )*
    };
}

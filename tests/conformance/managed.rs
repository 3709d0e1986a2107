//! The `ManagedStore` contract: who owns a monitor, channel or status page.

use std::sync::Arc;

use peekaping::domain::notification::NotificationChannel;
use peekaping::store::{ManagedKind, Store};

use super::store::{T0, monitor};

pub async fn managed_by_is_set_listed_and_cleared(store: Arc<dyn Store>) {
    store.insert_monitor(&monitor("a", "alpha")).await.unwrap();
    store.insert_monitor(&monitor("b", "beta")).await.unwrap();
    let ids = vec!["a".to_string(), "b".to_string(), "nope".to_string()];
    assert!(store.managed_by(ManagedKind::Monitor, &ids).await.unwrap().is_empty(), "new objects are unowned");
    assert!(store.managed_ids(ManagedKind::Monitor, "file").await.unwrap().is_empty());

    assert!(store.set_managed_by(ManagedKind::Monitor, "b", Some("file")).await.unwrap());
    assert!(!store.set_managed_by(ManagedKind::Monitor, "nope", Some("file")).await.unwrap());
    let owners = store.managed_by(ManagedKind::Monitor, &ids).await.unwrap();
    assert_eq!(owners.len(), 1);
    assert_eq!(owners["b"], "file");
    assert_eq!(store.managed_ids(ManagedKind::Monitor, "file").await.unwrap(), ["b"]);
    assert!(store.managed_ids(ManagedKind::Monitor, "other").await.unwrap().is_empty());

    // An update of the object keeps its owner; kinds are separate.
    let mut b = store.monitor("b").await.unwrap().unwrap();
    b.interval = 120;
    store.update_monitor(&b).await.unwrap();
    assert_eq!(store.managed_ids(ManagedKind::Monitor, "file").await.unwrap(), ["b"]);
    let channel = NotificationChannel {
        id: "c".into(),
        name: "hook".into(),
        kind: "webhook".into(),
        active: true,
        is_default: false,
        config: "{}".into(),
        created_at: T0,
        updated_at: T0,
    };
    store.insert_channel(&channel).await.unwrap();
    assert!(store.managed_ids(ManagedKind::NotificationChannel, "file").await.unwrap().is_empty());
    assert!(store.set_managed_by(ManagedKind::NotificationChannel, "c", Some("file")).await.unwrap());
    assert_eq!(store.managed_ids(ManagedKind::NotificationChannel, "file").await.unwrap(), ["c"]);

    assert!(store.set_managed_by(ManagedKind::Monitor, "b", None).await.unwrap());
    assert!(store.managed_by(ManagedKind::Monitor, &ids).await.unwrap().is_empty());
    store.delete_channel("c").await.unwrap();
    assert!(store.managed_ids(ManagedKind::NotificationChannel, "file").await.unwrap().is_empty());
}

#[macro_export]
macro_rules! managed_conformance {
    ($factory:expr) => {
        $crate::managed_conformance!(@cases $factory; managed_by_is_set_listed_and_cleared);
    };
    (@cases $factory:expr; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let (store, _guard) = $factory.await;
                conformance::managed::$case(store.clone()).await;
                store.close().await;
            }
        )*
    };
}

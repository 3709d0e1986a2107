//! The `TagStore` and `MaintenanceStore` contract, and tag values on monitors. Each case
//! gets a fresh, empty, migrated store.

use std::sync::Arc;

use chrono::{NaiveDate, NaiveTime};
use peekaping::domain::maintenance::{Maintenance, MonthDay, Strategy};
use peekaping::domain::tag::{MonitorTag, Tag};
use peekaping::store::{MaintenanceFilter, MonitorFilter, Store, StoreError, TagFilter};

use super::store::{T0, monitor};

fn tag(id: &str, name: &str) -> Tag {
    Tag {
        id: id.into(),
        name: name.into(),
        color: "#3B82F6".into(),
        description: String::new(),
        created_at: T0,
        updated_at: T0,
    }
}

fn link(tag_id: &str, value: &str) -> MonitorTag {
    MonitorTag { tag_id: tag_id.into(), value: value.into() }
}

fn maintenance(id: &str, monitor_ids: &[&str]) -> Maintenance {
    Maintenance {
        id: id.into(),
        title: format!("maintenance {id}"),
        description: "db upgrade".into(),
        active: true,
        strategy: Strategy::RecurringDayOfMonth,
        start_date_time: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap().and_hms_opt(0, 0, 0),
        end_date_time: None,
        start_time: NaiveTime::from_hms_opt(23, 0, 0),
        end_time: NaiveTime::from_hms_opt(1, 30, 0),
        weekdays: vec![],
        days_of_month: vec![MonthDay::Day(15), MonthDay::FromEnd(1)],
        interval_day: None,
        cron: None,
        duration: None,
        timezone: "Europe/Berlin".into(),
        monitor_ids: monitor_ids.iter().map(|s| s.to_string()).collect(),
        created_at: T0,
        updated_at: T0,
    }
}

pub async fn tags_round_trip_with_unique_names(store: Arc<dyn Store>) {
    store.insert_tag(&tag("t1", "Production")).await.unwrap();
    store.insert_tag(&tag("t2", "staging")).await.unwrap();
    match store.insert_tag(&tag("t3", "PRODUCTION")).await {
        Err(StoreError::Conflict(m)) => assert!(m.starts_with("name: "), "{m}"),
        other => panic!("a case-insensitive duplicate must conflict: {other:?}"),
    }
    let mut t = tag("t2", "Production");
    assert!(matches!(store.update_tag(&t).await, Err(StoreError::Conflict(_))), "renaming onto another name");
    t.name = "Staging".into();
    t.color = "#F00".into();
    store.update_tag(&t).await.unwrap();
    assert_eq!(store.tag("t2").await.unwrap().unwrap(), t);
    assert!(matches!(store.update_tag(&tag("ghost", "ghost")).await, Err(StoreError::NotFound)));

    let page = store.list_tags(&TagFilter { q: None, page: 0, limit: 10 }).await.unwrap();
    assert_eq!(page.total, 2);
    assert_eq!(page.items.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["Production", "Staging"]);
    let page = store.list_tags(&TagFilter { q: Some("stag".into()), page: 0, limit: 10 }).await.unwrap();
    assert_eq!((page.total, page.items[0].id.as_str()), (1, "t2"));
    let page = store.list_tags(&TagFilter { q: None, page: 1, limit: 1 }).await.unwrap();
    assert_eq!((page.total, page.items.len(), page.items[0].id.as_str()), (2, 1, "t2"));
    let mut by_ids = store.tags_by_ids(&["t1".into(), "nope".into(), "t2".into()]).await.unwrap();
    by_ids.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(by_ids.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["t1", "t2"]);
}

pub async fn monitor_tags_keep_values_and_deleting_a_tag_unlinks_it(store: Arc<dyn Store>) {
    store.insert_tag(&tag("env", "env")).await.unwrap();
    store.insert_tag(&tag("team", "team")).await.unwrap();
    let mut m = monitor("m1", "api");
    m.tags = vec![link("env", "prod"), link("env", "eu"), link("team", "")];
    m.tag_ids = vec!["env".into(), "team".into()];
    store.insert_monitor(&m).await.unwrap();
    let mut other = monitor("m2", "web");
    other.tag_ids = vec!["team".into()]; // Peekaping's field alone: linked without a value
    store.insert_monitor(&other).await.unwrap();

    let got = store.monitor("m1").await.unwrap().unwrap();
    let mut tags = got.tags.clone();
    tags.sort_by(|a, b| (&a.tag_id, &a.value).cmp(&(&b.tag_id, &b.value)));
    assert_eq!(tags, vec![link("env", "eu"), link("env", "prod"), link("team", "")]);
    let mut ids = got.tag_ids.clone();
    ids.sort();
    assert_eq!(ids, vec!["env".to_string(), "team".into()]);
    assert_eq!(store.monitor("m2").await.unwrap().unwrap().tags, vec![link("team", "")]);

    let mut unknown = monitor("m3", "bad");
    unknown.tags = vec![link("nope", "x")];
    match store.insert_monitor(&unknown).await {
        Err(StoreError::InvalidReference { field, .. }) => assert_eq!(field, "tags"),
        other => panic!("unknown tag must be refused: {other:?}"),
    }

    let by_tag = |id: &str| MonitorFilter { tag_ids: vec![id.to_string()], limit: 50, ..Default::default() };
    assert_eq!(store.list_monitors(&by_tag("env")).await.unwrap().total, 1);
    assert_eq!(store.list_monitors(&by_tag("team")).await.unwrap().total, 2);

    assert!(store.delete_tag("env").await.unwrap());
    assert!(!store.delete_tag("env").await.unwrap());
    let got = store.monitor("m1").await.unwrap().unwrap();
    assert_eq!((got.tags, got.tag_ids), (vec![link("team", "")], vec!["team".to_string()]));
    assert_eq!(store.list_monitors(&by_tag("env")).await.unwrap().total, 0);
}

pub async fn maintenances_round_trip_with_monitor_links(store: Arc<dyn Store>) {
    store.insert_monitor(&monitor("m1", "api")).await.unwrap();
    store.insert_monitor(&monitor("m2", "web")).await.unwrap();
    let m = maintenance("a", &["m1", "m2"]);
    store.insert_maintenance(&m).await.unwrap();
    assert_eq!(store.maintenance("a").await.unwrap().unwrap(), m, "every field, lastDay1 included");

    match store.insert_maintenance(&maintenance("b", &["ghost"])).await {
        Err(StoreError::InvalidReference { field, .. }) => assert_eq!(field, "monitor_ids"),
        other => panic!("an unknown monitor must be refused: {other:?}"),
    }
    assert!(store.maintenance("b").await.unwrap().is_none(), "nothing half-stored");

    let mut cron = maintenance("c", &["m1"]);
    cron.strategy = Strategy::Cron;
    cron.cron = Some("0 3 * * 0".into());
    cron.duration = Some(45);
    cron.title = "weekly reboot".into();
    cron.created_at = T0 + 1;
    store.insert_maintenance(&cron).await.unwrap();
    let mut updated = m.clone();
    updated.monitor_ids = vec!["m2".into()];
    updated.title = "renamed".into();
    updated.updated_at = T0 + 5;
    store.update_maintenance(&updated).await.unwrap();
    assert_eq!(store.maintenance("a").await.unwrap().unwrap(), updated);
    assert!(matches!(store.update_maintenance(&maintenance("zz", &[])).await, Err(StoreError::NotFound)));

    let all = store.list_maintenances(&MaintenanceFilter { limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!(all.total, 2);
    assert_eq!(all.items.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(), ["c", "a"], "newest first");
    let f = MaintenanceFilter { strategy: Some(Strategy::Cron), limit: 10, ..Default::default() };
    assert_eq!(store.list_maintenances(&f).await.unwrap().items[0].id, "c");
    let f = MaintenanceFilter { q: Some("REBOOT".into()), limit: 10, ..Default::default() };
    assert_eq!(store.list_maintenances(&f).await.unwrap().total, 1);

    assert!(store.set_maintenance_active("c", false, T0 + 9).await.unwrap());
    assert!(!store.set_maintenance_active("ghost", false, T0).await.unwrap());
    let active = store.active_maintenances().await.unwrap();
    assert_eq!(active.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(), ["a"], "paused ones are left out");
    let of = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect::<Vec<String>>();
    let covering = store.active_maintenances_of(&of(&["m2", "ghost"])).await.unwrap();
    assert_eq!(covering.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(), ["a"]);
    assert_eq!(covering[0].monitor_ids, vec!["m2".to_string()], "with its links");
    assert!(store.active_maintenances_of(&of(&["m1"])).await.unwrap().is_empty(), "c is paused");
    assert!(store.active_maintenances_of(&[]).await.unwrap().is_empty());

    // Deleting a monitor drops its links; a maintenance covering nothing is not evaluated.
    assert!(store.delete_monitor("m2").await.unwrap());
    assert!(store.maintenance("a").await.unwrap().unwrap().monitor_ids.is_empty());
    assert!(store.active_maintenances().await.unwrap().is_empty());
    assert!(store.delete_maintenance("a").await.unwrap());
    assert!(!store.delete_maintenance("a").await.unwrap());
}

/// Generates one `#[tokio::test]` per case for a store made by `$factory`, like
/// `store_conformance!`.
#[macro_export]
macro_rules! tags_maintenance_conformance {
    ($factory:expr) => {
        $crate::tags_maintenance_conformance!(@cases $factory;
            tags_round_trip_with_unique_names, monitor_tags_keep_values_and_deleting_a_tag_unlinks_it,
            maintenances_round_trip_with_monitor_links);
    };
    (@cases $factory:expr; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let (store, _guard) = $factory.await;
                conformance::tags_maintenance::$case(store.clone()).await;
                store.close().await;
            }
        )*
    };
}

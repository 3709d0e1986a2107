//! The `StatusPageStore` contract: pages with their domains, sections and monitor lists,
//! the uniqueness and reference rules, and incidents with their updates.

use std::sync::Arc;

use peekaping::domain::status_page::{Incident, IncidentStatus, IncidentUpdate, StatusPage, StatusPageSection};
use peekaping::store::{StatusPageFilter, Store, StoreError};

use super::store::{T0, monitor};

pub fn page(id: &str, slug: &str) -> StatusPage {
    StatusPage {
        id: id.into(),
        slug: slug.into(),
        title: format!("Title {slug}"),
        description: "d".into(),
        icon: String::new(),
        theme: "light".into(),
        published: true,
        footer_text: String::new(),
        auto_refresh_interval: 300,
        custom_css: String::new(),
        password_hash: None,
        search_engine_index: true,
        show_tags: false,
        show_powered_by: true,
        show_certificate_expiry: false,
        domains: vec![],
        monitor_ids: vec![],
        sections: vec![],
        created_at: T0,
        updated_at: T0,
    }
}

fn section(id: &str, name: &str, monitors: &[&str]) -> StatusPageSection {
    StatusPageSection {
        id: id.into(),
        name: name.into(),
        tag_id: None,
        monitor_ids: monitors.iter().map(|m| m.to_string()).collect(),
    }
}

pub async fn status_pages_round_trip_with_layout(store: Arc<dyn Store>) {
    for m in ["a", "b", "c", "d"] {
        store.insert_monitor(&monitor(m, m)).await.unwrap();
    }
    let mut p = page("p1", "main");
    p.password_hash = Some("$argon2id$v=19$m=19456,t=2,p=1$x$y".into());
    p.domains = vec!["status.example.com".into()];
    p.monitor_ids = vec!["b".into(), "a".into()];
    p.sections = vec![section("s1", "Databases", &["d", "c"]), section("s2", "Empty", &[])];
    store.insert_status_page(&p).await.unwrap();
    let got = store.status_page("p1").await.unwrap().unwrap();
    assert_eq!(got, p, "order of loose monitors, sections and their monitors is kept");
    assert_eq!(store.status_page_by_slug("main").await.unwrap().unwrap().id, "p1");
    assert_eq!(store.status_page_by_domain("STATUS.example.com").await.unwrap().unwrap().id, "p1");
    assert!(store.status_page_by_slug("other").await.unwrap().is_none());
    assert_eq!(store.status_page_domains().await.unwrap().get("status.example.com").map(String::as_str), Some("p1"));

    // An update replaces the layout whole.
    p.monitor_ids = vec!["c".into()];
    p.sections = vec![section("s3", "Web", &["a"])];
    p.domains = vec![];
    p.title = "Renamed".into();
    p.updated_at = T0 + 1;
    store.update_status_page(&p).await.unwrap();
    assert_eq!(store.status_page("p1").await.unwrap().unwrap(), p);
    assert!(store.status_page_by_domain("status.example.com").await.unwrap().is_none());

    // Deleting a monitor takes it off the page.
    store.delete_monitor("a").await.unwrap();
    assert!(store.status_page("p1").await.unwrap().unwrap().sections[0].monitor_ids.is_empty());

    let mut missing = page("ghost", "ghost");
    missing.title = "x".into();
    assert!(matches!(store.update_status_page(&missing).await, Err(StoreError::NotFound)));
    assert!(store.delete_status_page("p1").await.unwrap());
    assert!(!store.delete_status_page("p1").await.unwrap());
    assert!(store.status_page("p1").await.unwrap().is_none());
}

pub async fn status_page_rules_name_the_field(store: Arc<dyn Store>) {
    store.insert_monitor(&monitor("m", "m")).await.unwrap();
    let mut first = page("p1", "taken");
    first.domains = vec!["a.example.com".into()];
    store.insert_status_page(&first).await.unwrap();

    let conflict_field = |r: Result<(), StoreError>| match r {
        Err(StoreError::Conflict(m)) => m.split_once(':').map(|(f, _)| f.to_string()).unwrap_or_default(),
        other => panic!("expected a conflict, got {other:?}"),
    };
    assert_eq!(conflict_field(store.insert_status_page(&page("p2", "taken")).await), "slug");
    let mut p2 = page("p2", "free");
    p2.domains = vec!["a.example.com".into()];
    assert_eq!(conflict_field(store.insert_status_page(&p2).await), "domains");
    // A page may keep its own slug and domains on update.
    first.title = "again".into();
    store.update_status_page(&first).await.unwrap();

    let reference_field = |r: Result<(), StoreError>| match r {
        Err(StoreError::InvalidReference { field, .. }) => field,
        other => panic!("expected an invalid reference, got {other:?}"),
    };
    let mut p3 = page("p3", "p3");
    p3.monitor_ids = vec!["nope".into()];
    assert_eq!(reference_field(store.insert_status_page(&p3).await), "monitor_ids");
    p3.monitor_ids = vec![];
    p3.sections = vec![section("s", "S", &["m", "nope"])];
    assert_eq!(reference_field(store.insert_status_page(&p3).await), "sections[0].monitor_ids");
    p3.sections = vec![StatusPageSection { tag_id: Some("no-tag".into()), ..section("s", "S", &[]) }];
    assert_eq!(reference_field(store.insert_status_page(&p3).await), "sections[0].tag_id");
    assert!(store.status_page("p3").await.unwrap().is_none(), "a refused page leaves nothing behind");
    assert!(store.monitors_with_tags(&["no-tag".into()]).await.unwrap().is_empty());
    assert!(store.tag_labels(&["m".into()]).await.unwrap().is_empty());
}

pub async fn status_pages_list_searches_and_pages(store: Arc<dyn Store>) {
    for (i, slug) in ["alpha", "beta", "gamma"].iter().enumerate() {
        let mut p = page(&format!("p{i}"), slug);
        p.created_at = T0 + i as i64;
        store.insert_status_page(&p).await.unwrap();
    }
    let all = store.list_status_pages(&StatusPageFilter { q: None, page: 0, limit: 2 }).await.unwrap();
    assert_eq!(all.total, 3);
    assert_eq!(all.items.iter().map(|p| p.slug.as_str()).collect::<Vec<_>>(), vec!["gamma", "beta"], "newest first");
    let second = store.list_status_pages(&StatusPageFilter { q: None, page: 1, limit: 2 }).await.unwrap();
    assert_eq!(second.items.len(), 1);
    let found = store.list_status_pages(&StatusPageFilter { q: Some("ALP".into()), page: 0, limit: 10 }).await.unwrap();
    assert_eq!((found.total, found.items[0].slug.as_str()), (1, "alpha"));
}

pub async fn incidents_keep_their_updates_in_order(store: Arc<dyn Store>) {
    store.insert_status_page(&page("p", "p")).await.unwrap();
    let incident = |id: &str, at: i64| Incident {
        id: id.into(),
        status_page_id: "p".into(),
        title: format!("Incident {id}"),
        style: "warning".into(),
        message: "We are looking into it".into(),
        resolved_at: None,
        created_at: at,
        updated_at: at,
        updates: vec![],
    };
    store.insert_incident(&incident("i1", T0)).await.unwrap();
    store.insert_incident(&incident("i2", T0 + 10)).await.unwrap();
    let mut orphan = incident("i3", T0);
    orphan.status_page_id = "nope".into();
    assert!(store.insert_incident(&orphan).await.is_err(), "an incident needs its page");

    let update = |id: &str, status: IncidentStatus, at: i64| IncidentUpdate {
        id: id.into(),
        incident_id: "i1".into(),
        status,
        message: format!("update {id}"),
        created_at: at,
    };
    store.add_incident_update(&update("u1", IncidentStatus::Identified, T0 + 1), None).await.unwrap();
    store.add_incident_update(&update("u2", IncidentStatus::Resolved, T0 + 2), Some(T0 + 2)).await.unwrap();
    let i1 = store.incident("i1").await.unwrap().unwrap();
    assert_eq!(i1.updates.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(), vec!["u1", "u2"]);
    assert_eq!((i1.resolved_at, i1.updated_at, i1.status()), (Some(T0 + 2), T0 + 2, IncidentStatus::Resolved));
    let mut ghost = update("u3", IncidentStatus::Monitoring, T0);
    ghost.incident_id = "ghost".into();
    assert!(matches!(store.add_incident_update(&ghost, None).await, Err(StoreError::NotFound)));

    let list = store.incidents("p", 10).await.unwrap();
    assert_eq!(list.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(), vec!["i2", "i1"], "newest first");
    assert_eq!(list[1].updates.len(), 2);
    assert_eq!(store.incidents("p", 1).await.unwrap().len(), 1);

    let mut edited = i1.clone();
    edited.title = "Edited".into();
    edited.style = "danger".into();
    store.update_incident(&edited).await.unwrap();
    assert_eq!(store.incident("i1").await.unwrap().unwrap().title, "Edited");
    assert!(store.delete_incident("i1").await.unwrap());
    assert!(store.incident("i1").await.unwrap().is_none());
    assert!(!store.delete_incident("i1").await.unwrap());
    // Deleting the page deletes its incidents.
    store.delete_status_page("p").await.unwrap();
    assert!(store.incident("i2").await.unwrap().is_none());
}

/// One `#[tokio::test]` per status-page case, like `store_conformance!`.
#[macro_export]
macro_rules! status_page_conformance {
    ($factory:expr) => {
        $crate::status_page_conformance!(@cases $factory;
            status_pages_round_trip_with_layout, status_page_rules_name_the_field,
            status_pages_list_searches_and_pages, incidents_keep_their_updates_in_order);
    };
    (@cases $factory:expr; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let (store, _guard) = $factory.await;
                conformance::status_pages::$case(store.clone()).await;
                store.close().await;
            }
        )*
    };
}

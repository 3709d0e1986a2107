//! The `Store` contract. Each case gets a fresh, empty, migrated store.

use std::collections::HashSet;
use std::sync::Arc;

use peekaping::domain::notification::{DeliveryAttempt, DeliveryOutcome, NotificationChannel};
use peekaping::domain::proxy::{Proxy, ProxyProtocol};
use peekaping::domain::rollup::{Granularity, RetentionPolicy};
use peekaping::domain::user::User;
use peekaping::domain::{CertificateInfo, Heartbeat, Monitor, MonitorStatus, TlsInfo};
use peekaping::store::{
    ChannelFilter, HeartbeatQuery, IngestBatch, LoginState, MonitorFilter, Setting, SettingKind, Store, StoreError,
};

pub const T0: i64 = 1_800_000_000_000; // 2027-01-15T08:00:00Z, minute-aligned

pub fn monitor(id: &str, name: &str) -> Monitor {
    Monitor {
        id: id.into(),
        kind: "http".into(),
        name: name.into(),
        interval: 60,
        timeout: 48,
        max_retries: 0,
        retry_interval: 60,
        resend_interval: 0,
        active: true,
        status: MonitorStatus::Pending,
        config: format!(r#"{{"url":"https://{name}.example.com/health"}}"#),
        proxy_id: None,
        push_token: None,
        parent_id: None,
        depends_on: None,
        notify_after_failures: 1,
        notify_after_successes: 1,
        run_started_at: None,
        notification_ids: vec![],
        tag_ids: vec![],
        tags: vec![],
        created_at: T0,
        updated_at: T0,
    }
}

pub fn beat(monitor: &str, time: i64, status: MonitorStatus, ping_us: Option<u64>, msg: &str) -> Heartbeat {
    Heartbeat {
        monitor_id: monitor.into(),
        time,
        status,
        ping_us,
        msg: msg.into(),
        important: false,
        notified: false,
        retries: 0,
        down_count: 0,
        duration_ms: 0,
    }
}

fn user(email: &str) -> User {
    User {
        id: format!("u-{email}"),
        email: email.into(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$aGFzaA".into(),
        active: true,
        twofa_secret: None,
        twofa_enabled: false,
        twofa_last_step: None,
        tokens_valid_after: 0,
        created_at: T0,
        updated_at: T0,
    }
}

async fn ingest(store: &dyn Store, beats: Vec<Heartbeat>) -> Vec<bool> {
    store.ingest(&IngestBatch { beats, tls: vec![] }).await.expect("ingest")
}

pub async fn monitor_round_trips(store: Arc<dyn Store>) {
    let mut m = monitor("m1", "alpha");
    m.push_token = Some("tok_abcdefgh".into());
    store.insert_monitor(&m).await.unwrap();
    assert_eq!(store.monitor("m1").await.unwrap(), Some(m.clone()));
    m.name = "alpha renamed".into();
    m.active = false;
    m.updated_at = T0 + 1;
    store.update_monitor(&m).await.unwrap();
    assert_eq!(store.monitor("m1").await.unwrap().unwrap().name, "alpha renamed");
    assert_eq!(store.monitor_by_push_token("tok_abcdefgh").await.unwrap().map(|m| m.id), Some("m1".into()));
    assert!(store.monitor("nope").await.unwrap().is_none());
    assert!(matches!(store.update_monitor(&monitor("ghost", "ghost")).await, Err(StoreError::NotFound)));
    assert!(store.delete_monitor("m1").await.unwrap());
    assert!(!store.delete_monitor("m1").await.unwrap());
    assert!(store.monitor("m1").await.unwrap().is_none());
}

pub async fn references_are_checked_and_named(store: Arc<dyn Store>) {
    let mut m = monitor("m1", "alpha");
    m.notification_ids = vec!["no-such-channel".into()];
    match store.insert_monitor(&m).await {
        Err(StoreError::InvalidReference { field, .. }) => assert_eq!(field, "notification_ids"),
        other => panic!("expected InvalidReference, got {other:?}"),
    }
    m.notification_ids.clear();
    m.tag_ids = vec!["no-such-tag".into()];
    match store.insert_monitor(&m).await {
        Err(StoreError::InvalidReference { field, .. }) => assert_eq!(field, "tag_ids"),
        other => panic!("expected InvalidReference, got {other:?}"),
    }
    m.tag_ids.clear();
    m.proxy_id = Some("no-such-proxy".into());
    match store.insert_monitor(&m).await {
        Err(StoreError::InvalidReference { field, .. }) => assert_eq!(field, "proxy_id"),
        other => panic!("expected InvalidReference, got {other:?}"),
    }
    assert!(store.monitor("m1").await.unwrap().is_none(), "a rejected insert leaves nothing behind");
}

pub async fn groups_hold_children_without_cycles(store: Arc<dyn Store>) {
    let mut group = monitor("g", "group");
    group.kind = "group".into();
    group.config = "{}".into();
    store.insert_monitor(&group).await.unwrap();
    let mut inner = monitor("inner", "inner group");
    inner.kind = "group".into();
    inner.config = "{}".into();
    inner.parent_id = Some("g".into());
    store.insert_monitor(&inner).await.unwrap();
    let mut child = monitor("c", "child");
    child.parent_id = Some("inner".into());
    store.insert_monitor(&child).await.unwrap();
    assert_eq!(store.monitor("c").await.unwrap().unwrap().parent_id.as_deref(), Some("inner"));
    let kids: Vec<String> = store.children("g").await.unwrap().into_iter().map(|m| m.id).collect();
    assert_eq!(kids, vec!["inner".to_string()]);
    // A group cannot go inside its own descendant.
    group.parent_id = Some("inner".into());
    match store.update_monitor(&group).await {
        Err(StoreError::InvalidReference { field, .. }) => assert_eq!(field, "parent_id"),
        other => panic!("a cycle must be refused, got {other:?}"),
    }
    // Only groups can be parents.
    let mut other = monitor("o", "other");
    other.parent_id = Some("c".into());
    match store.insert_monitor(&other).await {
        Err(StoreError::InvalidReference { field, message }) => {
            assert_eq!(field, "parent_id");
            assert!(message.contains("not a group"), "{message}");
        }
        res => panic!("expected InvalidReference, got {res:?}"),
    }
    // Deleting the group leaves its children without a parent.
    store.delete_monitor("inner").await.unwrap();
    assert_eq!(store.monitor("c").await.unwrap().unwrap().parent_id, None);
}

pub async fn push_tokens_are_unique(store: Arc<dyn Store>) {
    let mut a = monitor("a", "alpha");
    a.push_token = Some("same_token_123".into());
    store.insert_monitor(&a).await.unwrap();
    let mut b = monitor("b", "beta");
    b.push_token = Some("same_token_123".into());
    assert!(matches!(store.insert_monitor(&b).await, Err(StoreError::Conflict(_))));
}

pub async fn list_filters_pages_and_counts(store: Arc<dyn Store>) {
    for i in 0..25 {
        let mut m = monitor(&format!("m{i:02}"), &format!("svc-{i:02}"));
        m.active = i % 5 != 0;
        m.kind = if i % 2 == 0 { "http".into() } else { "tcp".into() };
        if m.kind == "tcp" {
            m.config = format!(r#"{{"host":"db{i}.internal","port":5432}}"#);
        }
        store.insert_monitor(&m).await.unwrap();
    }
    let all = store.list_monitors(&MonitorFilter { limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!(all.total, 25);
    assert_eq!(all.items.len(), 10);
    let last = store.list_monitors(&MonitorFilter { limit: 10, page: 2, ..Default::default() }).await.unwrap();
    assert_eq!(last.items.len(), 5);
    let mut seen = HashSet::new();
    for page in 0..3 {
        let p = store.list_monitors(&MonitorFilter { limit: 10, page, ..Default::default() }).await.unwrap();
        for m in p.items {
            assert!(seen.insert(m.id), "pages must not overlap");
        }
    }
    assert_eq!(seen.len(), 25);
    let inactive =
        store.list_monitors(&MonitorFilter { active: Some(false), limit: 100, ..Default::default() }).await.unwrap();
    assert_eq!(inactive.total, 5);
    let q = store
        .list_monitors(&MonitorFilter { q: Some("SVC-1".into()), limit: 100, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(q.total, 10, "case-insensitive name search");
    let host = store
        .list_monitors(&MonitorFilter { q: Some("db7.internal".into()), limit: 100, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(host.total, 1, "search covers the target host");
    let tcp = store
        .list_monitors(&MonitorFilter { kind: Some("tcp".into()), limit: 100, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(tcp.total, 12);
    let like =
        store.list_monitors(&MonitorFilter { q: Some("%".into()), limit: 100, ..Default::default() }).await.unwrap();
    assert_eq!(like.total, 0, "search text is literal, not a pattern");
}

pub async fn status_filter_follows_heartbeats(store: Arc<dyn Store>) {
    store.insert_monitor(&monitor("up", "up")).await.unwrap();
    store.insert_monitor(&monitor("down", "down")).await.unwrap();
    ingest(
        store.as_ref(),
        vec![
            beat("up", T0, MonitorStatus::Down, None, "x"),
            beat("up", T0 + 1000, MonitorStatus::Up, Some(1000), "ok"),
            beat("down", T0, MonitorStatus::Down, None, "refused"),
        ],
    )
    .await;
    assert_eq!(store.monitor("up").await.unwrap().unwrap().status, MonitorStatus::Up);
    assert_eq!(store.monitor("down").await.unwrap().unwrap().status, MonitorStatus::Down);
    let down = store
        .list_monitors(&MonitorFilter { status: Some(MonitorStatus::Down), limit: 100, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(down.items.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(), vec!["down"]);
}

pub async fn ingest_is_idempotent(store: Arc<dyn Store>) {
    store.insert_monitor(&monitor("m", "m")).await.unwrap();
    let beats = vec![
        beat("m", T0, MonitorStatus::Up, Some(1000), "ok"),
        beat("m", T0 + 20_000, MonitorStatus::Up, Some(3000), "ok"),
    ];
    assert_eq!(ingest(store.as_ref(), beats.clone()).await, vec![true, true]);
    assert_eq!(ingest(store.as_ref(), beats).await, vec![false, false], "a redelivered batch inserts nothing");
    let total = store.rollup_total("m", Granularity::Minute, T0 - 60_000, T0 + 3_600_000).await.unwrap();
    assert_eq!(total.up, 2, "and counts nothing twice");
}

pub async fn ingest_skips_unknown_monitors(store: Arc<dyn Store>) {
    store.insert_monitor(&monitor("m", "m")).await.unwrap();
    let r = ingest(
        store.as_ref(),
        vec![beat("gone", T0, MonitorStatus::Up, None, "ok"), beat("m", T0, MonitorStatus::Up, None, "ok")],
    )
    .await;
    assert_eq!(r, vec![false, true]);
}

pub async fn rollups_are_separate_per_resolution(store: Arc<dyn Store>) {
    // Peekaping's single stats table mixed minute/hour/day buckets that share a timestamp
    // (midnight): here each resolution counts every beat exactly once.
    store.insert_monitor(&monitor("m", "m")).await.unwrap();
    let midnight = (T0 / 86_400_000 + 1) * 86_400_000;
    let beats = vec![
        beat("m", midnight, MonitorStatus::Up, Some(2_000), "ok"),
        beat("m", midnight + 30_000, MonitorStatus::Down, Some(9_000), "bad"),
        beat("m", midnight + 60_000, MonitorStatus::Up, Some(4_000), "ok"),
        beat("m", midnight + 90_000, MonitorStatus::Maintenance, None, "maint"),
        beat("m", midnight + 120_000, MonitorStatus::Pending, None, "retry"),
    ];
    ingest(store.as_ref(), beats).await;
    for g in Granularity::ALL {
        let t = store.rollup_total("m", g, midnight - 86_400_000, midnight + 86_400_000).await.unwrap();
        assert_eq!((t.up, t.down, t.maintenance), (3, 2, 1), "{g:?}");
        assert_eq!(t.ping_count, 2, "{g:?}: ping aggregates UP beats only");
        assert_eq!((t.ping_min_us, t.ping_max_us), (Some(2_000), Some(4_000)), "{g:?}");
    }
    // A window ending one millisecond into a bucket includes that bucket.
    let first_ms = store.rollup_total("m", Granularity::Minute, midnight, midnight + 1).await.unwrap();
    assert_eq!((first_ms.up, first_ms.down), (1, 1));
    let minutes = store.rollup_points("m", Granularity::Minute, midnight, midnight + 3 * 60_000).await.unwrap();
    assert_eq!(
        minutes.iter().map(|p| p.bucket).collect::<Vec<_>>(),
        vec![midnight, midnight + 60_000, midnight + 120_000]
    );
    assert_eq!(minutes[0].counts.up + minutes[0].counts.down, 2);
    let hours = store.rollup_points("m", Granularity::Hour, midnight, midnight + 3_600_000).await.unwrap();
    assert_eq!(hours.len(), 1);
    assert_eq!(hours[0].counts.avg_ping_ms(), Some(3.0));
}

pub async fn heartbeats_page_in_order_with_messages_carried(store: Arc<dyn Store>) {
    store.insert_monitor(&monitor("m", "m")).await.unwrap();
    let mut beats = Vec::new();
    for i in 0..200i64 {
        let (status, msg) = if (100..110).contains(&i) {
            (MonitorStatus::Down, format!("refused #{}", i / 5))
        } else {
            (MonitorStatus::Up, "200 - OK".to_string())
        };
        let mut b = beat("m", T0 + i * 20_000, status, Some(1000 + i as u64), &msg);
        b.important = i == 0 || i == 100 || i == 110;
        beats.push(b);
    }
    // Several batches, as the ingester would write them.
    for chunk in beats.chunks(37) {
        ingest(store.as_ref(), chunk.to_vec()).await;
    }
    let q = |limit, page, important_only, oldest_first| HeartbeatQuery { limit, page, important_only, oldest_first };
    let newest = store.heartbeats("m", &q(50, 0, false, false)).await.unwrap();
    assert_eq!(newest.len(), 50);
    assert_eq!(newest[0].time, T0 + 199 * 20_000);
    assert!(newest.windows(2).all(|w| w[0].time > w[1].time));
    for (i, h) in (0..200i64).rev().zip(store.heartbeats("m", &q(200, 0, false, false)).await.unwrap()) {
        assert_eq!(h.msg, beats[i as usize].msg, "message of beat {i} carried correctly");
        assert_eq!(h.ping_us, Some(1000 + i as u64));
        if i > 0 {
            assert_eq!(h.duration_ms, 20_000, "duration from the previous beat");
        }
    }
    let page2 = store.heartbeats("m", &q(50, 2, false, false)).await.unwrap();
    assert_eq!(page2[0].time, T0 + 99 * 20_000);
    assert_eq!(page2[0].duration_ms, 20_000, "a page's oldest beat still knows its predecessor");
    let oldest = store.heartbeats("m", &q(10, 0, false, true)).await.unwrap();
    assert_eq!(oldest[0].time, T0);
    assert_eq!(oldest[0].msg, "200 - OK");
    let important = store.heartbeats("m", &q(50, 0, true, false)).await.unwrap();
    assert_eq!(important.iter().map(|h| h.time).collect::<Vec<_>>(), vec![T0 + 110 * 20_000, T0 + 100 * 20_000, T0]);
    assert_eq!(important[1].msg, "refused #20");
    assert!(matches!(store.heartbeats("ghost", &q(10, 0, false, false)).await, Err(StoreError::NotFound)));
}

pub async fn latest_heartbeats_and_states(store: Arc<dyn Store>) {
    for id in ["a", "b", "c"] {
        store.insert_monitor(&monitor(id, id)).await.unwrap();
    }
    let mut beats = Vec::new();
    for i in 0..40 {
        beats.push(beat("a", T0 + i * 1000, MonitorStatus::Up, None, "ok"));
    }
    let mut last_b = beat("b", T0, MonitorStatus::Down, None, "boom");
    last_b.retries = 3;
    last_b.down_count = 2;
    beats.push(last_b);
    ingest(store.as_ref(), beats).await;
    let ids: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
    let latest = store.latest_heartbeats(&ids, 30).await.unwrap();
    assert_eq!(latest["a"].len(), 30);
    assert_eq!(latest["a"].last().unwrap().time, T0 + 39_000, "oldest first, ending with the newest");
    assert_eq!(latest["b"].len(), 1);
    assert!(latest.get("c").is_none_or(|v| v.is_empty()));
    let states = store.latest_beat_states(&ids).await.unwrap();
    assert_eq!(states["b"].retries, 3);
    assert_eq!(states["b"].down_count, 2);
    assert_eq!(states["b"].status, MonitorStatus::Down);
    assert_eq!(states["a"].time, T0 + 39_000);
    assert!(!states.contains_key("c"));
}

fn tls(fp: &str) -> TlsInfo {
    TlsInfo {
        valid: true,
        error: None,
        captured_at: T0,
        chain: vec![CertificateInfo {
            subject: "CN=example.com".into(),
            issuer: "CN=Test CA".into(),
            serial: "01".into(),
            not_before: T0 - 86_400_000,
            not_after: T0 + 90 * 86_400_000,
            days_remaining: 90,
            fingerprint_sha1: "AA".into(),
            fingerprint_sha256: fp.into(),
            sans: vec!["example.com".into()],
        }],
    }
}

pub async fn reset_and_delete_remove_data(store: Arc<dyn Store>) {
    store.insert_monitor(&monitor("m", "m")).await.unwrap();
    store.insert_monitor(&monitor("other", "other")).await.unwrap();
    store
        .ingest(&IngestBatch {
            beats: vec![
                beat("m", T0, MonitorStatus::Up, Some(5), "ok"),
                beat("other", T0, MonitorStatus::Up, Some(5), "ok"),
            ],
            tls: vec![("m".into(), tls("FP1"))],
        })
        .await
        .unwrap();
    assert_eq!(store.tls_info("m").await.unwrap(), Some(tls("FP1")));
    store.reset_monitor_data("m").await.unwrap();
    let q = HeartbeatQuery { limit: 10, page: 0, important_only: false, oldest_first: false };
    assert!(store.heartbeats("m", &q).await.unwrap().is_empty());
    assert_eq!(store.rollup_total("m", Granularity::Day, 0, T0 * 2).await.unwrap().total(), 0);
    assert_eq!(store.tls_info("m").await.unwrap(), None);
    assert_eq!(store.monitor("m").await.unwrap().unwrap().status, MonitorStatus::Pending);
    assert_eq!(store.heartbeats("other", &q).await.unwrap().len(), 1, "other monitors keep their data");
    // After a reset the same times can be ingested again.
    assert_eq!(ingest(store.as_ref(), vec![beat("m", T0, MonitorStatus::Down, None, "x")]).await, vec![true]);
    store.delete_monitor("m").await.unwrap();
    assert!(matches!(store.heartbeats("m", &q).await, Err(StoreError::NotFound)));
    assert_eq!(store.heartbeats("other", &q).await.unwrap().len(), 1);
}

pub async fn prune_keeps_recent_data_whole(store: Arc<dyn Store>) {
    store.insert_monitor(&monitor("m", "m")).await.unwrap();
    let day = 86_400_000i64;
    let now = T0 + 10 * day;
    let mut beats = Vec::new();
    // One beat an hour for 10 days, one message for all of it: only the first row stores it.
    for h in 0..240i64 {
        beats.push(beat("m", T0 + h * 3_600_000, MonitorStatus::Up, Some(100), "steady message"));
    }
    ingest(store.as_ref(), beats).await;
    let policy = RetentionPolicy { raw_heartbeats_days: 3, minute_hours: 24, hour_days: 5, day_days: 7 };
    let report = store.prune(&policy, now).await.unwrap();
    assert!(report.heartbeats >= 160 && report.heartbeats <= 170, "{report:?}");
    let q = HeartbeatQuery { limit: 1000, page: 0, important_only: false, oldest_first: true };
    let left = store.heartbeats("m", &q).await.unwrap();
    assert!(left.iter().all(|h| h.time >= now - 3 * day));
    assert!(left.iter().all(|h| h.msg == "steady message"), "messages survive the rows that carried them");
    let kept = |g: Granularity| {
        (0..240i64).filter(|h| g.bucket_start(T0 + h * 3_600_000) >= policy.rollup_cutoff(g, now)).count() as u64
    };
    assert_eq!(store.rollup_total("m", Granularity::Minute, 0, now).await.unwrap().total(), kept(Granularity::Minute));
    assert_eq!(kept(Granularity::Minute), 24, "24 hours of minute buckets");
    assert_eq!(store.rollup_total("m", Granularity::Hour, 0, now).await.unwrap().total(), kept(Granularity::Hour));
    assert_eq!(kept(Granularity::Hour), 120, "5 days of hourly buckets");
    assert_eq!(store.rollup_total("m", Granularity::Day, 0, now).await.unwrap().total(), kept(Granularity::Day));
}

pub async fn users_admin_is_created_once(store: Arc<dyn Store>) {
    assert_eq!(store.user_count().await.unwrap(), 0);
    store.insert_first_user(&user("Admin@Example.com")).await.unwrap();
    assert!(matches!(store.insert_first_user(&user("other@example.com")).await, Err(StoreError::Conflict(_))));
    let u = store.user_by_email("admin@example.com").await.unwrap().expect("e-mail lookup ignores case");
    assert_eq!(store.first_user().await.unwrap().map(|u| u.id), Some(u.id.clone()));
    let mut changed = u.clone();
    changed.twofa_secret = Some("SECRET".into());
    changed.twofa_enabled = true;
    changed.twofa_last_step = Some(42);
    changed.tokens_valid_after = T0 + 5;
    store.update_user(&changed).await.unwrap();
    assert_eq!(store.user_by_id(&u.id).await.unwrap(), Some(changed));
}

pub async fn settings_and_login_state(store: Arc<dyn Store>) {
    let s =
        |v: &str| Setting { key: "k".into(), value: v.into(), kind: SettingKind::Int, created_at: T0, updated_at: T0 };
    assert_eq!(store.setting_or_insert(&s("1")).await.unwrap().value, "1");
    assert_eq!(store.setting_or_insert(&s("2")).await.unwrap().value, "1", "the first value wins");
    store.put_setting(&s("3")).await.unwrap();
    assert_eq!(store.setting("k").await.unwrap().map(|s| (s.value, s.kind)), Some(("3".into(), SettingKind::Int)));
    assert!(store.delete_setting("k").await.unwrap());
    assert!(store.setting("k").await.unwrap().is_none());
    let ls =
        LoginState { key: "1.2.3.4:a@b.c".into(), fail_count: 3, first_fail_at: T0, locked_until: Some(T0 + 60_000) };
    store.put_login_state(&ls).await.unwrap();
    assert_eq!(store.login_state(&ls.key).await.unwrap(), Some(ls.clone()));
    store.clear_login_state(&ls.key).await.unwrap();
    assert_eq!(store.login_state(&ls.key).await.unwrap(), None);
}

pub fn proxy(id: &str, port: u16) -> Proxy {
    Proxy {
        id: id.into(),
        protocol: ProxyProtocol::Socks5,
        host: "127.0.0.1".into(),
        port,
        auth: true,
        username: "user".into(),
        password: "p@ss word".into(),
        created_at: T0 + i64::from(port),
        updated_at: T0 + i64::from(port),
    }
}

pub async fn proxies_round_trip_and_deleting_one_unlinks_its_monitors(store: Arc<dyn Store>) {
    assert!(store.list_proxies().await.unwrap().is_empty());
    let (a, b) = (proxy("pa", 1080), proxy("pb", 1081));
    store.insert_proxy(&b).await.unwrap();
    store.insert_proxy(&a).await.unwrap();
    assert_eq!(store.proxy("pa").await.unwrap(), Some(a.clone()));
    assert_eq!(store.list_proxies().await.unwrap(), vec![a.clone(), b.clone()], "oldest first");
    assert!(store.proxy("nope").await.unwrap().is_none());

    let mut edited = a.clone();
    edited.protocol = ProxyProtocol::Http;
    edited.auth = false;
    edited.username = String::new();
    edited.port = 3128;
    edited.updated_at = T0 + 99_000;
    store.update_proxy(&edited).await.unwrap();
    assert_eq!(store.proxy("pa").await.unwrap(), Some(edited.clone()));
    let mut ghost = proxy("ghost", 1);
    ghost.updated_at = T0;
    assert!(matches!(store.update_proxy(&ghost).await, Err(StoreError::NotFound)));

    let mut m = monitor("m1", "m1");
    m.proxy_id = Some("pa".into());
    store.insert_monitor(&m).await.unwrap();
    let mut other = monitor("m2", "m2");
    other.proxy_id = Some("pb".into());
    store.insert_monitor(&other).await.unwrap();

    assert!(store.delete_proxy("pa").await.unwrap());
    assert!(!store.delete_proxy("pa").await.unwrap(), "already gone");
    assert_eq!(store.monitor("m1").await.unwrap().unwrap().proxy_id, None, "its monitor goes direct");
    assert_eq!(store.monitor("m2").await.unwrap().unwrap().proxy_id.as_deref(), Some("pb"), "others keep theirs");
    assert_eq!(store.list_proxies().await.unwrap(), vec![b]);
}

pub async fn concurrent_writes_all_land(store: Arc<dyn Store>) {
    let mut tasks = Vec::new();
    for i in 0..64 {
        let s = store.clone();
        tasks.push(tokio::spawn(async move {
            let id = format!("m{i}");
            s.insert_monitor(&monitor(&id, &id)).await.unwrap();
            s.ingest(&IngestBatch { beats: vec![beat(&id, T0, MonitorStatus::Up, Some(1), "ok")], tls: vec![] })
                .await
                .unwrap()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), vec![true]);
    }
    let all = store
        .list_monitors(&MonitorFilter { limit: 1000, status: Some(MonitorStatus::Up), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(all.total, 64);
}

pub fn channel(id: &str, name: &str) -> NotificationChannel {
    NotificationChannel {
        id: id.into(),
        name: name.into(),
        kind: "webhook".into(),
        active: true,
        is_default: false,
        config: r#"{"webhook_url":"http://127.0.0.1:9/hook"}"#.into(),
        created_at: T0,
        updated_at: T0,
    }
}

pub async fn notification_channels_round_trip_and_link(store: Arc<dyn Store>) {
    let mut a = channel("ch-a", "Ops Slack");
    store.insert_channel(&a).await.unwrap();
    let mut b = channel("ch-b", "mail_100%");
    b.is_default = true;
    store.insert_channel(&b).await.unwrap();
    assert_eq!(store.channel("ch-a").await.unwrap().unwrap(), a);
    assert!(store.channel("nope").await.unwrap().is_none());

    // Search is by name, case-insensitive, with LIKE wildcards taken literally.
    let p = store.list_channels(&ChannelFilter { q: Some("SLACK".into()), page: 0, limit: 10 }).await.unwrap();
    assert_eq!((p.total, p.items[0].id.as_str()), (1, "ch-a"));
    let p = store.list_channels(&ChannelFilter { q: Some("0%".into()), page: 0, limit: 10 }).await.unwrap();
    assert_eq!(p.total, 1);
    let p = store.list_channels(&ChannelFilter { q: Some("%".into()), page: 0, limit: 10 }).await.unwrap();
    assert_eq!(p.total, 1, "% is a literal");
    let p = store.list_channels(&ChannelFilter { q: None, page: 1, limit: 1 }).await.unwrap();
    assert_eq!((p.total, p.items.len()), (2, 1));
    assert_eq!(store.default_channel_ids().await.unwrap(), vec!["ch-b".to_string()]);

    a.name = "Ops Slack #2".into();
    a.active = false;
    store.update_channel(&a).await.unwrap();
    assert_eq!(store.channel("ch-a").await.unwrap().unwrap(), a);
    assert!(matches!(store.update_channel(&channel("ghost", "g")).await, Err(StoreError::NotFound)));

    // Monitors link to channels; unknown channel ids are refused by name.
    let mut m = monitor("m1", "api");
    m.notification_ids = vec!["ch-a".into()];
    store.insert_monitor(&m).await.unwrap();
    store.insert_monitor(&monitor("m2", "web")).await.unwrap();
    assert_eq!(store.link_channel_to_all_monitors("ch-b").await.unwrap(), 2);
    assert_eq!(store.link_channel_to_all_monitors("ch-b").await.unwrap(), 0, "linking twice adds nothing");
    let mut ids = store.monitor("m1").await.unwrap().unwrap().notification_ids;
    ids.sort();
    assert_eq!(ids, vec!["ch-a".to_string(), "ch-b".to_string()]);

    // Deleting a channel unlinks it.
    assert!(store.delete_channel("ch-a").await.unwrap());
    assert!(!store.delete_channel("ch-a").await.unwrap());
    assert_eq!(store.monitor("m1").await.unwrap().unwrap().notification_ids, vec!["ch-b".to_string()]);
}

pub async fn deliveries_are_recorded_per_channel(store: Arc<dyn Store>) {
    store.insert_channel(&channel("ch", "hook")).await.unwrap();
    store.insert_monitor(&monitor("m", "api")).await.unwrap();
    let attempt = |n: u32, outcome, t: i64| DeliveryAttempt {
        id: format!("d{n}"),
        dedup_key: "notify:ch:m:beat:1".into(),
        channel_id: "ch".into(),
        monitor_id: Some("m".into()),
        attempt: n,
        outcome,
        error: (outcome != DeliveryOutcome::Sent).then(|| "500 from the webhook".to_string()),
        created_at: t,
    };
    assert!(!store.delivered("notify:ch:m:beat:1").await.unwrap());
    store.record_delivery(&attempt(1, DeliveryOutcome::Retrying, T0)).await.unwrap();
    assert!(!store.delivered("notify:ch:m:beat:1").await.unwrap(), "a failed attempt is not a delivery");
    store.record_delivery(&attempt(2, DeliveryOutcome::Sent, T0 + 15_000)).await.unwrap();
    assert!(store.delivered("notify:ch:m:beat:1").await.unwrap());
    let log = store.deliveries("ch", 10).await.unwrap();
    assert_eq!(log.iter().map(|a| a.attempt).collect::<Vec<_>>(), vec![2, 1], "newest first");
    assert_eq!(log[1], attempt(1, DeliveryOutcome::Retrying, T0));
    assert_eq!(store.deliveries("ch", 1).await.unwrap().len(), 1);
    store.insert_channel(&channel("quiet", "never used")).await.unwrap();
    let latest = store.latest_deliveries(&["ch".into(), "quiet".into()]).await.unwrap();
    assert_eq!(latest.len(), 1, "channels without attempts are absent");
    assert_eq!(latest["ch"].attempt, 2, "the newest attempt");
    assert!(store.latest_deliveries(&[]).await.unwrap().is_empty());
    // An attempt for a channel deleted meanwhile is dropped, not an error.
    let mut gone = attempt(3, DeliveryOutcome::Sent, T0);
    gone.channel_id = "deleted".into();
    store.record_delivery(&gone).await.unwrap();
    assert!(store.deliveries("deleted", 10).await.unwrap().is_empty());

    // Certificate thresholds are claimed once per certificate.
    assert!(store.claim_cert_notice("m", "fp1", 14, T0).await.unwrap());
    assert!(!store.claim_cert_notice("m", "fp1", 14, T0 + 1).await.unwrap());
    assert!(store.claim_cert_notice("m", "fp1", 7, T0).await.unwrap());
    assert!(store.claim_cert_notice("m", "fp2", 14, T0).await.unwrap(), "a renewed certificate starts over");
    assert!(!store.claim_cert_notice("ghost", "fp1", 14, T0).await.unwrap(), "unknown monitors claim nothing");
}

/// Generates one `#[tokio::test]` per case for a store made by `$factory` (an async
/// expression returning `(Arc<dyn Store>, guard)`; the guard keeps temp files alive).
#[macro_export]
macro_rules! store_conformance {
    ($factory:expr) => {
        $crate::store_conformance!(@cases $factory;
            monitor_round_trips, references_are_checked_and_named, groups_hold_children_without_cycles,
            push_tokens_are_unique,
            list_filters_pages_and_counts, status_filter_follows_heartbeats, ingest_is_idempotent,
            ingest_skips_unknown_monitors, rollups_are_separate_per_resolution,
            heartbeats_page_in_order_with_messages_carried, latest_heartbeats_and_states,
            reset_and_delete_remove_data, prune_keeps_recent_data_whole, users_admin_is_created_once,
            settings_and_login_state, proxies_round_trip_and_deleting_one_unlinks_its_monitors,
            concurrent_writes_all_land, notification_channels_round_trip_and_link,
            deliveries_are_recorded_per_channel);
    };
    (@cases $factory:expr; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let (store, _guard) = $factory.await;
                conformance::store::$case(store.clone()).await;
                store.close().await;
            }
        )*
    };
}

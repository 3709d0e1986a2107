//! The `Bus` contract. The factory builds a bus whose ack wait is `ACK_WAIT` and whose
//! key-value TTL is `KV_TTL`; `reopen` (for durability) reconnects to the same storage.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use peekaping::bus::{Bus, BusError, BusEvent, ChangeAction, OutMessage, QueueName};

pub const ACK_WAIT: Duration = Duration::from_millis(400);
pub const KV_TTL: Duration = Duration::from_millis(500);

fn msg(id: &str) -> OutMessage {
    OutMessage { id: id.into(), payload: format!("payload-{id}").into_bytes() }
}

const SHORT: Duration = Duration::from_millis(50);

pub async fn delivers_in_order_and_ack_removes(bus: Arc<dyn Bus>) {
    bus.enqueue(QueueName::Results, (0..5).map(|i| msg(&format!("r{i}"))).collect()).await.unwrap();
    let got = bus.pull(QueueName::Results, 10, SHORT).await.unwrap();
    assert_eq!(got.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), vec!["r0", "r1", "r2", "r3", "r4"]);
    assert_eq!(got[2].payload, b"payload-r2");
    assert!(got.iter().all(|d| d.attempt == 1));
    assert!(
        bus.pull(QueueName::Results, 10, SHORT).await.unwrap().is_empty(),
        "in-flight messages are not handed out twice"
    );
    let tags: Vec<_> = got.iter().map(|d| d.tag).collect();
    bus.ack(QueueName::Results, &tags).await.unwrap();
    assert_eq!(bus.depth(QueueName::Results).await.unwrap(), 0);
    tokio::time::sleep(ACK_WAIT * 2).await;
    assert!(bus.pull(QueueName::Results, 10, SHORT).await.unwrap().is_empty(), "acknowledged means gone");
}

pub async fn lazy_enqueues_are_delivered_like_any_other(bus: Arc<dyn Bus>) {
    bus.enqueue_lazy(QueueName::Results, vec![msg("l1"), msg("l2"), msg("l1")]).await.unwrap();
    let got = bus.pull(QueueName::Results, 10, SHORT).await.unwrap();
    assert_eq!(got.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), vec!["l1", "l2"]);
    bus.ack(QueueName::Results, &got.iter().map(|d| d.tag).collect::<Vec<_>>()).await.unwrap();
    assert_eq!(bus.depth(QueueName::Results).await.unwrap(), 0);
}

pub async fn queues_are_independent(bus: Arc<dyn Bus>) {
    bus.enqueue(QueueName::Checks, vec![msg("c")]).await.unwrap();
    bus.enqueue(QueueName::Notifications, vec![msg("n")]).await.unwrap();
    assert!(bus.pull(QueueName::Results, 10, SHORT).await.unwrap().is_empty());
    assert_eq!(bus.pull(QueueName::Checks, 10, SHORT).await.unwrap()[0].id, "c");
    assert_eq!(bus.pull(QueueName::Notifications, 10, SHORT).await.unwrap()[0].id, "n");
}

pub async fn duplicate_ids_are_enqueued_once(bus: Arc<dyn Bus>) {
    bus.enqueue(QueueName::Checks, vec![msg("same"), msg("same")]).await.unwrap();
    bus.enqueue(QueueName::Checks, vec![msg("same")]).await.unwrap();
    let got = bus.pull(QueueName::Checks, 10, SHORT).await.unwrap();
    assert_eq!(got.len(), 1);
    bus.ack(QueueName::Checks, &[got[0].tag]).await.unwrap();
    bus.enqueue(QueueName::Checks, vec![msg("same")]).await.unwrap();
    assert!(
        bus.pull(QueueName::Checks, 10, SHORT).await.unwrap().is_empty(),
        "an id acknowledged moments ago is still a duplicate"
    );
}

pub async fn unacknowledged_deliveries_come_back(bus: Arc<dyn Bus>) {
    bus.enqueue(QueueName::Results, vec![msg("lost")]).await.unwrap();
    let first = bus.pull(QueueName::Results, 1, SHORT).await.unwrap();
    assert_eq!(first.len(), 1);
    let again = bus.pull(QueueName::Results, 1, ACK_WAIT * 5).await.unwrap();
    assert_eq!(again.len(), 1, "redelivered after the ack wait");
    assert_eq!(again[0].id, "lost");
    assert_eq!(again[0].attempt, 2);
    bus.ack(QueueName::Results, &[again[0].tag]).await.unwrap();
}

pub async fn nack_redelivers_after_the_delay(bus: Arc<dyn Bus>) {
    bus.enqueue(QueueName::Notifications, vec![msg("retry")]).await.unwrap();
    let d = bus.pull(QueueName::Notifications, 1, SHORT).await.unwrap().remove(0);
    let t = Instant::now();
    bus.nack(QueueName::Notifications, d.tag, Duration::from_millis(200)).await.unwrap();
    assert!(
        bus.pull(QueueName::Notifications, 1, Duration::from_millis(100)).await.unwrap().is_empty(),
        "not before the delay"
    );
    let again = bus.pull(QueueName::Notifications, 1, Duration::from_secs(3)).await.unwrap();
    assert_eq!(again.len(), 1);
    assert!(t.elapsed() >= Duration::from_millis(190));
    assert_eq!(again[0].attempt, 2);
}

pub async fn poison_messages_are_dropped_after_max_deliver(bus: Arc<dyn Bus>) {
    bus.enqueue(QueueName::Checks, vec![msg("poison")]).await.unwrap();
    for attempt in 1..=QueueName::Checks.max_deliver() {
        let d = bus.pull(QueueName::Checks, 1, Duration::from_secs(2)).await.unwrap();
        assert_eq!(d.len(), 1, "attempt {attempt}");
        bus.nack(QueueName::Checks, d[0].tag, Duration::ZERO).await.unwrap();
    }
    assert!(bus.pull(QueueName::Checks, 1, Duration::from_millis(200)).await.unwrap().is_empty());
    assert_eq!(bus.depth(QueueName::Checks).await.unwrap(), 0);
}

pub async fn pull_waits_for_a_message(bus: Arc<dyn Bus>) {
    let t = Instant::now();
    assert!(bus.pull(QueueName::Results, 1, Duration::from_millis(150)).await.unwrap().is_empty());
    assert!(t.elapsed() >= Duration::from_millis(140), "pull waits");
    let b = bus.clone();
    let sender = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        b.enqueue(QueueName::Results, vec![msg("late")]).await.unwrap();
    });
    let t = Instant::now();
    let got = bus.pull(QueueName::Results, 1, Duration::from_secs(5)).await.unwrap();
    assert_eq!(got.len(), 1);
    assert!(t.elapsed() < Duration::from_secs(2), "a waiting pull wakes on enqueue");
    sender.await.unwrap();
}

pub async fn competing_consumers_share_the_work(bus: Arc<dyn Bus>) {
    let n = 200;
    bus.enqueue(QueueName::Results, (0..n).map(|i| msg(&format!("w{i}"))).collect()).await.unwrap();
    let mut handles = Vec::new();
    for _ in 0..4 {
        let b = bus.clone();
        handles.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            loop {
                let got = b.pull(QueueName::Results, 7, Duration::from_millis(100)).await.unwrap();
                if got.is_empty() {
                    return ids;
                }
                let tags: Vec<_> = got.iter().map(|d| d.tag).collect();
                ids.extend(got.into_iter().map(|d| d.id));
                b.ack(QueueName::Results, &tags).await.unwrap();
            }
        }));
    }
    let mut all = Vec::new();
    for h in handles {
        all.extend(h.await.unwrap());
    }
    let unique: HashSet<_> = all.iter().cloned().collect();
    assert_eq!(all.len(), n, "each message consumed once");
    assert_eq!(unique.len(), n);
}

pub async fn events_reach_every_subscriber(bus: Arc<dyn Bus>) {
    let mut a = bus.subscribe().await.unwrap();
    let mut b = bus.subscribe().await.unwrap();
    let ev = BusEvent::MonitorChanged { id: "m1".into(), action: ChangeAction::Created };
    bus.publish(&ev).await.unwrap();
    for s in [&mut a, &mut b] {
        let got = tokio::time::timeout(Duration::from_secs(2), s.next()).await.expect("event arrives");
        assert_eq!(got, Some(ev.clone()));
    }
}

pub async fn kv_compare_and_set_and_ttl(bus: Arc<dyn Bus>) {
    let r1 = bus.kv_create("lease", b"a".to_vec()).await.unwrap();
    assert!(matches!(bus.kv_create("lease", b"b".to_vec()).await, Err(BusError::KvConflict(_))));
    let r2 = bus.kv_update("lease", b"a2".to_vec(), r1).await.unwrap();
    assert!(r2 > r1);
    assert!(matches!(bus.kv_update("lease", b"x".to_vec(), r1).await, Err(BusError::KvConflict(_))), "stale revision");
    assert_eq!(bus.kv_get("lease").await.unwrap().map(|e| e.value), Some(b"a2".to_vec()));
    tokio::time::sleep(KV_TTL + Duration::from_millis(300)).await;
    assert!(bus.kv_get("lease").await.unwrap().is_none(), "entries expire after the TTL");
    bus.kv_create("lease", b"c".to_vec()).await.expect("an expired key can be taken");
    bus.kv_delete("lease").await.unwrap();
    assert!(bus.kv_get("lease").await.unwrap().is_none());
}

/// Durable queues keep what was enqueued and not acknowledged across a restart.
pub async fn durable_queues_survive_a_restart<F, Fut>(reopen: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Arc<dyn Bus>>,
{
    let bus = reopen().await;
    bus.enqueue(QueueName::Results, vec![msg("keep"), msg("done")]).await.unwrap();
    bus.enqueue(QueueName::Notifications, vec![msg("notify")]).await.unwrap();
    bus.enqueue_lazy(QueueName::Results, vec![msg("lazy")]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await; // lazily written data lands within ~1 s
    let got = bus.pull(QueueName::Results, 10, SHORT).await.unwrap();
    let done = got.iter().find(|d| d.id == "done").unwrap().tag;
    bus.ack(QueueName::Results, &[done]).await.unwrap();
    bus.close().await;
    drop(bus);
    let bus = reopen().await;
    let results: Vec<String> =
        bus.pull(QueueName::Results, 10, Duration::from_secs(2)).await.unwrap().into_iter().map(|d| d.id).collect();
    assert_eq!(
        results,
        vec!["keep".to_string(), "lazy".to_string()],
        "in flight at the restart: delivered again (lazy ones too); acknowledged: gone"
    );
    let notes = bus.pull(QueueName::Notifications, 10, Duration::from_secs(2)).await.unwrap();
    assert_eq!(notes.len(), 1);
    bus.close().await;
}

#[macro_export]
macro_rules! bus_conformance {
    ($factory:expr) => {
        $crate::bus_conformance!(@cases $factory;
            delivers_in_order_and_ack_removes, lazy_enqueues_are_delivered_like_any_other, queues_are_independent, duplicate_ids_are_enqueued_once,
            unacknowledged_deliveries_come_back, nack_redelivers_after_the_delay,
            poison_messages_are_dropped_after_max_deliver, pull_waits_for_a_message,
            competing_consumers_share_the_work, events_reach_every_subscriber, kv_compare_and_set_and_ttl);
    };
    (@cases $factory:expr; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let (bus, _guard) = $factory.await;
                conformance::bus::$case(bus.clone()).await;
                bus.close().await;
            }
        )*
    };
}

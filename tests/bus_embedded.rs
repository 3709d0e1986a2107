//! The Bus conformance suite against the embedded adapter (redb file per case).

mod conformance;

use std::sync::Arc;

use peekaping::bus::Bus;
use peekaping::bus::embedded::{EmbeddedBus, EmbeddedBusOptions};

fn options(path: std::path::PathBuf) -> EmbeddedBusOptions {
    EmbeddedBusOptions {
        path: Some(path),
        kv_ttl: conformance::bus::KV_TTL,
        ack_wait: Some(conformance::bus::ACK_WAIT),
        ..Default::default()
    }
}

async fn embedded_bus() -> (Arc<dyn Bus>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let bus = EmbeddedBus::open(&options(dir.path().join("bus.redb"))).expect("open");
    (Arc::new(bus), dir)
}

bus_conformance!(embedded_bus());

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn durable_queues_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bus.redb");
    conformance::bus::durable_queues_survive_a_restart(|| {
        let p = path.clone();
        async move { Arc::new(EmbeddedBus::open(&options(p)).expect("reopen")) as Arc<dyn Bus> }
    })
    .await;
}

#[tokio::test]
async fn in_memory_bus_works_without_a_file() {
    let bus = EmbeddedBus::open(&EmbeddedBusOptions::default()).unwrap();
    bus.enqueue(
        peekaping::bus::QueueName::Results,
        vec![peekaping::bus::OutMessage { id: "x".into(), payload: vec![1] }],
    )
    .await
    .unwrap();
    assert_eq!(bus.depth(peekaping::bus::QueueName::Results).await.unwrap(), 1);
}

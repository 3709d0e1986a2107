//! `push`: passive. The monitor is UP while reports keep arriving on time; this check runs
//! at each deadline the producer computes and reports DOWN when a push (or a cron run) is
//! late, or a run has gone on longer than `max_duration` (see `domain::monitor_types::push`).

use async_trait::async_trait;

use super::{Check, CheckContext, Observation};
use crate::domain::check::CheckJob;
use crate::domain::{MonitorConfig, now_millis};

pub struct PushCheck;

#[async_trait]
impl Check for PushCheck {
    async fn run(&self, job: &CheckJob, config: &MonitorConfig, _ctx: &CheckContext) -> Option<Observation> {
        let MonitorConfig::Push(c) = config else { return Some(Observation::down(None, "not a push monitor")) };
        let m = &job.monitor;
        c.verdict(m.interval, job.last_push_at, m.run_started_at, now_millis()).map(|(status, msg)| Observation {
            status,
            ping_us: None,
            msg,
            tls: None,
        })
    }
}

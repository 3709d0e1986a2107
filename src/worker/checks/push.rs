//! `push`: passive. The monitor is UP while pushes keep arriving; this check runs at each
//! deadline and reports DOWN when the latest push is older than the interval.

use async_trait::async_trait;

use super::{Check, CheckContext, Observation};
use crate::domain::check::CheckJob;
use crate::domain::{MonitorConfig, now_millis};

pub struct PushCheck;

#[async_trait]
impl Check for PushCheck {
    async fn run(&self, job: &CheckJob, _config: &MonitorConfig, _ctx: &CheckContext) -> Option<Observation> {
        let window_ms = i64::from(job.monitor.interval) * 1000;
        match job.last_push_at {
            // A little slack for the push itself travelling through the queue.
            Some(t) if now_millis() - t <= window_ms + 1000 => None,
            Some(t) => Some(Observation::down(
                None,
                format!(
                    "No push received in the last {} s (last push {} s ago)",
                    job.monitor.interval,
                    (now_millis() - t) / 1000
                ),
            )),
            None => Some(Observation::down(None, format!("No push received within {} s", job.monitor.interval))),
        }
    }
}

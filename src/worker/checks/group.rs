//! `group`: rolls up the children's statuses the producer put in the job.

use async_trait::async_trait;

use super::{Check, CheckContext, Observation};
use crate::domain::MonitorConfig;
use crate::domain::check::CheckJob;
use crate::domain::monitor_types::group::roll_up;

pub struct GroupCheck;

#[async_trait]
impl Check for GroupCheck {
    async fn run(&self, job: &CheckJob, _config: &MonitorConfig, _ctx: &CheckContext) -> Option<Observation> {
        let (status, msg) = roll_up(&job.children);
        Some(Observation { status, ping_us: None, msg, tls: None })
    }
}

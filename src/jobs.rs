//! Work that outlives a request, run in the background for as long as the
//! application serves: removing the events past their retention,
//! publishing them to NATS when configured (`nats`), delivering them to
//! webhooks (`webhooks`), and on SQLite, waking held reads for the events
//! other processes on the same file append.

pub mod nats;
pub mod webhooks;

use std::time::Duration;

use sea_orm::{DatabaseConnection, DbBackend};
use tokio::task::JoinSet;

use chrono::{DateTime, Utc};

use crate::{
    config::Config,
    db,
    domain::Error,
    metrics::Load,
    registry::Registry,
    store::{Store, now},
};

/// How many of the oldest events one retention pass looks at.
const RETENTION_BATCH: u64 = 1000;
/// Retention runs about ten times per retention period, at most once a
/// minute and at least every 100 ms.
const RETENTION_RUNS_PER_PERIOD: u32 = 10;
const LONGEST_RETENTION_INTERVAL: Duration = Duration::from_secs(60);
const SHORTEST_RETENTION_INTERVAL: Duration = Duration::from_millis(100);
/// How often a process on SQLite looks for events that another process on
/// the same file appended, for its held reads (PostgreSQL's NOTIFY tells).
const OTHER_PROCESSES_CHECK: Duration = Duration::from_secs(1);

/// The background tasks; dropped, they stop.
pub struct Jobs {
    tasks: JoinSet<()>,
}

impl Jobs {
    /// Stops the tasks, then gives back the leases of deliveries written
    /// but not attempted, so that another process need not wait them out.
    pub async fn stop(mut self, registry: &Registry) {
        self.tasks.shutdown().await;
        match registry.webhooks().release_waiting().await {
            Ok(0) => {}
            Ok(released) => tracing::info!(released, "gave back webhook deliveries not attempted"),
            Err(err) => tracing::warn!(error = %err, "giving back webhook deliveries failed"),
        }
    }
}

/// Starts the background work of one service process; `load` tells it
/// when requests are being served.
pub fn start(registry: &Registry, db: &DatabaseConnection, config: &Config, load: Load) -> Jobs {
    let mut tasks = JoinSet::new();
    let own_pool = db::own_pool(db, db::HOUSEKEEPING_APPLICATION_NAME, 1);
    let housekeeping = registry.on_store(Store::new(own_pool));
    tasks.spawn(remove_expired_events(
        housekeeping.clone(),
        config.events_retention(),
    ));
    // Checked when the configuration was read.
    let servers = config.nats_servers().unwrap_or_default();
    if !servers.is_empty() {
        tasks.spawn(nats::publish(
            servers,
            db.clone(),
            registry.changes().clone(),
        ));
    }
    if db.get_database_backend() == DbBackend::Sqlite {
        tasks.spawn(wake_for_other_processes(housekeeping));
    }
    let webhooks = registry.webhook_settings().clone();
    tasks.spawn(webhooks::fan_out(
        db.clone(),
        registry.changes().clone(),
        webhooks.due.clone(),
        config.webhooks.clone(),
        load.clone(),
    ));
    tasks.spawn(webhooks::deliver(
        db.clone(),
        webhooks,
        config.webhooks.clone(),
        load,
    ));
    Jobs { tasks }
}

/// Wakes this process's held reads for what other processes on the same
/// SQLite file append: within `OTHER_PROCESSES_CHECK`, not at their wait's
/// end.
async fn wake_for_other_processes(registry: Registry) {
    let mut seen = None;
    loop {
        match registry.events().wake_for_events_since(seen).await {
            Ok(last) => seen = Some(last),
            Err(err) => tracing::debug!(error = %err, "looking for other processes' events failed"),
        }
        tokio::time::sleep(OTHER_PROCESSES_CHECK).await;
    }
}

/// Removes the events older than `retention`, a batch at a time, each in
/// a short transaction of its own, so that writers never wait on it; then
/// the webhook deliveries finished before then.
async fn remove_expired_events(registry: Registry, retention: Duration) {
    let interval = (retention / RETENTION_RUNS_PER_PERIOD)
        .clamp(SHORTEST_RETENTION_INTERVAL, LONGEST_RETENTION_INTERVAL);
    let retention = chrono::Duration::from_std(retention).unwrap_or(chrono::Duration::MAX);
    loop {
        tokio::time::sleep(interval).await;
        let cut = now()
            .checked_sub_signed(retention)
            .unwrap_or(DateTime::<Utc>::MIN_UTC);
        let events = registry.events();
        in_batches("expired events", || {
            events.remove_before(cut, RETENTION_BATCH)
        })
        .await;
        // Finished deliveries are kept as long as the events they carried.
        let webhooks = registry.webhooks();
        in_batches("old webhook deliveries", || {
            webhooks.remove_finished_before(cut, RETENTION_BATCH)
        })
        .await;
    }
}

/// Runs `remove` until a batch removes nothing; a failure waits for the
/// next pass.
async fn in_batches<F, Fut>(what: &str, mut remove: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<u64, Error>>,
{
    loop {
        match remove().await {
            Ok(0) => return,
            Ok(_) => {}
            Err(err) => {
                tracing::warn!(error = %err, what, "retention failed; trying again later");
                return;
            }
        }
    }
}

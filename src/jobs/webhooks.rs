//! Webhook deliveries, in two parts. The fan-out follows the change feed
//! like any reader (never past its horizon) and turns each event into a
//! delivery for every enabled webhook of its project that takes its type,
//! in the transaction that records how far it has read: no event is
//! skipped or fanned out twice. One process of a database fans out at a
//! time (a session lock, as the NATS publisher holds).
//!
//! Every process delivers: it leases due deliveries (a lease another
//! process takes over once it ends), attempts them with bounded
//! concurrency, and records each outcome under its lease.

use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
    time::Duration,
};

use chrono::{DateTime, Utc};
use poem_openapi::types::ToJSON;
use sea_orm::DatabaseConnection;
use tokio::{
    sync::{Notify, mpsc, oneshot},
    task::JoinSet,
};
use uuid::Uuid;

use crate::{
    api::types::ChangeEvent,
    config::WebhooksConfig,
    db::{self, Changes},
    domain::{
        AttemptRecord, DISABLE_AFTER_FAILURES, DeliveryStatus, DueDelivery, NewDelivery, Spelled,
    },
    outbound::{AddressPolicy, Outcome, Sender},
    registry::WebhookSettings,
    store::{Store, now},
};

/// The fan-out's row in `model_registry_event_publication`.
const PUBLICATION: &str = "webhooks";
/// The session lock that makes one process the fan-out ("mr", 2).
const LOCK: (i32, i32) = (0x6d72, 2);
const BATCH: u64 = 500;
/// With nothing new, the fan-out looks again on a wake-up or this often.
const IDLE_CHECK: Duration = Duration::from_secs(1);
const GATHER: Duration = Duration::from_millis(5);
const STANDBY_CHECK: Duration = Duration::from_secs(1);
const RETRY: Duration = Duration::from_secs(1);
/// Attempts in flight in one process, in all and for one webhook: a slow
/// receiver holds at most its own share.
const IN_FLIGHT: usize = 64;
const IN_FLIGHT_PER_WEBHOOK: usize = 16;
/// After a claim, the next waits for this many attempts to end (or for
/// none to be in flight): each claim is a statement, worth several.
const CLAIM_AT_LEAST: usize = 16;
/// How often a process looks for deliveries due (another process's, or
/// retries) when nothing woke it.
const POLL: Duration = Duration::from_millis(200);
/// The longest wait between two attempts.
const LONGEST_BACKOFF: Duration = Duration::from_secs(6 * 3600);

/// Fans the feed out into deliveries for as long as the task runs.
pub async fn fan_out(db: DatabaseConnection, changes: Changes, due: Arc<Notify>) {
    // One connection, which holds the session lock.
    let store = Store::new(db::own_pool(&db, db::FAN_OUT_APPLICATION_NAME, 1));
    let mut woken = changes.subscribe_all();
    let mut standing_by = false;
    loop {
        match fan_out_step(&store).await {
            Ok(Step::FannedOut(made)) => {
                standing_by = false;
                if made > 0 {
                    due.notify_one();
                }
            }
            Ok(Step::Idle) => {
                standing_by = false;
                tokio::select! {
                    // A moment more, for the commits that follow to join.
                    () = woken.changed() => tokio::time::sleep(GATHER).await,
                    () = tokio::time::sleep(IDLE_CHECK) => {}
                }
            }
            Ok(Step::NoWebhook) => {
                standing_by = false;
                tokio::time::sleep(IDLE_CHECK).await;
            }
            Ok(Step::StandBy) => {
                if !standing_by {
                    tracing::info!("another process fans the events out to webhooks; standing by");
                    standing_by = true;
                }
                tokio::time::sleep(STANDBY_CHECK).await;
            }
            Err(err) => {
                tracing::warn!(error = %err, "fanning events out to webhooks failed; retrying");
                tokio::time::sleep(RETRY).await;
            }
        }
    }
}

enum Step {
    FannedOut(usize),
    Idle,
    /// No webhook is enabled: commits need not wake the fan-out.
    NoWebhook,
    StandBy,
}

async fn fan_out_step(store: &Store) -> Result<Step, crate::domain::Error> {
    if !store.events().claim_publisher(LOCK.0, LOCK.1).await? {
        return Ok(Step::StandBy);
    }
    // With no webhook, the feed waits: a webhook takes only what follows
    // its creation, which the fan-out reads then.
    if !store.webhooks().any_enabled().await? {
        return Ok(Step::NoWebhook);
    }
    let tx = store.begin_write().await?;
    let events = tx.events();
    let position = events.publication(PUBLICATION).await?;
    let batch = events.all_after(position, BATCH).await?;
    let Some(reached) = batch.last().map(|event| event.position) else {
        return Ok(Step::Idle);
    };
    let mut projects: Vec<Uuid> = batch.iter().map(|e| e.event.project_id).collect();
    projects.sort_unstable();
    projects.dedup();
    let subscribers = tx.webhooks().subscribers(&projects).await?;
    let created_at = now();
    let mut deliveries = Vec::new();
    for event in batch {
        let new = &event.event;
        let takers: Vec<Uuid> = subscribers
            .iter()
            .filter(|s| {
                s.project_id == new.project_id
                    && s.event_types.contains(&new.event_type)
                    && new.occurred_at >= s.created_at
            })
            .map(|s| s.id)
            .collect();
        if takers.is_empty() {
            continue;
        }
        let event_type = new.event_type.as_str().to_owned();
        let wire = ChangeEvent::new(event.clone(), new.project_id);
        let payload = wire
            .to_json()
            .map(|json| json.to_string())
            .unwrap_or_default();
        for webhook_id in takers {
            deliveries.push(NewDelivery {
                id: Uuid::new_v4(),
                webhook_id,
                event_id: wire.id.clone(),
                event_type: event_type.clone(),
                payload: payload.clone(),
                created_at,
            });
        }
    }
    tx.webhooks().insert_deliveries(&deliveries).await?;
    tx.events()
        .advance_publication(PUBLICATION, reached)
        .await?;
    tx.commit().await?;
    Ok(Step::FannedOut(deliveries.len()))
}

/// An attempt's outcome to record, and where to say whether it was.
type Recording = (AttemptRecord, oneshot::Sender<bool>);

/// Outcomes written in one statement at most.
const RECORD_BATCH: usize = 64;

/// How this process attempts deliveries.
#[derive(Clone)]
struct Attempts {
    store: Store,
    recorder: mpsc::Sender<Recording>,
    sender: Sender,
    retry_base: Duration,
    max_attempts: i32,
}

/// Delivers the due deliveries for as long as the task runs.
pub async fn deliver(db: DatabaseConnection, settings: WebhookSettings, config: WebhooksConfig) {
    let policy: AddressPolicy = settings.policy.clone();
    let timeout = Duration::from_millis(config.timeout_ms);
    let sender = match Sender::new(policy, timeout) {
        Ok(sender) => sender,
        Err(err) => {
            tracing::error!(error = %err, "webhooks are not delivered");
            return;
        }
    };
    let store = Store::new(db::own_pool(&db, db::DELIVERIES_APPLICATION_NAME, 4));
    let (recorder, outcomes) = mpsc::channel(IN_FLIGHT);
    tokio::spawn(record(store.clone(), outcomes));
    let attempts = Attempts {
        store,
        recorder,
        sender,
        retry_base: Duration::from_millis(config.retry_base_ms),
        max_attempts: i32::try_from(config.max_attempts).unwrap_or(i32::MAX),
    };
    let mut in_flight: JoinSet<Uuid> = JoinSet::new();
    let mut per_webhook: HashMap<Uuid, usize> = HashMap::new();
    // Claimed again when the last claim got all it asked (more may wait),
    // when enough attempts have ended, on a wake-up, or after `POLL`.
    let mut claim_now = true;
    let mut ended = 0usize;
    loop {
        let free = IN_FLIGHT.saturating_sub(in_flight.len());
        if claim_now && free > 0 {
            claim_now = false;
            ended = 0;
            let busy: Vec<Uuid> = per_webhook
                .iter()
                .filter(|(_, n)| **n >= IN_FLIGHT_PER_WEBHOOK)
                .map(|(id, _)| *id)
                .collect();
            let now = now();
            let lease_until = now + lease(timeout);
            let webhooks = attempts.store.webhooks();
            match webhooks
                .claim(now, lease_until, free, IN_FLIGHT_PER_WEBHOOK, &busy)
                .await
            {
                Ok(claimed) => {
                    claim_now = claimed.len() == free;
                    for delivery in claimed {
                        *per_webhook.entry(delivery.webhook_id).or_default() += 1;
                        let attempts = attempts.clone();
                        in_flight.spawn(async move {
                            let webhook_id = delivery.webhook_id;
                            attempts.attempt(delivery, lease_until).await;
                            webhook_id
                        });
                    }
                }
                Err(err) => tracing::warn!(error = %err, "leasing webhook deliveries failed"),
            }
            if claim_now {
                continue;
            }
        }
        tokio::select! {
            Some(done) = in_flight.join_next() => {
                if let Ok(webhook_id) = done
                    && let Some(n) = per_webhook.get_mut(&webhook_id)
                {
                    *n = n.saturating_sub(1);
                    if *n == 0 {
                        per_webhook.remove(&webhook_id);
                    }
                }
                ended += 1;
                claim_now = ended >= CLAIM_AT_LEAST || in_flight.is_empty();
            }
            () = settings.due.notified() => claim_now = true,
            () = tokio::time::sleep(POLL) => claim_now = true,
        }
    }
}

/// Records the outcomes of attempts, those queued up while the last batch
/// was written in one statement, and tells each attempt whether its lease
/// still held.
async fn record(store: Store, mut outcomes: mpsc::Receiver<Recording>) {
    let mut batch = Vec::with_capacity(RECORD_BATCH);
    while outcomes.recv_many(&mut batch, RECORD_BATCH).await > 0 {
        let records: Vec<AttemptRecord> = batch.iter().map(|(r, _)| r.clone()).collect();
        let recorded: HashSet<Uuid> = match store.webhooks().record_attempts(&records).await {
            Ok(ids) => ids.into_iter().collect(),
            Err(err) => {
                tracing::warn!(error = %err, "recording webhook attempts failed");
                HashSet::new()
            }
        };
        for (record, reply) in batch.drain(..) {
            let _ = reply.send(recorded.contains(&record.id));
        }
    }
}

/// How long a lease lasts: the attempt's time limit, twice, and a margin
/// for recording its outcome.
fn lease(timeout: Duration) -> chrono::Duration {
    chrono::Duration::from_std(timeout * 2 + Duration::from_secs(5))
        .unwrap_or(chrono::Duration::MAX)
}

impl Attempts {
    async fn attempt(&self, delivery: DueDelivery, lease_until: DateTime<Utc>) {
        let result = self
            .sender
            .send(
                &delivery.url,
                &delivery.secret,
                &delivery.event_id,
                &delivery.payload,
            )
            .await;
        let made = delivery.attempts.saturating_add(1);
        let now = now();
        let (status, next) = match result.outcome {
            Outcome::Succeeded => (DeliveryStatus::Succeeded, None),
            Outcome::Retry if made < self.max_attempts => (
                DeliveryStatus::Pending,
                Some(now + backoff(self.retry_base, made)),
            ),
            _ => (DeliveryStatus::Failed, None),
        };
        let record = AttemptRecord {
            id: delivery.id,
            lease_until,
            status,
            response_status: result.response_status,
            error: result.error,
            duration_ms: i32::try_from(result.duration.as_millis()).unwrap_or(i32::MAX),
            next_attempt_at: next,
        };
        let (reply, recorded) = oneshot::channel();
        let recorded = match self.recorder.send((record, reply)).await {
            Ok(()) => Ok(recorded.await.unwrap_or(false)),
            Err(_) => Ok(false),
        };
        let webhooks = self.store.webhooks();
        let outcome = match recorded {
            Ok(true) => match status {
                DeliveryStatus::Succeeded if delivery.failures_in_a_row > 0 => {
                    webhooks.delivered(delivery.webhook_id).await
                }
                DeliveryStatus::Succeeded => Ok(()),
                DeliveryStatus::Failed => webhooks
                    .failed(delivery.webhook_id, DISABLE_AFTER_FAILURES, now)
                    .await
                    .map(|disabled| {
                        if disabled {
                            tracing::warn!(
                                webhook_id = %delivery.webhook_id,
                                "webhook disabled: its last {DISABLE_AFTER_FAILURES} deliveries failed"
                            );
                        }
                    }),
                DeliveryStatus::Pending => Ok(()),
            },
            // Its lease ended first: another process has it now.
            Ok(false) => Ok(()),
            Err(err) => Err(err),
        };
        if let Err(err) = outcome {
            tracing::warn!(error = %err, delivery_id = %delivery.id, "recording a webhook attempt failed");
        }
    }
}

/// The wait before attempt `made + 1`: `base` doubled for each attempt
/// made, with jitter (between half and all of it), at most six hours.
fn backoff(base: Duration, made: i32) -> chrono::Duration {
    let doublings = u32::try_from(made.saturating_sub(1)).unwrap_or(0).min(30);
    let full = base
        .saturating_mul(2u32.saturating_pow(doublings))
        .min(LONGEST_BACKOFF);
    let jitter = (Uuid::new_v4().as_u128() % 1000) as f64 / 1000.0;
    let wait = full.mul_f64(0.5 + jitter / 2.0);
    chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_stops_growing() {
        let base = Duration::from_millis(100);
        for (made, full) in [(1, 100), (2, 200), (3, 400), (10, 51_200)] {
            let wait = backoff(base, made).num_milliseconds();
            assert!((full / 2..=full).contains(&wait), "{made}: {wait}");
        }
        let longest = backoff(base, 60).num_seconds();
        assert!(longest <= LONGEST_BACKOFF.as_secs() as i64);
    }
}

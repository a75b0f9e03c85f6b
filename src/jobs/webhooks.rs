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
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use poem_openapi::types::ToJSON;
use sea_orm::DatabaseConnection;
use tokio::{
    sync::{mpsc, oneshot},
    task::JoinSet,
    time::MissedTickBehavior,
};
use uuid::Uuid;

use crate::{
    api::types::ChangeEvent,
    config::WebhooksConfig,
    db::{self, Changes},
    domain::{
        AttemptRecord, DISABLE_AFTER_FAILURES, DeliveryStatus, DueDelivery, LeasedDelivery,
        NewDelivery, Spelled, Subscriber,
    },
    metrics::Load,
    outbound::{AddressPolicy, Outcome, Sender},
    registry::{Due, FreshDelivery, WebhookSettings},
    store::{Store, now},
};

/// The fan-out's row in `model_registry_event_publication`.
const PUBLICATION: &str = "webhooks";
/// The session lock that makes one process the fan-out ("mr", 2).
const LOCK: (i32, i32) = (0x6d72, 2);
const BATCH: usize = 500;
/// With nothing new, the fan-out looks again on a wake-up or this often.
const IDLE_CHECK: Duration = Duration::from_secs(1);
/// After a batch short of `BATCH`, the fan-out waits this long, so that
/// each of its transactions carries the commits of a while.
const GATHER: Duration = Duration::from_millis(20);
const STANDBY_CHECK: Duration = Duration::from_secs(1);
const RETRY: Duration = Duration::from_secs(1);
/// Attempts in flight in one process, in all and for one webhook: a slow
/// receiver holds at most its own share.
const IN_FLIGHT: usize = 64;
const IN_FLIGHT_PER_WEBHOOK: usize = 16;
/// After a claim, the next waits for this many attempts to end (or for
/// none to be in flight): each claim is a statement, worth several.
const CLAIM_AT_LEAST: usize = 16;
/// Fresh deliveries are leased when handed, and then after this many
/// attempts have ended: half a webhook's share, so that its next attempts
/// are leased while the rest are under way.
const FRESH_AT_LEAST: usize = IN_FLIGHT_PER_WEBHOOK / 2;
/// How often a process looks for deliveries due (another process's, or
/// retries) when nothing woke it.
const POLL: Duration = Duration::from_millis(200);
/// The longest wait between two attempts.
const LONGEST_BACKOFF: Duration = Duration::from_secs(6 * 3600);

/// Fans the feed out into deliveries for as long as the task runs; while
/// requests are served, at most `WEBHOOK_RATE_UNDER_LOAD` a second.
pub async fn fan_out(
    db: DatabaseConnection,
    changes: Changes,
    due: Arc<Due>,
    config: WebhooksConfig,
    load: Load,
) {
    let lease_for = lease(Duration::from_millis(config.timeout_ms));
    // One connection, which holds the session lock.
    let store = Store::new(db::own_pool(&db, db::FAN_OUT_APPLICATION_NAME, 1));
    let mut woken = changes.subscribe_all();
    let mut standing_by = false;
    let mut pace = Pace::new(config.rate_under_load, BATCH, load);
    let mut skipping = true;
    loop {
        let most = pace.allowance();
        if most == 0 {
            tokio::time::sleep(pace.wait()).await;
            continue;
        }
        // Events that no webhook takes are passed a whole batch at a time.
        let read = if skipping { BATCH } else { most.min(BATCH) };
        let lease = (due.room(), now() + lease_for);
        match fan_out_step(&store, read, most, lease).await {
            Ok(FanOutStep::FannedOut { made, full }) => {
                standing_by = false;
                skipping = made.is_empty() && full;
                pace.spend(made.len());
                if !made.is_empty() {
                    due.hand(made);
                }
                if !full {
                    tokio::time::sleep(GATHER).await;
                }
            }
            Ok(FanOutStep::Idle) => {
                standing_by = false;
                tokio::select! {
                    // A moment more, for the commits that follow to join.
                    () = woken.changed() => tokio::time::sleep(GATHER).await,
                    () = tokio::time::sleep(IDLE_CHECK) => {}
                }
            }
            Ok(FanOutStep::NoWebhook) => {
                standing_by = false;
                tokio::time::sleep(IDLE_CHECK).await;
            }
            Ok(FanOutStep::StandBy) => {
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

enum FanOutStep {
    /// The deliveries made, committed; whether the step read all the
    /// events it asked for.
    FannedOut {
        made: Vec<FreshDelivery>,
        full: bool,
    },
    Idle,
    /// No webhook is enabled: commits need not wake the fan-out.
    NoWebhook,
    StandBy,
}

/// One transaction of the fan-out: up to `read` events after its
/// position, until they would make more than `most` deliveries (the first
/// always counts). The first `lease.0` deliveries are leased until
/// `lease.1`, for this process to attempt at once.
async fn fan_out_step(
    store: &Store,
    read: usize,
    most: usize,
    lease: (usize, DateTime<Utc>),
) -> Result<FanOutStep, crate::domain::Error> {
    if !store.events().claim_publisher(LOCK.0, LOCK.1).await? {
        return Ok(FanOutStep::StandBy);
    }
    // With no webhook, the feed waits: a webhook takes only what follows
    // its creation, which the fan-out reads then.
    if !store.webhooks().any_enabled().await? {
        return Ok(FanOutStep::NoWebhook);
    }
    let tx = store.begin_write().await?;
    let events = tx.events();
    let position = events.publication(PUBLICATION).await?;
    let batch = events.all_after(position, read as u64).await?;
    if batch.is_empty() {
        return Ok(FanOutStep::Idle);
    }
    let mut full = batch.len() == read;
    let mut projects: Vec<Uuid> = batch.iter().map(|e| e.event.project_id).collect();
    projects.sort_unstable();
    projects.dedup();
    let subscribers = tx.webhooks().subscribers(&projects).await?;
    let created_at = now();
    let mut deliveries = Vec::new();
    // Each delivery's webhook, in the same order.
    let mut receivers: Vec<&Subscriber> = Vec::new();
    let mut reached = position;
    for event in batch {
        let new = &event.event;
        let takers: Vec<&Subscriber> = subscribers
            .iter()
            .filter(|s| {
                s.project_id == new.project_id
                    && s.event_types.contains(&new.event_type)
                    && new.occurred_at >= s.created_at
            })
            .collect();
        if !deliveries.is_empty() && deliveries.len() + takers.len() > most {
            full = true;
            break;
        }
        reached = event.position;
        if takers.is_empty() {
            continue;
        }
        let event_type = new.event_type.as_str().to_owned();
        let wire = ChangeEvent::new(event.clone(), new.project_id);
        let payload = wire
            .to_json()
            .map(|json| json.to_string())
            .unwrap_or_default();
        for webhook in takers {
            let leased = deliveries.len() < lease.0;
            deliveries.push(NewDelivery {
                id: Uuid::new_v4(),
                webhook_id: webhook.id,
                event_id: wire.id.clone(),
                event_type: event_type.clone(),
                payload: payload.clone(),
                created_at,
                lease_until: leased.then_some(lease.1),
            });
            receivers.push(webhook);
        }
    }
    tx.webhooks().insert_deliveries(&deliveries).await?;
    tx.events()
        .advance_publication(PUBLICATION, reached)
        .await?;
    tx.commit().await?;
    let made = deliveries
        .into_iter()
        .zip(receivers)
        .map(|(d, webhook)| FreshDelivery {
            id: d.id,
            webhook_id: d.webhook_id,
            leased: d.lease_until.map(|until| {
                Box::new(LeasedDelivery {
                    delivery: DueDelivery {
                        id: d.id,
                        webhook_id: d.webhook_id,
                        event_id: d.event_id,
                        payload: d.payload,
                        attempts: 0,
                        url: webhook.url.clone(),
                        secret: webhook.secret.clone(),
                        failures_in_a_row: webhook.failures_in_a_row,
                    },
                    until,
                })
            }),
        });
    Ok(FanOutStep::FannedOut {
        made: made.collect(),
        full,
    })
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
pub async fn deliver(
    db: DatabaseConnection,
    settings: WebhookSettings,
    config: WebhooksConfig,
    load: Load,
) {
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
    let mut in_flight = InFlight::default();
    let mut pace = Pace::new(config.rate_under_load, IN_FLIGHT_PER_WEBHOOK, load);
    // The ranked claim runs after `POLL`, on a wake-up with nothing fresh,
    // and, while it finds deliveries and none are fresh, once enough
    // attempts have ended.
    let mut poll = tokio::time::interval(POLL);
    poll.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut rank_now = true;
    let mut ranked_found = false;
    let mut ended = 0usize;
    let mut take_fresh = true;
    let mut ended_since_fresh = 0usize;
    loop {
        if take_fresh || ended_since_fresh >= FRESH_AT_LEAST || in_flight.is_empty() {
            take_fresh = false;
            ended_since_fresh = 0;
            let limit = in_flight.free().min(pace.allowance());
            let fresh = settings
                .due
                .take(limit, |webhook| in_flight.reserve(webhook));
            if !fresh.is_empty() {
                let started = in_flight.lease_fresh(&attempts, fresh, timeout).await;
                pace.spend(started);
            }
        }
        let free = in_flight.free().min(pace.allowance());
        let rank = rank_now
            || (ranked_found
                && (ended >= CLAIM_AT_LEAST || in_flight.is_empty())
                && !settings.due.has_fresh());
        if free > 0 && rank {
            rank_now = false;
            ended = 0;
            let claimed = in_flight.lease_ranked(&attempts, free, timeout).await;
            pace.spend(claimed);
            ranked_found = claimed > 0;
            if claimed == free {
                continue;
            }
        }
        let paced = pace.exhausted() && (ranked_found || settings.due.has_fresh());
        tokio::select! {
            Some(done) = in_flight.attempts.join_next() => {
                if let Ok(webhook_id) = done {
                    in_flight.release(webhook_id);
                }
                ended += 1;
                ended_since_fresh += 1;
            }
            () = settings.due.woken() => {
                take_fresh = true;
                rank_now = !settings.due.has_fresh();
            }
            _ = poll.tick() => {
                take_fresh = true;
                rank_now = true;
            }
            () = tokio::time::sleep(pace.wait()), if paced => {
                take_fresh = true;
                rank_now = ranked_found;
            }
        }
    }
}

/// While requests are being served, work (attempts, or deliveries made)
/// goes at most `rate` a second, a token bucket of 50 ms taken `batch` at
/// a time so that each statement is worth its cost; with no request in
/// flight, or a rate of 0, as fast as it can. Work done past the tokens
/// is owed.
struct Pace {
    rate: f64,
    burst: f64,
    batch: f64,
    tokens: f64,
    refilled: Instant,
    load: Load,
}

impl Pace {
    fn new(rate: u32, batch: usize, load: Load) -> Self {
        let rate = f64::from(rate);
        let burst = (rate / 20.0).max(1.0);
        Pace {
            rate,
            burst,
            batch: burst.min(batch as f64),
            tokens: burst,
            refilled: Instant::now(),
            load,
        }
    }

    /// How much work may be done now.
    fn allowance(&mut self) -> usize {
        let now = Instant::now();
        let elapsed = now.duration_since(self.refilled).as_secs_f64();
        self.refilled = now;
        if self.rate == 0.0 || !self.load.serving() {
            self.tokens = self.burst;
            return usize::MAX;
        }
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        if self.tokens < self.batch {
            return 0;
        }
        self.tokens as usize
    }

    fn spend(&mut self, done: usize) {
        self.tokens -= done as f64;
    }

    fn exhausted(&self) -> bool {
        self.rate > 0.0 && self.tokens < self.batch
    }

    /// How long until the next batch may start.
    fn wait(&self) -> Duration {
        Duration::from_secs_f64((self.batch - self.tokens).max(0.0) / self.rate.max(1.0))
    }
}

/// The attempts this process has under way, in all and per webhook.
#[derive(Default)]
struct InFlight {
    attempts: JoinSet<Uuid>,
    per_webhook: HashMap<Uuid, usize>,
}

impl InFlight {
    fn free(&self) -> usize {
        IN_FLIGHT.saturating_sub(self.attempts.len())
    }

    fn is_empty(&self) -> bool {
        self.attempts.is_empty()
    }

    /// Counts an attempt for `webhook` if it is below its share.
    fn reserve(&mut self, webhook: Uuid) -> bool {
        let n = self.per_webhook.entry(webhook).or_default();
        if *n >= IN_FLIGHT_PER_WEBHOOK {
            return false;
        }
        *n += 1;
        true
    }

    fn release(&mut self, webhook: Uuid) {
        if let Some(n) = self.per_webhook.get_mut(&webhook) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.per_webhook.remove(&webhook);
            }
        }
    }

    /// Attempts the fresh deliveries (reserved already): those leased
    /// with time left for an attempt, and those of the others it leases
    /// now; the rest are released. How many it started.
    async fn lease_fresh(
        &mut self,
        attempts: &Attempts,
        fresh: Vec<FreshDelivery>,
        timeout: Duration,
    ) -> usize {
        let now = now();
        let enough =
            chrono::Duration::from_std(timeout + RECORDING_MARGIN).unwrap_or(chrono::Duration::MAX);
        let mut started = 0;
        let mut unleased = Vec::new();
        for delivery in fresh {
            match delivery.leased {
                Some(leased) if leased.until - now >= enough => {
                    self.start(attempts, leased.delivery, leased.until);
                    started += 1;
                }
                // Its lease ends first: the ranked claim takes it then.
                Some(_) => self.release(delivery.webhook_id),
                None => unleased.push(delivery),
            }
        }
        if unleased.is_empty() {
            return started;
        }
        let lease_until = now + lease(timeout);
        let ids: Vec<Uuid> = unleased.iter().map(|f| f.id).collect();
        let leased = match attempts
            .store
            .webhooks()
            .claim_fresh(now, lease_until, &ids)
            .await
        {
            Ok(leased) => leased,
            Err(err) => {
                tracing::warn!(error = %err, "leasing webhook deliveries failed");
                Vec::new()
            }
        };
        let leased_ids: HashSet<Uuid> = leased.iter().map(|d| d.id).collect();
        for missed in unleased.iter().filter(|f| !leased_ids.contains(&f.id)) {
            self.release(missed.webhook_id);
        }
        started += leased.len();
        for delivery in leased {
            self.start(attempts, delivery, lease_until);
        }
        started
    }

    /// Leases up to `free` due deliveries, ranked, and attempts them; how
    /// many it leased.
    async fn lease_ranked(&mut self, attempts: &Attempts, free: usize, timeout: Duration) -> usize {
        let busy: Vec<Uuid> = self
            .per_webhook
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
                let count = claimed.len();
                for delivery in claimed {
                    *self.per_webhook.entry(delivery.webhook_id).or_default() += 1;
                    self.start(attempts, delivery, lease_until);
                }
                count
            }
            Err(err) => {
                tracing::warn!(error = %err, "leasing webhook deliveries failed");
                0
            }
        }
    }

    fn start(&mut self, attempts: &Attempts, delivery: DueDelivery, lease_until: DateTime<Utc>) {
        let attempts = attempts.clone();
        self.attempts.spawn(async move {
            let webhook_id = delivery.webhook_id;
            attempts.attempt(delivery, lease_until).await;
            webhook_id
        });
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

/// Time to record an attempt's outcome, after its time limit.
const RECORDING_MARGIN: Duration = Duration::from_secs(5);

/// How long a lease lasts: the attempt's time limit, twice, and a margin
/// for recording its outcome.
fn lease(timeout: Duration) -> chrono::Duration {
    chrono::Duration::from_std(timeout * 2 + RECORDING_MARGIN).unwrap_or(chrono::Duration::MAX)
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
    fn the_pace_limits_work_only_while_requests_are_served() {
        let load = Load::default();
        let mut pace = Pace::new(100, 16, load.clone());
        assert_eq!(pace.allowance(), usize::MAX, "idle: no limit");
        let request = load.start_request();
        // 100 a second: a bucket of 50 ms holds 5, taken 5 at a time.
        assert_eq!(pace.allowance(), 5);
        pace.spend(5);
        assert_eq!(pace.allowance(), 0);
        assert!(pace.exhausted());
        let wait = pace.wait();
        assert!(wait > Duration::from_millis(40) && wait <= Duration::from_millis(50));
        // Work done past the tokens is owed.
        pace.spend(10);
        assert!(pace.wait() > Duration::from_millis(140));
        drop(request);
        assert_eq!(pace.allowance(), usize::MAX);
        let mut unlimited = Pace::new(0, 16, load.clone());
        let _request = load.start_request();
        assert_eq!(unlimited.allowance(), usize::MAX);
        assert!(!unlimited.exhausted());
    }

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

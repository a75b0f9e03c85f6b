//! Publishing the change feed to NATS JetStream (`EVENTS_NATS_URL`): every
//! event of every project, in feed order, each message carrying its event's
//! id as `Nats-Msg-Id` so that JetStream drops a message sent twice.
//!
//! The feed is the source of truth: the publisher reads it like any other
//! reader (never past the horizon), and records in the database how far
//! JetStream has acknowledged it (`model_registry_event_publication`), so a
//! restart or an outage resumes from there. At least once: what was
//! acknowledged but not yet recorded is sent again, and deduplicated.
//!
//! One process of a database publishes at a time: the one whose connection
//! holds a session lock; the others stand by and take over when it is gone.

use std::{collections::HashSet, time::Duration};

use async_nats::{
    ServerAddr,
    jetstream::{
        self,
        context::{PublishAckFuture, PublishErrorKind},
        message::PublishMessage,
        stream,
    },
};
use poem_openapi::types::ToJSON;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::{
    api::types::ChangeEvent,
    db::{self, Changes},
    domain::{Event, FeedPosition, Spelled},
    store::Store,
};

/// The stream the events go to, created with these subjects when missing.
pub const STREAM: &str = "MODEL_REGISTRY";
pub const SUBJECT_PREFIX: &str = "model_registry";
/// How long JetStream remembers a `Nats-Msg-Id`: a message sent again
/// within it (after a restart or a takeover) is dropped. Its default.
const DUPLICATE_WINDOW: Duration = Duration::from_secs(120);
/// The publication's row in `model_registry_event_publication`.
const PUBLICATION: &str = "nats";
/// The session lock that makes one process the publisher ("mr", 1).
const LOCK: (i32, i32) = (0x6d72, 1);
const BATCH: u64 = 1000;
/// Past this, an unacknowledged message counts as lost, and is sent again.
const ACK_TIMEOUT: Duration = Duration::from_secs(5);
/// With nothing to publish, the publisher looks again when a write commits,
/// and at least this often (a safety net for a missed wake-up).
const IDLE_CHECK: Duration = Duration::from_secs(1);
/// After a wake-up finds nothing readable yet (behind a transaction still
/// open), it looks again after this, doubling up to `IDLE_CHECK`.
const FIRST_RECHECK: Duration = Duration::from_millis(5);
/// How often a process standing by asks whether the publisher is gone.
const STANDBY_CHECK: Duration = Duration::from_secs(1);
/// After a failure (NATS or the database unreachable), the next try waits
/// this long, doubling up to `LONGEST_RETRY`.
const FIRST_RETRY: Duration = Duration::from_millis(250);
const LONGEST_RETRY: Duration = Duration::from_secs(15);

/// Publishes the feed to `servers` for as long as the task runs.
pub async fn publish(servers: Vec<ServerAddr>, db: DatabaseConnection, changes: Changes) {
    let client = async_nats::ConnectOptions::new()
        .name("model-registry")
        .retry_on_initial_connect()
        .event_callback(|event| async move {
            match event {
                async_nats::Event::Connected => tracing::info!("NATS connected"),
                async_nats::Event::Disconnected => {
                    tracing::warn!("NATS disconnected; events wait in the feed until it is back")
                }
                other => tracing::warn!(event = %other, "NATS"),
            }
        })
        .connect(servers)
        .await;
    let client = match client {
        Ok(client) => client,
        Err(err) => {
            tracing::error!(error = %err, "NATS: cannot start the client; events are not published");
            return;
        }
    };
    let jetstream = jetstream::context::ContextBuilder::new()
        .ack_timeout(ACK_TIMEOUT)
        .build(client);
    let mut publisher = Publisher {
        store: Store::new(db::publisher_connection(&db)),
        jetstream,
        stream_ready: false,
        position: None,
    };
    let mut woken = changes.subscribe_all();
    let mut retry = FIRST_RETRY;
    let mut recheck = IDLE_CHECK;
    let mut standing_by = false;
    loop {
        match publisher.step().await {
            Ok(PublishStep::Published) => {
                retry = FIRST_RETRY;
                recheck = FIRST_RECHECK;
            }
            Ok(PublishStep::Idle) => {
                retry = FIRST_RETRY;
                if standing_by {
                    tracing::info!("publishing the events to NATS");
                    standing_by = false;
                }
                tokio::select! {
                    () = woken.changed() => recheck = FIRST_RECHECK,
                    () = tokio::time::sleep(recheck) => recheck = (recheck * 2).min(IDLE_CHECK),
                }
            }
            Ok(PublishStep::StandBy) => {
                if !standing_by {
                    tracing::info!("another process publishes the events to NATS; standing by");
                    standing_by = true;
                }
                tokio::time::sleep(STANDBY_CHECK).await;
            }
            Err(err) => {
                tracing::warn!(
                    error = %err,
                    retry_in_ms = retry.as_millis() as u64,
                    "publishing the events to NATS failed; nothing is lost, retrying"
                );
                publisher.position = None;
                tokio::time::sleep(retry).await;
                retry = (retry * 2).min(LONGEST_RETRY);
            }
        }
    }
}

enum PublishStep {
    /// Sent a batch, all acknowledged: there may be more.
    Published,
    /// Nothing readable after the position.
    Idle,
    /// Another process publishes.
    StandBy,
}

struct Publisher {
    /// On a connection of its own, which holds the lock.
    store: Store,
    jetstream: jetstream::Context,
    stream_ready: bool,
    /// The last event acknowledged, as recorded; `None`: read it again.
    position: Option<FeedPosition>,
}

impl Publisher {
    async fn step(&mut self) -> Result<PublishStep, String> {
        let events = self.store.events();
        let claimed = events
            .claim_publisher(LOCK.0, LOCK.1)
            .await
            .map_err(|err| format!("database: {err}"))?;
        if !claimed {
            self.position = None;
            return Ok(PublishStep::StandBy);
        }
        if !self.stream_ready {
            self.jetstream
                .get_or_create_stream(stream::Config {
                    name: STREAM.into(),
                    subjects: vec![format!("{SUBJECT_PREFIX}.>")],
                    duplicate_window: DUPLICATE_WINDOW,
                    ..Default::default()
                })
                .await
                .map_err(|err| format!("NATS: the stream {STREAM}: {err}"))?;
            self.stream_ready = true;
        }
        let position = match self.position {
            Some(position) => position,
            None => events
                .publication(PUBLICATION)
                .await
                .map_err(|err| format!("database: {err}"))?,
        };
        self.position = Some(position);
        let batch = events
            .all_after(position, BATCH)
            .await
            .map_err(|err| format!("database: {err}"))?;
        if batch.is_empty() {
            return Ok(PublishStep::Idle);
        }
        let (reached, sent) = self.send(position, batch).await;
        if reached > position {
            events
                .advance_publication(PUBLICATION, reached)
                .await
                .map_err(|err| format!("database: {err}"))?;
            self.position = Some(reached);
        }
        if sent.is_err() {
            // A stream deleted meanwhile is made again.
            self.stream_ready = false;
        }
        sent.map(|()| PublishStep::Published)
    }

    /// Sends the batch, several messages in flight at once but never two
    /// of one model, so that a model's events are stored in order even when
    /// one is lost. Answers how far the feed has been acknowledged.
    async fn send(
        &self,
        from: FeedPosition,
        batch: Vec<Event>,
    ) -> (FeedPosition, Result<(), String>) {
        let mut reached = from;
        let mut in_flight: Vec<(FeedPosition, PublishAckFuture)> = Vec::new();
        let mut models: HashSet<Uuid> = HashSet::new();
        for event in batch {
            let (position, model) = (event.position, event.event.model_id);
            if !models.insert(model) {
                if let Err(err) = acknowledged(&mut in_flight, &mut reached).await {
                    return (reached, Err(err));
                }
                models.clear();
                models.insert(model);
            }
            let (subject, message) = message(event);
            match self.jetstream.send_publish(subject, message).await {
                Ok(ack) => in_flight.push((position, ack)),
                Err(err) if err.kind() == PublishErrorKind::MaxPayloadExceeded => {
                    // No retry can send it: it stays in the feed only.
                    if let Err(err) = acknowledged(&mut in_flight, &mut reached).await {
                        return (reached, Err(err));
                    }
                    tracing::error!(error = %err, "an event too large for NATS is not published (raise max_payload)");
                    reached = position;
                }
                Err(err) => {
                    let _ = acknowledged(&mut in_flight, &mut reached).await;
                    return (reached, Err(format!("NATS: publishing: {err}")));
                }
            }
        }
        let acked = acknowledged(&mut in_flight, &mut reached).await;
        (reached, acked)
    }
}

/// Awaits the acknowledgements in flight, in order, moving `reached` to the
/// last of an unbroken run from the start.
async fn acknowledged(
    in_flight: &mut Vec<(FeedPosition, PublishAckFuture)>,
    reached: &mut FeedPosition,
) -> Result<(), String> {
    for (position, ack) in in_flight.drain(..) {
        ack.await
            .map_err(|err| format!("NATS: no acknowledgement: {err}"))?;
        *reached = position;
    }
    Ok(())
}

/// An event's subject (`model_registry.<project_id>.<type>`) and message:
/// the event's JSON as `GET /events` answers it, its id as `Nats-Msg-Id`.
fn message(event: Event) -> (String, PublishMessage) {
    let project = event.event.project_id;
    let subject = format!(
        "{SUBJECT_PREFIX}.{project}.{}",
        event.event.event_type.as_str()
    );
    let event = ChangeEvent::new(event, project);
    let body = event
        .to_json()
        .map(|json| json.to_string())
        .unwrap_or_default();
    let message = PublishMessage::build()
        .message_id(&event.id)
        .payload(body.into());
    (subject, message)
}

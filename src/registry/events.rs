//! The change feed: the events each write appends, and reading them, with
//! a wait for the next one.

use std::{sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use serde_json::Value;
use tokio::time::Instant;
use uuid::Uuid;

use crate::{
    db::Changes,
    domain::{
        Alias, Error, Event, EventQuery, EventType, FeedPosition, Model, NewEvent, Version,
        changed_fields,
    },
    store::Store,
};

tokio::task_local! {
    /// The id of the request being served, which its events carry: set by
    /// the HTTP layer around each API request.
    pub static REQUEST_ID: String;
}

/// How the API shows a model and a version, which an event's `data`
/// repeats exactly. The API owns that form and gives it to the registry.
pub trait WireForm: Send + Sync {
    fn model(&self, model: &Model) -> Value;
    fn version(&self, version: &Version) -> Value;
    fn alias(&self, alias: &Alias) -> Value;
}

/// After a wake-up finds events committed behind a transaction still open,
/// the reader looks again after this, doubling up to `MAX_RECHECK`.
const FIRST_RECHECK: Duration = Duration::from_millis(5);
const MAX_RECHECK: Duration = Duration::from_millis(100);

/// What a write announces, in the form its readers get, and the wake-up
/// of those readers once it has committed.
#[derive(Clone)]
pub(super) struct Announcer {
    wire: Arc<dyn WireForm>,
    changes: Changes,
}

impl Announcer {
    pub fn new(wire: Arc<dyn WireForm>, changes: Changes) -> Self {
        Announcer { wire, changes }
    }

    /// A write of `project` that appended events has committed.
    pub fn committed(&self, project: Uuid) {
        self.changes.committed(project);
    }

    fn event(
        &self,
        event_type: EventType,
        model: (Uuid, Uuid),
        version_id: Option<Uuid>,
        data: Value,
    ) -> NewEvent {
        let (project_id, model_id) = model;
        let occurred_at = data
            .get("updated_at")
            .and_then(Value::as_str)
            .and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok())
            .map(|at| at.to_utc());
        NewEvent {
            event_type,
            project_id,
            model_id,
            version_id,
            occurred_at: occurred_at.unwrap_or_else(Utc::now),
            request_id: REQUEST_ID.try_with(Clone::clone).unwrap_or_default(),
            data,
            changes: None,
        }
    }

    pub fn model_created(&self, model: &Model) -> NewEvent {
        let data = self.wire.model(model);
        self.event(
            EventType::ModelCreated,
            (model.project_id, model.id),
            None,
            data,
        )
    }

    /// `None` when the update changed nothing a reader sees.
    pub fn model_updated(&self, before: &Model, after: &Model) -> Option<NewEvent> {
        let (old, new) = (self.wire.model(before), self.wire.model(after));
        let changes = changed_fields(&old, &new)?;
        let mut event = self.event(
            EventType::ModelUpdated,
            (after.project_id, after.id),
            None,
            new,
        );
        event.changes = Some(changes);
        Some(event)
    }

    /// A deletion occurred when the write ran, not when the row last changed.
    fn deleted(
        &self,
        event_type: EventType,
        model: (Uuid, Uuid),
        version_id: Option<Uuid>,
        data: Value,
        now: DateTime<Utc>,
    ) -> NewEvent {
        let event = self.event(event_type, model, version_id, data);
        NewEvent {
            occurred_at: now,
            ..event
        }
    }

    pub fn model_deleted(&self, model: &Model, now: DateTime<Utc>) -> NewEvent {
        let data = self.wire.model(model);
        let model_key = (model.project_id, model.id);
        self.deleted(EventType::ModelDeleted, model_key, None, data, now)
    }

    pub fn version_created(&self, project_id: Uuid, version: &Version) -> NewEvent {
        self.event(
            EventType::VersionCreated,
            (project_id, version.registered_model_id),
            Some(version.id),
            self.wire.version(version),
        )
    }

    pub fn version_updated(
        &self,
        project_id: Uuid,
        before: &Version,
        after: &Version,
    ) -> Option<NewEvent> {
        let (old, new) = (self.wire.version(before), self.wire.version(after));
        let changes = changed_fields(&old, &new)?;
        let mut event = self.event(
            EventType::VersionUpdated,
            (project_id, after.registered_model_id),
            Some(after.id),
            new,
        );
        event.changes = Some(changes);
        Some(event)
    }

    pub fn version_deleted(
        &self,
        project_id: Uuid,
        version: &Version,
        now: DateTime<Utc>,
    ) -> NewEvent {
        let data = self.wire.version(version);
        let model = (project_id, version.registered_model_id);
        self.deleted(
            EventType::VersionDeleted,
            model,
            Some(version.id),
            data,
            now,
        )
    }

    /// The alias was made (`before` is `None`) or moved.
    pub fn alias_set(&self, project_id: Uuid, before: Option<&Alias>, after: &Alias) -> NewEvent {
        let mut event = self.event(
            EventType::AliasSet,
            (project_id, after.model_id),
            Some(after.version_id),
            self.wire.alias(after),
        );
        let from = before.map(|alias| alias.version_id);
        event.changes = Some(serde_json::json!({
            "version_id": {"from": from, "to": after.version_id}
        }));
        event
    }

    pub fn alias_deleted(&self, project_id: Uuid, alias: &Alias, now: DateTime<Utc>) -> NewEvent {
        let data = self.wire.alias(alias);
        let model = (project_id, alias.model_id);
        self.deleted(
            EventType::AliasDeleted,
            model,
            Some(alias.version_id),
            data,
            now,
        )
    }
}

/// A page of the feed: its events, and where the reader stands after them.
pub struct EventPage {
    pub events: Vec<Event>,
    pub next: FeedPosition,
}

/// Reading the change feed.
pub struct Events<'r> {
    store: &'r Store,
    changes: &'r Changes,
}

impl<'r> Events<'r> {
    pub(super) fn new(store: &'r Store, changes: &'r Changes) -> Self {
        Events { store, changes }
    }

    /// The project's events after `query.after`, waiting up to `wait` for
    /// one when there are none, holding no connection (`db::Changes` wakes
    /// it). A cursor before what retention removed is `CursorExpired`.
    pub async fn read(
        &self,
        project_id: Uuid,
        query: &EventQuery,
        wait: Duration,
    ) -> Result<EventPage, Error> {
        let deadline = Instant::now() + wait;
        let mut subscription = (!wait.is_zero()).then(|| self.changes.subscribe(project_id));
        let mut recheck = FIRST_RECHECK;
        loop {
            let page = self.read_once(project_id, query).await?;
            let Some(subscription) = subscription.as_mut() else {
                return self.caught_up(project_id, query, page).await;
            };
            if !page.events.is_empty() || Instant::now() >= deadline || self.changes.stopping() {
                return Ok(page);
            }
            // Committed behind a transaction still open: readable as soon
            // as that one ends, which no wake-up announces.
            if self.store.events().pending(project_id, query).await? {
                tokio::time::sleep_until(deadline.min(Instant::now() + recheck)).await;
                recheck = (recheck * 2).min(MAX_RECHECK);
                continue;
            }
            recheck = FIRST_RECHECK;
            tokio::select! {
                () = subscription.changed() => {}
                () = tokio::time::sleep_until(deadline) => {}
                () = self.changes.stopped() => {}
            }
        }
    }

    /// On SQLite, where no NOTIFY tells of another process's commits:
    /// wakes the held reads of every project with events after `seen`
    /// (the last id this looked at, `None` at first); answers the new one.
    pub async fn wake_for_events_since(&self, seen: Option<i64>) -> Result<i64, Error> {
        let events = self.store.events();
        let Some(seen) = seen.filter(|_| self.changes.has_waiters()) else {
            return events.last_id().await;
        };
        let appended = events.appended_since(seen).await?;
        let last = appended.iter().map(|&(_, id)| id).fold(seen, i64::max);
        self.changes
            .appended_elsewhere(appended.into_iter().map(|(project, _)| project));
        Ok(last)
    }

    /// Retention, one pass: of the oldest `batch` events, removes those
    /// that occurred before `cut`; how many went.
    pub async fn remove_before(&self, cut: DateTime<Utc>, batch: u64) -> Result<u64, Error> {
        self.store.remove_expired_events(cut, batch).await
    }

    /// A page read without waiting and short of its limit may have stopped
    /// at a transaction of another database that had just ended
    /// (feed_horizon.sql): one more read, with a snapshot of its own, goes on.
    async fn caught_up(
        &self,
        project_id: Uuid,
        query: &EventQuery,
        mut page: EventPage,
    ) -> Result<EventPage, Error> {
        let Some(room) = query.limit.checked_sub(page.events.len() as u64) else {
            return Ok(page);
        };
        let rest = EventQuery {
            after: Some(page.next),
            limit: room,
            ..query.clone()
        };
        if room == 0 || !self.store.events().pending(project_id, &rest).await? {
            return Ok(page);
        }
        let more = self.read_once(project_id, &rest).await?;
        page.events.extend(more.events);
        page.next = more.next;
        Ok(page)
    }

    async fn read_once(&self, project_id: Uuid, query: &EventQuery) -> Result<EventPage, Error> {
        let events = self.store.events();
        let page = events.page(project_id, query).await?;
        let mut next = page
            .last()
            .map_or(query.after.unwrap_or_default(), |event| event.position);
        // Checked after the page: a removal that could have taken events
        // from it had committed before it was read, so it is seen here.
        if (query.after.is_some() || page.is_empty())
            && let Some(removed) = events.removed_through(project_id).await?
        {
            if query.after.is_some_and(|after| removed > after) {
                return Err(Error::CursorExpired);
            }
            // A reader that finds nothing kept goes on from what went.
            next = next.max(removed);
        }
        Ok(EventPage { events: page, next })
    }
}

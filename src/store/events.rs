//! Queries on `model_registry_event`, the change feed.

use chrono::{DateTime, FixedOffset};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, QueryResult, Statement, Value};
use uuid::Uuid;

use super::{
    connection::Writes,
    filters::{get, pairs},
    statements::{
        ADVANCE_PUBLICATION, CLAIM_PUBLISHER, EVENTS_APPENDED_SINCE, EVENTS_OF_MODEL,
        EVENTS_OF_PROJECT, EVENTS_PENDING, EVENTS_TO_PUBLISH, LAST_EVENT_ID, PUBLICATION_POSITION,
        RETENTION_POSITION, Sql,
    },
};
use crate::domain::{Error, Event, EventQuery, EventType, FeedPosition, NewEvent, Spelled};

/// The events table, on the pool or in a transaction.
pub struct EventTable<'a, C> {
    conn: &'a C,
    backend: DbBackend,
}

impl<'a, C: ConnectionTrait> EventTable<'a, C> {
    pub(super) fn new(conn: &'a C, backend: DbBackend) -> Self {
        EventTable { conn, backend }
    }

    fn bind(&self, sql: &Sql, values: impl IntoIterator<Item = Value>) -> Statement {
        sql.bind(self.backend, values)
    }

    /// The project's events after `query.after` that no reader can miss,
    /// oldest first.
    pub async fn page(&self, project_id: Uuid, query: &EventQuery) -> Result<Vec<Event>, Error> {
        let mut values = self.query_values(project_id, query);
        values.push(i64::try_from(query.limit).unwrap_or(i64::MAX).into());
        let statement = match query.model_id {
            None => self.bind(&EVENTS_OF_PROJECT, values),
            Some(model_id) => {
                values.push(model_id.into());
                self.bind(&EVENTS_OF_MODEL, values)
            }
        };
        let rows = self.conn.query_all_raw(statement).await?;
        Ok(decode_events(&rows)?)
    }

    /// Whether events that `page` does not answer yet follow `query.after`:
    /// committed behind a transaction still open (never on SQLite).
    pub async fn pending(&self, project_id: Uuid, query: &EventQuery) -> Result<bool, Error> {
        if EVENTS_PENDING.text(self.backend).is_empty() {
            return Ok(false);
        }
        let mut values = self.query_values(project_id, query);
        values.push(query.model_id.into());
        self.flag(self.bind(&EVENTS_PENDING, values), "pending")
            .await
    }

    /// The position of the last event of the project that retention has
    /// removed; `None` when it has removed none.
    pub async fn removed_through(&self, project_id: Uuid) -> Result<Option<FeedPosition>, Error> {
        let row = self
            .conn
            .query_one_raw(self.bind(&RETENTION_POSITION, [project_id.into()]))
            .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(FeedPosition {
            txid: get(&row, "txid")?,
            id: get(&row, "event_id")?,
        }))
    }

    /// Every project's events after `after` that no reader can miss, in
    /// feed order: what a publisher of the whole feed sends next.
    pub async fn all_after(&self, after: FeedPosition, limit: u64) -> Result<Vec<Event>, Error> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let values: [Value; 3] = [after.txid.into(), after.id.into(), limit.into()];
        let rows = self
            .conn
            .query_all_raw(self.bind(&EVENTS_TO_PUBLISH, values))
            .await?;
        Ok(decode_events(&rows)?)
    }

    /// Where the publication `name` stands: the last event it has had
    /// acknowledged (the start of the feed if none).
    pub async fn publication(&self, name: &str) -> Result<FeedPosition, Error> {
        let row = self
            .conn
            .query_one_raw(self.bind(&PUBLICATION_POSITION, [name.into()]))
            .await?;
        Ok(match row {
            Some(row) => FeedPosition {
                txid: get(&row, "txid")?,
                id: get(&row, "event_id")?,
            },
            None => FeedPosition::default(),
        })
    }

    /// Records that the publication `name` has reached `position` (never
    /// moving it back).
    pub async fn advance_publication(
        &self,
        name: &str,
        position: FeedPosition,
    ) -> Result<(), Error> {
        let values: [Value; 3] = [name.into(), position.txid.into(), position.id.into()];
        self.conn
            .execute_raw(self.bind(&ADVANCE_PUBLICATION, values))
            .await?;
        Ok(())
    }

    /// The id of the last event (0 when there is none). SQLite only.
    pub async fn last_id(&self) -> Result<i64, Error> {
        let row = self
            .conn
            .query_one_raw(self.bind(&LAST_EVENT_ID, []))
            .await?;
        Ok(row
            .map(|row| get(&row, "last_id"))
            .transpose()?
            .unwrap_or(0))
    }

    /// The projects with events after `after_id`, each with its last
    /// event's id. SQLite only.
    pub async fn appended_since(&self, after_id: i64) -> Result<Vec<(Uuid, i64)>, Error> {
        let rows = self
            .conn
            .query_all_raw(self.bind(&EVENTS_APPENDED_SINCE, [after_id.into()]))
            .await?;
        Ok(pairs(&rows, ("project_id", "last_id"))?)
    }

    /// Whether this connection is the one publisher of the database: it
    /// holds, or takes now, the lock `(class, key)` until it closes. Always
    /// on SQLite, which one process serves.
    pub async fn claim_publisher(&self, class: i32, key: i32) -> Result<bool, Error> {
        if CLAIM_PUBLISHER.text(self.backend).is_empty() {
            return Ok(true);
        }
        let values: [Value; 2] = [class.into(), key.into()];
        self.flag(self.bind(&CLAIM_PUBLISHER, values), "claimed")
            .await
    }

    /// The boolean `column` of the row `statement` answers; `false` for none.
    async fn flag(&self, statement: Statement, column: &str) -> Result<bool, Error> {
        let row = self.conn.query_one_raw(statement).await?;
        Ok(row
            .map(|row| get(&row, column))
            .transpose()?
            .unwrap_or(false))
    }

    /// `$1` to `$4` of the feed's statements.
    fn query_values(&self, project_id: Uuid, query: &EventQuery) -> Vec<Value> {
        let types = (!query.types.is_empty()).then(|| {
            serde_json::Value::from(query.types.iter().map(|t| t.as_str()).collect::<Vec<_>>())
        });
        let types: Value = match self.backend {
            // SQLite reads the array with json_each, from text.
            DbBackend::Sqlite => types.map(|types| types.to_string()).into(),
            _ => types.into(),
        };
        vec![
            project_id.into(),
            query.after.unwrap_or_default().txid.into(),
            query.after.unwrap_or_default().id.into(),
            types,
        ]
    }
}

/// The events of `rows`, in their order.
fn decode_events(rows: &[QueryResult]) -> Result<Vec<Event>, DbErr> {
    let events = rows
        .iter()
        .map(decode_event)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(events.into_iter().flatten().collect())
}

/// An event row; `None` for a type this service does not know (written by
/// a newer one), which a reader skips.
fn decode_event(row: &QueryResult) -> Result<Option<Event>, DbErr> {
    let event_type: String = get(row, "type")?;
    let Some(event_type) = EventType::parse(&event_type) else {
        return Ok(None);
    };
    let occurred_at: DateTime<FixedOffset> = get(row, "occurred_at")?;
    Ok(Some(Event {
        position: FeedPosition {
            txid: get(row, "txid")?,
            id: get(row, "id")?,
        },
        event: NewEvent {
            event_type,
            project_id: get(row, "project_id")?,
            model_id: get(row, "model_id")?,
            version_id: get(row, "version_id")?,
            occurred_at: occurred_at.to_utc(),
            request_id: get(row, "request_id")?,
            data: get(row, "data")?,
            changes: get(row, "changes")?,
        },
    }))
}

/// A write's events as the write statements take them (`$1`): a JSON
/// array, appended on PostgreSQL by the write's own statement.
pub(super) fn events_json(events: &[NewEvent]) -> Value {
    let events: Vec<serde_json::Value> = events
        .iter()
        .map(|event| {
            serde_json::json!({
                "type": event.event_type.as_str(),
                "project_id": event.project_id,
                "model_id": event.model_id,
                "version_id": event.version_id,
                "occurred_at": event.occurred_at.to_rfc3339(),
                "request_id": event.request_id,
                "data": event.data,
                "changes": event.changes,
            })
        })
        .collect();
    serde_json::Value::from(events).into()
}

/// Runs a write statement that takes its events as `$1`, which appends
/// them when it writes; whether it wrote. On SQLite that is two statements
/// in one call, so the caller holds a transaction there.
pub(super) async fn write_with_events(
    conn: &impl Writes,
    sql: &Sql,
    events: &[NewEvent],
    values: impl IntoIterator<Item = Value>,
) -> Result<bool, DbErr> {
    let backend = conn.get_database_backend();
    let values: Vec<Value> = std::iter::once(events_json(events)).chain(values).collect();
    conn.write(sql.bind(backend, values)).await
}

use std::time::Duration;

use poem_openapi::{OpenApi, param::Query, payload::Json};
use uuid::Uuid;

use super::{
    error::{Failure, Follow},
    params::ProjectId,
    routes::{ApiTags, BASE_PATH},
    types::{ChangeEvent, EventList},
};
use crate::{
    domain::{Error, EventQuery, EventType, FeedPosition},
    registry::Registry,
};

/// The longest a reader may ask to be held (`wait`).
pub const MAX_WAIT_SECS: u64 = 30;
const DEFAULT_LIMIT: u64 = 100;

pub struct EventsApi {
    pub registry: Registry,
}

#[OpenApi(prefix_path = BASE_PATH, tag = "ApiTags::Events")]
impl EventsApi {
    /// Follow the project's changes
    ///
    /// Every change to a model or a version (artifacts are versions), in the
    /// order of its commit per model; following `next_cursor`, a reader
    /// sees each committed event exactly once, whatever the number of
    /// writers and service processes.
    #[oai(path = "/events", method = "get", operation_id = "listEvents")]
    async fn list(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        /// Only events after this cursor (an event's `id`, or a
        /// `next_cursor`); absent, from the oldest event kept.
        #[oai(validator(max_length = 64))]
        after: Query<Option<String>>,
        /// Page size, 1..1000 (default 100).
        #[oai(validator(minimum(value = "1"), maximum(value = "1000")))]
        limit: Query<Option<u64>>,
        /// Only events of these types; repeat it for several.
        #[oai(name = "type")]
        event_type: Query<Option<Vec<EventType>>>,
        /// Only the events of this model and its versions.
        model_id: Query<Option<Uuid>>,
        /// When nothing follows `after`, hold the answer up to this many
        /// seconds (0..30, default 0) until an event commits.
        #[oai(validator(minimum(value = "0"), maximum(value = "30")))]
        wait: Query<Option<u64>>,
    ) -> Result<Json<EventList>, Failure<Follow>> {
        let project = project.0;
        let after = match after.0.as_deref() {
            None => None,
            Some(cursor) => Some(FeedPosition::of_cursor(cursor, project).ok_or_else(|| {
                Error::invalid(
                    "after: not a cursor of this project's events (it was altered, or it \
                     belongs to another project)",
                )
            })?),
        };
        let query = EventQuery {
            after,
            limit: limit.0.unwrap_or(DEFAULT_LIMIT),
            types: event_type.0.unwrap_or_default(),
            model_id: model_id.0,
        };
        let wait = wait.0.unwrap_or(0).min(MAX_WAIT_SECS);
        let page = self
            .registry
            .events()
            .read(project, &query, Duration::from_secs(wait))
            .await?;
        Ok(Json(EventList {
            next_cursor: page.next.cursor(project),
            events: page
                .events
                .into_iter()
                .map(|event| ChangeEvent::new(event, project))
                .collect(),
        }))
    }
}

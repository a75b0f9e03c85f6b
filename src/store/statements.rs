//! The statements the store sends by key, as literal SQL in `sql/`: one
//! folder per dialect, and `sql/shared/` for what both speak alike. Each
//! file names its parameters (`-- $1 id: ...`), bound in that order.
//!
//! A read is a head that chooses rows (`WITH chosen AS (...)`, by id, by
//! name, or a page's ids) followed by the body that reads them whole
//! (`model_whole.sql`, `version_whole.sql`), so that every way of finding
//! a model answers the same columns.

use sea_orm::{DbBackend, Statement, Value};

/// One statement, in each dialect; empty where that backend never sends it.
pub struct Sql {
    pub name: &'static str,
    pub postgres: &'static str,
    pub sqlite: &'static str,
}

impl Sql {
    pub fn text(&self, backend: DbBackend) -> &'static str {
        match backend {
            DbBackend::Sqlite => self.sqlite,
            _ => self.postgres,
        }
    }

    /// The statement with its parameters, in the order its file names them.
    pub fn bind(&self, backend: DbBackend, values: impl IntoIterator<Item = Value>) -> Statement {
        Statement::from_sql_and_values(backend, self.text(backend), values)
    }
}

/// A statement: its name, and its text in each dialect (one text for both).
macro_rules! sql {
    ($name:literal, $both:expr) => {
        Sql {
            name: $name,
            postgres: $both,
            sqlite: $both,
        }
    };
    ($name:literal, postgres: $postgres:expr, sqlite: $sqlite:expr) => {
        Sql {
            name: $name,
            postgres: $postgres,
            sqlite: $sqlite,
        }
    };
}

macro_rules! file {
    ($dialect:literal, $name:literal) => {
        include_str!(concat!("sql/", $dialect, "/", $name, ".sql"))
    };
}

/// A write on PostgreSQL, named `written`, and after it, in the same
/// statement, the write's events (its `$1`).
macro_rules! with_events {
    ($head:expr, $write:expr) => {
        concat!(
            $head,
            $write,
            "RETURNING 1\n)\n",
            file!("postgres", "append_events")
        )
    };
    ($write:expr) => {
        with_events!("WITH written AS (\n", $write)
    };
}

/// The body that reads the versions in `chosen` whole (with their emails
/// and aliases).
pub const VERSION_WHOLE: Sql = sql!(
    "version_whole",
    postgres: file!("postgres", "version_whole"),
    sqlite: file!("sqlite", "version_whole")
);

pub const GET_MODEL: Sql = sql!(
    "get_model",
    postgres: concat!(
        file!("shared", "model_by_id"),
        file!("shared", "model_columns"),
        file!("postgres", "model_whole")
    ),
    sqlite: concat!(
        file!("shared", "model_by_id"),
        file!("shared", "model_columns"),
        file!("sqlite", "model_whole")
    )
);

pub const FIND_MODEL_BY_NAME: Sql = sql!(
    "find_model_by_name",
    postgres: concat!(
        file!("shared", "model_by_name"),
        file!("shared", "model_columns"),
        file!("postgres", "model_whole")
    ),
    sqlite: concat!(
        file!("shared", "model_by_name"),
        file!("shared", "model_columns"),
        file!("sqlite", "model_whole")
    )
);

pub const MODELS_BY_IDS: Sql = sql!(
    "list_models_details",
    postgres: concat!(
        file!("postgres", "models_by_ids"),
        file!("shared", "model_columns"),
        file!("postgres", "model_whole")
    ),
    sqlite: concat!(
        file!("sqlite", "models_by_ids"),
        file!("shared", "model_columns"),
        file!("sqlite", "model_whole")
    )
);

pub const MODEL_EXISTS: Sql = sql!("model_exists", file!("shared", "model_exists"));

pub const LOCK_MODEL: Sql = sql!(
    "lock_model",
    postgres: file!("postgres", "lock_model"),
    sqlite: file!("sqlite", "lock_model")
);

pub const INSERT_MODEL: Sql = sql!(
    "insert_model",
    postgres: with_events!(file!("shared", "insert_model")),
    sqlite: file!("shared", "insert_model")
);

pub const REGION_NAME: Sql = sql!("region_name", file!("shared", "region_name"));

pub const UPDATE_MODEL: Sql = sql!(
    "update_model",
    postgres: with_events!(file!("shared", "update_model")),
    sqlite: file!("shared", "update_model")
);

pub const DELETE_MODEL_VERSIONS: Sql = sql!(
    "delete_model_versions",
    file!("shared", "delete_model_versions")
);

pub const ORPHAN_CHILD_MODELS: Sql = sql!(
    "orphan_child_models",
    file!("shared", "orphan_child_models")
);

pub const DELETE_MODEL: Sql = sql!(
    "delete_model",
    postgres: with_events!(file!("shared", "delete_model")),
    sqlite: file!("shared", "delete_model")
);

pub const GET_VERSION: Sql = sql!(
    "get_version",
    postgres: concat!(
        file!("shared", "version_by_id"),
        file!("postgres", "version_whole")
    ),
    sqlite: concat!(
        file!("shared", "version_by_id"),
        file!("sqlite", "version_whole")
    )
);

pub const GET_VERSION_OF_MODEL: Sql = sql!(
    "get_version_of_model",
    postgres: concat!(
        file!("shared", "version_of_model_by_id"),
        file!("postgres", "version_whole")
    ),
    sqlite: concat!(
        file!("shared", "version_of_model_by_id"),
        file!("sqlite", "version_whole")
    )
);

pub const VERSIONS_BY_IDS: Sql = sql!(
    "list_versions_details",
    postgres: concat!(
        file!("postgres", "versions_by_ids"),
        file!("postgres", "version_whole")
    ),
    sqlite: concat!(
        file!("sqlite", "versions_by_ids"),
        file!("sqlite", "version_whole")
    )
);

pub const INSERT_VERSION: Sql = sql!(
    "insert_version",
    postgres: with_events!(file!("shared", "insert_version")),
    sqlite: file!("shared", "insert_version")
);

/// PostgreSQL clears the previous default inside the insert; SQLite runs
/// `CLEAR_DEFAULT` first.
pub const INSERT_DEFAULT_VERSION: Sql = sql!(
    "insert_default_version",
    postgres: with_events!(
        file!("postgres", "insert_default_version"),
        file!("shared", "insert_version")
    ),
    sqlite: ""
);

pub const CLEAR_DEFAULT: Sql = sql!(
    "clear_default",
    postgres: "",
    sqlite: file!("sqlite", "clear_default")
);

/// On SQLite, `CLEAR_DEFAULT` runs first when the version becomes the default.
pub const UPDATE_VERSION: Sql = sql!(
    "update_version",
    postgres: with_events!(
        file!("postgres", "update_version"),
        file!("shared", "update_version_columns")
    ),
    sqlite: file!("shared", "update_version_columns")
);

pub const COUNT_READY_VERSIONS: Sql = sql!(
    "count_ready_versions",
    file!("shared", "count_ready_versions")
);

pub const DELETE_VERSION: Sql = sql!(
    "delete_version",
    postgres: with_events!(file!("shared", "delete_version")),
    sqlite: file!("shared", "delete_version")
);

pub const GET_ALIAS: Sql = sql!(
    "get_alias",
    postgres: concat!(
        file!("shared", "alias_with_version"),
        file!("postgres", "version_whole"),
        file!("shared", "alias_tail")
    ),
    sqlite: concat!(
        file!("shared", "alias_with_version"),
        file!("sqlite", "version_whole"),
        file!("shared", "alias_tail")
    )
);

pub const ALIASES_OF_MODEL: Sql = sql!("aliases_of_model", file!("shared", "aliases_of_model"));

pub const COUNT_ALIASES: Sql = sql!("count_aliases", file!("shared", "count_aliases"));

pub const SET_ALIAS: Sql = sql!(
    "set_alias",
    postgres: with_events!(file!("shared", "set_alias")),
    sqlite: file!("shared", "set_alias")
);

pub const DELETE_ALIAS: Sql = sql!(
    "delete_alias",
    postgres: with_events!(file!("shared", "delete_alias")),
    sqlite: file!("shared", "delete_alias")
);

pub const DELETE_MODEL_ALIASES: Sql = sql!(
    "delete_model_aliases",
    file!("shared", "delete_model_aliases")
);

pub const WEBHOOKS_OF_PROJECT: Sql = sql!(
    "webhooks_of_project",
    concat!(
        file!("shared", "webhook_columns"),
        file!("shared", "webhooks_of_project")
    )
);

pub const GET_WEBHOOK: Sql = sql!(
    "get_webhook",
    concat!(
        file!("shared", "webhook_columns"),
        file!("shared", "webhook_by_id")
    )
);

pub const COUNT_WEBHOOKS: Sql = sql!("count_webhooks", file!("shared", "count_webhooks"));

pub const INSERT_WEBHOOK: Sql = sql!("insert_webhook", file!("shared", "insert_webhook"));

pub const UPDATE_WEBHOOK: Sql = sql!("update_webhook", file!("shared", "update_webhook"));

pub const DELETE_WEBHOOK_DELIVERIES: Sql = sql!(
    "delete_webhook_deliveries",
    file!("shared", "delete_webhook_deliveries")
);

pub const DELETE_WEBHOOK: Sql = sql!("delete_webhook", file!("shared", "delete_webhook"));

pub const ANY_ENABLED_WEBHOOK: Sql = sql!(
    "any_enabled_webhook",
    file!("shared", "any_enabled_webhook")
);

pub const ENABLED_WEBHOOKS: Sql = sql!(
    "enabled_webhooks",
    postgres: file!("postgres", "enabled_webhooks"),
    sqlite: file!("sqlite", "enabled_webhooks")
);

pub const DELIVERIES_PAGE: Sql = sql!(
    "deliveries_page",
    concat!(
        file!("shared", "delivery_columns"),
        file!("shared", "deliveries_page")
    )
);

pub const DELIVERY_OF_WEBHOOK: Sql = sql!(
    "delivery_of_webhook",
    file!("shared", "delivery_of_webhook")
);

pub const CLAIM_DELIVERIES: Sql = sql!(
    "claim_deliveries",
    postgres: file!("postgres", "claim_deliveries"),
    sqlite: file!("sqlite", "claim_deliveries")
);

pub const RECORD_ATTEMPT: Sql = sql!("record_attempt", file!("shared", "record_attempt"));

/// SQLite records one attempt at a time (`RECORD_ATTEMPT`).
pub const RECORD_ATTEMPTS: Sql = sql!(
    "record_attempts",
    postgres: file!("postgres", "record_attempts"),
    sqlite: ""
);

pub const WEBHOOK_DELIVERED: Sql = sql!("webhook_delivered", file!("shared", "webhook_delivered"));

pub const REMOVE_FINISHED_DELIVERIES: Sql = sql!(
    "remove_finished_deliveries",
    file!("shared", "remove_finished_deliveries")
);

pub const WEBHOOK_FAILED: Sql = sql!("webhook_failed", file!("shared", "webhook_failed"));

/// PostgreSQL appends a write's events in the write's own statement.
pub const APPEND_EVENT: Sql = sql!(
    "append_event",
    postgres: "",
    sqlite: file!("sqlite", "append_event")
);

pub const LOCK_MODEL_WHOLE: Sql = sql!(
    "lock_model_whole",
    postgres: concat!(
        file!("postgres", "lock_model_whole"),
        file!("shared", "model_columns"),
        file!("postgres", "model_whole")
    ),
    // The write transaction already holds SQLite's one write lock.
    sqlite: concat!(
        file!("shared", "model_by_id"),
        file!("shared", "model_columns"),
        file!("sqlite", "model_whole")
    )
);

pub const LOCK_VERSION_WHOLE: Sql = sql!(
    "lock_version_whole",
    postgres: concat!(
        file!("postgres", "lock_version_whole"),
        file!("postgres", "version_whole")
    ),
    sqlite: concat!(
        file!("shared", "version_by_id"),
        file!("sqlite", "version_whole")
    )
);

pub const DEFAULTS_OF_MODEL: Sql = sql!(
    "defaults_of_model",
    postgres: concat!(
        file!("shared", "defaults_of_model"),
        file!("postgres", "version_whole")
    ),
    sqlite: concat!(
        file!("shared", "defaults_of_model"),
        file!("sqlite", "version_whole")
    )
);

pub const EVENTS_OF_PROJECT: Sql = sql!(
    "events_of_project",
    postgres: concat!(
        file!("postgres", "feed_horizon"),
        file!("postgres", "events_of_project")
    ),
    sqlite: file!("sqlite", "events_of_project")
);

pub const EVENTS_OF_MODEL: Sql = sql!(
    "events_of_model",
    postgres: concat!(
        file!("postgres", "feed_horizon"),
        file!("postgres", "events_of_model")
    ),
    sqlite: file!("sqlite", "events_of_model")
);

/// SQLite has no events pending: what it has committed, a reader sees.
pub const EVENTS_PENDING: Sql = sql!(
    "events_pending",
    postgres: file!("postgres", "events_pending"),
    sqlite: ""
);

pub const EVENT_CURSOR_EXPIRED: Sql = sql!(
    "event_cursor_expired",
    file!("shared", "event_cursor_expired")
);

/// SQLite runs `MARK_EXPIRED_EVENTS` first, in the same transaction.
pub const REMOVE_EXPIRED_EVENTS: Sql = sql!(
    "remove_expired_events",
    postgres: file!("postgres", "remove_expired_events"),
    sqlite: file!("sqlite", "remove_expired_events")
);

pub const MARK_EXPIRED_EVENTS: Sql = sql!(
    "mark_expired_events",
    postgres: "",
    sqlite: file!("sqlite", "mark_expired_events")
);

pub const EVENTS_TO_PUBLISH: Sql = Sql {
    name: "events_to_publish",
    postgres: concat!(
        file!("postgres", "feed_horizon"),
        file!("postgres", "events_to_publish")
    ),
    sqlite: file!("sqlite", "events_to_publish"),
};

pub const PUBLICATION_POSITION: Sql = Sql {
    name: "publication_position",
    postgres: file!("shared", "publication_position"),
    sqlite: file!("shared", "publication_position"),
};

pub const ADVANCE_PUBLICATION: Sql = Sql {
    name: "advance_publication",
    postgres: file!("shared", "advance_publication"),
    sqlite: file!("shared", "advance_publication"),
};

/// SQLite has one process, which is always the publisher.
pub const CLAIM_PUBLISHER: Sql = Sql {
    name: "claim_publisher",
    postgres: file!("postgres", "claim_publisher"),
    sqlite: "",
};

/// The end of a project's version page on PostgreSQL, after the `page`
/// that the list's filters build (`filters::version_page`).
pub const VERSION_PAGE_TAIL: &str = file!("postgres", "version_page");

/// Every statement above, for `model-registry sql` and the test that
/// prepares each on both databases.
pub const ALL: &[&Sql] = &[
    &GET_MODEL,
    &FIND_MODEL_BY_NAME,
    &MODELS_BY_IDS,
    &MODEL_EXISTS,
    &LOCK_MODEL,
    &INSERT_MODEL,
    &REGION_NAME,
    &UPDATE_MODEL,
    &DELETE_MODEL_VERSIONS,
    &ORPHAN_CHILD_MODELS,
    &DELETE_MODEL,
    &GET_VERSION,
    &GET_VERSION_OF_MODEL,
    &VERSIONS_BY_IDS,
    &INSERT_VERSION,
    &INSERT_DEFAULT_VERSION,
    &CLEAR_DEFAULT,
    &UPDATE_VERSION,
    &COUNT_READY_VERSIONS,
    &DELETE_VERSION,
    &GET_ALIAS,
    &ALIASES_OF_MODEL,
    &COUNT_ALIASES,
    &SET_ALIAS,
    &DELETE_ALIAS,
    &DELETE_MODEL_ALIASES,
    &WEBHOOKS_OF_PROJECT,
    &GET_WEBHOOK,
    &COUNT_WEBHOOKS,
    &INSERT_WEBHOOK,
    &UPDATE_WEBHOOK,
    &DELETE_WEBHOOK_DELIVERIES,
    &DELETE_WEBHOOK,
    &ANY_ENABLED_WEBHOOK,
    &ENABLED_WEBHOOKS,
    &DELIVERIES_PAGE,
    &DELIVERY_OF_WEBHOOK,
    &CLAIM_DELIVERIES,
    &RECORD_ATTEMPT,
    &RECORD_ATTEMPTS,
    &WEBHOOK_DELIVERED,
    &WEBHOOK_FAILED,
    &REMOVE_FINISHED_DELIVERIES,
    &APPEND_EVENT,
    &LOCK_MODEL_WHOLE,
    &LOCK_VERSION_WHOLE,
    &DEFAULTS_OF_MODEL,
    &EVENTS_OF_PROJECT,
    &EVENTS_OF_MODEL,
    &EVENTS_PENDING,
    &EVENT_CURSOR_EXPIRED,
    &REMOVE_EXPIRED_EVENTS,
    &MARK_EXPIRED_EVENTS,
    &EVENTS_TO_PUBLISH,
    &PUBLICATION_POSITION,
    &ADVANCE_PUBLICATION,
    &CLAIM_PUBLISHER,
];

/// The names a statement's file gives its parameters, `$1` first.
pub fn parameter_names(sql: &str) -> Vec<String> {
    let mut names: Vec<(usize, String)> = Vec::new();
    for comment in sql
        .lines()
        .filter_map(|line| line.trim().strip_prefix("--"))
    {
        let mut words = comment.split(|c: char| c.is_whitespace() || c == ',' || c == ':');
        while let Some(word) = words.next() {
            let Some(n) = word.strip_prefix('$').and_then(|n| n.parse().ok()) else {
                continue;
            };
            let name = words.by_ref().find(|w| !w.is_empty()).unwrap_or_default();
            if !names.iter().any(|(m, _)| *m == n) {
                names.push((n, name.to_owned()));
            }
        }
    }
    names.sort();
    names.into_iter().map(|(_, name)| name).collect()
}

//! The statements the store sends by key, as literal SQL in `sql/`: one
//! folder per dialect, and `sql/shared/` for what both speak alike. Each
//! file names its parameters (`-- $1 id: ...`), bound in that order.
//!
//! A read is a head that chooses rows (`WITH chosen AS (...)`, by id, by
//! name, or a page's ids) followed by the body that reads them whole
//! (`model_columns.sql` and `model_whole.sql`; `version_columns.sql`), so
//! that every way of finding a model or a version answers the same columns.

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

/// The text of `sql/<path>.sql`.
macro_rules! sql_file {
    ($path:expr) => {
        include_str!(concat!("sql/", $path, ".sql"))
    };
}

/// `sql/shared/<name>.sql`, which both databases run; or a shared column
/// list followed by the file that chooses the rows.
macro_rules! shared {
    ($name:literal) => {
        sql!($name, sql_file!(concat!("shared/", $name)))
    };
    ($name:literal, $columns:literal, $rest:literal) => {
        sql!(
            $name,
            concat!(
                sql_file!(concat!("shared/", $columns)),
                sql_file!(concat!("shared/", $rest))
            )
        )
    };
}

/// `sql/postgres/<name>.sql` and `sql/sqlite/<name>.sql`.
macro_rules! per_dialect {
    ($name:literal) => {
        sql!(
            $name,
            postgres: sql_file!(concat!("postgres/", $name)),
            sqlite: sql_file!(concat!("sqlite/", $name))
        )
    };
}

/// A statement only one database sends.
macro_rules! only {
    (postgres, $name:literal) => {
        sql!($name, postgres: sql_file!(concat!("postgres/", $name)), sqlite: "")
    };
    (sqlite, $name:literal) => {
        sql!($name, postgres: "", sqlite: sql_file!(concat!("sqlite/", $name)))
    };
}

/// A write, `sql/shared/<name>.sql`. On PostgreSQL it is named `written`
/// and the write's events (its `$1`) follow in the same statement; on
/// SQLite in a second statement of the same call (`APPEND_EVENTS`). A head
/// may come before it in each dialect (PostgreSQL's ends by opening
/// `written`).
macro_rules! write_with_events {
    ($name:literal) => {
        write_with_events!($name, "WITH written AS (\n", concat!("shared/", $name))
    };
    ($name:literal, $head:expr, $write:expr) => {
        write_with_events!($name, $head, "", $write)
    };
    ($name:literal, $head:expr, $sqlite_head:expr, $write:expr) => {
        write_with_events!($name, $head, $sqlite_head, $write, "")
    };
    ($name:literal, $head:expr, $sqlite_head:expr, $write:expr, $sqlite_tail:expr) => {
        sql!(
            $name,
            postgres: concat!(
                $head,
                sql_file!($write),
                "RETURNING 1\n)\n",
                sql_file!("postgres/append_events")
            ),
            sqlite: concat!(
                $sqlite_head,
                sql_file!($write),
                $sqlite_tail,
                ";\n",
                sql_file!("sqlite/append_events")
            )
        )
    };
}

/// The head of a create of a version: its model, locked (`locked`).
macro_rules! model_locked {
    ($dialect:literal) => {
        concat!("WITH ", sql_file!(concat!($dialect, "/locked_model")), "\n")
    };
}

/// The columns of a version's answer, after a `SELECT`: the shared ones,
/// then the dialect's way of listing its aliases.
macro_rules! version_columns {
    ($dialect:literal) => {
        concat!(
            sql_file!("shared/version_columns"),
            sql_file!(concat!($dialect, "/version_aliases"))
        )
    };
}

/// The body that reads the versions in `chosen` whole, in their order.
macro_rules! version_whole {
    ($dialect:literal) => {
        concat!(
            "SELECT\n",
            version_columns!($dialect),
            sql_file!("shared/from_chosen")
        )
    };
}

/// A read of whole rows: the head that chooses them (a path under `sql/`,
/// per dialect), then the body that reads them whole.
macro_rules! whole {
    ($name:literal, models, postgres: $postgres:literal, sqlite: $sqlite:literal) => {
        sql!(
            $name,
            postgres: concat!(
                sql_file!($postgres),
                sql_file!("shared/model_columns"),
                sql_file!("postgres/model_whole")
            ),
            sqlite: concat!(
                sql_file!($sqlite),
                sql_file!("shared/model_columns"),
                sql_file!("sqlite/model_whole")
            )
        )
    };
    ($name:literal, versions, postgres: $postgres:literal, sqlite: $sqlite:literal) => {
        sql!(
            $name,
            postgres: concat!(sql_file!($postgres), version_whole!("postgres")),
            sqlite: concat!(sql_file!($sqlite), version_whole!("sqlite"))
        )
    };
    ($name:literal, $table:ident, $head:literal) => {
        whole!($name, $table, postgres: $head, sqlite: $head)
    };
}

/// A lease of deliveries: the head that chooses them (`sql/<dialect>/<name>.sql`),
/// then the end that leases them and answers what an attempt needs.
macro_rules! claim {
    ($name:literal) => {
        sql!(
            $name,
            postgres: concat!(
                sql_file!(concat!("postgres/", $name)),
                sql_file!("postgres/lease_claimed")
            ),
            sqlite: concat!(
                sql_file!(concat!("sqlite/", $name)),
                sql_file!("sqlite/leased_columns")
            )
        )
    };
}

/// A read of the feed: on PostgreSQL, after the horizon no reader may pass.
macro_rules! feed_read {
    ($name:literal) => {
        sql!(
            $name,
            postgres: concat!(
                sql_file!("postgres/feed_horizon"),
                sql_file!(concat!("postgres/", $name))
            ),
            sqlite: sql_file!(concat!("sqlite/", $name))
        )
    };
}

/// The body that reads the versions in `chosen` whole (with their emails
/// and aliases).
pub const VERSION_WHOLE: Sql = sql!(
    "version_whole",
    postgres: version_whole!("postgres"),
    sqlite: version_whole!("sqlite")
);

// Models.
pub const GET_MODEL: Sql = whole!("get_model", models, "shared/model_by_id");
pub const FIND_MODEL_BY_NAME: Sql = whole!("find_model_by_name", models, "shared/model_by_name");
pub const MODELS_BY_IDS: Sql = whole!(
    "list_models_details",
    models,
    postgres: "postgres/models_by_ids",
    sqlite: "sqlite/models_by_ids"
);
pub const MODEL_EXISTS: Sql = shared!("model_exists");
pub const LOCK_MODEL: Sql = per_dialect!("lock_model");
pub const INSERT_MODEL: Sql = write_with_events!("insert_model");
pub const REGION_NAME: Sql = shared!("region_name");
pub const UPDATE_MODEL: Sql = write_with_events!("update_model");
pub const DELETE_MODEL_VERSIONS: Sql = shared!("delete_model_versions");
pub const CHILD_MODELS: Sql = shared!("child_models");
pub const ORPHAN_CHILD_MODELS: Sql = shared!("orphan_child_models");
pub const DELETE_MODEL: Sql = write_with_events!("delete_model");

// Versions.
pub const GET_VERSION: Sql = whole!("get_version", versions, "shared/version_by_id");
pub const GET_VERSION_OF_MODEL: Sql = whole!(
    "get_version_of_model",
    versions,
    "shared/version_of_model_by_id"
);
pub const VERSIONS_BY_IDS: Sql = whole!(
    "list_versions_details",
    versions,
    postgres: "postgres/versions_by_ids",
    sqlite: "sqlite/versions_by_ids"
);
/// On SQLite a write transaction holds the database's one write lock.
pub const LOCK_VERSION: Sql = only!(postgres, "lock_version");
pub const DEFAULTS_OF_MODEL: Sql =
    whole!("defaults_of_model", versions, "shared/defaults_of_model");
/// A create of a version locks its model in the same statement.
pub const INSERT_VERSION: Sql = write_with_events!(
    "insert_version",
    concat!(model_locked!("postgres"), ", written AS (\n"),
    model_locked!("sqlite"),
    "shared/insert_version"
);
/// PostgreSQL clears the previous default inside the insert; SQLite runs
/// `CLEAR_DEFAULT` first.
pub const INSERT_DEFAULT_VERSION: Sql = write_with_events!(
    "insert_default_version",
    concat!(
        model_locked!("postgres"),
        ", ",
        sql_file!("postgres/insert_default_version"),
        ",\nwritten AS (\n"
    ),
    model_locked!("sqlite"),
    "shared/insert_version"
);
pub const CLEAR_DEFAULT: Sql = only!(sqlite, "clear_default");
/// On SQLite, `CLEAR_DEFAULT` runs first when the version becomes the default.
pub const UPDATE_VERSION: Sql = write_with_events!(
    "update_version",
    sql_file!("postgres/update_version"),
    "",
    "shared/update_version_columns",
    sql_file!("sqlite/unchanged_since")
);
pub const COUNT_READY_VERSIONS: Sql = shared!("count_ready_versions");
pub const DELETE_VERSION: Sql = write_with_events!("delete_version");

// Aliases.
/// The alias's own columns come first, then the version's.
pub const GET_ALIAS: Sql = sql!(
    "get_alias",
    postgres: concat!(
        sql_file!("shared/alias_with_version"),
        version_columns!("postgres"),
        sql_file!("shared/from_chosen")
    ),
    sqlite: concat!(
        sql_file!("shared/alias_with_version"),
        version_columns!("sqlite"),
        sql_file!("shared/from_chosen")
    )
);
pub const ALIASES_OF_MODEL: Sql = shared!("aliases_of_model");
pub const COUNT_ALIASES: Sql = shared!("count_aliases");
pub const SET_ALIAS: Sql = write_with_events!("set_alias");
pub const DELETE_ALIAS: Sql = write_with_events!("delete_alias");
pub const DELETE_MODEL_ALIASES: Sql = shared!("delete_model_aliases");

// Webhooks and their deliveries.
pub const WEBHOOKS_OF_PROJECT: Sql = shared!(
    "webhooks_of_project",
    "webhook_columns",
    "webhooks_of_project"
);
pub const GET_WEBHOOK: Sql = shared!("get_webhook", "webhook_columns", "webhook_by_id");
/// A conditional write's read: SQLite's write transaction already holds
/// the database's one write lock.
pub const LOCK_WEBHOOK: Sql = sql!(
    "lock_webhook",
    postgres: concat!(
        sql_file!("shared/webhook_columns"),
        sql_file!("shared/webhook_by_id"),
        "FOR UPDATE\n"
    ),
    sqlite: concat!(
        sql_file!("shared/webhook_columns"),
        sql_file!("shared/webhook_by_id")
    )
);
pub const COUNT_WEBHOOKS: Sql = shared!("count_webhooks");
pub const INSERT_WEBHOOK: Sql = shared!("insert_webhook");
pub const UPDATE_WEBHOOK: Sql = shared!("update_webhook");
pub const DELETE_WEBHOOK_DELIVERIES: Sql = shared!("delete_webhook_deliveries");
pub const DELETE_WEBHOOK: Sql = shared!("delete_webhook");
pub const ANY_ENABLED_WEBHOOK: Sql = shared!("any_enabled_webhook");
pub const ENABLED_WEBHOOKS: Sql = per_dialect!("enabled_webhooks");
pub const DELIVERIES_PAGE: Sql = shared!("deliveries_page", "delivery_columns", "deliveries_page");
pub const DELIVERY_OF_WEBHOOK: Sql = shared!("delivery_of_webhook");
pub const INSERT_DELIVERIES: Sql = per_dialect!("insert_deliveries");
pub const CLAIM_DELIVERIES: Sql = claim!("claim_deliveries");
pub const CLAIM_FRESH_DELIVERIES: Sql = claim!("claim_fresh_deliveries");
pub const RELEASE_LEASES: Sql = per_dialect!("release_leases");
pub const RECORD_ATTEMPT: Sql = shared!("record_attempt");
/// SQLite records one attempt at a time (`RECORD_ATTEMPT`).
pub const RECORD_ATTEMPTS: Sql = only!(postgres, "record_attempts");
pub const WEBHOOK_DELIVERED: Sql = shared!("webhook_delivered");
pub const WEBHOOK_FAILED: Sql = shared!("webhook_failed");
pub const REMOVE_FINISHED_DELIVERIES: Sql = shared!("remove_finished_deliveries");

// The feed.
/// Every write's SQLite text ends with it; PostgreSQL appends a write's
/// events in the write's own statement.
pub const APPEND_EVENTS: Sql = only!(sqlite, "append_events");
pub const EVENTS_OF_PROJECT: Sql = feed_read!("events_of_project");
pub const EVENTS_OF_MODEL: Sql = feed_read!("events_of_model");
/// SQLite has no events pending: what it has committed, a reader sees.
pub const EVENTS_PENDING: Sql = only!(postgres, "events_pending");
pub const RETENTION_POSITION: Sql = shared!("retention_position");
/// SQLite runs `MARK_EXPIRED_EVENTS` first, in the same transaction.
pub const REMOVE_EXPIRED_EVENTS: Sql = per_dialect!("remove_expired_events");
pub const MARK_EXPIRED_EVENTS: Sql = only!(sqlite, "mark_expired_events");
pub const EVENTS_TO_PUBLISH: Sql = feed_read!("events_to_publish");
pub const PUBLICATION_POSITION: Sql = per_dialect!("publication_position");
pub const ADVANCE_PUBLICATION: Sql = shared!("advance_publication");
/// SQLite has one process, which is always the publisher.
pub const CLAIM_PUBLISHER: Sql = only!(postgres, "claim_publisher");
/// What other processes on one SQLite file appended; PostgreSQL's NOTIFY
/// tells it (`db::Changes`).
pub const LAST_EVENT_ID: Sql = only!(sqlite, "last_event_id");
pub const EVENTS_APPENDED_SINCE: Sql = only!(sqlite, "events_appended_since");

/// The end of a project's version page on PostgreSQL, after the `page`
/// that the list's filters build (`filters::version_page`).
pub const VERSION_PAGE_TAIL: &str = concat!(
    sql_file!("postgres/version_page_head"),
    version_columns!("postgres"),
    sql_file!("postgres/version_page")
);

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
    &CHILD_MODELS,
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
    &LOCK_WEBHOOK,
    &UPDATE_WEBHOOK,
    &DELETE_WEBHOOK_DELIVERIES,
    &DELETE_WEBHOOK,
    &ANY_ENABLED_WEBHOOK,
    &ENABLED_WEBHOOKS,
    &DELIVERIES_PAGE,
    &DELIVERY_OF_WEBHOOK,
    &INSERT_DELIVERIES,
    &CLAIM_DELIVERIES,
    &CLAIM_FRESH_DELIVERIES,
    &RELEASE_LEASES,
    &RECORD_ATTEMPT,
    &RECORD_ATTEMPTS,
    &WEBHOOK_DELIVERED,
    &WEBHOOK_FAILED,
    &REMOVE_FINISHED_DELIVERIES,
    &APPEND_EVENTS,
    &LOCK_VERSION,
    &DEFAULTS_OF_MODEL,
    &EVENTS_OF_PROJECT,
    &EVENTS_OF_MODEL,
    &EVENTS_PENDING,
    &RETENTION_POSITION,
    &REMOVE_EXPIRED_EVENTS,
    &MARK_EXPIRED_EVENTS,
    &EVENTS_TO_PUBLISH,
    &PUBLICATION_POSITION,
    &ADVANCE_PUBLICATION,
    &CLAIM_PUBLISHER,
    &LAST_EVENT_ID,
    &EVENTS_APPENDED_SINCE,
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

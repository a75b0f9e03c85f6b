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

macro_rules! file {
    ($dialect:literal, $name:literal) => {
        include_str!(concat!("sql/", $dialect, "/", $name, ".sql"))
    };
}

/// The body that reads the versions in `chosen` whole (with their emails).
pub const VERSION_WHOLE: &str = file!("shared", "version_whole");

pub const GET_MODEL: Sql = Sql {
    name: "get_model",
    postgres: concat!(
        file!("shared", "model_by_id"),
        file!("postgres", "model_whole")
    ),
    sqlite: concat!(
        file!("shared", "model_by_id"),
        file!("sqlite", "model_whole")
    ),
};

pub const FIND_MODEL_BY_NAME: Sql = Sql {
    name: "find_model_by_name",
    postgres: concat!(
        file!("shared", "model_by_name"),
        file!("postgres", "model_whole")
    ),
    sqlite: concat!(
        file!("shared", "model_by_name"),
        file!("sqlite", "model_whole")
    ),
};

pub const MODELS_BY_IDS: Sql = Sql {
    name: "list_models_details",
    postgres: concat!(
        file!("postgres", "models_by_ids"),
        file!("postgres", "model_whole")
    ),
    sqlite: concat!(
        file!("sqlite", "models_by_ids"),
        file!("sqlite", "model_whole")
    ),
};

pub const MODEL_EXISTS: Sql = Sql {
    name: "model_exists",
    postgres: file!("shared", "model_exists"),
    sqlite: file!("shared", "model_exists"),
};

pub const LOCK_MODEL: Sql = Sql {
    name: "lock_model",
    postgres: file!("postgres", "lock_model"),
    sqlite: file!("sqlite", "lock_model"),
};

pub const INSERT_MODEL: Sql = Sql {
    name: "insert_model",
    postgres: file!("shared", "insert_model"),
    sqlite: file!("shared", "insert_model"),
};

pub const REGION_NAME: Sql = Sql {
    name: "region_name",
    postgres: file!("shared", "region_name"),
    sqlite: file!("shared", "region_name"),
};

pub const UPDATE_MODEL: Sql = Sql {
    name: "update_model",
    postgres: file!("shared", "update_model"),
    sqlite: file!("shared", "update_model"),
};

pub const DELETE_MODEL_VERSIONS: Sql = Sql {
    name: "delete_model_versions",
    postgres: file!("shared", "delete_model_versions"),
    sqlite: file!("shared", "delete_model_versions"),
};

pub const ORPHAN_CHILD_MODELS: Sql = Sql {
    name: "orphan_child_models",
    postgres: file!("shared", "orphan_child_models"),
    sqlite: file!("shared", "orphan_child_models"),
};

pub const DELETE_MODEL: Sql = Sql {
    name: "delete_model",
    postgres: file!("shared", "delete_model"),
    sqlite: file!("shared", "delete_model"),
};

pub const GET_VERSION: Sql = Sql {
    name: "get_version",
    postgres: concat!(
        file!("shared", "version_by_id"),
        file!("shared", "version_whole")
    ),
    sqlite: concat!(
        file!("shared", "version_by_id"),
        file!("shared", "version_whole")
    ),
};

pub const GET_VERSION_OF_MODEL: Sql = Sql {
    name: "get_version_of_model",
    postgres: concat!(
        file!("shared", "version_of_model_by_id"),
        file!("shared", "version_whole")
    ),
    sqlite: concat!(
        file!("shared", "version_of_model_by_id"),
        file!("shared", "version_whole")
    ),
};

pub const VERSIONS_BY_IDS: Sql = Sql {
    name: "list_versions_details",
    postgres: concat!(
        file!("postgres", "versions_by_ids"),
        file!("shared", "version_whole")
    ),
    sqlite: concat!(
        file!("sqlite", "versions_by_ids"),
        file!("shared", "version_whole")
    ),
};

pub const INSERT_VERSION: Sql = Sql {
    name: "insert_version",
    postgres: file!("shared", "insert_version"),
    sqlite: file!("shared", "insert_version"),
};

/// PostgreSQL clears the previous default inside the insert; SQLite runs
/// `CLEAR_DEFAULT` first.
pub const INSERT_DEFAULT_VERSION: Sql = Sql {
    name: "insert_default_version",
    postgres: concat!(
        file!("postgres", "insert_default_version"),
        file!("shared", "insert_version")
    ),
    sqlite: "",
};

pub const CLEAR_DEFAULT: Sql = Sql {
    name: "clear_default",
    postgres: "",
    sqlite: file!("sqlite", "clear_default"),
};

/// On PostgreSQL the change and the version read back, one statement; on
/// SQLite the change alone (`CLEAR_DEFAULT` before it, `GET_VERSION` after).
pub const UPDATE_VERSION: Sql = Sql {
    name: "update_version",
    postgres: concat!(
        file!("postgres", "update_version"),
        file!("shared", "update_version_columns"),
        "RETURNING *, 1 AS n\n)\n",
        file!("shared", "version_whole")
    ),
    sqlite: file!("shared", "update_version_columns"),
};

pub const LOCK_MODEL_OF_VERSION: Sql = Sql {
    name: "lock_model_of_version",
    postgres: file!("postgres", "lock_model_of_version"),
    sqlite: file!("sqlite", "lock_model_of_version"),
};

pub const COUNT_READY_VERSIONS: Sql = Sql {
    name: "count_ready_versions",
    postgres: file!("shared", "count_ready_versions"),
    sqlite: file!("shared", "count_ready_versions"),
};

pub const DELETE_VERSION: Sql = Sql {
    name: "delete_version",
    postgres: file!("shared", "delete_version"),
    sqlite: file!("shared", "delete_version"),
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
    &LOCK_MODEL_OF_VERSION,
    &COUNT_READY_VERSIONS,
    &DELETE_VERSION,
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

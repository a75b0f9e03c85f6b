//! Every SQL statement the service sends is built here, with sea-query, from
//! the generated entities, and every row read is turned into the domain's
//! records here. Nothing here knows HTTP; the rules of when to call what
//! live in `registry/`.
//!
//! The store owns the connection pool. `store.models()` and
//! `store.versions()` run on the pool; a [`Transaction`] has the same two
//! tables, on its one connection, for the writes that take more than one
//! statement.

mod errors;
mod hints;
mod models;
mod records;
mod sql;
mod versions;

pub use errors::is_unavailable;
pub use models::ModelTable;
pub use sql::{NO_LABELS, NO_TAGS};
pub use versions::VersionTable;

use std::sync::Arc;

use chrono::{DateTime, SubsecRound, Utc};
use entity::{organization_region as region, tenant_user as user};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, EntityName,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use uuid::Uuid;

use crate::domain::{Error, Page};
use hints::PageHints;
use sql::{ID_SLOT, Lookups, PROJECT_SLOT, Reads, Sql};

/// The service's handle on the database: the pool, and what it knows of
/// the database to write its statements.
#[derive(Clone)]
pub struct Store {
    db: DatabaseConnection,
    sql: Arc<Sql>,
}

/// A write that takes more than one statement: the same tables as the
/// store's, on one connection, all or nothing. Dropped without
/// [`Transaction::commit`], it rolls back.
pub struct Transaction<'s> {
    txn: DatabaseTransaction,
    sql: &'s Sql,
}

impl Transaction<'_> {
    pub fn models(&self) -> ModelTable<'_, DatabaseTransaction> {
        ModelTable::new(&self.txn, self.sql)
    }

    pub fn versions(&self) -> VersionTable<'_, DatabaseTransaction> {
        VersionTable::new(&self.txn, self.sql)
    }

    pub async fn commit(self) -> Result<(), Error> {
        Ok(self.txn.commit().await?)
    }
}

impl Store {
    pub async fn open(db: DatabaseConnection) -> Result<Self, DbErr> {
        let lookups = Lookups {
            users: table_exists(&db, user::Entity.table_name()).await?,
            regions: table_exists(&db, region::Entity.table_name()).await?,
        };
        Ok(Store::with(db.get_database_backend(), db, lookups))
    }

    /// A store with no database behind it, for describing the API without
    /// serving it (the OpenAPI document, the statements for benchmarks).
    /// Every query fails.
    pub fn unconnected() -> Self {
        let lookups = Lookups {
            users: true,
            regions: true,
        };
        Store::with(DbBackend::Postgres, DatabaseConnection::default(), lookups)
    }

    fn with(backend: DbBackend, db: DatabaseConnection, lookups: Lookups) -> Self {
        let sql = Sql {
            backend,
            lookups,
            reads: Reads::default(),
            page_hints: PageHints::default(),
        };
        Store {
            db,
            sql: Arc::new(sql),
        }
    }

    pub fn models(&self) -> ModelTable<'_, DatabaseConnection> {
        ModelTable::new(&self.db, &self.sql)
    }

    pub fn versions(&self) -> VersionTable<'_, DatabaseConnection> {
        VersionTable::new(&self.db, &self.sql)
    }

    /// Starts a transaction that writes. On SQLite it takes the write lock
    /// at once (`BEGIN IMMEDIATE`), so that two writers queue on the busy
    /// timeout instead of one failing when it upgrades a read lock.
    pub async fn begin_write(&self) -> Result<Transaction<'_>, Error> {
        let sqlite_transaction_mode =
            (self.sql.backend == DbBackend::Sqlite).then_some(SqliteTransactionMode::Immediate);
        let txn = self
            .db
            .begin_with_options(TransactionOptions {
                isolation_level: None,
                access_mode: None,
                sqlite_transaction_mode,
            })
            .await?;
        Ok(Transaction {
            txn,
            sql: &self.sql,
        })
    }

    /// Answers whether the database answers.
    pub async fn ping(&self) -> Result<(), Error> {
        Ok(self.db.ping().await?)
    }
}

/// The current time as the database keeps it (microseconds), so that what a
/// write returns equals what a later read returns.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

async fn table_exists(db: &DatabaseConnection, table: &str) -> Result<bool, DbErr> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Sqlite => "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
        _ => {
            "SELECT 1 FROM information_schema.tables WHERE table_name = $1 AND table_schema = ANY (current_schemas(false))"
        }
    };
    let found = db
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            sql,
            [table.into()],
        ))
        .await?;
    Ok(found.is_some())
}

/// The hot read statements, in PostgreSQL's dialect, with `:project` and
/// `:id` (a model's or a version's; `:id0` to `:id19` for a page's models)
/// where the values go: what `EXPLAIN` and pgbench are run on
/// (`model-registry sql`, `scripts/bench.sh`).
pub fn hot_statements() -> Vec<(&'static str, String)> {
    use sea_orm::sea_query::PostgresQueryBuilder;

    use crate::domain::{
        Cursor, LabelFilter, ModelFilter, ModelQuery, ModelSortBy, SortKey, SortOrder, State,
        TagFilter, Text, VersionFilter, VersionLookup, VersionQuery,
    };

    const PAGE_ID_BASE: u128 = 0xface_0000;
    const HINT_ID_SLOT: Uuid = Uuid::from_u128(0x41e7_0000);
    let (project, id) = (PROJECT_SLOT, ID_SLOT);
    let Store { sql, .. } = Store::unconnected();
    let (backend, lookups) = (sql.backend, sql.lookups);
    let first_page = Page {
        limit: 20,
        offset: 0,
        after: None,
    };
    let by_vision = || {
        vec![LabelFilter {
            key: "team".into(),
            value: "vision".into(),
        }]
    };
    let models = |filter: ModelFilter, sort_by| {
        let query = ModelQuery::new(filter, Some(sort_by), Some(SortOrder::Desc));
        models::model_page_ids(backend, project, &query, &first_page)
    };
    let versions = |filter: VersionFilter, hint: Option<&Cursor>| {
        let query = VersionQuery::new(filter, None, None);
        versions::version_page(lookups, project, &query, &first_page, hint)
    };
    // Where the first page ended last time: `:hint_at`, `:hint_id`.
    let hint_at = DateTime::<Utc>::UNIX_EPOCH;
    let hint = Cursor {
        key: SortKey::Time(hint_at),
        id: HINT_ID_SLOT,
    };
    // A page's second statement: the details of 20 models, `:id0` to `:id19`.
    let page_ids: Vec<Uuid> = (0..20u128)
        .map(|i| Uuid::from_u128(PAGE_ID_BASE + i))
        .collect();
    let statements = [
        (
            "get_model",
            models::model_by_id(backend, lookups, project, id),
        ),
        (
            "list_models",
            models(ModelFilter::default(), ModelSortBy::CreatedAt),
        ),
        (
            "list_models_offset_100",
            models::model_page_ids(
                backend,
                project,
                &ModelQuery::new(ModelFilter::default(), None, None),
                &Page {
                    limit: 20,
                    offset: 100,
                    after: None,
                },
            ),
        ),
        (
            "list_models_details",
            models::models_by_ids(
                backend,
                lookups,
                &page_ids,
                ModelSortBy::CreatedAt,
                SortOrder::Desc,
            ),
        ),
        (
            "list_models_by_updated_at",
            models(ModelFilter::default(), ModelSortBy::UpdatedAt),
        ),
        (
            "list_models_by_name",
            models(ModelFilter::default(), ModelSortBy::Name),
        ),
        (
            "list_models_by_size",
            models(ModelFilter::default(), ModelSortBy::ModelSize),
        ),
        (
            "list_models_live",
            models(
                ModelFilter {
                    state: Some(State::Live),
                    ..ModelFilter::default()
                },
                ModelSortBy::CreatedAt,
            ),
        ),
        (
            "list_models_by_label",
            models(
                ModelFilter {
                    labels: by_vision(),
                    ..ModelFilter::default()
                },
                ModelSortBy::CreatedAt,
            ),
        ),
        (
            "list_models_by_tag",
            models(
                ModelFilter {
                    tags: vec![TagFilter {
                        array: "frameworks",
                        value: "jax".into(),
                    }],
                    ..ModelFilter::default()
                },
                ModelSortBy::CreatedAt,
            ),
        ),
        (
            "list_project_versions_by_label",
            versions(
                VersionFilter {
                    labels: by_vision(),
                    ..VersionFilter::default()
                },
                None,
            ),
        ),
        (
            "get_version",
            versions::version_by_id(lookups, project, id, None),
        ),
        (
            "find_version_by_name",
            versions::version_by(
                lookups,
                project,
                &VersionLookup {
                    name: Text::parse("v2".into()).ok(),
                    model_id: None,
                    id: None,
                },
            ),
        ),
        (
            "list_versions_of_model",
            versions(
                VersionFilter {
                    registered_model_id: Some(id),
                    ..VersionFilter::default()
                },
                None,
            ),
        ),
        (
            "list_project_versions",
            versions(VersionFilter::default(), None),
        ),
        (
            "list_project_versions_hinted",
            versions(VersionFilter::default(), Some(&hint)),
        ),
        (
            "count_project_versions",
            versions::count_versions(backend, project, &VersionFilter::default()),
        ),
    ];
    statements
        .into_iter()
        .map(|(name, statement)| {
            let mut sql = statement
                .to_string(PostgresQueryBuilder)
                .replace(&format!("'{PROJECT_SLOT}'"), ":project")
                .replace(&format!("'{ID_SLOT}'"), ":id")
                .replace(&format!("'{HINT_ID_SLOT}'"), ":hint_id")
                // How sea-query writes `hint_at` into SQL.
                .replace("'1970-01-01 00:00:00.000000 +00:00'", ":hint_at");
            for (i, page_id) in page_ids.iter().enumerate() {
                sql = sql.replace(&format!("'{page_id}'"), &format!(":id{i}"));
            }
            (name, sql)
        })
        .collect()
}

//! Every SQL statement the service sends is here: literal SQL for what is
//! found by key (`statements.rs`, `sql/`), sea-query for what a request's
//! filters assemble (`filters.rs`); and every row read is turned into the
//! domain's records here. Nothing here knows HTTP; the rules of when to
//! call what live in `registry/`.
//!
//! The store owns the connection pool. `store.models()` and
//! `store.versions()` run on the pool; a [`Transaction`] has the same two
//! tables, on its one connection, for the writes that take more than one
//! statement.

mod aliases;
mod connection;
mod errors;
mod events;
mod filters;
mod hints;
mod models;
mod records;
mod remembered;
pub mod statements;
mod versions;
mod webhooks;

pub use aliases::AliasTable;
pub use connection::{WriteConnection, Writes};
pub use errors::is_unavailable;
pub use events::EventTable;
pub use filters::{NO_LABELS, NO_TAGS};
pub use models::ModelTable;
pub use versions::VersionTable;
pub use webhooks::WebhookTable;

use std::sync::Arc;

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, TransactionTrait};
use uuid::Uuid;

use crate::domain::{Error, Model, NewEvent, Resource, Version, VersionChanges};
use connection::{CountStatement, GroupCommit, SqliteWrite};
use hints::PageHints;
use remembered::Remembered;

/// At most this many regions' names are remembered (region ids come from
/// callers).
const MAX_REGIONS: usize = 1024;

/// The service's handle on the database: the pool, its dialect, where the
/// version pages ended last time, and the regions' names.
#[derive(Clone)]
pub struct Store {
    db: DatabaseConnection,
    backend: DbBackend,
    page_hints: Arc<PageHints>,
    region_names: Arc<Remembered<Uuid, String, MAX_REGIONS>>,
    /// Counts the statements SQLite's write transactions send.
    count_statement: Option<CountStatement>,
    /// SQLite's writes of one statement.
    group_commit: Option<GroupCommit>,
}

/// A write that takes more than one statement: the same tables as the
/// store's, on one connection, all or nothing. Dropped without
/// [`Transaction::commit`], it rolls back.
pub struct Transaction<'s> {
    txn: WriteConnection,
    store: &'s Store,
}

impl Transaction<'_> {
    pub fn models(&self) -> ModelTable<'_, WriteConnection> {
        ModelTable::new(&self.txn, self.store.backend)
    }

    pub fn versions(&self) -> VersionTable<'_, WriteConnection> {
        VersionTable::new(&self.txn, self.store.backend, &self.store.page_hints)
    }

    pub fn aliases(&self) -> AliasTable<'_, WriteConnection> {
        AliasTable::new(&self.txn, self.store.backend)
    }

    pub fn webhooks(&self) -> WebhookTable<'_, WriteConnection> {
        WebhookTable::new(&self.txn, self.store.backend)
    }

    pub fn events(&self) -> EventTable<'_, WriteConnection> {
        EventTable::new(&self.txn, self.store.backend)
    }

    pub async fn commit(self) -> Result<(), Error> {
        match self.txn {
            WriteConnection::Pooled(txn) => txn.commit().await?,
            WriteConnection::Sqlite(write) => write.commit().await?,
        }
        Ok(())
    }
}

impl Store {
    pub fn new(db: DatabaseConnection) -> Self {
        let backend = db.get_database_backend();
        Store::with(backend, db)
    }

    /// A store with no database behind it, for describing the API without
    /// serving it (the OpenAPI document). Every query fails.
    pub fn unconnected() -> Self {
        Store::with(DbBackend::Postgres, DatabaseConnection::default())
    }

    fn with(backend: DbBackend, db: DatabaseConnection) -> Self {
        let store = Store {
            db,
            backend,
            page_hints: Arc::default(),
            region_names: Arc::default(),
            count_statement: None,
            group_commit: None,
        };
        store.with_group_commit()
    }

    /// The store, counting with `count` the statements sent other than
    /// through the pool's connection (which counts its own).
    pub fn counting_statements(self, count: CountStatement) -> Self {
        Store {
            count_statement: Some(count),
            ..self
        }
        .with_group_commit()
    }

    fn with_group_commit(self) -> Self {
        let group_commit = (self.backend == DbBackend::Sqlite).then(|| {
            let pool = self.db.get_sqlite_connection_pool().clone();
            GroupCommit::new(pool, self.count_statement.clone())
        });
        Store {
            group_commit,
            ..self
        }
    }

    pub fn models(&self) -> ModelTable<'_, DatabaseConnection> {
        ModelTable::new(&self.db, self.backend)
    }

    pub fn aliases(&self) -> AliasTable<'_, DatabaseConnection> {
        AliasTable::new(&self.db, self.backend)
    }

    pub fn webhooks(&self) -> WebhookTable<'_, DatabaseConnection> {
        WebhookTable::new(&self.db, self.backend)
    }

    pub fn versions(&self) -> VersionTable<'_, DatabaseConnection> {
        VersionTable::new(&self.db, self.backend, &self.page_hints)
    }

    pub fn events(&self) -> EventTable<'_, DatabaseConnection> {
        EventTable::new(&self.db, self.backend)
    }

    /// The name of a region as last read (`""` when unknown); read now if
    /// never read. A create checks it is still the name (`insert_model.sql`),
    /// so a remembered name is never answered stale.
    pub async fn region_name(&self, region_id: Uuid) -> Result<String, Error> {
        match self.region_names.get(&region_id) {
            Some(name) => Ok(name),
            None => self.reread_region_name(region_id).await,
        }
    }

    /// The name of a region as CMP's table has it now, remembered.
    pub async fn reread_region_name(&self, region_id: Uuid) -> Result<String, Error> {
        let name = self.models().region_name(region_id).await?;
        self.region_names.put(region_id, name.clone());
        Ok(name)
    }

    /// Inserts a model with its events (see `ModelTable::insert`): one
    /// statement on PostgreSQL, with no transaction around it; on SQLite,
    /// which appends the events in a second statement, in a group commit.
    pub async fn insert_model(&self, model: &Model, events: &[NewEvent]) -> Result<bool, Error> {
        match &self.group_commit {
            None => self.models().insert(model, events).await,
            Some(group) => {
                ModelTable::new(group, self.backend)
                    .insert(model, events)
                    .await
            }
        }
    }

    /// Inserts a version that is not to be the default (see
    /// `VersionTable::insert`): one statement on PostgreSQL, which locks
    /// its model too; on SQLite, in a group commit.
    pub async fn insert_version(
        &self,
        project_id: Uuid,
        version: &Version,
        secrets: (String, String),
        resource: Resource,
        events: &[NewEvent],
    ) -> Result<bool, Error> {
        let (access_key, secret_key) = secrets;
        match &self.group_commit {
            None => {
                self.versions()
                    .insert(
                        project_id, version, access_key, secret_key, resource, events,
                    )
                    .await
            }
            Some(group) => {
                VersionTable::new(group, self.backend, &self.page_hints)
                    .insert(
                        project_id, version, access_key, secret_key, resource, events,
                    )
                    .await
            }
        }
    }

    /// Whether writes of one statement are committed in groups (SQLite).
    pub fn commits_in_groups(&self) -> bool {
        self.group_commit.is_some()
    }

    /// In a group commit (SQLite), applies changes that make no new default
    /// to a version still as `seen`; whether it did.
    pub async fn update_version_unchanged_since(
        &self,
        seen: &Version,
        changes: VersionChanges,
        now: DateTime<Utc>,
        resource: Resource,
        events: &[NewEvent],
    ) -> Result<bool, Error> {
        let Some(group) = &self.group_commit else {
            return Err(DbErr::Custom("only SQLite commits writes in groups".into()).into());
        };
        let (model_id, id) = (seen.registered_model_id, seen.id);
        VersionTable::new(group, self.backend, &self.page_hints)
            .update(model_id, id, changes, now, resource, events, Some(seen))
            .await
    }

    /// Retention, one pass: of the oldest `batch` events, removes those
    /// that occurred before `cut`, in a transaction of its own; how many
    /// went.
    pub async fn remove_expired_events(
        &self,
        cut: DateTime<Utc>,
        batch: u64,
    ) -> Result<u64, Error> {
        use statements::{MARK_EXPIRED_EVENTS, REMOVE_EXPIRED_EVENTS};
        let values = || -> [sea_orm::Value; 2] {
            let batch = i64::try_from(batch).unwrap_or(i64::MAX);
            [cut.fixed_offset().into(), batch.into()]
        };
        if self.backend == DbBackend::Postgres {
            let statement = REMOVE_EXPIRED_EVENTS.bind(self.backend, values());
            let row = self.db.query_one_raw(statement).await?;
            let removed: i64 = match row {
                Some(row) => row.try_get("", "removed")?,
                None => 0,
            };
            return Ok(u64::try_from(removed).unwrap_or(0));
        }
        let tx = self.begin_write().await?;
        tx.txn
            .execute_raw(MARK_EXPIRED_EVENTS.bind(self.backend, values()))
            .await?;
        let removed = tx
            .txn
            .execute_raw(REMOVE_EXPIRED_EVENTS.bind(self.backend, values()))
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(removed)
    }

    /// Starts a transaction that writes. On SQLite it takes the write lock
    /// at once (`BEGIN IMMEDIATE`), so that two writers queue on the busy
    /// timeout instead of one failing when it upgrades a read lock.
    pub async fn begin_write(&self) -> Result<Transaction<'_>, Error> {
        if self.backend == DbBackend::Sqlite {
            let pool = self.db.get_sqlite_connection_pool();
            let write = SqliteWrite::begin(pool, self.count_statement.clone()).await?;
            return Ok(Transaction {
                txn: WriteConnection::Sqlite(write),
                store: self,
            });
        }
        let txn = self.db.begin().await?;
        Ok(Transaction {
            txn: WriteConnection::Pooled(txn),
            store: self,
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

/// What `model-registry sql` prints: every literal statement, then those
/// the filters build for a list without filters, in PostgreSQL's dialect on
/// one line with named parameters (`:id`), for `EXPLAIN` and pgbench.
pub fn printed_statements() -> Vec<(String, String)> {
    use crate::domain::{
        Cursor, ModelFilter, ModelQuery, PageBounds, SortValue, VersionFilter, VersionQuery,
    };
    use sea_orm::sea_query::{PostgresQueryBuilder, QueryBuilder};

    let named = |sql: &str, names: &[String]| {
        let mut sql = sql.to_owned();
        for (i, name) in names.iter().enumerate().rev() {
            sql = sql.replace(&format!("${}", i + 1), &format!(":{name}"));
        }
        one_line(&sql)
    };
    let mut printed: Vec<(String, String)> = statements::ALL
        .iter()
        .filter(|sql| !sql.postgres.is_empty())
        .map(|sql| {
            let names = statements::parameter_names(sql.postgres);
            (sql.name.to_owned(), named(sql.postgres, &names))
        })
        .collect();
    // Built statements: their values named where they are a request's.
    let project = Uuid::from_u128(0x5107);
    let hint_id = Uuid::from_u128(0x41e7);
    let hint_at = DateTime::<Utc>::UNIX_EPOCH;
    let built = |name: &str, (sql, values): (String, sea_orm::sea_query::Values)| {
        let names: Vec<String> = values
            .iter()
            .map(|value| match value {
                sea_orm::Value::Uuid(Some(id)) if *id == project => "project_id".into(),
                sea_orm::Value::Uuid(Some(id)) if *id == hint_id => "hint_id".into(),
                sea_orm::Value::ChronoDateTimeWithTimeZone(Some(at)) if at.to_utc() == hint_at => {
                    "hint_at".into()
                }
                other => PostgresQueryBuilder.value_to_string(other),
            })
            .collect();
        let mut sql = sql;
        for (i, name) in names.iter().enumerate().rev() {
            let value = if name.starts_with(|c: char| c.is_ascii_lowercase()) {
                format!(":{name}")
            } else {
                name.clone()
            };
            sql = sql.replace(&format!("${}", i + 1), &value);
        }
        (name.to_owned(), one_line(&sql))
    };
    let first_page = PageBounds {
        limit: 20,
        offset: 0,
        after: None,
    };
    let deep_page = PageBounds {
        offset: 100,
        ..first_page.clone()
    };
    let models = ModelQuery::new(ModelFilter::default(), None, None);
    let versions = VersionQuery::new(VersionFilter::default(), None, None);
    let hint = Cursor {
        key: SortValue::Time(hint_at),
        id: hint_id,
    };
    let backend = DbBackend::Postgres;
    let page_ids = |page| models::model_page_ids(backend, project, &models, page);
    printed.extend([
        built(
            "list_models",
            page_ids(&first_page).build(PostgresQueryBuilder),
        ),
        built(
            "list_models_offset_100",
            page_ids(&deep_page).build(PostgresQueryBuilder),
        ),
        built(
            "count_project_versions",
            versions::count_versions(backend, project, &versions.filter)
                .build(PostgresQueryBuilder),
        ),
        built(
            "list_project_versions",
            versions::version_page_sql(project, &versions, &first_page, None),
        ),
        built(
            "list_project_versions_hinted",
            versions::version_page_sql(project, &versions, &first_page, Some(&hint)),
        ),
    ]);
    printed
}

/// A statement on one line, its comments dropped.
fn one_line(sql: &str) -> String {
    sql.lines()
        .map(|line| line.split("--").next().unwrap_or_default().trim())
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

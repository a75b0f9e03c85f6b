//! Every SQL statement the service sends is built here, with sea-query, from
//! the generated entities. Nothing here knows HTTP; the rules of when to
//! call what live in `registry/`.
//!
//! Query functions take the connection to run on (`&impl ConnectionTrait`),
//! so that the same query serves inside and outside a transaction.

mod models;
mod versions;

pub use models::{ModelChanges, ModelFilter, ModelRecord, ModelRow, NewModel};
pub use versions::{NewVersion, VersionChanges, VersionFilter, VersionRecord};

use std::sync::{Arc, OnceLock};

use chrono::{DateTime, SubsecRound, Utc};
use entity::{
    model_registry_model_version as version, organization_region as region, tenant_user as user,
};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, EntityTrait,
    ModelTrait, QueryResult, Statement, StatementBuilder, TransactionOptions, TransactionTrait,
    Value,
    sea_query::{
        Alias, CommonTableExpression, Expr, ExprTrait, Func, InsertStatement, IntoIden, JoinType,
        Query, SelectStatement, SubQueryStatement, WithClause,
    },
};
use sea_orm::{EntityName, IdenStatic, Iterable, SqliteTransactionMode};
use uuid::Uuid;

/// The service's handle on the database.
#[derive(Clone)]
pub struct Store {
    db: DatabaseConnection,
    /// Known without a connection, so that statements can be rendered for a
    /// store that has none (`Store::unconnected`).
    backend: DbBackend,
    lookups: Lookups,
    reads: Arc<OnceLock<Reads>>,
}

/// The reads by id, rendered on first use: their SQL never changes.
struct Reads {
    model_by_id: Rendered,
    version_by_id: Rendered,
    version_by_id_of_model: Rendered,
}

/// Stand-ins for the values a statement is built with, where a request's
/// values go: `Rendered::bind` puts them in their places, `hot_statements`
/// names them.
const PROJECT_SLOT: Uuid = Uuid::from_u128(0x5107_0000_0000_4000_8000_0000_0000_0001);
const ID_SLOT: Uuid = Uuid::from_u128(0x5107_0000_0000_4000_8000_0000_0000_0002);
const MODEL_SLOT: Uuid = Uuid::from_u128(0x5107_0000_0000_4000_8000_0000_0000_0003);

/// A statement rendered to SQL once, run with each request's values, so
/// that a request does not build the same SQL again (for a GET of a model,
/// building its 4 KB statement took about a tenth of the service's CPU).
struct Rendered {
    backend: DbBackend,
    sql: String,
    values: Vec<Value>,
}

impl Rendered {
    fn new(backend: DbBackend, statement: &impl StatementBuilder) -> Self {
        let Statement { sql, values, .. } = statement.build(&backend);
        Rendered {
            backend,
            sql,
            values: values.map(|values| values.0).unwrap_or_default(),
        }
    }

    /// The statement with the slots filled in.
    fn bind(&self, project_id: Uuid, id: Uuid, model_id: Option<Uuid>) -> Statement {
        let values = self.values.iter().map(|value| match value {
            Value::Uuid(Some(slot)) if *slot == PROJECT_SLOT => project_id.into(),
            Value::Uuid(Some(slot)) if *slot == ID_SLOT => id.into(),
            Value::Uuid(Some(slot)) if *slot == MODEL_SLOT => model_id.into(),
            other => other.clone(),
        });
        Statement::from_sql_and_values(self.backend, self.sql.as_str(), values)
    }
}

/// Which of CMP's lookup tables (for emails and region names) exist. They
/// always do in CMP's database and in `scripts/schema.sql`; a database
/// without them still serves, with `""` for those fields.
#[derive(Debug, Clone, Copy)]
pub struct Lookups {
    pub users: bool,
    pub regions: bool,
}

/// One page of a list: `limit` items from `offset`, or (keyset paging)
/// the `limit` items that follow `after` in the list's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub limit: u64,
    pub offset: u64,
    pub after: Option<Cursor>,
}

impl Page {
    /// Whether the page starts at the list's first match.
    fn is_first(&self) -> bool {
        self.offset == 0 && self.after.is_none()
    }
}

/// An item's place in a sorted list: its sort key's value, then its id,
/// which breaks ties.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Cursor {
    pub key: SortKey,
    pub id: Uuid,
}

/// The value of the column a list is sorted by.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum SortKey {
    Time(DateTime<Utc>),
    Text(String),
    Number(i64),
}

impl SortKey {
    fn value(&self) -> Value {
        match self {
            // Bound as the columns were written (with their offset), so that
            // SQLite compares the same text it stored.
            SortKey::Time(time) => time.fixed_offset().into(),
            SortKey::Text(text) => text.clone().into(),
            SortKey::Number(n) => (*n).into(),
        }
    }
}

/// `(sort column, id)` strictly after `cursor` in the list's order: the
/// keyset condition, which the `(project, sort column, id)` indexes serve.
fn after_cursor(
    table: impl IntoIden + Clone,
    column: impl IntoIden,
    order: &sea_orm::sea_query::Order,
    cursor: &Cursor,
) -> Expr {
    let columns = Expr::tuple([
        Expr::col((table.clone(), column)),
        Expr::col((table, Alias::new("id"))),
    ]);
    let values = Expr::tuple([Expr::val(cursor.key.value()), Expr::val(cursor.id)]);
    match order {
        sea_orm::sea_query::Order::Asc => columns.gt(values),
        _ => columns.lt(values),
    }
}

/// A page of records, the number of all matches, and whether more follow.
pub struct Listed<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub more: bool,
}

impl Store {
    pub async fn open(db: DatabaseConnection) -> Result<Self, DbErr> {
        let lookups = Lookups {
            users: table_exists(&db, user::Entity.table_name()).await?,
            regions: table_exists(&db, region::Entity.table_name()).await?,
        };
        Ok(Store {
            backend: db.get_database_backend(),
            db,
            lookups,
            reads: Arc::default(),
        })
    }

    /// A store with no database behind it, for describing the API without
    /// serving it (the OpenAPI document, the statements for benchmarks).
    /// Every query fails.
    pub fn unconnected() -> Self {
        let lookups = Lookups {
            users: true,
            regions: true,
        };
        Store {
            db: DatabaseConnection::default(),
            backend: DbBackend::Postgres,
            lookups,
            reads: Arc::default(),
        }
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// The reads by id, built by the same functions `hot_statements` shows.
    fn reads(&self) -> &Reads {
        self.reads.get_or_init(|| {
            let backend = self.backend;
            Reads {
                model_by_id: Rendered::new(backend, &self.model_by_id(PROJECT_SLOT, ID_SLOT)),
                version_by_id: Rendered::new(
                    backend,
                    &self.version_by_id(PROJECT_SLOT, ID_SLOT, None),
                ),
                version_by_id_of_model: Rendered::new(
                    backend,
                    &self.version_by_id(PROJECT_SLOT, ID_SLOT, Some(MODEL_SLOT)),
                ),
            }
        })
    }

    /// Starts a transaction that writes. On SQLite it takes the write lock
    /// at once (`BEGIN IMMEDIATE`), so that two writers queue on the busy
    /// timeout instead of one failing when it upgrades a read lock.
    pub async fn begin_write(&self) -> Result<DatabaseTransaction, DbErr> {
        let sqlite_transaction_mode =
            (self.backend == DbBackend::Sqlite).then_some(SqliteTransactionMode::Immediate);
        self.db
            .begin_with_options(TransactionOptions {
                isolation_level: None,
                access_mode: None,
                sqlite_transaction_mode,
            })
            .await
    }

    /// Answers whether the database answers.
    pub async fn ping(&self) -> Result<(), DbErr> {
        self.db.ping().await
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

/// Selects every column of the version table under alias `table` as
/// `{prefix}{column}`, and its two emails as `{prefix}created_by_email` and
/// `{prefix}updated_by_email`. The secrets are never read: they are selected
/// as `''`, so they cannot leak from memory.
fn select_version(query: &mut SelectStatement, table: &str, prefix: &str, lookups: Lookups) {
    let t = Alias::new(table);
    for column in version::Column::iter() {
        let alias = Alias::new(format!("{prefix}{}", column.as_str()));
        match column {
            version::Column::AccessKey | version::Column::SecretKey => {
                query.expr_as(Expr::val(""), alias)
            }
            _ => query.expr_as(Expr::col((t.clone(), column)), alias),
        };
    }
    for (who, column) in [
        ("created_by", version::Column::CreatedById),
        ("updated_by", version::Column::UpdatedById),
    ] {
        let email_alias = Alias::new(format!("{prefix}{who}_email"));
        if lookups.users {
            let u = Alias::new(format!("{prefix}{who}"));
            query.join_as(
                JoinType::LeftJoin,
                user::Entity,
                u.clone(),
                Expr::col((u.clone(), user::Column::Id)).equals((t.clone(), column)),
            );
            query.expr_as(coalesce_empty((u, user::Column::Email)), email_alias);
        } else {
            query.expr_as(Expr::val(""), email_alias);
        }
    }
}

/// `INSERT INTO table (every column) SELECT the row's values [WHERE
/// condition]`: an insert that a condition checked in the same statement
/// can refuse (the result then says no row was inserted).
fn insert_row<M: ModelTrait>(row: &M, condition: Option<Expr>) -> Result<InsertStatement, DbErr> {
    let columns = <<M::Entity as EntityTrait>::Column as Iterable>::iter;
    let mut values = Query::select();
    for column in columns() {
        values.expr(Expr::val(row.get(column)));
    }
    if let Some(condition) = condition {
        values.and_where(condition);
    }
    let mut insert = Query::insert();
    insert
        .into_table(M::Entity::default())
        .columns(columns())
        .select_from(values)
        .map_err(|err| DbErr::Custom(format!("building an insert: {err}")))?;
    Ok(insert)
}

/// Whether the database runs writes inside `WITH` (PostgreSQL does, SQLite
/// does not): there, two writes of one request go in one round trip.
fn writes_in_with(conn: &impl ConnectionTrait) -> bool {
    conn.get_database_backend() == DbBackend::Postgres
}

/// `WITH name AS (query)`.
fn with_clause(ctes: impl IntoIterator<Item = (&'static str, SubQueryStatement)>) -> WithClause {
    let mut with = WithClause::new();
    for (name, query) in ctes {
        with.cte(
            CommonTableExpression::new()
                .table_name(Alias::new(name))
                .query(query)
                .to_owned(),
        );
    }
    with
}

/// `table.project_id = project` for a row that its primary key finds:
/// written `(...) IS TRUE` so that it filters that row and PostgreSQL never
/// chooses an index by it. (Every `(project_id, ...)` index also ends with
/// `id`; on small tables such an index costs the same as the primary key,
/// and a plan that took it scans the whole project once the project has
/// grown.) Lists, which read a project's rows by those indexes, use
/// `project_id = project` itself.
fn of_project(table: Alias, project_id: Uuid) -> Expr {
    let project = entity::model_registry_registered_model::Column::ProjectId;
    Expr::tuple([Expr::col((table, project)).eq(project_id)]).is(Expr::Constant(true.into()))
}

/// `COALESCE(col, '')`: a lookup that found nothing reads as `""`.
fn coalesce_empty(col: (Alias, impl IntoIden)) -> Expr {
    Func::coalesce([Expr::col(col), Expr::val("")]).into()
}

/// `labels` without any label, and `tags` with four empty arrays (a new
/// model's), as PostgreSQL prints them: the partial GIN indexes leave such
/// rows out (`src/db/indexes.rs`), so that most writes skip them.
pub const NO_LABELS: &str = "'{}'::jsonb";
pub const NO_TAGS: &str =
    r#"'{"tasks": [], "subjects": [], "frameworks": [], "architectures": []}'::jsonb"#;

/// A list filter: the JSON object in `column` (`labels`) maps `key` to the
/// string `value`. Containment on PostgreSQL (which a GIN index can serve),
/// `json_each` on SQLite: both exact, both on strings only.
pub fn has_label(backend: DbBackend, column: Expr, key: &str, value: &str) -> Expr {
    let (key, value) = (Expr::val(key), Expr::val(value));
    match backend {
        DbBackend::Sqlite => Expr::cust_with_exprs(
            "EXISTS (SELECT 1 FROM json_each(?) WHERE key = ? AND value = ? AND type = 'text')",
            [column, key, value],
        ),
        // The second condition, implied by the first, is the predicate of
        // the partial GIN index (rows without labels are not in it), and
        // must be written as the index writes it for PostgreSQL to use it.
        _ => Expr::cust_with_exprs(
            format!("($1 @> jsonb_build_object($2::text, $3::text) AND $1 <> {NO_LABELS})"),
            [column, key, value],
        ),
    }
}

/// A list filter: the array `array` of the JSON object in `column` (`tags`)
/// holds the string `value`.
pub fn has_tag(backend: DbBackend, column: Expr, array: &str, value: &str) -> Expr {
    let value = Expr::val(value);
    match backend {
        DbBackend::Sqlite => Expr::cust_with_exprs(
            "EXISTS (SELECT 1 FROM json_each(?, ?) WHERE value = ? AND type = 'text')",
            [column, Expr::val(format!("$.{array}")), value],
        ),
        _ => Expr::cust_with_exprs(
            format!(
                "($1 @> jsonb_build_object($2::text, jsonb_build_array($3::text)) AND $1 <> {NO_TAGS})"
            ),
            [column, Expr::val(array), value],
        ),
    }
}

/// Escapes `%`, `_` and the escape character itself, so that a search
/// matches them literally.
pub fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// The ids of a list page, in order, the number of all matches, and
/// whether more follow.
struct PageIds {
    ids: Vec<Uuid>,
    total: u64,
    more: bool,
}

/// Runs the first statement of a list page, whose rows are the page's ids
/// (one more than the page holds, to tell whether more follow) each with
/// `total`, the number of all matches. A page with no row (past the end, or
/// of nothing) carries no total: then `count` says it, unless the page
/// starts at the first match, where it is 0.
async fn page_of_ids<S: StatementBuilder>(
    conn: &impl ConnectionTrait,
    ids: &impl StatementBuilder,
    count: impl FnOnce() -> S,
    page: &Page,
) -> Result<PageIds, DbErr> {
    let rows = conn.query_all(ids).await?;
    let Some(first) = rows.first() else {
        let total = if page.is_first() {
            0
        } else {
            count_rows(conn, &count()).await?
        };
        return Ok(PageIds {
            ids: Vec::new(),
            total,
            more: false,
        });
    };
    let total: i64 = get(first, "total")?;
    let mut ids = rows
        .iter()
        .map(|row| get(row, "id"))
        .collect::<Result<Vec<Uuid>, _>>()?;
    let limit = usize::try_from(page.limit).unwrap_or(usize::MAX);
    let more = ids.len() > limit;
    ids.truncate(limit);
    Ok(PageIds {
        ids,
        total: u64::try_from(total).unwrap_or(0),
        more,
    })
}

/// A page's ids for its second statement (`id IN (...)`), padded to a
/// power of two by repeating the last, so that pages of any size share a
/// few statements, each prepared (and cached) once per connection.
fn padded_ids(ids: &[Uuid]) -> Vec<Uuid> {
    let slots = ids.len().next_power_of_two();
    let padding = ids.last().into_iter().cycle().take(slots - ids.len());
    ids.iter().chain(padding).copied().collect()
}

/// `SELECT COUNT(*) ...`'s answer.
async fn count_rows(conn: &impl ConnectionTrait, q: &impl StatementBuilder) -> Result<u64, DbErr> {
    let row = conn
        .query_one(q)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("COUNT(*) returned no row".into()))?;
    let count: i64 = row.try_get_by_index(0)?;
    Ok(u64::try_from(count).unwrap_or(0))
}

fn decode_err(err: DbErr) -> DbErr {
    DbErr::Type(format!("decoding a row: {err}"))
}

fn get<T: sea_orm::TryGetable>(row: &QueryResult, column: &str) -> Result<T, DbErr> {
    row.try_get("", column).map_err(decode_err)
}

/// The hot read statements, in PostgreSQL's dialect, with `:project` and
/// `:id` (a model's or a version's; `:id0` to `:id19` for a page's models)
/// where the values go: what `EXPLAIN` and pgbench are run on
/// (`model-registry sql`, `scripts/bench.sh`).
pub fn hot_statements() -> Vec<(&'static str, String)> {
    use sea_orm::sea_query::PostgresQueryBuilder;

    use crate::api::types::{ModelSortBy, SortOrder, State, VersionSortBy};

    const PAGE_ID_BASE: u128 = 0xface_0000;
    let (project, id) = (PROJECT_SLOT, ID_SLOT);
    let store = Store::unconnected();
    let first_page = Page {
        limit: 20,
        offset: 0,
        after: None,
    };
    let models = |filter: ModelFilter, sort_by| {
        store.model_page_ids(project, &filter, sort_by, SortOrder::Desc, &first_page)
    };
    // A page's second statement: the details of 20 models, `:id0` to `:id19`.
    let page_ids: Vec<Uuid> = (0..20u128)
        .map(|i| Uuid::from_u128(PAGE_ID_BASE + i))
        .collect();
    let statements = [
        ("get_model", store.model_by_id(project, id)),
        (
            "list_models",
            models(ModelFilter::default(), ModelSortBy::CreatedAt),
        ),
        (
            "list_models_offset_100",
            store.model_page_ids(
                project,
                &ModelFilter::default(),
                ModelSortBy::CreatedAt,
                SortOrder::Desc,
                &Page {
                    limit: 20,
                    offset: 100,
                    after: None,
                },
            ),
        ),
        (
            "list_models_details",
            store.models_by_ids(&page_ids, ModelSortBy::CreatedAt, SortOrder::Desc),
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
                    labels: vec![("team".into(), "vision".into())],
                    ..ModelFilter::default()
                },
                ModelSortBy::CreatedAt,
            ),
        ),
        (
            "list_models_by_tag",
            models(
                ModelFilter {
                    tags: vec![("frameworks", "jax".into())],
                    ..ModelFilter::default()
                },
                ModelSortBy::CreatedAt,
            ),
        ),
        (
            "list_project_versions_by_label",
            versions::version_page_ids(
                DbBackend::Postgres,
                project,
                &VersionFilter {
                    labels: vec![("team".into(), "vision".into())],
                    ..VersionFilter::default()
                },
                VersionSortBy::CreatedAt,
                SortOrder::Desc,
                &first_page,
            ),
        ),
        ("get_version", store.version_by_id(project, id, None)),
        (
            "find_version_by_name",
            store.version_by(project, Some("v2"), None, None),
        ),
        (
            "list_versions_of_model",
            versions::version_page_ids(
                DbBackend::Postgres,
                project,
                &VersionFilter {
                    registered_model_id: Some(id),
                    ..VersionFilter::default()
                },
                VersionSortBy::CreatedAt,
                SortOrder::Desc,
                &first_page,
            ),
        ),
        (
            "list_project_versions",
            versions::version_page_ids(
                DbBackend::Postgres,
                project,
                &VersionFilter::default(),
                VersionSortBy::CreatedAt,
                SortOrder::Desc,
                &first_page,
            ),
        ),
        (
            "count_project_versions",
            versions::count_versions(DbBackend::Postgres, project, &VersionFilter::default()),
        ),
        (
            "list_versions_details",
            store.versions_by_ids(&page_ids, VersionSortBy::CreatedAt, SortOrder::Desc),
        ),
    ];
    statements
        .into_iter()
        .map(|(name, statement)| {
            let mut sql = statement
                .to_string(PostgresQueryBuilder)
                .replace(&format!("'{PROJECT_SLOT}'"), ":project")
                .replace(&format!("'{ID_SLOT}'"), ":id");
            for (i, page_id) in page_ids.iter().enumerate() {
                sql = sql.replace(&format!("'{page_id}'"), &format!(":id{i}"));
            }
            (name, sql)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_project_filter_by_key_is_no_index_condition() {
        use sea_orm::sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};
        let mut q = Query::select();
        q.expr(Expr::val(1))
            .from_as(
                entity::model_registry_registered_model::Entity,
                Alias::new("m"),
            )
            .and_where(of_project(Alias::new("m"), PROJECT_SLOT));
        let project = format!("'{PROJECT_SLOT}'");
        assert!(
            q.to_string(PostgresQueryBuilder)
                .ends_with(&format!(r#"WHERE ("m"."project_id" = {project}) IS TRUE"#)),
            "{}",
            q.to_string(PostgresQueryBuilder)
        );
        let (sql, _) = q.build(SqliteQueryBuilder);
        assert!(
            sql.ends_with(r#"WHERE ("m"."project_id" = ?) IS TRUE"#),
            "{sql}"
        );
    }

    #[test]
    fn like_metacharacters_are_escaped() {
        assert_eq!(escape_like("50%_off\\"), "50\\%\\_off\\\\");
        assert_eq!(escape_like("plain"), "plain");
    }
}

//! Queries on `model_registry_model_version`, which holds versions and
//! artifacts alike.

use chrono::{DateTime, Utc};
use entity::{model_registry_model_version as version, model_registry_registered_model as model};
use sea_orm::{
    DbBackend, DbErr, FromQueryResult, QueryResult, Statement, Value,
    sea_query::{
        Alias, Asterisk, Expr, ExprTrait, JoinType, Order, PostgresQueryBuilder, Query,
        SelectStatement, SqliteQueryBuilder,
    },
};
use uuid::Uuid;

use super::{
    connection::Writes,
    errors::name_taken_as,
    events::write_with_events,
    filters::{after_cursor, count_rows, get, has_label, list_page, sql_order},
    hints::PageHints,
    records::{labels_to_stored, version_record},
    statements::{
        CLEAR_DEFAULT, COUNT_READY_VERSIONS, DEFAULTS_OF_MODEL, DELETE_VERSION, GET_VERSION,
        GET_VERSION_OF_MODEL, INSERT_DEFAULT_VERSION, INSERT_VERSION, LOCK_VERSION, Sql,
        UPDATE_VERSION, VERSION_PAGE_TAIL, VERSION_WHOLE, VERSIONS_BY_IDS,
    },
};
use crate::domain::{
    Cursor, Error, ListScope, NewEvent, Page, PageBounds, Resource, SortOrder, Spelled, Version,
    VersionChanges, VersionFilter, VersionLookup, VersionQuery, VersionSortBy,
};

/// The versions table, on the pool or in a transaction.
pub struct VersionTable<'a, C> {
    conn: &'a C,
    backend: DbBackend,
    page_hints: &'a PageHints,
}

const V: &str = "v";

fn v() -> Alias {
    Alias::new(V)
}

/// Reads a version from a row's columns under `prefix` (as
/// `version_columns.sql` or `model_columns.sql` name them); `None` when a
/// left join found none.
pub(super) fn decode_joined_version(
    row: &QueryResult,
    prefix: &str,
) -> Result<Option<Version>, DbErr> {
    let id: Option<Uuid> = row.try_get(prefix, "id")?;
    if id.is_none() {
        return Ok(None);
    }
    decode_version(row, prefix).map(Some)
}

pub(super) fn decode_version(row: &QueryResult, prefix: &str) -> Result<Version, DbErr> {
    Ok(version_record(
        version::Model::from_query_result(row, prefix)?,
        row.try_get(prefix, "created_by_email")?,
        row.try_get(prefix, "updated_by_email")?,
        &row.try_get::<String>(prefix, "aliases")?,
    ))
}

/// How a statement reaches a project's versions.
#[derive(Clone, Copy)]
enum Reach {
    /// By a key (a version's or a model's id): the project only filters the
    /// rows found, written `(...) IS TRUE` so that it is no index condition
    /// and PostgreSQL never walks a project's index instead of the key.
    ByKey,
    /// Through the `(project_id, ...)` indexes of the project's models.
    ByProject,
}

/// The versions of the project's models, each joined to its model `m`.
fn versions_of_project(project_id: Uuid, reach: Reach) -> SelectStatement {
    let mut q = Query::select();
    q.from_as(version::Entity, v());
    q.join_as(
        JoinType::InnerJoin,
        model::Entity,
        Alias::new("m"),
        Expr::col((Alias::new("m"), model::Column::Id))
            .equals((v(), version::Column::RegisteredModelId)),
    );
    let in_project = Expr::col((Alias::new("m"), model::Column::ProjectId)).eq(project_id);
    q.and_where(match reach {
        Reach::ByKey => Expr::tuple([in_project]).is(Expr::Constant(true.into())),
        Reach::ByProject => in_project,
    });
    q
}

/// `WITH chosen AS (head) body`: a head built from a request, rendered in
/// the backend's dialect, before a literal body that reads what it chose.
fn with_chosen(backend: DbBackend, head: &SelectStatement, body: &str) -> Statement {
    let (sql, values) = match backend {
        DbBackend::Sqlite => head.build(SqliteQueryBuilder),
        _ => head.build(PostgresQueryBuilder),
    };
    Statement::from_sql_and_values(backend, format!("WITH chosen AS ({sql})\n{body}"), values)
}

/// What `version_page` read: the number of all matches, how many of them
/// it gathered, and the page's versions (with the one after it, if any).
struct Gathered {
    total: u64,
    near: u64,
    versions: Vec<Version>,
}

impl<'a, C: Writes> VersionTable<'a, C> {
    pub(super) fn new(conn: &'a C, backend: DbBackend, page_hints: &'a PageHints) -> Self {
        VersionTable {
            conn,
            backend,
            page_hints,
        }
    }

    fn bind(&self, sql: &Sql, values: impl IntoIterator<Item = Value>) -> Statement {
        sql.bind(self.backend, values)
    }

    async fn read_one(&self, statement: Statement) -> Result<Option<Version>, Error> {
        let row = self.conn.query_one_raw(statement).await?;
        Ok(row.map(|row| decode_version(&row, "")).transpose()?)
    }

    /// A version of the project, by id; when `model_id` is given, only if
    /// it belongs to that model.
    pub async fn get(
        &self,
        project_id: Uuid,
        id: Uuid,
        model_id: Option<Uuid>,
    ) -> Result<Option<Version>, Error> {
        let statement = match model_id {
            None => self.bind(&GET_VERSION, [id.into(), project_id.into()]),
            Some(model_id) => self.bind(
                &GET_VERSION_OF_MODEL,
                [id.into(), project_id.into(), model_id.into()],
            ),
        };
        self.read_one(statement).await
    }

    /// The newest version of the project matching all the lookup gives.
    pub async fn find(
        &self,
        project_id: Uuid,
        lookup: &VersionLookup,
    ) -> Result<Option<Version>, Error> {
        let mut head = versions_of_project(project_id, Reach::ByKey);
        head.column((v(), Asterisk))
            .expr_as(Expr::val(1), Alias::new("n"));
        if let Some(name) = &lookup.name {
            head.and_where(Expr::col((v(), version::Column::Name)).eq(name.as_str()));
        }
        if let Some(model_id) = lookup.model_id {
            head.and_where(Expr::col((v(), version::Column::RegisteredModelId)).eq(model_id));
        }
        if let Some(id) = lookup.id {
            head.and_where(Expr::col((v(), version::Column::Id)).eq(id));
        }
        head.order_by((v(), version::Column::CreatedAt), Order::Desc)
            .order_by((v(), version::Column::Id), Order::Desc)
            .limit(1);
        self.read_one(with_chosen(
            self.backend,
            &head,
            VERSION_WHOLE.text(self.backend),
        ))
        .await
    }

    /// A page of `list`, read as every list reads one (`filters::list_page`),
    /// except on PostgreSQL without a token: one statement hinted by where
    /// the page ended last time (docs/design.md, "Notes on the code").
    pub async fn list(
        &self,
        project_id: Uuid,
        query: &VersionQuery,
        page: &PageBounds,
        list: &ListScope,
    ) -> Result<Page<Version>, Error> {
        let backend = self.backend;
        if backend != DbBackend::Postgres || page.after.is_some() {
            let ids = version_page_ids(backend, project_id, query, page);
            let count = || count_versions(backend, project_id, &query.filter);
            let decode = |row: &QueryResult| decode_version(row, "");
            return Ok(list_page(self.conn, page, &ids, count, &VERSIONS_BY_IDS, decode).await?);
        }
        let reach = page.offset.saturating_add(page.limit).saturating_add(1);
        let hint = self.page_hints.get(list, reach);
        let mut gathered = self.gather(project_id, query, page, hint.as_ref()).await?;
        let holds_the_page = gathered.near >= reach || gathered.near == gathered.total;
        if hint.is_some() && !holds_the_page {
            gathered = self.gather(project_id, query, page, None).await?;
        }
        if let Some(end) = gathered.versions.last() {
            self.page_hints.put(list, reach, end.cursor(query.sort_by));
        }
        let limit = usize::try_from(page.limit).unwrap_or(usize::MAX);
        let more = gathered.versions.len() > limit;
        gathered.versions.truncate(limit);
        Ok(Page::new(gathered.versions, gathered.total, more, page))
    }

    /// Runs `version_page` once.
    async fn gather(
        &self,
        project_id: Uuid,
        query: &VersionQuery,
        page: &PageBounds,
        hint: Option<&Cursor>,
    ) -> Result<Gathered, Error> {
        let statement = version_page(project_id, query, page, hint);
        let rows = self.conn.query_all_raw(statement).await?;
        let count = |column| -> Result<u64, DbErr> {
            let n: i64 = match rows.first() {
                Some(row) => get(row, column)?,
                None => 0,
            };
            Ok(u64::try_from(n).unwrap_or(0))
        };
        let (total, near) = (count("total")?, count("near")?);
        let versions = rows
            .iter()
            .filter_map(|row| decode_joined_version(row, "").transpose())
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Gathered {
            total,
            near,
            versions,
        })
    }

    /// How many versions of the model are READY.
    pub async fn count_ready(&self, model_id: Uuid) -> Result<u64, Error> {
        let statement = self.bind(&COUNT_READY_VERSIONS, [model_id.into()]);
        Ok(count_rows(self.conn, statement).await?)
    }

    /// Locks the model of a version of the project for the rest of the
    /// transaction, then reads the version whole in a statement of its own
    /// (as `ModelTable::lock_whole` does); `None` when the project has no
    /// such version.
    pub async fn lock_whole(&self, project_id: Uuid, id: Uuid) -> Result<Option<Version>, Error> {
        if self.backend == DbBackend::Postgres {
            let lock = self.bind(&LOCK_VERSION, [id.into(), project_id.into()]);
            if self.conn.query_one_raw(lock).await?.is_none() {
                return Ok(None);
            }
        }
        self.get(project_id, id, None).await
    }

    /// The model's default versions but `except`, whole: those a new
    /// default takes the place of.
    pub async fn defaults_of(&self, model_id: Uuid, except: Uuid) -> Result<Vec<Version>, Error> {
        let rows = self
            .conn
            .query_all_raw(self.bind(&DEFAULTS_OF_MODEL, [model_id.into(), except.into()]))
            .await?;
        Ok(rows
            .iter()
            .map(|row| decode_version(row, ""))
            .collect::<Result<Vec<_>, _>>()?)
    }

    /// Deletes a version (or artifact), whose model the caller has locked,
    /// with its events.
    pub async fn delete(&self, id: Uuid, events: &[NewEvent]) -> Result<(), Error> {
        write_with_events(self.conn, &DELETE_VERSION, events, [id.into()]).await?;
        Ok(())
    }

    /// Inserts `new` with its secrets (written, never read back) and events
    /// if its model is the project's (locking the model on PostgreSQL, as
    /// `ModelTable::lock` does); whether it was. A taken name is a conflict
    /// of `resource`. A new default clears the previous one first (on
    /// PostgreSQL, in the same statement).
    pub async fn insert(
        &self,
        project_id: Uuid,
        new: &Version,
        access_key: String,
        secret_key: String,
        resource: Resource,
        events: &[NewEvent],
    ) -> Result<bool, Error> {
        let values: [Value; 22] = [
            new.id.into(),
            new.created_at.fixed_offset().into(),
            new.updated_at.fixed_offset().into(),
            new.name.as_str().into(),
            new.description.as_str().into(),
            new.is_default.into(),
            new.state.as_str().into(),
            new.status.as_str().into(),
            new.artifact_type.as_str().into(),
            new.model_framework.as_str().into(),
            new.model_framework_version.as_str().into(),
            new.container_image.as_str().into(),
            new.model_catalog_name.as_str().into(),
            new.uri.as_str().into(),
            access_key.into(),
            secret_key.into(),
            labels_to_stored(&new.labels).into(),
            new.prebuilt_container_id.into(),
            new.created_by_id.into(),
            new.updated_by_id.into(),
            new.registered_model_id.into(),
            project_id.into(),
        ];
        let insert = match (new.is_default, self.backend) {
            (false, _) => &INSERT_VERSION,
            (true, DbBackend::Postgres) => &INSERT_DEFAULT_VERSION,
            (true, _) => {
                self.clear_default(new.registered_model_id, None, new.updated_at)
                    .await?;
                &INSERT_VERSION
            }
        };
        let inserted = write_with_events(self.conn, insert, events, values)
            .await
            .map_err(name_taken_as(resource))?;
        Ok(inserted)
    }

    /// Clears `is_default` on every version of the model but `except`
    /// (SQLite; PostgreSQL does it inside the write that needs it).
    async fn clear_default(
        &self,
        model_id: Uuid,
        except: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        let values: [Value; 3] = [model_id.into(), except.into(), now.fixed_offset().into()];
        self.conn
            .execute_raw(self.bind(&CLEAR_DEFAULT, values))
            .await?;
        Ok(())
    }

    /// Applies the changes and their events to a version of `model_id`,
    /// locked by the caller or (on SQLite) still as `seen`; whether it
    /// wrote. A taken name is a conflict of `resource`.
    #[allow(clippy::too_many_arguments)]
    pub async fn update(
        &self,
        model_id: Uuid,
        id: Uuid,
        changes: VersionChanges,
        now: DateTime<Utc>,
        resource: Resource,
        events: &[NewEvent],
        seen: Option<&Version>,
    ) -> Result<bool, Error> {
        if self.backend != DbBackend::Postgres && changes.is_default == Some(true) {
            self.clear_default(model_id, Some(id), now).await?;
        }
        let VersionChanges {
            name,
            description,
            is_default,
            state,
            status,
            artifact_type,
            model_framework,
            model_framework_version,
            container_image,
            uri,
            labels,
        } = changes;
        let mut values: Vec<Value> = vec![
            id.into(),
            now.fixed_offset().into(),
            name.map(|n| n.into_inner()).into(),
            description.map(String::from).into(),
            is_default.into(),
            state.map(|s| s.as_str()).into(),
            status.map(|s| s.as_str()).into(),
            artifact_type.map(String::from).into(),
            model_framework.map(String::from).into(),
            model_framework_version.map(String::from).into(),
            container_image.map(String::from).into(),
            uri.map(String::from).into(),
            labels.map(|labels| labels_to_stored(&labels)).into(),
        ];
        match self.backend {
            DbBackend::Postgres => values.push(model_id.into()),
            _ => {
                values.push(seen.map(|seen| seen.updated_at.fixed_offset()).into());
                values.push(seen.map(|seen| seen.aliases.join(",")).into());
            }
        }
        let written = write_with_events(self.conn, &UPDATE_VERSION, events, values)
            .await
            .map_err(name_taken_as(resource))?;
        Ok(written)
    }
}

/// The ids of a version page on SQLite or after a token, each with the
/// number of all matches, counted in the same sorting pass. Why no index
/// holds the versions in their order: docs/design.md, "Notes on the code".
pub(super) fn version_page_ids(
    backend: DbBackend,
    project_id: Uuid,
    query: &VersionQuery,
    page: &PageBounds,
) -> SelectStatement {
    let filter = &query.filter;
    let mut q = versions_of_project(project_id, reach_of(filter));
    q.column((v(), version::Column::Id));
    let (column, order) = version_order(query.sort_by, query.order);
    match &page.after {
        None => {
            q.expr_as(Expr::cust("COUNT(*) OVER ()"), Alias::new("total"));
        }
        // After a cursor the window would count only what follows it.
        Some(cursor) => {
            q.expr_as(
                count_versions(backend, project_id, filter),
                Alias::new("total"),
            );
            q.and_where(after_cursor(v(), column, &order, cursor));
        }
    }
    apply_version_filter(&mut q, backend, filter);
    q.order_by((v(), column), order.clone())
        .order_by((v(), version::Column::Id), order)
        .limit(page.limit.saturating_add(1))
        .offset(page.offset);
    q
}

/// A version page on PostgreSQL without a token: `page` counts the matches
/// and sorts the ids up to `hint`, with the subscripts of the page's slice
/// (`limit + 1` ids); `version_page.sql` reads that slice by key.
fn version_page(
    project_id: Uuid,
    query: &VersionQuery,
    page: &PageBounds,
    hint: Option<&Cursor>,
) -> Statement {
    let (sql, values) = version_page_sql(project_id, query, page, hint);
    Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
}

/// `version_page`'s SQL and values.
pub(super) fn version_page_sql(
    project_id: Uuid,
    query: &VersionQuery,
    page: &PageBounds,
    hint: Option<&Cursor>,
) -> (String, sea_orm::sea_query::Values) {
    let filter = &query.filter;
    let (column, order) = version_order(query.sort_by, query.order);
    let direction = match order {
        Order::Asc => "ASC",
        _ => "DESC",
    };
    let mut gathered = versions_of_project(project_id, reach_of(filter));
    apply_version_filter(&mut gathered, DbBackend::Postgres, filter);
    let sort = [
        Expr::col((v(), version::Column::Id)),
        Expr::col((v(), column)),
    ];
    let ids = match hint {
        None => Expr::cust_with_exprs(
            format!("array_agg($1 ORDER BY $2 {direction}, $1 {direction})"),
            sort,
        ),
        Some(hint) => Expr::cust_with_exprs(
            format!("array_agg($1 ORDER BY $2 {direction}, $1 {direction}) FILTER (WHERE $3)"),
            sort.into_iter()
                .chain([after_cursor(v(), column, &order, hint).not()]),
        ),
    };
    // Array subscripts are `integer`; a slice past the end is empty.
    let subscript = |n: u64| i32::try_from(n).unwrap_or(i32::MAX);
    gathered
        .expr_as(Expr::col(Asterisk).count(), Alias::new("total"))
        .expr_as(ids, Alias::new("ids"))
        .expr_as(
            Expr::val(subscript(page.offset.saturating_add(1))),
            Alias::new("first"),
        )
        .expr_as(
            Expr::val(subscript(
                page.offset.saturating_add(page.limit).saturating_add(1),
            )),
            Alias::new("last"),
        );
    let (sql, values) = gathered.build(PostgresQueryBuilder);
    (format!("WITH page AS ({sql})\n{VERSION_PAGE_TAIL}"), values)
}

/// How a list reaches its versions: through its model, found by key, or
/// through the project's models.
fn reach_of(filter: &VersionFilter) -> Reach {
    match filter.registered_model_id {
        Some(_) => Reach::ByKey,
        None => Reach::ByProject,
    }
}

/// `COUNT(*)` of the versions a filter matches.
pub(super) fn count_versions(
    backend: DbBackend,
    project_id: Uuid,
    filter: &VersionFilter,
) -> SelectStatement {
    let mut count = versions_of_project(project_id, reach_of(filter));
    count.expr(Expr::col(Asterisk).count());
    apply_version_filter(&mut count, backend, filter);
    count
}

/// The column a version list is sorted by, and in which direction; `id`
/// breaks ties.
fn version_order(sort_by: VersionSortBy, order: SortOrder) -> (version::Column, Order) {
    let column = match sort_by {
        VersionSortBy::CreatedAt => version::Column::CreatedAt,
        VersionSortBy::UpdatedAt => version::Column::UpdatedAt,
        VersionSortBy::Name => version::Column::Name,
    };
    (column, sql_order(order))
}

fn apply_version_filter(q: &mut SelectStatement, backend: DbBackend, filter: &VersionFilter) {
    for label in &filter.labels {
        q.and_where(has_label(
            backend,
            Expr::col((v(), version::Column::Labels)),
            label,
        ));
    }
    if let Some(model_id) = filter.registered_model_id {
        q.and_where(Expr::col((v(), version::Column::RegisteredModelId)).eq(model_id));
    }
    if let Some(state) = filter.state {
        q.and_where(Expr::col((v(), version::Column::State)).eq(state.as_str()));
    }
    if let Some(status) = filter.status {
        q.and_where(Expr::col((v(), version::Column::Status)).eq(status.as_str()));
    }
}

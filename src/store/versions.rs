//! Queries on `model_registry_model_version`, which holds versions and
//! artifacts alike.

use chrono::{DateTime, Utc};
use entity::{model_registry_model_version as version, model_registry_registered_model as model};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult, QueryResult,
    sea_query::{
        Alias, Asterisk, Expr, ExprTrait, JoinType, LockType, Order, Query, SelectStatement,
        UpdateStatement,
    },
};
use uuid::Uuid;

use super::{
    errors::name_taken_as,
    records::{labels_to_stored, version_record},
    sql::{
        ID_SLOT, Lookups, MODEL_SLOT, PROJECT_SLOT, Reach, Rendered, Sql, after_cursor, count_rows,
        get, has_label, ids_as_parameters, in_project, insert_row, join_version_by_id, list_page,
        padded_ids, select_version, sql_order, with_clause, writes_in_with,
    },
};
use crate::domain::{
    Cursor, Error, ListKey, Listed, Page, Resource, SortOrder, Version, VersionChanges,
    VersionFilter, VersionLookup, VersionQuery, VersionSortBy, VersionStatus,
};

/// What `version_page` read: the number of all matches, how many of them
/// it gathered, and the page's versions (with the one after it, if any).
struct Gathered {
    total: u64,
    near: u64,
    versions: Vec<Version>,
}

/// The versions table, on the pool or in a transaction.
pub struct VersionTable<'a, C> {
    conn: &'a C,
    sql: &'a Sql,
}

const V: &str = "v";

fn v() -> Alias {
    Alias::new(V)
}

/// Reads a version selected by `select_version` under `prefix`; `None`
/// when a left join found none.
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

fn decode_version(row: &QueryResult, prefix: &str) -> Result<Version, DbErr> {
    Ok(version_record(
        version::Model::from_query_result(row, prefix)?,
        row.try_get(prefix, "created_by_email")?,
        row.try_get(prefix, "updated_by_email")?,
    ))
}

/// The versions of the project's models, as rows found by key (a version's
/// id, a model's id) or, without a model, by the project's models.
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
    q.and_where(in_project(Alias::new("m"), project_id, reach));
    q
}

/// Versions found by key, with their emails, confined to the caller's
/// project.
fn select_versions(lookups: Lookups, project_id: Uuid) -> SelectStatement {
    let mut q = versions_of_project(project_id, Reach::ByPrimaryKey);
    select_version(&mut q, V, "", lookups);
    q
}

/// The statement of `GET /model_versions/{id}` (and the nested form).
pub(super) fn version_by_id(
    lookups: Lookups,
    project_id: Uuid,
    id: Uuid,
    model_id: Option<Uuid>,
) -> SelectStatement {
    let mut q = select_versions(lookups, project_id);
    q.and_where(Expr::col((v(), version::Column::Id)).eq(id));
    if let Some(model_id) = model_id {
        q.and_where(Expr::col((v(), version::Column::RegisteredModelId)).eq(model_id));
    }
    q
}

/// The statement of `GET /model_version?...`: the newest version matching
/// all that is given.
pub(super) fn version_by(
    lookups: Lookups,
    project_id: Uuid,
    lookup: &VersionLookup,
) -> SelectStatement {
    let mut q = select_versions(lookups, project_id);
    if let Some(name) = &lookup.name {
        q.and_where(Expr::col((v(), version::Column::Name)).eq(name.as_str()));
    }
    if let Some(model_id) = lookup.model_id {
        q.and_where(Expr::col((v(), version::Column::RegisteredModelId)).eq(model_id));
    }
    if let Some(id) = lookup.id {
        q.and_where(Expr::col((v(), version::Column::Id)).eq(id));
    }
    q.order_by((v(), version::Column::CreatedAt), Order::Desc)
        .order_by((v(), version::Column::Id), Order::Desc)
        .limit(1);
    q
}

/// The second statement of a version list: the page's versions with their
/// emails, in the page's order.
pub(super) fn versions_by_ids(
    lookups: Lookups,
    ids: &[Uuid],
    sort_by: VersionSortBy,
    order: SortOrder,
) -> SelectStatement {
    // The ids come from the first statement, which is confined to the
    // project.
    let mut q = Query::select();
    q.from_as(version::Entity, v());
    select_version(&mut q, V, "", lookups);
    q.and_where(Expr::col((v(), version::Column::Id)).is_in(padded_ids(ids)));
    let (column, order) = version_order(sort_by, order);
    q.order_by((v(), column), order.clone())
        .order_by((v(), version::Column::Id), order);
    q
}

impl<'a, C: ConnectionTrait> VersionTable<'a, C> {
    pub(super) fn new(conn: &'a C, sql: &'a Sql) -> Self {
        VersionTable { conn, sql }
    }

    /// A version of the project, by id; when `model_id` is given, only if
    /// it belongs to that model.
    pub async fn get(
        &self,
        project_id: Uuid,
        id: Uuid,
        model_id: Option<Uuid>,
    ) -> Result<Option<Version>, Error> {
        let sql = self.sql;
        let (read, model_slot) = match model_id {
            None => (&sql.reads.version_by_id, None),
            Some(_) => (&sql.reads.version_by_id_of_model, Some(MODEL_SLOT)),
        };
        let read = read.get_or_init(|| {
            let statement = version_by_id(sql.lookups, PROJECT_SLOT, ID_SLOT, model_slot);
            Rendered::new(sql.backend, &statement)
        });
        let row = self
            .conn
            .query_one_raw(read.bind(project_id, id, model_id))
            .await?;
        Ok(row.map(|row| decode_version(&row, "")).transpose()?)
    }

    /// The newest version of the project matching the lookup.
    pub async fn find(
        &self,
        project_id: Uuid,
        lookup: &VersionLookup,
    ) -> Result<Option<Version>, Error> {
        let q = version_by(self.sql.lookups, project_id, lookup);
        let row = self.conn.query_one(&q).await?;
        Ok(row.map(|row| decode_version(&row, "")).transpose()?)
    }

    /// A page of `list`, the versions `query` matches. On PostgreSQL, a page
    /// without a token is one statement (`version_page`), given where the
    /// same page of the same list ended last time, and asked again without
    /// that hint when the rows up to it no longer hold the page. Otherwise
    /// two, as for models: the page's ids with the number of all matches,
    /// then those versions by primary key.
    pub async fn list(
        &self,
        project_id: Uuid,
        query: &VersionQuery,
        page: &Page,
        list: &ListKey,
    ) -> Result<Listed<Version>, Error> {
        let (backend, lookups) = (self.sql.backend, self.sql.lookups);
        if backend != DbBackend::Postgres || page.after.is_some() {
            let ids = version_page_ids(backend, project_id, query, page);
            let count = || count_versions(backend, project_id, &query.filter);
            let details = |ids: &[Uuid]| {
                ids_as_parameters(
                    backend,
                    &versions_by_ids(lookups, ids, query.sort_by, query.order),
                )
            };
            let decode = |row: &QueryResult| decode_version(row, "");
            return Ok(list_page(self.conn, page, &ids, count, details, decode).await?);
        }
        let reach = page.offset.saturating_add(page.limit).saturating_add(1);
        let hints = &self.sql.page_hints;
        let hint = hints.get(list, reach);
        let mut gathered = self.gather(project_id, query, page, hint.as_ref()).await?;
        let holds_the_page = gathered.near >= reach || gathered.near == gathered.total;
        if hint.is_some() && !holds_the_page {
            gathered = self.gather(project_id, query, page, None).await?;
        }
        if let Some(end) = gathered.versions.last() {
            hints.put(list, reach, end.cursor(query.sort_by));
        }
        let limit = usize::try_from(page.limit).unwrap_or(usize::MAX);
        let more = gathered.versions.len() > limit;
        gathered.versions.truncate(limit);
        Ok(Listed {
            items: gathered.versions,
            total: gathered.total,
            more,
        })
    }

    /// Runs `version_page` once.
    async fn gather(
        &self,
        project_id: Uuid,
        query: &VersionQuery,
        page: &Page,
        hint: Option<&Cursor>,
    ) -> Result<Gathered, Error> {
        let statement = version_page(self.sql.lookups, project_id, query, page, hint);
        let rows = self.conn.query_all(&statement).await?;
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
        let mut q = Query::select();
        q.expr(Expr::col(Asterisk).count())
            .from(version::Entity)
            .and_where(version::Column::RegisteredModelId.eq(model_id))
            .and_where(version::Column::Status.eq(VersionStatus::Ready.as_str()));
        Ok(count_rows(self.conn, &q).await?)
    }

    /// Locks the model a version of the project belongs to, and returns the
    /// model's id; `None` when there is no such version.
    pub async fn lock_model_of(
        &self,
        project_id: Uuid,
        version_id: Uuid,
    ) -> Result<Option<Uuid>, Error> {
        let mut q = Query::select();
        q.column((Alias::new("m"), model::Column::Id))
            .from_as(model::Entity, Alias::new("m"))
            .join_as(
                JoinType::InnerJoin,
                version::Entity,
                v(),
                Expr::col((v(), version::Column::RegisteredModelId))
                    .equals((Alias::new("m"), model::Column::Id)),
            )
            .and_where(Expr::col((v(), version::Column::Id)).eq(version_id))
            .and_where(in_project(Alias::new("m"), project_id, Reach::ByPrimaryKey))
            .lock_with_tables(LockType::Update, [Alias::new("m")]);
        let row = self.conn.query_one(&q).await?;
        Ok(row.map(|row| get(&row, "id")).transpose()?)
    }

    /// Deletes a version (or artifact), whose model the caller has locked.
    pub async fn delete(&self, id: Uuid) -> Result<(), Error> {
        version::Entity::delete_by_id(id).exec(self.conn).await?;
        Ok(())
    }

    /// Inserts `new`, a whole version as the registry made it, with its
    /// secrets (written, never read back); a taken name is a conflict of
    /// `resource` (a version, or an artifact). When it is
    /// the default, the model's previous default is cleared first: on
    /// PostgreSQL in the same statement, so a create is still one round
    /// trip after the lock.
    pub async fn insert(
        &self,
        new: &Version,
        access_key: String,
        secret_key: String,
        resource: Resource,
    ) -> Result<(), Error> {
        let row = version::Model {
            id: new.id,
            created_at: new.created_at.fixed_offset(),
            updated_at: new.updated_at.fixed_offset(),
            registered_model_id: new.registered_model_id,
            name: new.name.clone(),
            description: new.description.clone(),
            is_default: new.is_default,
            state: new.state.as_str().into(),
            status: new.status.as_str().into(),
            created_by_id: new.created_by_id,
            updated_by_id: new.updated_by_id,
            artifact_type: new.artifact_type.clone(),
            model_framework: new.model_framework.clone(),
            model_framework_version: new.model_framework_version.clone(),
            container_image: new.container_image.clone(),
            model_catalog_name: new.model_catalog_name.clone(),
            uri: new.uri.clone(),
            access_key,
            secret_key,
            labels: labels_to_stored(&new.labels),
            prebuilt_container_id: new.prebuilt_container_id,
        };
        let mut insert = insert_row(&row, None)?;
        if row.is_default {
            let clear = clear_default(row.registered_model_id, None, new.updated_at);
            if writes_in_with(self.sql.backend) {
                insert.with_cte(with_clause([("cleared", clear.into())]));
            } else {
                self.conn.execute(&clear).await?;
            }
        }
        self.conn
            .execute(&insert)
            .await
            .map_err(name_taken_as(resource))?;
        Ok(())
    }

    /// Applies the changes to one version of `model_id` (making it the
    /// default clears the model's previous one) and reads the version back;
    /// a taken name is a conflict of `resource`. On PostgreSQL that is one
    /// statement.
    pub async fn update(
        &self,
        project_id: Uuid,
        model_id: Uuid,
        id: Uuid,
        changes: VersionChanges,
        now: DateTime<Utc>,
        resource: Resource,
    ) -> Result<Option<Version>, Error> {
        if changes.is_empty() {
            return self.get(project_id, id, None).await;
        }
        let clear =
            (changes.is_default == Some(true)).then(|| clear_default(model_id, Some(id), now));
        let mut update = update_statement(id, changes, now);
        if writes_in_with(self.sql.backend) {
            update.returning_all();
            let ctes = clear
                .map(|clear| ("cleared", clear.into()))
                .into_iter()
                .chain([("updated", update.into())]);
            let mut q = Query::select();
            q.from_as(Alias::new("updated"), v());
            select_version(&mut q, V, "", self.sql.lookups);
            let row = self
                .conn
                .query_one(&q.with(with_clause(ctes)))
                .await
                .map_err(name_taken_as(resource))?;
            return Ok(row.map(|row| decode_version(&row, "")).transpose()?);
        }
        if let Some(clear) = clear {
            self.conn.execute(&clear).await?;
        }
        self.conn
            .execute(&update)
            .await
            .map_err(name_taken_as(resource))?;
        self.get(project_id, id, None).await
    }
}

/// Clears `is_default` on every version of the model but `except`.
fn clear_default(model_id: Uuid, except: Option<Uuid>, now: DateTime<Utc>) -> UpdateStatement {
    let mut update = Query::update();
    update
        .table(version::Entity)
        .value(version::Column::IsDefault, false)
        .value(version::Column::UpdatedAt, now.fixed_offset())
        .and_where(version::Column::RegisteredModelId.eq(model_id))
        .and_where(version::Column::IsDefault.eq(true));
    if let Some(except) = except {
        update.and_where(version::Column::Id.ne(except));
    }
    update
}

/// The changes to one version, in one statement.
fn update_statement(id: Uuid, changes: VersionChanges, now: DateTime<Utc>) -> UpdateStatement {
    let mut update = Query::update();
    update
        .table(version::Entity)
        .value(version::Column::UpdatedAt, now.fixed_offset())
        .and_where(version::Column::Id.eq(id));
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
    let strings = [
        (version::Column::Name, name.map(|n| n.into_inner())),
        (version::Column::Description, description.map(String::from)),
        (version::Column::State, state.map(|s| s.as_str().into())),
        (version::Column::Status, status.map(|s| s.as_str().into())),
        (
            version::Column::ArtifactType,
            artifact_type.map(String::from),
        ),
        (
            version::Column::ModelFramework,
            model_framework.map(String::from),
        ),
        (
            version::Column::ModelFrameworkVersion,
            model_framework_version.map(String::from),
        ),
        (
            version::Column::ContainerImage,
            container_image.map(String::from),
        ),
        (version::Column::Uri, uri.map(String::from)),
    ];
    for (column, value) in strings {
        if let Some(value) = value {
            update.value(column, value);
        }
    }
    if let Some(is_default) = is_default {
        update.value(version::Column::IsDefault, is_default);
    }
    if let Some(labels) = labels {
        update.value(version::Column::Labels, labels_to_stored(&labels));
    }
    update
}

/// The first statement of a version list on SQLite, or after a page token:
/// the ids of the page, in order, each with the number of all matches (the
/// envelope's `total`). A project's versions have no index in their order
/// (the project is their model's), so the page is sorted from all matches,
/// and the count is
/// taken in that same pass (`COUNT(*) OVER ()`) rather than in a second join
/// of them all. (An index on the versions' `(created_at, id)` would let a
/// page stop early, but PostgreSQL then also walked it for a model's latest
/// version, through every newer version of other models: a GET of a model
/// went from 0.14 to 1.3 ms in the database.)
pub(super) fn version_page_ids(
    backend: DbBackend,
    project_id: Uuid,
    query: &VersionQuery,
    page: &Page,
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

/// A whole page of a version list in one statement, on PostgreSQL, for a
/// page without a token: one pass over the matches counts them all
/// (`total`) and gathers, sorted, the ids of those at or before `hint` in
/// the list's order (all of them without a hint; `near` says how many);
/// then the page's slice of those ids (`limit + 1` of them, to tell whether
/// more follow) is read by primary key with its details, in the list's
/// order. With no row in the slice, one row carries the counts and no
/// version.
///
/// A window count (`version_page_ids`) costs PostgreSQL about as much per
/// match again as the count itself, and a second statement for the details
/// as much again at a thousand versions. This page costs 1.1 to 1.5 times
/// the project's `COUNT` alone from a hint (`hints.rs`), 1.5 to 2.1 times
/// without one (docs/performance.md).
pub(super) fn version_page(
    lookups: Lookups,
    project_id: Uuid,
    query: &VersionQuery,
    page: &Page,
    hint: Option<&Cursor>,
) -> SelectStatement {
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
    gathered
        .expr_as(Expr::col(Asterisk).count(), Alias::new("total"))
        .expr_as(ids, Alias::new("ids"));

    // Array subscripts are `integer`; a slice past the end is empty.
    let subscript = |n: u64| i32::try_from(n).unwrap_or(i32::MAX);
    let first = subscript(page.offset.saturating_add(1));
    let last = subscript(page.offset.saturating_add(page.limit).saturating_add(1));
    let gathered_ids = Expr::col((Alias::new("page"), Alias::new("ids")));
    // The page's slice of the ids, a row each.
    let mut slice = Query::select();
    slice.expr_as(
        Expr::cust_with_exprs(
            // sea-query reads `[...]` in a template as a quoted name: the
            // brackets go in as expressions of their own.
            "unnest($1 $2 $3 : $4 $5)",
            [
                gathered_ids.clone(),
                Expr::cust("["),
                Expr::val(first),
                Expr::val(last),
                Expr::cust("]"),
            ],
        ),
        Alias::new("id"),
    );
    let mut q = Query::select();
    q.from_subquery(gathered, Alias::new("page"))
        .expr_as(
            Expr::col((Alias::new("page"), Alias::new("total"))),
            Alias::new("total"),
        )
        .expr_as(
            Expr::cust_with_exprs("COALESCE(cardinality($1), 0)::bigint", [gathered_ids]),
            Alias::new("near"),
        )
        .join_lateral(
            JoinType::LeftJoin,
            slice,
            Alias::new("slice"),
            Expr::cust("TRUE"),
        );
    // Each of them found by primary key, one lookup each. (With
    // `id = ANY(slice)` a planner without statistics, on a table never
    // analyzed, read the whole table instead: docs/performance.md.)
    join_version_by_id(
        &mut q,
        DbBackend::Postgres,
        v(),
        Expr::col((Alias::new("slice"), Alias::new("id"))),
    );
    select_version(&mut q, V, "", lookups);
    q.order_by((v(), column), order.clone())
        .order_by((v(), version::Column::Id), order);
    q
}

/// How a list reaches its versions: through its model, found by key, or
/// through the project's models.
fn reach_of(filter: &VersionFilter) -> Reach {
    match filter.registered_model_id {
        Some(_) => Reach::ByPrimaryKey,
        None => Reach::ByProjectIndex,
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

//! Queries on `model_registry_registered_model`.

use chrono::{DateTime, Utc};
use entity::{
    model_registry_model_version as version, model_registry_registered_model as model,
    organization_region as region, tenant_user as user,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityName, EntityTrait, FromQueryResult,
    Iterable, QueryFilter, QueryResult,
    sea_query::{
        Alias, Asterisk, Expr, ExprTrait, Func, JoinType, LikeExpr, LockType, Order, Query,
        SelectStatement,
    },
};
use uuid::Uuid;

use super::{
    errors::name_taken_as,
    records::{ModelDetails, labels_to_stored, model_record, tags_to_stored},
    sql::{
        ID_SLOT, Lookups, PROJECT_SLOT, Reach, Rendered, Sql, after_cursor, coalesce_empty,
        escape_like, get, has_label, has_tag, ids_as_parameters, in_project, insert_row,
        join_version_by_id, list_page, padded_ids, select_version, sql_order,
    },
    versions::decode_joined_version,
};
use crate::domain::{
    Error, Listed, Model, ModelChanges, ModelFilter, ModelLookup, ModelQuery, ModelSortBy, Page,
    Resource, SortOrder, State, Text,
};

/// The models table, on the pool or in a transaction.
pub struct ModelTable<'a, C> {
    conn: &'a C,
    sql: &'a Sql,
}

const M: &str = "m";

fn m() -> Alias {
    Alias::new(M)
}

/// The chosen models, as the outer query of `models_with_details` sees them.
fn p() -> Alias {
    Alias::new("p")
}

/// The models a request chose, as plain rows: callers add the filters,
/// the order and the page, so that the details below are looked up for
/// the page's rows only (a sort never carries them).
fn chosen_models() -> SelectStatement {
    let mut q = Query::select();
    q.from_as(model::Entity, m());
    for column in model::Column::iter() {
        q.column((m(), column));
    }
    q
}

/// One statement: the chosen models with their version count, their
/// owner's email, their region's name and their latest and default
/// versions. `rows` is at most how many `chosen` yields; `sort` repeats
/// its order for the outer rows.
///
/// Three layers, so that every lookup is an index probe for the page's
/// rows only: `chosen` pages the plain rows; `p` adds, per row, the
/// version count and the ids of the latest and default versions (its
/// LIMIT also keeps PostgreSQL from merging it into the outer query,
/// which would turn the joins below into hash joins over every
/// version); the outer query joins those versions by primary key.
fn models_with_details(
    backend: DbBackend,
    lookups: Lookups,
    chosen: SelectStatement,
    rows: u64,
    sort: Option<(model::Column, Order)>,
) -> SelectStatement {
    let page = Alias::new("page");

    let mut count = Query::select();
    count
        .expr(Expr::col(Asterisk).count())
        .from_as(version::Entity, Alias::new("c"))
        .and_where(
            Expr::col((Alias::new("c"), version::Column::RegisteredModelId))
                .equals((page.clone(), model::Column::Id)),
        );
    // The newest version; `id` breaks ties of `created_at`.
    let mut latest = Query::select();
    latest
        .column((Alias::new("x"), version::Column::Id))
        .from_as(version::Entity, Alias::new("x"))
        .and_where(
            Expr::col((Alias::new("x"), version::Column::RegisteredModelId))
                .equals((page.clone(), model::Column::Id)),
        )
        .order_by((Alias::new("x"), version::Column::CreatedAt), Order::Desc)
        .order_by((Alias::new("x"), version::Column::Id), Order::Desc)
        .limit(1);
    // The default version. There is at most one; should the table hold
    // two (written by someone else), the last updated wins rather than
    // the model appearing twice.
    let mut default = Query::select();
    default
        .column((Alias::new("y"), version::Column::Id))
        .from_as(version::Entity, Alias::new("y"))
        .and_where(
            Expr::col((Alias::new("y"), version::Column::RegisteredModelId))
                .equals((page.clone(), model::Column::Id)),
        )
        .and_where(Expr::col((Alias::new("y"), version::Column::IsDefault)).eq(true))
        .order_by((Alias::new("y"), version::Column::UpdatedAt), Order::Desc)
        .order_by((Alias::new("y"), version::Column::Id), Order::Desc)
        .limit(1);
    let mut with_ids = Query::select();
    with_ids.from_subquery(chosen, page.clone());
    for column in model::Column::iter() {
        with_ids.column((page.clone(), column));
    }
    with_ids
        .expr_as(count, Alias::new("version_count"))
        .expr_as(latest, Alias::new("latest_id"))
        .expr_as(default, Alias::new("default_id"))
        .limit(Ord::max(rows, 1));

    let mut q = Query::select();
    q.from_subquery(with_ids, p());
    for column in model::Column::iter() {
        q.column((p(), column));
    }
    q.column((p(), Alias::new("version_count")));
    lookup_column(
        &mut q,
        lookups.users,
        user::Entity,
        "owner",
        (user::Column::Id, model::Column::OwnerId),
        user::Column::Email,
        "owner_email",
    );
    lookup_column(
        &mut q,
        lookups.regions,
        region::Entity,
        "region",
        (region::Column::Id, model::Column::RegionId),
        region::Column::Name,
        "region_name",
    );
    for (table, id) in [("lv", "latest_id"), ("dv", "default_id")] {
        join_version_by_id(
            &mut q,
            backend,
            Alias::new(table),
            Expr::col((p(), Alias::new(id))),
        );
        select_version(&mut q, table, &format!("{table}_"), lookups);
    }
    if let Some((column, order)) = sort {
        q.order_by((p(), column), order.clone())
            .order_by((p(), model::Column::Id), order);
    }
    q
}

/// The statement of `GET /models/{id}`.
pub(super) fn model_by_id(
    backend: DbBackend,
    lookups: Lookups,
    project_id: Uuid,
    id: Uuid,
) -> SelectStatement {
    let mut chosen = chosen_models();
    chosen
        .and_where(Expr::col((m(), model::Column::Id)).eq(id))
        .and_where(in_project(m(), project_id, Reach::ByPrimaryKey));
    models_with_details(backend, lookups, chosen, 1, None)
}

/// The statement of `GET /model?name=&externalId=`.
fn model_by(
    backend: DbBackend,
    lookups: Lookups,
    project_id: Uuid,
    lookup: &ModelLookup,
) -> SelectStatement {
    let mut chosen = chosen_models();
    let reach = match &lookup.name {
        // The unique (project_id, name) index finds it.
        Some(name) => {
            chosen.and_where(Expr::col((m(), model::Column::Name)).eq(name.as_str()));
            Reach::ByProjectIndex
        }
        None => Reach::ByPrimaryKey,
    };
    chosen.and_where(in_project(m(), project_id, reach));
    if let Some(id) = lookup.id {
        chosen.and_where(Expr::col((m(), model::Column::Id)).eq(id));
    }
    // A name is unique in a project, and an id anywhere: one row at most.
    models_with_details(backend, lookups, chosen, 1, None)
}

/// The first statement of `GET /models`: the ids of the page, in order
/// (and the next one's, which tells whether more follow), each with the
/// number of all matches (the envelope's `total`, counted apart from the
/// keyset condition).
pub(super) fn model_page_ids(
    backend: DbBackend,
    project_id: Uuid,
    query: &ModelQuery,
    page: &Page,
) -> SelectStatement {
    let mut q = Query::select();
    q.column((m(), model::Column::Id))
        .expr_as(
            count_models(backend, project_id, &query.filter),
            Alias::new("total"),
        )
        .from_as(model::Entity, m());
    apply_model_filter(&mut q, backend, project_id, &query.filter);
    let (sort_column, order) = model_order(query.sort_by, query.order);
    if let Some(cursor) = &page.after {
        q.and_where(after_cursor(m(), sort_column, &order, cursor));
    }
    q.order_by((m(), sort_column), order.clone())
        .order_by((m(), model::Column::Id), order)
        .limit(page.limit.saturating_add(1))
        .offset(page.offset);
    q
}

/// The second statement of `GET /models`: the page's models with their
/// details, in the page's order.
pub(super) fn models_by_ids(
    backend: DbBackend,
    lookups: Lookups,
    ids: &[Uuid],
    sort_by: ModelSortBy,
    order: SortOrder,
) -> SelectStatement {
    // The ids come from the first statement, which is confined to the
    // project, and a model never changes project. Repeating the project
    // here led SQLite to scan the project's models rather than probe the
    // primary key.
    let ids = padded_ids(ids);
    let rows = ids.len() as u64;
    let mut chosen = chosen_models();
    chosen.and_where(Expr::col((m(), model::Column::Id)).is_in(ids));
    models_with_details(
        backend,
        lookups,
        chosen,
        rows,
        Some(model_order(sort_by, order)),
    )
}

impl<'a, C: ConnectionTrait> ModelTable<'a, C> {
    pub(super) fn new(conn: &'a C, sql: &'a Sql) -> Self {
        ModelTable { conn, sql }
    }

    /// A model of the project, by id.
    pub async fn get(&self, project_id: Uuid, id: Uuid) -> Result<Option<Model>, Error> {
        let sql = self.sql;
        let read = sql.reads.model_by_id.get_or_init(|| {
            let statement = model_by_id(sql.backend, sql.lookups, PROJECT_SLOT, ID_SLOT);
            Rendered::new(sql.backend, &statement)
        });
        let read = read.bind(project_id, id, None);
        let row = self.conn.query_one_raw(read).await?;
        Ok(row.map(|row| decode_model(&row)).transpose()?)
    }

    /// A model of the project, by exact name and/or id.
    pub async fn find(
        &self,
        project_id: Uuid,
        lookup: &ModelLookup,
    ) -> Result<Option<Model>, Error> {
        let q = model_by(self.sql.backend, self.sql.lookups, project_id, lookup);
        let row = self.conn.query_one(&q).await?;
        Ok(row.map(|row| decode_model(&row)).transpose()?)
    }

    /// A page of models: the page's ids with the number of all matches,
    /// then the page's rows with their details, by primary key. (As one
    /// statement, PostgreSQL planned the whole join again for every LIMIT
    /// and OFFSET, which cost more than running it.)
    pub async fn list(
        &self,
        project_id: Uuid,
        query: &ModelQuery,
        page: &Page,
    ) -> Result<Listed<Model>, Error> {
        let (backend, lookups) = (self.sql.backend, self.sql.lookups);
        let ids = model_page_ids(backend, project_id, query, page);
        let count = || count_models(backend, project_id, &query.filter);
        let details = |ids: &[Uuid]| {
            ids_as_parameters(
                backend,
                &models_by_ids(backend, lookups, ids, query.sort_by, query.order),
            )
        };
        Ok(list_page(self.conn, page, &ids, count, details, decode_model).await?)
    }

    /// Whether the project has this model.
    pub async fn exists(&self, project_id: Uuid, id: Uuid) -> Result<bool, Error> {
        let mut q = Query::select();
        q.column(model::Column::Id)
            .from_as(model::Entity, m())
            .and_where(Expr::col((m(), model::Column::Id)).eq(id))
            .and_where(in_project(m(), project_id, Reach::ByPrimaryKey));
        Ok(self.conn.query_one(&q).await?.is_some())
    }

    /// Locks a model of the project for the rest of the transaction (on
    /// SQLite the transaction already holds the write lock) and returns its
    /// state; `None` when the project has no such model.
    pub async fn lock(&self, project_id: Uuid, id: Uuid) -> Result<Option<State>, Error> {
        let mut q = Query::select();
        q.column(model::Column::State)
            .from_as(model::Entity, m())
            .and_where(Expr::col((m(), model::Column::Id)).eq(id))
            .and_where(in_project(m(), project_id, Reach::ByPrimaryKey))
            .lock(LockType::Update);
        let row = self.conn.query_one(&q).await?;
        let state = row.map(|row| get::<String>(&row, "state")).transpose()?;
        Ok(state.as_deref().map(State::from_stored))
    }

    /// Inserts `new`, a whole model as the registry made it. With a parent,
    /// only if the parent is a model of the same project: the check is part
    /// of the insert. Returns the model as stored, its region's name looked
    /// up, or `None` when the parent check refused it.
    pub async fn insert(&self, new: Model) -> Result<Option<Model>, Error> {
        let row = model::Model {
            id: new.id,
            created_at: new.created_at.fixed_offset(),
            updated_at: new.updated_at.fixed_offset(),
            project_id: new.project_id,
            owner_id: new.owner_id,
            name: new.name.clone(),
            slug: new.slug.clone(),
            description: new.description.clone(),
            region_id: new.region_id,
            model_type: new.model_type.clone(),
            model_size: new.model_size,
            state: new.state.as_str().into(),
            deployment_status: new.deployment_status.as_str().into(),
            tags: tags_to_stored(&new.tags),
            labels: labels_to_stored(&new.labels),
            parent_model_id: new.parent_model_id,
        };
        let parent_is_the_projects = new.parent_model_id.map(|parent| {
            let mut q = Query::select();
            q.expr(Expr::val(1))
                .from_as(model::Entity, m())
                .and_where(Expr::col((m(), model::Column::Id)).eq(parent))
                .and_where(in_project(m(), new.project_id, Reach::ByPrimaryKey));
            Expr::exists(q)
        });
        let insert = insert_row(&row, parent_is_the_projects)?;
        let inserted = self
            .conn
            .execute(&insert)
            .await
            .map_err(name_taken_as(Resource::Model))?;
        if inserted.rows_affected() != 1 {
            return Ok(None);
        }
        let region_name = self.region_name(new.region_id).await?;
        Ok(Some(Model { region_name, ..new }))
    }

    /// The name of a region in CMP's table, `""` when unknown.
    async fn region_name(&self, region_id: Uuid) -> Result<String, DbErr> {
        if !self.sql.lookups.regions {
            return Ok(String::new());
        }
        let mut q = Query::select();
        q.column(region::Column::Name)
            .from(region::Entity)
            .and_where(region::Column::Id.eq(region_id));
        let row = self.conn.query_one(&q).await?;
        Ok(row
            .map(|row| get::<String>(&row, "name"))
            .transpose()?
            .unwrap_or_default())
    }

    /// Applies the changes, and `slug` with them, in one statement, so that
    /// two PATCHes of different fields both survive. Returns whether the
    /// model exists in the project.
    pub async fn update(
        &self,
        project_id: Uuid,
        id: Uuid,
        changes: ModelChanges,
        slug: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<bool, Error> {
        let mut update = Query::update();
        update
            .table(model::Entity)
            .value(model::Column::UpdatedAt, now.fixed_offset())
            .and_where(model::Column::Id.eq(id))
            .and_where(in_project(
                Alias::new(model::Entity.table_name()),
                project_id,
                Reach::ByPrimaryKey,
            ));
        let ModelChanges {
            name,
            description,
            model_type,
            model_size,
            state,
            deployment_status,
            tags,
            labels,
        } = changes;
        let strings = [
            (model::Column::Name, name.map(|n| n.into_inner())),
            (model::Column::Slug, slug),
            (model::Column::Description, description.map(String::from)),
            (model::Column::ModelType, model_type.map(String::from)),
            (model::Column::State, state.map(|s| s.as_str().into())),
            (
                model::Column::DeploymentStatus,
                deployment_status.map(|s| s.as_str().into()),
            ),
        ];
        for (column, value) in strings {
            if let Some(value) = value {
                update.value(column, value);
            }
        }
        if let Some(size) = model_size {
            update.value(model::Column::ModelSize, size);
        }
        if let Some(tags) = tags {
            update.value(model::Column::Tags, tags_to_stored(&tags));
        }
        if let Some(labels) = labels {
            update.value(model::Column::Labels, labels_to_stored(&labels));
        }
        let updated = self
            .conn
            .execute(&update)
            .await
            .map_err(name_taken_as(Resource::Model))?;
        Ok(updated.rows_affected() > 0)
    }

    /// Deletes a model (which the caller has locked) and its versions.
    pub async fn delete(&self, id: Uuid) -> Result<(), Error> {
        // CMP's tables have no cascade in the database (Django emulates
        // it); the versions go explicitly, on every database.
        version::Entity::delete_many()
            .filter(version::Column::RegisteredModelId.eq(id))
            .exec(self.conn)
            .await?;
        // Its children lose their parent, as CMP's `on_delete=SET_NULL`
        // does: a pointer to a deleted model would name nothing (and CMP's
        // foreign key refuses to keep one).
        model::Entity::update_many()
            .col_expr(
                model::Column::ParentModelId,
                Expr::value(Option::<Uuid>::None),
            )
            .filter(model::Column::ParentModelId.eq(id))
            .exec(self.conn)
            .await?;
        model::Entity::delete_by_id(id).exec(self.conn).await?;
        Ok(())
    }
}

/// Joins a lookup table under `alias` and selects `COALESCE(alias.value,
/// '') AS name`, or `'' AS name` when the table does not exist.
fn lookup_column<E: EntityTrait>(
    q: &mut SelectStatement,
    exists: bool,
    table: E,
    alias: &str,
    (key, foreign): (E::Column, model::Column),
    value: E::Column,
    name: &str,
) {
    if exists {
        q.join_as(
            JoinType::LeftJoin,
            table,
            Alias::new(alias),
            Expr::col((Alias::new(alias), key)).equals((p(), foreign)),
        );
        q.expr_as(coalesce_empty((Alias::new(alias), value)), Alias::new(name));
    } else {
        q.expr_as(Expr::val(""), Alias::new(name));
    }
}

/// `COUNT(*)` of the models a filter matches.
fn count_models(backend: DbBackend, project_id: Uuid, filter: &ModelFilter) -> SelectStatement {
    let mut count = Query::select();
    count
        .expr(Expr::col(Asterisk).count())
        .from_as(model::Entity, m());
    apply_model_filter(&mut count, backend, project_id, filter);
    count
}

fn apply_model_filter(
    q: &mut SelectStatement,
    backend: DbBackend,
    project_id: Uuid,
    filter: &ModelFilter,
) {
    q.and_where(in_project(m(), project_id, Reach::ByProjectIndex));
    if let Some(state) = filter.state {
        q.and_where(Expr::col((m(), model::Column::State)).eq(state.as_str()));
    }
    if let Some(model_type) = &filter.model_type {
        q.and_where(Expr::col((m(), model::Column::ModelType)).eq(model_type.as_str()));
    }
    for label in &filter.labels {
        q.and_where(has_label(
            backend,
            Expr::col((m(), model::Column::Labels)),
            label,
        ));
    }
    for tag in &filter.tags {
        q.and_where(has_tag(backend, Expr::col((m(), model::Column::Tags)), tag));
    }
    if let Some(search) = filter.search.as_ref().map(Text::as_str) {
        let name = Expr::col((m(), model::Column::Name));
        if backend == DbBackend::Sqlite {
            // SQLite's LIKE and lower() fold ASCII letters only; a
            // case-insensitive expression folds every letter, as
            // PostgreSQL's lower() does, so both find the same models.
            let pattern = format!("(?i){}", regex::escape(search));
            // (SQLite's builder marks a custom expression's operands `?`.)
            q.and_where(Expr::cust_with_exprs(
                "? REGEXP ?",
                [name, Expr::val(pattern)],
            ));
        } else {
            let pattern = format!("%{}%", escape_like(&search.to_lowercase()));
            q.and_where(Expr::expr(Func::lower(name)).like(LikeExpr::new(pattern).escape('\\')));
        }
    }
}

/// The column a model list is sorted by, and in which direction; `id`
/// breaks ties.
fn model_order(sort_by: ModelSortBy, order: SortOrder) -> (model::Column, Order) {
    let column = match sort_by {
        ModelSortBy::CreatedAt => model::Column::CreatedAt,
        ModelSortBy::UpdatedAt => model::Column::UpdatedAt,
        ModelSortBy::Name => model::Column::Name,
        ModelSortBy::ModelSize => model::Column::ModelSize,
    };
    (column, sql_order(order))
}

fn decode_model(row: &QueryResult) -> Result<Model, DbErr> {
    let details = ModelDetails {
        owner_email: get(row, "owner_email")?,
        region_name: get(row, "region_name")?,
        version_count: get(row, "version_count")?,
        latest_version: decode_joined_version(row, "lv_")?,
        default_version: decode_joined_version(row, "dv_")?,
    };
    Ok(model_record(
        model::Model::from_query_result(row, "")?,
        details,
    ))
}

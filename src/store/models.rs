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
    Cursor, Listed, Page, PageIds, SortKey, Store, VersionRecord, after_cursor, coalesce_empty,
    count_rows, escape_like, get, has_label, has_tag, insert_row, of_project, padded_ids,
    page_of_ids, select_version,
};
use crate::api::types::{DeploymentStatus, ModelSortBy, SortOrder, State, VersionStatus};

/// A model as the API shows it: the row, its lookups and its versions.
#[derive(Clone)]
pub struct ModelRecord {
    pub model: model::Model,
    pub owner_email: String,
    pub region_name: String,
    pub version_count: i64,
    pub latest_version: Option<VersionRecord>,
    pub default_version: Option<VersionRecord>,
}

impl ModelRecord {
    /// The model's place in a list sorted by `sort_by`.
    pub fn cursor(&self, sort_by: ModelSortBy) -> Cursor {
        let model = &self.model;
        let key = match sort_by {
            ModelSortBy::CreatedAt => SortKey::Time(model.created_at.to_utc()),
            ModelSortBy::UpdatedAt => SortKey::Time(model.updated_at.to_utc()),
            ModelSortBy::Name => SortKey::Text(model.name.clone()),
            ModelSortBy::ModelSize => SortKey::Number(model.model_size),
        };
        Cursor { key, id: model.id }
    }
}

/// The few columns the rules need about a model they are about to change.
pub struct ModelRow {
    pub id: Uuid,
    pub state: String,
}

/// A model to insert; the rules have filled in every column.
pub struct NewModel {
    pub id: Uuid,
    pub project_id: Uuid,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub region_id: Uuid,
    pub model_type: String,
    pub tags: serde_json::Value,
    pub labels: serde_json::Value,
    pub parent_model_id: Option<Uuid>,
    pub now: DateTime<Utc>,
}

/// Filters of `GET /models`.
#[derive(Debug, Default)]
pub struct ModelFilter {
    pub state: Option<State>,
    pub model_type: Option<String>,
    pub search: Option<String>,
    /// Labels every model must have: `(key, value)`.
    pub labels: Vec<(String, String)>,
    /// Tags every model must have: `(array, value)`, the array one of the
    /// four.
    pub tags: Vec<(&'static str, String)>,
}

/// Changes to a model's columns; `None` leaves a column as it is.
#[derive(Debug, Default)]
pub struct ModelChanges {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub description: Option<String>,
    pub model_type: Option<String>,
    pub model_size: Option<i64>,
    pub state: Option<String>,
    pub deployment_status: Option<String>,
    pub tags: Option<serde_json::Value>,
    pub labels: Option<serde_json::Value>,
}

impl ModelChanges {
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.slug.is_none()
            && self.description.is_none()
            && self.model_type.is_none()
            && self.model_size.is_none()
            && self.state.is_none()
            && self.deployment_status.is_none()
            && self.tags.is_none()
            && self.labels.is_none()
    }
}

const M: &str = "m";

fn m() -> Alias {
    Alias::new(M)
}

/// The chosen models, as the outer query of `models_with_details` sees them.
fn p() -> Alias {
    Alias::new("p")
}

impl Store {
    /// The models a request chose, as plain rows: callers add the filters,
    /// the order and the page, so that the details below are looked up for
    /// the page's rows only (a sort never carries them).
    fn chosen_models(&self) -> SelectStatement {
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
        &self,
        chosen: SelectStatement,
        rows: u64,
        sort: Option<(model::Column, Order)>,
    ) -> SelectStatement {
        let lookups = self.lookups;
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
            q.join_as(
                JoinType::LeftJoin,
                version::Entity,
                Alias::new(table),
                Expr::col((Alias::new(table), version::Column::Id)).equals((p(), Alias::new(id))),
            );
            select_version(&mut q, table, &format!("{table}_"), lookups);
        }
        if let Some((column, order)) = sort {
            q.order_by((p(), column), order.clone())
                .order_by((p(), model::Column::Id), order);
        }
        q
    }

    pub async fn find_model(
        &self,
        conn: &impl ConnectionTrait,
        project_id: Uuid,
        id: Uuid,
    ) -> Result<Option<ModelRecord>, DbErr> {
        let row = conn
            .query_one_raw(self.reads().model_by_id.bind(project_id, id, None))
            .await?;
        row.map(|row| decode_model(&row)).transpose()
    }

    /// The statement of `GET /models/{id}`.
    pub fn model_by_id(&self, project_id: Uuid, id: Uuid) -> SelectStatement {
        let mut chosen = self.chosen_models();
        chosen
            .and_where(Expr::col((m(), model::Column::Id)).eq(id))
            .and_where(of_project(m(), project_id));
        self.models_with_details(chosen, 1, None)
    }

    /// `GET /model?name=&externalId=`: exact name and/or id.
    pub async fn find_model_by(
        &self,
        conn: &impl ConnectionTrait,
        project_id: Uuid,
        name: Option<&str>,
        id: Option<Uuid>,
    ) -> Result<Option<ModelRecord>, DbErr> {
        let mut chosen = self.chosen_models();
        match name {
            // The unique (project_id, name) index finds it.
            Some(name) => chosen
                .and_where(Expr::col((m(), model::Column::ProjectId)).eq(project_id))
                .and_where(Expr::col((m(), model::Column::Name)).eq(name)),
            None => chosen.and_where(of_project(m(), project_id)),
        };
        if let Some(id) = id {
            chosen.and_where(Expr::col((m(), model::Column::Id)).eq(id));
        }
        // A name is unique in a project, and an id anywhere: one row at most.
        let row = conn
            .query_one(&self.models_with_details(chosen, 1, None))
            .await?;
        row.map(|row| decode_model(&row)).transpose()
    }

    /// A page of models in two statements, each planned cheaply or once:
    /// the page's ids with the number of all matches, then the page's rows
    /// with their details, by primary key. (As one statement, PostgreSQL
    /// planned the whole join again for every LIMIT and OFFSET, which cost
    /// more than running it.)
    pub async fn list_models(
        &self,
        conn: &impl ConnectionTrait,
        project_id: Uuid,
        filter: &ModelFilter,
        sort_by: ModelSortBy,
        order: SortOrder,
        page: &Page,
    ) -> Result<Listed<ModelRecord>, DbErr> {
        let ids = self.model_page_ids(project_id, filter, sort_by, order, page);
        let backend = self.backend;
        let count = || count_models(backend, project_id, filter);
        let PageIds { ids, total, more } = page_of_ids(conn, &ids, count, page).await?;
        if ids.is_empty() {
            return Ok(Listed {
                items: Vec::new(),
                total,
                more,
            });
        }
        let details = self.models_by_ids(&ids, sort_by, order);
        let items = conn
            .query_all(&details)
            .await?
            .iter()
            .map(decode_model)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Listed { items, total, more })
    }

    /// The first statement of `GET /models`: the ids of the page, in order
    /// (and the next one's, which tells whether more follow), each with the
    /// number of all matches (the envelope's `total`, counted apart from the
    /// keyset condition).
    pub fn model_page_ids(
        &self,
        project_id: Uuid,
        filter: &ModelFilter,
        sort_by: ModelSortBy,
        order: SortOrder,
        page: &Page,
    ) -> SelectStatement {
        let backend = self.backend;
        let mut q = Query::select();
        q.column((m(), model::Column::Id))
            .expr_as(
                count_models(backend, project_id, filter),
                Alias::new("total"),
            )
            .from_as(model::Entity, m());
        apply_model_filter(&mut q, backend, project_id, filter);
        let (sort_column, order) = model_order(sort_by, order);
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
    pub fn models_by_ids(
        &self,
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
        let mut chosen = self.chosen_models();
        chosen.and_where(Expr::col((m(), model::Column::Id)).is_in(ids));
        self.models_with_details(chosen, rows, Some(model_order(sort_by, order)))
    }

    /// Locks a model of the project for the rest of the transaction (on
    /// SQLite the transaction already holds the write lock).
    pub async fn lock_model(
        &self,
        conn: &impl ConnectionTrait,
        project_id: Uuid,
        id: Uuid,
    ) -> Result<Option<ModelRow>, DbErr> {
        let mut q = Query::select();
        q.columns([model::Column::Id, model::Column::State])
            .from_as(model::Entity, m())
            .and_where(Expr::col((m(), model::Column::Id)).eq(id))
            .and_where(of_project(m(), project_id))
            .lock(LockType::Update);
        let row = conn.query_one(&q).await?;
        row.map(|row| {
            Ok(ModelRow {
                id: get(&row, "id")?,
                state: get(&row, "state")?,
            })
        })
        .transpose()
    }

    pub async fn model_exists(
        &self,
        conn: &impl ConnectionTrait,
        project_id: Uuid,
        id: Uuid,
    ) -> Result<bool, DbErr> {
        let mut q = Query::select();
        q.column(model::Column::Id)
            .from_as(model::Entity, m())
            .and_where(Expr::col((m(), model::Column::Id)).eq(id))
            .and_where(of_project(m(), project_id));
        Ok(conn.query_one(&q).await?.is_some())
    }

    /// Inserts a model. With a parent, only if the parent is a model of the
    /// same project: the check is part of the insert. Returns the model as
    /// the API shows it, or `None` when the parent check refused it. A new
    /// model has no owner and no versions: of its details, only its region's
    /// name needs reading.
    pub async fn insert_model(
        &self,
        conn: &impl ConnectionTrait,
        new: NewModel,
    ) -> Result<Option<ModelRecord>, DbErr> {
        let now = new.now.fixed_offset();
        let row = model::Model {
            id: new.id,
            created_at: now,
            updated_at: now,
            project_id: new.project_id,
            owner_id: None,
            name: new.name,
            slug: new.slug,
            description: new.description,
            region_id: new.region_id,
            model_type: new.model_type,
            model_size: 0,
            state: State::Live.as_str().into(),
            deployment_status: DeploymentStatus::Undeployed.as_str().into(),
            tags: new.tags,
            labels: new.labels,
            parent_model_id: new.parent_model_id,
        };
        let parent_is_the_projects = new.parent_model_id.map(|parent| {
            let mut q = Query::select();
            q.expr(Expr::val(1))
                .from_as(model::Entity, m())
                .and_where(Expr::col((m(), model::Column::Id)).eq(parent))
                .and_where(of_project(m(), new.project_id));
            Expr::exists(q)
        });
        let insert = insert_row(&row, parent_is_the_projects)?;
        if conn.execute(&insert).await?.rows_affected() != 1 {
            return Ok(None);
        }
        let region_name = self.region_name(conn, row.region_id).await?;
        Ok(Some(ModelRecord {
            model: row,
            owner_email: String::new(),
            region_name,
            version_count: 0,
            latest_version: None,
            default_version: None,
        }))
    }

    /// The name of a region in CMP's table, `""` when unknown.
    async fn region_name(
        &self,
        conn: &impl ConnectionTrait,
        region_id: Uuid,
    ) -> Result<String, DbErr> {
        if !self.lookups.regions {
            return Ok(String::new());
        }
        let mut q = Query::select();
        q.column(region::Column::Name)
            .from(region::Entity)
            .and_where(region::Column::Id.eq(region_id));
        let row = conn.query_one(&q).await?;
        Ok(row
            .map(|row| get::<String>(&row, "name"))
            .transpose()?
            .unwrap_or_default())
    }

    /// Applies the changes in one statement, so that two PATCHes of different
    /// fields both survive. Returns whether the model exists in the project.
    pub async fn update_model(
        &self,
        conn: &impl ConnectionTrait,
        project_id: Uuid,
        id: Uuid,
        changes: ModelChanges,
        now: DateTime<Utc>,
    ) -> Result<bool, DbErr> {
        let mut update = Query::update();
        update
            .table(model::Entity)
            .value(model::Column::UpdatedAt, now.fixed_offset())
            .and_where(model::Column::Id.eq(id))
            .and_where(of_project(
                Alias::new(model::Entity.table_name()),
                project_id,
            ));
        let ModelChanges {
            name,
            slug,
            description,
            model_type,
            model_size,
            state,
            deployment_status,
            tags,
            labels,
        } = changes;
        let strings = [
            (model::Column::Name, name),
            (model::Column::Slug, slug),
            (model::Column::Description, description),
            (model::Column::ModelType, model_type),
            (model::Column::State, state),
            (model::Column::DeploymentStatus, deployment_status),
        ];
        for (column, value) in strings {
            if let Some(value) = value {
                update.value(column, value);
            }
        }
        if let Some(size) = model_size {
            update.value(model::Column::ModelSize, size);
        }
        for (column, value) in [(model::Column::Tags, tags), (model::Column::Labels, labels)] {
            if let Some(value) = value {
                update.value(column, value);
            }
        }
        Ok(conn.execute(&update).await?.rows_affected() > 0)
    }

    pub async fn count_ready_versions(
        &self,
        conn: &impl ConnectionTrait,
        model_id: Uuid,
    ) -> Result<u64, DbErr> {
        let mut q = Query::select();
        q.expr(Expr::col(Asterisk).count())
            .from(version::Entity)
            .and_where(version::Column::RegisteredModelId.eq(model_id))
            .and_where(version::Column::Status.eq(VersionStatus::Ready.as_str()));
        count_rows(conn, &q).await
    }

    /// Deletes a model and its versions.
    pub async fn delete_model(&self, conn: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr> {
        // CMP's tables have no cascade in the database (Django emulates
        // it); the versions go explicitly, on every database.
        version::Entity::delete_many()
            .filter(version::Column::RegisteredModelId.eq(id))
            .exec(conn)
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
            .exec(conn)
            .await?;
        model::Entity::delete_by_id(id).exec(conn).await?;
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
    q.and_where(Expr::col((m(), model::Column::ProjectId)).eq(project_id));
    if let Some(state) = filter.state {
        q.and_where(Expr::col((m(), model::Column::State)).eq(state.as_str()));
    }
    if let Some(model_type) = &filter.model_type {
        q.and_where(Expr::col((m(), model::Column::ModelType)).eq(model_type.as_str()));
    }
    for (key, value) in &filter.labels {
        q.and_where(has_label(
            backend,
            Expr::col((m(), model::Column::Labels)),
            key,
            value,
        ));
    }
    for (array, value) in &filter.tags {
        q.and_where(has_tag(
            backend,
            Expr::col((m(), model::Column::Tags)),
            array,
            value,
        ));
    }
    if let Some(search) = &filter.search {
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

pub(super) fn sql_order(order: SortOrder) -> Order {
    match order {
        SortOrder::Asc => Order::Asc,
        SortOrder::Desc => Order::Desc,
    }
}

fn decode_model(row: &QueryResult) -> Result<ModelRecord, DbErr> {
    Ok(ModelRecord {
        model: model::Model::from_query_result(row, "")?,
        owner_email: get(row, "owner_email")?,
        region_name: get(row, "region_name")?,
        version_count: get(row, "version_count")?,
        latest_version: VersionRecord::decode_joined(row, "lv_")?,
        default_version: VersionRecord::decode_joined(row, "dv_")?,
    })
}

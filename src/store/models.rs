//! Queries on `model_registry_registered_model`.

use chrono::{DateTime, Utc};
use entity::model_registry_registered_model as model;
use sea_orm::{
    DbBackend, DbErr, FromQueryResult, QueryResult, Statement, Value,
    sea_query::{Alias, Asterisk, Expr, ExprTrait, Order, Query, SelectStatement},
};
use uuid::Uuid;

use super::{
    connection::Writes,
    errors::name_taken_as,
    events::write_with_events,
    filters::{after_cursor, escape_like, get, has_label, has_tag, list_page, pairs, sql_order},
    records::{ModelDetails, labels_to_stored, model_record, tags_to_stored},
    statements::{
        CHILD_MODELS, DELETE_MODEL, DELETE_MODEL_ALIASES, DELETE_MODEL_VERSIONS,
        FIND_MODEL_BY_NAME, GET_MODEL, INSERT_MODEL, LOCK_MODEL, MODEL_EXISTS, MODELS_BY_IDS,
        ORPHAN_CHILD_MODELS, REGION_NAME, Sql, UPDATE_MODEL,
    },
    versions::decode_joined_version,
};
use crate::domain::{
    Error, Model, ModelChanges, ModelFilter, ModelLookup, ModelQuery, ModelSortBy, NewEvent, Page,
    PageBounds, Resource, SortOrder, Spelled, State, Text,
};

/// The models table, on the pool or in a transaction.
pub struct ModelTable<'a, C> {
    conn: &'a C,
    backend: DbBackend,
}

const M: &str = "m";

fn m() -> Alias {
    Alias::new(M)
}

/// The first statement of `GET /models`: the page's ids in order, and the
/// next one's (more follow), each with the number of all matches (counted
/// apart from the keyset condition).
pub(super) fn model_page_ids(
    backend: DbBackend,
    project_id: Uuid,
    query: &ModelQuery,
    page: &PageBounds,
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

impl<'a, C: Writes> ModelTable<'a, C> {
    pub(super) fn new(conn: &'a C, backend: DbBackend) -> Self {
        ModelTable { conn, backend }
    }

    fn bind(&self, sql: &Sql, values: impl IntoIterator<Item = Value>) -> Statement {
        sql.bind(self.backend, values)
    }

    async fn read_one(&self, statement: Statement) -> Result<Option<Model>, Error> {
        let row = self.conn.query_one_raw(statement).await?;
        Ok(row.map(|row| decode_model(&row)).transpose()?)
    }

    /// A model of the project, by id.
    pub async fn get(&self, project_id: Uuid, id: Uuid) -> Result<Option<Model>, Error> {
        self.read_one(self.bind(&GET_MODEL, [id.into(), project_id.into()]))
            .await
    }

    /// A model of the project, by exact name and/or id.
    pub async fn find(
        &self,
        project_id: Uuid,
        lookup: &ModelLookup,
    ) -> Result<Option<Model>, Error> {
        match (&lookup.name, lookup.id) {
            (Some(name), id) => {
                let by_name = self.bind(
                    &FIND_MODEL_BY_NAME,
                    [project_id.into(), name.as_str().into()],
                );
                let found = self.read_one(by_name).await?;
                // A name is unique in its project: an id given too must be its.
                Ok(found.filter(|model| id.is_none_or(|id| model.id == id)))
            }
            (None, Some(id)) => self.get(project_id, id).await,
            (None, None) => Ok(None),
        }
    }

    /// A page of models: the page's ids with the number of all matches,
    /// then the page's rows whole (`filters::list_page`).
    pub async fn list(
        &self,
        project_id: Uuid,
        query: &ModelQuery,
        page: &PageBounds,
    ) -> Result<Page<Model>, Error> {
        let backend = self.backend;
        let ids = model_page_ids(backend, project_id, query, page);
        let count = || count_models(backend, project_id, &query.filter);
        Ok(list_page(self.conn, page, &ids, count, &MODELS_BY_IDS, decode_model).await?)
    }

    /// Whether the project has this model.
    pub async fn exists(&self, project_id: Uuid, id: Uuid) -> Result<bool, Error> {
        let statement = self.bind(&MODEL_EXISTS, [id.into(), project_id.into()]);
        Ok(self.conn.query_one_raw(statement).await?.is_some())
    }

    /// Locks a model of the project for the rest of the transaction (on
    /// SQLite the transaction already holds the write lock) and returns its
    /// state; `None` when the project has no such model.
    pub async fn lock(&self, project_id: Uuid, id: Uuid) -> Result<Option<State>, Error> {
        let statement = self.bind(&LOCK_MODEL, [id.into(), project_id.into()]);
        let row = self.conn.query_one_raw(statement).await?;
        let state = row.map(|row| get::<String>(&row, "state")).transpose()?;
        Ok(state.as_deref().map(State::from_stored))
    }

    /// Locks a model of the project as `lock` does, then reads it whole in
    /// a statement of its own: one statement's snapshot is older than its
    /// wait for the lock, and would miss what the writer before committed.
    pub async fn lock_whole(&self, project_id: Uuid, id: Uuid) -> Result<Option<Model>, Error> {
        if self.lock(project_id, id).await?.is_none() {
            return Ok(None);
        }
        self.get(project_id, id).await
    }

    /// Inserts `new` with its events, only if its parent (if any) is a
    /// model of the same project and its region's name is `region_name`
    /// (checked by the insert); whether it was. On PostgreSQL one
    /// statement; on SQLite, in a transaction.
    pub async fn insert(&self, new: &Model, events: &[NewEvent]) -> Result<bool, Error> {
        let values: [Value; 17] = [
            new.id.into(),
            new.created_at.fixed_offset().into(),
            new.updated_at.fixed_offset().into(),
            new.project_id.into(),
            new.owner_id.into(),
            new.name.as_str().into(),
            new.slug.as_str().into(),
            new.description.as_str().into(),
            new.region_id.into(),
            new.model_type.as_str().into(),
            new.model_size.into(),
            new.state.as_str().into(),
            new.deployment_status.as_str().into(),
            tags_to_stored(&new.tags).into(),
            labels_to_stored(&new.labels).into(),
            new.parent_model_id.into(),
            new.region_name.as_str().into(),
        ];
        let inserted = write_with_events(self.conn, &INSERT_MODEL, events, values)
            .await
            .map_err(name_taken_as(Resource::Model))?;
        Ok(inserted)
    }

    /// The name of a region in CMP's table, `""` when unknown.
    pub async fn region_name(&self, region_id: Uuid) -> Result<String, Error> {
        let row = self
            .conn
            .query_one_raw(self.bind(&REGION_NAME, [region_id.into()]))
            .await?;
        Ok(row
            .map(|row| get::<String>(&row, "name"))
            .transpose()?
            .unwrap_or_default())
    }

    /// Applies the changes, and `slug` with them, with their events, in one
    /// statement, to a model the caller has locked.
    pub async fn update(
        &self,
        id: Uuid,
        changes: ModelChanges,
        slug: Option<String>,
        now: DateTime<Utc>,
        events: &[NewEvent],
    ) -> Result<(), Error> {
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
        let values: [Value; 11] = [
            id.into(),
            now.fixed_offset().into(),
            name.map(|n| n.into_inner()).into(),
            slug.into(),
            description.map(String::from).into(),
            model_type.map(String::from).into(),
            model_size.into(),
            state.map(|s| s.as_str()).into(),
            deployment_status.map(|s| s.as_str()).into(),
            tags.map(|tags| tags_to_stored(&tags)).into(),
            labels.map(|labels| labels_to_stored(&labels)).into(),
        ];
        write_with_events(self.conn, &UPDATE_MODEL, events, values)
            .await
            .map_err(name_taken_as(Resource::Model))?;
        Ok(())
    }

    /// The models whose parent is `id`, as `(project_id, id)`, by id.
    pub async fn children(&self, id: Uuid) -> Result<Vec<(Uuid, Uuid)>, Error> {
        let rows = self
            .conn
            .query_all_raw(self.bind(&CHILD_MODELS, [id.into()]))
            .await?;
        Ok(pairs(&rows, ("project_id", "id"))?)
    }

    /// Deletes a model (which the caller has locked), its aliases and versions, and its
    /// children's pointers to it, with its events.
    pub async fn delete(&self, id: Uuid, events: &[NewEvent]) -> Result<(), Error> {
        for statement in [
            &DELETE_MODEL_ALIASES,
            &DELETE_MODEL_VERSIONS,
            &ORPHAN_CHILD_MODELS,
        ] {
            self.conn
                .execute_raw(self.bind(statement, [id.into()]))
                .await?;
        }
        write_with_events(self.conn, &DELETE_MODEL, events, [id.into()]).await?;
        Ok(())
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
            // Both sides go through the database's own lower(): Rust's
            // differs for some letters (a final sigma), and a name must
            // always find itself.
            let pattern = format!("%{}%", escape_like(search));
            q.and_where(Expr::cust_with_exprs(
                r"lower($1) LIKE lower($2) ESCAPE '\'",
                [name, Expr::val(pattern)],
            ));
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

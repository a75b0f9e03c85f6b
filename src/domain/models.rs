//! Registered models: the record, the commands and the queries.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{
    Cursor, DeploymentStatus, Error, LabelFilter, Labels, ListScope, Listing, ModelSortBy,
    ModelTypeQuery, Name, NameQuery, SortKind, SortOrder, SortValue, Spelled, State, TagFilter,
    Tags, Text, Version,
};

/// A registered model, with its counts and its latest and default versions.
#[derive(Debug, Clone)]
pub struct Model {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub project_id: Uuid,
    pub owner_id: Option<Uuid>,
    /// `""` when unknown.
    pub owner_email: String,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub region_id: Uuid,
    /// `""` when unknown.
    pub region_name: String,
    pub model_type: String,
    pub model_size: i64,
    pub state: State,
    pub deployment_status: DeploymentStatus,
    pub tags: Tags,
    pub labels: Labels,
    pub parent_model_id: Option<Uuid>,
    /// Versions of this model, artifacts included.
    pub version_count: i64,
    /// The newest version by `created_at` (then id).
    pub latest_version: Option<Version>,
    /// The version with `is_default`.
    pub default_version: Option<Version>,
}

impl Model {
    /// The model's place in a list sorted by `sort_by`.
    pub fn cursor(&self, sort_by: ModelSortBy) -> Cursor {
        let key = match sort_by {
            ModelSortBy::CreatedAt => SortValue::Time(self.created_at),
            ModelSortBy::UpdatedAt => SortValue::Time(self.updated_at),
            ModelSortBy::Name => SortValue::Text(self.name.clone()),
            ModelSortBy::ModelSize => SortValue::Number(self.model_size),
        };
        Cursor { key, id: self.id }
    }
}

impl ModelSortBy {
    /// The kind of the column it sorts by.
    pub fn kind(self) -> SortKind {
        match self {
            ModelSortBy::CreatedAt | ModelSortBy::UpdatedAt => SortKind::Time,
            ModelSortBy::Name => SortKind::Text,
            ModelSortBy::ModelSize => SortKind::Number,
        }
    }
}

/// A model to create; what is absent takes the registry's default.
#[derive(Debug)]
pub struct NewModel {
    pub name: Name,
    pub region_id: Uuid,
    pub description: Option<Text>,
    pub model_type: Option<Text<1, 50>>,
    pub tags: Option<Tags>,
    pub labels: Option<Labels>,
    /// Must be a model of the same project.
    pub parent_model_id: Option<Uuid>,
}

/// Changes to a model; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct ModelChanges {
    pub name: Option<Name>,
    pub description: Option<Text>,
    pub model_type: Option<Text<1, 50>>,
    /// Not negative (the API's parameter checks it).
    pub model_size: Option<i64>,
    pub state: Option<State>,
    pub deployment_status: Option<DeploymentStatus>,
    /// Replaces all four arrays.
    pub tags: Option<Tags>,
    /// Replaces the whole map.
    pub labels: Option<Labels>,
}

impl Model {
    /// The model as `changes` leave it at `now` (a new name brings its
    /// slug): what the store's update writes, known without reading it back.
    pub fn changed(&self, changes: &ModelChanges, now: DateTime<Utc>) -> Model {
        let mut model = self.clone();
        if let Some(name) = &changes.name {
            model.name = name.as_str().to_owned();
            model.slug = name.slug();
        }
        if let Some(description) = &changes.description {
            model.description = description.as_str().to_owned();
        }
        if let Some(model_type) = &changes.model_type {
            model.model_type = model_type.as_str().to_owned();
        }
        model.model_size = changes.model_size.unwrap_or(model.model_size);
        model.state = changes.state.unwrap_or(model.state);
        model.deployment_status = changes.deployment_status.unwrap_or(model.deployment_status);
        if let Some(tags) = &changes.tags {
            model.tags = tags.clone();
        }
        if let Some(labels) = &changes.labels {
            model.labels = labels.clone();
        }
        model.updated_at = now;
        model
    }
}

impl ModelChanges {
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.description.is_none()
            && self.model_type.is_none()
            && self.model_size.is_none()
            && self.state.is_none()
            && self.deployment_status.is_none()
            && self.tags.is_none()
            && self.labels.is_none()
    }
}

/// `GET /model`: a model by exact name, by id, or both; one of them is
/// required.
#[derive(Debug)]
pub struct ModelLookup {
    pub name: Option<NameQuery>,
    pub id: Option<Uuid>,
}

impl ModelLookup {
    pub fn new(name: Option<NameQuery>, id: Option<Uuid>) -> Result<Self, Error> {
        if name.is_none() && id.is_none() {
            return Err(Error::invalid("name or externalId is required"));
        }
        Ok(ModelLookup { name, id })
    }
}

/// Filters of the model list.
#[derive(Debug, Default)]
pub struct ModelFilter {
    pub state: Option<State>,
    pub model_type: Option<ModelTypeQuery>,
    /// A case-insensitive substring of the name, matched literally.
    pub search: Option<NameQuery>,
    /// Labels every model must have.
    pub labels: Vec<LabelFilter>,
    /// Tags every model must have.
    pub tags: Vec<TagFilter>,
}

/// A model list: its filters and its order.
#[derive(Debug)]
pub struct ModelQuery {
    pub filter: ModelFilter,
    pub sort_by: ModelSortBy,
    pub order: SortOrder,
}

impl ModelQuery {
    /// Newest first unless told; the same filters in any order make the
    /// same list (and its page tokens).
    pub fn new(
        mut filter: ModelFilter,
        sort_by: Option<ModelSortBy>,
        order: Option<SortOrder>,
    ) -> Self {
        filter.labels.sort();
        filter.tags.sort();
        ModelQuery {
            filter,
            sort_by: sort_by.unwrap_or(ModelSortBy::CreatedAt),
            order: order.unwrap_or(SortOrder::Desc),
        }
    }

    /// The list this query makes in `project`, for its page tokens.
    pub fn list_scope(&self, project: Uuid) -> ListScope {
        let filter = &self.filter;
        let mut key = ListScope::new(Listing::Models, project, self.sort_by.kind())
            .with(Some(self.sort_by.as_str()))
            .with(Some(self.order.as_str()))
            .with(filter.state.map(State::as_str))
            .with(filter.model_type.as_ref().map(Text::as_str))
            .with(filter.search.as_ref().map(Text::as_str));
        for label in &filter.labels {
            key = key
                .with(Some("label"))
                .with(Some(&label.key))
                .with(Some(&label.value));
        }
        for tag in &filter.tags {
            key = key
                .with(Some("tag"))
                .with(Some(tag.array))
                .with(Some(&tag.value));
        }
        key
    }
}

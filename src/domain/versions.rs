//! Versions, and artifacts, which are versions seen through a narrower
//! window: the record, the commands and the queries.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{
    Cursor, Error, LabelFilter, Labels, ListScope, Listing, Name, NameQuery, SortKind, SortOrder,
    SortValue, Spelled, State, Text, VersionSortBy, VersionStatus,
};

/// A version of a registered model. Its secrets are never read back.
#[derive(Debug, Clone)]
pub struct Version {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub registered_model_id: Uuid,
    pub name: String,
    pub description: String,
    pub is_default: bool,
    pub state: State,
    pub status: VersionStatus,
    pub created_by_id: Option<Uuid>,
    pub updated_by_id: Option<Uuid>,
    /// `""` when unknown.
    pub created_by_email: String,
    /// `""` when unknown.
    pub updated_by_email: String,
    pub artifact_type: String,
    pub model_framework: String,
    pub model_framework_version: String,
    pub container_image: String,
    pub model_catalog_name: String,
    pub uri: String,
    pub labels: Labels,
    pub prebuilt_container_id: Option<Uuid>,
    /// The names of the aliases that name it, sorted.
    pub aliases: Vec<String>,
}

impl Version {
    /// The version's place in a list sorted by `sort_by`.
    pub fn cursor(&self, sort_by: VersionSortBy) -> Cursor {
        let key = match sort_by {
            VersionSortBy::CreatedAt => SortValue::Time(self.created_at),
            VersionSortBy::UpdatedAt => SortValue::Time(self.updated_at),
            VersionSortBy::Name => SortValue::Text(self.name.clone()),
        };
        Cursor { key, id: self.id }
    }
}

impl VersionSortBy {
    /// The kind of the column it sorts by.
    pub fn kind(self) -> SortKind {
        match self {
            VersionSortBy::CreatedAt | VersionSortBy::UpdatedAt => SortKind::Time,
            VersionSortBy::Name => SortKind::Text,
        }
    }
}

/// A version (or artifact) to create; what is absent takes the registry's
/// default.
#[derive(Debug)]
pub struct NewVersion {
    pub name: Name,
    pub model_framework: Text<1, 100>,
    pub model_framework_version: Text<1, 50>,
    pub uri: Text<1, 500>,
    pub description: Option<Text>,
    /// Makes this the model's one default version.
    pub is_default: bool,
    pub artifact_type: Option<Text<1, 50>>,
    pub container_image: Option<Text<0, 500>>,
    pub model_catalog_name: Option<Text<0, 200>>,
    /// Written, never read back.
    pub access_key: Option<Text<0, 500>>,
    /// Written, never read back.
    pub secret_key: Option<Text<0, 500>>,
    pub labels: Option<Labels>,
    pub prebuilt_container_id: Option<Uuid>,
}

/// Changes to a version; `None` leaves a field as it is.
#[derive(Debug, Default, Clone)]
pub struct VersionChanges {
    pub name: Option<Name>,
    pub description: Option<Text>,
    /// `true` makes this the model's one default version.
    pub is_default: Option<bool>,
    pub state: Option<State>,
    pub status: Option<VersionStatus>,
    pub artifact_type: Option<Text<1, 50>>,
    pub model_framework: Option<Text<1, 100>>,
    pub model_framework_version: Option<Text<1, 50>>,
    pub container_image: Option<Text<0, 500>>,
    pub uri: Option<Text<1, 500>>,
    /// Replaces the whole map.
    pub labels: Option<Labels>,
}

impl Version {
    /// The version as `changes` leave it at `now`: what the store's update
    /// writes, known without reading it back.
    pub fn changed(&self, changes: &VersionChanges, now: DateTime<Utc>) -> Version {
        let mut version = self.clone();
        if let Some(name) = &changes.name {
            version.name = name.as_str().to_owned();
        }
        if let Some(description) = &changes.description {
            version.description = description.as_str().to_owned();
        }
        version.is_default = changes.is_default.unwrap_or(version.is_default);
        version.state = changes.state.unwrap_or(version.state);
        version.status = changes.status.unwrap_or(version.status);
        if let Some(artifact_type) = &changes.artifact_type {
            version.artifact_type = artifact_type.as_str().to_owned();
        }
        if let Some(framework) = &changes.model_framework {
            version.model_framework = framework.as_str().to_owned();
        }
        if let Some(framework_version) = &changes.model_framework_version {
            version.model_framework_version = framework_version.as_str().to_owned();
        }
        if let Some(image) = &changes.container_image {
            version.container_image = image.as_str().to_owned();
        }
        if let Some(uri) = &changes.uri {
            version.uri = uri.as_str().to_owned();
        }
        if let Some(labels) = &changes.labels {
            version.labels = labels.clone();
        }
        version.updated_at = now;
        version
    }
}

impl VersionChanges {
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.description.is_none()
            && self.is_default.is_none()
            && self.state.is_none()
            && self.status.is_none()
            && self.artifact_type.is_none()
            && self.model_framework.is_none()
            && self.model_framework_version.is_none()
            && self.container_image.is_none()
            && self.uri.is_none()
            && self.labels.is_none()
    }
}

/// `GET /model_version` and `GET /model_artifact`: the newest version
/// matching every part given; a name or an id is required.
#[derive(Debug)]
pub struct VersionLookup {
    pub name: Option<NameQuery>,
    pub model_id: Option<Uuid>,
    pub id: Option<Uuid>,
}

impl VersionLookup {
    /// The model may be named as `registered_model_id` or as its synonym
    /// `parentResourceId`; both may be given only if they agree.
    pub fn new(
        name: Option<NameQuery>,
        registered_model_id: Option<Uuid>,
        parent_resource_id: Option<Uuid>,
        id: Option<Uuid>,
    ) -> Result<Self, Error> {
        let model_id = match (registered_model_id, parent_resource_id) {
            (Some(a), Some(b)) if a != b => {
                return Err(Error::invalid(
                    "registered_model_id and parentResourceId name different models",
                ));
            }
            (a, b) => a.or(b),
        };
        if name.is_none() && id.is_none() {
            return Err(Error::invalid("name or externalId is required"));
        }
        Ok(VersionLookup { name, model_id, id })
    }
}

/// Filters of the version and artifact lists.
#[derive(Debug, Default)]
pub struct VersionFilter {
    pub registered_model_id: Option<Uuid>,
    pub state: Option<State>,
    pub status: Option<VersionStatus>,
    /// Labels every version must have.
    pub labels: Vec<LabelFilter>,
}

/// A version (or artifact) list: its filters and its order.
#[derive(Debug)]
pub struct VersionQuery {
    pub filter: VersionFilter,
    pub sort_by: VersionSortBy,
    pub order: SortOrder,
}

impl VersionQuery {
    /// Newest first unless told; the same filters in any order make the
    /// same list (and its page tokens).
    pub fn new(
        mut filter: VersionFilter,
        sort_by: Option<VersionSortBy>,
        order: Option<SortOrder>,
    ) -> Self {
        filter.labels.sort();
        VersionQuery {
            filter,
            sort_by: sort_by.unwrap_or(VersionSortBy::CreatedAt),
            order: order.unwrap_or(SortOrder::Desc),
        }
    }

    /// The list this query makes as `listing` in `project`, for its page
    /// tokens.
    pub fn list_scope(&self, listing: Listing, project: Uuid) -> ListScope {
        let filter = &self.filter;
        let model = filter.registered_model_id.map(|id| id.to_string());
        let mut key = ListScope::new(listing, project, self.sort_by.kind())
            .with(Some(self.sort_by.as_str()))
            .with(Some(self.order.as_str()))
            .with(model.as_deref())
            .with(filter.state.map(State::as_str))
            .with(filter.status.map(VersionStatus::as_str));
        for label in &filter.labels {
            key = key.with(Some(&label.key)).with(Some(&label.value));
        }
        key
    }
}

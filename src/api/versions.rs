use poem_openapi::{OpenApi, param::Query, payload::Json};
use uuid::Uuid;

use super::{
    ApiTags, BASE_PATH,
    params::{ModelId, Path, ProjectId, VersionId, page},
    types::{
        CreateVersion, Created, ModelVersion, ModelVersionList, SortOrder, State, UpdateVersion,
        VersionSortBy, VersionStatus,
    },
};
use crate::{
    error::{Error, Resource},
    registry::Registry,
    store::VersionFilter,
};

pub struct VersionsApi {
    pub registry: Registry,
}

#[OpenApi(prefix_path = BASE_PATH, tag = "ApiTags::Versions")]
impl VersionsApi {
    /// Create a version of a registered model
    ///
    /// A new version is LIVE and PENDING. With `is_default: true` it becomes
    /// the model's one default version. Names are unique within a model.
    #[oai(
        path = "/models/:model_id/versions",
        method = "post",
        operation_id = "createModelVersion"
    )]
    async fn create(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        model_id: Path<ModelId>,
        body: Json<CreateVersion>,
    ) -> Result<Created<ModelVersion>, Error> {
        let record = self
            .registry
            .create_version(project.0, model_id.0, body.0, Resource::Version)
            .await?;
        Ok(Created::Created(Json(record.into())))
    }

    /// List the versions of a registered model
    #[oai(
        path = "/models/:model_id/versions",
        method = "get",
        operation_id = "listModelVersions"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn list_of_model(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        model_id: Path<ModelId>,
        /// Only versions in this state.
        state: Query<Option<State>>,
        /// Only versions with this status.
        status: Query<Option<VersionStatus>>,
        /// Sort key (default `created_at`); ties are broken by id.
        sort_by: Query<Option<VersionSortBy>>,
        /// Sort direction (default `desc`).
        order: Query<Option<SortOrder>>,
        /// Page size, 1..100 (default 20); larger values are clamped to 100.
        #[oai(validator(minimum(value = "1")))]
        limit: Query<Option<i64>>,
        /// Items to skip (default 0).
        #[oai(validator(minimum(value = "0")))]
        offset: Query<Option<i64>>,
    ) -> Result<Json<ModelVersionList>, Error> {
        let filter = VersionFilter {
            registered_model_id: Some(model_id.0),
            state: state.0,
            status: status.0,
        };
        self.list(project, filter, sort_by.0, order.0, limit.0, offset.0, true)
            .await
    }

    /// Get a version of a registered model
    #[oai(
        path = "/models/:model_id/versions/:version_id",
        method = "get",
        operation_id = "getModelVersion"
    )]
    async fn get_of_model(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        model_id: Path<ModelId>,
        version_id: Path<VersionId>,
    ) -> Result<Json<ModelVersion>, Error> {
        let record = self
            .registry
            .get_version(project.0, version_id.0, Some(model_id.0), Resource::Version)
            .await?;
        Ok(Json(record.into()))
    }

    /// Update a version of a registered model
    ///
    /// Every field is optional; an absent or null field is left as it is.
    /// `labels` replaces the whole map.
    #[oai(
        path = "/models/:model_id/versions/:version_id",
        method = "patch",
        operation_id = "updateModelVersion"
    )]
    async fn update_of_model(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        model_id: Path<ModelId>,
        version_id: Path<VersionId>,
        body: Json<UpdateVersion>,
    ) -> Result<Json<ModelVersion>, Error> {
        let record = self
            .registry
            .update_version(
                project.0,
                version_id.0,
                Some(model_id.0),
                body.0,
                Resource::Version,
            )
            .await?;
        Ok(Json(record.into()))
    }

    /// List the versions of every model of the project
    #[oai(
        path = "/model_versions",
        method = "get",
        operation_id = "listAllModelVersions"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn list_all(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        /// Only versions of this model.
        registered_model_id: Query<Option<Uuid>>,
        /// Only versions in this state.
        state: Query<Option<State>>,
        /// Only versions with this status.
        status: Query<Option<VersionStatus>>,
        /// Sort key (default `created_at`); ties are broken by id.
        sort_by: Query<Option<VersionSortBy>>,
        /// Sort direction (default `desc`).
        order: Query<Option<SortOrder>>,
        /// Page size, 1..100 (default 20); larger values are clamped to 100.
        #[oai(validator(minimum(value = "1")))]
        limit: Query<Option<i64>>,
        /// Items to skip (default 0).
        #[oai(validator(minimum(value = "0")))]
        offset: Query<Option<i64>>,
    ) -> Result<Json<ModelVersionList>, Error> {
        let filter = VersionFilter {
            registered_model_id: registered_model_id.0,
            state: state.0,
            status: status.0,
        };
        self.list(
            project, filter, sort_by.0, order.0, limit.0, offset.0, false,
        )
        .await
    }

    /// Get a version by id
    #[oai(
        path = "/model_versions/:version_id",
        method = "get",
        operation_id = "getModelVersionById"
    )]
    async fn get(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        version_id: Path<VersionId>,
    ) -> Result<Json<ModelVersion>, Error> {
        let record = self
            .registry
            .get_version(project.0, version_id.0, None, Resource::Version)
            .await?;
        Ok(Json(record.into()))
    }

    /// Find a version by name, model or id
    ///
    /// `name` or `externalId` is required. When several versions match (the
    /// same name under different models), the newest is returned.
    #[oai(
        path = "/model_version",
        method = "get",
        operation_id = "findModelVersion"
    )]
    async fn find(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        /// Exact name.
        name: Query<Option<String>>,
        /// The model the version belongs to.
        registered_model_id: Query<Option<Uuid>>,
        /// A synonym of `registered_model_id`.
        #[oai(name = "parentResourceId")]
        parent_resource_id: Query<Option<Uuid>>,
        /// The version's id.
        #[oai(name = "externalId")]
        external_id: Query<Option<Uuid>>,
    ) -> Result<Json<ModelVersion>, Error> {
        let model_id = model_of(registered_model_id.0, parent_resource_id.0)?;
        let record = self
            .registry
            .find_version(
                project.0,
                name.0.as_deref(),
                model_id,
                external_id.0,
                Resource::Version,
            )
            .await?;
        Ok(Json(record.into()))
    }

    /// Update a version by id
    ///
    /// As the nested update, without naming the model.
    #[oai(
        path = "/model_versions/:version_id",
        method = "patch",
        operation_id = "updateModelVersionById"
    )]
    async fn update(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        version_id: Path<VersionId>,
        body: Json<UpdateVersion>,
    ) -> Result<Json<ModelVersion>, Error> {
        let record = self
            .registry
            .update_version(project.0, version_id.0, None, body.0, Resource::Version)
            .await?;
        Ok(Json(record.into()))
    }
}

impl VersionsApi {
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        project: ProjectId,
        filter: VersionFilter,
        sort_by: Option<VersionSortBy>,
        order: Option<SortOrder>,
        limit: Option<i64>,
        offset: Option<i64>,
        require_model: bool,
    ) -> Result<Json<ModelVersionList>, Error> {
        let page = page(limit, offset);
        let listed = self
            .registry
            .list_versions(
                project.0,
                &filter,
                sort_by.unwrap_or(VersionSortBy::CreatedAt),
                order.unwrap_or(SortOrder::Desc),
                page,
                require_model,
            )
            .await?;
        let items = listed.items.into_iter().map(Into::into).collect();
        Ok(Json(ModelVersionList::new(
            items,
            listed.total,
            page.limit,
            page.offset,
        )))
    }
}

/// The model of a find: `registered_model_id`, or its synonym
/// `parentResourceId`; both may be given only if they agree.
pub(super) fn model_of(
    registered_model_id: Option<Uuid>,
    parent_resource_id: Option<Uuid>,
) -> Result<Option<Uuid>, Error> {
    match (registered_model_id, parent_resource_id) {
        (Some(a), Some(b)) if a != b => Err(Error::invalid(
            "registered_model_id and parentResourceId name different models",
        )),
        (a, b) => Ok(a.or(b)),
    }
}

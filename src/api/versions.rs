//! Versions of a registered model, and the one path every version and
//! artifact operation takes: an artifact is a version shown through a
//! narrower window ([`VersionView`]), so `artifacts.rs` declares its
//! operations and calls the functions at the end of this file.

use poem_openapi::{
    OpenApi,
    param::{Header, Query},
    payload::Json,
    types::{ParseFromJSON, ToJSON},
};
use uuid::Uuid;

use super::{
    error::{CreateUnder, DeleteVersion, Failure, List, Read, Update},
    etag::{Created, Fetched, Written, matching},
    explain::Body,
    params::{ModelId, Path, ProjectId, VersionId, page_request},
    routes::{ApiTags, BASE_PATH},
    types::{
        CreateVersion, DeleteStatus, ModelArtifact, ModelVersion, ModelVersionList, UpdateVersion,
    },
};
use crate::{
    domain::{
        Error, LabelFilter, Listing, NameQuery, NewVersion, Resource, SortOrder, State, Version,
        VersionChanges, VersionFilter, VersionLookup, VersionQuery, VersionSortBy, VersionStatus,
    },
    registry::Registry,
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
        body: Body<CreateVersion>,
    ) -> Result<Created<ModelVersion>, Failure<CreateUnder>> {
        Ok(create(&self.registry, project, model_id.0, body.0.into()).await?)
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
        /// Only items with this label, as `key:value` (the first `:` ends the
        /// key); repeat it to require several.
        label: Query<Option<Vec<LabelFilter>>>,
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
        /// Continue after the page that answered this `next_page_token`
        /// (with the same sort and filters; not with `offset`).
        #[oai(validator(max_length = 1024))]
        page_token: Query<Option<String>>,
    ) -> Result<Json<ModelVersionList>, Failure<Read>> {
        let filter = version_filter(Some(model_id.0), state, status, label);
        let query = VersionQuery::new(filter, sort_by.0, order.0);
        let page = page_request(limit, offset, page_token);
        let versions = self.registry.versions();
        let paged = versions
            .list(project.0, Listing::VersionsOfModel, query, &page)
            .await?;
        Ok(Json(paged.into()))
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
        /// Answers 304, with no body, when it names the resource's ETag.
        #[oai(name = "If-None-Match")]
        if_none_match: Header<Option<String>>,
        model_id: Path<ModelId>,
        version_id: Path<VersionId>,
    ) -> Result<Fetched<ModelVersion>, Failure<Read>> {
        let (id, model_id) = (version_id.0, Some(model_id.0));
        Ok(get(&self.registry, project, id, model_id, if_none_match).await?)
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
        /// Refused with 412 unless it names the resource's current ETag.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        model_id: Path<ModelId>,
        version_id: Path<VersionId>,
        body: Body<UpdateVersion>,
    ) -> Result<Written<ModelVersion>, Failure<Update>> {
        let (id, model_id) = (version_id.0, Some(model_id.0));
        let changes = body.0.into();
        Ok(update(&self.registry, project, id, model_id, changes, if_match).await?)
    }

    /// Delete a version of a registered model
    ///
    /// Refused (400) for a READY version and for the model's default
    /// version, as a model's delete is refused for a READY version.
    #[oai(
        path = "/models/:model_id/versions/:version_id",
        method = "delete",
        operation_id = "deleteModelVersion"
    )]
    async fn delete_of_model(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        /// Refused with 412 unless it names the resource's current ETag.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        model_id: Path<ModelId>,
        version_id: Path<VersionId>,
    ) -> Result<Json<DeleteStatus>, Failure<DeleteVersion>> {
        let (id, model_id) = (version_id.0, Some(model_id.0));
        Ok(delete::<ModelVersion>(&self.registry, project, id, model_id, if_match).await?)
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
        /// Only items with this label, as `key:value` (the first `:` ends the
        /// key); repeat it to require several.
        label: Query<Option<Vec<LabelFilter>>>,
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
        /// Continue after the page that answered this `next_page_token`
        /// (with the same sort and filters; not with `offset`).
        #[oai(validator(max_length = 1024))]
        page_token: Query<Option<String>>,
    ) -> Result<Json<ModelVersionList>, Failure<List>> {
        let filter = version_filter(registered_model_id.0, state, status, label);
        let query = VersionQuery::new(filter, sort_by.0, order.0);
        let page = page_request(limit, offset, page_token);
        let versions = self.registry.versions();
        let paged = versions
            .list(project.0, Listing::ProjectVersions, query, &page)
            .await?;
        Ok(Json(paged.into()))
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
        /// Answers 304, with no body, when it names the resource's ETag.
        #[oai(name = "If-None-Match")]
        if_none_match: Header<Option<String>>,
        version_id: Path<VersionId>,
    ) -> Result<Fetched<ModelVersion>, Failure<Read>> {
        Ok(get(&self.registry, project, version_id.0, None, if_none_match).await?)
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
        /// Answers 304, with no body, when it names the resource's ETag.
        #[oai(name = "If-None-Match")]
        if_none_match: Header<Option<String>>,
        /// Exact name.
        name: Query<Option<NameQuery>>,
        /// The model the version belongs to.
        registered_model_id: Query<Option<Uuid>>,
        /// A synonym of `registered_model_id`.
        #[oai(name = "parentResourceId")]
        parent_resource_id: Query<Option<Uuid>>,
        /// The version's id.
        #[oai(name = "externalId")]
        external_id: Query<Option<Uuid>>,
    ) -> Result<Fetched<ModelVersion>, Failure<Read>> {
        let lookup = version_lookup(name, registered_model_id, parent_resource_id, external_id)?;
        Ok(find(&self.registry, project, &lookup, if_none_match).await?)
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
        /// Refused with 412 unless it names the resource's current ETag.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        version_id: Path<VersionId>,
        body: Body<UpdateVersion>,
    ) -> Result<Written<ModelVersion>, Failure<Update>> {
        let changes = body.0.into();
        Ok(update(
            &self.registry,
            project,
            version_id.0,
            None,
            changes,
            if_match,
        )
        .await?)
    }

    /// Delete a model version by id
    ///
    /// Refused (400) for a READY version and for the model's default
    /// version.
    #[oai(
        path = "/model_versions/:version_id",
        method = "delete",
        operation_id = "deleteModelVersionById"
    )]
    async fn delete(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        /// Refused with 412 unless it names the resource's current ETag.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        version_id: Path<VersionId>,
    ) -> Result<Json<DeleteStatus>, Failure<DeleteVersion>> {
        Ok(delete::<ModelVersion>(&self.registry, project, version_id.0, None, if_match).await?)
    }
}

// ------------------------------------------- the path of versions and artifacts

/// How a version is shown: as a version, or as an artifact.
pub(super) trait VersionView:
    From<Version> + ParseFromJSON + ToJSON + Send + Sync + 'static
{
    /// What a missing one is called.
    const RESOURCE: Resource;
}

impl VersionView for ModelVersion {
    const RESOURCE: Resource = Resource::Version;
}

impl VersionView for ModelArtifact {
    const RESOURCE: Resource = Resource::Artifact;
}

/// The filters of a version or artifact list.
pub(super) fn version_filter(
    registered_model_id: Option<Uuid>,
    state: Query<Option<State>>,
    status: Query<Option<VersionStatus>>,
    label: Query<Option<Vec<LabelFilter>>>,
) -> VersionFilter {
    VersionFilter {
        registered_model_id,
        state: state.0,
        status: status.0,
        labels: label.0.unwrap_or_default(),
    }
}

/// The lookup of a version or artifact find.
pub(super) fn version_lookup(
    name: Query<Option<NameQuery>>,
    registered_model_id: Query<Option<Uuid>>,
    parent_resource_id: Query<Option<Uuid>>,
    external_id: Query<Option<Uuid>>,
) -> Result<VersionLookup, Error> {
    VersionLookup::new(
        name.0,
        registered_model_id.0,
        parent_resource_id.0,
        external_id.0,
    )
}

pub(super) async fn create<V: VersionView>(
    registry: &Registry,
    project: ProjectId,
    model_id: Uuid,
    new: NewVersion,
) -> Result<Created<V>, Error> {
    let version = registry
        .versions()
        .create(project.0, model_id, new, V::RESOURCE)
        .await?;
    Ok(Created::answer(version.into()))
}

pub(super) async fn get<V: VersionView>(
    registry: &Registry,
    project: ProjectId,
    id: Uuid,
    model_id: Option<Uuid>,
    if_none_match: Header<Option<String>>,
) -> Result<Fetched<V>, Error> {
    let version = registry
        .versions()
        .get(project.0, id, model_id, V::RESOURCE)
        .await?;
    Ok(Fetched::answer(version.into(), if_none_match.0.as_deref()))
}

pub(super) async fn find<V: VersionView>(
    registry: &Registry,
    project: ProjectId,
    lookup: &VersionLookup,
    if_none_match: Header<Option<String>>,
) -> Result<Fetched<V>, Error> {
    let version = registry
        .versions()
        .find(project.0, lookup, V::RESOURCE)
        .await?;
    Ok(Fetched::answer(version.into(), if_none_match.0.as_deref()))
}

pub(super) async fn update<V: VersionView>(
    registry: &Registry,
    project: ProjectId,
    id: Uuid,
    model_id: Option<Uuid>,
    changes: VersionChanges,
    if_match: Header<Option<String>>,
) -> Result<Written<V>, Error> {
    let precondition = matching::<Version, V>(if_match.0);
    let version = registry
        .versions()
        .update(
            project.0,
            id,
            model_id,
            changes,
            V::RESOURCE,
            precondition.as_ref(),
        )
        .await?;
    Ok(Written::answer(version.into()))
}

pub(super) async fn delete<V: VersionView>(
    registry: &Registry,
    project: ProjectId,
    id: Uuid,
    model_id: Option<Uuid>,
    if_match: Header<Option<String>>,
) -> Result<Json<DeleteStatus>, Error> {
    let precondition = matching::<Version, V>(if_match.0);
    registry
        .versions()
        .delete(project.0, id, model_id, V::RESOURCE, precondition.as_ref())
        .await?;
    Ok(Json(DeleteStatus::deleted()))
}

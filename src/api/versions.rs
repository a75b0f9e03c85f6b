use poem_openapi::{
    OpenApi,
    param::{Header, Query},
    payload::Json,
};
use uuid::Uuid;

use super::{
    ApiTags, BASE_PATH,
    etag::{Fetched, matching},
    explain::Body,
    params::{ModelId, Path, ProjectId, VersionId, list_key, page, token_after},
    types::{
        CreateVersion, Created, DeleteStatus, LabelFilter, ModelVersion, ModelVersionList,
        NameQuery, SortOrder, State, Text, UpdateVersion, VersionSortBy, VersionStatus,
    },
};
use crate::{
    error::{CreateUnder, Delete, Error, Failure, List, Read, Resource, Update},
    registry::Registry,
    store::{Page, VersionFilter, VersionRecord},
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
        let query = VersionQuery {
            filter: VersionFilter {
                registered_model_id: Some(model_id.0),
                state: state.0,
                status: status.0,
                labels: label
                    .0
                    .unwrap_or_default()
                    .into_iter()
                    .map(|l| (l.key, l.value))
                    .collect(),
            },
            sort_by: sort_by.0,
            order: order.0,
            limit: limit.0,
            offset: offset.0,
            page_token: page_token.0,
        };
        let (items, total, page, next_page_token) =
            version_page(&self.registry, project, query, "listModelVersions").await?;
        Ok(Json(ModelVersionList::new(
            items,
            total,
            &page,
            next_page_token,
        )))
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
        let record = self
            .registry
            .get_version(project.0, version_id.0, Some(model_id.0), Resource::Version)
            .await?;
        Ok(Fetched::answer(record.into(), if_none_match.0.as_deref()))
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
    ) -> Result<Json<ModelVersion>, Failure<Update>> {
        let precondition = matching::<VersionRecord, ModelVersion>(if_match.0, ModelVersion::from);
        let record = self
            .registry
            .update_version(
                project.0,
                version_id.0,
                Some(model_id.0),
                body.0,
                Resource::Version,
                precondition.as_deref(),
            )
            .await?;
        Ok(Json(record.into()))
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
    ) -> Result<Json<DeleteStatus>, Failure<Delete>> {
        let precondition = matching::<VersionRecord, ModelVersion>(if_match.0, ModelVersion::from);
        self.registry
            .delete_version(
                project.0,
                version_id.0,
                Some(model_id.0),
                Resource::Version,
                precondition.as_deref(),
            )
            .await?;
        Ok(Json(DeleteStatus::deleted()))
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
        let query = VersionQuery {
            filter: VersionFilter {
                registered_model_id: registered_model_id.0,
                state: state.0,
                status: status.0,
                labels: label
                    .0
                    .unwrap_or_default()
                    .into_iter()
                    .map(|l| (l.key, l.value))
                    .collect(),
            },
            sort_by: sort_by.0,
            order: order.0,
            limit: limit.0,
            offset: offset.0,
            page_token: page_token.0,
        };
        let (items, total, page, next_page_token) =
            version_page(&self.registry, project, query, "listAllModelVersions").await?;
        Ok(Json(ModelVersionList::new(
            items,
            total,
            &page,
            next_page_token,
        )))
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
        let record = self
            .registry
            .get_version(project.0, version_id.0, None, Resource::Version)
            .await?;
        Ok(Fetched::answer(record.into(), if_none_match.0.as_deref()))
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
        let model_id = model_of(registered_model_id.0, parent_resource_id.0)?;
        let record = self
            .registry
            .find_version(
                project.0,
                name.0.as_ref().map(Text::as_str),
                model_id,
                external_id.0,
                Resource::Version,
            )
            .await?;
        Ok(Fetched::answer(record.into(), if_none_match.0.as_deref()))
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
    ) -> Result<Json<ModelVersion>, Failure<Update>> {
        let precondition = matching::<VersionRecord, ModelVersion>(if_match.0, ModelVersion::from);
        let record = self
            .registry
            .update_version(
                project.0,
                version_id.0,
                None,
                body.0,
                Resource::Version,
                precondition.as_deref(),
            )
            .await?;
        Ok(Json(record.into()))
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
    ) -> Result<Json<DeleteStatus>, Failure<Delete>> {
        let precondition = matching::<VersionRecord, ModelVersion>(if_match.0, ModelVersion::from);
        self.registry
            .delete_version(
                project.0,
                version_id.0,
                None,
                Resource::Version,
                precondition.as_deref(),
            )
            .await?;
        Ok(Json(DeleteStatus::deleted()))
    }
}

/// The version-list parameters shared by the version and artifact lists.
pub(super) struct VersionQuery {
    pub filter: VersionFilter,
    pub sort_by: Option<VersionSortBy>,
    pub order: Option<SortOrder>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
    pub page_token: Option<String>,
}

/// One page of versions, each shaped as `T` (a version or an artifact),
/// for the operation `operation`; `listModelVersions` requires the filter's
/// model to be one of the project's.
pub(super) async fn version_page<T: From<VersionRecord>>(
    registry: &Registry,
    project: ProjectId,
    mut query: VersionQuery,
    operation: &'static str,
) -> Result<(Vec<T>, u64, Page, Option<String>), Error> {
    // The same filters in any order are the same list (for its tokens).
    query.filter.labels.sort();
    let sort_by = query.sort_by.unwrap_or(VersionSortBy::CreatedAt);
    let order = query.order.unwrap_or(SortOrder::Desc);
    let list = list_key(operation, project, &(sort_by, order, &query.filter));
    let page = page(
        query.limit,
        query.offset,
        query.page_token.as_deref(),
        &list,
    )?;
    let listed = registry
        .list_versions(
            project.0,
            &query.filter,
            sort_by,
            order,
            &page,
            operation == "listModelVersions",
        )
        .await?;
    let next_page_token = listed
        .items
        .last()
        .filter(|_| listed.more)
        .map(|last| token_after(&list, &last.cursor(sort_by)));
    let items = listed.items.into_iter().map(Into::into).collect();
    Ok((items, listed.total, page, next_page_token))
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

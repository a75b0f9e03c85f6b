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
    params::{ArtifactId, Path, ProjectId},
    types::{
        CreateArtifact, Created, DeleteStatus, LabelFilter, ModelArtifact, ModelArtifactList,
        NameQuery, SortOrder, State, Text, UpdateArtifact, VersionSortBy, VersionStatus,
    },
    versions::{VersionQuery, model_of, version_page},
};
use crate::{
    error::{CreateUnder, Delete, Failure, List, Read, Resource, Update},
    registry::Registry,
    store::{VersionFilter, VersionRecord},
};

pub struct ArtifactsApi {
    pub registry: Registry,
}

#[OpenApi(prefix_path = BASE_PATH, tag = "ApiTags::Artifacts")]
impl ArtifactsApi {
    /// Create an artifact of a registered model
    ///
    /// An artifact is stored as a version (PENDING, not default) and counts
    /// in the model's `version_count`.
    #[oai(
        path = "/model_artifacts",
        method = "post",
        operation_id = "createModelArtifact"
    )]
    async fn create(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        body: Body<CreateArtifact>,
    ) -> Result<Created<ModelArtifact>, Failure<CreateUnder>> {
        let record = self.registry.create_artifact(project.0, body.0).await?;
        Ok(Created::Created(Json(record.into())))
    }

    /// List the artifacts of the project
    #[oai(
        path = "/model_artifacts",
        method = "get",
        operation_id = "listModelArtifacts"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        /// Only artifacts of this model.
        registered_model_id: Query<Option<Uuid>>,
        /// Only artifacts in this state.
        state: Query<Option<State>>,
        /// Only artifacts with this status.
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
    ) -> Result<Json<ModelArtifactList>, Failure<List>> {
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
            version_page(&self.registry, project, query, "listModelArtifacts").await?;
        Ok(Json(ModelArtifactList::new(
            items,
            total,
            &page,
            next_page_token,
        )))
    }

    /// Get an artifact by id
    #[oai(
        path = "/model_artifacts/:artifact_id",
        method = "get",
        operation_id = "getModelArtifact"
    )]
    async fn get(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        /// Answers 304, with no body, when it names the resource's ETag.
        #[oai(name = "If-None-Match")]
        if_none_match: Header<Option<String>>,
        artifact_id: Path<ArtifactId>,
    ) -> Result<Fetched<ModelArtifact>, Failure<Read>> {
        let record = self
            .registry
            .get_version(project.0, artifact_id.0, None, Resource::Artifact)
            .await?;
        Ok(Fetched::answer(record.into(), if_none_match.0.as_deref()))
    }

    /// Find an artifact by name, model or id
    ///
    /// `name` or `externalId` is required. When several artifacts match, the
    /// newest is returned.
    #[oai(
        path = "/model_artifact",
        method = "get",
        operation_id = "findModelArtifact"
    )]
    async fn find(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        /// Answers 304, with no body, when it names the resource's ETag.
        #[oai(name = "If-None-Match")]
        if_none_match: Header<Option<String>>,
        /// Exact name.
        name: Query<Option<NameQuery>>,
        /// The model the artifact belongs to.
        registered_model_id: Query<Option<Uuid>>,
        /// A synonym of `registered_model_id`.
        #[oai(name = "parentResourceId")]
        parent_resource_id: Query<Option<Uuid>>,
        /// The artifact's id.
        #[oai(name = "externalId")]
        external_id: Query<Option<Uuid>>,
    ) -> Result<Fetched<ModelArtifact>, Failure<Read>> {
        let model_id = model_of(registered_model_id.0, parent_resource_id.0)?;
        let record = self
            .registry
            .find_version(
                project.0,
                name.0.as_ref().map(Text::as_str),
                model_id,
                external_id.0,
                Resource::Artifact,
            )
            .await?;
        Ok(Fetched::answer(record.into(), if_none_match.0.as_deref()))
    }

    /// Update an artifact
    ///
    /// Every field is optional; an absent or null field is left as it is.
    #[oai(
        path = "/model_artifacts/:artifact_id",
        method = "patch",
        operation_id = "updateModelArtifact"
    )]
    async fn update(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        /// Refused with 412 unless it names the resource's current ETag.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        artifact_id: Path<ArtifactId>,
        body: Body<UpdateArtifact>,
    ) -> Result<Json<ModelArtifact>, Failure<Update>> {
        let precondition =
            matching::<VersionRecord, ModelArtifact>(if_match.0, ModelArtifact::from);
        let record = self
            .registry
            .update_artifact(project.0, artifact_id.0, body.0, precondition.as_deref())
            .await?;
        Ok(Json(record.into()))
    }

    /// Delete a model artifact
    ///
    /// Refused (400) for a READY artifact and for the model's default
    /// version, as for a version.
    #[oai(
        path = "/model_artifacts/:artifact_id",
        method = "delete",
        operation_id = "deleteModelArtifact"
    )]
    async fn delete(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        /// Refused with 412 unless it names the resource's current ETag.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        artifact_id: Path<ArtifactId>,
    ) -> Result<Json<DeleteStatus>, Failure<Delete>> {
        let precondition =
            matching::<VersionRecord, ModelArtifact>(if_match.0, ModelArtifact::from);
        self.registry
            .delete_version(
                project.0,
                artifact_id.0,
                None,
                Resource::Artifact,
                precondition.as_deref(),
            )
            .await?;
        Ok(Json(DeleteStatus::deleted()))
    }
}

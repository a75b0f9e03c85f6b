//! Artifacts: versions shown through a narrower window. Each operation
//! declares its parameters and takes the versions' path
//! (`versions.rs`), with `ModelArtifact` as the view.

use poem_openapi::{
    OpenApi,
    param::{Header, Query},
    payload::Json,
};
use uuid::Uuid;

use super::{
    error::{CreateUnder, DeleteVersion, Failure, List, Read, Update},
    etag::{Created, Fetched, Written},
    explain::Body,
    params::{ArtifactId, Path, ProjectId, page_request},
    routes::{ApiTags, BASE_PATH},
    types::{CreateArtifact, DeleteStatus, ModelArtifact, ModelArtifactList, UpdateArtifact},
    versions::{create, delete, find, get, update, version_filter, version_lookup},
};
use crate::{
    domain::{
        LabelFilter, Listing, NameQuery, SortOrder, State, VersionQuery, VersionSortBy,
        VersionStatus,
    },
    registry::Registry,
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
        let model_id = body.0.registered_model_id;
        Ok(create(&self.registry, project, model_id, body.0.into()).await?)
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
        let filter = version_filter(registered_model_id.0, state, status, label);
        let query = VersionQuery::new(filter, sort_by.0, order.0);
        let page = page_request(limit, offset, page_token);
        let versions = self.registry.versions();
        let paged = versions
            .list(project.0, Listing::ProjectArtifacts, query, &page)
            .await?;
        Ok(Json(paged.into()))
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
        Ok(get(&self.registry, project, artifact_id.0, None, if_none_match).await?)
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
        let lookup = version_lookup(name, registered_model_id, parent_resource_id, external_id)?;
        Ok(find(&self.registry, project, &lookup, if_none_match).await?)
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
    ) -> Result<Written<ModelArtifact>, Failure<Update>> {
        let changes = body.0.into();
        Ok(update(
            &self.registry,
            project,
            artifact_id.0,
            None,
            changes,
            if_match,
        )
        .await?)
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
    ) -> Result<Json<DeleteStatus>, Failure<DeleteVersion>> {
        let id = artifact_id.0;
        Ok(delete::<ModelArtifact>(&self.registry, project, id, None, if_match).await?)
    }
}

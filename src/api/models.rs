use poem_openapi::{
    OpenApi,
    param::{Header, Query},
    payload::Json,
};
use uuid::Uuid;

use super::{
    error::{Create, Delete, Failure, List, Read, Update},
    etag::{Created, Fetched, Written, matching},
    explain::Body,
    params::{ModelId, Path, ProjectId, page_request},
    routes::{ApiTags, BASE_PATH},
    types::{CreateModel, DeleteStatus, RegisteredModel, RegisteredModelList, UpdateModel},
};
use crate::{
    domain::{
        LabelFilter, Model, ModelFilter, ModelLookup, ModelQuery, ModelSortBy, ModelTypeQuery,
        NameQuery, SortOrder, State, TagFilter,
    },
    registry::Registry,
};

pub struct ModelsApi {
    pub registry: Registry,
}

#[OpenApi(prefix_path = BASE_PATH, tag = "ApiTags::Models")]
impl ModelsApi {
    /// Create a registered model
    ///
    /// A new model is LIVE and UNDEPLOYED, with no versions. Its slug is made
    /// from its name. Names are unique within a project.
    #[oai(path = "/models", method = "post", operation_id = "createModel")]
    async fn create(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        body: Body<CreateModel>,
    ) -> Result<Created<RegisteredModel>, Failure<Create>> {
        let model = self
            .registry
            .models()
            .create(project.0, body.0.into())
            .await?;
        Ok(Created::answer(model.into()))
    }

    /// List the project's registered models
    #[oai(path = "/models", method = "get", operation_id = "listModels")]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        /// Only models in this state.
        state: Query<Option<State>>,
        /// Only models of exactly this type.
        model_type: Query<Option<ModelTypeQuery>>,
        /// Case-insensitive substring of the name; `%` and `_` match literally.
        /// At most 100 characters (the longest name).
        search: Query<Option<NameQuery>>,
        /// Only items with this label, as `key:value` (the first `:` ends the
        /// key); repeat it to require several.
        label: Query<Option<Vec<LabelFilter>>>,
        /// Only models whose tag array holds this value, as `array:value`
        /// (`frameworks:pytorch`); repeat it to require several.
        tag: Query<Option<Vec<TagFilter>>>,
        /// Sort key (default `created_at`); ties are broken by id.
        sort_by: Query<Option<ModelSortBy>>,
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
    ) -> Result<Json<RegisteredModelList>, Failure<List>> {
        let filter = ModelFilter {
            state: state.0,
            model_type: model_type.0,
            search: search.0,
            labels: label.0.unwrap_or_default(),
            tags: tag.0.unwrap_or_default(),
        };
        let query = ModelQuery::new(filter, sort_by.0, order.0);
        let paged = self
            .registry
            .models()
            .list(project.0, query, &page_request(limit, offset, page_token))
            .await?;
        Ok(Json(paged.into()))
    }

    /// Get a registered model
    #[oai(path = "/models/:model_id", method = "get", operation_id = "getModel")]
    async fn get(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        /// Answers 304, with no body, when it names the resource's ETag.
        #[oai(name = "If-None-Match")]
        if_none_match: Header<Option<String>>,
        model_id: Path<ModelId>,
    ) -> Result<Fetched<RegisteredModel>, Failure<Read>> {
        let model = self.registry.models().get(project.0, model_id.0).await?;
        Ok(Fetched::answer(model.into(), if_none_match.0.as_deref()))
    }

    /// Find a registered model by name or id
    #[oai(path = "/model", method = "get", operation_id = "findModel")]
    async fn find(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        /// Answers 304, with no body, when it names the resource's ETag.
        #[oai(name = "If-None-Match")]
        if_none_match: Header<Option<String>>,
        /// Exact name.
        name: Query<Option<NameQuery>>,
        /// The model's id.
        #[oai(name = "externalId")]
        external_id: Query<Option<Uuid>>,
    ) -> Result<Fetched<RegisteredModel>, Failure<Read>> {
        let lookup = ModelLookup::new(name.0, external_id.0)?;
        let model = self.registry.models().find(project.0, &lookup).await?;
        Ok(Fetched::answer(model.into(), if_none_match.0.as_deref()))
    }

    /// Update a registered model
    ///
    /// Every field is optional; an absent or null field is left as it is.
    /// `tags` and `labels` replace the whole value.
    #[oai(
        path = "/models/:model_id",
        method = "patch",
        operation_id = "updateModel"
    )]
    async fn update(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        /// Refused with 412 unless it names the resource's current ETag.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        model_id: Path<ModelId>,
        body: Body<UpdateModel>,
    ) -> Result<Written<RegisteredModel>, Failure<Update>> {
        let precondition = matching::<Model, RegisteredModel>(if_match.0);
        let model = self
            .registry
            .models()
            .update(project.0, model_id.0, body.0.into(), precondition.as_ref())
            .await?;
        Ok(Written::answer(model.into()))
    }

    /// Delete a registered model
    ///
    /// Only an ARCHIVED model with no READY version can be deleted; its
    /// versions and artifacts go with it.
    #[oai(
        path = "/models/:model_id",
        method = "delete",
        operation_id = "deleteModel"
    )]
    async fn delete(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        /// Refused with 412 unless it names the resource's current ETag.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        model_id: Path<ModelId>,
    ) -> Result<Json<DeleteStatus>, Failure<Delete>> {
        let precondition = matching::<Model, RegisteredModel>(if_match.0);
        self.registry
            .models()
            .delete(project.0, model_id.0, precondition.as_ref())
            .await?;
        Ok(Json(DeleteStatus::deleted()))
    }
}

//! Aliases of a registered model: names for its versions (`champion`,
//! `staging`), moved atomically and conditionally (`If-Match`).

use poem_openapi::{OpenApi, param::Header, payload::Json};

use super::{
    error::{Delete, Failure, Read, Update},
    etag::{Fetched, Written, alias_matching, alias_tag},
    explain::Body,
    params::{ModelId, Path, ProjectId},
    routes::{ApiTags, BASE_PATH},
    types::{AliasBody, AliasList, AliasSegment, AliasWithVersion, DeleteStatus, SetAlias},
};
use crate::{domain::AliasName, registry::Registry};

pub struct AliasesApi {
    pub registry: Registry,
}

#[OpenApi(prefix_path = BASE_PATH, tag = "ApiTags::Aliases")]
impl AliasesApi {
    /// Set an alias: make it, or move it to another version
    ///
    /// The version must be one of the model's. Naming the version the alias
    /// already names changes nothing. With `If-Match`, the alias must still
    /// be as the caller saw it (an alias not yet made matches no ETag).
    #[oai(
        path = "/models/:model_id/aliases/:alias",
        method = "put",
        operation_id = "setAlias"
    )]
    async fn set(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        /// Refused with 412 unless it names the alias's current ETag.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        model_id: Path<ModelId>,
        alias: poem_openapi::param::Path<AliasSegment>,
        body: Body<SetAlias>,
    ) -> Result<Written<AliasBody>, Failure<Update>> {
        let name = AliasName::parse(&alias.0.0)?;
        let precondition = alias_matching(if_match.0);
        let alias = self
            .registry
            .aliases()
            .set(
                project.0,
                model_id.0,
                name,
                body.0.version_id,
                precondition.as_ref(),
            )
            .await?;
        let tag = alias_tag(&alias);
        Ok(Written::alias(alias.into(), &tag))
    }

    /// List the aliases of a registered model, sorted by name
    #[oai(
        path = "/models/:model_id/aliases",
        method = "get",
        operation_id = "listAliases"
    )]
    async fn list(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        model_id: Path<ModelId>,
    ) -> Result<Json<AliasList>, Failure<Read>> {
        let aliases = self.registry.aliases().list(project.0, model_id.0).await?;
        Ok(Json(AliasList {
            aliases: aliases.into_iter().map(Into::into).collect(),
        }))
    }

    /// Get an alias, with the version it names
    #[oai(
        path = "/models/:model_id/aliases/:alias",
        method = "get",
        operation_id = "getAlias"
    )]
    async fn get(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        /// Answers 304, with no body, when it names the resource's ETag.
        #[oai(name = "If-None-Match")]
        if_none_match: Header<Option<String>>,
        model_id: Path<ModelId>,
        alias: poem_openapi::param::Path<AliasSegment>,
    ) -> Result<Fetched<AliasWithVersion>, Failure<Read>> {
        let name = AliasName::parse(&alias.0.0)?;
        let found = self
            .registry
            .aliases()
            .get(project.0, model_id.0, &name)
            .await?;
        let tag = alias_tag(&found.alias);
        Ok(Fetched::alias(
            found.into(),
            &tag,
            if_none_match.0.as_deref(),
        ))
    }

    /// Delete an alias
    ///
    /// The version it names stays.
    #[oai(
        path = "/models/:model_id/aliases/:alias",
        method = "delete",
        operation_id = "deleteAlias"
    )]
    async fn delete(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        /// Refused with 412 unless it names the alias's current ETag.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        model_id: Path<ModelId>,
        alias: poem_openapi::param::Path<AliasSegment>,
    ) -> Result<Json<DeleteStatus>, Failure<Delete>> {
        let name = AliasName::parse(&alias.0.0)?;
        let precondition = alias_matching(if_match.0);
        self.registry
            .aliases()
            .delete(project.0, model_id.0, name, precondition.as_ref())
            .await?;
        Ok(Json(DeleteStatus::deleted()))
    }
}

//! Artifacts are versions seen through a narrower window: these adapt the
//! artifact requests to the version rules, so both follow one set of rules.

use uuid::Uuid;

use super::{Precondition, Registry};
use crate::{
    api::types::{CreateArtifact, CreateVersion, UpdateArtifact, UpdateVersion},
    error::{Error, Resource},
    store::VersionRecord,
};

impl Registry {
    pub async fn create_artifact(
        &self,
        project_id: Uuid,
        request: CreateArtifact,
    ) -> Result<VersionRecord, Error> {
        let model_id = request.registered_model_id;
        let version = CreateVersion {
            name: request.name,
            model_framework: request.model_framework,
            model_framework_version: request.model_framework_version,
            uri: request.uri,
            description: request.description,
            is_default: Some(false),
            artifact_type: request.artifact_type,
            container_image: request.container_image,
            model_catalog_name: None,
            access_key: request.access_key,
            secret_key: request.secret_key,
            labels: request.labels,
            prebuilt_container_id: request.prebuilt_container_id,
        };
        self.create_version(project_id, model_id, version, Resource::Artifact)
            .await
    }

    pub async fn update_artifact(
        &self,
        project_id: Uuid,
        id: Uuid,
        request: UpdateArtifact,
        precondition: Precondition<'_, VersionRecord>,
    ) -> Result<VersionRecord, Error> {
        let version = UpdateVersion {
            name: request.name,
            description: request.description,
            artifact_type: request.artifact_type,
            model_framework: request.model_framework,
            model_framework_version: request.model_framework_version,
            container_image: request.container_image,
            uri: request.uri,
            labels: request.labels,
            ..UpdateVersion::default()
        };
        self.update_version(
            project_id,
            id,
            None,
            version,
            Resource::Artifact,
            precondition,
        )
        .await
    }
}

//! The HTTP edge: one poem-openapi `Api` per resource. Handlers parse, call
//! the registry and shape the answer; they hold no rules and no SQL.

mod artifacts;
pub mod docs;
pub mod etag;
pub mod explain;
mod health;
mod models;
pub mod params;
pub mod types;
mod versions;

use std::collections::HashMap;

use poem_openapi::{OpenApi, OpenApiService, Tags};

use crate::{
    registry::Registry,
    store::{ModelRecord, VersionRecord},
};
use types::{
    DeploymentStatus, ModelArtifact, ModelVersion, Nullable, RegisteredModel, State,
    Tags as ModelTags, Timestamp, VersionStatus, labels_from_stored,
};

/// Where the registry's operations live.
pub const BASE_PATH: &str = "/api/v1/model-registry";

#[derive(Tags)]
enum ApiTags {
    /// Registered models
    #[oai(rename = "models")]
    Models,
    /// Versions of a registered model
    #[oai(rename = "versions")]
    Versions,
    /// Artifacts: versions seen through a narrower window
    #[oai(rename = "artifacts")]
    Artifacts,
    /// Liveness of the service and its database
    #[oai(rename = "health")]
    Health,
}

type Apis = (
    models::ModelsApi,
    versions::VersionsApi,
    artifacts::ArtifactsApi,
    health::HealthApi,
);

pub type ApiService = OpenApiService<Apis, ()>;

/// operationId → the route as the API documents it
/// (`/api/v1/model-registry/models/{model_id}`), for logs and metrics.
pub fn route_templates() -> HashMap<&'static str, String> {
    <Apis as OpenApi>::meta()
        .into_iter()
        .flat_map(|api| api.paths)
        .flat_map(|path| {
            let template = path.path;
            path.operations
                .into_iter()
                .filter_map(move |op| op.operation_id.map(|id| (id, template.clone())))
        })
        .collect()
}

/// All operations, as one OpenAPI service mounted at `/`.
pub fn service(registry: Registry) -> ApiService {
    OpenApiService::new(
        (
            models::ModelsApi {
                registry: registry.clone(),
            },
            versions::VersionsApi {
                registry: registry.clone(),
            },
            artifacts::ArtifactsApi {
                registry: registry.clone(),
            },
            health::HealthApi { registry },
        ),
        "Model Registry API",
        env!("CARGO_PKG_VERSION"),
    )
}

impl From<ModelRecord> for RegisteredModel {
    fn from(record: ModelRecord) -> Self {
        let m = record.model;
        RegisteredModel {
            id: m.id,
            created_at: Timestamp(m.created_at.to_utc()),
            updated_at: Timestamp(m.updated_at.to_utc()),
            project_id: m.project_id,
            owner_id: Nullable(m.owner_id),
            owner_email: record.owner_email,
            name: m.name,
            slug: m.slug,
            description: m.description,
            region_id: m.region_id,
            region_name: record.region_name,
            model_type: m.model_type,
            model_size: m.model_size,
            state: State::from_stored(&m.state),
            deployment_status: DeploymentStatus::from_stored(&m.deployment_status),
            tags: ModelTags::from_stored(m.tags),
            labels: labels_from_stored(m.labels),
            parent_model_id: Nullable(m.parent_model_id),
            version_count: record.version_count,
            latest_version: record.latest_version.map(Into::into),
            default_version: record.default_version.map(Into::into),
        }
    }
}

impl From<VersionRecord> for ModelVersion {
    fn from(record: VersionRecord) -> Self {
        let v = record.version;
        ModelVersion {
            id: v.id,
            created_at: Timestamp(v.created_at.to_utc()),
            updated_at: Timestamp(v.updated_at.to_utc()),
            registered_model_id: v.registered_model_id,
            name: v.name,
            description: v.description,
            is_default: v.is_default,
            state: State::from_stored(&v.state),
            status: VersionStatus::from_stored(&v.status),
            created_by_id: Nullable(v.created_by_id),
            updated_by_id: Nullable(v.updated_by_id),
            created_by_email: record.created_by_email,
            updated_by_email: record.updated_by_email,
            artifact_type: v.artifact_type,
            model_framework: v.model_framework,
            model_framework_version: v.model_framework_version,
            container_image: v.container_image,
            model_catalog_name: v.model_catalog_name,
            uri: v.uri,
            labels: labels_from_stored(v.labels),
            prebuilt_container_id: Nullable(v.prebuilt_container_id),
        }
    }
}

impl From<VersionRecord> for ModelArtifact {
    fn from(record: VersionRecord) -> Self {
        let v = record.version;
        ModelArtifact {
            id: v.id,
            created_at: Timestamp(v.created_at.to_utc()),
            updated_at: Timestamp(v.updated_at.to_utc()),
            registered_model_id: v.registered_model_id,
            name: v.name,
            description: v.description,
            artifact_type: v.artifact_type,
            model_framework: v.model_framework,
            model_framework_version: v.model_framework_version,
            container_image: v.container_image,
            uri: v.uri,
            labels: labels_from_stored(v.labels),
            prebuilt_container_id: Nullable(v.prebuilt_container_id),
        }
    }
}

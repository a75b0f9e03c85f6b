//! The HTTP edge: one poem-openapi `Api` per resource. Handlers parse the
//! request into the domain's values, call the registry and shape the
//! answer; they hold no rules and no SQL, and reach nothing below the
//! registry but the domain's values.

mod aliases;
mod artifacts;
pub mod docs;
pub mod error;
pub mod etag;
pub mod events;
pub mod explain;
mod health;
mod models;
pub mod params;
mod routes;
pub mod types;
mod versions;
mod webhooks;

pub use routes::BASE_PATH;

use std::collections::HashMap;

use poem_openapi::{OpenApi, OpenApiService};

use crate::registry::Registry;

type Apis = (
    models::ModelsApi,
    versions::VersionsApi,
    artifacts::ArtifactsApi,
    aliases::AliasesApi,
    events::EventsApi,
    webhooks::WebhooksApi,
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
    explain::learn_parameters::<Apis>();
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
            aliases::AliasesApi {
                registry: registry.clone(),
            },
            events::EventsApi {
                registry: registry.clone(),
            },
            webhooks::WebhooksApi {
                registry: registry.clone(),
            },
            health::HealthApi { registry },
        ),
        "Model Registry API",
        env!("CARGO_PKG_VERSION"),
    )
}

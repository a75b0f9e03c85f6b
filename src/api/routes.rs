//! Where the operations are mounted, and how the document groups them.

use poem_openapi::Tags;

/// Where the registry's operations live.
pub const BASE_PATH: &str = "/api/v1/model-registry";

#[derive(Tags)]
pub(super) enum ApiTags {
    /// Registered models
    #[oai(rename = "models")]
    Models,
    /// Versions of a registered model
    #[oai(rename = "versions")]
    Versions,
    /// Artifacts: versions seen through a narrower window
    #[oai(rename = "artifacts")]
    Artifacts,
    /// Aliases: a model's names for its versions
    #[oai(rename = "aliases")]
    Aliases,
    /// The change feed
    #[oai(rename = "events")]
    Events,
    /// Webhooks: the change feed, delivered
    #[oai(rename = "webhooks")]
    Webhooks,
    /// Liveness of the service and its database
    #[oai(rename = "health")]
    Health,
}

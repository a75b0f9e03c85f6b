//! The API's own description: the hand-written OpenAPI document, served as
//! `/openapi.yaml` and `/openapi.json`, and Swagger UI at `/docs`.
//!
//! The document is `openapi/model-registry.yaml`, compiled in. A test keeps
//! it and the document poem-openapi derives from the code in step.

use poem::{EndpointExt, Response, Route, endpoint::make_sync, web::Html};

use super::{ApiService, service};
use crate::registry::Registry;

/// `openapi/model-registry.yaml`, as written.
pub const SPEC_YAML: &str = include_str!("../../openapi/model-registry.yaml");

/// The document poem-openapi derives from the handlers and types.
pub fn generated_spec() -> String {
    service(Registry::unconnected()).spec()
}

/// The hand-written document as JSON; `None` if it does not parse (a test
/// guarantees it does).
pub fn spec_json() -> Option<String> {
    let value: serde_json::Value = serde_yaml::from_str(SPEC_YAML).ok()?;
    serde_json::to_string_pretty(&value).ok()
}

/// Adds `/openapi.yaml`, `/openapi.json` and `/docs` to `route`.
pub fn add_routes(route: Route, api: &ApiService) -> Route {
    let generated = api.spec();
    let json = spec_json().unwrap_or_else(|| {
        tracing::error!(
            "openapi/model-registry.yaml does not parse; serving the generated document"
        );
        generated.clone()
    });
    // poem-openapi's Swagger UI page (its assets inside the binary) embeds
    // the generated document; show the hand-written one instead.
    let docs = api.swagger_ui_html().replace(&generated, &json).replace(
        "<title>Swagger UI</title>",
        "<title>Model Registry API</title>",
    );
    let yaml = make_sync(|_| {
        Response::builder()
            .content_type("application/yaml; charset=utf-8")
            .body(SPEC_YAML)
    });
    let json = make_sync(move |_| {
        Response::builder()
            .content_type("application/json; charset=utf-8")
            .body(json.clone())
    });
    route
        .at("/openapi.yaml", yaml)
        .at("/openapi.json", json)
        .at(
            "/docs",
            make_sync(move |_| Html(docs.clone())).map_to_response(),
        )
}

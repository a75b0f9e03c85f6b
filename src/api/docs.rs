//! The API's own description: the hand-written OpenAPI document, served as
//! `/openapi.yaml` and `/openapi.json`, and Swagger UI at `/docs`.
//!
//! The document is `openapi/model-registry.yaml`, compiled in. A test keeps
//! it and the document poem-openapi derives from the code in step.

use std::sync::Arc;

use poem::{EndpointExt, Response, Route, endpoint::make_sync, web::Html};

use super::{ApiService, service};
use crate::registry::Registry;

/// `openapi/model-registry.yaml`, as written.
pub const SPEC_YAML: &str = include_str!("../../openapi/model-registry.yaml");

/// The document poem-openapi derives from the handlers and types.
pub fn generated_spec() -> String {
    service(Registry::unconnected(Arc::new(super::types::WireJson))).spec()
}

/// The hand-written document as JSON, its keys in the file's order (some
/// generators follow it); `None` if it does not parse (a test guarantees it
/// does).
pub fn spec_json() -> Option<String> {
    let value: serde_yaml::Value = serde_yaml::from_str(SPEC_YAML).ok()?;
    serde_json::to_string_pretty(&value).ok()
}

/// The project of the README's tour, which the page starts with.
pub const EXAMPLE_PROJECT: &str = "11111111-1111-1111-1111-111111111111";

/// The security scheme that carries `Project-ID` on the Swagger UI page.
const PROJECT_SCHEME: &str = "ProjectId";

/// Swagger UI keeps what "Authorize" was given across reloads, starting
/// with the tour's project; authorized as its dialog does it, because
/// `preauthorizeApiKey` neither persists it nor passes a readable scheme.
fn swagger_ui_options() -> String {
    format!(
        r#"deepLinking: true,
        persistAuthorization: true,
        onComplete: () => {{
            if (!localStorage.getItem("authorized")) {{
                const schema = window.ui.specSelectors.specJson()
                    .getIn(["components", "securitySchemes", "{PROJECT_SCHEME}"]);
                window.ui.authActions.authorizeWithPersistOption({{
                    "{PROJECT_SCHEME}": {{ name: "{PROJECT_SCHEME}", schema, value: "{EXAMPLE_PROJECT}" }},
                }});
            }}
        }},"#
    )
}

/// The document as Swagger UI shows it: `Project-ID`, a header of every
/// operation, becomes an API key entered once under "Authorize" beside the
/// bearer token. `None` if `json` does not parse.
fn project_as_authorization(json: &str) -> Option<String> {
    use serde_json::{Value, json};
    let mut document: Value = serde_json::from_str(json).ok()?;
    let is_project = |parameter: &Value| {
        parameter["$ref"].as_str() == Some("#/components/parameters/ProjectId")
            || parameter["name"].as_str() == Some("Project-ID")
    };
    // Drops `Project-ID` from a list of parameters; whether it was there.
    let drop_project =
        |holder: &mut Value| match holder.get_mut("parameters").and_then(Value::as_array_mut) {
            Some(parameters) => {
                let before = parameters.len();
                parameters.retain(|parameter| !is_project(parameter));
                parameters.len() != before
            }
            None => false,
        };
    let mut changed = false;
    for item in document["paths"].as_object_mut()?.values_mut() {
        let shared = drop_project(item);
        for method in ["get", "put", "post", "patch", "delete"] {
            let Some(operation) = item.get_mut(method) else {
                continue;
            };
            if drop_project(operation) || shared {
                operation["security"] = json!([
                    {PROJECT_SCHEME: []},
                    {PROJECT_SCHEME: [], "bearerToken": []}
                ]);
                changed = true;
            }
        }
    }
    if changed {
        document["components"]["securitySchemes"][PROJECT_SCHEME] = json!({
            "type": "apiKey",
            "in": "header",
            "name": "Project-ID",
            "description": format!(
                "The project every operation of this page acts in: a UUID, such as \
                 the README tour's {EXAMPLE_PROJECT} (the page starts with it). \
                 Kept across reloads; Logout, then Authorize, to change it."
            ),
        });
    }
    serde_json::to_string(&document).ok()
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
    // the generated document; show the hand-written one instead, with the
    // project entered once for the whole page.
    let page_spec = project_as_authorization(&json).unwrap_or_else(|| json.clone());
    let docs = api
        .swagger_ui_html()
        .replace(&generated, &page_spec)
        .replace(
            "<title>Swagger UI</title>",
            "<title>Model Registry API</title>",
        )
        .replace("    SwaggerUIBundle({", "    window.ui = SwaggerUIBundle({")
        .replace("deepLinking: true,", &swagger_ui_options());
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

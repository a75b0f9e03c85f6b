//! Request ids, health, and what happens when the database goes away.

use serde_json::json;
use uuid::Uuid;

use crate::{
    helpers::{Backend, TestApp},
    on_both_backends,
};

on_both_backends!(
    every_response_carries_a_request_id,
    the_service_serves_its_openapi_document_and_docs
);

async fn the_service_serves_its_openapi_document_and_docs(app: &TestApp) {
    let get = |path: &str| app.client.get(format!("{}{path}", app.address)).send();
    let json = get("/openapi.json").await.expect("answer");
    assert_eq!(json.status(), 200);
    assert!(
        json.headers()["content-type"]
            .to_str()
            .is_ok_and(|v| v.starts_with("application/json"))
    );
    let document: serde_json::Value = json.json().await.expect("json");
    let file: serde_json::Value =
        serde_yaml::from_str(model_registry::api::docs::SPEC_YAML).expect("yaml");
    assert_eq!(document, file);
    let yaml = get("/openapi.yaml").await.expect("answer");
    assert!(
        yaml.headers()["content-type"]
            .to_str()
            .is_ok_and(|v| v.starts_with("application/yaml"))
    );
    assert_eq!(
        yaml.text().await.expect("text"),
        model_registry::api::docs::SPEC_YAML
    );
    let docs = get("/docs").await.expect("answer");
    assert_eq!(docs.status(), 200);
    let page = docs.text().await.expect("html");
    assert!(page.contains("SwaggerUIBundle") && page.contains("listModels"));
    assert!(
        page.contains("<title>Model Registry API</title>"),
        "the tab's title"
    );
    // Project-ID is entered once, under "Authorize", and kept; the page
    // starts with the tour's project.
    assert!(page.contains("persistAuthorization: true"));
    assert!(page.contains("authorizeWithPersistOption"));
    assert!(page.contains(r#"value: "11111111-1111-1111-1111-111111111111""#));
    assert!(page.contains(r#""ProjectId":{"description""#), "the scheme");
    assert!(!page.contains(r##""$ref":"#/components/parameters/ProjectId""##));
}

async fn every_response_carries_a_request_id(app: &TestApp) {
    let given = app
        .send(
            app.client
                .get(app.api("/models"))
                .header("Project-ID", app.project.to_string())
                .header("X-Request-ID", "trace-me-42"),
        )
        .await;
    assert_eq!(given.headers["x-request-id"], "trace-me-42");

    let error = app.send(app.client.get(app.api("/models"))).await;
    assert_eq!(error.status, 400);
    let generated = error.headers["x-request-id"].to_str().expect("ascii");
    assert!(Uuid::parse_str(generated).is_ok(), "{generated}");

    let other = app.get("/models").await;
    assert_ne!(other.headers["x-request-id"], error.headers["x-request-id"]);
}

/// PostgreSQL only: the embedded database cannot go away.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(postgres_tests), ignore = "PostgreSQL: set TEST_DATABASE_URL")]
async fn a_lost_database_means_503s_not_500s() {
    let Some(app) = TestApp::spawn(Backend::Postgres).await else {
        return;
    };
    app.create_model("before").await;
    app.drop_database().await;

    let health = app
        .send(app.client.get(format!("{}/healthz", app.address)))
        .await;
    assert_eq!(health.status, 503, "{}", health.text);
    assert_eq!(health.body["status"], "unhealthy");
    assert!(health.body["error"].is_string());

    for reply in [
        app.get("/models").await,
        app.post(
            "/models",
            &json!({"name": "after", "region_id": Uuid::new_v4()}),
        )
        .await,
    ] {
        assert_eq!(reply.status, 503, "{}", reply.text);
        assert_eq!(reply.body["code"], "unavailable");
        assert!(
            !reply.text.contains("model_registry_test_"),
            "no detail: {}",
            reply.text
        );
    }
}

//! Statements per request, counted by the service itself
//! (`model_registry_db_statements_total` on /metrics): reads cost one round
//! trip, so an N+1 cannot creep back unnoticed.

use serde_json::json;

use crate::{helpers::TestApp, on_both_backends};

on_both_backends!(each_operation_stays_within_its_statement_budget);

async fn statements(app: &TestApp) -> u64 {
    let text = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .expect("the service answers")
        .text()
        .await
        .expect("text");
    text.lines()
        .find_map(|line| line.strip_prefix("model_registry_db_statements_total "))
        .and_then(|value| value.trim().parse().ok())
        .expect("the statement counter")
}

/// Runs `request` alone and returns how many statements it sent.
async fn cost<F: std::future::Future<Output = crate::helpers::Reply>>(
    app: &TestApp,
    request: F,
) -> u64 {
    let before = statements(app).await;
    let reply = request.await;
    assert!(reply.status < 500, "{}", reply.text);
    statements(app).await - before
}

async fn each_operation_stays_within_its_statement_budget(app: &TestApp) {
    let model = app.create_model("budgeted").await;
    for i in 0..3 {
        app.create_version(model, &format!("v{i}"), json!({"is_default": i == 0}))
            .await;
    }
    let version = app.create_version(model, "v3", json!({})).await;
    for i in 0..25 {
        app.create_model(&format!("filler-{i}")).await;
    }

    // Reads: one statement each, the model with its counts, emails and
    // latest and default versions included.
    assert_eq!(
        cost(app, app.get(&format!("/models/{model}"))).await,
        1,
        "GET model"
    );
    assert_eq!(
        cost(app, app.get("/model?name=budgeted")).await,
        1,
        "find model"
    );
    assert_eq!(
        cost(app, app.get(&format!("/model_versions/{version}"))).await,
        1,
        "GET version"
    );
    assert_eq!(
        cost(app, app.get(&format!("/models/{model}/versions/{version}"))).await,
        1,
        "GET nested version"
    );
    assert_eq!(
        cost(app, app.get(&format!("/model_artifacts/{version}"))).await,
        1,
        "GET artifact"
    );
    assert_eq!(
        cost(app, app.get("/model_version?name=v3")).await,
        1,
        "find version"
    );

    // Lists: the page, and a count only when the page cannot tell the total.
    assert!(
        cost(app, app.get("/models?limit=20")).await <= 2,
        "list models"
    );
    assert_eq!(
        cost(app, app.get("/models?limit=100")).await,
        1,
        "a short first page counts itself"
    );
    assert!(
        cost(app, app.get("/model_versions?limit=2")).await <= 2,
        "list versions"
    );
    assert!(
        cost(app, app.get(&format!("/models/{model}/versions?limit=2"))).await <= 2,
        "nested list"
    );
    assert!(
        cost(app, app.get(&format!("/models/{model}/versions?offset=50"))).await <= 2,
        "past the end"
    );
    assert!(
        cost(app, app.get("/model_artifacts?limit=2")).await <= 2,
        "list artifacts"
    );

    // Writes.
    let body = json!({"name": "fresh", "region_id": model});
    assert!(
        cost(app, app.post("/models", &body)).await <= 2,
        "create model"
    );
    let path = format!("/models/{model}");
    let body = json!({"description": "x"});
    assert!(cost(app, app.patch(&path, &body)).await <= 2, "PATCH model");
}

//! The old service's README, scenario by scenario, with its exact bodies.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::{helpers::TestApp, on_both_backends};

on_both_backends!(the_old_readme_scenarios_work_unchanged);

async fn create_test_llm(app: &TestApp, region: Uuid) -> Value {
    app.post(
        "/models",
        &json!({"name":"test-llm","description":"LLM model","region_id": region,
                "model_type":"llm",
                "tags":{"frameworks":["pytorch"],"architectures":["transformer"],"tasks":["text-generation"],"subjects":["nlp"]},
                "labels":{"env":"test"}}),
    )
    .await
    .expect(201)
}

async fn the_old_readme_scenarios_work_unchanged(app: &TestApp) {
    let region = Uuid::new_v4();

    // Scenario A: registered models CRUD.
    let model = create_test_llm(app, region).await;
    assert_eq!(model["model_type"], "llm");
    assert_eq!(model["tags"]["tasks"], json!(["text-generation"]));
    let id = model["id"].as_str().expect("id").to_string();
    let listed = app.get("/models?limit=10&offset=0").await.expect(200);
    assert_eq!(listed["total"], 1);
    app.get(&format!("/models/{id}")).await.expect(200);
    assert_eq!(
        app.get("/model?name=test-llm").await.expect(200)["id"],
        id.as_str()
    );
    let updated = app
        .patch(
            &format!("/models/{id}"),
            &json!({"description":"Updated","state":"ARCHIVED"}),
        )
        .await
        .expect(200);
    assert_eq!(
        (updated["description"].as_str(), updated["state"].as_str()),
        (Some("Updated"), Some("ARCHIVED"))
    );
    assert_eq!(
        app.delete(&format!("/models/{id}")).await.expect(200),
        json!({"status": "deleted"})
    );

    // Scenario B: model versions, on a fresh test-llm.
    let model = create_test_llm(app, region).await;
    let model_id = model["id"].as_str().expect("id").to_string();
    let version = app
        .post(
            &format!("/models/{model_id}/versions"),
            &json!({"name":"v1.0","model_framework":"pytorch","model_framework_version":"2.1.0",
                    "uri":"s3://models/llm/v1","artifact_type":"model","is_default":true,
                    "container_image":"registry.example.com/llm:v1","labels":{"stage":"prod"}}),
        )
        .await
        .expect(201);
    assert_eq!(version["is_default"], true);
    assert_eq!(version["artifact_type"], "model");
    let version_id = version["id"].as_str().expect("id").to_string();
    assert_eq!(
        app.get(&format!("/models/{model_id}/versions?limit=10"))
            .await
            .expect(200)["total"],
        1
    );
    app.get(&format!("/models/{model_id}/versions/{version_id}"))
        .await
        .expect(200);
    let ready = app
        .patch(
            &format!("/models/{model_id}/versions/{version_id}"),
            &json!({"status":"READY","is_default":true}),
        )
        .await
        .expect(200);
    assert_eq!(
        (ready["status"].as_str(), ready["is_default"].as_bool()),
        (Some("READY"), Some(true))
    );
    assert_eq!(
        app.get("/model_versions?limit=10").await.expect(200)["total"],
        1
    );
    app.get(&format!("/model_versions/{version_id}"))
        .await
        .expect(200);
    let found = app
        .get(&format!(
            "/model_version?name=v1.0&registered_model_id={model_id}"
        ))
        .await
        .expect(200);
    assert_eq!(found["id"], version_id.as_str());
    let archived = app
        .patch(
            &format!("/model_versions/{version_id}"),
            &json!({"state":"ARCHIVED"}),
        )
        .await
        .expect(200);
    assert_eq!(archived["state"], "ARCHIVED");

    // Scenario C: artifacts and error cases.
    let artifact = app
        .post(
            "/model_artifacts",
            &json!({"registered_model_id": model_id,"name":"onnx-export",
                    "model_framework":"pytorch","model_framework_version":"2.1.0",
                    "uri":"s3://artifacts/onnx-v1","artifact_type":"onnx"}),
        )
        .await
        .expect(201);
    let artifact_id = artifact["id"].as_str().expect("id").to_string();
    assert_eq!(
        app.get("/model_artifacts?limit=10").await.expect(200)["total"],
        2
    );
    app.get(&format!("/model_artifacts/{artifact_id}"))
        .await
        .expect(200);
    app.get(&format!(
        "/model_artifact?name=onnx-export&registered_model_id={model_id}"
    ))
    .await
    .expect(200);
    let optimized = app
        .patch(
            &format!("/model_artifacts/{artifact_id}"),
            &json!({"uri":"s3://artifacts/onnx-v1-optimized"}),
        )
        .await
        .expect(200);
    assert_eq!(optimized["uri"], "s3://artifacts/onnx-v1-optimized");

    let no_project = app.send(app.client.get(app.api("/models"))).await;
    assert_eq!(no_project.status, 400);
    assert_eq!(app.get("/models/not-a-uuid").await.status, 400);
    assert_eq!(
        app.get("/models/00000000-0000-0000-0000-000000000000")
            .await
            .status,
        404
    );
    let duplicate = app
        .post("/models", &json!({"name":"test-llm","region_id": region}))
        .await;
    assert_eq!(duplicate.status, 409);
    let other: Uuid = "00000000-1111-2222-3333-444444444444"
        .parse()
        .expect("uuid");
    assert_eq!(app.get_as(other, "/models").await.expect(200)["total"], 0);

    let health = app
        .send(app.client.get(format!("{}/healthz", app.address)))
        .await
        .expect(200);
    assert_eq!(health, json!({"status": "ok"}));
}

use serde_json::{Value, json};
use uuid::Uuid;

use crate::{helpers::TestApp, on_both_backends};

on_both_backends!(artifacts_are_versions_through_a_narrower_window);

async fn artifacts_are_versions_through_a_narrower_window(app: &TestApp) {
    let model = app.create_model("m").await;
    let created = app
        .post(
            "/model_artifacts",
            &json!({"registered_model_id": model, "name": "onnx-export", "model_framework": "pytorch",
                    "model_framework_version": "2.1.0", "uri": "s3://artifacts/onnx-v1",
                    "artifact_type": "onnx", "labels": {"k": "v"}}),
        )
        .await
        .expect(201);
    let mut keys: Vec<_> = created
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    keys.sort();
    assert_eq!(
        keys,
        [
            "artifact_type",
            "container_image",
            "created_at",
            "description",
            "id",
            "labels",
            "model_framework",
            "model_framework_version",
            "name",
            "prebuilt_container_id",
            "registered_model_id",
            "updated_at",
            "uri",
        ]
    );
    assert_eq!(created["artifact_type"], "onnx");
    assert_eq!(created["labels"], json!({"k": "v"}));
    let id = created["id"].as_str().expect("id").to_string();

    // It is a version too: PENDING, not default, counted.
    let as_version = app.get(&format!("/model_versions/{id}")).await.expect(200);
    assert_eq!(as_version["status"], "PENDING");
    assert_eq!(as_version["is_default"], false);
    let shown = app.get(&format!("/models/{model}")).await.expect(200);
    assert_eq!(shown["version_count"], 1);

    assert_eq!(
        app.get(&format!("/model_artifacts/{id}")).await.expect(200),
        created
    );
    let listed = app.get("/model_artifacts?limit=10").await.expect(200);
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0], created);
    let of_model = app
        .get(&format!("/model_artifacts?registered_model_id={model}"))
        .await
        .expect(200);
    assert_eq!(of_model["total"], 1);
    let found = app
        .get(&format!(
            "/model_artifact?name=onnx-export&registered_model_id={model}"
        ))
        .await
        .expect(200);
    assert_eq!(found, created);

    let patched = app
        .patch(
            &format!("/model_artifacts/{id}"),
            &json!({"uri": "s3://artifacts/onnx-v1-optimized", "is_default": true, "status": "READY"}),
        )
        .await
        .expect(200);
    assert_eq!(patched["uri"], "s3://artifacts/onnx-v1-optimized");
    let as_version = app.get(&format!("/model_versions/{id}")).await.expect(200);
    assert_eq!(
        as_version["is_default"], false,
        "is_default is not an artifact field"
    );
    assert_eq!(
        as_version["status"], "PENDING",
        "status is not an artifact field"
    );

    let taken = app
        .post(
            "/model_artifacts",
            &json!({"registered_model_id": model, "name": "onnx-export", "model_framework": "p",
                    "model_framework_version": "1", "uri": "s3://x"}),
        )
        .await;
    assert_eq!(taken.status, 409);
    taken.error();
    let no_model = app
        .post(
            "/model_artifacts",
            &json!({"registered_model_id": Uuid::new_v4(), "name": "x", "model_framework": "p",
                    "model_framework_version": "1", "uri": "s3://x"}),
        )
        .await;
    assert_eq!(no_model.status, 404);
    let missing = app
        .get(&format!("/model_artifacts/{}", Uuid::new_v4()))
        .await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.error(), "model artifact not found");
    let missing = app.get("/model_artifact?name=nothing").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.error(), "model artifact not found");
    let bad = app.get("/model_artifact").await;
    assert_eq!(bad.status, 400);
    let _: Value = bad.body;
}

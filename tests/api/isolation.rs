//! A resource of one project does not exist for another: every by-id
//! operation answers 404, lists and finds show nothing, and nothing changes.

use serde_json::json;
use uuid::Uuid;

use crate::{helpers::TestApp, on_both_backends};

on_both_backends!(another_project_sees_and_changes_nothing);

async fn another_project_sees_and_changes_nothing(app: &TestApp) {
    let model = app.create_model("private").await;
    let version = app.create_version(model, "v1", json!({})).await;
    let artifact = app.create_artifact(model, "art").await;
    app.patch(&format!("/models/{model}"), &json!({"state": "ARCHIVED"}))
        .await
        .expect(200);
    let before = app.get(&format!("/models/{model}")).await.expect(200);

    let stranger = Uuid::new_v4();
    let not_found = |what: &'static str| what;
    let cases = [
        (app.get_as(stranger, &format!("/models/{model}")).await, not_found("registered model not found")),
        (app.patch_as(stranger, &format!("/models/{model}"), &json!({"description": "x"})).await, "registered model not found"),
        (app.delete_as(stranger, &format!("/models/{model}")).await, "registered model not found"),
        (app.get_as(stranger, "/model?name=private").await, "registered model not found"),
        (app.get_as(stranger, &format!("/model?externalId={model}")).await, "registered model not found"),
        (
            app.post_as(
                stranger,
                &format!("/models/{model}/versions"),
                &json!({"name": "v9", "model_framework": "p", "model_framework_version": "1", "uri": "s3://x"}),
            )
            .await,
            "registered model not found",
        ),
        (
            // A new default reads the default it demotes under the lock:
            // the other way of creating a version.
            app.post_as(
                stranger,
                &format!("/models/{model}/versions"),
                &json!({"name": "v10", "model_framework": "p", "model_framework_version": "1",
                        "uri": "s3://x", "is_default": true}),
            )
            .await,
            "registered model not found",
        ),
        (app.get_as(stranger, &format!("/models/{model}/versions")).await, "registered model not found"),
        (app.get_as(stranger, &format!("/models/{model}/versions/{version}")).await, "model version not found"),
        (
            app.patch_as(stranger, &format!("/models/{model}/versions/{version}"), &json!({"status": "READY"})).await,
            "model version not found",
        ),
        (app.get_as(stranger, &format!("/model_versions/{version}")).await, "model version not found"),
        (app.patch_as(stranger, &format!("/model_versions/{version}"), &json!({"name": "x"})).await, "model version not found"),
        (app.get_as(stranger, &format!("/model_version?name=v1&registered_model_id={model}")).await, "model version not found"),
        (app.get_as(stranger, &format!("/model_version?externalId={version}")).await, "model version not found"),
        (
            app.post_as(
                stranger,
                "/model_artifacts",
                &json!({"registered_model_id": model, "name": "art2", "model_framework": "onnx",
                        "model_framework_version": "1", "uri": "s3://a"}),
            )
            .await,
            "registered model not found",
        ),
        (app.get_as(stranger, &format!("/model_artifacts/{artifact}")).await, "model artifact not found"),
        (app.patch_as(stranger, &format!("/model_artifacts/{artifact}"), &json!({"uri": "s3://b"})).await, "model artifact not found"),
        (app.get_as(stranger, "/model_artifact?name=art").await, "model artifact not found"),
    ];
    for (reply, message) in cases {
        assert_eq!(reply.status, 404, "{}", reply.text);
        assert_eq!(reply.error(), message);
        assert!(
            !reply.text.contains(&model.to_string()),
            "a 404 reveals nothing"
        );
    }
    for list in ["/models", "/model_versions", "/model_artifacts"] {
        let listed = app.get_as(stranger, list).await.expect(200);
        assert_eq!(listed["total"], 0, "{list}");
        assert_eq!(listed["items"], json!([]), "{list}");
    }
    let filtered = app
        .get_as(
            stranger,
            &format!("/model_versions?registered_model_id={model}"),
        )
        .await
        .expect(200);
    assert_eq!(filtered["total"], 0);

    let after = app.get(&format!("/models/{model}")).await.expect(200);
    assert_eq!(after, before, "nothing changed");
    let version_after = app
        .get(&format!("/model_versions/{version}"))
        .await
        .expect(200);
    assert_eq!(version_after["status"], "PENDING");
    assert_eq!(version_after["name"], "v1");
}

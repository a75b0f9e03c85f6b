use serde_json::{Value, json};
use uuid::Uuid;

use crate::{helpers::TestApp, on_both_backends};

on_both_backends!(
    a_new_version_has_every_field_of_the_contract,
    version_names_are_unique_per_model,
    nested_routes_check_the_model,
    patch_changes_a_version,
    version_lists_filter_and_page,
    find_returns_the_newest_match,
    secrets_are_write_only,
    versions_and_artifacts_are_deleted_by_the_models_rule,
);

const VERSION_FIELDS: [&str; 22] = [
    "id",
    "created_at",
    "updated_at",
    "registered_model_id",
    "name",
    "description",
    "is_default",
    "state",
    "status",
    "created_by_id",
    "updated_by_id",
    "created_by_email",
    "updated_by_email",
    "artifact_type",
    "model_framework",
    "model_framework_version",
    "container_image",
    "model_catalog_name",
    "uri",
    "labels",
    "prebuilt_container_id",
    // Additions (2026-12-04): the names of the aliases that name it.
    "aliases",
];

fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    keys.sort();
    keys
}

async fn a_new_version_has_every_field_of_the_contract(app: &TestApp) {
    let model = app.create_model("m").await;
    let prebuilt = Uuid::new_v4();
    let version = app
        .post(
            &format!("/models/{model}/versions"),
            &json!({
                "name": "v1.0", "model_framework": "pytorch", "model_framework_version": "2.1.0",
                "uri": "s3://models/llm/v1", "description": "first",
                "container_image": "registry.example.com/llm:v1", "model_catalog_name": "catalog",
                "labels": {"stage": "prod"}, "prebuilt_container_id": prebuilt
            }),
        )
        .await
        .expect(201);
    let mut expected: Vec<String> = VERSION_FIELDS.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(keys(&version), expected);
    assert_eq!(version["registered_model_id"], model.to_string());
    assert_eq!(version["state"], "LIVE");
    assert_eq!(version["status"], "PENDING");
    assert_eq!(version["is_default"], false);
    assert_eq!(version["artifact_type"], "model-artifact");
    assert_eq!(version["labels"], json!({"stage": "prod"}));
    assert_eq!(version["prebuilt_container_id"], prebuilt.to_string());
    assert_eq!(version["created_by_id"], Value::Null);
    assert_eq!(version["created_by_email"], "");
    assert_eq!(version["model_catalog_name"], "catalog");

    let id = version["id"].as_str().expect("id");
    let nested = app
        .get(&format!("/models/{model}/versions/{id}"))
        .await
        .expect(200);
    assert_eq!(nested, version);
    let direct = app.get(&format!("/model_versions/{id}")).await.expect(200);
    assert_eq!(direct, version);

    let missing = app
        .get(&format!("/model_versions/{}", Uuid::new_v4()))
        .await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.error(), "model version not found");
    let no_model = app
        .post(
            &format!("/models/{}/versions", Uuid::new_v4()),
            &json!({"name": "v", "model_framework": "p", "model_framework_version": "1", "uri": "s3://x"}),
        )
        .await;
    assert_eq!(no_model.status, 404);
    assert_eq!(no_model.error(), "registered model not found");
}

async fn version_names_are_unique_per_model(app: &TestApp) {
    let a = app.create_model("a").await;
    let b = app.create_model("b").await;
    let v1 = app
        .create_version(a, "v1", json!({"is_default": true}))
        .await;
    app.create_version(b, "v1", json!({})).await;
    // A refused write changes nothing, the default it would have cleared
    // included.
    let again = app
        .post(
            &format!("/models/{a}/versions"),
            &json!({"name": "v1", "model_framework": "p", "model_framework_version": "1",
                    "uri": "s3://x", "is_default": true}),
        )
        .await;
    assert_eq!(again.status, 409);
    assert_eq!(
        again.error(),
        "version with this name already exists for this model"
    );

    let v2 = app.create_version(a, "v2", json!({})).await;
    let clash = app
        .patch(
            &format!("/model_versions/{v2}"),
            &json!({"name": "v1", "is_default": true}),
        )
        .await;
    assert_eq!(clash.status, 409);
    assert_eq!(
        clash.error(),
        "version with this name already exists for this model"
    );
    let default = app.get(&format!("/model_versions/{v1}")).await.expect(200);
    assert_eq!(default["is_default"], true);
    let refused = app.get(&format!("/model_versions/{v2}")).await.expect(200);
    assert_eq!(refused["name"], "v2");
    assert_eq!(refused["is_default"], false);
}

async fn nested_routes_check_the_model(app: &TestApp) {
    let a = app.create_model("a").await;
    let b = app.create_model("b").await;
    let version = app.create_version(a, "v1", json!({})).await;
    let wrong = app.get(&format!("/models/{b}/versions/{version}")).await;
    assert_eq!(wrong.status, 404);
    assert_eq!(wrong.error(), "model version not found");
    let wrong = app
        .patch(
            &format!("/models/{b}/versions/{version}"),
            &json!({"status": "READY"}),
        )
        .await;
    assert_eq!(wrong.status, 404);
    assert_eq!(wrong.error(), "model version not found");
    let unchanged = app
        .get(&format!("/model_versions/{version}"))
        .await
        .expect(200);
    assert_eq!(unchanged["status"], "PENDING");
    let no_model = app
        .get(&format!("/models/{}/versions", Uuid::new_v4()))
        .await;
    assert_eq!(no_model.status, 404);
    assert_eq!(no_model.error(), "registered model not found");
}

async fn patch_changes_a_version(app: &TestApp) {
    let model = app.create_model("m").await;
    let v1 = app
        .create_version(
            model,
            "v1",
            json!({"is_default": true, "labels": {"a": "1"}}),
        )
        .await;
    let v2 = app.create_version(model, "v2", json!({})).await;
    let before = app.get(&format!("/model_versions/{v2}")).await.expect(200);
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;

    let patched = app
        .patch(
            &format!("/models/{model}/versions/{v2}"),
            &json!({"status": "READY", "is_default": true, "description": "d", "uri": "s3://new",
                    "artifact_type": "onnx", "model_framework": "onnx", "model_framework_version": "1.15",
                    "container_image": "img", "labels": {"b": "2"}}),
        )
        .await
        .expect(200);
    assert_eq!(patched["status"], "READY");
    assert_eq!(patched["is_default"], true);
    assert_eq!(patched["description"], "d");
    assert_eq!(patched["uri"], "s3://new");
    assert_eq!(patched["artifact_type"], "onnx");
    assert_eq!(patched["model_framework"], "onnx");
    assert_eq!(patched["model_framework_version"], "1.15");
    assert_eq!(patched["container_image"], "img");
    assert_eq!(patched["labels"], json!({"b": "2"}));
    assert_eq!(patched["name"], "v2");
    assert_eq!(patched["created_at"], before["created_at"]);
    assert_ne!(patched["updated_at"], before["updated_at"]);

    let old_default = app.get(&format!("/model_versions/{v1}")).await.expect(200);
    assert_eq!(old_default["is_default"], false, "one default per model");
    assert_eq!(old_default["labels"], json!({"a": "1"}));

    let direct = app
        .patch(
            &format!("/model_versions/{v2}"),
            &json!({"state": "ARCHIVED", "name": "v2-final", "uri": null}),
        )
        .await
        .expect(200);
    assert_eq!(direct["state"], "ARCHIVED");
    assert_eq!(direct["name"], "v2-final");
    assert_eq!(direct["uri"], "s3://new");

    let undefault = app
        .patch(
            &format!("/model_versions/{v2}"),
            &json!({"is_default": false}),
        )
        .await
        .expect(200);
    assert_eq!(undefault["is_default"], false);
    let model_view = app.get(&format!("/models/{model}")).await.expect(200);
    assert!(model_view.get("default_version").is_none());

    for bad in [
        json!({"status": "DONE"}),
        json!({"state": "archived"}),
        json!({"is_default": "true"}),
        json!({"name": ""}),
        json!({"uri": "x".repeat(501)}),
    ] {
        let reply = app.patch(&format!("/model_versions/{v2}"), &bad).await;
        assert_eq!(reply.status, 400, "{bad}: {}", reply.text);
    }
    let missing = app
        .patch(
            &format!("/model_versions/{}", Uuid::new_v4()),
            &json!({"status": "READY"}),
        )
        .await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.error(), "model version not found");
}

async fn version_lists_filter_and_page(app: &TestApp) {
    let a = app.create_model("a").await;
    let b = app.create_model("b").await;
    for i in 0..3 {
        app.create_version(a, &format!("a{i}"), json!({})).await;
    }
    let b0 = app.create_version(b, "b0", json!({})).await;
    app.patch(
        &format!("/model_versions/{b0}"),
        &json!({"status": "READY", "state": "ARCHIVED"}),
    )
    .await
    .expect(200);

    let nested = app.get(&format!("/models/{a}/versions")).await.expect(200);
    assert_eq!(nested["total"], 3);
    assert_eq!(nested["items"][0]["name"], "a2", "newest first");
    let all = app.get("/model_versions").await.expect(200);
    assert_eq!(all["total"], 4);
    let of_b = app
        .get(&format!("/model_versions?registered_model_id={b}"))
        .await
        .expect(200);
    assert_eq!(of_b["total"], 1);
    let ready = app.get("/model_versions?status=READY").await.expect(200);
    assert_eq!(ready["total"], 1);
    let archived = app.get("/model_versions?state=ARCHIVED").await.expect(200);
    assert_eq!(archived["total"], 1);
    let by_name = app
        .get(&format!(
            "/models/{a}/versions?sort_by=name&order=asc&limit=2"
        ))
        .await
        .expect(200);
    assert_eq!(by_name["items"][0]["name"], "a0");
    assert_eq!(by_name["page_size"], 2);
    assert_eq!(by_name["next_offset"], 2);
    assert_eq!(by_name["total"], 3);

    for bad in [
        "status=ready",
        "sort_by=model_size",
        "limit=0",
        "offset=-3",
        "registered_model_id=x",
    ] {
        let reply = app.get(&format!("/model_versions?{bad}")).await;
        assert_eq!(reply.status, 400, "{bad}: {}", reply.text);
    }
}

async fn find_returns_the_newest_match(app: &TestApp) {
    let a = app.create_model("a").await;
    let b = app.create_model("b").await;
    let older = app.create_version(a, "shared", json!({})).await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let newer = app.create_version(b, "shared", json!({})).await;

    let found = app.get("/model_version?name=shared").await.expect(200);
    assert_eq!(found["id"], newer.to_string());
    let found = app
        .get(&format!(
            "/model_version?name=shared&registered_model_id={a}"
        ))
        .await
        .expect(200);
    assert_eq!(found["id"], older.to_string());
    let found = app
        .get(&format!("/model_version?name=shared&parentResourceId={a}"))
        .await
        .expect(200);
    assert_eq!(found["id"], older.to_string());
    let found = app
        .get(&format!("/model_version?externalId={older}"))
        .await
        .expect(200);
    assert_eq!(found["name"], "shared");

    let none = app.get("/model_version?name=absent").await;
    assert_eq!(none.status, 404);
    assert_eq!(none.error(), "model version not found");
    let neither = app
        .get(&format!("/model_version?registered_model_id={a}"))
        .await;
    assert_eq!(neither.status, 400);
    let conflicting = app
        .get(&format!(
            "/model_version?name=shared&registered_model_id={a}&parentResourceId={b}"
        ))
        .await;
    assert_eq!(conflicting.status, 400);
}

async fn secrets_are_write_only(app: &TestApp) {
    let access = "AKIA-ACCESS-7d1f3c";
    let secret = "s3cr3t-SECRET-9a8b7c";
    let model = app.create_model("secretive").await;
    let mut texts = Vec::new();
    let created = app
        .post(
            &format!("/models/{model}/versions"),
            &json!({"name": "v1", "model_framework": "p", "model_framework_version": "1",
                    "uri": "s3://x", "access_key": access, "secret_key": secret, "is_default": true}),
        )
        .await;
    texts.push(created.text.clone());
    let version = created.id();
    let artifact = app
        .post(
            "/model_artifacts",
            &json!({"registered_model_id": model, "name": "a1", "model_framework": "p",
                    "model_framework_version": "1", "uri": "s3://y", "access_key": access, "secret_key": secret}),
        )
        .await;
    texts.push(artifact.text.clone());
    let artifact = artifact.id();
    for path in [
        format!("/models/{model}"),
        "/models".into(),
        format!("/models/{model}/versions"),
        format!("/models/{model}/versions/{version}"),
        format!("/model_versions/{version}"),
        "/model_versions".into(),
        "/model_version?name=v1".into(),
        format!("/model_artifacts/{artifact}"),
        "/model_artifacts".into(),
        "/model_artifact?name=a1".into(),
    ] {
        texts.push(app.get(&path).await.text);
    }
    texts.push(
        app.patch(
            &format!("/model_versions/{version}"),
            &json!({"status": "READY"}),
        )
        .await
        .text,
    );
    texts.push(
        app.patch(
            &format!("/model_artifacts/{artifact}"),
            &json!({"uri": "s3://z"}),
        )
        .await
        .text,
    );
    let duplicate = app
        .post(
            &format!("/models/{model}/versions"),
            &json!({"name": "v1", "model_framework": "p", "model_framework_version": "1",
                    "uri": "s3://x", "access_key": access, "secret_key": secret}),
        )
        .await;
    assert_eq!(duplicate.status, 409);
    texts.push(duplicate.text);
    for text in &texts {
        assert!(
            !text.contains(access) && !text.contains(secret),
            "secret leaked: {text}"
        );
        assert!(
            !text.contains("access_key") && !text.contains("secret_key"),
            "{text}"
        );
    }
}

/// A version or an artifact can be deleted unless it is READY or the
/// model's default; the model's counts and latest version follow.
async fn versions_and_artifacts_are_deleted_by_the_models_rule(app: &TestApp) {
    let model = app.create_model("pruned").await;
    let other = app.create_model("elsewhere").await;
    let default = app
        .create_version(model, "v1", json!({"is_default": true}))
        .await;
    let ready = app.create_version(model, "v2", json!({})).await;
    app.patch(
        &format!("/model_versions/{ready}"),
        &json!({"status": "READY"}),
    )
    .await
    .expect(200);
    let pending = app.create_version(model, "v3", json!({})).await;
    let artifact = app.create_artifact(model, "a1").await;

    let refused = app.delete(&format!("/model_versions/{default}")).await;
    assert_eq!(refused.status, 400, "{}", refused.text);
    assert_eq!(refused.body["code"], "invalid_argument");
    assert!(refused.error().contains("default"), "{}", refused.text);
    let refused = app
        .delete(&format!("/models/{model}/versions/{ready}"))
        .await;
    assert_eq!(refused.status, 400, "{}", refused.text);
    assert!(refused.error().contains("READY"), "{}", refused.text);

    // Another model's path, another project, an unknown id: not found.
    let reply = app
        .delete(&format!("/models/{other}/versions/{pending}"))
        .await;
    assert_eq!(reply.status, 404, "{}", reply.text);
    let reply = app
        .delete_as(Uuid::new_v4(), &format!("/model_versions/{pending}"))
        .await;
    assert_eq!(reply.status, 404);
    assert_eq!(
        app.delete(&format!("/model_artifacts/{}", Uuid::new_v4()))
            .await
            .status,
        404
    );

    let deleted = app
        .delete(&format!("/models/{model}/versions/{pending}"))
        .await
        .expect(200);
    assert_eq!(deleted, json!({"status": "deleted"}));
    assert_eq!(
        app.get(&format!("/model_versions/{pending}")).await.status,
        404
    );
    let deleted = app
        .delete(&format!("/model_artifacts/{artifact}"))
        .await
        .expect(200);
    assert_eq!(deleted["status"], "deleted");

    let shown = app.get(&format!("/models/{model}")).await.expect(200);
    assert_eq!(shown["version_count"], 2);
    assert_eq!(shown["latest_version"]["id"], ready.to_string());
    assert_eq!(shown["default_version"]["id"], default.to_string());
    // Once not READY, the version goes.
    app.patch(
        &format!("/model_versions/{ready}"),
        &json!({"status": "FAILED"}),
    )
    .await
    .expect(200);
    app.delete(&format!("/model_versions/{ready}"))
        .await
        .expect(200);
    let shown = app.get(&format!("/models/{model}")).await.expect(200);
    assert_eq!(shown["version_count"], 1);
}

//! Racing requests still leave the contract's invariants: one name, one
//! default version.

use futures::future::join_all;
use serde_json::json;
use uuid::Uuid;

use crate::{helpers::TestApp, on_both_backends};

on_both_backends!(
    sixteen_creates_of_one_name_make_one_model,
    eight_racing_defaults_leave_exactly_one,
    racing_version_creates_under_one_name_make_one_version,
);

async fn sixteen_creates_of_one_name_make_one_model(app: &TestApp) {
    let region = Uuid::new_v4();
    let replies = join_all((0..16).map(|_| async move {
        app.post(
            "/models",
            &json!({"name": "contested", "region_id": region}),
        )
        .await
    }))
    .await;
    let created = replies.iter().filter(|r| r.status == 201).count();
    let conflicts = replies.iter().filter(|r| r.status == 409).count();
    assert_eq!(
        (created, conflicts),
        (1, 15),
        "{:?}",
        replies.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    let listed = app.get("/models").await.expect(200);
    assert_eq!(listed["total"], 1);
}

async fn eight_racing_defaults_leave_exactly_one(app: &TestApp) {
    let model = app.create_model("racy").await;
    let mut versions = Vec::new();
    for i in 0..8 {
        versions.push(app.create_version(model, &format!("v{i}"), json!({})).await);
    }
    let replies = join_all(versions.iter().map(|v| async move {
        app.patch(
            &format!("/models/{model}/versions/{v}"),
            &json!({"is_default": true}),
        )
        .await
    }))
    .await;
    assert!(
        replies.iter().all(|r| r.status == 200),
        "{:?}",
        replies.iter().map(|r| &r.text).collect::<Vec<_>>()
    );
    let defaults = app
        .get(&format!("/models/{model}/versions?limit=100"))
        .await
        .expect(200)["items"]
        .as_array()
        .map(|items| items.iter().filter(|v| v["is_default"] == true).count());
    assert_eq!(defaults, Some(1));

    // Creating with is_default races the same way.
    let replies = join_all((0..8).map(|i| async move {
        app.post(
            &format!("/models/{model}/versions"),
            &json!({"name": format!("d{i}"), "model_framework": "p", "model_framework_version": "1",
                    "uri": "s3://x", "is_default": true}),
        )
        .await
    }))
    .await;
    assert!(
        replies.iter().all(|r| r.status == 201),
        "{:?}",
        replies.iter().map(|r| &r.text).collect::<Vec<_>>()
    );
    let listed = app
        .get(&format!("/models/{model}/versions?limit=100"))
        .await
        .expect(200);
    let defaults: Vec<_> = listed["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|v| v["is_default"] == true)
        .collect();
    assert_eq!(defaults.len(), 1);
    let shown = app.get(&format!("/models/{model}")).await.expect(200);
    assert_eq!(shown["default_version"]["id"], defaults[0]["id"]);
}

async fn racing_version_creates_under_one_name_make_one_version(app: &TestApp) {
    let model = app.create_model("versions-race").await;
    let replies = join_all((0..16).map(|_| async move {
        app.post(
            &format!("/models/{model}/versions"),
            &json!({"name": "same", "model_framework": "p", "model_framework_version": "1", "uri": "s3://x"}),
        )
        .await
    }))
    .await;
    let created = replies.iter().filter(|r| r.status == 201).count();
    let conflicts = replies.iter().filter(|r| r.status == 409).count();
    assert_eq!((created, conflicts), (1, 15));
    for reply in replies.iter().filter(|r| r.status == 409) {
        assert_eq!(
            reply.error(),
            "version with this name already exists for this model"
        );
    }
}

//! What a newcomer meets first: `/` leads to the documentation, and a
//! typo in a field name is told, not silently ignored.

use serde_json::json;
use uuid::Uuid;

use crate::{
    helpers::{Reply, TestApp},
    on_both_backends,
};

on_both_backends!(
    the_root_leads_to_the_documentation,
    unknown_fields_are_answered_with_a_warning,
    strict_handling_refuses_unknown_fields_and_writes_nothing,
);

fn warnings(reply: &Reply) -> Vec<String> {
    reply
        .headers
        .get_all("warning")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect()
}

async fn unknown_fields_are_answered_with_a_warning(app: &TestApp) {
    let created = app
        .post(
            "/models",
            &json!({"name": "typo", "region_id": Uuid::new_v4(), "descripton": "x",
                    "tags": {"frameworks": ["jax"], "framework": ["jax"]},
                    "labels": {"any": "key"}}),
        )
        .await;
    assert_eq!(
        warnings(&created),
        [
            r#"299 - "unknown field \"descripton\"""#,
            r#"299 - "unknown field \"tags.framework\"""#,
        ]
    );
    let id = created.expect(201)["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let patched = app
        .patch(&format!("/models/{id}"), &json!({"stat": "ARCHIVED"}))
        .await;
    assert_eq!(warnings(&patched), [r#"299 - "unknown field \"stat\"""#]);
    assert_eq!(patched.expect(200)["state"], "LIVE");
    // Known fields only: no warning.
    let clean = app
        .patch(&format!("/models/{id}"), &json!({"state": "ARCHIVED"}))
        .await;
    assert!(warnings(&clean).is_empty());
    // A flood of names is cut short.
    let mut body = serde_json::Map::new();
    for i in 0..50 {
        body.insert(format!("x{i}"), json!(i));
    }
    let flood = app
        .patch(&format!("/models/{id}"), &serde_json::Value::Object(body))
        .await;
    let told = warnings(&flood);
    assert_eq!(told.len(), 21, "{told:?}");
    assert_eq!(told[20], r#"299 - "30 more unknown fields""#);
}

async fn strict_handling_refuses_unknown_fields_and_writes_nothing(app: &TestApp) {
    let strict = |request: reqwest::RequestBuilder| {
        request
            .header("Project-ID", app.project.to_string())
            .header("Prefer", "handling=strict")
    };
    let refused = app
        .send(
            strict(app.client.post(app.api("/models")))
                .json(&json!({"name": "strict", "region_id": Uuid::new_v4(), "descripton": "x"})),
        )
        .await;
    assert_eq!(refused.status, 400, "{}", refused.text);
    assert_eq!(refused.body["code"], "invalid_argument");
    assert!(
        refused.error().starts_with(r#"unknown field "descripton""#),
        "{}",
        refused.text
    );
    assert_eq!(app.get("/models").await.expect(200)["total"], 0);

    let id = app.create_model("strict").await;
    let before = app.get(&format!("/models/{id}")).await.expect(200);
    let refused = app
        .send(
            strict(app.client.patch(app.api(&format!("/models/{id}"))))
                .json(&json!({"stat": "ARCHIVED", "description": "changed"})),
        )
        .await;
    assert_eq!(refused.status, 400, "{}", refused.text);
    assert!(refused.error().contains(r#""stat""#), "{}", refused.text);
    assert_eq!(app.get(&format!("/models/{id}")).await.expect(200), before);

    // Nothing unknown: strict changes nothing, and says it was applied.
    let accepted = app
        .send(
            strict(app.client.patch(app.api(&format!("/models/{id}"))))
                .json(&json!({"description": "changed"})),
        )
        .await;
    assert_eq!(
        accepted
            .headers
            .get("preference-applied")
            .and_then(|v| v.to_str().ok()),
        Some("handling=strict")
    );
    assert_eq!(accepted.expect(200)["description"], "changed");
}

async fn the_root_leads_to_the_documentation(app: &TestApp) {
    let client = crate::helpers::http_client()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let root = client
        .get(format!("{}/", app.address))
        .send()
        .await
        .expect("an answer");
    assert_eq!(root.status(), 307);
    assert_eq!(
        root.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/docs")
    );
    let docs = app
        .client
        .get(format!("{}/", app.address))
        .send()
        .await
        .expect("an answer");
    assert_eq!(docs.status(), 200);
    assert!(
        docs.text()
            .await
            .unwrap_or_default()
            .contains("Model Registry API")
    );
}

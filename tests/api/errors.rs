//! Every error is JSON with the contract's status and message, and a
//! rejected request changes nothing.

use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use crate::{helpers::TestApp, on_both_backends};

on_both_backends!(
    only_a_taken_name_is_a_conflict,
    every_operation_requires_a_project_id,
    malformed_path_ids_get_the_contract_messages,
    a_bad_id_reads_the_same_wherever_it_is,
    malformed_bodies_are_json_400s,
    strings_longer_than_their_columns_are_refused,
    bodies_over_one_mebibyte_are_413,
    unknown_routes_and_methods_are_json,
    trailing_slashes_are_tolerated,
    nul_characters_are_refused_everywhere,
    bad_input_is_told_by_field_and_rule,
);

/// The 22 operations, with made-up ids.
pub(crate) fn operations() -> Vec<(Method, String)> {
    let id = Uuid::new_v4();
    let ver = Uuid::new_v4();
    [
        (Method::POST, "/models".to_string()),
        (Method::GET, "/models".into()),
        (Method::GET, format!("/models/{id}")),
        (Method::GET, "/model?name=x".into()),
        (Method::PATCH, format!("/models/{id}")),
        (Method::DELETE, format!("/models/{id}")),
        (Method::POST, format!("/models/{id}/versions")),
        (Method::GET, format!("/models/{id}/versions")),
        (Method::GET, format!("/models/{id}/versions/{ver}")),
        (Method::PATCH, format!("/models/{id}/versions/{ver}")),
        (Method::GET, "/model_versions".into()),
        (Method::GET, format!("/model_versions/{ver}")),
        (Method::GET, "/model_version?name=x".into()),
        (Method::PATCH, format!("/model_versions/{ver}")),
        (Method::POST, "/model_artifacts".into()),
        (Method::GET, "/model_artifacts".into()),
        (Method::GET, format!("/model_artifacts/{ver}")),
        (Method::GET, "/model_artifact?name=x".into()),
        (Method::PATCH, format!("/model_artifacts/{ver}")),
        (Method::DELETE, format!("/models/{id}/versions/{ver}")),
        (Method::DELETE, format!("/model_versions/{ver}")),
        (Method::DELETE, format!("/model_artifacts/{ver}")),
    ]
    .into()
}

async fn every_operation_requires_a_project_id(app: &TestApp) {
    let operations = operations();
    assert_eq!(operations.len(), 22);
    for (method, path) in operations {
        let request = app
            .client
            .request(method.clone(), app.api(&path))
            .json(&json!({}));
        let reply = app.send(request).await;
        assert_eq!(reply.status, 400, "{method} {path}: {}", reply.text);
        assert_eq!(reply.error(), "project ID is required (Project-ID header)");
        assert!(
            reply.headers["content-type"]
                .to_str()
                .is_ok_and(|v| v.starts_with("application/json")),
            "{method} {path}"
        );

        let request = app
            .client
            .request(method.clone(), app.api(&path))
            .header("Project-ID", "not-a-uuid")
            .json(&json!({}));
        let reply = app.send(request).await;
        assert_eq!(reply.status, 400, "{method} {path}: {}", reply.text);
        // The contract's words first, then the wording every bad id shares.
        assert_eq!(
            reply.error(),
            "invalid Project-ID header: Project-ID: must be a UUID",
            "{method} {path}"
        );
        assert_eq!(reply.body["code"], "invalid_argument", "{method} {path}");
    }
}

async fn malformed_path_ids_get_the_contract_messages(app: &TestApp) {
    let model = app.create_model("real").await;
    let cases = [
        (Method::GET, "/models/nope".to_string(), "invalid model id"),
        (Method::PATCH, "/models/nope".into(), "invalid model id"),
        (Method::DELETE, "/models/123".into(), "invalid model id"),
        (
            Method::POST,
            "/models/nope/versions".into(),
            "invalid model id",
        ),
        (
            Method::GET,
            "/models/nope/versions".into(),
            "invalid model id",
        ),
        (
            Method::GET,
            format!("/models/nope/versions/{}", Uuid::new_v4()),
            "invalid model id",
        ),
        (
            Method::GET,
            format!("/models/{model}/versions/nope"),
            "invalid version id",
        ),
        (
            Method::PATCH,
            format!("/models/{model}/versions/nope"),
            "invalid version id",
        ),
        (
            Method::GET,
            "/model_versions/nope".into(),
            "invalid version id",
        ),
        (
            Method::PATCH,
            "/model_versions/nope".into(),
            "invalid version id",
        ),
        (
            Method::GET,
            "/model_artifacts/nope".into(),
            "invalid artifact id",
        ),
        (
            Method::PATCH,
            "/model_artifacts/nope".into(),
            "invalid artifact id",
        ),
    ];
    for (method, path, message) in cases {
        let request = app
            .client
            .request(method.clone(), app.api(&path))
            .header("Project-ID", app.project.to_string())
            .json(&json!({}));
        let reply = app.send(request).await;
        assert_eq!(reply.status, 400, "{method} {path}: {}", reply.text);
        assert_eq!(reply.error(), message, "{method} {path}");
        assert_eq!(reply.body["code"], "invalid_argument", "{method} {path}");
    }
}

/// Header, query or body: a malformed id names itself the same way. (A
/// path id answers the contract's fixed body, `invalid model id`.)
async fn a_bad_id_reads_the_same_wherever_it_is(app: &TestApp) {
    let header = app
        .send(
            app.client
                .get(app.api("/models"))
                .header("Project-ID", "abcd"),
        )
        .await;
    let path = app.get("/models/abcd").await;
    assert_eq!(path.status, 400, "{}", path.text);
    assert_eq!(path.error(), "invalid model id");
    assert_eq!(path.body["code"], "invalid_argument");
    let query = app.get("/model_versions?registered_model_id=abcd").await;
    let body = app
        .post("/models", &json!({"name": "m", "region_id": "abcd"}))
        .await;
    for (name, reply) in [
        ("Project-ID", header),
        ("registered_model_id", query),
        ("region_id", body),
    ] {
        assert_eq!(reply.status, 400, "{name}: {}", reply.text);
        assert!(
            reply.error().ends_with(&format!("{name}: must be a UUID")),
            "{name}: {}",
            reply.text
        );
        assert_eq!(reply.body["code"], "invalid_argument", "{name}");
    }
}

async fn malformed_bodies_are_json_400s(app: &TestApp) {
    let model = app.create_model("target").await;
    let raw = |path: String, body: &'static str, content_type: &'static str| {
        app.client
            .post(app.api(&path))
            .header("Project-ID", app.project.to_string())
            .header("Content-Type", content_type)
            .body(body)
    };
    let json = "application/json";
    let cases = [
        raw("/models".into(), "{\"name\": \"x\",", json),
        raw("/models".into(), "[]", json),
        raw("/models".into(), "null", json),
        raw(
            "/models".into(),
            "{\"name\": 5, \"region_id\": \"00000000-0000-0000-0000-000000000000\"}",
            json,
        ),
        raw(
            "/models".into(),
            "{\"name\": \"x\", \"region_id\": \"not-a-uuid\"}",
            json,
        ),
        raw("/models".into(), "{\"name\": \"x\"}", json),
        raw(
            "/models".into(),
            "{\"region_id\": \"00000000-0000-0000-0000-000000000000\"}",
            json,
        ),
        raw(
            "/models".into(),
            "{\"name\": \"\", \"region_id\": \"00000000-0000-0000-0000-000000000000\"}",
            json,
        ),
        raw(
            "/models".into(),
            "{\"name\": \" \\t \", \"region_id\": \"00000000-0000-0000-0000-000000000000\"}",
            json,
        ),
        raw(
            "/models".into(),
            "{\"name\": \"x\", \"region_id\": \"00000000-0000-0000-0000-000000000000\", \"tags\": []}",
            json,
        ),
        raw(
            "/models".into(),
            "{\"name\": \"x\", \"region_id\": \"00000000-0000-0000-0000-000000000000\", \"labels\": {\"a\": [1]}}",
            json,
        ),
        raw(
            format!("/models/{model}/versions"),
            "{\"name\": \"v\"}",
            json,
        ),
        raw(
            format!("/models/{model}/versions"),
            "{\"name\": \"v\", \"model_framework\": \"\", \"model_framework_version\": \"1\", \"uri\": \"s3://x\"}",
            json,
        ),
        raw(
            format!("/models/{model}/versions"),
            "{\"name\": \"v\", \"model_framework\": \"p\", \"model_framework_version\": \"1\", \"uri\": \"s3://x\", \"is_default\": \"yes\"}",
            json,
        ),
        raw("/model_artifacts".into(), "{\"name\": \"a\"}", json),
    ];
    for request in cases {
        let reply = app.send(request).await;
        assert_eq!(reply.status, 400, "{}", reply.text);
        assert!(!reply.error().is_empty());
    }
    let wrong_type = app
        .send(raw("/models".into(), "name=x", "text/plain"))
        .await;
    assert_eq!(wrong_type.status, 400, "{}", wrong_type.text);
    wrong_type.error();

    let listed = app.get("/models").await.expect(200);
    assert_eq!(listed["total"], 1, "nothing was written");
    let versions = app.get("/model_versions").await.expect(200);
    assert_eq!(versions["total"], 0, "nothing was written");
}

async fn strings_longer_than_their_columns_are_refused(app: &TestApp) {
    let model = app.create_model("limits").await;
    let long = |n: usize| "é".repeat(n);
    let fits = app
        .post(
            "/models",
            &json!({"name": long(100), "region_id": Uuid::new_v4(), "model_type": long(50)}),
        )
        .await;
    assert_eq!(fits.status, 201, "{}", fits.text);
    assert_eq!(
        fits.body["name"].as_str().map(|s| s.chars().count()),
        Some(100)
    );
    for body in [
        json!({"name": long(101), "region_id": Uuid::new_v4()}),
        json!({"name": "ok", "region_id": Uuid::new_v4(), "model_type": long(51)}),
    ] {
        assert_eq!(app.post("/models", &body).await.status, 400, "{body}");
    }
    let version = |field: &str, value: String| {
        let mut body = json!({"name": "v", "model_framework": "p", "model_framework_version": "1", "uri": "s3://x"});
        body[field] = json!(value);
        body
    };
    for (field, limit) in [
        ("name", 100),
        ("model_framework", 100),
        ("model_framework_version", 50),
        ("uri", 500),
        ("artifact_type", 50),
        ("container_image", 500),
        ("model_catalog_name", 200),
        ("access_key", 500),
        ("secret_key", 500),
    ] {
        let reply = app
            .post(
                &format!("/models/{model}/versions"),
                &version(field, long(limit + 1)),
            )
            .await;
        assert_eq!(reply.status, 400, "{field} over {limit}: {}", reply.text);
    }
    let reply = app
        .post(
            &format!("/models/{model}/versions"),
            &version("uri", long(500)),
        )
        .await;
    assert_eq!(reply.status, 201, "uri of 500 fits: {}", reply.text);
}

async fn bodies_over_one_mebibyte_are_413(app: &TestApp) {
    let huge = "x".repeat(1024 * 1024 + 1);
    let reply = app
        .post(
            "/models",
            &json!({"name": "big", "region_id": Uuid::new_v4(), "description": huge}),
        )
        .await;
    assert_eq!(reply.status, 413, "{}", reply.text.len());
    reply.error();
    assert_eq!(app.get("/model?name=big").await.status, 404);
}

async fn unknown_routes_and_methods_are_json(app: &TestApp) {
    let reply = app.get("/nothing-here").await;
    assert_eq!(reply.status, 404);
    reply.error();
    assert_eq!(reply.body["code"], "route_not_found", "{}", reply.text);
    let reply = app
        .send(
            app.client
                .put(app.api("/models"))
                .header("Project-ID", app.project.to_string()),
        )
        .await;
    assert_eq!(reply.status, 405, "{}", reply.text);
    reply.error();
}

async fn trailing_slashes_are_tolerated(app: &TestApp) {
    let created = app
        .post(
            "/models/",
            &json!({"name": "slashed", "region_id": Uuid::new_v4()}),
        )
        .await
        .expect(201);
    let id = created["id"].as_str().expect("id");
    app.get("/models/").await.expect(200);
    app.get(&format!("/models/{id}/")).await.expect(200);
    app.get(&format!("/models/{id}/versions/"))
        .await
        .expect(200);
    let health = app
        .send(app.client.get(format!("{}/healthz/", app.address)))
        .await
        .expect(200);
    assert_eq!(health, json!({"status": "ok"}));
}

async fn nul_characters_are_refused_everywhere(app: &TestApp) {
    let model = app.create_model("nul-target").await;
    for body in [
        json!({"name": "a\u{0}b", "region_id": Uuid::new_v4()}),
        json!({"name": "ok", "region_id": Uuid::new_v4(), "description": "x\u{0}"}),
        json!({"name": "ok", "region_id": Uuid::new_v4(), "labels": {"k": "\u{0}"}}),
    ] {
        let reply = app.post("/models", &body).await;
        assert_eq!(reply.status, 400, "{body}: {}", reply.text);
    }
    // A NUL in a label key: PostgreSQL's JSONB cannot hold it, so neither
    // database takes it.
    let reply = app
        .patch(
            &format!("/models/{model}"),
            &json!({"labels": {"k\u{0}": "v"}}),
        )
        .await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    for query in [
        "/model?name=a%00b",
        "/models?search=%00",
        "/models?model_type=%00",
        "/model_version?name=%00",
        "/model_artifact?name=%00",
    ] {
        let reply = app.get(query).await;
        assert_eq!(reply.status, 400, "{query}: {}", reply.text);
        assert!(reply.error().contains("NUL"), "{query}: {}", reply.text);
    }
    let listed = app.get("/models").await.expect(200);
    assert_eq!(listed["total"], 1, "nothing was written");
}

on_both_backends!(
    hostile_strings_round_trip_exactly,
    hostile_numbers_and_shapes_are_refused
);

/// SQL metacharacters, quotes, emoji, right-to-left text and escapes.
const HOSTILE: [&str; 8] = [
    "'; DROP TABLE model_registry_registered_model; --",
    "\" OR 1=1 -- ' \\\\ %_ `backtick`",
    "🚀 модель 模型 🤖",
    "שלום مرحبا \u{202E}reversed\u{202C}",
    "line\nbreak\ttab\r",
    "$1 ?1 :name @var {{template}}",
    "<script>alert(1)</script>&amp;",
    "\u{FEFF}\u{200B}zero width",
];

async fn hostile_strings_round_trip_exactly(app: &TestApp) {
    for (i, text) in HOSTILE.iter().enumerate() {
        let name = format!("{i} {text}");
        let name: String = name.chars().take(100).collect();
        let created = app
            .post(
                "/models",
                &json!({"name": name, "region_id": Uuid::new_v4(), "description": text,
                        "model_type": text.chars().take(50).collect::<String>(),
                        "tags": {"frameworks": [text], "tasks": [text]},
                        "labels": {*text: text}}),
            )
            .await
            .expect(201);
        let id = created["id"].as_str().expect("id").to_string();
        let read = app.get(&format!("/models/{id}")).await.expect(200);
        assert_eq!(read, created);
        assert_eq!(read["name"], name.as_str());
        assert_eq!(read["description"], *text);
        assert_eq!(read["tags"]["frameworks"][0], *text);
        assert_eq!(read["labels"][*text], *text);
        let encoded: String = name.bytes().map(|b| format!("%{b:02X}")).collect();
        let found = app.get(&format!("/model?name={encoded}")).await.expect(200);
        assert_eq!(found["id"], id.as_str());

        let version = app
            .post(
                &format!("/models/{id}/versions"),
                &json!({"name": name, "model_framework": text.chars().take(100).collect::<String>(),
                        "model_framework_version": text.chars().take(50).collect::<String>(),
                        "uri": text, "description": text, "container_image": text,
                        "model_catalog_name": text, "artifact_type": text.chars().take(50).collect::<String>(),
                        "labels": {*text: text}}),
            )
            .await
            .expect(201);
        let vid = version["id"].as_str().expect("id").to_string();
        let read = app.get(&format!("/model_versions/{vid}")).await.expect(200);
        assert_eq!(read, version);
        assert_eq!(read["uri"], *text);
    }
    let searched = app.get("/models?search=%27%3B%20DROP").await.expect(200);
    assert_eq!(searched["total"], 1);
    assert_eq!(app.get("/models").await.expect(200)["total"], HOSTILE.len());
}

async fn hostile_numbers_and_shapes_are_refused(app: &TestApp) {
    let model = app.create_model("numbers").await;
    let deep = (0..200).fold(json!("x"), |inner, _| json!([inner]));
    for body in [
        json!({"model_size": 1e30}),
        json!({"model_size": 9_223_372_036_854_775_808u64}),
        json!({"model_size": -1}),
        json!({"model_size": 1.5}),
        json!({"model_size": "12"}),
        json!({"labels": {"deep": deep}}),
        json!({"tags": {"frameworks": [[["x"]]]}}),
        json!({"description": {"nested": true}}),
        json!({"state": ["LIVE"]}),
    ] {
        let reply = app.patch(&format!("/models/{model}"), &body).await;
        assert_eq!(reply.status, 400, "{body}: {}", reply.text);
        reply.error();
    }
    // Deep nesting past the JSON parser's limit, sent raw.
    let deep_raw = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let reply = app
        .send(
            app.client
                .patch(app.api(&format!("/models/{model}")))
                .header("Project-ID", app.project.to_string())
                .header("Content-Type", "application/json")
                .body(deep_raw),
        )
        .await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    // Duplicate keys: the last one wins, as in most JSON parsers.
    let reply = app
        .send(
            app.client
                .patch(app.api(&format!("/models/{model}")))
                .header("Project-ID", app.project.to_string())
                .header("Content-Type", "application/json")
                .body(r#"{"model_size": 1, "model_size": 2}"#),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["model_size"], 2);
    let max = app
        .patch(
            &format!("/models/{model}"),
            &json!({"model_size": i64::MAX}),
        )
        .await
        .expect(200);
    assert_eq!(max["model_size"], i64::MAX);
}

/// Every 400 for a body or a parameter names the field and what it must be,
/// in the words of the API's documentation, and echoes no value.
async fn bad_input_is_told_by_field_and_rule(app: &TestApp) {
    let region = Uuid::new_v4();
    let model = app.create_model("told").await;
    let name_rule =
        "must be a string of 1 to 100 characters, not only white space, without NUL characters";
    let bodies = [
        (json!({"name": "m"}), "region_id: is required".to_string()),
        (
            json!({"name": 1, "region_id": region}),
            format!("name: {name_rule}"),
        ),
        (
            json!({"name": "  ", "region_id": region}),
            format!("name: {name_rule}"),
        ),
        (
            json!({"name": "m", "region_id": "nope"}),
            "region_id: must be a UUID".into(),
        ),
        (
            json!({"name": "m", "region_id": region, "tags": {"tasks": ["a", 3]}}),
            "tags.tasks[1]: must be a string, without NUL characters".into(),
        ),
        (
            json!({"name": "m", "region_id": region, "labels": {"k": 1}}),
            "labels: each value must be a string, without NUL characters".into(),
        ),
        (json!([1]), "request body: must be an object".into()),
    ];
    for (body, message) in bodies {
        let reply = app.post("/models", &body).await;
        assert_eq!(reply.status, 400, "{body}");
        assert_eq!(reply.error(), message, "{body}");
        assert_eq!(reply.body["code"], "invalid_argument");
    }
    let reply = app
        .patch(&format!("/models/{model}"), &json!({"state": "GONE"}))
        .await;
    assert_eq!(reply.error(), "state: must be one of LIVE, ARCHIVED");
    let secret = "hunter2-secret";
    let reply = app
        .post(
            &format!("/models/{model}/versions"),
            &json!({"name": "v", "model_framework": "p", "model_framework_version": "1",
                    "uri": "s3://x", "secret_key": [secret]}),
        )
        .await;
    assert_eq!(
        reply.error(),
        "secret_key: must be a string of at most 500 characters, without NUL characters"
    );
    assert!(!reply.text.contains(secret));
    for (query, message) in [
        ("/models?state=GONE", "state: must be one of LIVE, ARCHIVED"),
        ("/models?limit=0", "limit: must be an integer of at least 1"),
        (
            &format!("/models?search={}", "x".repeat(101)),
            "search: must be a string of at most 100 characters, without NUL characters",
        ),
        (
            &format!("/models?model_type={}", "t".repeat(51)),
            "model_type: must be a string of at most 50 characters, without NUL characters",
        ),
        (
            "/model_versions?sort_by=model_size",
            "sort_by: must be one of created_at, updated_at, name",
        ),
        (
            "/model_artifacts?registered_model_id=x",
            "registered_model_id: must be a UUID",
        ),
    ] {
        assert_eq!(app.get(query).await.error(), message, "{query}");
    }
}

/// 409 says a name is taken; a violation of any other unique key is the
/// service's (or the database's) mistake: a 500 with nothing to tell, never
/// a misleading "name taken".
async fn only_a_taken_name_is_a_conflict(app: &TestApp) {
    app.post(
        "/models",
        &json!({"name": "first", "region_id": Uuid::new_v4(), "description": "same"}),
    )
    .await
    .expect(201);
    let taken = app
        .post(
            "/models",
            &json!({"name": "first", "region_id": Uuid::new_v4()}),
        )
        .await;
    assert_eq!(taken.status, 409, "{}", taken.text);
    app.execute_sql(
        "CREATE UNIQUE INDEX not_the_service_s ON model_registry_registered_model (project_id, description)",
    )
    .await;
    let other_key = app
        .post(
            "/models",
            &json!({"name": "second", "region_id": Uuid::new_v4(), "description": "same"}),
        )
        .await;
    assert_eq!(other_key.status, 500, "{}", other_key.text);
    assert_eq!(other_key.body["error"], "internal server error");
}

/// A value the database refuses for a reason that is not the caller's (a
/// column narrower than the contract's) is a 500, logged, not a silent 400.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(postgres_tests), ignore = "PostgreSQL: set TEST_DATABASE_URL")]
async fn a_value_error_of_ours_is_a_500() {
    let Some(app) = TestApp::spawn(crate::helpers::Backend::Postgres).await else {
        return;
    };
    app.execute_sql(
        "ALTER TABLE model_registry_registered_model ALTER COLUMN description TYPE VARCHAR(5)",
    )
    .await;
    let refused = app
        .post(
            "/models",
            &json!({"name": "m", "region_id": Uuid::new_v4(), "description": "longer than five"}),
        )
        .await;
    assert_eq!(refused.status, 500, "{}", refused.text);
    assert_eq!(refused.body["error"], "internal server error");
}

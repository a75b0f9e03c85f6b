//! Statements per request, counted by the service itself
//! (`model_registry_db_statements_total` on /metrics): reads cost one round
//! trip, so an N+1 cannot creep back unnoticed.

use serde_json::json;

use crate::{
    helpers::{Backend, TestApp},
    on_both_backends,
};

on_both_backends!(each_operation_stays_within_its_statement_budget);

async fn statements(app: &TestApp) -> u64 {
    let text = app.metrics().await;
    text.lines()
        .find_map(|line| line.strip_prefix("model_registry_db_statements_total "))
        .and_then(|value| value.trim().parse().ok())
        .expect("the statement counter")
}

/// Runs `request` alone, requires it to succeed (a refused request would
/// cost less than the operation), and returns how many statements it sent.
async fn cost<F: std::future::Future<Output = crate::helpers::Reply>>(
    app: &TestApp,
    request: F,
) -> u64 {
    let before = statements(app).await;
    let reply = request.await;
    assert!((200..300).contains(&reply.status), "{}", reply.text);
    statements(app).await - before
}

async fn each_operation_stays_within_its_statement_budget(app: &TestApp) {
    let model = app.create_model("budgeted").await;
    for i in 0..3 {
        app.create_version(model, &format!("v{i}"), json!({"is_default": i == 0}))
            .await;
    }
    let version = app.create_version(model, "v3", json!({})).await;
    // Aliases are part of every version's answer, at no statement's cost.
    for alias in ["champion", "staging"] {
        app.put(
            &format!("/models/{model}/aliases/{alias}"),
            &json!({"version_id": version}),
        )
        .await
        .expect(200);
    }
    for i in 0..25 {
        app.create_model(&format!("filler-{i}")).await;
    }

    // Reads: one statement each, the model with its counts, emails and
    // latest and default versions included.
    for path in [
        format!("/models/{model}"),
        "/model?name=budgeted".to_owned(),
        format!("/model_versions/{version}"),
        format!("/models/{model}/versions/{version}"),
        format!("/model_artifacts/{version}"),
        "/model_version?name=v3".to_owned(),
        format!("/models/{model}/aliases/champion"),
        format!("/models/{model}/aliases"),
    ] {
        assert_eq!(cost(app, app.get(&path)).await, 1, "GET {path}");
    }

    // Lists. Models: the page's ids with the total, then the page's rows
    // by primary key; an empty first page needs no second statement.
    for (path, what) in [
        ("/models?limit=20", "list models"),
        ("/models?limit=100", "a short page"),
        (
            "/models?limit=5&offset=5&sort_by=name&order=asc",
            "a sorted page",
        ),
        ("/models?offset=500", "past the end"),
    ] {
        assert_eq!(cost(app, app.get(path)).await, 2, "{what}");
    }
    assert_eq!(
        cost(app, app.get("/models?search=nothing-matches")).await,
        1,
        "an empty first page"
    );
    // A page token, with a filter, adds no statement to a page.
    let first = app.get("/models?limit=5&label=none:x").await.expect(200);
    assert!(first["next_page_token"].is_null());
    let first = app.get("/models?limit=5").await.expect(200);
    let token = first["next_page_token"].as_str().expect("a token");
    assert_eq!(
        cost(app, app.get(&format!("/models?limit=5&page_token={token}"))).await,
        2,
        "a page after a token"
    );
    let first = app.get("/model_versions?limit=2").await.expect(200);
    let token = first["next_page_token"].as_str().expect("a token");
    assert_eq!(
        cost(
            app,
            app.get(&format!("/model_versions?limit=2&page_token={token}"))
        )
        .await,
        2,
        "a page of versions after a token"
    );

    // Versions: the page, and a count only when the page cannot tell the
    // total; on PostgreSQL the page carries its total always.
    for path in [
        "/model_versions?limit=2".to_owned(),
        format!("/models/{model}/versions?limit=2"),
        format!("/models/{model}/versions?offset=50"),
        "/model_artifacts?limit=2".to_owned(),
    ] {
        // Twice: the second may start from where the first ended.
        for _ in 0..2 {
            let spent = cost(app, app.get(&path)).await;
            match app.backend {
                // One pass counts and gathers, the page's rows joined in.
                Backend::Postgres => assert_eq!(spent, 1, "GET {path}"),
                Backend::Sqlite => assert!(spent <= 2, "GET {path}: {spent}"),
            }
        }
    }

    // Writes: at most two statements, BEGIN and COMMIT aside, each write's
    // events included: PostgreSQL appends them in the write's statement,
    // SQLite (no writes inside WITH) in a second statement of the same
    // call. A write that makes a version the default also reads the
    // version it takes the default from, for that one's event, and on
    // SQLite clears it in one more.
    let default_flip_extra = match app.backend {
        Backend::Postgres => 1,
        Backend::Sqlite => 2,
    };
    let writes = [
        (
            "POST",
            "/models".to_owned(),
            json!({"name": "fresh", "region_id": model}),
            2,
        ),
        (
            "POST",
            "/models".to_owned(),
            json!({"name": "child", "region_id": model, "parent_model_id": model}),
            2,
        ),
        (
            // The model's lock, then the model read whole once it is held.
            "PATCH",
            format!("/models/{model}"),
            json!({"description": "x"}),
            3,
        ),
        (
            "POST",
            format!("/models/{model}/versions"),
            json!({"name": "w1", "model_framework": "pytorch", "model_framework_version": "2", "uri": "s3://b"}),
            2,
        ),
        (
            "POST",
            format!("/models/{model}/versions"),
            json!({"name": "w2", "model_framework": "pytorch", "model_framework_version": "2", "uri": "s3://b", "is_default": true}),
            2 + default_flip_extra,
        ),
        (
            "POST",
            "/model_artifacts".to_owned(),
            json!({"name": "w3", "model_framework": "pytorch", "model_framework_version": "2", "uri": "s3://b", "registered_model_id": model}),
            2,
        ),
        (
            // The model's lock, then the version read whole once it is held.
            "PATCH",
            format!("/model_versions/{version}"),
            json!({"description": "y"}),
            3,
        ),
        (
            "PATCH",
            format!("/model_versions/{version}"),
            json!({"is_default": true, "status": "READY"}),
            3 + default_flip_extra,
        ),
        ("PATCH", format!("/model_versions/{version}"), json!({}), 2),
    ];
    let other = app.create_version(model, "v4", json!({})).await;
    let alias_writes = [
        // The model's lock, the alias as it is, the version it is to name,
        // the model's count of aliases (for a new one), the write.
        (
            "PUT",
            format!("/models/{model}/aliases/new"),
            json!({"version_id": other}),
            5,
        ),
        (
            "PUT",
            format!("/models/{model}/aliases/champion"),
            json!({"version_id": other}),
            4,
        ),
        (
            "PUT",
            format!("/models/{model}/aliases/champion"),
            json!({"version_id": other}),
            3,
        ),
        (
            "DELETE",
            format!("/models/{model}/aliases/new"),
            json!(null),
            3,
        ),
    ];
    for (method, path, body, budget) in writes.into_iter().chain(alias_writes) {
        let spent = match method {
            "POST" => cost(app, app.post(&path, &body)).await,
            "PUT" => cost(app, app.put(&path, &body)).await,
            "DELETE" => cost(app, app.delete(&path)).await,
            _ => cost(app, app.patch(&path, &body)).await,
        };
        assert!(
            spent <= budget,
            "{method} {path} {body}: {spent} statements, budget {budget}"
        );
    }
}

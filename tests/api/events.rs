//! The change feed: what each write appends, how `GET /events` reads and
//! waits, and what it refuses.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    helpers::{Backend, TestApp},
    on_both_backends,
};

on_both_backends!(
    each_write_appends_its_events_with_the_resource_as_get_answers_it,
    refused_failed_and_empty_writes_append_nothing,
    a_new_default_demotes_the_old_one_in_its_own_event,
    deletes_announce_what_was_deleted,
    the_feed_pages_filters_and_tells_a_models_history,
    a_project_sees_only_its_own_events,
    bad_parameters_are_refused_naming_them,
    a_held_read_answers_when_an_event_commits,
);

/// Every event of the project after `after`, following `next_cursor`.
async fn events_after(app: &TestApp, after: Option<&str>, query: &str) -> (Vec<Value>, String) {
    let mut cursor = after.map(str::to_owned);
    let mut events = Vec::new();
    loop {
        let mut path = format!("/events?limit=3{query}");
        if let Some(cursor) = &cursor {
            path += &format!("&after={cursor}");
        }
        let page = app.get(&path).await.expect(200);
        let next = page["next_cursor"].as_str().expect("a cursor").to_owned();
        let batch = page["events"].as_array().cloned().unwrap_or_default();
        if batch.is_empty() {
            assert_eq!(cursor.as_deref().unwrap_or(next.as_str()), next);
            return (events, next);
        }
        assert_eq!(batch.last().map(|e| e["id"].clone()), Some(json!(next)));
        events.extend(batch);
        cursor = Some(next);
    }
}

async fn all_events(app: &TestApp) -> Vec<Value> {
    events_after(app, None, "").await.0
}

fn types(events: &[Value]) -> Vec<&str> {
    events.iter().filter_map(|e| e["type"].as_str()).collect()
}

async fn each_write_appends_its_events_with_the_resource_as_get_answers_it(app: &TestApp) {
    let created = app
        .send(
            app.client
                .post(app.api("/models"))
                .header("Project-ID", app.project.to_string())
                .header("X-Request-ID", "create-1")
                .json(&json!({"name": "fed", "region_id": Uuid::new_v4()})),
        )
        .await
        .expect(201);
    let model = created["id"].as_str().expect("an id").to_owned();
    let version = app
        .post(
            &format!("/models/{model}/versions"),
            &json!({"name": "v1", "model_framework": "pt", "model_framework_version": "2", "uri": "s3://a"}),
        )
        .await
        .expect(201);
    let version_id = version["id"].as_str().expect("an id").to_owned();
    let artifact = app
        .post(
            "/model_artifacts",
            &json!({"registered_model_id": model, "name": "onnx", "model_framework": "pt",
                    "model_framework_version": "2", "uri": "s3://b"}),
        )
        .await
        .expect(201);
    app.patch(
        &format!("/models/{model}"),
        &json!({"description": "x", "model_size": 7}),
    )
    .await
    .expect(200);
    app.patch(
        &format!("/models/{model}/versions/{version_id}"),
        &json!({"status": "READY"}),
    )
    .await
    .expect(200);

    let events = all_events(app).await;
    assert_eq!(
        types(&events),
        [
            "model.created",
            "version.created",
            "version.created",
            "model.updated",
            "version.updated"
        ]
    );
    for event in &events {
        assert_eq!(event["project_id"], json!(app.project));
        assert_eq!(event["model_id"], json!(model));
        assert!(
            event["occurred_at"]
                .as_str()
                .is_some_and(|t| t.ends_with('Z'))
        );
    }
    assert_eq!(events[0]["request_id"], "create-1");
    assert_eq!(events[0]["data"], created);
    assert_eq!(events[0]["version_id"], Value::Null);
    assert_eq!(events[0]["changes"], Value::Null);
    assert_eq!(events[1]["version_id"], json!(version_id));
    assert_eq!(events[1]["data"], version);
    // An artifact is a version: its event carries the version's form.
    assert_eq!(events[2]["version_id"], artifact["id"]);
    assert_eq!(events[2]["data"]["status"], "PENDING");

    // An update's data is what a GET answers then; its changes, only what
    // changed.
    let model_now = app.get(&format!("/models/{model}")).await.expect(200);
    assert_eq!(events[3]["data"], model_now);
    assert_eq!(
        events[3]["changes"],
        json!({"description": {"from": "", "to": "x"}, "model_size": {"from": 0, "to": 7}})
    );
    let version_now = app
        .get(&format!("/model_versions/{version_id}"))
        .await
        .expect(200);
    assert_eq!(events[4]["data"], version_now);
    assert_eq!(
        events[4]["changes"],
        json!({"status": {"from": "PENDING", "to": "READY"}})
    );
}

async fn refused_failed_and_empty_writes_append_nothing(app: &TestApp) {
    let model = app.create_model("quiet").await;
    let version = app
        .create_version(
            model,
            "v1",
            json!({"description": "same", "labels": {"a": "b"}}),
        )
        .await;
    let before = all_events(app).await.len();
    let model_path = format!("/models/{model}");
    let version_path = format!("/model_versions/{version}");
    let (model_read, version_read) = (app.get(&model_path).await, app.get(&version_path).await);
    // A taken name, a bad body, an unknown model, a refused delete, a
    // stale If-Match, and PATCHes that change nothing.
    app.post(
        "/models",
        &json!({"name": "quiet", "region_id": Uuid::new_v4()}),
    )
    .await
    .expect(409);
    app.post("/models", &json!({"name": ""})).await.expect(400);
    app.post(
        &format!("/models/{}/versions", Uuid::new_v4()),
        &json!({"name": "v", "model_framework": "pt", "model_framework_version": "1", "uri": "s3://x"}),
    )
    .await
    .expect(404);
    app.delete(&format!("/models/{model}")).await.expect(400);
    app.send(
        app.client
            .patch(app.api(&format!("/models/{model}")))
            .header("Project-ID", app.project.to_string())
            .header("If-Match", "\"stale\"")
            .json(&json!({"description": "never"})),
    )
    .await
    .expect(412);
    app.patch(&format!("/models/{model}"), &json!({}))
        .await
        .expect(200);
    app.patch(&format!("/models/{model}"), &json!({"description": ""}))
        .await
        .expect(200);
    let same = json!({"description": "same", "labels": {"a": "b"}, "state": "LIVE"});
    let answered = app.patch(&version_path, &same).await.expect(200);
    assert_eq!(answered, version_read.body);
    assert_eq!(all_events(app).await.len(), before);
    // Nor did they move `updated_at` or the ETag.
    for (path, read) in [(&model_path, &model_read), (&version_path, &version_read)] {
        let again = app.get(path).await;
        assert_eq!(again.body, read.body, "{path}");
        assert_eq!(again.headers["etag"], read.headers["etag"], "{path}");
    }
}

async fn a_new_default_demotes_the_old_one_in_its_own_event(app: &TestApp) {
    let model = app.create_model("defaults").await;
    let first = app
        .create_version(model, "v1", json!({"is_default": true}))
        .await;
    let second = app
        .create_version(model, "v2", json!({"is_default": true}))
        .await;
    app.patch(
        &format!("/model_versions/{first}"),
        &json!({"is_default": true}),
    )
    .await
    .expect(200);

    let events = events_after(app, None, &format!("&model_id={model}"))
        .await
        .0;
    assert_eq!(
        types(&events),
        [
            "model.created",
            "version.created",
            "version.created",
            "version.updated",
            "version.updated",
            "version.updated"
        ]
    );
    let demotion = json!({"is_default": {"from": true, "to": false}});
    let promotion = json!({"is_default": {"from": false, "to": true}});
    assert_eq!(events[3]["version_id"], json!(first));
    assert_eq!(events[3]["changes"], demotion);
    assert_eq!(events[4]["version_id"], json!(first));
    assert_eq!(events[4]["changes"], promotion);
    assert_eq!(events[5]["version_id"], json!(second));
    assert_eq!(events[5]["changes"], demotion);
    // A model's events are for its own fields: no model.updated here.
    assert!(!types(&events).contains(&"model.updated"));
}

async fn deletes_announce_what_was_deleted(app: &TestApp) {
    let model = app.create_model("doomed").await;
    let version = app.create_version(model, "v1", json!({})).await;
    let as_it_was = app
        .get(&format!("/model_versions/{version}"))
        .await
        .expect(200);
    app.delete(&format!("/models/{model}/versions/{version}"))
        .await
        .expect(200);
    app.create_version(model, "v2", json!({})).await;
    app.patch(&format!("/models/{model}"), &json!({"state": "ARCHIVED"}))
        .await
        .expect(200);
    let model_as_it_was = app.get(&format!("/models/{model}")).await.expect(200);
    let child = app
        .post(
            "/models",
            &json!({"name": "child", "region_id": Uuid::new_v4(), "parent_model_id": model}),
        )
        .await
        .expect(201);
    app.delete(&format!("/models/{model}")).await.expect(200);

    let events = all_events(app).await;
    // The child lost its parent: its own change, announced as a GET shows it.
    let orphaned = events.last().expect("events");
    assert_eq!(orphaned["type"], "model.updated");
    assert_eq!(orphaned["model_id"], child["id"]);
    let child_now = app
        .get(&format!("/models/{}", child["id"].as_str().expect("id")))
        .await
        .expect(200);
    assert_eq!(child_now["parent_model_id"], Value::Null);
    assert_eq!(orphaned["data"], child_now);
    assert_eq!(
        orphaned["changes"],
        json!({"parent_model_id": {"from": model, "to": null}})
    );
    let deleted: Vec<&Value> = events
        .iter()
        .filter(|e| e["type"].as_str().is_some_and(|t| t.ends_with(".deleted")))
        .collect();
    // The model's delete is one event, not one per version too.
    assert_eq!(deleted.len(), 2, "{deleted:?}");
    assert_eq!(deleted[0]["type"], "version.deleted");
    assert_eq!(deleted[0]["data"], as_it_was);
    assert_eq!(deleted[1]["type"], "model.deleted");
    assert_eq!(deleted[1]["data"], model_as_it_was);
    assert_eq!(deleted[1]["changes"], Value::Null);
}

async fn the_feed_pages_filters_and_tells_a_models_history(app: &TestApp) {
    let a = app.create_model("a").await;
    let b = app.create_model("b").await;
    for i in 0..4 {
        app.create_version(a, &format!("a{i}"), json!({})).await;
        app.create_version(b, &format!("b{i}"), json!({})).await;
    }
    let everything = all_events(app).await;
    assert_eq!(everything.len(), 10);

    // One model's history, in order.
    let (of_a, _) = events_after(app, None, &format!("&model_id={a}")).await;
    assert_eq!(of_a.len(), 5);
    assert!(of_a.iter().all(|e| e["model_id"] == json!(a)));
    let order: Vec<&Value> = everything
        .iter()
        .filter(|e| e["model_id"] == json!(a))
        .collect();
    assert_eq!(of_a.iter().collect::<Vec<_>>(), order);

    // By type, repeated.
    let (created, _) = events_after(app, None, "&type=model.created").await;
    assert_eq!(types(&created), ["model.created", "model.created"]);
    let (both, _) = events_after(app, None, "&type=model.created&type=version.created").await;
    assert_eq!(both.len(), 10);

    // A cursor continues after its event; the last one has nothing after it.
    let third = everything[2]["id"].as_str().expect("an id");
    let (rest, _) = events_after(app, Some(third), "").await;
    assert_eq!(rest, everything[3..]);
    let last = everything[9]["id"].as_str().expect("an id");
    let page = app.get(&format!("/events?after={last}")).await.expect(200);
    assert_eq!(page["events"], json!([]));
    assert_eq!(page["next_cursor"], json!(last));
    let page = app.get("/events?limit=1000").await.expect(200);
    assert_eq!(page["events"].as_array().map(Vec::len), Some(10));
}

async fn a_project_sees_only_its_own_events(app: &TestApp) {
    let model = app.create_model("mine").await;
    let other = Uuid::new_v4();
    let page = app.get_as(other, "/events").await.expect(200);
    assert_eq!(page["events"], json!([]));
    let page = app
        .get_as(other, &format!("/events?model_id={model}"))
        .await
        .expect(200);
    assert_eq!(page["events"], json!([]));
    // Another project's cursor is not this project's.
    let mine = app.get("/events").await.expect(200);
    let cursor = mine["next_cursor"].as_str().expect("a cursor");
    let refused = app.get_as(other, &format!("/events?after={cursor}")).await;
    assert_eq!(refused.status, 400);
    assert!(refused.error().starts_with("after:"), "{}", refused.text);
}

async fn bad_parameters_are_refused_naming_them(app: &TestApp) {
    app.create_model("one").await;
    let cursor = app.get("/events").await.expect(200)["next_cursor"]
        .as_str()
        .expect("a cursor")
        .to_owned();
    let mut altered = cursor.clone().into_bytes();
    altered[0] = if altered[0] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(altered).expect("ascii");
    for (query, named) in [
        ("after=not-a-cursor".to_owned(), "after"),
        (format!("after={altered}"), "after"),
        (format!("after={}", "A".repeat(65)), "after"),
        ("wait=31".into(), "wait"),
        ("wait=-1".into(), "wait"),
        ("limit=0".into(), "limit"),
        ("limit=1001".into(), "limit"),
        ("limit=ten".into(), "limit"),
        ("model_id=nope".into(), "model_id"),
        ("type=model.renamed".into(), "type"),
    ] {
        let reply = app.get(&format!("/events?{query}")).await;
        assert_eq!(reply.status, 400, "{query}: {}", reply.text);
        assert_eq!(reply.body["code"], "invalid_argument");
        assert!(
            reply.error().starts_with(&format!("{named}:")),
            "{query}: {}",
            reply.text
        );
    }
    let unknown = app.get("/events?type=model.renamed").await;
    assert!(
        unknown.error().contains("model.created"),
        "{}",
        unknown.text
    );
    assert!(
        unknown.error().contains("alias.deleted"),
        "{}",
        unknown.text
    );
}

async fn a_held_read_answers_when_an_event_commits(app: &TestApp) {
    app.create_model("before").await;
    let cursor = app.get("/events").await.expect(200)["next_cursor"]
        .as_str()
        .expect("a cursor")
        .to_owned();

    // Nothing comes: held for the whole wait, then an empty page.
    let started = Instant::now();
    let page = app
        .get(&format!("/events?after={cursor}&wait=1"))
        .await
        .expect(200);
    assert!(started.elapsed() >= Duration::from_millis(950));
    assert_eq!(page["events"], json!([]));
    assert_eq!(page["next_cursor"], json!(cursor));

    // Something comes: answered when it commits, well before the wait.
    let held = {
        let path = format!("/events?after={cursor}&wait=20");
        async move { app.get(&path).await }
    };
    let write = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        app.create_model("after").await
    };
    let started = Instant::now();
    let (page, model) = tokio::join!(held, write);
    let page = page.expect(200);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(page["events"][0]["type"], "model.created");
    assert_eq!(page["events"][0]["model_id"], json!(model));
}

/// A held read may outlast the request time limit by its `wait`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_read_is_no_timeout() {
    let Some(app) = TestApp::spawn_with(
        Backend::Sqlite,
        |url| url.to_owned(),
        |config| config.server.request_timeout_ms = 300,
    )
    .await
    else {
        return;
    };
    let started = Instant::now();
    let page = app.get("/events?wait=1").await.expect(200);
    assert!(started.elapsed() >= Duration::from_millis(950));
    assert_eq!(page["events"], json!([]));
}

/// Events past `EVENTS_RETENTION_DAYS` go; a cursor from before them is
/// 410, and a read from the start begins at the oldest kept.
async fn retention_removes_old_events_and_expires_their_cursors(backend: Backend) {
    // Two seconds, as days.
    let retention_days = 2.0 / 86_400.0;
    let Some(app) = TestApp::spawn_with(
        backend,
        |url| url.to_owned(),
        |config| config.events.retention_days = retention_days,
    )
    .await
    else {
        return;
    };
    // A cursor from before the first event expires with it.
    let empty = app.get("/events").await.expect(200)["next_cursor"].clone();
    app.create_model("old").await;
    let first = app.get("/events").await.expect(200);
    let old_cursor = first["events"][0]["id"].as_str().expect("an id").to_owned();
    let start = app.get("/events").await.expect(200)["next_cursor"].clone();
    app.create_model("older").await;
    let deadline = Instant::now() + Duration::from_secs(20);
    let emptied = loop {
        let page = app.get("/events").await.expect(200);
        if page["events"].as_array().is_some_and(Vec::is_empty) {
            break page;
        }
        assert!(Instant::now() < deadline, "nothing removed: {page}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let kept = app.create_model("new").await;
    // A reader that started on the emptied feed goes on from there.
    let restarted = app
        .get(&format!(
            "/events?after={}",
            emptied["next_cursor"].as_str().unwrap_or_default()
        ))
        .await
        .expect(200);
    assert_eq!(restarted["events"][0]["model_id"], json!(kept));
    let expired = app.get(&format!("/events?after={old_cursor}")).await;
    assert_eq!(expired.status, 410, "{}", expired.text);
    assert_eq!(expired.body["code"], "cursor_expired");
    assert!(expired.error().starts_with("after:"), "{}", expired.text);
    for cursor in [&empty, &start] {
        let expired = app
            .get(&format!(
                "/events?after={}",
                cursor.as_str().unwrap_or_default()
            ))
            .await;
        assert_eq!(expired.status, 410, "{cursor}: {}", expired.text);
    }
    let page = app.get("/events").await.expect(200);
    assert_eq!(page["events"][0]["model_id"], json!(kept));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_on_sqlite() {
    retention_removes_old_events_and_expires_their_cursors(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(postgres_tests), ignore = "PostgreSQL: set TEST_DATABASE_URL")]
async fn retention_on_postgres() {
    retention_removes_old_events_and_expires_their_cursors(Backend::Postgres).await;
}

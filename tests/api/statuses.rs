//! Every status the OpenAPI document gives an operation is one it really
//! answers: each (operation, status) pair documented in
//! `openapi/model-registry.yaml` is produced here, against the real service,
//! and the document lists no other error status.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use std::time::Duration;

use crate::{
    helpers::{Backend, TestApp},
    hostile::{exchange, parse_answer},
};

/// An operation of the document: its id, method and path template.
struct Operation {
    id: String,
    method: Method,
    path: String,
    statuses: BTreeSet<u16>,
}

fn documented_operations() -> Vec<Operation> {
    let doc: Value =
        serde_yaml::from_str(model_registry::api::docs::SPEC_YAML).expect("the document parses");
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let Some(path) = path.strip_prefix("/api/v1/model-registry") else {
            continue; // /healthz
        };
        for (method, op) in item.as_object().expect("a path item") {
            let method = match method.as_str() {
                "get" => Method::GET,
                "post" => Method::POST,
                "patch" => Method::PATCH,
                "delete" => Method::DELETE,
                "put" => Method::PUT,
                _ => continue, // the path's own parameters
            };
            let statuses = op["responses"]
                .as_object()
                .map(|r| r.keys().filter_map(|k| k.parse().ok()).collect())
                .unwrap_or_default();
            operations.push(Operation {
                id: op["operationId"]
                    .as_str()
                    .expect("an operationId")
                    .to_owned(),
                method,
                path: path.to_owned(),
                statuses,
            });
        }
    }
    assert_eq!(operations.len(), 35);
    operations
}

/// What the requests are made on: a model with versions `v1` and `v2`, an
/// artifact `a1`, aliases `champion` (of `v1`) and `retired`, and a second
/// model `other`.
struct Fixtures {
    model: Uuid,
    version: Uuid,
    artifact: Uuid,
    webhook: Uuid,
    /// The webhook `deleteWebhook` deletes.
    doomed_webhook: Uuid,
    delivery: Uuid,
}

async fn fixtures(app: &TestApp) -> Fixtures {
    let model = app.create_model("base").await;
    app.create_model("other").await;
    let version = app.create_version(model, "v1", json!({})).await;
    app.create_version(model, "v2", json!({})).await;
    for alias in ["champion", "retired"] {
        app.put(
            &format!("/models/{model}/aliases/{alias}"),
            &json!({"version_id": version}),
        )
        .await
        .expect(200);
    }
    let artifact = app.create_artifact(model, "a1").await;
    // A webhook to a public address (never reached from here), pinged.
    let webhook = app
        .post("/webhooks", &json!({"url": "https://93.184.216.34/hook"}))
        .await
        .id();
    let delivery = app
        .post(&format!("/webhooks/{webhook}/ping"), &json!(null))
        .await
        .id();
    let doomed_webhook = app
        .post("/webhooks", &json!({"url": "https://93.184.216.34/gone"}))
        .await
        .id();
    Fixtures {
        model,
        version,
        artifact,
        webhook,
        doomed_webhook,
        delivery,
    }
}

/// The ways to call an operation.
#[derive(Clone, Copy, PartialEq)]
enum Call {
    Valid,
    Missing,
    Taken,
}

/// The operation's request: its path (with a query for the finds) and body.
fn request(op: &Operation, f: &Fixtures, call: Call, n: usize) -> (String, Option<Value>) {
    let missing = Uuid::new_v4();
    let id = |known: Uuid| {
        if call == Call::Missing {
            missing
        } else {
            known
        }
    };
    let mut path = op
        .path
        .replace("{model_id}", &id(f.model).to_string())
        .replace("{version_id}", &id(f.version).to_string())
        .replace("{artifact_id}", &id(f.artifact).to_string())
        .replace("{webhook_id}", &id(f.webhook).to_string())
        .replace("{delivery_id}", &id(f.delivery).to_string());
    // `deleteAlias` and `deleteWebhook` delete their own, which every
    // other call finds missing.
    path = match op.id.as_str() {
        "deleteAlias" => path.replace("{alias}", "retired"),
        "deleteWebhook" => format!("/webhooks/{}", id(f.doomed_webhook)),
        _ => path.replace("{alias}", "champion"),
    };
    let name = if call == Call::Missing { "missing" } else { "" };
    match op.id.as_str() {
        "findModel" => path += &format!("?name={}", if name.is_empty() { "base" } else { name }),
        "findModelVersion" => {
            path += &format!(
                "?name={}&registered_model_id={}",
                if name.is_empty() { "v1" } else { name },
                f.model
            )
        }
        "findModelArtifact" => {
            path += &format!(
                "?name={}&registered_model_id={}",
                if name.is_empty() { "a1" } else { name },
                f.model
            )
        }
        _ => {}
    }
    let fresh = format!("fresh-{n}");
    let body = match op.id.as_str() {
        "createModel" => {
            let name = if call == Call::Taken { "base" } else { &fresh };
            Some(json!({"name": name, "region_id": Uuid::new_v4()}))
        }
        "createModelVersion" => {
            let name = if call == Call::Taken { "v1" } else { &fresh };
            Some(
                json!({"name": name, "model_framework": "p", "model_framework_version": "1", "uri": "s3://v"}),
            )
        }
        "createModelArtifact" => {
            let name = if call == Call::Taken { "v1" } else { &fresh };
            Some(
                json!({"registered_model_id": id(f.model), "name": name, "model_framework": "p",
                        "model_framework_version": "1", "uri": "s3://a"}),
            )
        }
        "setAlias" => Some(json!({"version_id": id(f.version)})),
        "createWebhook" => Some(json!({"url": "https://93.184.216.34/hook"})),
        "updateWebhook" => Some(json!({"description": fresh})),
        "updateModel" => Some(match call {
            Call::Taken => json!({"name": "other"}),
            _ => json!({"description": fresh}),
        }),
        "updateModelVersion" | "updateModelVersionById" | "updateModelArtifact" => {
            Some(match call {
                Call::Taken => json!({"name": "v2"}),
                _ => json!({"description": fresh}),
            })
        }
        _ => None,
    };
    (path, body)
}

async fn send(
    app: &TestApp,
    op: &Operation,
    path: &str,
    body: Option<&Value>,
    project: bool,
) -> u16 {
    let mut request = app.client.request(op.method.clone(), app.api(path));
    if project {
        request = request.header("Project-ID", app.project.to_string());
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    app.send(request).await.status
}

/// Every documented (operation, status) pair, produced. PostgreSQL, where a
/// broken schema gives the 500s and a lost database the 503s.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(postgres_tests), ignore = "PostgreSQL: set TEST_DATABASE_URL")]
async fn every_documented_status_is_answered() {
    let Some(app) = TestApp::spawn(Backend::Postgres).await else {
        return;
    };
    let operations = documented_operations();
    let mut reached = BTreeSet::new();
    let mut n = 0;
    let f = fixtures(&app).await;
    // A version the model's default, which no delete may take.
    let kept = app
        .create_version(f.model, "kept-default", json!({"is_default": true}))
        .await;
    for op in &operations {
        let (path, _) = request(op, &f, Call::Valid, 0);
        // A URI, and headers, larger than the server reads (sent raw: the
        // client refuses to build such a request).
        for (target, extra) in [
            (
                format!("{path}?label={}", "x".repeat(70_000)),
                String::new(),
            ),
            (
                path.clone(),
                format!("X-Padding: {}\r\n", "b".repeat(600_000)),
            ),
        ] {
            let request = format!(
                "{} /api/v1/model-registry{target} HTTP/1.1\r\nHost: x\r\nProject-ID: {}\r\n{extra}Connection: close\r\n\r\n",
                op.method, app.project
            );
            let answer = exchange(&app, request.as_bytes(), Duration::from_secs(5)).await;
            reached.insert((op.id.clone(), parse_answer(&answer).0));
        }
        let of_a_version = op.path.contains("{version_id}") || op.path.contains("{artifact_id}");
        if op.method == Method::DELETE && of_a_version {
            // Deletes of versions: a fresh one goes (200), the default stays
            // (400), one an alias names stays (409), an unknown one is not
            // found (404).
            n += 1;
            let fresh = app
                .create_version(f.model, &format!("gone-{n}"), json!({}))
                .await;
            for target in [fresh, kept, f.version, Uuid::new_v4()] {
                let path = op
                    .path
                    .replace("{model_id}", &f.model.to_string())
                    .replace("{version_id}", &target.to_string())
                    .replace("{artifact_id}", &target.to_string());
                reached.insert((op.id.clone(), send(&app, op, &path, None, true).await));
            }
            continue;
        }
        for call in [Call::Valid, Call::Missing, Call::Taken] {
            n += 1;
            let (path, body) = request(op, &f, call, n);
            let status = send(&app, op, &path, body.as_ref(), true).await;
            reached.insert((op.id.clone(), status));
        }
        let (path, body) = request(op, &f, Call::Valid, 0);
        reached.insert((
            op.id.clone(),
            send(&app, op, &path, body.as_ref(), false).await,
        ));
        if body.is_some() {
            let huge = json!({"description": "x".repeat(1024 * 1024 + 1)});
            reached.insert((
                op.id.clone(),
                send(&app, op, &path, Some(&huge), true).await,
            ));
        }
    }
    // 304: a GET sent again with the ETag it answered.
    for op in operations.iter().filter(|op| op.statuses.contains(&304)) {
        let (path, _) = request(op, &f, Call::Valid, 0);
        let first = app
            .send(
                app.client
                    .get(app.api(&path))
                    .header("Project-ID", app.project.to_string()),
            )
            .await;
        let etag = first.headers["etag"].to_str().expect("an ETag").to_owned();
        let again = app
            .send(
                app.client
                    .get(app.api(&path))
                    .header("Project-ID", app.project.to_string())
                    .header("If-None-Match", etag),
            )
            .await;
        reached.insert((op.id.clone(), again.status));
    }
    // 412: a write whose If-Match no longer names the resource.
    for op in operations.iter().filter(|op| op.statuses.contains(&412)) {
        n += 1;
        let target = app
            .create_version(f.model, &format!("stale-{n}"), json!({}))
            .await;
        let (path, body) = request(op, &f, Call::Valid, n);
        let path = if op.path.contains("{version_id}") || op.path.contains("{artifact_id}") {
            path.replace(&f.version.to_string(), &target.to_string())
                .replace(&f.artifact.to_string(), &target.to_string())
        } else if op.id == "deleteWebhook" {
            // Its own webhook is gone by now; a stale one keeps this one.
            format!("/webhooks/{}", f.webhook)
        } else {
            path
        };
        let mut stale = app
            .client
            .request(op.method.clone(), app.api(&path))
            .header("Project-ID", app.project.to_string())
            .header("If-Match", "\"stale\"");
        if let Some(body) = &body {
            stale = stale.json(body);
        }
        reached.insert((op.id.clone(), app.send(stale).await.status));
    }
    // The delete rule's success: an archived model with no READY version.
    let doomed = app.create_model("doomed").await;
    app.patch(&format!("/models/{doomed}"), &json!({"state": "ARCHIVED"}))
        .await
        .expect(200);
    app.delete(&format!("/models/{doomed}")).await.expect(200);
    reached.insert(("deleteModel".into(), 200));

    // 409: a new webhook of a project that has all it may have.
    loop {
        let reply = app
            .post("/webhooks", &json!({"url": "https://93.184.216.34/hook"}))
            .await;
        if reply.status != 201 {
            reached.insert(("createWebhook".into(), reply.status));
            break;
        }
    }

    // 409: a new alias of a model that has all it may have.
    let full = app.create_model("full").await;
    let version = app.create_version(full, "v", json!({})).await;
    for i in 0..100 {
        app.put(
            &format!("/models/{full}/aliases/a{i}"),
            &json!({"version_id": version}),
        )
        .await
        .expect(200);
    }
    let refused = app
        .put(
            &format!("/models/{full}/aliases/one-more"),
            &json!({"version_id": version}),
        )
        .await;
    reached.insert(("setAlias".into(), refused.status));

    // 410: a cursor from before what retention removed (its mark, written
    // behind the service's back).
    let cursor = app.get("/events").await.expect(200)["next_cursor"]
        .as_str()
        .expect("a cursor")
        .to_owned();
    app.execute_sql(&format!(
        "INSERT INTO model_registry_event_retention (project_id, txid, event_id) \
         VALUES ('{}', {}, 0)",
        app.project,
        i64::MAX
    ))
    .await;
    let expired = app.get(&format!("/events?after={cursor}")).await;
    reached.insert(("listEvents".into(), expired.status));

    // 401: the same service with a token, called without it.
    let Some(guarded) = TestApp::spawn_with(
        Backend::Postgres,
        |url| url.to_owned(),
        |config| config.auth.token = Some("sesame".to_string().into()),
    )
    .await
    else {
        return;
    };
    let g = fixtures_unauthenticated();
    for op in &operations {
        let (path, body) = request(op, &g, Call::Valid, 0);
        reached.insert((
            op.id.clone(),
            send(&guarded, op, &path, body.as_ref(), true).await,
        ));
    }

    // 500: a column every statement reads is gone.
    app.execute_sql(
        "ALTER TABLE model_registry_registered_model RENAME COLUMN project_id TO project_gone; \
         ALTER TABLE model_registry_event RENAME COLUMN project_id TO project_gone; \
         ALTER TABLE model_registry_model_alias RENAME COLUMN project_id TO project_gone; \
         ALTER TABLE model_registry_webhook RENAME COLUMN project_id TO project_gone",
    )
    .await;
    for op in &operations {
        let (path, body) = request(op, &f, Call::Valid, 0);
        reached.insert((
            op.id.clone(),
            send(&app, op, &path, body.as_ref(), true).await,
        ));
    }
    // 503: the database is lost.
    app.drop_database().await;
    for op in &operations {
        let (path, body) = request(op, &f, Call::Valid, 0);
        reached.insert((
            op.id.clone(),
            send(&app, op, &path, body.as_ref(), true).await,
        ));
    }

    let mut unreached = Vec::new();
    let mut undocumented = Vec::new();
    for op in &operations {
        for status in &op.statuses {
            if !reached.contains(&(op.id.clone(), *status)) {
                unreached.push(format!("{} {status}", op.id));
            }
        }
        for (id, status) in &reached {
            if id == &op.id && !op.statuses.contains(status) {
                undocumented.push(format!("{id} {status}"));
            }
        }
    }
    assert!(
        unreached.is_empty(),
        "documented but never answered: {unreached:?}"
    );
    assert!(
        undocumented.is_empty(),
        "answered but not documented: {undocumented:?}"
    );
}

/// Ids for a service whose every call is refused before it looks them up.
fn fixtures_unauthenticated() -> Fixtures {
    Fixtures {
        model: Uuid::new_v4(),
        version: Uuid::new_v4(),
        artifact: Uuid::new_v4(),
        webhook: Uuid::new_v4(),
        doomed_webhook: Uuid::new_v4(),
        delivery: Uuid::new_v4(),
    }
}

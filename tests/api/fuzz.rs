//! Random and adversarial requests, for what schemathesis (which follows the
//! OpenAPI document) does not reach: arbitrary paths, methods, query strings,
//! headers and bodies. Every answer must be a contract answer: no 5xx, every
//! error JSON, and nothing written by a request that was refused.

use proptest::{
    prelude::*,
    test_runner::{Config, TestCaseError, TestRunner},
};
use reqwest::Method;
use serde_json::Value;
use uuid::Uuid;

use crate::helpers::{Backend, TestApp};

#[derive(Debug, Clone)]
struct RandomRequest {
    method: Method,
    path: String,
    query: String,
    project: Option<String>,
    /// A second `Project-ID` header.
    second_project: Option<String>,
    content_type: Option<String>,
    body: Vec<u8>,
}

fn percent_encode(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(Uuid::new_v4().to_string()),
        Just("00000000-0000-0000-0000-000000000000".to_string()),
        any::<String>().prop_map(|s| percent_encode(&s)),
        "[a-z0-9_-]{0,12}",
        Just("..".to_string()),
        Just("%00".to_string()),
    ]
}

fn path() -> impl Strategy<Value = String> {
    let base = "/api/v1/model-registry";
    (0usize..10, segment(), segment()).prop_map(move |(shape, a, b)| match shape {
        0 => format!("{base}/models"),
        1 => format!("{base}/models/{a}"),
        2 => format!("{base}/models/{a}/versions"),
        3 => format!("{base}/models/{a}/versions/{b}"),
        4 => format!("{base}/model_versions/{a}"),
        5 => format!("{base}/model_artifacts/{a}"),
        6 => format!("{base}/model_artifacts"),
        7 => format!("{base}/{a}"),
        8 => format!("{base}/model_version"),
        _ => format!("/{a}/{b}"),
    })
}

fn query() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("limit"),
        Just("offset"),
        Just("sort_by"),
        Just("order"),
        Just("state"),
        Just("status"),
        Just("search"),
        Just("name"),
        Just("externalId"),
        Just("registered_model_id"),
        Just("parentResourceId"),
        Just("model_type"),
        Just("x"),
    ];
    let value = prop_oneof![
        any::<String>(),
        any::<i64>().prop_map(|n| n.to_string()),
        Just("99999999999999999999999".to_string()),
        Just(Uuid::new_v4().to_string()),
    ];
    prop::collection::vec((key, value), 0..4).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", percent_encode(&v)))
            .collect::<Vec<_>>()
            .join("&")
    })
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        Just(Value::String(Uuid::new_v4().to_string())),
        prop_oneof![Just("LIVE"), Just("ARCHIVED"), Just("READY"), Just("x")]
            .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        let key = prop_oneof![
            Just("name".to_string()),
            Just("region_id".to_string()),
            Just("labels".to_string()),
            Just("tags".to_string()),
            Just("model_size".to_string()),
            Just("state".to_string()),
            Just("is_default".to_string()),
            Just("uri".to_string()),
            Just("registered_model_id".to_string()),
            any::<String>(),
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(key, inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn request() -> impl Strategy<Value = RandomRequest> {
    let method = prop_oneof![
        Just(Method::GET),
        Just(Method::POST),
        Just(Method::PATCH),
        Just(Method::DELETE),
        Just(Method::PUT),
        "[A-Z]{1,24}".prop_map(|name| Method::from_bytes(name.as_bytes()).expect("a token")),
    ];
    let second_project = prop_oneof![
        4 => Just(None),
        1 => Just(Some(Uuid::new_v4().to_string())),
    ];
    let project = prop_oneof![
        Just(None),
        Just(Some(Uuid::new_v4().to_string())),
        "[ -~]{0,40}".prop_map(Some),
    ];
    let content_type = prop_oneof![
        Just(Some("application/json".to_string())),
        Just(None),
        Just(Some("text/plain".to_string())),
        Just(Some("application/json; charset=latin1".to_string())),
    ];
    let body = prop_oneof![
        json_value().prop_map(|v| v.to_string().into_bytes()),
        prop::collection::vec(any::<u8>(), 0..64),
    ];
    (
        method,
        path(),
        query(),
        project,
        second_project,
        content_type,
        body,
    )
        .prop_map(
            |(method, path, query, project, second_project, content_type, body)| RandomRequest {
                method,
                path,
                query,
                project,
                second_project,
                content_type,
                body,
            },
        )
}

async fn total_models(app: &TestApp, project: Uuid) -> u64 {
    app.get_as(project, "/models?limit=1").await.body["total"]
        .as_u64()
        .unwrap_or(u64::MAX)
}

async fn check(app: &TestApp, request: RandomRequest) -> Result<(), TestCaseError> {
    let project = request
        .project
        .as_deref()
        .and_then(|p| Uuid::parse_str(p).ok());
    let before = match project {
        Some(project) => Some(total_models(app, project).await),
        None => None,
    };
    let mut url = format!("{}{}", app.address, request.path);
    if !request.query.is_empty() {
        url = format!("{url}?{}", request.query);
    }
    let mut builder = app
        .client
        .request(request.method.clone(), &url)
        .body(request.body.clone());
    if let Some(project) = &request.project {
        builder = builder.header("Project-ID", project.as_str());
    }
    if let Some(second) = &request.second_project {
        builder = builder.header("Project-ID", second.as_str());
    }
    if let Some(content_type) = &request.content_type {
        builder = builder.header("Content-Type", content_type.as_str());
    }
    let reply = app.send(builder).await;
    prop_assert!(
        reply.status < 500,
        "{request:?} → {} {}",
        reply.status,
        reply.text
    );
    if reply.status >= 400 {
        prop_assert!(
            reply.body["error"].is_string(),
            "{request:?} → {} without a JSON error: {}",
            reply.status,
            reply.text
        );
        if let (Some(project), Some(before)) = (project, before) {
            prop_assert_eq!(
                total_models(app, project).await,
                before,
                "a refused request wrote"
            );
        }
    }
    Ok(())
}

#[test]
fn random_requests_get_contract_answers_on_sqlite() {
    fuzz(Backend::Sqlite);
}

#[test]
#[cfg_attr(not(postgres_tests), ignore = "PostgreSQL: set TEST_DATABASE_URL")]
fn random_requests_get_contract_answers_on_postgres() {
    fuzz(Backend::Postgres);
}

fn fuzz(backend: Backend) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let Some(app) = runtime.block_on(TestApp::spawn(backend)) else {
        return;
    };
    let mut runner = TestRunner::new(Config {
        cases: 400,
        failure_persistence: None,
        ..Config::default()
    });
    let outcome = runner.run(&request(), |request| runtime.block_on(check(&app, request)));
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
    // Whatever was sent, the metrics name only known methods and routes.
    let metrics = runtime.block_on(app.metrics());
    for line in metrics.lines().filter(|l| l.contains("method=\"")) {
        let method = line
            .split("method=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_default();
        assert!(
            [
                "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"
            ]
            .contains(&method),
            "{line}"
        );
        assert!(
            line.contains("route=\"unmatched\"") || line.contains("route=\"/"),
            "{line}"
        );
    }
    drop(app);
}

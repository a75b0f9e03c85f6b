//! Hostile traffic: what a caller controls never grows the metrics, holds a
//! connection, forges a log field or picks another project; the HTTP layer's
//! own refusals are JSON; and both databases answer hostile input alike.

use std::{
    collections::BTreeSet,
    time::{Duration, Instant},
};

use reqwest::Method;
use serde_json::{Value, json};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};
use uuid::Uuid;

use crate::{
    errors::operations,
    helpers::{Backend, TestApp},
    on_both_backends,
};

on_both_backends!(
    invented_methods_and_paths_add_no_metric_series,
    refusals_of_the_http_layer_are_json_and_counted,
    an_oversized_upload_is_refused_without_waiting_for_it,
    two_project_ids_are_refused_on_every_operation,
);

/// `host:port` of the service.
fn authority(app: &TestApp) -> &str {
    app.address.trim_start_matches("http://")
}

/// Sends `bytes` on a new connection and returns all it answers until it
/// closes (or `wait` passes).
pub(crate) async fn exchange(app: &TestApp, bytes: &[u8], wait: Duration) -> String {
    let mut stream = TcpStream::connect(authority(app)).await.expect("connect");
    stream.write_all(bytes).await.expect("send");
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(wait, stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

/// The status and JSON body of a raw HTTP answer.
pub(crate) fn parse_answer(answer: &str) -> (u16, Value) {
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((answer, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {answer:?}"));
    let body = serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {answer:?}"));
    (status, body)
}

/// The metric series, without their values.
fn series(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.rsplit_once(' ').map(|(name, _)| name.to_owned()))
        .collect()
}

async fn invented_methods_and_paths_add_no_metric_series(app: &TestApp) {
    let invent = |i: usize| {
        let name = format!("X{}", "Q".repeat(i % 50)) + &i.to_string();
        Method::from_bytes(name.as_bytes()).expect("a token")
    };
    // The first of each kind may add its series; the next hundreds may not.
    let send = async |method: Method, path: String| {
        let reply = app
            .send(
                app.client
                    .request(method, app.api(&path))
                    .header("Project-ID", app.project.to_string()),
            )
            .await;
        reply.error();
        reply.status
    };
    assert_eq!(send(invent(0), "/models".into()).await, 405);
    assert_eq!(send(Method::GET, "/no/such/route".into()).await, 404);
    app.metrics().await; // the scrape's own series
    let before = app.metrics().await;
    for i in 1..300 {
        assert_eq!(send(invent(i), format!("/models/{i}/x")).await, 405);
        assert_eq!(
            send(Method::GET, format!("/no/{}/{i}", "p".repeat(i))).await,
            404
        );
    }
    let after = app.metrics().await;
    assert_eq!(series(&before), series(&after), "no new series");
    assert!(
        after.len() < before.len() + 200,
        "only counters moved: {} -> {} bytes",
        before.len(),
        after.len()
    );
    assert!(after.contains(r#"method="other",route="unmatched",status="405""#));
    assert!(after.contains(r#"method="GET",route="unmatched",status="404""#));
}

async fn refusals_of_the_http_layer_are_json_and_counted(app: &TestApp) {
    let wait = Duration::from_secs(5);
    let many_headers: String = (0..200).map(|i| format!("X-H{i}: v\r\n")).collect();
    let cases: [(Vec<u8>, u16, &str); 4] = [
        (b"NOT HTTP AT ALL\r\n\r\n".to_vec(), 400, "invalid_argument"),
        (
            format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(70_000)).into_bytes(),
            414,
            "uri_too_long",
        ),
        (
            format!("GET /healthz HTTP/1.1\r\nHost: x\r\n{many_headers}\r\n").into_bytes(),
            431,
            "headers_too_large",
        ),
        (
            format!(
                "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
                "b".repeat(600_000)
            )
            .into_bytes(),
            431,
            "headers_too_large",
        ),
    ];
    for (request, status, code) in cases {
        let answer = exchange(app, &request, wait).await;
        let (got, body) = parse_answer(&answer);
        assert_eq!(got, status, "{answer}");
        assert_eq!(body["code"], code, "{answer}");
        assert!(body["error"].is_string(), "{answer}");
        assert!(
            answer
                .to_ascii_lowercase()
                .contains("content-type: application/json"),
            "{answer}"
        );
    }
    for path in ["/models?search=%ff", "/model_versions?label=a:%C3"] {
        let reply = app.get(path).await;
        assert_eq!(reply.status, 400, "{path}: {}", reply.text);
        assert_eq!(reply.body["code"], "invalid_argument", "{path}");
        assert!(reply.error().contains("UTF-8"), "{path}: {}", reply.text);
    }
    let metrics = app.metrics().await;
    for status in [400, 414, 431] {
        assert!(
            metrics.contains(&format!(
                r#"http_requests_total{{method="other",route="unmatched",status="{status}"}}"#
            )),
            "{status} is counted"
        );
    }
    // The service still serves.
    let health = app
        .send(app.client.get(format!("{}/healthz", app.address)))
        .await;
    assert_eq!(health.status, 200);
}

/// What arrives next on `stream` (one read, within 5 s).
async fn next_answer(stream: &mut TcpStream) -> String {
    let mut buffer = vec![0u8; 4096];
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buffer))
        .await
        .expect("an answer in time")
        .expect("read");
    String::from_utf8_lossy(&buffer[..read]).into_owned()
}

async fn an_oversized_upload_is_refused_without_waiting_for_it(app: &TestApp) {
    let head = |length: usize| {
        format!(
            "POST /api/v1/model-registry/models HTTP/1.1\r\nHost: x\r\nProject-ID: {}\r\n\
             Content-Type: application/json\r\nContent-Length: {length}\r\n\
             Expect: 100-continue\r\n\r\n",
            app.project
        )
    };
    // Too large: the answer is the 413 itself, not an invitation to send.
    let mut stream = TcpStream::connect(authority(app)).await.expect("connect");
    stream
        .write_all(head(2 * 1024 * 1024).as_bytes())
        .await
        .expect("send");
    let answer = next_answer(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 413 "), "{answer}");
    assert!(answer.contains("payload_too_large"), "{answer}");

    // Announced but never sent: refused all the same, not held to the
    // request's time limit.
    let mut stream = TcpStream::connect(authority(app)).await.expect("connect");
    let announced = head(5_000_000).replace("Expect: 100-continue\r\n", "");
    stream.write_all(announced.as_bytes()).await.expect("send");
    let answer = next_answer(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 413 "), "{answer}");

    // Within the limit: told to continue, then created.
    let body = json!({"name": "continued", "region_id": Uuid::new_v4()}).to_string();
    let mut stream = TcpStream::connect(authority(app)).await.expect("connect");
    stream
        .write_all(head(body.len()).as_bytes())
        .await
        .expect("send");
    let interim = next_answer(&mut stream).await;
    assert!(interim.starts_with("HTTP/1.1 100 Continue"), "{interim}");
    stream.write_all(body.as_bytes()).await.expect("body");
    let created = next_answer(&mut stream).await;
    assert!(created.starts_with("HTTP/1.1 201 "), "{created}");
    app.get("/model?name=continued").await.expect(200);
}

async fn two_project_ids_are_refused_on_every_operation(app: &TestApp) {
    let other = Uuid::new_v4();
    for (method, path) in operations() {
        let request = app
            .client
            .request(method.clone(), app.api(&path))
            .header("Project-ID", app.project.to_string())
            .header("Project-ID", other.to_string())
            .json(&json!({"name": "two", "region_id": Uuid::new_v4()}));
        let reply = app.send(request).await;
        assert_eq!(reply.status, 400, "{method} {path}: {}", reply.text);
        assert_eq!(reply.body["code"], "invalid_argument", "{method} {path}");
        assert!(reply.error().contains("Project-ID"), "{}", reply.text);
    }
    for project in [app.project, other] {
        let listed = app.get_as(project, "/models").await.expect(200);
        assert_eq!(listed["total"], 0, "nothing was created");
    }
}

/// Both databases, one request after another, must give the same status,
/// code and listed names.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(postgres_tests), ignore = "PostgreSQL: set TEST_DATABASE_URL")]
async fn both_databases_answer_hostile_input_alike() {
    let Some(sqlite) = TestApp::spawn(Backend::Sqlite).await else {
        return;
    };
    let Some(postgres) = TestApp::spawn(Backend::Postgres).await else {
        return;
    };
    let sqlite_answers = hostile_session(&sqlite).await;
    let postgres_answers = hostile_session(&postgres).await;
    assert_eq!(sqlite_answers.len(), postgres_answers.len());
    for ((request, on_sqlite), (_, on_postgres)) in sqlite_answers.iter().zip(&postgres_answers) {
        assert_eq!(on_sqlite, on_postgres, "{request}");
    }
}

/// Runs the hostile requests; returns each request with what matters of its
/// answer: status, code, and the names a list or a create shows.
async fn hostile_session(app: &TestApp) -> Vec<(String, Value)> {
    for name in [
        "a%b",
        "a_b",
        "axb",
        "A%B upper",
        "back\\slash",
        "École Ünï",
        "(.*)+?",
        "ΟΔΟΣ",
        "İzmir",
    ] {
        app.create_model(name).await;
    }
    let model = app.create_model("target").await;
    let region = Uuid::new_v4();
    let long_search = "_".repeat(25_000);
    let gets = [
        "/models?search=a%25b".to_string(),
        "/models?search=_".into(),
        "/models?search=%25".into(),
        "/models?search=%5C".into(),
        "/models?search=A%25B".into(),
        "/models?search=%C3%A9COLE".into(),
        "/models?search=%C3%BCN%C3%8F".into(),
        // A name finds itself, even where Rust's lowercase and the
        // database's differ (a final sigma, a dotted capital I).
        "/models?search=%CE%9F%CE%94%CE%9F%CE%A3".into(),
        "/models?search=%C4%B0zmir".into(),
        // Not UTF-8 once decoded: refused, not read as U+FFFD.
        "/models?search=%ff".into(),
        "/model_versions?label=%ff:x".into(),
        "/models?search=(.*)".into(),
        "/models?search=.".into(),
        "/models?search=%00".into(),
        "/models?search=x%00y".into(),
        format!("/models?search={}", "_".repeat(100)),
        format!("/models?search={}", "_".repeat(101)),
        format!("/models?search={long_search}"),
        "/models?model_type=%00".into(),
        format!("/models?model_type={}", "t".repeat(51)),
        "/model?name=%00".into(),
        "/model?name=a_b".into(),
        "/model?name=a%25".into(),
        format!("/model?name={}", "n".repeat(101)),
        "/model_version?name=%00".into(),
        "/model_artifact?name=%00".into(),
    ];
    let writes = [
        json!({"name": "k1", "region_id": region, "labels": {"k\u{0}": "v"}}),
        json!({"name": "k2", "region_id": region, "labels": {"k": "v\u{0}"}}),
        json!({"name": "k3", "region_id": region, "tags": {"frameworks": ["a\u{0}"]}}),
        json!({"name": "k4", "region_id": region, "tags": {"k\u{0}": ["a"]}}),
        json!({"name": "🚀".repeat(100), "region_id": region}),
        json!({"name": "🚀".repeat(101), "region_id": region}),
        json!({"name": "k5\u{0}", "region_id": region}),
    ];
    let mut answers = Vec::new();
    // Names as a set: the order of a name sort is each database's collation.
    let summary = |reply: &crate::helpers::Reply| {
        let mut names: Vec<String> = match reply.body["items"].as_array() {
            Some(items) => items.iter().map(|item| item["name"].to_string()).collect(),
            None => vec![reply.body["name"].to_string()],
        };
        names.sort();
        json!({"status": reply.status, "code": reply.body["code"], "names": names,
               "total": reply.body["total"]})
    };
    for path in gets {
        let reply = app.get(&path).await;
        answers.push((
            format!("GET {}", &path[..path.len().min(80)]),
            summary(&reply),
        ));
    }
    for body in writes {
        let reply = app.post("/models", &body).await;
        answers.push((
            format!("POST /models {}", shortened(&body)),
            summary(&reply),
        ));
        let patch = json!({"labels": body["labels"], "tags": body["tags"]});
        let reply = app.patch(&format!("/models/{model}"), &patch).await;
        answers.push((
            format!("PATCH /models {}", shortened(&patch)),
            summary(&reply),
        ));
    }
    let listed = app.get("/models?sort_by=name&order=asc&limit=100").await;
    answers.push(("what was stored".into(), summary(&listed)));
    answers
}

fn shortened(body: &Value) -> String {
    body.to_string().chars().take(80).collect()
}

/// A head that stops, or trickles, and a new connection that sends nothing,
/// are closed after the head timeout while other callers are served; a
/// quiet keep-alive connection is the idle timeout's business, not the
/// head's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_request_heads_are_closed_and_others_served() {
    let Some(app) = TestApp::spawn_with(
        Backend::Sqlite,
        |url| url.to_owned(),
        |config| {
            config.server.head_timeout_ms = 600;
            config.server.idle_timeout_secs = 3;
        },
    )
    .await
    else {
        return;
    };
    // A keep-alive connection that has been answered once, then is quiet.
    let mut quiet = TcpStream::connect(authority(&app)).await.expect("connect");
    quiet
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("send");
    let mut first = vec![0u8; 1024];
    let read = quiet.read(&mut first).await.expect("the first answer");
    assert!(first[..read].starts_with(b"HTTP/1.1 200 "));
    let started = Instant::now();
    let mut half = TcpStream::connect(authority(&app)).await.expect("connect");
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("send");
    let mut silent = TcpStream::connect(authority(&app)).await.expect("connect");
    let trickle = tokio::spawn({
        let address = authority(&app).to_owned();
        async move {
            let mut stream = TcpStream::connect(address).await.expect("connect");
            let started = Instant::now();
            for byte in b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: abcdefghijklmnopqrstuvwxyz" {
                if stream.write_all(&[*byte]).await.is_err() {
                    return started.elapsed();
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            panic!("the trickled head was never cut off");
        }
    });
    // Others are served meanwhile.
    for _ in 0..20 {
        let health = app
            .send(app.client.get(format!("{}/healthz", app.address)))
            .await;
        assert_eq!(health.status, 200);
    }
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(3), half.read_to_end(&mut rest)).await;
    assert!(closed.is_ok(), "the half-sent head is closed");
    let half_closed = started.elapsed();
    assert!(
        half_closed >= Duration::from_millis(500) && half_closed < Duration::from_millis(2500),
        "closed after {half_closed:?}"
    );
    // A new connection that says nothing is held no longer than a slow head.
    let closed = tokio::time::timeout(Duration::from_secs(3), silent.read_to_end(&mut rest)).await;
    assert!(closed.is_ok(), "the silent connection is closed");
    let cut = tokio::time::timeout(Duration::from_secs(5), trickle)
        .await
        .expect("the trickle is cut off in time")
        .expect("the trickle task");
    assert!(cut < Duration::from_secs(2), "cut off after {cut:?}");
    // The quiet connection outlived the head timeout and still serves.
    quiet
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .expect("send on the quiet connection");
    let mut answer = String::new();
    tokio::time::timeout(Duration::from_secs(3), quiet.read_to_string(&mut answer))
        .await
        .expect("an answer")
        .expect("read");
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
}

/// Beyond the connection cap a connection is answered 503 and counted;
/// once others close, connections are taken again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_over_the_cap_are_refused_with_503() {
    let Some(app) = TestApp::spawn_with(
        Backend::Sqlite,
        |url| url.to_owned(),
        |config| config.server.max_connections = 3,
    )
    .await
    else {
        return;
    };
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(TcpStream::connect(authority(&app)).await.expect("connect"));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let answer = exchange(
        &app,
        b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
        Duration::from_secs(3),
    )
    .await;
    let (status, body) = parse_answer(&answer);
    assert_eq!(status, 503, "{answer}");
    assert_eq!(body["code"], "unavailable");
    drop(held);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let metrics = app.metrics().await;
    let refused = metrics
        .lines()
        .find_map(|line| line.strip_prefix("model_registry_http_connections_refused_total "))
        .and_then(|v| v.trim().parse::<f64>().ok());
    assert_eq!(refused, Some(1.0), "{metrics}");
    assert!(metrics.contains("model_registry_http_connections_open "));
}

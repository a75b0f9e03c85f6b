//! The feed published to NATS JetStream (`EVENTS_NATS_URL`): every event
//! arrives on `model_registry.<project>.<type>`, its body the event as
//! `GET /events` answers it and its id as `Nats-Msg-Id`, in order per model;
//! a NATS outage mid-run, a restart and a takeover between processes lose
//! nothing. Against the NATS server at `TEST_NATS_URL` (default
//! 127.0.0.1:4222), which CI starts; elsewhere, without one, they skip.

use std::{
    collections::{BTreeMap, HashSet},
    time::{Duration, Instant},
};

use async_nats::jetstream::{
    self,
    consumer::{AckPolicy, DeliverPolicy, pull},
};
use futures::StreamExt;
use model_registry::jobs::nats::{STREAM, SUBJECT_PREFIX};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    faults::{Mode, Proxy},
    helpers::{Backend, TestApp},
    process::{Running, ScratchDatabase, run, start, temp_dir},
};

fn nats_address() -> String {
    let address = std::env::var("TEST_NATS_URL").unwrap_or_else(|_| "127.0.0.1:4222".into());
    address.trim_start_matches("nats://").to_owned()
}

/// Whether the test's NATS server answers; under CI it must.
async fn nats_is_up() -> bool {
    let address = nats_address();
    let address = address.trim_start_matches("nats://").to_owned();
    let up = tokio::time::timeout(
        Duration::from_secs(2),
        tokio::net::TcpStream::connect(&address),
    )
    .await
    .is_ok_and(|connected| connected.is_ok());
    if !up {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "CI=true needs a NATS server with JetStream at {address} (.ci/run starts one)"
        );
        eprintln!("skipped: no NATS server at {address} (set TEST_NATS_URL)");
    }
    up
}

async fn spawn(backend: Backend, nats_url: String) -> Option<TestApp> {
    TestApp::spawn_with(
        backend,
        |url| url.to_owned(),
        |config| config.events.nats_url = Some(nats_url.into()),
    )
    .await
}

/// Every event of the project, following the feed from its start.
async fn feed(app: &TestApp) -> Vec<Value> {
    let mut events = Vec::new();
    let mut after = String::new();
    loop {
        let page = app
            .get(&format!("/events?limit=1000{after}"))
            .await
            .expect(200);
        let got = page["events"].as_array().cloned().unwrap_or_default();
        if got.is_empty() {
            return events;
        }
        events.extend(got);
        after = format!(
            "&after={}",
            page["next_cursor"].as_str().unwrap_or_default()
        );
    }
}

/// A message as the tests look at it: its subject, its `Nats-Msg-Id`, its
/// body.
#[derive(Debug)]
struct Received {
    subject: String,
    message_id: String,
    body: Value,
}

/// The project's messages in the stream, in stream order, once at least
/// `count` are there (or after 30 s), and a little after, to catch extras
/// (with `count` 0: what is there now).
async fn messages(project: Uuid, count: usize) -> Vec<Received> {
    let client = async_nats::connect(nats_address())
        .await
        .expect("the test connects to NATS");
    let jetstream = jetstream::new(client);
    let deadline = Instant::now() + Duration::from_secs(30);
    // The service makes the stream when it first publishes.
    let stream = loop {
        match jetstream.get_stream(STREAM).await {
            Ok(stream) => break stream,
            Err(err) => {
                assert!(Instant::now() < deadline, "no stream {STREAM}: {err}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    };
    let consumer = stream
        .create_consumer(pull::Config {
            filter_subject: format!("{SUBJECT_PREFIX}.{project}.>"),
            deliver_policy: DeliverPolicy::All,
            ack_policy: AckPolicy::None,
            inactive_threshold: Duration::from_secs(30),
            ..Default::default()
        })
        .await
        .expect("an ephemeral consumer");
    let mut stream = consumer.messages().await.expect("the messages");
    let mut received = Vec::new();
    loop {
        let wait = if received.len() >= count {
            Duration::from_millis(500)
        } else {
            deadline.saturating_duration_since(Instant::now())
        };
        let Ok(Some(message)) = tokio::time::timeout(wait, stream.next()).await else {
            return received;
        };
        let message = message.expect("a message");
        let message_id = message
            .headers
            .as_ref()
            .and_then(|headers| headers.get("Nats-Msg-Id"))
            .map(|id| id.as_str().to_owned())
            .unwrap_or_default();
        received.push(Received {
            subject: message.subject.to_string(),
            message_id,
            body: serde_json::from_slice(&message.payload).expect("a JSON body"),
        });
    }
}

/// Each event of the feed was published once, as the feed answers it, on
/// its subject, with its id as `Nats-Msg-Id`, each model's in feed order.
fn assert_published(events: &[Value], received: &[Received]) {
    let ids: HashSet<&str> = received.iter().map(|m| m.message_id.as_str()).collect();
    assert_eq!(ids.len(), received.len(), "a message stored twice");
    assert_eq!(
        received.len(),
        events.len(),
        "published {} of {} events",
        received.len(),
        events.len()
    );
    let by_id: BTreeMap<&str, &Received> = received
        .iter()
        .map(|m| (m.message_id.as_str(), m))
        .collect();
    for event in events {
        let id = event["id"].as_str().expect("an id");
        let message = by_id
            .get(id)
            .unwrap_or_else(|| panic!("not published: {event}"));
        assert_eq!(
            &message.body, event,
            "the body is the event as the feed has it"
        );
        let subject = format!(
            "{SUBJECT_PREFIX}.{}.{}",
            event["project_id"].as_str().unwrap_or_default(),
            event["type"].as_str().unwrap_or_default()
        );
        assert_eq!(message.subject, subject);
    }
    // Per model, stream order is feed order.
    let fed = per_model(
        events
            .iter()
            .map(|e| {
                (
                    e["model_id"].as_str().unwrap_or_default(),
                    e["id"].as_str().unwrap_or_default(),
                )
            })
            .collect(),
    );
    let stored = per_model(
        received
            .iter()
            .map(|m| {
                (
                    m.body["model_id"].as_str().unwrap_or_default(),
                    m.message_id.as_str(),
                )
            })
            .collect(),
    );
    assert_eq!(stored, fed, "a model's events out of feed order");
}

/// `(model, event id)` pairs grouped by model, in their order.
fn per_model<'a>(list: Vec<(&'a str, &'a str)>) -> BTreeMap<&'a str, Vec<&'a str>> {
    let mut per_model: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (model, id) in list {
        per_model.entry(model).or_default().push(id);
    }
    per_model
}

/// Writes of every kind on a few models: creates, updates, default moves,
/// deletes.
async fn write_some(app: &TestApp, round: &str) {
    let mut models = Vec::new();
    for i in 0..3 {
        models.push(app.create_model(&format!("{round}-{i}")).await);
    }
    for (i, model) in models.iter().enumerate() {
        let first = app
            .create_version(
                *model,
                &format!("{round}-{i}-a"),
                json!({"is_default": true}),
            )
            .await;
        app.create_version(
            *model,
            &format!("{round}-{i}-b"),
            json!({"is_default": true}),
        )
        .await;
        app.patch(
            &format!("/models/{model}"),
            &json!({"description": format!("{round} {i}")}),
        )
        .await
        .expect(200);
        app.delete(&format!("/models/{model}/versions/{first}"))
            .await
            .expect(200);
    }
    let gone = models[0];
    app.patch(&format!("/models/{gone}"), &json!({"state": "ARCHIVED"}))
        .await
        .expect(200);
    app.delete(&format!("/models/{gone}")).await.expect(200);
}

async fn every_event_is_published_in_order(backend: Backend) {
    if !nats_is_up().await {
        return;
    }
    let Some(app) = spawn(backend, format!("nats://{}", nats_address())).await else {
        return;
    };
    write_some(&app, "first").await;
    write_some(&app, "second").await;
    let events = feed(&app).await;
    assert!(events.len() > 20, "{}", events.len());
    let received = messages(app.project, events.len()).await;
    assert_published(&events, &received);
    // Stream order is feed order here, across models too: nothing failed.
    let order: Vec<&str> = received.iter().map(|m| m.message_id.as_str()).collect();
    let fed: Vec<&str> = events.iter().filter_map(|e| e["id"].as_str()).collect();
    assert_eq!(order, fed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_event_is_published_in_order_on_sqlite() {
    every_event_is_published_in_order(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(postgres_tests), ignore = "PostgreSQL: set TEST_DATABASE_URL")]
async fn every_event_is_published_in_order_on_postgres() {
    every_event_is_published_in_order(Backend::Postgres).await;
}

/// NATS goes away mid-run (a proxy in front of it cuts every connection);
/// writes go on; when it is back, everything written meanwhile arrives.
async fn an_outage_loses_nothing(backend: Backend) {
    if !nats_is_up().await {
        return;
    }
    let proxy = Proxy::start(nats_address().trim_start_matches("nats://").to_owned()).await;
    let Some(app) = spawn(backend, format!("nats://127.0.0.1:{}", proxy.port)).await else {
        return;
    };
    write_some(&app, "before").await;
    let before = feed(&app).await;
    assert_eq!(
        messages(app.project, before.len()).await.len(),
        before.len()
    );

    proxy.set(Mode::Cut);
    write_some(&app, "during").await;
    // Long enough for the publisher to fail and back off a few times.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let during = messages(app.project, 0).await;
    assert_eq!(during.len(), before.len(), "published through a cut proxy?");

    proxy.set(Mode::Up);
    write_some(&app, "after").await;
    let events = feed(&app).await;
    let received = messages(app.project, events.len()).await;
    assert_published(&events, &received);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_of_nats_loses_nothing_on_sqlite() {
    an_outage_loses_nothing(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(postgres_tests), ignore = "PostgreSQL: set TEST_DATABASE_URL")]
async fn an_outage_of_nats_loses_nothing_on_postgres() {
    an_outage_loses_nothing(Backend::Postgres).await;
}

/// Two processes on one PostgreSQL: the first publishes, the second stands
/// by; when the first is killed, the second takes over from where it
/// stopped: nothing lost, nothing stored twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_standby_process_takes_over_from_where_the_publisher_stopped() {
    if !nats_is_up().await {
        return;
    }
    let Some(scratch) = ScratchDatabase::create("nats").await else {
        return;
    };
    let nats_url = format!("nats://{}", nats_address());
    let env = [
        ("DATABASE_URL", scratch.url.as_str()),
        ("EVENTS_NATS_URL", nats_url.as_str()),
    ];
    assert!(run(&["migrate"], &env).status.success());
    let project = Uuid::new_v4();
    let client = crate::helpers::http_client().build().expect("a client");
    let create = |service: &Running, name: String| {
        let request = client
            .post(format!("{}/api/v1/model-registry/models", service.base))
            .header("Project-ID", project.to_string())
            .json(&json!({"name": name, "region_id": project}));
        async move {
            let response = request.send().await.expect("the service answers");
            assert_eq!(response.status().as_u16(), 201);
        }
    };
    let mut first = start(&temp_dir(), &env);
    for i in 0..5 {
        create(&first, format!("first-{i}")).await;
    }
    assert_eq!(messages(project, 5).await.len(), 5);
    // Started once the first has published: it stands by.
    let second = start(&temp_dir(), &env);
    for i in 0..5 {
        create(&second, format!("second-{i}")).await;
    }
    let _ = first.child.kill();
    let _ = first.child.wait();
    for i in 0..5 {
        create(&second, format!("third-{i}")).await;
    }
    let received = messages(project, 15).await;
    let names: HashSet<&str> = received
        .iter()
        .filter_map(|m| m.body["data"]["name"].as_str())
        .collect();
    assert_eq!(received.len(), 15, "{received:?}");
    assert_eq!(names.len(), 15);
    let mut second = second;
    let _ = second.child.kill();
    let _ = second.child.wait();
    scratch.drop().await;
}

//! The feed's guarantee, tried the hard way: service processes sharing one
//! database, writers racing on shared models across them, and a follower
//! holding `wait` reads. Afterwards the follower has seen every
//! acknowledged write's event exactly once, nothing twice, and each
//! model's changes in the order they committed.

use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use serde_json::{Value, json};
use uuid::Uuid;

use crate::process::{Running, ScratchDatabase, run, start, temp_dir};

const WRITERS: usize = 32;
const MODELS: usize = 8;

/// What the writers were told succeeded, and everything they tried.
#[derive(Default)]
struct Acknowledged {
    /// A PATCH's description, unique per attempt.
    descriptions: BTreeSet<String>,
    versions: BTreeSet<String>,
    attempted: BTreeSet<String>,
}

/// The JSON of a successful answer; `None` for anything else.
async fn send(request: reqwest::RequestBuilder) -> Option<Value> {
    let response = request.send().await.ok()?;
    if !response.status().is_success() {
        return None;
    }
    response.json().await.ok()
}

async fn follow_under_writers(services: &[String], project: Uuid, duration: Duration) {
    let client = crate::helpers::http_client()
        .timeout(Duration::from_secs(40))
        .build()
        .expect("a client");
    let api = |service: &str, path: &str| format!("{service}/api/v1/model-registry{path}");
    let mut models = Vec::new();
    for i in 0..MODELS {
        let created = send(
            client
                .post(api(&services[i % services.len()], "/models"))
                .header("Project-ID", project.to_string())
                .json(&json!({"name": format!("shared-{i}"), "region_id": project})),
        )
        .await
        .expect("a model");
        models.push(created["id"].as_str().expect("an id").to_owned());
    }

    let acknowledged = Arc::new(Mutex::new(Acknowledged::default()));
    let deadline = Instant::now() + duration;
    let mut writers = Vec::new();
    for writer in 0..WRITERS {
        let (client, services, models) = (client.clone(), services.to_vec(), models.clone());
        let acknowledged = acknowledged.clone();
        writers.push(tokio::spawn(async move {
            let service = &services[writer % services.len()];
            let mut n = 0usize;
            while Instant::now() < deadline {
                n += 1;
                let model = &models[(writer * 7 + n) % models.len()];
                let token = format!("w{writer}-{n}");
                if let Ok(mut ack) = acknowledged.lock() {
                    ack.attempted.insert(token.clone());
                }
                if n.is_multiple_of(5) {
                    let created = send(
                        client
                            .post(api(service, &format!("/models/{model}/versions")))
                            .header("Project-ID", project.to_string())
                            .json(&json!({"name": token, "model_framework": "pt",
                                          "model_framework_version": "2", "uri": "s3://f"})),
                    )
                    .await;
                    if let (Some(created), Ok(mut ack)) = (created, acknowledged.lock()) {
                        ack.versions
                            .insert(created["id"].as_str().unwrap_or_default().to_owned());
                    }
                } else {
                    let patched = send(
                        client
                            .patch(api(service, &format!("/models/{model}")))
                            .header("Project-ID", project.to_string())
                            .json(&json!({"description": token})),
                    )
                    .await;
                    if let (Some(_), Ok(mut ack)) = (patched, acknowledged.lock()) {
                        ack.descriptions.insert(token);
                    }
                }
            }
        }));
    }

    // The follower: held reads, from each process in turn, until the
    // writers are done and two reads in a row bring nothing new.
    let mut seen: Vec<Value> = Vec::new();
    let mut cursor: Option<String> = None;
    let mut quiet = 0;
    let mut read = 0usize;
    while quiet < 2 {
        read += 1;
        let service = &services[read % services.len()];
        let mut url = api(service, "/events?limit=1000&wait=2");
        if let Some(cursor) = &cursor {
            url += &format!("&after={cursor}");
        }
        let page = send(client.get(url).header("Project-ID", project.to_string()))
            .await
            .expect("the follower's read");
        let events = page["events"].as_array().cloned().unwrap_or_default();
        let writing = writers.iter().any(|w| !w.is_finished());
        if events.is_empty() && !writing {
            quiet += 1;
        } else if !events.is_empty() {
            quiet = 0;
        }
        seen.extend(events);
        cursor = page["next_cursor"].as_str().map(str::to_owned);
    }
    for writer in writers {
        writer.await.expect("a writer");
    }

    let ack = acknowledged.lock().expect("the writers' record");
    assert!(
        ack.descriptions.len() > 100,
        "too few writes to prove anything: {}",
        ack.descriptions.len()
    );
    // Nothing twice.
    let ids: BTreeSet<&str> = seen.iter().filter_map(|e| e["id"].as_str()).collect();
    assert_eq!(ids.len(), seen.len(), "an event was seen twice");

    // Every acknowledged write, exactly once; nothing that was not tried.
    let mut updates: HashMap<String, usize> = HashMap::new();
    let mut versions: HashMap<String, usize> = HashMap::new();
    for event in &seen {
        match event["type"].as_str() {
            Some("model.updated") => {
                let to = event["changes"]["description"]["to"]
                    .as_str()
                    .unwrap_or_default();
                assert!(ack.attempted.contains(to), "an event nobody wrote: {event}");
                *updates.entry(to.to_owned()).or_default() += 1;
            }
            Some("version.created") => {
                let id = event["version_id"].as_str().unwrap_or_default();
                *versions.entry(id.to_owned()).or_default() += 1;
            }
            _ => {}
        }
    }
    for description in &ack.descriptions {
        assert_eq!(
            updates.get(description),
            Some(&1),
            "the write of {description}"
        );
    }
    for version in &ack.versions {
        assert_eq!(versions.get(version), Some(&1), "the version {version}");
    }

    // Each model's changes in commit order: every update starts from what
    // the one before it left.
    let mut last: BTreeMap<String, String> =
        models.iter().map(|m| (m.clone(), String::new())).collect();
    for event in seen.iter().filter(|e| e["type"] == "model.updated") {
        let model = event["model_id"].as_str().unwrap_or_default().to_owned();
        let change = &event["changes"]["description"];
        let previous = last.entry(model.clone()).or_default();
        assert_eq!(
            change["from"].as_str(),
            Some(previous.as_str()),
            "model {model}: out of commit order at {event}"
        );
        *previous = change["to"].as_str().unwrap_or_default().to_owned();
    }
}

fn stop(mut services: Vec<Running>) {
    for service in &mut services {
        let _ = service.child.kill();
        let _ = service.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_processes_on_postgresql_lose_and_repeat_no_event() {
    let Some(scratch) = ScratchDatabase::create("follower").await else {
        return;
    };
    let env = [("DATABASE_URL", scratch.url.as_str())];
    assert!(run(&["migrate"], &env).status.success());
    let services: Vec<Running> = (0..3).map(|_| start(&temp_dir(), &env)).collect();
    let bases: Vec<String> = services.iter().map(|s| s.base.clone()).collect();
    follow_under_writers(&bases, Uuid::new_v4(), Duration::from_secs(10)).await;
    stop(services);
    scratch.drop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_process_on_sqlite_loses_and_repeats_no_event() {
    let service = start(&temp_dir(), &[]);
    let bases = vec![service.base.clone()];
    follow_under_writers(&bases, Uuid::new_v4(), Duration::from_secs(10)).await;
    stop(vec![service]);
}

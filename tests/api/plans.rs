//! PostgreSQL keeps a prepared statement's plan for the data it saw when it
//! planned it; the service renews its connections when a table has doubled,
//! so that a service started on a small database does not keep its first
//! day's plans (docs/performance.md, "grown").

use std::time::{Duration, Instant};

use futures::{StreamExt, stream};
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{Backend, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(postgres_tests), ignore = "PostgreSQL: set TEST_DATABASE_URL")]
async fn connections_are_renewed_when_the_tables_double() {
    let Some(app) = TestApp::spawn(Backend::Postgres).await else {
        return;
    };
    let model = app.create_model("first-day").await;
    app.get(&format!("/models/{model}")).await.expect(200);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    app.get(&format!("/models/{model}")).await.expect(200);
    let before = app.oldest_connection_age().await;
    assert!(
        before >= Duration::from_secs(1),
        "the first day's connections stay while the data does not grow: {before:?}"
    );

    // About 300 KiB of models: past two doublings of the first 64 KiB.
    let growth_started = Instant::now();
    stream::iter(0..1200)
        .map(|i| {
            let app = &app;
            async move {
                app.post(
                    "/models",
                    &json!({"name": format!("grown-{i}"), "region_id": Uuid::new_v4()}),
                )
                .await
                .expect(201);
            }
        })
        .buffer_unordered(8)
        .collect::<Vec<_>>()
        .await;
    // The sizes are read at most once a second, on a connection being
    // handed out.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    for _ in 0..20 {
        app.get(&format!("/models/{model}")).await.expect(200);
    }
    let after = app.oldest_connection_age().await;
    assert!(
        after < growth_started.elapsed(),
        "every connection opened before the growth is replaced: the oldest is {after:?} old, \
         the growth began {:?} ago",
        growth_started.elapsed()
    );
}

//! `GET /metrics`: traffic moves the right counters, labelled by route
//! template (never the raw path) and status.

use std::collections::HashMap;

use serde_json::json;
use uuid::Uuid;

use crate::{helpers::TestApp, on_both_backends};

on_both_backends!(traffic_moves_the_right_counters);

/// `name{labels}` → value, for every sample of a scrape.
async fn scrape(app: &TestApp) -> HashMap<String, f64> {
    let response = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .expect("the service answers");
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap_or("")
        .to_owned();
    assert!(
        content_type.starts_with("application/openmetrics-text"),
        "{content_type}"
    );
    let text = response.text().await.expect("text");
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .filter_map(|line| line.rsplit_once(' '))
        .filter_map(|(series, value)| value.parse().ok().map(|v| (series.to_owned(), v)))
        .collect()
}

fn value(samples: &HashMap<String, f64>, series: &str) -> f64 {
    samples.get(series).copied().unwrap_or(0.0)
}

async fn traffic_moves_the_right_counters(app: &TestApp) {
    let list = r#"model_registry_http_requests_total{method="GET",route="/api/v1/model-registry/models",status="200"}"#;
    let get_404 = r#"model_registry_http_requests_total{method="GET",route="/api/v1/model-registry/models/{model_id}",status="404"}"#;
    let create = r#"model_registry_http_requests_total{method="POST",route="/api/v1/model-registry/models",status="201"}"#;
    let list_count = r#"model_registry_http_request_duration_seconds_count{method="GET",route="/api/v1/model-registry/models",status="200"}"#;

    let before = scrape(app).await;
    for _ in 0..3 {
        app.get("/models").await.expect(200);
    }
    for _ in 0..2 {
        assert_eq!(
            app.get(&format!("/models/{}", Uuid::new_v4())).await.status,
            404
        );
    }
    app.post(
        "/models",
        &json!({"name": "counted", "region_id": Uuid::new_v4()}),
    )
    .await
    .expect(201);
    assert_eq!(app.get("/no-such-route").await.status, 404);
    let after = scrape(app).await;

    assert_eq!(value(&after, list) - value(&before, list), 3.0);
    assert_eq!(value(&after, get_404) - value(&before, get_404), 2.0);
    assert_eq!(value(&after, create) - value(&before, create), 1.0);
    assert_eq!(value(&after, list_count) - value(&before, list_count), 3.0);
    assert!(
        after.keys().all(|series| !series.contains("no-such-route")),
        "raw paths never become labels"
    );
    assert!(value(&after, r#"model_registry_build_info{version="0.1.0"}"#) == 1.0);
    assert!(value(&after, "model_registry_db_pool_connections") >= 1.0);
    assert!(after.contains_key("model_registry_db_pool_idle_connections"));
    assert!(after.contains_key("model_registry_db_pool_waiters"));
    assert_eq!(
        value(&after, "model_registry_http_requests_in_flight"),
        1.0,
        "the scrape itself"
    );
}

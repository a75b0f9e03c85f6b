//! What a newcomer meets first: `/` leads to the documentation.

use crate::{helpers::TestApp, on_both_backends};

on_both_backends!(the_root_leads_to_the_documentation);

async fn the_root_leads_to_the_documentation(app: &TestApp) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let root = client
        .get(format!("{}/", app.address))
        .send()
        .await
        .expect("an answer");
    assert_eq!(root.status(), 307);
    assert_eq!(
        root.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/docs")
    );
    let docs = app
        .client
        .get(format!("{}/", app.address))
        .send()
        .await
        .expect("an answer");
    assert_eq!(docs.status(), 200);
    assert!(
        docs.text()
            .await
            .unwrap_or_default()
            .contains("Model Registry API")
    );
}

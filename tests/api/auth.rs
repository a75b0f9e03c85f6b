//! Bearer tokens: off by default (every other test runs without one); when
//! configured, every operation but /healthz requires one of them.

use serde_json::json;
use uuid::Uuid;

use crate::{helpers::TestApp, on_both_backends};

on_both_backends!(only_callers_with_a_configured_token_get_in);

async fn only_callers_with_a_configured_token_get_in(app: &TestApp) {
    // `on_both_backends!` hands over an app without tokens; start one with.
    let Some(app) = TestApp::spawn_with(
        app.backend,
        |url| url.to_owned(),
        |config| {
            config.auth.tokens = Some("old-token, new-token".into());
        },
    )
    .await
    else {
        return;
    };
    let models = app.api("/models");
    let project = app.project.to_string();
    let body = json!({"name": "guarded", "region_id": Uuid::new_v4()});

    for authorization in [
        None,
        Some("Bearer wrong"),
        Some("Bearer old-toke"),
        Some("Bearer old-token2"),
        Some("Basic old-token"),
        Some("old-token"),
    ] {
        let mut request = app
            .client
            .post(&models)
            .header("Project-ID", &project)
            .json(&body);
        if let Some(value) = authorization {
            request = request.header("Authorization", value);
        }
        let reply = app.send(request).await;
        assert_eq!(reply.status, 401, "{authorization:?}: {}", reply.text);
        assert_eq!(reply.body["code"], "unauthorized");
        assert_eq!(reply.headers["www-authenticate"], "Bearer");
    }
    // Without a token, even a request that is bad otherwise is a 401.
    let reply = app.send(app.client.get(&models)).await;
    assert_eq!(reply.status, 401);

    for token in ["old-token", "new-token"] {
        let reply = app
            .send(
                app.client
                    .get(&models)
                    .header("Project-ID", &project)
                    .bearer_auth(token),
            )
            .await;
        assert_eq!(reply.status, 200, "{token}: {}", reply.text);
        assert_eq!(
            reply.body["total"], 0,
            "nothing was written by the refused requests"
        );
    }
    let created = app
        .send(
            app.client
                .post(&models)
                .header("Project-ID", &project)
                .header("Authorization", "bearer new-token")
                .json(&body),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);

    for open in ["/healthz", "/openapi.json"] {
        let reply = app
            .send(app.client.get(format!("{}{open}", app.address)))
            .await;
        assert_eq!(reply.status, 200, "{open} needs no token");
    }
}

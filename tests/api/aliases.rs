//! Aliases: names for one version of a model, moved atomically and
//! conditionally, guarding the version they name, with their history in
//! the change feed.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    helpers::{Reply, TestApp},
    on_both_backends,
};

on_both_backends!(
    an_alias_is_set_read_listed_moved_and_deleted,
    versions_and_models_answer_their_aliases,
    a_stale_if_match_is_refused_and_changes_nothing,
    of_concurrent_moves_with_one_if_match_exactly_one_wins,
    an_aliased_version_cannot_be_deleted_but_its_model_can,
    bad_input_is_refused_naming_the_field_and_writes_nothing,
    moves_and_deletes_are_in_the_change_feed,
);

fn etag(reply: &Reply) -> String {
    reply.headers["etag"]
        .to_str()
        .expect("an ASCII ETag")
        .to_owned()
}

async fn put_with(app: &TestApp, path: &str, body: &Value, if_match: &str) -> Reply {
    app.send(
        app.client
            .put(app.api(path))
            .header("Project-ID", app.project.to_string())
            .header("If-Match", if_match)
            .json(body),
    )
    .await
}

async fn get_unless(app: &TestApp, path: &str, if_none_match: &str) -> Reply {
    app.send(
        app.client
            .get(app.api(path))
            .header("Project-ID", app.project.to_string())
            .header("If-None-Match", if_none_match),
    )
    .await
}

/// A model with two versions.
async fn model_with_two_versions(app: &TestApp, name: &str) -> (Uuid, Uuid, Uuid) {
    let model = app.create_model(name).await;
    let v1 = app.create_version(model, "v1", json!({})).await;
    let v2 = app.create_version(model, "v2", json!({})).await;
    (model, v1, v2)
}

async fn an_alias_is_set_read_listed_moved_and_deleted(app: &TestApp) {
    let (model, v1, v2) = model_with_two_versions(app, "aliased").await;
    let path = format!("/models/{model}/aliases/champion");

    let set = app.put(&path, &json!({"version_id": v1})).await;
    let first_etag = etag(&set);
    let body = set.expect(200);
    assert_eq!(body["alias"], "champion");
    assert_eq!(body["model_id"], json!(model));
    assert_eq!(body["version_id"], json!(v1));
    assert!(
        body["updated_at"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z'))
    );
    assert_eq!(body.as_object().map(|o| o.len()), Some(4), "{body}");

    let got = app.get(&path).await;
    let got_etag = etag(&got);
    let got = got.expect(200);
    assert_eq!(got["alias"], "champion");
    assert_eq!(got["version_id"], json!(v1));
    assert_eq!(got["updated_at"], body["updated_at"]);
    let version = app.get(&format!("/model_versions/{v1}")).await.expect(200);
    assert_eq!(
        got["version"], version,
        "the version, whole, as its GET answers"
    );

    // Unchanged: 304 on the ETag it answered.
    let again = get_unless(app, &path, &got_etag).await;
    assert_eq!(again.status, 304);

    app.put(
        &format!("/models/{model}/aliases/staging"),
        &json!({"version_id": v2}),
    )
    .await
    .expect(200);
    let list = app
        .get(&format!("/models/{model}/aliases"))
        .await
        .expect(200);
    let names: Vec<&str> = list["aliases"]
        .as_array()
        .expect("aliases")
        .iter()
        .filter_map(|a| a["alias"].as_str())
        .collect();
    assert_eq!(names, ["champion", "staging"]);
    assert_eq!(list["aliases"][0], body);

    // Naming the version it names already changes nothing.
    let same = app.put(&path, &json!({"version_id": v1})).await;
    assert_eq!(etag(&same), first_etag);
    assert_eq!(same.expect(200), body);

    // The version changes, the alias does not: a GET answers anew (no 304
    // on its old ETag), and that old ETag still allows a move (412 only
    // when the alias moved meanwhile).
    app.patch(
        &format!("/model_versions/{v1}"),
        &json!({"description": "retrained"}),
    )
    .await
    .expect(200);
    let changed = get_unless(app, &path, &got_etag).await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_ne!(etag(&changed), got_etag);

    // The ETag of the PUT's answer, and of the GET's, both allow a move.
    let moved = put_with(app, &path, &json!({"version_id": v2}), &got_etag).await;
    let moved = moved.expect(200);
    assert_eq!(moved["version_id"], json!(v2));
    let back = put_with(app, &path, &json!({"version_id": v1}), "\"stale\"").await;
    assert_eq!(back.status, 412, "{}", back.text);
    let now = app.get(&path).await.expect(200);
    assert_eq!(now["version_id"], json!(v2));

    let deleted = app.delete(&path).await.expect(200);
    assert_eq!(deleted, json!({"status": "deleted"}));
    let gone = app.get(&path).await;
    assert_eq!(gone.status, 404);
    assert_eq!(gone.error(), "alias not found");
    assert_eq!(app.delete(&path).await.status, 404);
    let list = app
        .get(&format!("/models/{model}/aliases"))
        .await
        .expect(200);
    assert_eq!(list["aliases"].as_array().map(Vec::len), Some(1));
}

async fn versions_and_models_answer_their_aliases(app: &TestApp) {
    let (model, v1, v2) = model_with_two_versions(app, "answers").await;
    for name in ["staging", "champion", "a-b", "a_b"] {
        app.put(
            &format!("/models/{model}/aliases/{name}"),
            &json!({"version_id": v2}),
        )
        .await
        .expect(200);
    }
    let sorted = json!(["a-b", "a_b", "champion", "staging"]);
    let version = app.get(&format!("/model_versions/{v2}")).await.expect(200);
    assert_eq!(version["aliases"], sorted);
    let nested = app
        .get(&format!("/models/{model}/versions/{v2}"))
        .await
        .expect(200);
    assert_eq!(nested["aliases"], sorted);
    let other = app.get(&format!("/model_versions/{v1}")).await.expect(200);
    assert_eq!(other["aliases"], json!([]));
    let page = app
        .get(&format!("/models/{model}/versions"))
        .await
        .expect(200);
    let listed: Vec<&Value> = page["items"]
        .as_array()
        .expect("a page")
        .iter()
        .map(|v| &v["aliases"])
        .collect();
    assert_eq!(listed, [&sorted, &json!([])], "newest first");
    let all = app.get("/model_versions").await.expect(200);
    assert!(all.to_string().contains("\"a_b\""), "{all}");
    let found = app.get(&format!("/models/{model}")).await.expect(200);
    assert_eq!(found["latest_version"]["aliases"], sorted);
    // Artifacts are versions seen through a narrower window, without aliases.
    let artifact = app.get(&format!("/model_artifacts/{v2}")).await.expect(200);
    assert!(artifact.get("aliases").is_none(), "{artifact}");
}

async fn a_stale_if_match_is_refused_and_changes_nothing(app: &TestApp) {
    let (model, v1, v2) = model_with_two_versions(app, "conditional").await;
    let path = format!("/models/{model}/aliases/champion");
    // No alias yet: no ETag can name it.
    let early = put_with(app, &path, &json!({"version_id": v1}), "*").await;
    assert_eq!(early.status, 412, "{}", early.text);
    assert_eq!(app.get(&path).await.status, 404);

    let seen = etag(&app.put(&path, &json!({"version_id": v1})).await);
    app.put(&path, &json!({"version_id": v2})).await.expect(200);
    let stale = put_with(app, &path, &json!({"version_id": v1}), &seen).await;
    assert_eq!(stale.status, 412);
    assert_eq!(stale.body["code"], "precondition_failed");
    let stale_delete = app
        .send(
            app.client
                .delete(app.api(&path))
                .header("Project-ID", app.project.to_string())
                .header("If-Match", &seen),
        )
        .await;
    assert_eq!(stale_delete.status, 412);
    let now = app.get(&path).await;
    let current = etag(&now);
    assert_eq!(now.expect(200)["version_id"], json!(v2));
    let fresh_delete = app
        .send(
            app.client
                .delete(app.api(&path))
                .header("Project-ID", app.project.to_string())
                .header("If-Match", &current),
        )
        .await;
    assert_eq!(fresh_delete.status, 200, "{}", fresh_delete.text);
}

async fn of_concurrent_moves_with_one_if_match_exactly_one_wins(app: &TestApp) {
    let model = app.create_model("raced").await;
    let mut versions = Vec::new();
    for i in 0..32 {
        versions.push(app.create_version(model, &format!("v{i}"), json!({})).await);
    }
    let path = format!("/models/{model}/aliases/champion");
    let seen = etag(&app.put(&path, &json!({"version_id": versions[0]})).await);
    let moves = versions
        .iter()
        .skip(1)
        .chain([&versions[1]])
        .map(|version| {
            let path = path.clone();
            let seen = seen.clone();
            async move { put_with(app, &path, &json!({"version_id": version}), &seen).await }
        });
    let replies = futures::future::join_all(moves).await;
    let statuses: Vec<u16> = replies.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 412).count(),
        31,
        "{statuses:?}"
    );
    let winner = replies.iter().find(|r| r.status == 200).expect("a winner");
    let now = app.get(&path).await.expect(200);
    assert_eq!(now["version_id"], winner.body["version_id"]);
}

async fn an_aliased_version_cannot_be_deleted_but_its_model_can(app: &TestApp) {
    let (model, v1, v2) = model_with_two_versions(app, "guarded").await;
    app.put(
        &format!("/models/{model}/aliases/champion"),
        &json!({"version_id": v1}),
    )
    .await
    .expect(200);
    for path in [
        format!("/model_versions/{v1}"),
        format!("/models/{model}/versions/{v1}"),
        format!("/model_artifacts/{v1}"),
    ] {
        let refused = app.delete(&path).await;
        assert_eq!(refused.status, 409, "{path}: {}", refused.text);
        assert_eq!(refused.body["code"], "conflict");
        assert!(refused.error().contains("\"champion\""), "{}", refused.text);
    }
    assert_eq!(app.get(&format!("/model_versions/{v1}")).await.status, 200);
    app.delete(&format!("/model_versions/{v2}"))
        .await
        .expect(200);

    // Moved away, the version may go.
    app.put(
        &format!("/models/{model}/aliases/champion"),
        &json!({"version_id": v1}),
    )
    .await
    .expect(200);
    app.patch(&format!("/models/{model}"), &json!({"state": "ARCHIVED"}))
        .await
        .expect(200);
    app.delete(&format!("/models/{model}")).await.expect(200);
    assert_eq!(
        app.get(&format!("/models/{model}/aliases")).await.status,
        404
    );
    // The name is free again under a new model of the same name.
    let (again, v, _) = model_with_two_versions(app, "guarded").await;
    let list = app
        .get(&format!("/models/{again}/aliases"))
        .await
        .expect(200);
    assert_eq!(list, json!({"aliases": []}));
    app.put(
        &format!("/models/{again}/aliases/champion"),
        &json!({"version_id": v}),
    )
    .await
    .expect(200);
}

async fn bad_input_is_refused_naming_the_field_and_writes_nothing(app: &TestApp) {
    let (model, v1, _) = model_with_two_versions(app, "strict").await;
    let (other_model, other_version, _) = model_with_two_versions(app, "neighbour").await;
    let before = app.get("/events?limit=1000").await.expect(200)["events"]
        .as_array()
        .map(Vec::len);

    for name in ["Champion", "2nd", "-x", "a.b", "%C3%A9", &"a".repeat(64)] {
        let reply = app
            .put(
                &format!("/models/{model}/aliases/{name}"),
                &json!({"version_id": v1}),
            )
            .await;
        assert_eq!(reply.status, 400, "{name}: {}", reply.text);
        assert!(
            reply.error().starts_with("alias: "),
            "{name}: {}",
            reply.text
        );
        assert_eq!(
            app.get(&format!("/models/{model}/aliases/{name}"))
                .await
                .status,
            400
        );
    }
    for reserved in ["latest", "default"] {
        let reply = app
            .put(
                &format!("/models/{model}/aliases/{reserved}"),
                &json!({"version_id": v1}),
            )
            .await;
        assert_eq!(reply.status, 400, "{reserved}");
        assert!(reply.error().contains("reserved"), "{}", reply.text);
    }
    let path = format!("/models/{model}/aliases/champion");
    let foreign = app.put(&path, &json!({"version_id": other_version})).await;
    assert_eq!(foreign.status, 400, "{}", foreign.text);
    assert!(
        foreign.error().starts_with("version_id"),
        "{}",
        foreign.text
    );
    let unknown = app.put(&path, &json!({"version_id": Uuid::new_v4()})).await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.error(), "model version not found");
    let no_model = app
        .put(
            &format!("/models/{}/aliases/champion", Uuid::new_v4()),
            &json!({"version_id": v1}),
        )
        .await;
    assert_eq!(no_model.status, 404);
    assert_eq!(no_model.error(), "registered model not found");
    assert_eq!(
        app.put(
            "/models/not-a-uuid/aliases/champion",
            &json!({"version_id": v1})
        )
        .await
        .status,
        400
    );
    for body in [
        json!({}),
        json!({"version_id": "nope"}),
        json!({"version_id": 7}),
        json!([]),
    ] {
        let reply = app.put(&path, &body).await;
        assert_eq!(reply.status, 400, "{body}: {}", reply.text);
    }

    // Another project sees neither the model nor its versions.
    let stranger = Uuid::new_v4();
    let reply = app
        .put_as(stranger, &path, &json!({"version_id": v1}))
        .await;
    assert_eq!(reply.status, 404);
    app.put(
        &format!("/models/{other_model}/aliases/x"),
        &json!({"version_id": other_version}),
    )
    .await
    .expect(200);
    assert_eq!(
        app.get_as(stranger, &format!("/models/{other_model}/aliases/x"))
            .await
            .status,
        404
    );
    assert_eq!(
        app.get_as(stranger, &format!("/models/{other_model}/aliases"))
            .await
            .status,
        404
    );
    let theirs = app.create_model("theirs").await;
    let reply = app
        .put(
            &format!("/models/{theirs}/aliases/x"),
            &json!({"version_id": other_version}),
        )
        .await;
    assert_eq!(reply.status, 400, "{}", reply.text);

    let list = app
        .get(&format!("/models/{model}/aliases"))
        .await
        .expect(200);
    assert_eq!(list, json!({"aliases": []}));
    let after = app.get("/events?limit=1000").await.expect(200)["events"]
        .as_array()
        .map(Vec::len);
    assert_eq!(after, before.map(|n| n + 2), "one model and one alias.set");
}

async fn moves_and_deletes_are_in_the_change_feed(app: &TestApp) {
    let (model, v1, v2) = model_with_two_versions(app, "history").await;
    let path = format!("/models/{model}/aliases/champion");
    let set = app.put(&path, &json!({"version_id": v1})).await.expect(200);
    let moved = app.put(&path, &json!({"version_id": v2})).await.expect(200);
    app.put(&path, &json!({"version_id": v2})).await.expect(200);
    app.delete(&path).await.expect(200);

    let page = app
        .get(&format!(
            "/events?model_id={model}&type=alias.set&type=alias.deleted"
        ))
        .await
        .expect(200);
    let events = page["events"].as_array().expect("events");
    let types: Vec<&str> = events.iter().filter_map(|e| e["type"].as_str()).collect();
    assert_eq!(types, ["alias.set", "alias.set", "alias.deleted"]);
    assert_eq!(events[0]["data"], set);
    assert_eq!(events[0]["version_id"], json!(v1));
    assert_eq!(
        events[0]["changes"],
        json!({"version_id": {"from": null, "to": v1}})
    );
    assert_eq!(events[1]["data"], moved);
    assert_eq!(
        events[1]["changes"],
        json!({"version_id": {"from": v1, "to": v2}})
    );
    assert_eq!(events[2]["data"], moved, "as it was");
    assert_eq!(events[2]["version_id"], json!(v2));
    assert!(events[2]["changes"].is_null());
    for event in events {
        assert_eq!(event["model_id"], json!(model));
        assert_eq!(event["project_id"], json!(app.project));
    }
}

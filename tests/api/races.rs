//! Racing requests still leave the contract's invariants: one name, one
//! default version.

use futures::future::join_all;
use serde_json::json;
use uuid::Uuid;

use crate::{helpers::TestApp, on_both_backends};

on_both_backends!(
    sixteen_creates_of_one_name_make_one_model,
    concurrent_creates_each_get_their_own_answer_and_event,
    eight_racing_defaults_leave_exactly_one,
    racing_version_creates_under_one_name_make_one_version,
    thirty_two_clients_race_for_one_name_and_one_default,
    concurrent_patches_of_different_fields_all_survive,
    racing_patches_under_one_etag_let_exactly_one_through,
    a_models_update_racing_version_creates_shows_them_all,
    a_version_deleted_while_an_alias_is_set_on_it_is_one_or_the_other,
    patches_racing_an_alias_move_announce_the_aliases_of_their_moment,
    deleting_a_model_while_versions_are_created_leaves_no_orphan,
);

/// How many clients the heavier races use.
const CLIENTS: usize = 32;

async fn sixteen_creates_of_one_name_make_one_model(app: &TestApp) {
    let region = Uuid::new_v4();
    let replies = join_all((0..16).map(|_| async move {
        app.post(
            "/models",
            &json!({"name": "contested", "region_id": region}),
        )
        .await
    }))
    .await;
    let created = replies.iter().filter(|r| r.status == 201).count();
    let conflicts = replies.iter().filter(|r| r.status == 409).count();
    assert_eq!(
        (created, conflicts),
        (1, 15),
        "{:?}",
        replies.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    let listed = app.get("/models").await.expect(200);
    assert_eq!(listed["total"], 1);
}

/// Creates that go to the database together (SQLite commits them in
/// groups) still answer one by one: a taken name refuses only its create.
async fn concurrent_creates_each_get_their_own_answer_and_event(app: &TestApp) {
    let region = Uuid::new_v4();
    let names = (0..24).map(|i| match i % 3 {
        0 => "shared".to_owned(),
        _ => format!("own-{i}"),
    });
    let replies = join_all(names.map(|name| async move {
        let reply = app
            .post("/models", &json!({"name": name, "region_id": region}))
            .await;
        (name, reply)
    }))
    .await;
    let mut created = Vec::new();
    for (name, reply) in &replies {
        match (name.as_str(), reply.status) {
            (_, 201) => created.push(reply.body["id"].as_str().unwrap_or_default().to_owned()),
            ("shared", 409) => {}
            other => panic!("{other:?}: {}", reply.text),
        }
    }
    assert_eq!(created.len(), 17, "16 own names and one shared");
    let events = app.get("/events?limit=1000").await.expect(200);
    let mut announced: Vec<String> = events["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|event| event["type"] == "model.created")
        .map(|event| event["model_id"].as_str().unwrap_or_default().to_owned())
        .collect();
    announced.sort();
    created.sort();
    assert_eq!(announced, created, "one model.created per model made");
}

async fn eight_racing_defaults_leave_exactly_one(app: &TestApp) {
    let model = app.create_model("racy").await;
    let mut versions = Vec::new();
    for i in 0..8 {
        versions.push(app.create_version(model, &format!("v{i}"), json!({})).await);
    }
    let replies = join_all(versions.iter().map(|v| async move {
        app.patch(
            &format!("/models/{model}/versions/{v}"),
            &json!({"is_default": true}),
        )
        .await
    }))
    .await;
    assert!(
        replies.iter().all(|r| r.status == 200),
        "{:?}",
        replies.iter().map(|r| &r.text).collect::<Vec<_>>()
    );
    let defaults = app
        .get(&format!("/models/{model}/versions?limit=100"))
        .await
        .expect(200)["items"]
        .as_array()
        .map(|items| items.iter().filter(|v| v["is_default"] == true).count());
    assert_eq!(defaults, Some(1));

    // Creating with is_default races the same way.
    let replies = join_all((0..8).map(|i| async move {
        app.post(
            &format!("/models/{model}/versions"),
            &json!({"name": format!("d{i}"), "model_framework": "p", "model_framework_version": "1",
                    "uri": "s3://x", "is_default": true}),
        )
        .await
    }))
    .await;
    assert!(
        replies.iter().all(|r| r.status == 201),
        "{:?}",
        replies.iter().map(|r| &r.text).collect::<Vec<_>>()
    );
    let listed = app
        .get(&format!("/models/{model}/versions?limit=100"))
        .await
        .expect(200);
    let defaults: Vec<_> = listed["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|v| v["is_default"] == true)
        .collect();
    assert_eq!(defaults.len(), 1);
    let shown = app.get(&format!("/models/{model}")).await.expect(200);
    assert_eq!(shown["default_version"]["id"], defaults[0]["id"]);
}

async fn racing_version_creates_under_one_name_make_one_version(app: &TestApp) {
    let model = app.create_model("versions-race").await;
    let replies = join_all((0..16).map(|_| async move {
        app.post(
            &format!("/models/{model}/versions"),
            &json!({"name": "same", "model_framework": "p", "model_framework_version": "1", "uri": "s3://x"}),
        )
        .await
    }))
    .await;
    let created = replies.iter().filter(|r| r.status == 201).count();
    let conflicts = replies.iter().filter(|r| r.status == 409).count();
    assert_eq!((created, conflicts), (1, 15));
    for reply in replies.iter().filter(|r| r.status == 409) {
        assert_eq!(
            reply.error(),
            "version with this name already exists for this model"
        );
    }
}

async fn thirty_two_clients_race_for_one_name_and_one_default(app: &TestApp) {
    let region = Uuid::new_v4();
    let replies = join_all((0..CLIENTS).map(|_| async move {
        app.post("/models", &json!({"name": "crowded", "region_id": region}))
            .await
    }))
    .await;
    let statuses: Vec<u16> = replies.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        CLIENTS - 1,
        "{statuses:?}"
    );

    let model = replies
        .iter()
        .find(|r| r.status == 201)
        .map(|r| r.id())
        .expect("one model");
    let mut versions = Vec::new();
    for i in 0..CLIENTS {
        versions.push(app.create_version(model, &format!("v{i}"), json!({})).await);
    }
    let replies = join_all(versions.iter().map(|v| async move {
        app.patch(
            &format!("/model_versions/{v}"),
            &json!({"is_default": true}),
        )
        .await
    }))
    .await;
    assert!(replies.iter().all(|r| r.status == 200));
    let listed = app
        .get(&format!("/models/{model}/versions?limit=100"))
        .await
        .expect(200);
    let defaults = listed["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|v| v["is_default"] == true)
        .count();
    assert_eq!(defaults, 1);
}

async fn concurrent_patches_of_different_fields_all_survive(app: &TestApp) {
    let model = app.create_model("contended").await;
    let version = app.create_version(model, "v1", json!({})).await;
    // Half the clients write the description, half the size; each writes a
    // value of its own. A PATCH that rewrote the whole row would put back
    // the other field's old value.
    let replies = join_all((0..CLIENTS).map(|i| async move {
        let (model_body, version_body) = if i % 2 == 0 {
            (
                json!({"description": format!("d{i}")}),
                json!({"description": format!("d{i}")}),
            )
        } else {
            (
                json!({"model_size": i}),
                json!({"uri": format!("s3://u{i}")}),
            )
        };
        let m = app.patch(&format!("/models/{model}"), &model_body).await;
        let v = app
            .patch(&format!("/model_versions/{version}"), &version_body)
            .await;
        (m.status, v.status)
    }))
    .await;
    assert!(replies.iter().all(|r| *r == (200, 200)), "{replies:?}");
    let shown = app.get(&format!("/models/{model}")).await.expect(200);
    let description = shown["description"].as_str().unwrap_or_default();
    let size = shown["model_size"].as_u64().unwrap_or_default();
    assert!(description.starts_with('d') && size % 2 == 1, "{shown}");
    let version = app
        .get(&format!("/model_versions/{version}"))
        .await
        .expect(200);
    let description = version["description"].as_str().unwrap_or_default();
    let uri = version["uri"].as_str().unwrap_or_default();
    assert!(
        description.starts_with('d') && uri.starts_with("s3://u"),
        "{version}"
    );
}

/// Each PATCH checks `If-Match` on the version as it is once it holds the
/// model's lock: of racing PATCHes under one ETag, one succeeds and every
/// other answers 412, and the winner's answer and event show its change.
async fn racing_patches_under_one_etag_let_exactly_one_through(app: &TestApp) {
    let model = app.create_model("etag-race").await;
    let version = app.create_version(model, "v1", json!({})).await;
    let path = format!("/model_versions/{version}");
    for round in 0..4 {
        let seen = app.get(&path).await;
        let etag = seen.headers["etag"].to_str().expect("an ETag").to_owned();
        let replies = join_all((0..CLIENTS / 2).map(|i| {
            let (path, etag) = (&path, &etag);
            async move {
                let body = json!({"description": format!("r{round}-c{i}")});
                let request = app
                    .client
                    .patch(app.api(path))
                    .header("Project-ID", app.project.to_string())
                    .header("If-Match", etag)
                    .json(&body);
                app.send(request).await
            }
        }))
        .await;
        let winners: Vec<_> = replies.iter().filter(|r| r.status == 200).collect();
        let statuses: Vec<u16> = replies.iter().map(|r| r.status).collect();
        assert_eq!(winners.len(), 1, "round {round}: {statuses:?}");
        assert!(
            replies.iter().all(|r| r.status == 200 || r.status == 412),
            "round {round}: {statuses:?}"
        );
        let shown = app.get(&path).await.expect(200);
        assert_eq!(shown["description"], winners[0].body["description"]);
    }
    let feed = app
        .get(&format!("/events?model_id={model}&type=version.updated"))
        .await
        .expect(200);
    let events = feed["events"].as_array().cloned().unwrap_or_default();
    assert_eq!(events.len(), 4, "{feed}");
    for pair in events.windows(2) {
        // Each event's change starts from the one before it.
        assert_eq!(
            pair[1]["changes"]["description"]["from"], pair[0]["changes"]["description"]["to"],
            "{feed}"
        );
    }
}

/// A model's answer counts its versions: an update that waited for the
/// model's lock while versions were created shows every one made before it.
async fn a_models_update_racing_version_creates_shows_them_all(app: &TestApp) {
    let model = app.create_model("count-race").await;
    let creates = (0..CLIENTS / 2).map(|i| async move {
        app.post(
            &format!("/models/{model}/versions"),
            &json!({"name": format!("v{i}"), "model_framework": "pytorch",
                    "model_framework_version": "2", "uri": "s3://b"}),
        )
        .await
        .status
    });
    let updates = (0..CLIENTS / 2).map(|i| async move {
        app.patch(
            &format!("/models/{model}"),
            &json!({"description": format!("d{i}")}),
        )
        .await
        .status
    });
    let (created, updated) = futures::join!(join_all(creates), join_all(updates));
    assert!(created.iter().all(|s| *s == 201), "{created:?}");
    assert!(updated.iter().all(|s| *s == 200), "{updated:?}");
    let feed = app
        .get(&format!("/events?model_id={model}&limit=1000"))
        .await
        .expect(200);
    let mut versions = 0;
    for event in feed["events"].as_array().cloned().unwrap_or_default() {
        match event["type"].as_str() {
            Some("version.created") => versions += 1,
            Some("model.updated") => {
                assert_eq!(event["data"]["version_count"], versions, "{event}")
            }
            _ => {}
        }
    }
    assert_eq!(versions, CLIENTS / 2, "{feed}");
}

/// A version an alias names is not deleted, even when the alias is set
/// while the delete waits for the model's lock: one of the two wins.
async fn a_version_deleted_while_an_alias_is_set_on_it_is_one_or_the_other(app: &TestApp) {
    let model = app.create_model("alias-delete-race").await;
    for round in 0..8 {
        let version = app
            .create_version(model, &format!("v{round}"), json!({}))
            .await;
        let alias = format!("/models/{model}/aliases/a{round}");
        let (body, path) = (
            json!({"version_id": version}),
            format!("/model_versions/{version}"),
        );
        let (set, deleted) = futures::join!(app.put(&alias, &body), app.delete(&path));
        let named = app.get(&alias).await.status;
        match (set.status, deleted.status) {
            (200, 409) => assert_eq!(named, 200, "round {round}"),
            (404, 200) => assert_eq!(named, 404, "round {round}"),
            other => panic!("round {round}: {other:?} {} {}", set.text, deleted.text),
        }
    }
}

/// A version's answer lists its aliases: each `version.updated` event of
/// PATCHes racing an alias's move lists what the feed says it had then.
async fn patches_racing_an_alias_move_announce_the_aliases_of_their_moment(app: &TestApp) {
    let model = app.create_model("aliased").await;
    let a = app.create_version(model, "a", json!({})).await;
    let b = app.create_version(model, "b", json!({})).await;
    let alias = format!("/models/{model}/aliases/champion");
    for round in 0..12 {
        let (to, from) = if round % 2 == 0 { (a, b) } else { (b, a) };
        app.put(&alias, &json!({"version_id": to}))
            .await
            .expect(200);
        let describe = json!({"description": format!("round {round}")});
        let move_away = json!({"version_id": from});
        let (path_to, path_from) = (
            format!("/model_versions/{to}"),
            format!("/model_versions/{from}"),
        );
        let (moved, patched_to, patched_from) = futures::join!(
            app.put(&alias, &move_away),
            app.patch(&path_to, &describe),
            app.patch(&path_from, &describe),
        );
        moved.expect(200);
        patched_to.expect(200);
        patched_from.expect(200);
    }
    let events = app
        .get(&format!("/events?model_id={model}&limit=1000"))
        .await
        .expect(200);
    let mut champion: Option<String> = None;
    let mut updates = 0;
    for event in events["events"].as_array().into_iter().flatten() {
        match event["type"].as_str() {
            Some("alias.set") => {
                champion = event["data"]["version_id"].as_str().map(str::to_owned);
            }
            Some("version.updated") => {
                updates += 1;
                let named = champion.as_deref() == event["version_id"].as_str();
                let expected = if named {
                    json!(["champion"])
                } else {
                    json!([])
                };
                assert_eq!(event["data"]["aliases"], expected, "{event}");
            }
            _ => {}
        }
    }
    assert_eq!(updates, 24, "every PATCH announced");
}

async fn deleting_a_model_while_versions_are_created_leaves_no_orphan(app: &TestApp) {
    for round in 0..3 {
        let model = app.create_model(&format!("doomed-{round}")).await;
        app.patch(&format!("/models/{model}"), &json!({"state": "ARCHIVED"}))
            .await
            .expect(200);
        let creates = join_all((0..CLIENTS).map(|i| async move {
            app.post(
                &format!("/models/{model}/versions"),
                &json!({"name": format!("v{i}"), "model_framework": "p",
                        "model_framework_version": "1", "uri": "s3://x"}),
            )
            .await
        }));
        let delete = async {
            tokio::time::sleep(std::time::Duration::from_millis(5 * round)).await;
            app.delete(&format!("/models/{model}")).await
        };
        let (creates, deleted) = tokio::join!(creates, delete);
        assert_eq!(deleted.status, 200, "{}", deleted.text);
        for reply in &creates {
            assert!(matches!(reply.status, 201 | 404), "{}", reply.text);
            if reply.status == 404 {
                assert_eq!(reply.error(), "registered model not found");
            }
        }
        assert_eq!(app.get(&format!("/models/{model}")).await.status, 404);
        assert_eq!(
            app.count_version_rows(model).await,
            0,
            "no orphan version rows"
        );
    }
}

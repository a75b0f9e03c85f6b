use std::collections::HashSet;

use serde_json::{Value, json};
use uuid::Uuid;

use crate::{helpers::TestApp, on_both_backends};

on_both_backends!(
    a_models_etag_follows_the_model_and_its_versions,
    writes_answer_the_etag_a_get_then_answers,
    lists_filter_by_labels_and_tags,
    if_match_lets_one_of_racing_writers_through,
    a_new_model_has_every_field_of_the_contract,
    names_are_unique_per_project_only,
    a_model_is_found_by_id_name_or_external_id,
    patch_changes_only_what_it_names,
    patch_renames_and_conflicts,
    delete_needs_an_archived_model_without_ready_versions,
    delete_takes_the_versions_along,
    a_deleted_parent_leaves_its_children_without_a_parent,
    a_model_shows_its_versions,
    emails_and_region_names_come_from_cmps_tables,
    lists_filter_and_count,
    search_matches_substrings_case_insensitively_and_literally,
    paging_never_skips_or_repeats,
    sorting_follows_the_whitelist,
    parent_model_must_be_of_the_same_project,
    refused_creates_leave_every_connection_free,
);

fn is_rfc3339_utc(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|s| s.ends_with('Z') && chrono::DateTime::parse_from_rfc3339(s).is_ok())
}

async fn a_new_model_has_every_field_of_the_contract(app: &TestApp) {
    let region = Uuid::new_v4();
    let model = app
        .post(
            "/models",
            &json!({"name": "My Model_v2!", "region_id": region}),
        )
        .await
        .expect(201);
    assert_eq!(model["name"], "My Model_v2!");
    assert_eq!(model["slug"], "my-model-v2");
    assert_eq!(model["project_id"], app.project.to_string());
    assert_eq!(model["region_id"], region.to_string());
    assert_eq!(model["region_name"], "");
    assert_eq!(model["owner_id"], Value::Null);
    assert_eq!(model["owner_email"], "");
    assert_eq!(model["description"], "");
    assert_eq!(model["model_type"], "CUSTOMTRAIN");
    assert_eq!(model["model_size"], 0);
    assert_eq!(model["state"], "LIVE");
    assert_eq!(model["deployment_status"], "UNDEPLOYED");
    assert_eq!(
        model["tags"],
        json!({"frameworks": [], "architectures": [], "tasks": [], "subjects": []})
    );
    assert_eq!(model["labels"], json!({}));
    assert_eq!(model["parent_model_id"], Value::Null);
    assert_eq!(model["version_count"], 0);
    assert!(model.get("latest_version").is_none());
    assert!(model.get("default_version").is_none());
    assert!(
        is_rfc3339_utc(&model["created_at"]),
        "{}",
        model["created_at"]
    );
    assert!(is_rfc3339_utc(&model["updated_at"]));
    let id = model["id"].as_str().expect("an id");
    assert_eq!(id, id.to_lowercase());
    assert!(Uuid::parse_str(id).is_ok());

    // What was created is what is read back.
    let read = app.get(&format!("/models/{id}")).await.expect(200);
    assert_eq!(read, model);
}

async fn names_are_unique_per_project_only(app: &TestApp) {
    app.create_model("twin").await;
    let again = app
        .post(
            "/models",
            &json!({"name": "twin", "region_id": Uuid::new_v4()}),
        )
        .await;
    assert_eq!(again.status, 409);
    assert_eq!(
        again.error(),
        "model with this name already exists in the project"
    );
    let elsewhere = app
        .post_as(
            Uuid::new_v4(),
            "/models",
            &json!({"name": "twin", "region_id": Uuid::new_v4()}),
        )
        .await;
    assert_eq!(elsewhere.status, 201, "{}", elsewhere.text);
}

async fn a_model_is_found_by_id_name_or_external_id(app: &TestApp) {
    let id = app.create_model("findme").await;
    app.create_model("other").await;

    let by_name = app.get("/model?name=findme").await.expect(200);
    assert_eq!(by_name["id"], id.to_string());
    let by_id = app
        .get(&format!("/model?externalId={id}"))
        .await
        .expect(200);
    assert_eq!(by_id["name"], "findme");
    let both = app
        .get(&format!("/model?name=findme&externalId={id}"))
        .await
        .expect(200);
    assert_eq!(both["id"], id.to_string());

    let mismatch = app.get(&format!("/model?name=other&externalId={id}")).await;
    assert_eq!(mismatch.status, 404);
    assert_eq!(mismatch.error(), "registered model not found");
    assert_eq!(app.get("/model?name=FINDME").await.status, 404);
    let neither = app.get("/model").await;
    assert_eq!(neither.status, 400, "{}", neither.text);
    assert_eq!(app.get("/model?externalId=nope").await.status, 400);

    let missing = app.get(&format!("/models/{}", Uuid::new_v4())).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.error(), "registered model not found");
}

async fn patch_changes_only_what_it_names(app: &TestApp) {
    let created = app
        .post(
            "/models",
            &json!({
                "name": "patchy", "region_id": Uuid::new_v4(), "description": "before",
                "model_type": "PRETRAIN",
                "tags": {"frameworks": ["pytorch"], "architectures": ["transformer"], "tasks": [], "subjects": []},
                "labels": {"env": "test", "team": "a"}
            }),
        )
        .await
        .expect(201);
    let id = created["id"].as_str().expect("id").to_string();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;

    let patched = app
        .patch(
            &format!("/models/{id}"),
            &json!({"description": "after", "model_size": 1234, "description_unknown": 1}),
        )
        .await
        .expect(200);
    assert_eq!(patched["description"], "after");
    assert_eq!(patched["model_size"], 1234);
    assert_eq!(patched["model_type"], "PRETRAIN");
    assert_eq!(patched["labels"], created["labels"]);
    assert_eq!(patched["tags"], created["tags"]);
    assert_eq!(patched["created_at"], created["created_at"]);
    assert_ne!(
        patched["updated_at"], created["updated_at"],
        "updated_at moves"
    );

    // null leaves a field as it is; tags and labels are replaced whole.
    let patched = app
        .patch(
            &format!("/models/{id}"),
            &json!({
                "description": null,
                "tags": {"tasks": ["text-generation"]},
                "labels": {"only": "this"},
                "state": "ARCHIVED",
                "deployment_status": "DEPLOYED"
            }),
        )
        .await
        .expect(200);
    assert_eq!(patched["description"], "after");
    assert_eq!(
        patched["tags"],
        json!({"frameworks": [], "architectures": [], "tasks": ["text-generation"], "subjects": []})
    );
    assert_eq!(patched["labels"], json!({"only": "this"}));
    assert_eq!(patched["state"], "ARCHIVED");
    assert_eq!(patched["deployment_status"], "DEPLOYED");

    // An empty patch changes nothing, not even updated_at.
    let same = app
        .patch(&format!("/models/{id}"), &json!({}))
        .await
        .expect(200);
    assert_eq!(same, patched);

    for bad in [
        json!({"model_size": -1}),
        json!({"state": "live"}),
        json!({"deployment_status": "GONE"}),
        json!({"model_type": ""}),
        json!({"model_type": "x".repeat(51)}),
        json!({"name": "   "}),
        json!({"labels": {"k": 1}}),
        json!({"tags": {"frameworks": "pytorch"}}),
    ] {
        let reply = app.patch(&format!("/models/{id}"), &bad).await;
        assert_eq!(reply.status, 400, "{bad} → {}", reply.text);
        reply.error();
    }
    let after = app.get(&format!("/models/{id}")).await.expect(200);
    assert_eq!(after, patched, "rejected patches change nothing");

    let missing = app
        .patch(
            &format!("/models/{}", Uuid::new_v4()),
            &json!({"description": "x"}),
        )
        .await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.error(), "registered model not found");
}

async fn patch_renames_and_conflicts(app: &TestApp) {
    let id = app.create_model("first").await;
    app.create_model("second").await;
    let renamed = app
        .patch(&format!("/models/{id}"), &json!({"name": "First Renamed"}))
        .await
        .expect(200);
    assert_eq!(renamed["name"], "First Renamed");
    assert_eq!(renamed["slug"], "first-renamed");
    let clash = app
        .patch(&format!("/models/{id}"), &json!({"name": "second"}))
        .await;
    assert_eq!(clash.status, 409);
    assert_eq!(
        clash.error(),
        "model with this name already exists in the project"
    );
    let read = app.get(&format!("/models/{id}")).await.expect(200);
    assert_eq!(read["name"], "First Renamed");
}

async fn delete_needs_an_archived_model_without_ready_versions(app: &TestApp) {
    let rule = "cannot delete model: must be archived with no READY versions";
    let id = app.create_model("doomed").await;
    let live = app.delete(&format!("/models/{id}")).await;
    assert_eq!(live.status, 400);
    assert_eq!(live.error(), rule);

    let version = app.create_version(id, "v1", json!({})).await;
    app.patch(
        &format!("/model_versions/{version}"),
        &json!({"status": "READY"}),
    )
    .await
    .expect(200);
    app.patch(&format!("/models/{id}"), &json!({"state": "ARCHIVED"}))
        .await
        .expect(200);
    let ready = app.delete(&format!("/models/{id}")).await;
    assert_eq!(ready.status, 400);
    assert_eq!(ready.error(), rule);
    app.get(&format!("/models/{id}")).await.expect(200);

    app.patch(
        &format!("/model_versions/{version}"),
        &json!({"status": "FAILED"}),
    )
    .await
    .expect(200);
    let deleted = app.delete(&format!("/models/{id}")).await.expect(200);
    assert_eq!(deleted, json!({"status": "deleted"}));
    assert_eq!(app.get(&format!("/models/{id}")).await.status, 404);
    assert_eq!(app.delete(&format!("/models/{id}")).await.status, 404);
}

async fn delete_takes_the_versions_along(app: &TestApp) {
    let id = app.create_model("with-versions").await;
    let version = app.create_version(id, "v1", json!({})).await;
    let artifact = app.create_artifact(id, "onnx").await;
    let keep = app.create_model("keeper").await;
    let kept = app.create_version(keep, "v1", json!({})).await;

    app.patch(&format!("/models/{id}"), &json!({"state": "ARCHIVED"}))
        .await
        .expect(200);
    app.delete(&format!("/models/{id}")).await.expect(200);

    assert_eq!(
        app.get(&format!("/model_versions/{version}")).await.status,
        404
    );
    assert_eq!(
        app.get(&format!("/model_artifacts/{artifact}"))
            .await
            .status,
        404
    );
    let all = app.get("/model_versions").await.expect(200);
    assert_eq!(all["total"], 1);
    assert_eq!(all["items"][0]["id"], kept.to_string());
}

async fn a_deleted_parent_leaves_its_children_without_a_parent(app: &TestApp) {
    let parent = app.create_model("parent").await;
    let child = app
        .post(
            "/models",
            &json!({"name": "child", "region_id": parent, "parent_model_id": parent}),
        )
        .await
        .expect(201);
    assert_eq!(child["parent_model_id"], parent.to_string());
    app.patch(&format!("/models/{parent}"), &json!({"state": "ARCHIVED"}))
        .await
        .expect(200);
    app.delete(&format!("/models/{parent}")).await.expect(200);
    let child = app
        .get(&format!("/models/{}", child["id"].as_str().unwrap_or("")))
        .await
        .expect(200);
    assert!(child["parent_model_id"].is_null(), "{child}");
}

async fn a_model_shows_its_versions(app: &TestApp) {
    let id = app.create_model("versioned").await;
    let v1 = app
        .create_version(id, "v1", json!({"is_default": true}))
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let v2 = app.create_version(id, "v2", json!({})).await;
    app.post(
        "/model_artifacts",
        &json!({"registered_model_id": id, "name": "weights", "model_framework": "pytorch",
                "model_framework_version": "2", "uri": "s3://w"}),
    )
    .await
    .expect(201);

    let model = app.get(&format!("/models/{id}")).await.expect(200);
    assert_eq!(model["version_count"], 3, "artifacts count as versions");
    assert_eq!(model["default_version"]["id"], v1.to_string());
    assert_eq!(model["default_version"]["is_default"], true);
    assert_eq!(model["latest_version"]["name"], "weights");
    assert!(model["latest_version"].get("access_key").is_none());

    app.patch(
        &format!("/models/{id}/versions/{v2}"),
        &json!({"is_default": true}),
    )
    .await
    .expect(200);
    let model = app.get(&format!("/models/{id}")).await.expect(200);
    assert_eq!(model["default_version"]["id"], v2.to_string());
    let listed = app.get("/models").await.expect(200);
    assert_eq!(listed["items"][0]["default_version"]["id"], v2.to_string());
    assert_eq!(listed["items"][0]["version_count"], 3);
}

async fn emails_and_region_names_come_from_cmps_tables(app: &TestApp) {
    let region = Uuid::new_v4();
    let owner = Uuid::new_v4();
    let creator = Uuid::new_v4();
    let model = app
        .post("/models", &json!({"name": "owned", "region_id": region}))
        .await
        .expect(201);
    let id: Uuid = model["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("id");
    let version = app
        .create_version(id, "v1", json!({"is_default": true}))
        .await;

    // CMP owns these rows; the service only reads them.
    app.insert_region(region, "HN").await;
    app.insert_user(owner, "owner@example.com").await;
    app.insert_user(creator, "creator@example.com").await;
    app.set_model_owner(id, owner).await;
    app.set_version_creator(version, creator).await;

    let model = app.get(&format!("/models/{id}")).await.expect(200);
    assert_eq!(model["region_name"], "HN");
    // A create answers with its region's name too.
    let created = app
        .post("/models", &json!({"name": "in-hn", "region_id": region}))
        .await
        .expect(201);
    assert_eq!(created["region_name"], "HN");
    // Renamed by CMP: the next create answers, and announces, the new name.
    app.rename_region(region, "HN-2").await;
    let renamed = app
        .post("/models", &json!({"name": "in-hn-2", "region_id": region}))
        .await
        .expect(201);
    assert_eq!(renamed["region_name"], "HN-2");
    let renamed_id = renamed["id"].as_str().expect("id");
    let history = app
        .get(&format!("/events?model_id={renamed_id}"))
        .await
        .expect(200);
    assert_eq!(history["events"][0]["data"], renamed);
    assert_eq!(created["owner_email"], "");
    assert_eq!(model["owner_id"], owner.to_string());
    assert_eq!(model["owner_email"], "owner@example.com");
    assert_eq!(
        model["default_version"]["created_by_email"],
        "creator@example.com"
    );
    assert_eq!(model["default_version"]["updated_by_email"], "");
    let read = app
        .get(&format!("/model_versions/{version}"))
        .await
        .expect(200);
    assert_eq!(read["created_by_id"], creator.to_string());
    assert_eq!(read["created_by_email"], "creator@example.com");
}

async fn lists_filter_and_count(app: &TestApp) {
    for i in 0..5 {
        let model = app
            .post(
                "/models",
                &json!({"name": format!("m{i}"), "region_id": Uuid::new_v4(),
                        "model_type": if i % 2 == 0 { "PRETRAIN" } else { "CUSTOMTRAIN" }}),
            )
            .await
            .expect(201);
        if i < 2 {
            let id = model["id"].as_str().expect("id");
            app.patch(&format!("/models/{id}"), &json!({"state": "ARCHIVED"}))
                .await
                .expect(200);
        }
    }
    let all = app.get("/models").await.expect(200);
    assert_eq!(all["total"], 5);
    assert_eq!(all["page_size"], 20);
    assert_eq!(all["next_offset"], 5);
    assert_eq!(all["items"].as_array().map(Vec::len), Some(5));

    let archived = app.get("/models?state=ARCHIVED").await.expect(200);
    assert_eq!(archived["total"], 2);
    let live = app
        .get("/models?state=LIVE&model_type=PRETRAIN")
        .await
        .expect(200);
    assert_eq!(live["total"], 2, "m2 and m4");

    let page = app.get("/models?limit=2&offset=1").await.expect(200);
    assert_eq!(page["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(page["total"], 5);
    assert_eq!(page["page_size"], 2);
    assert_eq!(page["next_offset"], 3);

    let past = app.get("/models?offset=50").await.expect(200);
    assert_eq!(past["items"], json!([]));
    assert_eq!(past["total"], 5);
    assert_eq!(past["next_offset"], 50);

    let clamped = app.get("/models?limit=1000").await.expect(200);
    assert_eq!(clamped["page_size"], 100);

    for bad in [
        "limit=0",
        "limit=-1",
        "limit=abc",
        "limit=1.5",
        "offset=-1",
        "offset=x",
        "sort_by=id",
        "sort_by=name;DROP TABLE x",
        "order=up",
        "state=live",
        "state=DELETED",
    ] {
        let reply = app.get(&format!("/models?{bad}")).await;
        assert_eq!(reply.status, 400, "{bad} → {}", reply.text);
        reply.error();
    }
}

async fn search_matches_substrings_case_insensitively_and_literally(app: &TestApp) {
    for name in [
        "Llama-Chat",
        "llama_base",
        "mistral",
        "100%_sure",
        "100x_sure",
    ] {
        app.create_model(name).await;
    }
    let names = |body: Value| -> HashSet<String> {
        body["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| m["name"].as_str().map(str::to_owned))
            .collect()
    };
    let found = names(app.get("/models?search=LLAMA").await.expect(200));
    assert_eq!(
        found,
        HashSet::from(["Llama-Chat".into(), "llama_base".into()])
    );
    let found = names(app.get("/models?search=a_b").await.expect(200));
    assert_eq!(found, HashSet::from(["llama_base".into()]));
    let found = names(app.get("/models?search=100%25_").await.expect(200));
    assert_eq!(found, HashSet::from(["100%_sure".into()]));
    let found = names(app.get("/models?search=%25").await.expect(200));
    assert_eq!(found, HashSet::from(["100%_sure".into()]));
    let found = names(app.get("/models?search='%20OR%201=1--").await.expect(200));
    assert!(found.is_empty());
}

async fn paging_never_skips_or_repeats(app: &TestApp) {
    let mut created = HashSet::new();
    for i in 0..23 {
        created.insert(app.create_model(&format!("page-{i:02}")).await.to_string());
    }
    for sort in ["created_at", "updated_at", "name", "model_size"] {
        for order in ["asc", "desc"] {
            let mut seen = Vec::new();
            let mut offset = 0;
            loop {
                let page = app
                    .get(&format!(
                        "/models?limit=5&offset={offset}&sort_by={sort}&order={order}"
                    ))
                    .await
                    .expect(200);
                let items = page["items"].as_array().cloned().unwrap_or_default();
                assert_eq!(page["total"], 23);
                seen.extend(
                    items
                        .iter()
                        .filter_map(|m| m["id"].as_str().map(str::to_owned)),
                );
                offset = page["next_offset"].as_u64().expect("next_offset");
                if items.is_empty() {
                    break;
                }
            }
            assert_eq!(seen.len(), 23, "{sort} {order}: no repeats");
            assert_eq!(
                seen.iter().cloned().collect::<HashSet<_>>(),
                created,
                "{sort} {order}"
            );
        }
    }
}

async fn sorting_follows_the_whitelist(app: &TestApp) {
    for (name, size) in [("b", 30), ("a", 10), ("c", 20)] {
        let id = app.create_model(name).await;
        app.patch(&format!("/models/{id}"), &json!({"model_size": size}))
            .await
            .expect(200);
    }
    let order = |body: Value| -> Vec<String> {
        body["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| m["name"].as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(
        order(app.get("/models?sort_by=name&order=asc").await.expect(200)),
        ["a", "b", "c"]
    );
    assert_eq!(
        order(app.get("/models?sort_by=name").await.expect(200)),
        ["c", "b", "a"]
    );
    assert_eq!(
        order(
            app.get("/models?sort_by=model_size&order=asc")
                .await
                .expect(200)
        ),
        ["a", "c", "b"]
    );
    assert_eq!(
        order(app.get("/models").await.expect(200)),
        ["c", "a", "b"],
        "newest first"
    );
    assert_eq!(
        order(app.get("/models?order=asc").await.expect(200)),
        ["b", "a", "c"]
    );
    assert_eq!(
        order(app.get("/models?sort_by=updated_at").await.expect(200)),
        ["c", "a", "b"]
    );
}

async fn parent_model_must_be_of_the_same_project(app: &TestApp) {
    let parent = app.create_model("parent").await;
    let child = app
        .post(
            "/models",
            &json!({"name": "child", "region_id": Uuid::new_v4(), "parent_model_id": parent}),
        )
        .await
        .expect(201);
    assert_eq!(child["parent_model_id"], parent.to_string());

    let stranger = app
        .post_as(
            Uuid::new_v4(),
            "/models",
            &json!({"name": "child", "region_id": Uuid::new_v4(), "parent_model_id": parent}),
        )
        .await;
    assert_eq!(stranger.status, 400, "{}", stranger.text);
    let unknown = app
        .post(
            "/models",
            &json!({"name": "orphan", "region_id": Uuid::new_v4(), "parent_model_id": Uuid::new_v4()}),
        )
        .await;
    assert_eq!(unknown.status, 400);
    assert_eq!(
        app.get("/model?name=orphan").await.status,
        404,
        "nothing written"
    );
}

/// A GET of one model answers an ETag that changes with the model, its
/// counts and its versions; sent back in If-None-Match, it gets 304 with
/// no body while nothing changed.
async fn a_models_etag_follows_the_model_and_its_versions(app: &TestApp) {
    let model = app.create_model("tagged").await;
    let path = format!("/models/{model}");
    let etag =
        |reply: &crate::helpers::Reply| reply.headers["etag"].to_str().expect("an ETag").to_owned();
    let first = app.get(&path).await;
    assert_eq!(first.status, 200);
    let tag = etag(&first);
    assert!(
        tag.starts_with('"') && tag.ends_with('"') && tag.len() > 2,
        "{tag}"
    );
    assert_eq!(
        etag(&app.get(&path).await),
        tag,
        "stable while nothing changes"
    );

    let conditional = |tag: String| {
        app.client
            .get(app.api(&path))
            .header("Project-ID", app.project.to_string())
            .header("If-None-Match", tag)
    };
    let unchanged = app.send(conditional(tag.clone())).await;
    assert_eq!(unchanged.status, 304);
    assert!(unchanged.text.is_empty(), "no body: {}", unchanged.text);
    assert_eq!(etag(&unchanged), tag);
    let listed = app.send(conditional(format!("\"other\", {tag}"))).await;
    assert_eq!(listed.status, 304, "a list of tags");

    // A new version changes the model's count and latest version: its tag.
    app.create_version(model, "v1", json!({})).await;
    let changed = app.send(conditional(tag.clone())).await;
    assert_eq!(changed.status, 200);
    assert_ne!(etag(&changed), tag);
    let after_version = etag(&changed);
    app.patch(&path, &json!({"description": "new"}))
        .await
        .expect(200);
    assert_ne!(etag(&app.get(&path).await), after_version);
    // Another project's model is not found, tag or not.
    let foreign = app
        .send(
            app.client
                .get(app.api(&path))
                .header("Project-ID", Uuid::new_v4().to_string())
                .header("If-None-Match", "*"),
        )
        .await;
    assert_eq!(foreign.status, 404);
}

/// A create or a PATCH answers the ETag of what it wrote, the one a GET
/// then answers, so that conditional edits chain without a GET between.
async fn writes_answer_the_etag_a_get_then_answers(app: &TestApp) {
    let etag =
        |reply: &crate::helpers::Reply| reply.headers["etag"].to_str().expect("an ETag").to_owned();
    let created = app
        .post(
            "/models",
            &json!({"name": "chained", "region_id": Uuid::new_v4()}),
        )
        .await;
    let model = created.id();
    assert_eq!(
        etag(&created),
        etag(&app.get(&format!("/models/{model}")).await)
    );
    let created = app
        .post(
            &format!("/models/{model}/versions"),
            &json!({"name": "v1", "model_framework": "pt", "model_framework_version": "2",
                    "uri": "s3://v1"}),
        )
        .await;
    let version = created.id();
    let read = app.get(&format!("/model_versions/{version}")).await;
    assert_eq!(etag(&created), etag(&read));
    let artifact = app.create_artifact(model, "onnx").await;
    for path in [
        format!("/models/{model}"),
        format!("/models/{model}/versions/{version}"),
        format!("/model_versions/{version}"),
        format!("/model_artifacts/{artifact}"),
    ] {
        let written = app.patch(&path, &json!({"description": "one"})).await;
        assert_eq!(written.status, 200, "{path}: {}", written.text);
        let tag = etag(&written);
        assert_eq!(tag, etag(&app.get(&path).await), "{path}");
        let conditional = |tag: &str, description: &str| {
            app.client
                .patch(app.api(&path))
                .header("Project-ID", app.project.to_string())
                .header("If-Match", tag.to_owned())
                .json(&json!({"description": description}))
        };
        let chained = app.send(conditional(&tag, "two")).await;
        assert_eq!(chained.status, 200, "{path}: {}", chained.text);
        assert_eq!(
            app.send(conditional(&tag, "three")).await.status,
            412,
            "{path}"
        );
    }
}

/// If-Match: a write with a stale ETag is refused with 412 and changes
/// nothing; of 32 writers racing with the same (current) ETag, exactly one
/// gets through.
async fn if_match_lets_one_of_racing_writers_through(app: &TestApp) {
    let model = app.create_model("raced").await;
    let path = format!("/models/{model}");
    let tag = app.get(&path).await.headers["etag"]
        .to_str()
        .expect("an ETag")
        .to_owned();
    let patch = |tag: &str, description: String| {
        app.client
            .patch(app.api(&path))
            .header("Project-ID", app.project.to_string())
            .header("If-Match", tag.to_owned())
            .json(&json!({"description": description}))
    };
    let stale = app.send(patch("\"stale\"", "never".into())).await;
    assert_eq!(stale.status, 412, "{}", stale.text);
    assert_eq!(stale.body["code"], "precondition_failed");
    assert_eq!(app.get(&path).await.body["description"], "");

    let answers =
        futures::future::join_all((0..32).map(|i| app.send(patch(&tag, format!("writer {i}")))))
            .await;
    let won: Vec<_> = answers.iter().filter(|a| a.status == 200).collect();
    assert_eq!(won.len(), 1, "exactly one writer wins");
    assert!(answers.iter().all(|a| a.status == 200 || a.status == 412));
    let shown = app.get(&path).await;
    assert_eq!(shown.body["description"], won[0].body["description"]);

    // With the ETag it now has, the next write goes through; a delete with
    // the old one does not.
    let fresh = shown.headers["etag"].to_str().expect("an ETag").to_owned();
    app.send(patch(&fresh, "after".into())).await.expect(200);
    let refused = app
        .send(
            app.client
                .delete(app.api(&path))
                .header("Project-ID", app.project.to_string())
                .header("If-Match", fresh),
        )
        .await;
    assert_eq!(refused.status, 412);
}

/// `label=key:value` (repeatable, all must match) on every list, and
/// `tag=array:value` on models; combined with the other filters, and
/// `total` counts the filtered set.
async fn lists_filter_by_labels_and_tags(app: &TestApp) {
    let region = Uuid::new_v4();
    let make = async |name: &str, labels: Value, tags: Value| {
        app.post(
            "/models",
            &json!({"name": name, "region_id": region, "labels": labels, "tags": tags}),
        )
        .await
        .id()
    };
    let a = make(
        "a",
        json!({"env": "prod", "team": "nlp"}),
        json!({"frameworks": ["pytorch"]}),
    )
    .await;
    make(
        "b",
        json!({"env": "prod", "team": "cv"}),
        json!({"frameworks": ["onnx"], "tasks": ["pytorch"]}),
    )
    .await;
    make("c", json!({"env": "dev", "odd:key": "x:y"}), json!({})).await;
    let names = async |query: &str| -> (Vec<String>, u64) {
        let listed = app
            .get(&format!("/models?sort_by=name&order=asc&{query}"))
            .await
            .expect(200);
        let names = listed["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|m| m["name"].as_str().expect("name").to_owned())
            .collect();
        (names, listed["total"].as_u64().expect("total"))
    };
    assert_eq!(
        names("label=env:prod").await,
        (vec!["a".into(), "b".into()], 2)
    );
    assert_eq!(
        names("label=env:prod&label=team:cv").await,
        (vec!["b".into()], 1)
    );
    assert_eq!(
        names("label=odd:key:x:y").await.0,
        Vec::<String>::new(),
        "the first : ends the key"
    );
    assert_eq!(names("label=odd%3Akey:x").await.0, Vec::<String>::new());
    assert_eq!(names("label=env:").await.1, 0);
    assert_eq!(names("tag=frameworks:pytorch").await, (vec!["a".into()], 1));
    assert_eq!(
        names("tag=tasks:pytorch&label=env:prod").await,
        (vec!["b".into()], 1)
    );
    assert_eq!(
        names("label=env:prod&limit=1&offset=1").await,
        (vec!["b".into()], 2)
    );
    assert_eq!(
        names("label=env:prod&search=A").await,
        (vec!["a".into()], 1)
    );

    for (query, field) in [
        ("label=nocolon", "label"),
        ("tag=colours:red", "tag"),
        ("label=k%00:v", "label"),
        (&format!("label=k:{}", "v".repeat(1000)), "label"),
        (&format!("tag=tasks:{}", "v".repeat(1000)), "tag"),
    ] {
        let reply = app.get(&format!("/models?{query}")).await;
        assert_eq!(reply.status, 400, "{query}: {}", reply.text);
        assert!(
            reply.error().starts_with(&format!("{field}: ")),
            "{}",
            reply.text
        );
        assert!(
            reply.error().contains("at most 1000 characters"),
            "{}",
            reply.text
        );
    }

    // Versions and artifacts, by their own labels.
    let labelled = app
        .create_version(a, "v1", json!({"labels": {"stage": "canary"}}))
        .await;
    app.create_version(a, "v2", json!({"labels": {"stage": "stable"}}))
        .await;
    for path in [
        format!("/models/{a}/versions?label=stage:canary"),
        "/model_versions?label=stage:canary".to_string(),
        "/model_artifacts?label=stage:canary".to_string(),
    ] {
        let listed = app.get(&path).await.expect(200);
        assert_eq!(listed["total"], 1, "{path}");
        assert_eq!(listed["items"][0]["id"], labelled.to_string(), "{path}");
    }
}

/// A create refused by the database (a taken name) or by its own guard (a
/// parent of another project) writes nothing, and leaves no connection
/// inside a transaction: concurrent creates after them all go through.
async fn refused_creates_leave_every_connection_free(app: &TestApp) {
    let model = app.create_model("taken").await;
    app.create_version(model, "v1", json!({})).await;
    for _ in 0..8 {
        let taken = json!({"name": "taken", "region_id": Uuid::new_v4()});
        assert_eq!(app.post("/models", &taken).await.status, 409);
        let orphan = json!({"name": "orphan", "region_id": Uuid::new_v4(),
                            "parent_model_id": Uuid::new_v4()});
        assert_eq!(app.post("/models", &orphan).await.status, 400);
        let version = json!({"name": "v1", "model_framework": "pytorch",
                             "model_framework_version": "2", "uri": "s3://b"});
        let path = format!("/models/{model}/versions");
        assert_eq!(app.post(&path, &version).await.status, 409);
    }
    let creates = (0..8).map(|i| {
        let body = json!({"name": format!("after-{i}"), "region_id": Uuid::new_v4()});
        async move { app.post("/models", &body).await }
    });
    for reply in futures::future::join_all(creates).await {
        assert_eq!(reply.status, 201, "{}", reply.text);
    }
    let listed = app.get("/models?limit=100").await.expect(200);
    assert_eq!(listed["total"], 9);
    let events = app.get("/events?limit=100").await.expect(200);
    let events = events["events"].as_array().expect("events").len();
    assert_eq!(events, 10, "one event a create that went through");
}

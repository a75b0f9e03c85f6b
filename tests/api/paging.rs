//! Page tokens: every list answers `next_page_token` and continues after
//! the last item of a page with `page_token`, in the same order as offset
//! paging, and a token works only for the list, sort and filters (and the
//! project) that gave it.

use std::collections::HashSet;

use serde_json::{Value, json};
use uuid::Uuid;

use chrono::{TimeZone, Utc};
use model_registry::domain::{Cursor, ModelFilter, ModelQuery, ModelSortBy, SortOrder, SortValue};

use crate::{helpers::TestApp, on_both_backends};

on_both_backends!(
    tokens_walk_every_list_in_the_order_offsets_do,
    a_token_belongs_to_its_list,
    a_token_page_does_not_shift_when_items_are_added,
    a_page_asked_again_follows_every_change,
    a_made_up_token_is_refused_before_it_is_run,
);

/// Ids of every item of `path` (which has its own query), walked with
/// offsets (`by_token` false) or tokens, `limit` at a time. Checks that
/// `total` stays the same and that the last page, and only it, has no
/// token.
async fn walk(app: &TestApp, path: &str, limit: u32, by_token: bool) -> Vec<String> {
    let mut ids = Vec::new();
    let mut next = String::new();
    let mut total = None;
    loop {
        let page = app
            .get(&format!("{path}&limit={limit}{next}"))
            .await
            .expect(200);
        let items = page["items"].as_array().cloned().unwrap_or_default();
        ids.extend(
            items
                .iter()
                .map(|item| item["id"].as_str().unwrap_or_default().to_owned()),
        );
        let this_total = page["total"].as_u64().expect("total");
        assert_eq!(*total.get_or_insert(this_total), this_total, "{path}");
        let token = page.get("next_page_token").and_then(Value::as_str);
        match token {
            None => {
                assert_eq!(
                    ids.len() as u64,
                    this_total,
                    "{path}: the last page ends the list"
                );
                return ids;
            }
            Some(token) => {
                assert_eq!(
                    items.len(),
                    limit as usize,
                    "{path}: only full pages continue"
                );
                next = if by_token {
                    format!("&page_token={token}")
                } else {
                    format!("&offset={}", page["next_offset"])
                };
            }
        }
        assert!(ids.len() <= 1000, "{path}: the walk ends");
    }
}

async fn tokens_walk_every_list_in_the_order_offsets_do(app: &TestApp) {
    let mut models = Vec::new();
    for i in 0..7 {
        let model = app
            .create_model(&format!("walk-{}", (b'g' - i) as char))
            .await;
        // Ties on the sort key: the id decides between them.
        app.patch(&format!("/models/{model}"), &json!({"model_size": i % 3, "labels": {"env": if i % 2 == 0 { "prod" } else { "dev" }}}))
            .await
            .expect(200);
        models.push(model);
    }
    for (i, name) in ["v-c", "v-a", "v-b", "v-a2", "v-e"].iter().enumerate() {
        let env = if i % 2 == 0 { "prod" } else { "dev" };
        app.create_version(models[0], name, json!({"labels": {"env": env}}))
            .await;
    }
    for name in ["w-1", "w-2"] {
        app.create_version(models[1], name, json!({})).await;
    }

    let mut lists = Vec::new();
    for sort in ["created_at", "updated_at", "name", "model_size"] {
        for order in ["asc", "desc"] {
            lists.push(format!("/models?sort_by={sort}&order={order}"));
        }
    }
    lists.push("/models?label=env:prod".to_owned());
    lists.push("/models?search=walk&state=LIVE".to_owned());
    for sort in ["created_at", "updated_at", "name"] {
        for order in ["asc", "desc"] {
            lists.push(format!("/model_versions?sort_by={sort}&order={order}"));
            lists.push(format!("/model_artifacts?sort_by={sort}&order={order}"));
            lists.push(format!(
                "/models/{}/versions?sort_by={sort}&order={order}",
                models[0]
            ));
        }
    }
    lists.push("/model_versions?label=env:prod".to_owned());
    lists.push(format!(
        "/model_artifacts?registered_model_id={}",
        models[1]
    ));

    for list in &lists {
        for limit in [1, 2, 3] {
            let by_offset = walk(app, list, limit, false).await;
            let by_token = walk(app, list, limit, true).await;
            assert_eq!(by_token, by_offset, "{list} limit {limit}");
            let distinct: HashSet<_> = by_token.iter().collect();
            assert_eq!(distinct.len(), by_token.len(), "{list}: no repeats");
        }
    }

    // The page size may change from one page to the next.
    let first = app.get("/models?limit=2").await.expect(200);
    let token = first["next_page_token"].as_str().expect("a token");
    let rest = app
        .get(&format!("/models?limit=5&page_token={token}"))
        .await
        .expect(200);
    assert_eq!(rest["items"].as_array().map(Vec::len), Some(5));
    assert_eq!(rest["total"], 7);
}

async fn a_token_belongs_to_its_list(app: &TestApp) {
    for i in 0..4 {
        let model = app.create_model(&format!("bound-{i}")).await;
        app.create_version(model, "v1", json!({})).await;
    }
    let page = app
        .get("/models?limit=2&label=a:b&label=c:d")
        .await
        .expect(200);
    assert!(
        page.get("next_page_token").is_none_or(Value::is_null),
        "{page}"
    );
    let page = app.get("/models?limit=2&state=LIVE").await.expect(200);
    let token = page["next_page_token"]
        .as_str()
        .expect("a token")
        .to_owned();
    // Its own list takes it.
    app.get(&format!("/models?limit=2&state=LIVE&page_token={token}"))
        .await
        .expect(200);

    let mut altered = token.clone().into_bytes();
    altered[10] = if altered[10] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(altered).expect("ascii");
    let refused = [
        format!("/models?limit=2&page_token={token}"),
        format!("/models?limit=2&state=ARCHIVED&page_token={token}"),
        format!("/models?limit=2&state=LIVE&sort_by=name&page_token={token}"),
        format!("/models?limit=2&state=LIVE&order=asc&page_token={token}"),
        format!("/models?limit=2&state=LIVE&label=a:b&page_token={token}"),
        format!("/models?limit=2&state=LIVE&offset=0&page_token={token}"),
        format!("/models?limit=2&state=LIVE&page_token={altered}"),
        format!(
            "/models?limit=2&state=LIVE&page_token={}",
            &token[..token.len() - 3]
        ),
        "/models?state=LIVE&page_token=".to_owned(),
        "/models?state=LIVE&page_token=bm90IGEgdG9rZW4".to_owned(),
        format!("/models?state=LIVE&page_token={}", "A".repeat(1025)),
        format!("/model_versions?state=LIVE&page_token={token}"),
        format!("/model_artifacts?state=LIVE&page_token={token}"),
    ];
    for path in &refused {
        let reply = app.get(path).await;
        assert_eq!(reply.status, 400, "{path}: {}", reply.text);
        assert_eq!(reply.body["code"], "invalid_argument", "{path}");
    }
    // Nor does another project's.
    let other = app
        .get_as(
            Uuid::new_v4(),
            &format!("/models?limit=2&state=LIVE&page_token={token}"),
        )
        .await;
    assert_eq!(other.status, 400, "{}", other.text);

    // The same filters in another order are the same list: its token holds.
    for i in 0..2 {
        let model = app.create_model(&format!("both-{i}")).await;
        app.patch(
            &format!("/models/{model}"),
            &json!({"labels": {"x": "1", "y": "2"}, "tags": {"frameworks": ["a"], "tasks": ["b"]}}),
        )
        .await
        .expect(200);
    }
    for (first, again) in [
        ("label=x:1&label=y:2", "label=y:2&label=x:1"),
        (
            "tag=frameworks:a&tag=tasks:b",
            "tag=tasks:b&tag=frameworks:a",
        ),
    ] {
        let page = app
            .get(&format!("/models?limit=1&{first}"))
            .await
            .expect(200);
        let token = page["next_page_token"].as_str().expect("a token");
        let next = app
            .get(&format!("/models?limit=1&{again}&page_token={token}"))
            .await
            .expect(200);
        assert_eq!(next["total"], 2, "{next}");
        assert_ne!(next["items"][0]["id"], page["items"][0]["id"]);
    }
}

async fn a_token_page_does_not_shift_when_items_are_added(app: &TestApp) {
    for i in 0..6 {
        app.create_model(&format!("steady-{i}")).await;
    }
    let all = walk(app, "/models?order=desc", 6, false).await;
    let first = app.get("/models?limit=3").await.expect(200);
    let token = first["next_page_token"]
        .as_str()
        .expect("a token")
        .to_owned();
    // Newer models come before the page; an offset would now repeat items,
    // the token does not.
    app.create_model("steady-new-1").await;
    app.create_model("steady-new-2").await;
    let second = app
        .get(&format!("/models?limit=3&page_token={token}"))
        .await
        .expect(200);
    let ids: Vec<&str> = second["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|m| m["id"].as_str())
        .collect();
    assert_eq!(ids, all[3..].iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(second["total"], 8);
    assert!(second.get("next_page_token").is_none_or(Value::is_null));
}

/// The ids of a page of `path` (which has its own query), and its total.
async fn page_of(app: &TestApp, path: &str) -> (Vec<String>, u64) {
    let page = app.get(path).await.expect(200);
    let ids = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|item| item["id"].as_str().map(str::to_owned))
        .collect();
    (ids, page["total"].as_u64().expect("total"))
}

/// The same page of the same list, asked again after versions are deleted,
/// created, renamed and updated in and around it, is the list's slice at
/// that moment, with its total.
async fn a_page_asked_again_follows_every_change(app: &TestApp) {
    let model = app.create_model("again").await;
    let other = app.create_model("again-other").await;
    let mut versions = Vec::new();
    for i in 0..6 {
        versions.push(
            app.create_version(model, &format!("m-{i}"), json!({}))
                .await,
        );
    }
    let lists = [
        "/model_versions?sort_by=created_at&order=desc",
        "/model_versions?sort_by=created_at&order=asc",
        "/model_versions?sort_by=updated_at&order=desc",
        "/model_versions?sort_by=name&order=asc",
        "/model_artifacts?sort_by=name&order=desc",
    ];
    let check = |step: &'static str| async move {
        for list in lists {
            let (all, total) = page_of(app, &format!("{list}&limit=100")).await;
            for (offset, limit) in [(0, 2), (1, 2), (2, 3), (0, 1)] {
                // Twice: the second answer may start from where the first
                // ended.
                for _ in 0..2 {
                    let path = format!("{list}&limit={limit}&offset={offset}");
                    let (ids, page_total) = page_of(app, &path).await;
                    let end = (offset + limit).min(all.len());
                    let expected = all.get(offset..end).unwrap_or_default();
                    assert_eq!(ids, expected, "{step}: {path}");
                    assert_eq!(page_total, total, "{step}: {path}");
                }
            }
        }
    };
    check("at first").await;

    for gone in [versions[4], versions[3], versions[1]] {
        app.delete(&format!("/model_versions/{gone}"))
            .await
            .expect(200);
    }
    check("after deletes").await;

    app.create_version(other, "a-first-by-name", json!({}))
        .await;
    app.create_version(model, "z-last-by-name", json!({})).await;
    check("after creates").await;

    app.patch(
        &format!("/model_versions/{}", versions[0]),
        &json!({"name": "n-renamed", "description": "moves up by updated_at"}),
    )
    .await
    .expect(200);
    check("after an update").await;

    for version in versions
        .iter()
        .copied()
        .filter(|v| ![versions[1], versions[3], versions[4]].contains(v))
    {
        app.delete(&format!("/model_versions/{version}"))
            .await
            .expect(200);
    }
    check("after all but two are gone").await;
}

/// A token's tag is a digest anyone can compute, so a caller can make one
/// up; its key must still be of the sort's kind and storable, or the list
/// answers 400 on both databases (never a 500, nor rows from a bad compare).
async fn a_made_up_token_is_refused_before_it_is_run(app: &TestApp) {
    for i in 0..3 {
        app.create_model(&format!("made-up-{i}")).await;
    }
    let list = |sort_by| {
        ModelQuery::new(ModelFilter::default(), Some(sort_by), Some(SortOrder::Asc))
            .list_scope(app.project)
    };
    let far_future = Utc.with_ymd_and_hms(9999, 12, 31, 0, 0, 0).single();
    let made_up = |sort_by, key| {
        let cursor = Cursor {
            key,
            id: Uuid::nil(),
        };
        list(sort_by).token_after(&cursor)
    };
    // The honest forms of each kind are taken.
    for (sort_by, name, key) in [
        (
            ModelSortBy::Name,
            "name",
            SortValue::Text("made-up-0".into()),
        ),
        (ModelSortBy::ModelSize, "model_size", SortValue::Number(0)),
        (
            ModelSortBy::CreatedAt,
            "created_at",
            SortValue::Time(far_future.expect("a time")),
        ),
    ] {
        let token = made_up(sort_by, key);
        let path = format!("/models?sort_by={name}&order=asc&page_token={token}");
        app.get(&path).await.expect(200);
    }
    let beyond_four_digits = Utc.with_ymd_and_hms(10_000, 1, 1, 0, 0, 0).single();
    for (sort_by, name, key) in [
        (ModelSortBy::Name, "name", SortValue::Number(1)),
        (ModelSortBy::Name, "name", SortValue::Text("a\0b".into())),
        (
            ModelSortBy::ModelSize,
            "model_size",
            SortValue::Text("1".into()),
        ),
        (
            ModelSortBy::CreatedAt,
            "created_at",
            SortValue::Text("x".into()),
        ),
        (ModelSortBy::UpdatedAt, "updated_at", SortValue::Number(1)),
        (
            ModelSortBy::CreatedAt,
            "created_at",
            SortValue::Time(beyond_four_digits.expect("a time")),
        ),
    ] {
        let token = made_up(sort_by, key);
        let path = format!("/models?sort_by={name}&order=asc&page_token={token}");
        let reply = app.get(&path).await;
        assert_eq!(reply.status, 400, "{path}: {}", reply.text);
        assert_eq!(reply.body["code"], "invalid_argument", "{path}");
    }
}

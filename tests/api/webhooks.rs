//! Webhooks against receivers on the loopback: registration and its
//! refusals, signed deliveries checked with an HMAC written here, retries,
//! the delivery log, ping and redelivery, disabling, and several service
//! processes sharing the deliveries.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use base64::{Engine, engine::general_purpose::STANDARD};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};
use uuid::Uuid;

use crate::{
    helpers::{Backend, TestApp},
    process::{Running, ScratchDatabase, run, start, temp_dir},
};

/// One request a receiver got.
#[derive(Debug, Clone)]
struct Received {
    path: String,
    headers: HashMap<String, String>,
    body: String,
    /// The status the receiver answered.
    answered: u16,
}

/// How a receiver answers its `n`th request (from 0).
type Answer = Arc<dyn Fn(usize, &Received) -> u16 + Send + Sync>;

/// An HTTP/1.1 receiver on 127.0.0.1 that records every request.
#[derive(Clone)]
struct Receiver {
    url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    async fn start(answer: impl Fn(usize, &Received) -> u16 + Send + Sync + 'static) -> Self {
        let received: Arc<Mutex<Vec<Received>>> = Arc::default();
        let answer: Answer = Arc::new(answer);
        let log = received.clone();
        let url = raw_receiver(move |stream| serve(stream, log.clone(), answer.clone())).await;
        Receiver { url, received }
    }

    fn got(&self) -> Vec<Received> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// Waits until `done` holds of what it got, up to `limit`.
    async fn until(&self, limit: Duration, done: impl Fn(&[Received]) -> bool) -> Vec<Received> {
        let deadline = Instant::now() + limit;
        loop {
            let got = self.got();
            if done(&got) || Instant::now() > deadline {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// The next request on the connection (`buffer` keeps what follows it);
/// `None` once the connection ends.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Received> {
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let mut chunk = [0u8; 8192];
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let path = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .unwrap_or_default()
        .to_owned();
    let headers: HashMap<String, String> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        let mut chunk = [0u8; 8192];
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
    let body = String::from_utf8_lossy(&buffer[head_end..head_end + length]).to_string();
    buffer.drain(..head_end + length);
    Some(Received {
        path,
        headers,
        body,
        answered: 0,
    })
}

async fn serve(mut stream: TcpStream, log: Arc<Mutex<Vec<Received>>>, answer: Answer) {
    let mut buffer = Vec::new();
    while let Some(mut request) = read_request(&mut stream, &mut buffer).await {
        let status = {
            let Ok(mut log) = log.lock() else { return };
            request.answered = answer(log.len(), &request);
            log.push(request.clone());
            request.answered
        };
        let extra = if (300..400).contains(&status) {
            "Location: /elsewhere\r\n"
        } else {
            ""
        };
        let reply = format!("HTTP/1.1 {status} X\r\n{extra}Content-Length: 2\r\n\r\nok");
        if stream.write_all(reply.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// HMAC-SHA256 as RFC 2104 defines it, written here apart from the
/// service's, over Standard Webhooks' `{id}.{timestamp}.{body}`.
fn expected_signature(secret: &str, id: &str, timestamp: &str, body: &str) -> String {
    let mut key = STANDARD
        .decode(secret.trim_start_matches("whsec_"))
        .expect("a base64 secret");
    if key.len() > 64 {
        key = Sha256::digest(&key).to_vec();
    }
    key.resize(64, 0);
    let pad = |byte: u8| key.iter().map(|k| k ^ byte).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(format!("{id}.{timestamp}.{body}"))
        .finalize();
    let outer = Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize();
    format!("v1,{}", STANDARD.encode(outer))
}

fn verifies(request: &Received, secret: &str) -> bool {
    let header = |name: &str| request.headers.get(name).cloned().unwrap_or_default();
    let expected = expected_signature(
        secret,
        &header("webhook-id"),
        &header("webhook-timestamp"),
        &request.body,
    );
    header("webhook-signature")
        .split(' ')
        .any(|given| given == expected)
}

/// The service, reaching loopback receivers, retrying fast.
async fn spawn(backend: Backend, max_attempts: u32) -> Option<TestApp> {
    TestApp::spawn_with(
        backend,
        |url| url.to_owned(),
        |config| {
            config.webhooks.allowed_networks = vec!["127.0.0.0/8".parse().expect("a block")];
            config.webhooks.retry_base_ms = 50;
            config.webhooks.timeout_ms = 2000;
            config.webhooks.max_attempts = max_attempts;
        },
    )
    .await
}

macro_rules! on_both_databases {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                use crate::helpers::Backend;

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    if let Some(app) = super::spawn(Backend::Sqlite, 3).await {
                        super::$name(&app).await;
                    }
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[cfg_attr(not(postgres_tests), ignore = "PostgreSQL: set TEST_DATABASE_URL")]
                async fn postgres() {
                    if let Some(app) = super::spawn(Backend::Postgres, 3).await {
                        super::$name(&app).await;
                    }
                }
            }
        )+
    };
}

on_both_databases!(
    a_webhook_is_registered_read_changed_and_deleted,
    bad_registrations_are_refused_naming_the_field,
    deliveries_are_signed_and_logged_and_can_be_sent_again,
    failures_are_retried_up_to_the_last_attempt,
    a_webhook_gets_only_the_types_it_asked_for,
    a_webhook_whose_deliveries_all_fail_is_disabled,
    silent_and_endless_receivers_are_cut_short,
);

/// A receiver on the loopback that runs `handle` on each connection.
async fn raw_receiver<F, Fut>(handle: F) -> String
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let url = format!("http://{}/hook", listener.local_addr().expect("an address"));
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(handle(stream));
        }
    });
    url
}

async fn silent_and_endless_receivers_are_cut_short(app: &TestApp) {
    // Accepts, reads, and never answers: each attempt ends at the time limit.
    let silent = raw_receiver(|mut stream| async move {
        read_request(&mut stream, &mut Vec::new()).await;
        tokio::time::sleep(Duration::from_secs(60)).await;
        drop(stream);
    })
    .await;
    // Answers 200 with a body that never ends: the service reads 64 KiB.
    let endless = raw_receiver(|mut stream| async move {
        read_request(&mut stream, &mut Vec::new()).await;
        let head =
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n";
        if stream.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let chunk = format!("{:x}\r\n{}\r\n", 4096, "x".repeat(4096));
        while stream.write_all(chunk.as_bytes()).await.is_ok() {}
    })
    .await;
    let silent_hook = register(
        app,
        json!({"url": silent, "event_types": ["model.created"]}),
    )
    .await;
    let endless_hook = register(
        app,
        json!({"url": endless, "event_types": ["model.created"]}),
    )
    .await;
    app.create_model("patient").await;

    let log = settled(app, endless_hook["id"].as_str().expect("an id")).await;
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0]["status"], "succeeded", "{log:?}");
    assert_eq!(log[0]["response_status"], 200);
    let took = log[0]["duration_ms"].as_i64().expect("a duration");
    assert!(took < 2000, "an endless answer held the attempt {took} ms");

    let log = settled(app, silent_hook["id"].as_str().expect("an id")).await;
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0]["status"], "failed", "{log:?}");
    assert_eq!(log[0]["attempts"], 3, "a timeout is retried");
    assert!(log[0]["response_status"].is_null());
    let error = log[0]["error"].as_str().expect("an error");
    assert!(error.contains("timed out"), "{error}");
    let took = log[0]["duration_ms"].as_i64().expect("a duration");
    assert!(
        (1900..5000).contains(&took),
        "WEBHOOK_TIMEOUT_MS is 2000: {took}"
    );
}

async fn register(app: &TestApp, body: Value) -> Value {
    app.post("/webhooks", &body).await.expect(201)
}

async fn deliveries(app: &TestApp, webhook: &str) -> Vec<Value> {
    let page = app
        .get(&format!("/webhooks/{webhook}/deliveries?limit=100"))
        .await
        .expect(200);
    page["deliveries"].as_array().cloned().unwrap_or_default()
}

/// Waits until the webhook has deliveries and none is pending.
async fn settled(app: &TestApp, webhook: &str) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let all = deliveries(app, webhook).await;
        let done = !all.is_empty() && all.iter().all(|d| d["status"] != "pending");
        if done || Instant::now() > deadline {
            return all;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn a_webhook_is_registered_read_changed_and_deleted(app: &TestApp) {
    let receiver = Receiver::start(|_, _| 200).await;
    let created = app
        .post(
            "/webhooks",
            &json!({"url": receiver.url, "description": "deploys"}),
        )
        .await;
    let created_tag = created.headers["etag"]
        .to_str()
        .expect("an ETag")
        .to_owned();
    let created = created.expect(201);
    let secret = created["secret"].as_str().expect("a secret");
    assert!(secret.starts_with("whsec_"), "{secret}");
    assert_eq!(STANDARD.decode(&secret[6..]).map(|k| k.len()), Ok(24));
    assert_eq!(created["enabled"], true);
    assert_eq!(created["event_types"].as_array().map(Vec::len), Some(8));
    let id = created["id"].as_str().expect("an id");

    let read = app.get(&format!("/webhooks/{id}")).await;
    let seen = read.headers["etag"].to_str().expect("an ETag").to_owned();
    assert_eq!(
        seen, created_tag,
        "the secret aside, the create's ETag is the GET's"
    );
    let got = read.expect(200);
    assert!(got.get("secret").is_none(), "{got}");
    assert!(!got.to_string().contains(secret));
    let listed = app.get("/webhooks").await.expect(200);
    assert_eq!(listed["webhooks"][0], got);
    assert!(!listed.to_string().contains(secret));

    let changed = app
        .patch(
            &format!("/webhooks/{id}"),
            &json!({"enabled": false, "event_types": ["alias.set"], "description": "x"}),
        )
        .await;
    let written = changed.headers["etag"]
        .to_str()
        .expect("an ETag")
        .to_owned();
    let changed = changed.expect(200);
    assert_eq!(changed["enabled"], false);
    assert_eq!(changed["event_types"], json!(["alias.set"]));
    assert_eq!(changed["description"], "x");
    assert_eq!(changed["url"], receiver.url);

    // The ETag read before the change: 200 to If-None-Match, 412 to
    // If-Match, and the webhook stays as it is.
    let path = format!("/webhooks/{id}");
    let conditional = |method: reqwest::Method, header: &'static str, tag: &str| {
        app.client
            .request(method, app.api(&path))
            .header("Project-ID", app.project.to_string())
            .header(header, tag.to_owned())
    };
    let fresh = app
        .send(conditional(reqwest::Method::GET, "If-None-Match", &seen))
        .await;
    assert_eq!(fresh.status, 200);
    let current = fresh.headers["etag"].to_str().expect("an ETag").to_owned();
    assert_eq!(current, written, "a PATCH answers the ETag a GET then does");
    let unchanged = app
        .send(conditional(reqwest::Method::GET, "If-None-Match", &current))
        .await;
    assert_eq!(unchanged.status, 304);
    let stale = app
        .send(
            conditional(reqwest::Method::PATCH, "If-Match", &seen)
                .json(&json!({"description": "y"})),
        )
        .await;
    assert_eq!(stale.status, 412, "{}", stale.text);
    let stale = app
        .send(conditional(reqwest::Method::DELETE, "If-Match", &seen))
        .await;
    assert_eq!(stale.status, 412, "{}", stale.text);
    assert_eq!(app.get(&path).await.expect(200), changed);
    let renamed = app
        .send(
            conditional(reqwest::Method::PATCH, "If-Match", &current)
                .json(&json!({"description": "y"})),
        )
        .await
        .expect(200);
    assert_eq!(renamed["description"], "y");

    // Another project sees none of it.
    let stranger = Uuid::new_v4();
    assert_eq!(
        app.get_as(stranger, &format!("/webhooks/{id}"))
            .await
            .status,
        404
    );
    assert_eq!(
        app.get_as(stranger, "/webhooks").await.expect(200),
        json!({"webhooks": []})
    );
    assert_eq!(
        app.delete_as(stranger, &format!("/webhooks/{id}"))
            .await
            .status,
        404
    );

    app.delete(&format!("/webhooks/{id}")).await.expect(200);
    let gone = app.get(&format!("/webhooks/{id}")).await;
    assert_eq!(gone.status, 404);
    assert_eq!(gone.error(), "webhook not found");
    assert_eq!(
        app.get("/webhooks").await.expect(200),
        json!({"webhooks": []})
    );
}

async fn bad_registrations_are_refused_naming_the_field(app: &TestApp) {
    for (body, field) in [
        (json!({"url": "ftp://127.0.0.1/x"}), "url"),
        (json!({"url": "http://user:pw@127.0.0.1/x"}), "url"),
        (json!({"url": "not a url"}), "url"),
        (
            json!({"url": format!("http://127.0.0.1/{}", "a".repeat(2100))}),
            "url",
        ),
        (json!({}), "url"),
        (
            json!({"url": "http://127.0.0.1/", "event_types": ["model.exploded"]}),
            "event_types",
        ),
        (
            json!({"url": "http://127.0.0.1/", "event_types": []}),
            "event_types",
        ),
        (
            json!({"url": "http://127.0.0.1/", "description": "d".repeat(501)}),
            "description",
        ),
    ] {
        let reply = app.post("/webhooks", &body).await;
        assert_eq!(reply.status, 400, "{body}: {}", reply.text);
        assert!(reply.error().starts_with(field), "{body}: {}", reply.text);
    }
    let unknown = app
        .post(
            "/webhooks",
            &json!({"url": "http://127.0.0.1/", "event_types": ["nope"]}),
        )
        .await;
    assert!(
        unknown.error().contains("model.created"),
        "{}",
        unknown.text
    );
    assert_eq!(
        app.get("/webhooks").await.expect(200),
        json!({"webhooks": []})
    );

    // Without WEBHOOK_ALLOWED_NETWORKS, no address that is not public.
    let Some(strict) = TestApp::spawn(app.backend).await else {
        return;
    };
    for url in [
        "http://127.0.0.1:9/",
        "http://localhost:9/",
        "http://10.0.0.1/",
        "http://192.168.1.10/",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
    ] {
        let reply = strict.post("/webhooks", &json!({"url": url})).await;
        assert_eq!(reply.status, 400, "{url}: {}", reply.text);
        assert!(reply.error().starts_with("url: "), "{url}: {}", reply.text);
    }
    let created = strict
        .post("/webhooks", &json!({"url": "https://93.184.216.34/hook"}))
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.id();
    let moved = strict
        .patch(
            &format!("/webhooks/{id}"),
            &json!({"url": "http://127.0.0.1:9/"}),
        )
        .await;
    assert_eq!(moved.status, 400, "{}", moved.text);
    assert!(moved.error().starts_with("url: "));
}

async fn deliveries_are_signed_and_logged_and_can_be_sent_again(app: &TestApp) {
    let receiver = Receiver::start(|_, _| 204).await;
    let created = register(app, json!({"url": receiver.url})).await;
    let (id, secret) = (
        created["id"].as_str().expect("an id").to_owned(),
        created["secret"].as_str().expect("a secret").to_owned(),
    );
    let model = app.create_model("hooked").await;
    let got = receiver
        .until(Duration::from_secs(10), |got| !got.is_empty())
        .await;
    assert_eq!(got.len(), 1, "{got:?}");
    let request = &got[0];
    assert_eq!(request.path, "/hook");
    assert!(verifies(request, &secret), "{request:?}");
    assert!(!verifies(request, "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    let timestamp: i64 = request.headers["webhook-timestamp"]
        .parse()
        .expect("seconds");
    assert!((chrono::Utc::now().timestamp() - timestamp).abs() < 30);
    assert_eq!(request.headers["content-type"], "application/json");
    let feed = app.get("/events").await.expect(200);
    let event = &feed["events"][0];
    let body: Value = serde_json::from_str(&request.body).expect("JSON");
    assert_eq!(&body, event, "the event as GET /events answers it");
    assert_eq!(
        request.headers["webhook-id"],
        event["id"].as_str().expect("an id")
    );
    assert_eq!(body["data"]["id"], json!(model));

    let log = settled(app, &id).await;
    assert_eq!(log.len(), 1);
    let delivery = &log[0];
    assert_eq!(delivery["status"], "succeeded");
    assert_eq!(delivery["attempts"], 1);
    assert_eq!(delivery["response_status"], 204);
    assert_eq!(delivery["event_id"], event["id"]);
    assert_eq!(delivery["event_type"], "model.created");
    assert!(delivery["next_attempt_at"].is_null());
    assert!(delivery["error"].is_null());

    // Sent again: the same event, the same webhook-id, a new delivery.
    let delivery_id = delivery["id"].as_str().expect("an id");
    let again = app
        .post(
            &format!("/webhooks/{id}/deliveries/{delivery_id}/redeliver"),
            &json!(null),
        )
        .await;
    assert_eq!(again.status, 202, "{}", again.text);
    assert_eq!(again.body["status"], "pending");
    let got = receiver
        .until(Duration::from_secs(10), |got| got.len() >= 2)
        .await;
    assert_eq!(got[1].headers["webhook-id"], got[0].headers["webhook-id"]);
    assert_eq!(got[1].body, got[0].body);
    assert!(verifies(&got[1], &secret));

    let ping = app
        .post(&format!("/webhooks/{id}/ping"), &json!(null))
        .await;
    assert_eq!(ping.status, 202, "{}", ping.text);
    let got = receiver
        .until(Duration::from_secs(10), |got| got.len() >= 3)
        .await;
    let pinged: Value = serde_json::from_str(&got[2].body).expect("JSON");
    assert_eq!(pinged["type"], "webhook.ping");
    assert_eq!(pinged["data"]["webhook_id"], json!(id));
    assert!(verifies(&got[2], &secret));

    // The log, newest first, a page at a time.
    let log = settled(app, &id).await;
    assert_eq!(log.len(), 3);
    assert_eq!(log[0]["event_type"], "webhook.ping");
    let first = app
        .get(&format!("/webhooks/{id}/deliveries?limit=2"))
        .await
        .expect(200);
    let token = first["next_page_token"].as_str().expect("a token");
    let rest = app
        .get(&format!(
            "/webhooks/{id}/deliveries?limit=2&page_token={token}"
        ))
        .await
        .expect(200);
    assert_eq!(rest["deliveries"].as_array().map(Vec::len), Some(1));
    assert!(rest["next_page_token"].is_null());
    assert_eq!(rest["deliveries"][0], log[2]);
    let foreign = app
        .get(&format!(
            "/webhooks/{}/deliveries?page_token={token}",
            Uuid::new_v4()
        ))
        .await;
    assert_eq!(foreign.status, 404);
    for bad in ["limit=0", "limit=101", "page_token=garbage"] {
        let reply = app.get(&format!("/webhooks/{id}/deliveries?{bad}")).await;
        assert_eq!(reply.status, 400, "{bad}: {}", reply.text);
    }
    let missing = app
        .post(
            &format!("/webhooks/{id}/deliveries/{}/redeliver", Uuid::new_v4()),
            &json!(null),
        )
        .await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.error(), "delivery not found");
}

async fn failures_are_retried_up_to_the_last_attempt(app: &TestApp) {
    // 503, then 429, then 200: three attempts, one delivery.
    let flaky = Receiver::start(|n, _| match n {
        0 => 503,
        1 => 429,
        _ => 200,
    })
    .await;
    let flaky_hook = register(app, json!({"url": flaky.url})).await;
    // A 404 and a redirect (not followed) are retried as any non-2xx is.
    let gone = Receiver::start(|_, _| 404).await;
    let gone_hook = register(app, json!({"url": gone.url})).await;
    let moved = Receiver::start(|_, _| 302).await;
    let moved_hook = register(app, json!({"url": moved.url})).await;
    // A receiver that is not there: connection refused, retried, failed.
    let closed = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let closed_url = format!("http://{}/hook", closed.local_addr().expect("address"));
    drop(closed);
    let closed_hook = register(app, json!({"url": closed_url})).await;

    app.create_model("retried").await;
    let id = |hook: &Value| hook["id"].as_str().expect("an id").to_owned();

    let log = settled(app, &id(&flaky_hook)).await;
    assert_eq!(log[0]["status"], "succeeded", "{log:?}");
    assert_eq!(log[0]["attempts"], 3);
    assert_eq!(flaky.got().len(), 3);

    let log = settled(app, &id(&gone_hook)).await;
    assert_eq!(log[0]["status"], "failed");
    assert_eq!(log[0]["attempts"], 3, "WEBHOOK_MAX_ATTEMPTS");
    assert_eq!(log[0]["response_status"], 404);
    assert!(log[0]["error"].as_str().is_some());
    assert_eq!(gone.got().len(), 3);

    let log = settled(app, &id(&moved_hook)).await;
    assert_eq!(log[0]["status"], "failed");
    assert_eq!(log[0]["attempts"], 3, "WEBHOOK_MAX_ATTEMPTS");
    assert_eq!(log[0]["response_status"], 302);
    let paths: Vec<String> = moved.got().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/hook"; 3], "the redirect is not followed");

    let log = settled(app, &id(&closed_hook)).await;
    assert_eq!(log[0]["status"], "failed");
    assert_eq!(log[0]["attempts"], 3, "WEBHOOK_MAX_ATTEMPTS");
    assert!(log[0]["response_status"].is_null());
}

async fn a_webhook_gets_only_the_types_it_asked_for(app: &TestApp) {
    let receiver = Receiver::start(|_, _| 200).await;
    let hook = register(
        app,
        json!({"url": receiver.url, "event_types": ["version.created", "alias.set"]}),
    )
    .await;
    let model = app.create_model("picky").await;
    let version = app.create_version(model, "v1", json!({})).await;
    app.patch(
        &format!("/model_versions/{version}"),
        &json!({"description": "x"}),
    )
    .await
    .expect(200);
    app.put(
        &format!("/models/{model}/aliases/champion"),
        &json!({"version_id": version}),
    )
    .await
    .expect(200);
    settled(app, hook["id"].as_str().expect("an id")).await;
    let got = receiver
        .until(Duration::from_secs(10), |got| got.len() >= 2)
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Deliveries run concurrently: the contract does not order them.
    let mut types: Vec<String> = receiver
        .got()
        .iter()
        .map(|r| serde_json::from_str::<Value>(&r.body).expect("JSON")["type"].to_string())
        .collect();
    types.sort();
    assert_eq!(types, ["\"alias.set\"", "\"version.created\""], "{got:?}");
}

async fn a_webhook_whose_deliveries_all_fail_is_disabled(app: &TestApp) {
    let refusing = Receiver::start(|_, _| 400).await;
    let hook = register(app, json!({"url": refusing.url})).await;
    let id = hook["id"].as_str().expect("an id").to_owned();
    let model = app.create_model("doomed").await;
    for i in 0..99 {
        app.patch(
            &format!("/models/{model}"),
            &json!({"description": format!("d{i}")}),
        )
        .await
        .expect(200);
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut webhook = app.get(&format!("/webhooks/{id}")).await.expect(200);
    while webhook["enabled"] == true && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
        webhook = app.get(&format!("/webhooks/{id}")).await.expect(200);
    }
    assert_eq!(webhook["enabled"], false, "after 100 failed deliveries");
    // Disabled, it gets nothing more; enabled again, it does.
    let before = refusing.got().len();
    app.patch(
        &format!("/models/{model}"),
        &json!({"description": "after"}),
    )
    .await
    .expect(200);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(refusing.got().len(), before);
    app.patch(&format!("/webhooks/{id}"), &json!({"enabled": true}))
        .await
        .expect(200);
    app.patch(
        &format!("/models/{model}"),
        &json!({"description": "again"}),
    )
    .await
    .expect(200);
    refusing
        .until(Duration::from_secs(10), |got| got.len() > before)
        .await;
    assert!(refusing.got().len() > before);
}

/// Deliveries the killed process may have made but not recorded, which
/// another then makes again: at most its attempts in flight.
const KILLED_IN_FLIGHT: usize = 64;

/// Three processes on one PostgreSQL, two receivers (one failing half its
/// requests), 2,000 writes: each receiver gets every event, none twice
/// but after a failure, every signature valid.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[cfg_attr(not(postgres_tests), ignore = "PostgreSQL: set TEST_DATABASE_URL")]
async fn three_processes_deliver_every_event_to_every_receiver() {
    let Some(scratch) = ScratchDatabase::create("webhooks").await else {
        return;
    };
    let env = [
        ("DATABASE_URL", scratch.url.as_str()),
        ("WEBHOOK_ALLOWED_NETWORKS", "127.0.0.0/8"),
        ("WEBHOOK_RETRY_BASE_MS", "20"),
        ("WEBHOOK_MAX_ATTEMPTS", "20"),
        ("WEBHOOK_TIMEOUT_MS", "2000"),
    ];
    assert!(run(&["migrate"], &env).status.success());
    let services: Vec<Running> = (0..3).map(|_| start(&temp_dir(), &env)).collect();
    let client = crate::helpers::http_client().build().expect("a client");
    let project = Uuid::new_v4();
    let api =
        |i: usize, path: &str| format!("{}/api/v1/model-registry{path}", services[i % 3].base);
    let honest = Receiver::start(|_, _| 200).await;
    let flaky = Receiver::start(|n, _| if n % 2 == 0 { 500 } else { 200 }).await;
    let mut secrets = Vec::new();
    for receiver in [&honest, &flaky] {
        let created: Value = client
            .post(api(0, "/webhooks"))
            .header("Project-ID", project.to_string())
            .json(&json!({"url": receiver.url}))
            .send()
            .await
            .expect("an answer")
            .json()
            .await
            .expect("JSON");
        secrets.push(created["secret"].as_str().expect("a secret").to_owned());
    }
    let model: Value = client
        .post(api(1, "/models"))
        .header("Project-ID", project.to_string())
        .json(&json!({"name": "busy", "region_id": project}))
        .send()
        .await
        .expect("an answer")
        .json()
        .await
        .expect("JSON");
    let model = model["id"].as_str().expect("an id").to_owned();
    let mut writes = Vec::new();
    for writer in 0..16 {
        let (client, model) = (client.clone(), model.clone());
        let url = api(writer, &format!("/models/{model}"));
        writes.push(tokio::spawn(async move {
            let mut acknowledged = 0;
            for n in 0..125 {
                let patched = client
                    .patch(&url)
                    .header("Project-ID", project.to_string())
                    .json(&json!({"description": format!("w{writer}-{n}")}))
                    .send()
                    .await;
                if patched.is_ok_and(|r| r.status().is_success()) {
                    acknowledged += 1;
                }
            }
            acknowledged
        }));
    }
    let mut acknowledged = 1; // the model's creation
    for write in writes {
        acknowledged += write.await.expect("a writer");
    }
    assert_eq!(acknowledged, 2001);
    // One process dies mid-delivery: what it had leased, another takes over.
    let mut services = services;
    let _ = services[0].child.kill();
    let _ = services[0].child.wait();
    let limit = Duration::from_secs(120);
    for (receiver, secret) in [(&honest, &secrets[0]), (&flaky, &secrets[1])] {
        let got = receiver
            .until(limit, |got| {
                let ok: std::collections::HashSet<&str> = got
                    .iter()
                    .map(|r| r.headers["webhook-id"].as_str())
                    .collect();
                ok.len() >= acknowledged
            })
            .await;
        let mut accepted: HashMap<String, usize> = HashMap::new();
        for request in &got {
            assert!(verifies(request, secret), "a bad signature");
            let id = request.headers["webhook-id"].clone();
            *accepted.entry(id).or_default() += usize::from(request.answered == 200);
        }
        assert_eq!(
            accepted.len(),
            acknowledged,
            "every event reached {}",
            receiver.url
        );
        // Sent again only after a failure (or a lease that ended with the
        // process killed): accepted once, but for the killed process's.
        let twice = accepted.values().filter(|n| **n > 1).count();
        assert!(twice <= KILLED_IN_FLIGHT, "{twice} accepted twice");
    }
    for mut service in services {
        let _ = service.child.kill();
        let _ = service.child.wait();
    }
    scratch.drop().await;
}

/// Finished deliveries are kept as long as events are; pending ones stay.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finished_deliveries_go_with_the_events_retention() {
    let Some(app) = TestApp::spawn_with(
        Backend::Sqlite,
        |url| url.to_owned(),
        |config| {
            config.webhooks.allowed_networks = vec!["127.0.0.0/8".parse().expect("a block")];
            config.events.retention_days = 2.0 / 86_400.0;
        },
    )
    .await
    else {
        return;
    };
    let receiver = Receiver::start(|_, _| 200).await;
    let hook = register(&app, json!({"url": receiver.url})).await;
    let id = hook["id"].as_str().expect("an id").to_owned();
    app.create_model("short-lived").await;
    assert_eq!(settled(&app, &id).await.len(), 1);
    let deadline = Instant::now() + Duration::from_secs(15);
    while !deliveries(&app, &id).await.is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(deliveries(&app, &id).await.is_empty(), "removed after 2 s");
}

//! The database going away under the service, through a TCP proxy the test
//! controls: every request answers fast with a 503, and the service
//! recovers by itself when the database returns. A database that answers
//! but keeps every pooled connection busy is not an outage: requests wait.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use serde_json::json;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{
        TcpListener, TcpStream,
        tcp::{OwnedReadHalf, OwnedWriteHalf},
    },
    sync::watch,
};
use uuid::Uuid;

use crate::helpers::{Backend, Reply, TestApp};

/// Forwards TCP connections to PostgreSQL until told otherwise.
pub(crate) struct Proxy {
    pub(crate) port: u16,
    mode: watch::Sender<Mode>,
    /// How long each answer from PostgreSQL is held back, in milliseconds.
    delay_ms: Arc<AtomicU64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Bytes flow.
    Up,
    /// Every connection is closed, and new ones are closed at once.
    Cut,
    /// Connections stay open but nothing flows: a network partition.
    Stall,
}

impl Proxy {
    pub(crate) async fn start(target: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("address").port();
        let (mode, watcher) = watch::channel(Mode::Up);
        let target = Arc::new(target);
        let delay_ms = Arc::new(AtomicU64::new(0));
        let delay = delay_ms.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let mut watcher = watcher.clone();
                let target = target.clone();
                let delay = delay.clone();
                tokio::spawn(async move {
                    let mode = *watcher.borrow();
                    match mode {
                        Mode::Cut => return,
                        // Hold the connection open, silently, until the mode changes.
                        Mode::Stall => {
                            let _ = watcher.changed().await;
                            return;
                        }
                        Mode::Up => {}
                    }
                    let Ok(server) = TcpStream::connect(target.as_str()).await else {
                        return;
                    };
                    // Held here, so that a stall keeps the connection open.
                    let (mut from_client, mut to_client) = client.into_split();
                    let (mut from_server, mut to_server) = server.into_split();
                    let stopped = tokio::select! {
                        () = forward(&mut from_client, &mut to_server, None) => None,
                        () = forward(&mut from_server, &mut to_client, Some(delay)) => None,
                        changed = watcher.wait_for(|m| *m != Mode::Up) => changed.ok().map(|m| *m),
                    };
                    if stopped == Some(Mode::Stall) {
                        let _ = watcher.wait_for(|m| *m != Mode::Stall).await;
                    }
                });
            }
        });
        Proxy {
            port,
            mode,
            delay_ms,
        }
    }

    pub(crate) fn set(&self, mode: Mode) {
        let _ = self.mode.send(mode);
    }

    /// Holds back every answer from PostgreSQL this long from now on.
    fn delay(&self, delay: Duration) {
        self.delay_ms
            .store(delay.as_millis() as u64, Ordering::Relaxed);
    }
}

/// Copies bytes one way until either side closes, each read held back by
/// `delay` milliseconds when given.
async fn forward(from: &mut OwnedReadHalf, to: &mut OwnedWriteHalf, delay: Option<Arc<AtomicU64>>) {
    let mut buffer = vec![0; 64 * 1024];
    loop {
        let read = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(read) => read,
        };
        let held = delay
            .as_ref()
            .map_or(0, |delay| delay.load(Ordering::Relaxed));
        if held > 0 {
            tokio::time::sleep(Duration::from_millis(held)).await;
        }
        if to.write_all(&buffer[..read]).await.is_err() {
            return;
        }
    }
}

/// Points a PostgreSQL URL at the proxy instead of the server.
fn through_proxy(url: &str, port: u16) -> (String, String) {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let (credentials, rest) = match rest.rsplit_once('@') {
        Some((credentials, rest)) => (format!("{credentials}@"), rest),
        None => (String::new(), rest),
    };
    let (host, path) = rest.split_once('/').expect("a database name");
    (
        host.to_owned(),
        format!("{scheme}://{credentials}127.0.0.1:{port}/{path}"),
    )
}

/// Starts the service against PostgreSQL through a fresh proxy; `None`
/// when PostgreSQL is not configured (see `helpers`).
async fn app_behind_proxy() -> Option<(TestApp, Proxy)> {
    let server = std::env::var("TEST_DATABASE_URL").ok()?;
    let (host, _) = through_proxy(&server, 0);
    let proxy = Proxy::start(host).await;
    let port = proxy.port;
    let app =
        TestApp::spawn_with(Backend::Postgres, |url| through_proxy(url, port).1, |_| {}).await?;
    Some((app, proxy))
}

async fn timed(request: impl std::future::Future<Output = Reply>) -> (Reply, Duration) {
    let started = Instant::now();
    let reply = request.await;
    (reply, started.elapsed())
}

async fn outage(mode: Mode) {
    let Some((app, proxy)) = app_behind_proxy().await else {
        return;
    };
    let model = app.create_model("survivor").await;

    proxy.set(mode);
    let health_url = format!("{}/healthz", app.address);
    for _ in 0..2 {
        let replies = vec![
            timed(app.get("/models")).await,
            timed(app.get(&format!("/models/{model}"))).await,
            timed(app.post(
                "/models",
                &json!({"name": "during", "region_id": Uuid::new_v4()}),
            ))
            .await,
            timed(app.patch(&format!("/models/{model}"), &json!({"description": "x"}))).await,
            timed(app.send(app.client.get(&health_url))).await,
        ];
        for (reply, elapsed) in replies {
            assert_eq!(reply.status, 503, "{mode:?}: {}", reply.text);
            assert!(
                elapsed < Duration::from_secs(2),
                "{mode:?}: answered in {elapsed:?}"
            );
            assert!(reply.body["error"].is_string(), "{}", reply.text);
            assert!(
                !reply.text.contains("127.0.0.1") && !reply.text.contains("sqlx"),
                "{}",
                reply.text
            );
        }
    }

    proxy.set(Mode::Up);
    let back = Instant::now();
    loop {
        let reply = app.get(&format!("/models/{model}")).await;
        if reply.status == 200 {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(5),
            "not recovered after {:?}: {}",
            back.elapsed(),
            reply.text
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let health = app.send(app.client.get(&health_url)).await;
    assert_eq!(health.status, 200);
    let listed = app.get("/models").await.expect(200);
    assert_eq!(
        listed["total"], 1,
        "nothing written during the outage, nothing lost"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(postgres_tests), ignore = "PostgreSQL: set TEST_DATABASE_URL")]
async fn a_cut_database_means_fast_503s_and_recovery() {
    outage(Mode::Cut).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(postgres_tests), ignore = "PostgreSQL: set TEST_DATABASE_URL")]
async fn a_stalled_database_means_fast_503s_and_recovery() {
    outage(Mode::Stall).await;
}

/// A caller that gives up while its write waits on PostgreSQL: the write
/// still completes, whole, and the connection it ran on is clean for the
/// next request (whose model, answered 201, is there for everyone).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(postgres_tests), ignore = "PostgreSQL: set TEST_DATABASE_URL")]
async fn a_write_its_caller_gave_up_on_completes_and_leaves_the_connection_clean() {
    let Some(server) = std::env::var("TEST_DATABASE_URL").ok() else {
        return;
    };
    let (host, _) = through_proxy(&server, 0);
    let proxy = Proxy::start(host).await;
    let port = proxy.port;
    let app = TestApp::spawn_with(
        Backend::Postgres,
        |url| through_proxy(url, port).1,
        |config| config.database.max_connections = Some(1),
    )
    .await
    .expect("PostgreSQL is configured");
    let model = app.create_model("abandoned").await;

    // Every answer from PostgreSQL now comes 400 ms late (the watchdog
    // waits up to 1 s): the PATCH's first round trip, its BEGIN, is still
    // on its way when the caller gives up.
    proxy.delay(Duration::from_millis(400));
    let impatient = crate::helpers::http_client()
        .timeout(Duration::from_millis(150))
        .build()
        .expect("a client");
    let gave_up = impatient
        .patch(app.api(&format!("/models/{model}")))
        .header("Project-ID", app.project.to_string())
        .json(&json!({"description": "written anyway"}))
        .send()
        .await;
    assert!(gave_up.is_err(), "the caller gave up: {gave_up:?}");
    proxy.delay(Duration::ZERO);

    // The next request gets the pool's only connection once the PATCH is
    // done with it.
    let after = app.create_model("after").await;
    let db = app.database().await;
    let visible =
        |name: &'static str| {
            let db = db.clone();
            async move {
                use sea_orm::ConnectionTrait;
                db.query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Postgres,
                format!(
                    "SELECT description FROM model_registry_registered_model WHERE name = '{name}'"
                ),
            ))
            .await
            .expect("query")
            .map(|row| row.try_get::<String>("", "description").expect("description"))
            }
        };
    assert_eq!(
        visible("after").await,
        Some(String::new()),
        "model {after}, answered 201, is committed"
    );
    assert_eq!(
        visible("abandoned").await.as_deref(),
        Some("written anyway"),
        "the abandoned PATCH completed"
    );
}

/// Every pooled connection busy for longer than an outage takes to be
/// noticed: the next request queues for a connection and is answered,
/// rather than turned away with a 503.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(postgres_tests), ignore = "PostgreSQL: set TEST_DATABASE_URL")]
async fn a_busy_pool_queues_requests_rather_than_turning_them_away() {
    use sea_orm::{ConnectionTrait, TransactionTrait};

    let Some(app) = TestApp::spawn_with(
        Backend::Postgres,
        |url| url.to_owned(),
        |config| config.database.max_connections = Some(1),
    )
    .await
    else {
        return;
    };
    let model = app.create_model("contended").await;
    // Another client holds the model's row: the service's PATCH waits for it
    // on the pool's only connection, past the ping timeout (1 s).
    let holder = app.database().await;
    let lock = holder.begin().await.expect("begin");
    lock.execute_unprepared(&format!(
        "SELECT 1 FROM model_registry_registered_model WHERE id = '{model}' FOR UPDATE"
    ))
    .await
    .expect("lock the row");
    let held = Duration::from_secs(2);
    let release = async {
        tokio::time::sleep(held).await;
        lock.commit().await.expect("commit");
    };
    let (path, change) = (
        format!("/models/{model}"),
        json!({"description": "after the lock"}),
    );
    let patch = app.patch(&path, &change);
    let get = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        timed(app.get(&path)).await
    };
    let ((), patched, (got, waited)) = tokio::join!(release, patch, get);
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_eq!(got.status, 200, "{}", got.text);
    assert_eq!(got.body["description"], "after the lock", "{}", got.text);
    assert!(
        waited >= held - Duration::from_millis(500),
        "the GET waited for the pool's connection: {waited:?}"
    );
}

/// A client that sends its headers and then stalls mid-body gets a 503
/// once the request time limit passes, and does not hold the service.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_upload_is_cut_off_at_the_request_time_limit() {
    let limit = Duration::from_millis(600);
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        |url| url.to_owned(),
        |config| config.server.request_timeout_ms = limit.as_millis() as u64,
    )
    .await
    .expect("the embedded database is always there");
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut stalled = TcpStream::connect(&address).await.expect("connect");
    let head = format!(
        "POST /api/v1/model-registry/models HTTP/1.1\r\nHost: {address}\r\nProject-ID: {}\r\n\
         Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"name\": \"slo",
        app.project
    );
    stalled.write_all(head.as_bytes()).await.expect("write");
    let started = Instant::now();

    // Meanwhile the service answers others.
    app.get("/models").await.expect(200);

    let mut answer = vec![0; 4096];
    let read = tokio::time::timeout(Duration::from_secs(5), stalled.read(&mut answer))
        .await
        .expect("an answer before the client gives up")
        .expect("read");
    let elapsed = started.elapsed();
    let answer = String::from_utf8_lossy(&answer[..read]);
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("\"code\":\"unavailable\""), "{answer}");
    assert!(elapsed >= limit && elapsed < limit * 4, "{elapsed:?}");
    assert_eq!(app.get("/models").await.expect(200)["total"], 0);
}

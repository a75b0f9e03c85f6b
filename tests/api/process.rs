//! The binary as an operator runs it: start-up errors, and a clean exit on
//! SIGTERM after finishing what is in flight.

use std::{
    io::{BufRead, BufReader, Read},
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex, mpsc},
    time::{Duration, Instant},
};

use sea_orm::{ConnectionTrait, Database};
use serde_json::json;
use uuid::Uuid;

const BINARY: &str = env!("CARGO_BIN_EXE_model-registry");

/// A running binary, its base URL and every line it has written.
pub(crate) struct Running {
    pub(crate) child: Child,
    pub(crate) base: String,
    logs: Arc<Mutex<Vec<String>>>,
}

/// Starts the binary on a free port with an embedded database in `dir`;
/// returns once it listens.
pub(crate) fn start(dir: &std::path::Path, extra_env: &[(&str, &str)]) -> Running {
    start_with(dir, &[], extra_env)
}

/// As [`start`], with command-line arguments.
fn start_with(dir: &std::path::Path, args: &[&str], extra_env: &[(&str, &str)]) -> Running {
    let mut command = Command::new(BINARY);
    command
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("SERVER_HOST", "127.0.0.1")
        .env("SERVER_PORT", "0")
        .env("LOG_LEVEL", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in extra_env {
        command.env(k, v);
    }
    let mut child = command.spawn().expect("the binary starts");
    let logs = Arc::new(Mutex::new(Vec::new()));
    let stdout = child
        .stdout
        .take()
        .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>);
    let stderr = child
        .stderr
        .take()
        .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>);
    for stream in [stdout, stderr].into_iter().flatten() {
        let logs = logs.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if let Ok(mut logs) = logs.lock() {
                    logs.push(line);
                }
            }
        });
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        let address = logs.lock().ok().and_then(|logs| {
            logs.iter()
                .find_map(|line| line.split("address=").nth(1).map(str::to_owned))
        });
        if let Some(address) = address {
            let address = address
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
            return Running {
                child,
                base: format!("http://{address}"),
                logs,
            };
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the service did not report its address in time");
}

pub(crate) fn temp_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("model-registry-process-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
}

fn wait_with_timeout(child: &mut Child, timeout: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the service did not exit within {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test]
async fn sigterm_finishes_and_exits_cleanly_with_the_data_kept() {
    let dir = temp_dir();
    let Running {
        mut child, base, ..
    } = start(&dir, &[]);
    let client = crate::helpers::http_client().build().expect("a client");
    let project = Uuid::new_v4();
    let created = client
        .post(format!("{base}/api/v1/model-registry/models"))
        .header("Project-ID", project.to_string())
        .json(&json!({"name": "kept", "region_id": Uuid::new_v4()}))
        .send()
        .await
        .expect("the service answers");
    assert_eq!(created.status(), 201);

    signal(&child, "TERM");
    let status = wait_with_timeout(&mut child, Duration::from_secs(10));
    assert!(status.success(), "exit status {status:?}");

    // The default embedded database is a file in the working directory:
    // a restart sees what was written.
    let Running {
        mut child, base, ..
    } = start(&dir, &[]);
    let found = client
        .get(format!("{base}/api/v1/model-registry/model?name=kept"))
        .header("Project-ID", project.to_string())
        .send()
        .await
        .expect("the service answers");
    assert_eq!(found.status(), 200);
    assert!(dir.join("model-registry.db").is_file());
    signal(&child, "INT");
    assert!(wait_with_timeout(&mut child, Duration::from_secs(10)).success());
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_answers_held_feed_reads_at_once() {
    let dir = temp_dir();
    let Running {
        mut child, base, ..
    } = start(&dir, &[]);
    let client = crate::helpers::http_client().build().expect("a client");
    let held = client
        .get(format!("{base}/api/v1/model-registry/events?wait=30"))
        .header("Project-ID", Uuid::new_v4().to_string())
        .send();
    let held = tokio::spawn(held);
    tokio::time::sleep(Duration::from_millis(500)).await;

    let signalled = Instant::now();
    signal(&child, "TERM");
    let answer = held
        .await
        .expect("joined")
        .expect("an answer, not a cut connection");
    assert_eq!(answer.status(), 200);
    let page: serde_json::Value = answer.json().await.expect("json");
    assert_eq!(page["events"], json!([]));
    assert!(page["next_cursor"].is_string(), "{page}");
    // Not held until the grace period (SERVER_SHUTDOWN_TIMEOUT_SECS, 10 s).
    assert!(wait_with_timeout(&mut child, Duration::from_secs(5)).success());
    assert!(signalled.elapsed() < Duration::from_secs(5));
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_read_wakes_for_another_process_on_the_same_file() {
    let dir = temp_dir();
    let reader = start(&dir, &[]);
    let writer = start(&dir, &[]);
    let client = crate::helpers::http_client().build().expect("a client");
    let project = Uuid::new_v4().to_string();
    let held = client
        .get(format!(
            "{}/api/v1/model-registry/events?wait=20",
            reader.base
        ))
        .header("Project-ID", &project)
        .send();
    let held = tokio::spawn(held);
    tokio::time::sleep(Duration::from_millis(300)).await;

    let written = Instant::now();
    let created = client
        .post(format!("{}/api/v1/model-registry/models", writer.base))
        .header("Project-ID", &project)
        .json(&json!({"name": "elsewhere", "region_id": Uuid::new_v4()}))
        .send()
        .await
        .expect("the writer answers");
    assert_eq!(created.status(), 201);
    let answer = held.await.expect("joined").expect("the reader answers");
    let page: serde_json::Value = answer.json().await.expect("json");
    assert_eq!(page["events"][0]["type"], "model.created", "{page}");
    // Within the check's second or so, not at the wait's end (20 s).
    assert!(written.elapsed() < Duration::from_secs(5));
    for Running { mut child, .. } in [reader, writer] {
        signal(&child, "TERM");
        assert!(wait_with_timeout(&mut child, Duration::from_secs(10)).success());
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_start_up_log_says_where_the_docs_are_and_what_it_serves_from() {
    let dir = temp_dir();
    let mut running = start(&dir, &[("API_TOKEN", "s3cret-token")]);
    let line = running
        .logs
        .lock()
        .ok()
        .and_then(|logs| logs.iter().find(|l| l.contains("listening")).cloned())
        .unwrap_or_default();
    assert!(
        line.contains(&format!("docs={}/docs", running.base)),
        "{line}"
    );
    assert!(line.contains("database=embedded sqlite"), "{line}");
    assert!(line.contains("token=\"required"), "{line}");
    assert!(!line.contains("s3cret-token"), "{line}");
    signal(&running.child, "TERM");
    assert!(wait_with_timeout(&mut running.child, Duration::from_secs(10)).success());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn flags_override_their_variables_and_help_shows_both_with_defaults() {
    let dir = temp_dir();
    // The environment's bad port is never read: the flag replaces it.
    let mut running = start_with(
        &dir,
        &["serve", "--bind", "127.0.0.1", "--port", "0"],
        &[("SERVER_PORT", "abc"), ("SERVER_HOST", "0.0.0.0")],
    );
    assert!(
        running.base.starts_with("http://127.0.0.1:"),
        "{}",
        running.base
    );
    signal(&running.child, "TERM");
    assert!(wait_with_timeout(&mut running.child, Duration::from_secs(10)).success());
    let _ = std::fs::remove_dir_all(dir);

    let defaults = model_registry::config::Config::default();
    let help = run(&["serve", "--help"], &[]);
    let help = String::from_utf8_lossy(&help.stdout);
    for (flag, variable, default) in [
        ("--bind", "SERVER_HOST", defaults.server.host.clone()),
        ("--port", "SERVER_PORT", defaults.server.port.to_string()),
        ("--log-level", "LOG_LEVEL", defaults.log.level.clone()),
        ("--log-format", "LOG_FORMAT", "text".to_string()),
    ] {
        let line = help.lines().find(|l| l.contains(flag)).unwrap_or_default();
        assert!(line.contains(&format!("[env: {variable}=")), "{line}");
        assert!(line.contains(&format!("[default: {default}]")), "{line}");
    }
    for command in ["serve", "migrate", "check", "config"] {
        let help = run(&[command, "--help"], &[]);
        let help = String::from_utf8_lossy(&help.stdout);
        for flag in ["--database-url", "--config"] {
            assert!(help.contains(flag), "{command}: {help}");
        }
    }

    let bad = run(&["serve", "--port", "abc"], &[]);
    assert_eq!(bad.status.code(), Some(2));
    let told = String::from_utf8_lossy(&bad.stderr);
    assert!(
        told.contains("--port: expected a port number (0 to 65535), got \"abc\""),
        "{told}"
    );
    let bad = run(&["serve"], &[("SERVER_PORT", "abc")]);
    let told = String::from_utf8_lossy(&bad.stderr);
    assert!(
        told.contains("SERVER_PORT: expected a port number (0 to 65535), got \"abc\""),
        "{told}"
    );
    let config = run(&["config", "--port", "9300"], &[("SERVER_PORT", "9100")]);
    assert!(String::from_utf8_lossy(&config.stdout).contains("port = 9300"));
}

#[test]
fn a_bad_setting_stops_start_up_with_one_line_naming_it() {
    for (variable, value) in [
        ("SERVER_PORT", "eighty"),
        ("DATABASE_SSLMODE", "sometimes"),
        ("DATABASE_URL", "mysql://localhost/db"),
        ("DATABASE_PORT", "-1"),
    ] {
        let output = Command::new(BINARY)
            .current_dir(std::env::temp_dir())
            .env_clear()
            .env(variable, value)
            .output()
            .expect("the binary runs");
        assert_eq!(output.status.code(), Some(2), "{variable}={value}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
        assert!(stderr.contains(variable), "{variable}: {stderr}");
    }
}

#[test]
fn an_embedded_database_that_cannot_be_opened_stops_start_up_with_code_2() {
    let missing = std::env::temp_dir()
        .join(format!("no-such-folder-{}", Uuid::new_v4()))
        .join("registry.db");
    let mut child = Command::new(BINARY)
        .current_dir(std::env::temp_dir())
        .env_clear()
        .env("DATABASE_SQLITE_PATH", &missing)
        .env("SERVER_PORT", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let status = wait_with_timeout(&mut child, Duration::from_secs(10));
    assert_eq!(status.code(), Some(2));
    let mut output = String::new();
    for stream in [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read>),
    ]
    .into_iter()
    .flatten()
    {
        let mut stream = stream;
        stream.read_to_string(&mut output).expect("output");
    }
    let errors: Vec<&str> = output.lines().filter(|l| l.contains("ERROR")).collect();
    assert_eq!(errors.len(), 1, "{output}");
    assert!(errors[0].contains("DATABASE_SQLITE_PATH"), "{output}");
    assert!(!output.contains("retrying"), "{output}");
}

#[test]
fn an_unreachable_database_at_start_up_is_retried_with_a_log_line_until_stopped() {
    let mut child = Command::new(BINARY)
        .current_dir(std::env::temp_dir())
        .env_clear()
        .env("DATABASE_URL", "postgres://postgres@127.0.0.1:1/none")
        .env("DATABASE_PING_TIMEOUT_MS", "200")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let mut retries = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while retries.len() < 2 && Instant::now() < deadline {
        if let Ok(line) = received.recv_timeout(Duration::from_millis(200))
            && line.contains("database unreachable at start-up; retrying")
        {
            retries.push(line);
        }
    }
    assert_eq!(retries.len(), 2, "two retry lines within 20 s");
    assert!(
        retries[0].contains("retry_in_ms=500") && retries[1].contains("retry_in_ms=1000"),
        "{retries:?}"
    );
    // The cause, from the first attempt on, not the pool's timeout.
    assert!(
        retries[0].contains("connection refused at 127.0.0.1:1"),
        "{retries:?}"
    );
    assert!(
        child.try_wait().expect("wait").is_none(),
        "still running, still trying"
    );
    signal(&child, "TERM");
    assert!(wait_with_timeout(&mut child, Duration::from_secs(5)).success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_reach_no_response_and_no_log_line_even_at_trace() {
    let access = "AKIA-PROCESS-5e1d";
    let secret = "secret-PROCESS-77aa";
    let dir = temp_dir();
    let mut running = start(&dir, &[("LOG_LEVEL", "trace")]);
    let client = crate::helpers::http_client().build().expect("a client");
    let api = format!("{}/api/v1/model-registry", running.base);
    let project = Uuid::new_v4().to_string();
    let mut bodies = Vec::new();
    let mut send = async |request: reqwest::RequestBuilder| {
        let response = request
            .header("Project-ID", &project)
            .send()
            .await
            .expect("answer");
        bodies.push(response.text().await.expect("body"));
    };
    let created = client
        .post(format!("{api}/models"))
        .header("Project-ID", &project)
        .json(&json!({"name": "m", "region_id": Uuid::new_v4()}))
        .send()
        .await
        .expect("answer");
    let model: serde_json::Value = created.json().await.expect("json");
    let model = model["id"].as_str().expect("id").to_owned();
    let version = json!({"name": "v1", "model_framework": "p", "model_framework_version": "1",
                         "uri": "s3://x", "access_key": access, "secret_key": secret});
    send(
        client
            .post(format!("{api}/models/{model}/versions"))
            .json(&version),
    )
    .await;
    send(
        client
            .post(format!("{api}/models/{model}/versions"))
            .json(&version),
    )
    .await; // 409
    let artifact = json!({"registered_model_id": model, "name": "a1", "model_framework": "p",
                          "model_framework_version": "1", "uri": "s3://y", "access_key": access,
                          "secret_key": secret});
    send(
        client
            .post(format!("{api}/model_artifacts"))
            .json(&artifact),
    )
    .await;
    // Secrets in the wrong shape, or too long: refused without being echoed.
    let wrong = json!({"name": "v2", "model_framework": "p", "model_framework_version": "1",
                       "uri": "s3://x", "access_key": [access], "secret_key": {"k": secret}});
    send(
        client
            .post(format!("{api}/models/{model}/versions"))
            .json(&wrong),
    )
    .await;
    let long = json!({"name": "v3", "model_framework": "p", "model_framework_version": "1",
                      "uri": "s3://x", "secret_key": secret.repeat(40)});
    send(
        client
            .post(format!("{api}/models/{model}/versions"))
            .json(&long),
    )
    .await;
    for path in [
        "/models",
        "/model_versions",
        "/model_artifacts",
        "/model_version?name=v1",
    ] {
        send(client.get(format!("{api}{path}"))).await;
    }
    send(client.get(format!("{api}/models/{model}"))).await;

    signal(&running.child, "TERM");
    assert!(wait_with_timeout(&mut running.child, Duration::from_secs(10)).success());
    std::thread::sleep(Duration::from_millis(200));
    let logs = running
        .logs
        .lock()
        .map(|l| l.join("\n"))
        .unwrap_or_default();
    assert!(logs.contains("request"), "the logs were captured");
    assert!(logs.lines().count() > 10, "trace logging is on");
    for text in bodies.iter().chain([&logs]) {
        assert!(
            !text.contains(access) && !text.contains(secret),
            "a secret leaked: {text}"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_under_load_fails_no_accepted_request_and_loses_nothing() {
    let dir = temp_dir();
    let mut running = start(&dir, &[]);
    let client = crate::helpers::http_client().build().expect("a client");
    let api = format!("{}/api/v1/model-registry", running.base);
    let project = Uuid::new_v4().to_string();
    let stop_at = Instant::now() + Duration::from_secs(3);

    let workers = (0..16).map(|worker| {
        let (client, api, project) = (client.clone(), api.clone(), project.clone());
        tokio::spawn(async move {
            let mut created = Vec::new();
            let mut server_errors = Vec::new();
            let mut refused = 0;
            let mut i = 0;
            while Instant::now() < stop_at {
                i += 1;
                let name = format!("w{worker}-{i}");
                let sent = client
                    .post(format!("{api}/models"))
                    .header("Project-ID", &project)
                    .json(&json!({"name": name, "region_id": Uuid::new_v4()}))
                    .send()
                    .await;
                match sent {
                    Ok(response) if response.status() == 201 => created.push(name),
                    Ok(response) => server_errors.push(response.status().as_u16()),
                    // The listener is closed: the request was never accepted.
                    Err(_) => refused += 1,
                }
            }
            (created, server_errors, refused)
        })
    });
    let workers: Vec<_> = workers.collect();
    tokio::time::sleep(Duration::from_millis(700)).await;
    signal(&running.child, "TERM");
    let signalled = Instant::now();
    let status = tokio::task::spawn_blocking(move || {
        let status = wait_with_timeout(&mut running.child, Duration::from_secs(10));
        (status, running)
    });
    let mut created = Vec::new();
    for worker in workers {
        let (names, errors, _refused) = worker.await.expect("worker");
        assert!(errors.is_empty(), "accepted requests failed: {errors:?}");
        created.extend(names);
    }
    let (status, _running) = status.await.expect("waited");
    assert!(status.success(), "{status:?}");
    assert!(signalled.elapsed() < Duration::from_secs(10));
    assert!(!created.is_empty(), "the load ran");

    // Every model that was answered 201 is there after a restart.
    let mut running = start(&dir, &[]);
    let api = format!("{}/api/v1/model-registry", running.base);
    let listed: serde_json::Value = client
        .get(format!("{api}/models?limit=1"))
        .header("Project-ID", &project)
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    let total = listed["total"].as_u64().unwrap_or_default() as usize;
    assert!(
        total >= created.len(),
        "{total} models for {} created",
        created.len()
    );
    for name in created.iter().step_by(7) {
        let found = client
            .get(format!("{api}/model?name={name}"))
            .header("Project-ID", &project)
            .send()
            .await
            .expect("answer");
        assert_eq!(found.status(), 200, "{name} was created and must be kept");
    }
    signal(&running.child, "TERM");
    assert!(wait_with_timeout(&mut running.child, Duration::from_secs(10)).success());
    let _ = std::fs::remove_dir_all(dir);
}

/// An empty PostgreSQL database on the server of `TEST_DATABASE_URL`, for
/// the commands that make or check a schema; `None` (a skip) without that
/// server, outside CI.
pub(crate) struct ScratchDatabase {
    admin: sea_orm::DatabaseConnection,
    name: String,
    pub(crate) url: String,
}

impl ScratchDatabase {
    pub(crate) async fn create(purpose: &str) -> Option<Self> {
        let Ok(server) = std::env::var("TEST_DATABASE_URL") else {
            assert_ne!(
                std::env::var("CI").as_deref(),
                Ok("true"),
                "CI=true needs TEST_DATABASE_URL"
            );
            return None;
        };
        let name = format!("model_registry_{purpose}_{}", Uuid::new_v4().simple());
        let admin = Database::connect(&server).await.expect("admin");
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create");
        let url = format!(
            "{}/{name}",
            server.rsplit_once('/').map_or(server.as_str(), |(s, _)| s)
        );
        Some(ScratchDatabase { admin, name, url })
    }

    pub(crate) async fn drop(self) {
        self.admin
            .execute_unprepared(&format!("DROP DATABASE {} WITH (FORCE)", self.name))
            .await
            .ok();
    }
}

pub(crate) fn run(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut command = Command::new(BINARY);
    command
        .args(args)
        .current_dir(std::env::temp_dir())
        .env_clear();
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("the binary runs")
}

#[test]
fn the_cli_prints_its_document_configuration_and_help() {
    let help = run(&["--help"], &[]);
    let help = String::from_utf8_lossy(&help.stdout);
    for command in ["serve", "migrate", "openapi", "config"] {
        assert!(help.contains(command), "{help}");
    }
    let yaml = run(&["openapi"], &[]);
    assert!(yaml.status.success());
    assert_eq!(
        String::from_utf8_lossy(&yaml.stdout),
        model_registry::api::docs::SPEC_YAML
    );
    let json = run(&["openapi", "--json"], &[]);
    let document: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(document["info"]["title"], "Model Registry API");

    let config = run(
        &["config"],
        &[
            ("DATABASE_PASSWORD", "pa55word"),
            ("API_TOKENS", "tok-a,tok-b"),
            ("SERVER_PORT", "9999"),
        ],
    );
    assert!(config.status.success());
    let printed = String::from_utf8_lossy(&config.stdout);
    assert!(printed.contains("port = 9999"), "{printed}");
    assert!(
        !printed.contains("pa55word") && !printed.contains("tok-a"),
        "{printed}"
    );
    let bad = run(&["config"], &[("SERVER_PORT", "x")]);
    assert_eq!(bad.status.code(), Some(2));
}

/// A database that is there but wrong is told as such, at once, by `serve`
/// and by `check`: missing, or without the registry's tables.
#[tokio::test]
async fn a_wrong_database_says_what_is_wrong_and_what_to_do() {
    let Some(scratch) = ScratchDatabase::create("empty").await else {
        return;
    };
    let missing = format!("{}_missing", scratch.url);
    let serve = run(&["serve"], &[("DATABASE_URL", &missing)]);
    assert_eq!(serve.status.code(), Some(1));
    let logged = String::from_utf8_lossy(&serve.stdout);
    assert!(logged.contains("_missing does not exist"), "{logged}");
    assert!(!logged.contains("retrying"), "{logged}");

    let env = [("DATABASE_URL", scratch.url.as_str())];
    let serve = run(&["serve"], &env);
    assert_eq!(serve.status.code(), Some(1));
    let logged = String::from_utf8_lossy(&serve.stdout);
    assert!(logged.contains("run `model-registry migrate`"), "{logged}");
    assert!(!logged.contains("schema.sql"), "{logged}");

    let check = run(&["check"], &env);
    assert_eq!(check.status.code(), Some(2));
    assert!(
        check.stdout.is_empty(),
        "no index listed for missing tables"
    );
    let told = String::from_utf8_lossy(&check.stderr);
    assert!(told.contains("does not exist in this database"), "{told}");
    assert!(told.contains("model-registry migrate"), "{told}");
    scratch.drop().await;
}

#[tokio::test]
async fn migrate_creates_the_tables_once_and_refuses_another_shape() {
    let embedded = run(&["migrate"], &[]);
    assert!(embedded.status.success());
    assert!(String::from_utf8_lossy(&embedded.stdout).contains("nothing to do"));

    let Some(scratch) = ScratchDatabase::create("migrate").await else {
        return;
    };
    let url = scratch.url.clone();

    let first = run(&["migrate"], &[("DATABASE_URL", &url)]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        String::from_utf8_lossy(&first.stdout).contains("created model_registry_registered_model")
    );
    let second = run(&["migrate"], &[("DATABASE_URL", &url)]);
    assert!(second.status.success());
    assert!(String::from_utf8_lossy(&second.stdout).contains("up to date"));

    let db = Database::connect(&url)
        .await
        .expect("the migrated database");
    db.execute_unprepared(
        "ALTER TABLE model_registry_model_version DROP COLUMN model_catalog_name",
    )
    .await
    .expect("alter");
    db.close().await.ok();
    let refused = run(&["migrate"], &[("DATABASE_URL", &url)]);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("refusing") && stderr.contains("model_catalog_name"),
        "{stderr}"
    );

    scratch.drop().await;
}

/// Makes a model of `project` with a version named `champion`; its id.
async fn model_with_champion(base: &str, project: Uuid) -> Uuid {
    let client = crate::helpers::http_client().build().expect("a client");
    let api = format!("{base}/api/v1/model-registry");
    let send = |request: reqwest::RequestBuilder| async move {
        let reply = request
            .header("Project-ID", project.to_string())
            .send()
            .await
            .expect("the service answers");
        assert!(reply.status().is_success(), "{}", reply.status());
        reply.json::<serde_json::Value>().await.expect("JSON")
    };
    let model = send(client.post(format!("{api}/models")).json(&json!({
        "name": "aliased", "region_id": Uuid::new_v4()
    })))
    .await;
    let model = model["id"].as_str().expect("an id").to_owned();
    let version = send(
        client
            .post(format!("{api}/models/{model}/versions"))
            .json(&json!({
                "name": "v1", "model_framework": "pytorch", "model_framework_version": "2",
                "uri": "s3://bucket/v1"
            })),
    )
    .await;
    send(
        client
            .put(format!("{api}/models/{model}/aliases/champion"))
            .json(&json!({"version_id": version["id"]})),
    )
    .await;
    model.parse().expect("a UUID")
}

/// Starts the service in `dir` and checks that the model's alias
/// `champion` answers `project` and no other; then stops it, `dir` removed.
async fn champion_answers_its_project_only(
    dir: std::path::PathBuf,
    env: &[(&str, &str)],
    project: Uuid,
    model: Uuid,
) {
    let mut service = start(&dir, env);
    let client = crate::helpers::http_client().build().expect("a client");
    let path = format!("/api/v1/model-registry/models/{model}/aliases/champion");
    for (asking, expected) in [(project, 200), (Uuid::new_v4(), 404)] {
        let answer = client
            .get(format!("{}{path}", service.base))
            .header("Project-ID", asking.to_string())
            .send()
            .await
            .expect("the service answers");
        assert_eq!(answer.status().as_u16(), expected);
    }
    let _ = service.child.kill();
    let _ = service.child.wait();
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_database_made_before_aliases_had_their_project_is_brought_up_to_date() {
    let project = Uuid::new_v4();
    let drop_project = "ALTER TABLE model_registry_model_alias DROP COLUMN project_id";

    // The embedded database, on the service's start.
    let dir = temp_dir();
    let mut service = start(&dir, &[]);
    let model = model_with_champion(&service.base, project).await;
    signal(&service.child, "TERM");
    assert!(wait_with_timeout(&mut service.child, Duration::from_secs(10)).success());
    let file = format!("sqlite://{}", dir.join("model-registry.db").display());
    let db = Database::connect(&file)
        .await
        .expect("the embedded database");
    db.execute_unprepared(drop_project).await.expect("drop");
    db.close().await.ok();
    champion_answers_its_project_only(dir, &[], project, model).await;

    // PostgreSQL, by `migrate`.
    let Some(scratch) = ScratchDatabase::create("added_columns").await else {
        return;
    };
    let env = [("DATABASE_URL", scratch.url.as_str())];
    assert!(run(&["migrate"], &env).status.success());
    let dir = temp_dir();
    let mut service = start(&dir, &env);
    let model = model_with_champion(&service.base, project).await;
    let _ = service.child.kill();
    let _ = service.child.wait();
    let db = Database::connect(&scratch.url).await.expect("the database");
    db.execute_unprepared(drop_project).await.expect("drop");
    let refused = run(&["serve"], &env);
    assert_eq!(refused.status.code(), Some(1));
    let logged = String::from_utf8_lossy(&refused.stdout);
    assert!(
        logged.contains("model_registry_model_alias.project_id does not exist")
            && logged.contains("run `model-registry migrate`"),
        "{logged}"
    );
    let migrated = run(&["migrate"], &env);
    assert!(
        migrated.status.success(),
        "{}",
        String::from_utf8_lossy(&migrated.stderr)
    );
    let filled = db
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT project_id::text FROM model_registry_model_alias",
        ))
        .await
        .expect("select")
        .expect("the alias");
    let filled: String = filled.try_get_by_index(0).expect("the project");
    assert_eq!(filled, project.to_string());
    db.close().await.ok();
    champion_answers_its_project_only(dir, &env, project, model).await;
    scratch.drop().await;
}

#[tokio::test]
async fn a_missing_index_is_told_at_start_up_and_by_check() {
    let embedded = run(&["check"], &[]);
    assert!(embedded.status.success());
    assert!(String::from_utf8_lossy(&embedded.stdout).contains("nothing to check"));

    let Some(scratch) = ScratchDatabase::create("check").await else {
        return;
    };
    let url = scratch.url.clone();
    let env = [("DATABASE_URL", url.as_str())];
    assert!(run(&["migrate"], &env).status.success());
    let complete = run(&["check"], &env);
    assert!(complete.status.success());
    let all = model_registry::db::indexes::INDEXES.len();
    assert!(String::from_utf8_lossy(&complete.stdout).contains(&format!("all {all} indexes")));

    // One index goes, another is there under a name of CMP's choosing.
    let db = Database::connect(&url).await.expect("the database");
    db.execute_unprepared(
        "DROP INDEX model_registry_model_version_model_default; \
         ALTER INDEX model_registry_registered_model_project_created RENAME TO cmp_models_by_created",
    )
    .await
    .expect("drop and rename");
    let create = "CREATE INDEX CONCURRENTLY IF NOT EXISTS model_registry_model_version_model_default \
                  ON model_registry_model_version (registered_model_id) WHERE is_default";
    let incomplete = run(&["check"], &env);
    assert_eq!(incomplete.status.code(), Some(1));
    let printed = String::from_utf8_lossy(&incomplete.stdout);
    assert!(printed.contains(create), "{printed}");
    assert!(
        printed.contains(&format!("1 of {all} indexes missing")),
        "{printed}"
    );
    assert!(!printed.contains("project_created"), "{printed}");

    let dir = temp_dir();
    let mut service = start(&dir, &env);
    let warned = || {
        service.logs.lock().is_ok_and(|logs| {
            logs.iter().any(|line| {
                line.contains("index the service relies on is missing") && line.contains(create)
            })
        })
    };
    assert!(warned(), "{:?}", service.logs.lock().map(|l| l.clone()));
    let _ = service.child.kill();
    let _ = service.child.wait();

    db.execute_unprepared(create)
        .await
        .expect("the printed statement runs");
    db.close().await.ok();
    assert!(run(&["check"], &env).status.success());
    scratch.drop().await;
}

/// `key=value` and `key="quoted \"value\""` pairs of a text log line, after
/// its message; quoted values unescaped.
fn log_fields(text: &str) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if_eq(&' ').is_some() {}
        let key: String = chars.by_ref().take_while(|c| *c != '=').collect();
        if key.is_empty() {
            return fields;
        }
        let mut value = String::new();
        if chars.next_if_eq(&'"').is_some() {
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '"' => break,
                    c => value.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| *c != ' ') {
                value.push(c);
            }
        }
        fields.push((key, value));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_headers_stay_inside_their_quoted_fields() {
    let dir = temp_dir();
    let mut running = start(&dir, &[("TRUSTED_PROXIES", "127.0.0.1")]);
    let client = crate::helpers::http_client().build().expect("a client");
    let api = format!("{}/api/v1/model-registry", running.base);
    let project = Uuid::new_v4().to_string();
    let forged_id = r#"forged" status=204 route="/x"#;
    let get = |request_id: &str, forwarded: &str| {
        client
            .get(format!("{api}/models"))
            .header("Project-ID", &project)
            .header("X-Request-ID", request_id)
            .header("X-Forwarded-For", forwarded)
            .send()
    };
    let answer = get(forged_id, "203.0.113.7 status=204")
        .await
        .expect("answer");
    assert_eq!(answer.status(), 200);
    get("believed", "198.51.100.9, 203.0.113.7")
        .await
        .expect("answer");
    get("huge", &"9".repeat(20_000)).await.expect("answer");
    client
        .get(format!("{api}/no/{}", "p".repeat(1000)))
        .header("X-Request-ID", "unmatched")
        .send()
        .await
        .expect("answer");

    signal(&running.child, "TERM");
    assert!(wait_with_timeout(&mut running.child, Duration::from_secs(10)).success());
    std::thread::sleep(Duration::from_millis(200));
    let logs = running.logs.lock().map(|l| l.clone()).unwrap_or_default();
    let request_line = |id: &str| -> Vec<(String, String)> {
        let span = format!("request{{request_id={id:?}}}: ");
        let line = logs
            .iter()
            .find(|line| line.contains(&span) && line.contains(" status="))
            .unwrap_or_else(|| panic!("no line for {id}:\n{}", logs.join("\n")));
        assert!(line.len() < 1_000, "a bounded line: {line}");
        let (_, fields) = line
            .split_once(": request ")
            .unwrap_or_else(|| panic!("a request line: {line}"));
        log_fields(fields)
    };
    let field = |fields: &[(String, String)], key: &str| -> Vec<String> {
        fields
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    };

    // The forged id is one quoted value; `status` is the service's alone;
    // an X-Forwarded-For entry that is no address is not believed.
    let forged = request_line(forged_id);
    assert_eq!(field(&forged, "status"), ["200"], "{forged:?}");
    assert_eq!(field(&forged, "route"), ["/api/v1/model-registry/models"]);
    assert_eq!(field(&forged, "client"), ["127.0.0.1"], "{forged:?}");
    // From a trusted proxy, the last address before it is the client.
    let believed = request_line("believed");
    assert_eq!(field(&believed, "client"), ["203.0.113.7"], "{believed:?}");
    assert_eq!(field(&request_line("huge"), "client"), ["127.0.0.1"]);
    // An unmatched route is `unmatched`, with its path cut short.
    let unmatched = request_line("unmatched");
    assert_eq!(field(&unmatched, "route"), ["unmatched"]);
    let path = field(&unmatched, "path");
    assert_eq!(path.len(), 1);
    assert!(path[0].starts_with("/api/v1/model-registry/no/ppp"));
    assert_eq!(path[0].chars().count(), 256);
    let _ = std::fs::remove_dir_all(dir);
}

/// `model-registry sql` prints the statements that `scripts/bench.sh` runs
/// through pgbench and `EXPLAIN`: it needs no database, and on a migrated
/// PostgreSQL database every statement it prints plans.
#[tokio::test]
async fn the_cli_prints_the_statements_and_postgres_plans_each() {
    let printed = run(&["sql"], &[]);
    assert!(
        printed.status.success(),
        "{}",
        String::from_utf8_lossy(&printed.stderr)
    );
    let text = String::from_utf8_lossy(&printed.stdout).into_owned();
    let statements: Vec<(&str, &str)> = text
        .lines()
        .map(|line| line.split_once('\t').expect("NAME<TAB>SQL"))
        .collect();
    let names: Vec<&str> = statements.iter().map(|(name, _)| *name).collect();
    for name in [
        "get_model",
        "list_models",
        "list_models_details",
        "list_project_versions",
        "list_project_versions_hinted",
    ] {
        assert!(names.contains(&name), "{names:?}");
    }

    // The place a page ended is named, so that a benchmark can give it.
    let hinted = statements
        .iter()
        .find(|(name, _)| *name == "list_project_versions_hinted")
        .map(|(_, sql)| *sql)
        .unwrap_or_default();
    assert!(
        hinted.contains(":hint_at") && hinted.contains(":hint_id"),
        "{hinted}"
    );

    let Some(scratch) = ScratchDatabase::create("sql").await else {
        return;
    };
    let migrated = run(&["migrate"], &[("DATABASE_URL", &scratch.url)]);
    assert!(migrated.status.success());
    let db = Database::connect(&scratch.url).await.expect("scratch");
    let ids = format!("'[\"{}\"]'", Uuid::new_v4());
    // A name follows a colon after no word or colon (`::uuid` is a cast,
    // `ids[first:last]` a slice).
    let parameter = regex::Regex::new(r"([^:\w]):([a-z_]+)").expect("pattern");
    for (name, sql) in &statements {
        let bound = parameter.replace_all(sql, |found: &regex::Captures| {
            format!("{}{}", &found[1], printed_value(&found[2], &ids))
        });
        db.execute_unprepared(&format!("EXPLAIN {bound}"))
            .await
            .unwrap_or_else(|err| panic!("{name}: {err}\n{bound}"));
    }
    db.close().await.ok();
    scratch.drop().await;
}

/// A value of the right type for a parameter `model-registry sql` names.
fn printed_value(name: &str, ids: &str) -> String {
    match name {
        "ids" => ids.to_owned(),
        "events" | "deliveries" | "leases" => "'[]'".into(),
        "types" => "NULL".into(),
        "event_types" | "attempts" => "'[]'::jsonb".into(),
        "projects" | "busy" => ids.to_owned(),
        "now" | "lease_until" | "next_attempt_at" | "last_created_at" => {
            "'2026-01-01T00:00:00Z'".into()
        }
        "per_webhook" | "duration_ms" | "response_status" => "0".into(),
        "enabled" => "TRUE".into(),
        "after_txid" | "after_id" | "limit" | "batch" | "class" | "key" => "0".into(),
        "cut" => "'2026-01-01T00:00:00Z'".into(),
        "hint_at" | "created_at" | "updated_at" | "unchanged_since" => {
            "'2026-01-01T00:00:00Z'".into()
        }
        "is_default" => "TRUE".into(),
        "model_size" => "0".into(),
        "tags" | "labels" => "'{}'::jsonb".into(),
        n if n == "id" || n.ends_with("_id") => format!("'{}'::uuid", Uuid::new_v4()),
        _ => "'text'".into(),
    }
}

/// Every literal statement of the store prepares on both databases, with
/// values of its parameters' types (`EXPLAIN` plans it without running it).
#[tokio::test]
async fn every_literal_statement_prepares_on_both_databases() {
    use model_registry::store::statements::{ALL, parameter_names};
    use sea_orm::{DbBackend, Statement, Value};

    let value = |name: &str| -> Value {
        match name {
            "ids" => format!("[\"{}\"]", Uuid::new_v4()).into(),
            "events" | "data" | "changes" => serde_json::json!([]).into(),
            "types" => Value::Json(None),
            "event_types" => serde_json::json!([]).into(),
            "attempts" | "deliveries" | "leases" => "[]".into(),
            "projects" | "busy" => format!("[\"{}\"]", Uuid::new_v4()).into(),
            "now" | "lease_until" | "next_attempt_at" | "last_created_at" => {
                chrono::Utc::now().fixed_offset().into()
            }
            "per_webhook" => 0i64.into(),
            "duration_ms" | "response_status" => 0i32.into(),
            "enabled" => true.into(),
            "after_txid" | "after_id" | "limit" | "batch" => 0i64.into(),
            "class" | "key" => 0i32.into(),
            "created_at" | "updated_at" | "unchanged_since" | "occurred_at" | "cut" => {
                chrono::Utc::now().fixed_offset().into()
            }
            "is_default" => true.into(),
            "model_size" => 0i64.into(),
            "tags" | "labels" => serde_json::json!({}).into(),
            n if n == "id" || n.ends_with("_id") => Uuid::new_v4().into(),
            _ => "text".into(),
        }
    };
    let sqlite = Database::connect("sqlite::memory:").await.expect("sqlite");
    model_registry::db::create_embedded_schema(&sqlite)
        .await
        .expect("the embedded schema");
    let scratch = ScratchDatabase::create("prepare").await;
    let postgres = match &scratch {
        Some(scratch) => {
            assert!(
                run(&["migrate"], &[("DATABASE_URL", &scratch.url)])
                    .status
                    .success()
            );
            Some(Database::connect(&scratch.url).await.expect("scratch"))
        }
        None => None,
    };
    for sql in ALL {
        for (backend, db, explain) in [
            (DbBackend::Sqlite, Some(&sqlite), "EXPLAIN QUERY PLAN"),
            (DbBackend::Postgres, postgres.as_ref(), "EXPLAIN"),
        ] {
            let (Some(db), text) = (db, sql.text(backend)) else {
                continue;
            };
            if text.is_empty() {
                continue;
            }
            let names = parameter_names(text);
            for n in 1..=20 {
                assert_eq!(
                    text.contains(&format!("${n}")),
                    n <= names.len(),
                    "{} on {backend:?}: ${n} and its name ({names:?})",
                    sql.name
                );
            }
            let values: Vec<Value> = names.iter().map(|name| value(name)).collect();
            let statement =
                Statement::from_sql_and_values(backend, format!("{explain} {text}"), values);
            db.query_all_raw(statement)
                .await
                .unwrap_or_else(|err| panic!("{} on {backend:?}: {err}", sql.name));
        }
    }
    if let (Some(db), Some(scratch)) = (postgres, scratch) {
        db.close().await.ok();
        scratch.drop().await;
    }
}

/// One index set for both databases: the embedded database has exactly the
/// B-tree indexes `scripts/schema.sql` gives PostgreSQL (by table, columns,
/// uniqueness and condition; names may differ), and PostgreSQL alone the
/// GIN indexes for JSON containment, a kind SQLite does not have, and the
/// feed's commit order, which SQLite's row ids keep.
#[tokio::test]
async fn the_embedded_database_has_postgresqls_indexes() {
    use std::collections::BTreeSet;

    use sea_orm::{DbBackend, Statement};

    let sqlite = Database::connect("sqlite::memory:").await.expect("sqlite");
    model_registry::db::create_embedded_schema(&sqlite)
        .await
        .expect("the embedded schema");
    // A database made by an earlier build has the feed's commit-order index.
    sqlite
        .execute_unprepared(
            "CREATE INDEX model_registry_event_order ON model_registry_event (txid, id)",
        )
        .await
        .expect("an earlier build's index");
    model_registry::db::create_embedded_schema(&sqlite)
        .await
        .expect("the embedded schema, again");
    let on_sqlite: BTreeSet<String> = sqlite
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
        ))
        .await
        .expect("SQLite's indexes")
        .iter()
        .map(|row| index_shape(&row.try_get_by_index::<String>(0).expect("sql")))
        .collect();

    let Some(scratch) = ScratchDatabase::create("indexes").await else {
        return;
    };
    let db = Database::connect(&scratch.url).await.expect("scratch");
    db.execute_unprepared(model_registry::db::SCHEMA_SQL)
        .await
        .expect("scripts/schema.sql");
    let on_postgres: Vec<String> = db
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT indexdef FROM pg_indexes WHERE tablename LIKE 'model_registry_%' \
             AND indexname NOT LIKE '%_pkey'",
        ))
        .await
        .expect("PostgreSQL's indexes")
        .iter()
        .map(|row| row.try_get_by_index::<String>(0).expect("indexdef"))
        .collect();
    db.close().await.ok();
    scratch.drop().await;
    let (gin, btree): (Vec<_>, Vec<_>) = on_postgres.iter().partition(|d| d.contains("USING gin"));
    assert_eq!(gin.len(), 3, "{gin:?}");
    let (commit_order, btree): (Vec<_>, Vec<_>) = btree
        .into_iter()
        .partition(|d| d.contains("INDEX model_registry_event_order ON"));
    assert_eq!(commit_order.len(), 1, "{btree:?}");
    let on_postgres: BTreeSet<String> = btree.iter().map(|d| index_shape(d)).collect();
    assert_eq!(on_sqlite, on_postgres);
}

/// `[UNIQUE ]table (columns)[ WHERE condition]` of a `CREATE INDEX`, as
/// either database prints it.
fn index_shape(definition: &str) -> String {
    let text = definition
        .replace('"', "")
        .replace("public.", "")
        .replace(" USING btree", "")
        .replace(" IF NOT EXISTS", "");
    let unique = text.starts_with("CREATE UNIQUE");
    let (_, rest) = text.split_once(" ON ").expect("an index definition");
    let rest = rest.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{}{rest}", if unique { "UNIQUE " } else { "" })
}

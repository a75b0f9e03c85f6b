//! The binary as an operator runs it: start-up errors, and a clean exit on
//! SIGTERM after finishing what is in flight.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    sync::mpsc,
    time::{Duration, Instant},
};

use serde_json::json;
use uuid::Uuid;

const BINARY: &str = env!("CARGO_BIN_EXE_model-registry");

/// Starts the binary on a free port with an embedded database in a fresh
/// directory; returns it and its base URL once it listens.
fn start(dir: &std::path::Path, extra_env: &[(&str, &str)]) -> (Child, String) {
    let mut command = Command::new(BINARY);
    command
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
    let stdout = child.stdout.take().expect("stdout");
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(line) = received.recv_timeout(Duration::from_millis(200))
            && let Some(address) = line.split("address=").nth(1)
        {
            let address = address.split_whitespace().next().unwrap_or_default();
            return (child, format!("http://{address}"));
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the service did not report its address in time");
}

fn temp_dir() -> std::path::PathBuf {
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
    let (mut child, base) = start(&dir, &[]);
    let client = reqwest::Client::new();
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
    let (mut child, base) = start(&dir, &[]);
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
fn an_unreachable_database_at_start_up_is_retried_with_a_log_line_until_stopped() {
    let mut child = Command::new(BINARY)
        .current_dir(std::env::temp_dir())
        .env_clear()
        .env("DATABASE_URL", "postgres://postgres@127.0.0.1:1/none")
        .env("DATABASE_ACQUIRE_TIMEOUT_MS", "200")
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
    assert!(
        child.try_wait().expect("wait").is_none(),
        "still running, still trying"
    );
    signal(&child, "TERM");
    assert!(wait_with_timeout(&mut child, Duration::from_secs(5)).success());
}

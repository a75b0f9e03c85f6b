//! Spawns the real application on a free port against a fresh database and
//! talks to it over HTTP.
//!
//! SQLite: a new file per test. PostgreSQL: a new database per test, built
//! from `scripts/schema.sql`, on the server named by `TEST_DATABASE_URL`
//! (for example `postgres://postgres@127.0.0.1:5432/postgres`). Without that
//! variable when the tests are built, the PostgreSQL tests are marked
//! ignored (`build.rs`); under `CI=true` a missing URL fails.

use std::path::PathBuf;

use model_registry::{
    Application,
    config::{Config, DatabaseConfig, ServerConfig},
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, Database, EntityTrait, QueryFilter,
    sea_query::Expr,
};
use serde_json::{Value, json};
use tokio::sync::oneshot;
use uuid::Uuid;

pub const BASE: &str = "/api/v1/model-registry";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// An HTTP client for the tests. The service's own client brings
/// reqwest's TLS without a default crypto provider; the tests' clients use
/// the one the service uses.
pub fn http_client() -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}

/// A running service with its own database.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    /// The project most requests of a test are made as.
    pub project: Uuid,
    pub backend: Backend,
    shutdown: Option<oneshot::Sender<()>>,
    _db: TestDb,
}

/// An HTTP answer, its body parsed as JSON.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Reply {
    /// The error message of a JSON error body.
    pub fn error(&self) -> &str {
        self.body["error"].as_str().unwrap_or_else(|| {
            panic!(
                "expected a JSON error body, got {}: {}",
                self.status, self.text
            )
        })
    }

    #[track_caller]
    pub fn expect(self, status: u16) -> Value {
        assert_eq!(self.status, status, "unexpected answer: {}", self.text);
        self.body
    }

    pub fn id(&self) -> Uuid {
        self.body["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no id in {}", self.text))
    }
}

impl TestApp {
    /// Starts the service on `backend`; `None` when PostgreSQL is not
    /// configured outside CI.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, |url| url.to_owned(), |_| {}).await
    }

    /// As `spawn`, with the service's database URL rewritten (to go through
    /// a proxy, say) and its configuration adjusted.
    pub async fn spawn_with(
        backend: Backend,
        database_url: impl FnOnce(&str) -> String,
        configure: impl FnOnce(&mut Config),
    ) -> Option<TestApp> {
        let db = TestDb::create(backend).await?;
        let config = Config {
            server: ServerConfig {
                host: "127.0.0.1".into(),
                port: 0,
                ..ServerConfig::default()
            },
            database: DatabaseConfig {
                url: Some(database_url(&db.url)),
                ..DatabaseConfig::default()
            },
            ..Config::default()
        };
        let mut config = config;
        configure(&mut config);
        let app = Application::build(config)
            .await
            .unwrap_or_else(|e| panic!("the service did not start: {e}"));
        let address = format!(
            "http://{}",
            app.local_addr().expect("the service has a TCP address")
        );
        let (shutdown, stopped) = oneshot::channel();
        tokio::spawn(app.run_until(async {
            let _ = stopped.await;
        }));
        Some(TestApp {
            address,
            client: crate::helpers::http_client().build().expect("a client"),
            project: Uuid::new_v4(),
            backend,
            shutdown: Some(shutdown),
            _db: db,
        })
    }

    /// A URL under the API's base path.
    pub fn api(&self, path: &str) -> String {
        format!("{}{BASE}{path}", self.address)
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.expect("the service answers");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("a readable body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            body,
            headers,
            text,
        }
    }

    /// The text of `GET /metrics`.
    pub async fn metrics(&self) -> String {
        self.client
            .get(format!("{}/metrics", self.address))
            .send()
            .await
            .expect("the service answers")
            .text()
            .await
            .expect("text")
    }

    /// `GET` as `project`.
    pub async fn get_as(&self, project: Uuid, path: &str) -> Reply {
        self.send(
            self.client
                .get(self.api(path))
                .header("Project-ID", project.to_string()),
        )
        .await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.get_as(self.project, path).await
    }

    pub async fn post_as(&self, project: Uuid, path: &str, body: &Value) -> Reply {
        self.send(
            self.client
                .post(self.api(path))
                .header("Project-ID", project.to_string())
                .json(body),
        )
        .await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Reply {
        self.post_as(self.project, path, body).await
    }

    pub async fn patch_as(&self, project: Uuid, path: &str, body: &Value) -> Reply {
        self.send(
            self.client
                .patch(self.api(path))
                .header("Project-ID", project.to_string())
                .json(body),
        )
        .await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Reply {
        self.patch_as(self.project, path, body).await
    }

    pub async fn put_as(&self, project: Uuid, path: &str, body: &Value) -> Reply {
        self.send(
            self.client
                .put(self.api(path))
                .header("Project-ID", project.to_string())
                .json(body),
        )
        .await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Reply {
        self.put_as(self.project, path, body).await
    }

    pub async fn delete_as(&self, project: Uuid, path: &str) -> Reply {
        self.send(
            self.client
                .delete(self.api(path))
                .header("Project-ID", project.to_string()),
        )
        .await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.delete_as(self.project, path).await
    }

    /// Creates a model named `name` and returns its id.
    pub async fn create_model(&self, name: &str) -> Uuid {
        let reply = self
            .post(
                "/models",
                &json!({"name": name, "region_id": Uuid::new_v4()}),
            )
            .await;
        assert_eq!(reply.status, 201, "creating model {name}: {}", reply.text);
        reply.id()
    }

    /// Creates an artifact named `name` of `model` and returns its id.
    pub async fn create_artifact(&self, model: Uuid, name: &str) -> Uuid {
        let body = json!({"registered_model_id": model, "name": name, "model_framework": "onnx",
                          "model_framework_version": "1", "uri": format!("s3://artifacts/{name}")});
        let reply = self.post("/model_artifacts", &body).await;
        assert_eq!(
            reply.status, 201,
            "creating artifact {name}: {}",
            reply.text
        );
        reply.id()
    }

    /// Creates a version named `name` of `model` and returns its id.
    pub async fn create_version(&self, model: Uuid, name: &str, extra: Value) -> Uuid {
        let mut body = json!({
            "name": name,
            "model_framework": "pytorch",
            "model_framework_version": "2.1.0",
            "uri": format!("s3://models/{name}"),
        });
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        let reply = self.post(&format!("/models/{model}/versions"), &body).await;
        assert_eq!(reply.status, 201, "creating version {name}: {}", reply.text);
        reply.id()
    }
}

/// Fixtures that only CMP writes (users, regions, owners), written straight
/// into the test's database.
impl TestApp {
    pub async fn database(&self) -> sea_orm::DatabaseConnection {
        Database::connect(&self._db.url)
            .await
            .expect("the test database")
    }

    pub async fn insert_user(&self, id: Uuid, email: &str) {
        let db = self.database().await;
        entity::tenant_user::Entity::insert(entity::tenant_user::ActiveModel {
            id: Set(id),
            email: Set(email.into()),
        })
        .exec_without_returning(&db)
        .await
        .expect("insert a user");
    }

    pub async fn insert_region(&self, id: Uuid, name: &str) {
        let db = self.database().await;
        entity::organization_region::Entity::insert(entity::organization_region::ActiveModel {
            id: Set(id),
            name: Set(name.into()),
        })
        .exec_without_returning(&db)
        .await
        .expect("insert a region");
    }

    pub async fn rename_region(&self, id: Uuid, name: &str) {
        use entity::organization_region::{Column, Entity};
        let db = self.database().await;
        Entity::update_many()
            .col_expr(Column::Name, Expr::value(name))
            .filter(Column::Id.eq(id))
            .exec(&db)
            .await
            .expect("rename a region");
    }

    pub async fn set_model_owner(&self, model: Uuid, owner: Uuid) {
        use entity::model_registry_registered_model::{Column, Entity};
        let db = self.database().await;
        Entity::update_many()
            .col_expr(Column::OwnerId, Expr::value(owner))
            .filter(Column::Id.eq(model))
            .exec(&db)
            .await
            .expect("set the owner");
    }

    /// Rows of the version table that belong to `model`, read straight from
    /// the database (orphans would be invisible through the API).
    pub async fn count_version_rows(&self, model: Uuid) -> u64 {
        use entity::model_registry_model_version::{Column, Entity};
        use sea_orm::PaginatorTrait;
        let db = self.database().await;
        Entity::find()
            .filter(Column::RegisteredModelId.eq(model))
            .count(&db)
            .await
            .expect("count versions")
    }

    pub async fn set_version_creator(&self, version: Uuid, creator: Uuid) {
        use entity::model_registry_model_version::{Column, Entity};
        let db = self.database().await;
        Entity::update_many()
            .col_expr(Column::CreatedById, Expr::value(creator))
            .filter(Column::Id.eq(version))
            .exec(&db)
            .await
            .expect("set the creator");
    }
}

impl TestApp {
    /// How long ago the oldest connection of the service's pool to the
    /// test's PostgreSQL database was opened (no other client holds one; the
    /// watchdog's, which prepares nothing and is never renewed, is left out).
    pub async fn oldest_connection_age(&self) -> std::time::Duration {
        let db = self.database().await;
        let row = db
            .query_one_raw(sea_orm::Statement::from_sql_and_values(
                db.get_database_backend(),
                "SELECT EXTRACT(EPOCH FROM now() - min(backend_start))::float8 AS age \
                 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() \
                 AND application_name NOT IN ($1, $2, $3, $4)",
                [
                    model_registry::db::WATCHDOG_APPLICATION_NAME.into(),
                    model_registry::db::LISTENER_APPLICATION_NAME.into(),
                    model_registry::db::FAN_OUT_APPLICATION_NAME.into(),
                    model_registry::db::DELIVERIES_APPLICATION_NAME.into(),
                ],
            ))
            .await
            .expect("pg_stat_activity")
            .expect("a row");
        let seconds: f64 = row.try_get("", "age").expect("the age");
        db.close().await.ok();
        std::time::Duration::from_secs_f64(seconds)
    }

    /// Runs `sql` on the test's database, behind the service's back.
    pub async fn execute_sql(&self, sql: &str) {
        let db = self.database().await;
        db.execute_unprepared(sql)
            .await
            .expect("the statement runs");
        db.close().await.ok();
    }

    /// Drops the PostgreSQL database under the running service, as if the
    /// database were lost.
    pub async fn drop_database(&self) {
        if let Cleanup::Database { admin_url, name } = &self._db.cleanup {
            let admin = Database::connect(admin_url)
                .await
                .expect("the admin database");
            admin
                .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
                .await
                .expect("DROP DATABASE");
            admin.close().await.ok();
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// A throwaway database, removed when dropped.
struct TestDb {
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Database { admin_url: String, name: String },
}

impl TestDb {
    async fn create(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => {
                let dir =
                    std::env::temp_dir().join(format!("model-registry-test-{}", Uuid::new_v4()));
                std::fs::create_dir_all(&dir).expect("a temporary directory");
                let url = format!("sqlite://{}/registry.db?mode=rwc", dir.display());
                Some(TestDb {
                    url,
                    cleanup: Cleanup::File(dir),
                })
            }
            Backend::Postgres => {
                let Some(admin_url) = postgres_admin_url() else {
                    eprintln!("TEST_DATABASE_URL is not set: skipping the PostgreSQL half");
                    return None;
                };
                let name = format!("model_registry_test_{}", Uuid::new_v4().simple());
                let admin = Database::connect(&admin_url).await.unwrap_or_else(|e| {
                    panic!("PostgreSQL at TEST_DATABASE_URL is unreachable: {e}")
                });
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("CREATE DATABASE");
                admin.close().await.ok();
                let url = with_database(&admin_url, &name);
                let db = Database::connect(&url).await.expect("the new database");
                let schema = include_str!("../../scripts/schema.sql");
                db.execute_unprepared(schema)
                    .await
                    .expect("scripts/schema.sql loads");
                db.close().await.ok();
                Some(TestDb {
                    url,
                    cleanup: Cleanup::Database { admin_url, name },
                })
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Database { admin_url, name } => {
                // Drop runs inside the test's runtime, which cannot block on
                // a future: drop the database from a thread of its own.
                let (admin_url, name) = (admin_url.clone(), name.clone());
                let dropped = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .expect("a runtime");
                    runtime.block_on(async {
                        if let Ok(admin) = Database::connect(&admin_url).await {
                            let _ = admin
                                .execute_unprepared(&format!(
                                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                                ))
                                .await;
                            admin.close().await.ok();
                        }
                    });
                });
                let _ = dropped.join();
            }
        }
    }
}

/// The PostgreSQL server to test against, or `None` to skip; under
/// `CI=true` a missing URL is a failure, never a skip.
fn postgres_admin_url() -> Option<String> {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI=true but TEST_DATABASE_URL is not set: the PostgreSQL tests must run")
        }
        _ => None,
    }
}

/// The same server URL with another database name.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let server = match base.rsplit_once('/') {
        Some((server, _)) if server.contains("://") && !server.ends_with('/') => server,
        _ => base.trim_end_matches('/'),
    };
    match query {
        Some(query) => format!("{server}/{database}?{query}"),
        None => format!("{server}/{database}"),
    }
}

/// Runs each named scenario `async fn name(app: &TestApp)` as two tests,
/// `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                use $crate::helpers::{Backend, TestApp};

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    if let Some(app) = TestApp::spawn(Backend::Sqlite).await {
                        super::$name(&app).await;
                    }
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[cfg_attr(not(postgres_tests), ignore = "PostgreSQL: set TEST_DATABASE_URL")]
                async fn postgres() {
                    if let Some(app) = TestApp::spawn(Backend::Postgres).await {
                        super::$name(&app).await;
                    }
                }
            }
        )+
    };
}

//! ML model registry: registered models, their versions and artifacts, per
//! project, behind a JSON REST API.
//!
//! A request travels `api` (parse, answer) → `registry` (the rules) →
//! `store` (the SQL) → `entity` (the tables). [`Application`] puts them
//! together for `main` and for the tests.

pub mod api;
pub mod config;
pub mod db;
pub mod domain;
pub mod http;
pub mod jobs;
pub mod metrics;
pub mod outbound;
pub mod registry;
pub mod server;
pub mod store;

use std::{future::Future, net::SocketAddr, sync::Arc, time::Duration};

use poem::{
    EndpointExt, Route,
    endpoint::BoxEndpoint,
    endpoint::make_sync,
    middleware::{NormalizePath, TrailingSlash},
};
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;

use crate::{
    config::{Config, DatabaseConfig},
    db::Reachability,
    metrics::Metrics,
    registry::Registry,
    store::Store,
};

/// The HTTP application, from the outside in: slashes trimmed, request id
/// and log, errors as JSON, time limit, token, the 503 of a lost database,
/// a UTF-8 query, body limit, `GET /` to the documentation, `Warning` for
/// unknown fields.
pub fn app(registry: Registry, config: &Config, metrics: Arc<Metrics>) -> BoxEndpoint<'static> {
    let database = registry.database().clone();
    let api = api::service(registry);
    let tokens: Arc<[secrecy::SecretString]> = config.auth.tokens().into();
    let request_timeout = config.request_timeout();
    let trusted_proxies: Arc<[ipnet::IpNet]> = config.server.trusted_proxies.clone().into();
    let scrape = metrics.clone();
    api::docs::add_routes(Route::new(), &api)
        .at("/metrics", make_sync(move |_| scrape.render()))
        .nest("/", api)
        .around(http::warn_unknown_fields)
        .around(http::docs_at_root)
        .around(http::limit_body)
        .around(http::require_utf8_query)
        .around(move |next, req| http::while_database_answers(next, req, database.clone()))
        .around(move |next, req| http::require_token(next, req, tokens.clone()))
        .around(move |next, req| http::time_limit(next, req, request_timeout))
        .catch_all_error(api::error::render)
        .around(move |next, req| http::observe(next, req, metrics.clone(), trusted_proxies.clone()))
        .with(NormalizePath::new(TrailingSlash::Trim))
        // One type for callers: the stack's own is too deep for rustc's
        // default recursion limit in every crate that names it.
        .map_to_response()
        .boxed()
}

const FIRST_RETRY: Duration = Duration::from_millis(500);
const LONGEST_RETRY: Duration = Duration::from_secs(10);

/// Why the service could not start, and the exit code that says so.
#[derive(Debug)]
pub enum StartError {
    /// A setting that cannot work as given (exit code 2, as for a bad value).
    Setting(String),
    /// Anything else (exit code 1).
    Failed(String),
}

impl StartError {
    pub fn exit_code(&self) -> u8 {
        match self {
            StartError::Setting(_) => 2,
            StartError::Failed(_) => 1,
        }
    }
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Setting(message) | StartError::Failed(message) => f.write_str(message),
        }
    }
}

async fn connect_with_retry(
    config: &DatabaseConfig,
) -> Result<(DatabaseConnection, Reachability), StartError> {
    // An embedded database that cannot be opened will not open later: a
    // missing folder or a read-only file is a setting to fix, not an outage.
    let embedded = match config.target() {
        Ok(target @ config::DatabaseTarget::Sqlite(_)) => Some(target.describe()),
        _ => None,
    };
    let mut delay = FIRST_RETRY;
    for attempt in 1u32.. {
        match db::connect(config).await {
            Ok(connected) => {
                if attempt > 1 {
                    tracing::info!(attempt, "database reachable");
                }
                return Ok(connected);
            }
            Err(err) if embedded.is_some() && store::is_unavailable(&err) => {
                return Err(StartError::Setting(format!(
                    "cannot open the {} ({err}): does the folder of DATABASE_SQLITE_PATH \
                     (or of DATABASE_URL's file) exist, and may the service write there?",
                    embedded.unwrap_or_default()
                )));
            }
            Err(err) if store::is_unavailable(&err) => {
                tracing::warn!(
                    attempt,
                    retry_in_ms = delay.as_millis() as u64,
                    error = %db::describe(&err),
                    "database unreachable at start-up; retrying"
                );
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(LONGEST_RETRY);
            }
            Err(err) => {
                return Err(StartError::Failed(format!(
                    "database: {}",
                    db::describe(&err)
                )));
            }
        }
    }
    Err(StartError::Failed("database: gave up connecting".into()))
}

/// A bound, connected service, ready to serve.
pub struct Application {
    listener: TcpListener,
    db: DatabaseConnection,
    registry: Registry,
    metrics: Arc<Metrics>,
    config: Config,
}

impl Application {
    /// Connects to the database and binds the port (0 picks a free one),
    /// retrying with a backoff while the database is unreachable; any other
    /// database error (missing tables, say) is final.
    pub async fn build(config: Config) -> Result<Self, StartError> {
        let (mut db, reachability) = connect_with_retry(&config.database).await?;
        let metrics = Arc::new(Metrics::new(&mut db));
        let store = Store::new(db.clone()).counting_statements(metrics.statement_counter());
        let address = (config.server.host.clone(), config.server.port);
        let listener = TcpListener::bind(address).await.map_err(|e| {
            StartError::Failed(format!(
                "cannot listen on {}:{}: {e}",
                config.server.host, config.server.port
            ))
        })?;
        let changes = db::Changes::shared(&db);
        let wire = Arc::new(api::types::WireJson);
        Ok(Application {
            listener,
            db,
            registry: Registry::new(store, reachability, changes, wire).with_webhook_policy(
                outbound::AddressPolicy::new(config.webhooks.allowed_networks.clone()),
            ),
            metrics,
            config,
        })
    }

    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.listener.local_addr().ok()
    }

    /// Serves until `shutdown` completes; then stops accepting, lets
    /// in-flight requests finish (up to the shutdown timeout) and closes the
    /// pool.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send) -> std::io::Result<()> {
        let limits = server::Limits {
            head_timeout: self.config.head_timeout(),
            idle_timeout: self.config.idle_timeout(),
            max_connections: self.config.server.max_connections,
            shutdown_timeout: self.config.shutdown_timeout(),
        };
        let jobs = jobs::start(&self.registry, &self.db, &self.config, self.metrics.load());
        let endpoint = app(self.registry.clone(), &self.config, self.metrics.clone());
        let changes = self.registry.changes().clone();
        let shutdown = async move {
            shutdown.await;
            changes.stop_waits();
        };
        let served = server::serve(self.listener, endpoint, limits, self.metrics, shutdown).await;
        jobs.stop(&self.registry).await;
        if let Err(err) = self.db.close().await {
            tracing::warn!(error = %err, "closing the database pool");
        }
        served
    }
}

//! ML model registry: registered models, their versions and artifacts, per
//! project, behind a JSON REST API.
//!
//! A request travels `api` (parse, answer) → `registry` (the rules) →
//! `store` (the SQL) → `entity` (the tables). [`Application`] puts them
//! together for `main` and for the tests.

pub mod api;
pub mod config;
pub mod db;
pub mod error;
pub mod http;
pub mod registry;
pub mod store;

use std::{future::Future, net::SocketAddr};

use poem::{
    Endpoint, EndpointExt, Route, Server,
    listener::{Acceptor, Listener, TcpAcceptor, TcpListener},
    middleware::{NormalizePath, TrailingSlash},
};
use sea_orm::DatabaseConnection;

use crate::{config::Config, registry::Registry, store::Store};

/// The HTTP application: every route, with its middleware.
pub fn app(registry: Registry) -> impl Endpoint {
    let api = api::service(registry);
    api::docs::add_routes(Route::new(), &api)
        .nest("/", api)
        .around(http::limit_body)
        .catch_all_error(error::render)
        .around(http::observe)
        .with(NormalizePath::new(TrailingSlash::Trim))
}

/// A bound, connected service, ready to serve.
pub struct Application {
    acceptor: TcpAcceptor,
    db: DatabaseConnection,
    registry: Registry,
    config: Config,
}

impl Application {
    /// Connects to the database and binds the port (port 0 picks a free one).
    pub async fn build(config: Config) -> Result<Self, String> {
        let db = db::connect(&config.database)
            .await
            .map_err(|e| format!("database: {e}"))?;
        let store = Store::open(db.clone())
            .await
            .map_err(|e| format!("database: {e}"))?;
        let address = (config.server.host.clone(), config.server.port);
        let acceptor = TcpListener::bind(address)
            .into_acceptor()
            .await
            .map_err(|e| {
                format!(
                    "cannot listen on {}:{}: {e}",
                    config.server.host, config.server.port
                )
            })?;
        Ok(Application {
            acceptor,
            db,
            registry: Registry::new(store),
            config,
        })
    }

    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.acceptor
            .local_addr()
            .into_iter()
            .find_map(|addr| addr.as_socket_addr().copied())
    }

    /// Serves until `shutdown` completes; then stops accepting, lets
    /// in-flight requests finish (up to the shutdown timeout) and closes the
    /// pool.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send) -> std::io::Result<()> {
        let timeout = self.config.shutdown_timeout();
        let served = Server::new_with_acceptor(self.acceptor)
            .run_with_graceful_shutdown(app(self.registry), shutdown, Some(timeout))
            .await;
        if let Err(err) = self.db.close().await {
            tracing::warn!(error = %err, "closing the database pool");
        }
        served
    }
}

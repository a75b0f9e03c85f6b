//! Prometheus metrics, served at `GET /metrics`: requests and their latency
//! per operation (the route template, never the raw path) and status,
//! requests in flight, the database pool, and build info.

use std::{collections::HashMap, sync::Arc, time::Duration};

use poem::{IntoResponse, PathPattern, Response, http::Method};
use poem_openapi::OperationId;
use prometheus_client::{
    encoding::{EncodeLabelSet, text::encode},
    metrics::{
        counter::Counter,
        family::Family,
        gauge::Gauge,
        histogram::{Histogram, exponential_buckets},
    },
    registry::{Metric, Registry},
};
use sea_orm::{DatabaseConnection, DbBackend};

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// A known method's name, or `other` ([`method_label`]).
    pub method: &'static str,
    /// The matched route template, or `unmatched`.
    pub route: String,
    pub status: u16,
}

/// The methods the service knows, with their labels; any other is
/// answered 405 at once and counted as `other`, so that no caller can add a
/// label value.
const KNOWN_METHODS: [(Method, &str); 7] = [
    (Method::GET, "GET"),
    (Method::HEAD, "HEAD"),
    (Method::POST, "POST"),
    (Method::PUT, "PUT"),
    (Method::PATCH, "PATCH"),
    (Method::DELETE, "DELETE"),
    (Method::OPTIONS, "OPTIONS"),
];

/// The label of every method not in [`KNOWN_METHODS`].
pub const OTHER_METHOD: &str = "other";

/// The label for `method`: its name when known, else [`OTHER_METHOD`].
pub fn method_label(method: &Method) -> &'static str {
    KNOWN_METHODS
        .iter()
        .find(|(known, _)| known == method)
        .map_or(OTHER_METHOD, |(_, label)| *label)
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct BuildLabels {
    version: String,
}

/// The service's metrics and the pool they read at scrape time.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RequestLabels, Histogram>,
    in_flight: Gauge,
    pool_size: Gauge,
    pool_idle: Gauge,
    pool_waiters: Gauge,
    connections_open: Gauge,
    connections_refused: Counter,
    db: DatabaseConnection,
    routes: HashMap<&'static str, String>,
    statements: Counter,
}

/// A new metric, registered under `name` with its help text.
fn registered<M: Metric + Clone + Default>(registry: &mut Registry, name: &str, help: &str) -> M {
    let metric = M::default();
    registry.register(name, help, metric.clone());
    metric
}

impl Metrics {
    /// Metrics over `db`, whose statements they count from now on: call it
    /// before `db` is cloned, as clones made earlier are not counted.
    pub fn new(db: &mut DatabaseConnection) -> Self {
        let mut registry = Registry::with_prefix("model_registry");
        let statements: Counter = registered(
            &mut registry,
            "db_statements",
            "SQL statements sent to the database (a request's budget: GET 1, list 2)",
        );
        let counted = statements.clone();
        db.set_metric_callback(move |_| {
            counted.inc();
        });
        let requests: Family<RequestLabels, Counter> = registered(
            &mut registry,
            "http_requests",
            "HTTP requests answered, by method, route template and status",
        );
        // 0.5 ms .. about 8 s.
        let latency = Family::<RequestLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.0005, 2.0, 15))
        });
        registry.register(
            "http_request_duration_seconds",
            "Time from a request's arrival to its response, in seconds",
            latency.clone(),
        );
        let in_flight: Gauge = registered(
            &mut registry,
            "http_requests_in_flight",
            "Requests being served",
        );
        let pool_size: Gauge = registered(
            &mut registry,
            "db_pool_connections",
            "Connections the database pool holds, idle or in use",
        );
        let pool_idle: Gauge = registered(
            &mut registry,
            "db_pool_idle_connections",
            "Connections in the pool waiting for work",
        );
        let pool_waiters: Gauge = registered(
            &mut registry,
            "db_pool_waiters",
            "Requests in flight beyond the connections in use: an upper bound of those waiting for a connection",
        );
        let connections_open: Gauge = registered(
            &mut registry,
            "http_connections_open",
            "Client connections open",
        );
        let connections_refused: Counter = registered(
            &mut registry,
            "http_connections_refused",
            "Connections answered 503 and closed because the connection limit was reached",
        );
        let build = Family::<BuildLabels, Gauge>::default();
        build
            .get_or_create(&BuildLabels {
                version: env!("CARGO_PKG_VERSION").into(),
            })
            .set(1);
        registry.register("build_info", "The running build", build);
        Metrics {
            registry,
            requests,
            latency,
            in_flight,
            pool_size,
            pool_idle,
            pool_waiters,
            connections_open,
            connections_refused,
            db: db.clone(),
            routes: crate::api::route_templates(),
            statements,
        }
    }

    /// Counts a statement sent other than through the pool's connection,
    /// which counts its own (SQLite's write transactions).
    pub fn statement_counter(&self) -> Arc<dyn Fn() + Send + Sync> {
        let statements = self.statements.clone();
        Arc::new(move || {
            statements.inc();
        })
    }

    /// The route a response answered, as the API documents it
    /// (`/api/v1/model-registry/models/{model_id}`); `None` when no route
    /// matched.
    pub fn route_of(&self, response: &Response) -> Option<String> {
        response
            .data::<OperationId>()
            .and_then(|id| self.routes.get(id.0).cloned())
            .or_else(|| response.data::<PathPattern>().map(|p| p.0.to_string()))
            .filter(|route| !route.is_empty())
    }

    /// Counts a request in flight until the guard is dropped.
    pub fn start_request(&self) -> InFlight {
        self.in_flight.inc();
        InFlight(self.in_flight.clone())
    }

    /// Whether requests are being served, for background work to yield.
    pub fn load(&self) -> Load {
        Load(self.in_flight.clone())
    }

    /// Counts an open connection until the guard is dropped.
    pub fn connection_opened(&self) -> InFlight {
        self.connections_open.inc();
        InFlight(self.connections_open.clone())
    }

    pub fn connection_refused(&self) {
        self.connections_refused.inc();
    }

    pub fn observe(&self, labels: RequestLabels, elapsed: Duration) {
        self.latency
            .get_or_create(&labels)
            .observe(elapsed.as_secs_f64());
        self.requests.get_or_create(&labels).inc();
    }

    /// The text exposition, with the pool read now.
    pub fn render(&self) -> Response {
        let (size, idle) = match self.db.get_database_backend() {
            DbBackend::Postgres => {
                let pool = self.db.get_postgres_connection_pool();
                (i64::from(pool.size()), pool.num_idle() as i64)
            }
            DbBackend::Sqlite => {
                let pool = self.db.get_sqlite_connection_pool();
                (i64::from(pool.size()), pool.num_idle() as i64)
            }
            _ => (0, 0),
        };
        self.pool_size.set(size);
        self.pool_idle.set(idle);
        let in_use = size - idle;
        // This scrape is itself in flight and holds no connection.
        let others = self.in_flight.get() - 1;
        self.pool_waiters.set((others - in_use).max(0));

        let mut text = String::new();
        if let Err(err) = encode(&mut text, &self.registry) {
            tracing::error!(error = %err, "encoding metrics");
            return poem::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
        Response::builder()
            .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
            .body(text)
    }
}

/// The requests in flight, as background work sees them.
#[derive(Clone, Default)]
pub struct Load(Gauge);

impl Load {
    pub fn serving(&self) -> bool {
        self.0.get() > 0
    }

    /// A request in flight until the guard is dropped.
    #[cfg(test)]
    pub fn start_request(&self) -> InFlight {
        self.0.inc();
        InFlight(self.0.clone())
    }
}

/// A request in flight (or a connection open); dropping it ends the count.
pub struct InFlight(Gauge);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.dec();
    }
}

//! Connecting to PostgreSQL or the embedded SQLite file, and the embedded
//! database's schema. On PostgreSQL the tables belong to CMP: the service
//! checks that they are there and never creates, alters or drops them.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use entity::{
    model_registry_event as event, model_registry_event_publication as event_publication,
    model_registry_event_retention as event_retention, model_registry_model_alias as alias,
    model_registry_model_version as version, model_registry_registered_model as model,
    model_registry_webhook as webhook, model_registry_webhook_delivery as webhook_delivery,
    organization_region as region, tenant_user as user,
};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, EntityName,
    RuntimeErr, Schema,
    sea_query::{Table, TableCreateStatement},
    sqlx::{
        postgres::{PgConnectOptions, PgSslMode},
        sqlite::{SqliteJournalMode, SqliteSynchronous},
    },
};

use secrecy::ExposeSecret;

use crate::config::{DatabaseConfig, DatabaseTarget, SslMode};

mod changes;
pub mod indexes;
mod watchdog;

pub use changes::{Changes, LISTENER_APPLICATION_NAME, Subscription};
pub use watchdog::{NotAnswering, Reachability, WATCHDOG_APPLICATION_NAME};

/// How long a SQLite writer waits for another to finish before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// Pool sizes measured on 2 cores (docs/performance.md): more connections
/// than the database's cores only queue inside it, and each SQLite one costs
/// about 3.5 MiB, so 3 keeps the service under 40 MiB.
const DEFAULT_POSTGRES_POOL: u32 = 6;
const DEFAULT_SQLITE_POOL: u32 = 3;
/// A connection idle for this long is pinged before it is handed out (a
/// firewall may have dropped it silently); one in use a moment ago is not:
/// the watchdog (`Reachability`) catches a database that stops answering.
const PING_WHEN_IDLE_FOR: Duration = Duration::from_secs(1);

/// Opens the pool. For the embedded SQLite database, also creates its schema;
/// on PostgreSQL, checks that CMP's tables are there and starts watching
/// whether the database answers.
pub async fn connect(config: &DatabaseConfig) -> Result<(DatabaseConnection, Reachability), DbErr> {
    let connections = Arc::new(ConnectionAge::new());
    let db = open(config, connections.clone()).await?;
    if db.get_database_backend() == DbBackend::Sqlite {
        create_embedded_schema(&db).await?;
        Ok((db, Reachability::unwatched()))
    } else {
        require_tables(&db).await?;
        for index in indexes::missing_indexes(&db).await? {
            tracing::warn!(
                index = index.name,
                serves = index.serves,
                create = %index.create_concurrently_sql(),
                "an index the service relies on is missing: those requests slow down as the table grows"
            );
        }
        let options = (*db.get_postgres_connection_pool().connect_options()).clone();
        let reachability = Reachability::watch(options, config.ping_timeout(), move || {
            connections.renew_all()
        });
        Ok((db, reachability))
    }
}

/// Opens the pool, and nothing more; `connections` says which of its
/// connections are too old to hand out.
async fn open(
    config: &DatabaseConfig,
    connections: Arc<ConnectionAge>,
) -> Result<DatabaseConnection, DbErr> {
    let target = config.target().map_err(DbErr::Custom)?;
    let mut options = match &target {
        DatabaseTarget::PostgresUrl(url) | DatabaseTarget::Sqlite(url) => {
            ConnectOptions::new(url.clone())
        }
        // The parts are set field by field below rather than through a URL,
        // so that no character of a password needs escaping.
        DatabaseTarget::Postgres(_) => ConnectOptions::new("postgres://"),
    };
    let parts = match &target {
        DatabaseTarget::Postgres(parts) => Some(parts.clone()),
        _ => None,
    };
    let sqlite = matches!(target, DatabaseTarget::Sqlite(_));
    // A URL without sslmode would negotiate TLS when offered, which on
    // loopback protects nothing and cost a fifth of a GET's throughput
    // (docs/performance.md): there it means `DATABASE_SSLMODE`'s default.
    let url_without_sslmode =
        matches!(&target, DatabaseTarget::PostgresUrl(url) if !url.contains("sslmode"));
    let default_pool = if sqlite {
        DEFAULT_SQLITE_POOL
    } else {
        DEFAULT_POSTGRES_POOL
    };
    let session = PgSession {
        parts,
        url_without_sslmode,
        statement_timeout: config.statement_timeout().as_millis().to_string(),
    };
    if !sqlite {
        let url = match &target {
            DatabaseTarget::PostgresUrl(url) => url.as_str(),
            _ => "postgres://",
        };
        let opts = url
            .parse::<PgConnectOptions>()
            .map_err(|err| DbErr::Custom(format!("DATABASE_URL: {err}")))?;
        probe(&session.apply(opts), config.ping_timeout()).await?;
    }
    options
        .map_sqlx_postgres_before_acquire(move |conn, meta| {
            let connections = connections.clone();
            Box::pin(async move { connections.connection_is_current(conn, meta.age).await })
        })
        .test_before_acquire_if_idle_for(PING_WHEN_IDLE_FOR)
        .max_connections(config.max_connections.unwrap_or(default_pool))
        .min_connections(1)
        // A request queues for a busy pool (the watchdog answers 503 should
        // the database stop answering); a connection that does not open
        // within the ping timeout means a database that does not answer.
        .acquire_timeout(config.acquire_timeout())
        .connect_timeout(config.ping_timeout())
        .sqlx_logging(false)
        .map_sqlx_postgres_opts({
            let session = session.clone();
            move |opts| session.apply(opts)
        })
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
                .foreign_keys(true)
                // 1 MiB of page cache a connection (SQLite's default is 2):
                // as fast under load, in less memory.
                .pragma("cache_size", "-1024")
                .create_if_missing(true)
                // `REGEXP`, for a search that folds case as PostgreSQL does.
                .with_regexp()
        });
    if sqlite && is_in_memory(&target) {
        // Each connection to `sqlite::memory:` is a database of its own, gone
        // when the connection closes: keep exactly one, for good.
        options
            .max_connections(1)
            .idle_timeout(None::<Duration>)
            .max_lifetime(None::<Duration>);
    }
    Database::connect(options).await
}

/// How the service's PostgreSQL sessions are set up, the same for the pool
/// and for the probe.
#[derive(Clone)]
struct PgSession {
    parts: Option<crate::config::PostgresParts>,
    url_without_sslmode: bool,
    statement_timeout: String,
}

impl PgSession {
    fn apply(&self, mut opts: PgConnectOptions) -> PgConnectOptions {
        if let Some(parts) = &self.parts {
            opts = opts
                .host(&parts.host)
                .port(parts.port)
                .username(&parts.user)
                .password(parts.password.expose_secret())
                .database(&parts.dbname)
                .ssl_mode(pg_ssl_mode(parts.sslmode));
        }
        if self.url_without_sslmode && is_loopback(&opts) {
            opts = opts.ssl_mode(PgSslMode::Disable);
        }
        opts.options([
            // No statement may hold a connection for ever.
            ("statement_timeout", self.statement_timeout.as_str()),
            // Compiling a statement to machine code takes milliseconds;
            // none of the service's statements runs long enough to win
            // them back.
            ("jit", "off"),
        ])
    }
}

/// One connection outside the pool, to say why PostgreSQL cannot be reached
/// (the pool only says it timed out): refused or unresolved is an outage,
/// retried; a wrong password or database name is a setting to fix.
async fn probe(opts: &PgConnectOptions, timeout: Duration) -> Result<(), DbErr> {
    use sea_orm::sqlx::{Connection, Error as SqlxError, postgres::PgConnection};
    let at = format!("{}:{}", opts.get_host(), opts.get_port());
    let outage = |message: String| DbErr::Conn(RuntimeErr::Internal(message));
    let err = match tokio::time::timeout(timeout, PgConnection::connect_with(opts)).await {
        Ok(Ok(connection)) => {
            let _ = connection.close().await;
            return Ok(());
        }
        Ok(Err(err)) => err,
        Err(_) => {
            return Err(outage(format!(
                "PostgreSQL at {at} did not answer within {} ms (DATABASE_PING_TIMEOUT_MS)",
                timeout.as_millis()
            )));
        }
    };
    let code = err
        .as_database_error()
        .and_then(|db| db.code().map(|code| code.into_owned()));
    Err(match (&err, code.as_deref()) {
        (SqlxError::Io(io), _) if io.kind() == std::io::ErrorKind::ConnectionRefused => outage(
            format!("connection refused at {at}: is PostgreSQL running and listening there?"),
        ),
        (SqlxError::Io(io), _) if io.to_string().contains("lookup") => outage(format!(
            "unknown host {}: the name does not resolve ({io})",
            opts.get_host()
        )),
        (_, Some("28P01" | "28000")) => DbErr::Custom(format!(
            "authentication failed for user {} at {at}: check DATABASE_USER and \
             DATABASE_PASSWORD (or DATABASE_URL)",
            opts.get_username()
        )),
        (_, Some("3D000")) => {
            let name = opts.get_database().unwrap_or_else(|| opts.get_username());
            DbErr::Custom(format!(
                "database {name} does not exist at {at}: create it (createdb {name}), then \
                 run `model-registry migrate` to create the registry's tables"
            ))
        }
        _ => outage(format!("cannot connect to PostgreSQL at {at}: {err}")),
    })
}

/// A database error as one line for an operator, without sea-orm's
/// `Custom Error:` or `Connection Error:` in front of our own words.
pub fn describe(err: &DbErr) -> String {
    match err {
        DbErr::Custom(message) | DbErr::Conn(RuntimeErr::Internal(message)) => message.clone(),
        other => other.to_string(),
    }
}

/// How current the pool's PostgreSQL connections are: when a table has
/// doubled or halved, or after an outage, older connections are replaced on
/// their next use (docs/performance.md, "As fast after the data has grown").
struct ConnectionAge {
    started: Instant,
    /// When the sizes were last read, in nanoseconds since `started`.
    checked_at: AtomicU64,
    /// When the sizes last changed by half or more, or the database last
    /// failed to answer: connections older than this are replaced.
    changed_at: AtomicU64,
    /// The two tables' sizes in bytes at that change.
    sizes: Mutex<[i64; 2]>,
}

/// How often the tables' sizes are read.
const SIZE_CHECK_INTERVAL: Duration = Duration::from_secs(1);
/// Sizes below this count as this: a table's first pages do not churn the
/// pool (a plan for 64 KiB of rows is as good as any up to 128 KiB).
const SIZE_FLOOR: i64 = 64 * 1024;

impl ConnectionAge {
    fn new() -> Self {
        ConnectionAge {
            started: Instant::now(),
            checked_at: AtomicU64::new(0),
            changed_at: AtomicU64::new(0),
            sizes: Mutex::new([SIZE_FLOOR; 2]),
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    /// Whether a connection of this age may be handed out; reads the
    /// tables' sizes on it when a check is due.
    async fn connection_is_current(
        &self,
        conn: &mut sea_orm::sqlx::PgConnection,
        age: Duration,
    ) -> Result<bool, sea_orm::sqlx::Error> {
        let now = self.now();
        let checked = self.checked_at.load(Ordering::Relaxed);
        let due = now.saturating_sub(checked) >= SIZE_CHECK_INTERVAL.as_nanos() as u64;
        if due
            && self
                .checked_at
                .compare_exchange(checked, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            let sizes: (i64, i64) = sea_orm::sqlx::query_as(
                "SELECT pg_relation_size($1::text::regclass), pg_relation_size($2::text::regclass)",
            )
            .bind(model::Entity.table_name())
            .bind(version::Entity.table_name())
            .fetch_one(&mut *conn)
            .await?;
            self.observe([sizes.0, sizes.1], now);
        }
        let changed = self.changed_at.load(Ordering::Relaxed);
        let opened_at = now.saturating_sub(u64::try_from(age.as_nanos()).unwrap_or(u64::MAX));
        Ok(opened_at >= changed)
    }

    /// Replaces every connection opened until now, on its next use.
    fn renew_all(&self) {
        self.changed_at.store(self.now(), Ordering::Relaxed);
    }

    fn observe(&self, sizes: [i64; 2], now: u64) {
        let Ok(mut known) = self.sizes.lock() else {
            return;
        };
        let sizes = sizes.map(|size| size.max(SIZE_FLOOR));
        let changed = sizes
            .iter()
            .zip(known.iter())
            .any(|(size, known)| *size >= known * 2 || size * 2 <= *known);
        if changed {
            *known = sizes;
            self.changed_at.store(now, Ordering::Relaxed);
            tracing::debug!(sizes = ?sizes, "tables' sizes changed by half or more: connections renewed so that their statements are planned again");
        }
    }
}

fn is_in_memory(target: &DatabaseTarget) -> bool {
    matches!(target, DatabaseTarget::Sqlite(url) if url.contains(":memory:") || url.contains("mode=memory"))
}

fn is_loopback(opts: &PgConnectOptions) -> bool {
    let host = opts.get_host();
    opts.get_socket().is_some()
        || host.starts_with('/')
        || host == "localhost"
        || host
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn pg_ssl_mode(mode: SslMode) -> PgSslMode {
    match mode {
        SslMode::Disable => PgSslMode::Disable,
        SslMode::Allow => PgSslMode::Allow,
        SslMode::Prefer => PgSslMode::Prefer,
        SslMode::Require => PgSslMode::Require,
        SslMode::VerifyCa => PgSslMode::VerifyCa,
        SslMode::VerifyFull => PgSslMode::VerifyFull,
    }
}

/// Fails with a clear message when CMP's tables, or a column added since,
/// are missing, rather than on the first request.
async fn require_tables(db: &DatabaseConnection) -> Result<(), DbErr> {
    for table in TABLES {
        let probe = format!("SELECT 1 FROM {table} WHERE 1 = 0");
        match db.execute_unprepared(&probe).await {
            Ok(_) => {}
            Err(err) if sqlstate(&err).as_deref() == Some("42P01") => {
                return Err(DbErr::Custom(format!(
                    "table {table} does not exist in this database: run `model-registry \
                     migrate` to create the registry's tables (on a development database; \
                     in production CMP's migrations make them)"
                )));
            }
            Err(err) => {
                return Err(DbErr::Custom(format!(
                    "table {table} is not readable: {}",
                    describe(&err)
                )));
            }
        }
    }
    for added in &ADDED_COLUMNS {
        if lacks_column(db, added).await? {
            return Err(DbErr::Custom(format!(
                "column {}.{} does not exist in this database: run `model-registry \
                 migrate` to add it (on a development database; in production CMP's \
                 migrations add it)",
                added.table, added.column
            )));
        }
    }
    Ok(())
}

fn sqlstate(err: &DbErr) -> Option<String> {
    match err {
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => e
            .as_database_error()
            .and_then(|db| db.code().map(|code| code.into_owned())),
        _ => None,
    }
}

/// The `application_name` of the feed publisher's connection.
pub const PUBLISHER_APPLICATION_NAME: &str = "model-registry publisher";
/// The `application_name`s of the webhooks' fan-out and deliveries.
pub const FAN_OUT_APPLICATION_NAME: &str = "model-registry webhooks";
pub const DELIVERIES_APPLICATION_NAME: &str = "model-registry deliveries";
/// The `application_name` of retention's connection (and, on SQLite, of
/// the watch for other processes' events).
pub const HOUSEKEEPING_APPLICATION_NAME: &str = "model-registry housekeeping";

/// A connection of the publisher's own, apart from the pool's, since it
/// holds a session's lock (PostgreSQL); on SQLite, the pool itself. Opened
/// lazily, and again after it is lost.
pub fn publisher_connection(db: &DatabaseConnection) -> DatabaseConnection {
    own_pool(db, PUBLISHER_APPLICATION_NAME, 1)
}

/// A pool of `size` connections apart from the API's, so that background
/// work never takes the connections requests wait for (nor counts in their
/// statements); an in-memory SQLite database shares its one. Opened lazily.
pub fn own_pool(db: &DatabaseConnection, application_name: &str, size: u32) -> DatabaseConnection {
    if db.get_database_backend() == DbBackend::Sqlite {
        let options = (*db.get_sqlite_connection_pool().connect_options()).clone();
        // An in-memory database is the one connection that holds it.
        if options.get_filename().to_string_lossy().contains("memory") {
            return db.clone();
        }
        let pool = sea_orm::sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(size)
            .connect_lazy_with(options);
        return sea_orm::SqlxSqliteConnector::from_sqlx_sqlite_pool(pool);
    }
    let options = (*db.get_postgres_connection_pool().connect_options()).clone();
    let pool = sea_orm::sqlx::postgres::PgPoolOptions::new()
        .max_connections(size)
        // A session lock lives as long as its connection: never retired.
        .max_lifetime(None)
        .idle_timeout(None)
        // Plans per execution, no bitmap scans, commits that do not wait for
        // the WAL (a crash redoes this work, never loses it), and a peer
        // gone silent dropped in 11 s with its session lock: docs/design.md.
        .connect_lazy_with(options.application_name(application_name).options([
            ("plan_cache_mode", "force_custom_plan"),
            ("enable_bitmapscan", "off"),
            ("synchronous_commit", "off"),
            ("tcp_keepalives_idle", "5"),
            ("tcp_keepalives_interval", "2"),
            ("tcp_keepalives_count", "3"),
        ]));
    sea_orm::SqlxPostgresConnector::from_sqlx_postgres_pool(pool)
}

/// Creates the embedded database's tables from the entities, and the same
/// indexes as `scripts/schema.sql`. Idempotent.
pub async fn create_embedded_schema(db: &DatabaseConnection) -> Result<(), DbErr> {
    let schema = Schema::new(DbBackend::Sqlite);
    for mut table in [
        registry_table(schema.create_table_from_entity(model::Entity)),
        registry_table(schema.create_table_from_entity(version::Entity)),
        registry_table(schema.create_table_from_entity(alias::Entity)),
        schema.create_table_from_entity(event::Entity),
        schema.create_table_from_entity(webhook::Entity),
        registry_table(schema.create_table_from_entity(webhook_delivery::Entity)),
        schema.create_table_from_entity(event_retention::Entity),
        schema.create_table_from_entity(event_publication::Entity),
        schema.create_table_from_entity(user::Entity),
        schema.create_table_from_entity(region::Entity),
    ] {
        db.execute(table.if_not_exists()).await?;
    }
    // The unique names with the scope first, as in the contract's DDL:
    // `(project_id, name)` also orders a project's models by name.
    db.execute_unprepared(
        "CREATE UNIQUE INDEX IF NOT EXISTS model_registry_model_name_per_project \
         ON model_registry_registered_model (project_id, name); \
         CREATE UNIQUE INDEX IF NOT EXISTS model_registry_version_name_per_model \
         ON model_registry_model_version (registered_model_id, name); \
         CREATE UNIQUE INDEX IF NOT EXISTS model_registry_alias_name_per_model \
         ON model_registry_model_alias (registered_model_id, alias)",
    )
    .await?;
    for index in indexes::INDEXES {
        match index.on_sqlite() {
            true => db.execute_unprepared(&index.create_sql()).await?,
            // A database made by an earlier build may still have it.
            false => db.execute_unprepared(&index.drop_sql()).await?,
        };
    }
    add_missing_columns(db).await
}

/// A column added to a table after it was first made, and the statements
/// that add it to an older database, filling in the rows already there.
struct AddedColumn {
    table: &'static str,
    column: &'static str,
    postgres: &'static str,
    sqlite: &'static str,
}

/// `migrate` and the embedded database's start add these where missing
/// (CMP's own migrations do the same on its tables).
const ADDED_COLUMNS: [AddedColumn; 1] = [AddedColumn {
    table: "model_registry_model_alias",
    column: "project_id",
    postgres: "ALTER TABLE model_registry_model_alias ADD COLUMN project_id UUID; \
        UPDATE model_registry_model_alias a SET project_id = m.project_id \
        FROM model_registry_registered_model m WHERE m.id = a.registered_model_id; \
        ALTER TABLE model_registry_model_alias ALTER COLUMN project_id SET NOT NULL",
    sqlite: "ALTER TABLE model_registry_model_alias ADD COLUMN project_id uuid_text; \
        UPDATE model_registry_model_alias SET project_id = (SELECT m.project_id \
        FROM model_registry_registered_model m \
        WHERE m.id = model_registry_model_alias.registered_model_id)",
}];

/// Adds each of `ADDED_COLUMNS` that a table of the database lacks.
async fn add_missing_columns(db: &DatabaseConnection) -> Result<(), DbErr> {
    use sea_orm::TransactionTrait;
    for added in &ADDED_COLUMNS {
        if lacks_column(db, added).await? {
            let upgrade = match db.get_database_backend() {
                DbBackend::Sqlite => added.sqlite,
                _ => added.postgres,
            };
            let txn = db.begin().await?;
            txn.execute_unprepared(upgrade).await?;
            txn.commit().await?;
        }
    }
    Ok(())
}

/// Whether the column's table is there without the column.
async fn lacks_column(db: &DatabaseConnection, added: &AddedColumn) -> Result<bool, DbErr> {
    let (table, column) = (added.table, added.column);
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Sqlite => format!(
            "SELECT COUNT(*) > 0 AND SUM(name = '{column}') = 0 FROM pragma_table_info('{table}')"
        ),
        _ => format!(
            "SELECT to_regclass('{table}') IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \
             information_schema.columns WHERE table_schema = current_schema() \
             AND table_name = '{table}' AND column_name = '{column}')"
        ),
    };
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(backend, sql))
        .await?;
    Ok(match row {
        Some(row) => row.try_get_by_index(0)?,
        None => false,
    })
}

/// A registry table as the entity declares it, with foreign keys only
/// between the registry's tables: the embedded user and region tables start
/// empty, so any UUID is taken there, as the contract's DDL does.
fn registry_table(mut from_entity: TableCreateStatement) -> TableCreateStatement {
    let mut table = Table::create();
    if let Some(name) = from_entity.get_table_name() {
        table.table(name.clone());
    }
    for column in from_entity.get_columns() {
        table.col(column.clone());
    }
    for index in from_entity.get_indexes() {
        table.index(&mut index.clone());
    }
    for key in from_entity.take().get_foreign_key_create_stmts() {
        let columns = key.get_foreign_key().get_columns();
        if columns == ["registered_model_id"]
            || columns == ["parent_model_id"]
            || columns == ["version_id"]
            || columns == ["webhook_id"]
        {
            table.foreign_key(&mut key.clone());
        }
    }
    table
}

/// `scripts/schema.sql`, the DDL of CMP's tables and the indexes.
pub const SCHEMA_SQL: &str = include_str!("../../scripts/schema.sql");

/// The tables `scripts/schema.sql` creates.
const TABLES: [&str; 10] = [
    "model_registry_registered_model",
    "model_registry_model_version",
    "model_registry_model_alias",
    "model_registry_event",
    "model_registry_event_retention",
    "model_registry_event_publication",
    "model_registry_webhook",
    "model_registry_webhook_delivery",
    "tenant_user",
    "organization_region",
];

/// What `migrate` did.
pub enum Migrated {
    /// The embedded database makes its own schema; nothing to do.
    Embedded,
    /// Tables were created (and any missing index).
    Created(Vec<String>),
    /// Every table was there, in the right shape (missing indexes added).
    UpToDate,
}

/// Applies `scripts/schema.sql` to a development PostgreSQL database,
/// idempotently. Refuses, changing nothing, when a table exists with
/// another shape than the script's.
pub async fn migrate(config: &DatabaseConfig) -> Result<Migrated, String> {
    if matches!(config.target()?, DatabaseTarget::Sqlite(_)) {
        return Ok(Migrated::Embedded);
    }
    let db = open(config, Arc::new(ConnectionAge::new()))
        .await
        .map_err(|e| format!("database: {}", describe(&e)))?;
    add_missing_columns(&db)
        .await
        .map_err(|e| format!("adding the columns added since: {e}"))?;
    let expected = expected_columns(&db)
        .await
        .map_err(|e| format!("database: {e}"))?;
    let existing = columns(&db, "current_schema()")
        .await
        .map_err(|e| format!("database: {e}"))?;
    let mut differences = Vec::new();
    let mut missing = Vec::new();
    for table in TABLES {
        match (existing.get(table), expected.get(table)) {
            (None, _) => missing.push(table.to_string()),
            (Some(have), Some(want)) if have != want => {
                for column in want.difference(have) {
                    differences.push(format!("{table}: expected {column}"));
                }
                for column in have.difference(want) {
                    differences.push(format!("{table}: unexpected {column}"));
                }
            }
            _ => {}
        }
    }
    if !differences.is_empty() {
        return Err(format!(
            "refusing to migrate: tables exist with another shape than scripts/schema.sql:\n  {}",
            differences.join("\n  ")
        ));
    }
    db.execute_unprepared(SCHEMA_SQL)
        .await
        .map_err(|e| format!("applying scripts/schema.sql: {e}"))?;
    db.close().await.ok();
    Ok(if missing.is_empty() {
        Migrated::UpToDate
    } else {
        Migrated::Created(missing)
    })
}

/// The indexes of `indexes::INDEXES` that the configured PostgreSQL database
/// lacks; `None` for the embedded database, which creates its own.
pub async fn check_indexes(
    config: &DatabaseConfig,
) -> Result<Option<Vec<&'static indexes::IndexSpec>>, String> {
    if matches!(config.target()?, DatabaseTarget::Sqlite(_)) {
        return Ok(None);
    }
    let db = open(config, Arc::new(ConnectionAge::new()))
        .await
        .map_err(|e| format!("database: {}", describe(&e)))?;
    // Indexes of tables that are not there would all be "missing".
    require_tables(&db)
        .await
        .map_err(|e| format!("database: {}", describe(&e)))?;
    let missing = indexes::missing_indexes(&db)
        .await
        .map_err(|e| format!("database: {e}"))?;
    db.close().await.ok();
    Ok(Some(missing))
}

type Shapes = std::collections::BTreeMap<String, std::collections::BTreeSet<String>>;

/// The columns `scripts/schema.sql` makes, read from a scratch schema that
/// a rolled-back transaction creates and throws away.
async fn expected_columns(db: &DatabaseConnection) -> Result<Shapes, DbErr> {
    use sea_orm::TransactionTrait;
    let txn = db.begin().await?;
    let scratch = format!("model_registry_migrate_{}", std::process::id());
    txn.execute_unprepared(&format!(
        "CREATE SCHEMA {scratch}; SET LOCAL search_path TO {scratch}; {SCHEMA_SQL}"
    ))
    .await?;
    let shapes = columns(&txn, &format!("'{scratch}'")).await;
    txn.rollback().await?;
    shapes
}

/// `table → {"column type NULL|NOT NULL"}` for the registry's tables in a schema.
async fn columns(db: &impl ConnectionTrait, schema: &str) -> Result<Shapes, DbErr> {
    let sql = format!(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
         FROM information_schema.columns WHERE table_schema = {schema} \
         AND table_name IN ('{}')",
        TABLES.join("', '")
    );
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(DbBackend::Postgres, sql))
        .await?;
    let mut shapes = Shapes::new();
    for row in rows {
        let table: String = row.try_get_by_index(0)?;
        let column: String = row.try_get_by_index(1)?;
        let data_type: String = row.try_get_by_index(2)?;
        let nullable: String = row.try_get_by_index(3)?;
        let null = if nullable == "YES" {
            "NULL"
        } else {
            "NOT NULL"
        };
        shapes
            .entry(table)
            .or_default()
            .insert(format!("{column} {data_type} {null}"));
    }
    Ok(shapes)
}

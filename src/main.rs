//! Start-up only: the command line, configuration → logging → database →
//! serve (or one of the operator's commands).

use std::{io::IsTerminal, process::ExitCode};

use clap::{
    ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, parser::ValueSource,
};
use model_registry::{
    Application,
    config::{Config, LogConfig, LogFormat, Overrides},
    db::Migrated,
};
use tracing_subscriber::EnvFilter;

// glibc's allocator spent a fifth of the CPU of a GET under load (arena
// contention and consolidation across the runtime's threads).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// ML model registry: registered models, their versions and artifacts, per
/// project, behind a JSON REST API.
///
/// Settings: defaults < a TOML file (model-registry.toml, or --config) <
/// environment variables < flags. Each flag below names its variable; the
/// others are in docs/configuration.md. With no database configured it
/// uses an embedded SQLite file in the working directory.
#[derive(Debug, Parser)]
#[command(name = "model-registry", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

/// Where the settings come from, for every command that reads them.
#[derive(Debug, Args)]
struct Source {
    /// A TOML file of settings (its keys: docs/configuration.md)
    /// [default: model-registry.toml, when there]
    #[arg(long = "config", value_name = "FILE", env = "CONFIG_FILE")]
    config_file: Option<std::path::PathBuf>,
    /// The database: a postgres:// or sqlite: URL [default: the embedded
    /// SQLite file, DATABASE_SQLITE_PATH]
    #[arg(long, value_name = "URL", env = "DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
}

/// What `serve` (and `config`, to show its effect) also takes.
#[derive(Debug, Args)]
struct Serving {
    /// The address to listen on
    #[arg(
        long,
        value_name = "ADDRESS",
        env = "SERVER_HOST",
        default_value = "0.0.0.0"
    )]
    bind: Option<String>,
    /// The port to listen on (0: any free one)
    #[arg(long, value_name = "PORT", env = "SERVER_PORT", default_value = "8080")]
    port: Option<String>,
    /// A tracing filter (RUST_LOG wins when set)
    #[arg(long, value_name = "FILTER", env = "LOG_LEVEL", default_value = "info")]
    log_level: Option<String>,
    /// text for people, json for log collectors
    #[arg(
        long,
        value_name = "FORMAT",
        env = "LOG_FORMAT",
        default_value = "text"
    )]
    log_format: Option<String>,
    #[command(flatten)]
    source: Source,
}

/// Each flag that sets a configuration key: (argument id, flag, key).
const FLAGS: [(&str, &str, &str); 5] = [
    ("bind", "--bind", "server.host"),
    ("port", "--port", "server.port"),
    ("log_level", "--log-level", "log.level"),
    ("log_format", "--log-format", "log.format"),
    ("database_url", "--database-url", "database.url"),
];

/// The flags given on the command line (not those clap read from the
/// environment or its defaults: the configuration reads those itself, in
/// their place between the file and the flags).
fn overrides(matches: Option<&ArgMatches>) -> Overrides {
    let Some(matches) = matches else {
        return Overrides::default();
    };
    let given = |id: &str| {
        matches.try_get_raw(id).is_ok_and(|raw| raw.is_some())
            && matches.value_source(id) == Some(ValueSource::CommandLine)
    };
    let values = FLAGS
        .iter()
        .filter(|(id, ..)| given(id))
        .filter_map(|(id, flag, key)| {
            let text = matches.get_one::<String>(id)?;
            Some((*flag, *key, text.clone()))
        })
        .collect();
    let config_file = given("config_file")
        .then(|| {
            matches
                .get_one::<std::path::PathBuf>("config_file")
                .cloned()
        })
        .flatten();
    Overrides {
        config_file,
        values,
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API (what runs with no command): until SIGTERM or SIGINT,
    /// retrying while the database is unreachable at start-up.
    Serve(Serving),
    /// Create the registry's tables and indexes (scripts/schema.sql) in a
    /// development PostgreSQL database. Idempotent; adds the columns added
    /// since the tables were made, filling in their rows; refuses, changing
    /// nothing, when the tables exist with another shape. In production the
    /// tables belong to CMP: do not run it there.
    Migrate(Source),
    /// Check that a PostgreSQL database has every index the service relies
    /// on: print each missing one with the statement that creates it, and
    /// exit 1 when one is missing (the service logs the same warnings at
    /// start-up, and serves all the same, only slower).
    Check(Source),
    /// Print the OpenAPI document the service serves at /openapi.yaml.
    Openapi {
        /// Print it as JSON (/openapi.json) instead of YAML.
        #[arg(long)]
        json: bool,
    },
    /// Print the effective configuration (defaults, file and environment
    /// merged) as TOML, with passwords and tokens redacted.
    Config(Serving),
    /// Print the SQL of the hot reads (PostgreSQL dialect, `:project`, `:id`
    /// and a page's `:id0`... for the values), one `name<TAB>statement` a
    /// line: what scripts/bench.sh runs through EXPLAIN and pgbench.
    Sql,
}

#[tokio::main]
async fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => err.exit(),
    };
    if let Some(Command::Openapi { json }) = cli.command {
        return print_openapi(json);
    }
    if let Some(Command::Sql) = cli.command {
        let lines: String = model_registry::store::printed_statements()
            .into_iter()
            .map(|(name, sql)| format!("{name}\t{sql}\n"))
            .collect();
        return emit(&lines);
    }
    let config =
        match Config::load_with(&overrides(matches.subcommand().map(|(_, command)| command))) {
            Ok(config) => config,
            Err(err) => {
                eprintln!("model-registry: invalid configuration: {err}");
                return ExitCode::from(2);
            }
        };
    match cli.command {
        Some(Command::Config(_)) => return print_config(&config),
        Some(Command::Migrate(_)) => return migrate(&config).await,
        Some(Command::Check(_)) => return check(&config).await,
        Some(Command::Serve(_) | Command::Openapi { .. } | Command::Sql) | None => {}
    }
    if let Err(err) = init_logging(&config.log) {
        eprintln!("model-registry: invalid configuration: {err}");
        return ExitCode::from(2);
    }
    let database = config
        .database
        .target()
        .map(|target| target.describe())
        .unwrap_or_default();
    tracing::info!(%database, "starting");
    let token = if config.auth.tokens().is_empty() {
        "not required"
    } else {
        "required (Authorization: Bearer)"
    };
    let shutdown = Shutdown::listen();
    let app = tokio::select! {
        built = Application::build(config) => match built {
            Ok(app) => app,
            Err(err) => {
                tracing::error!("cannot start: {err}");
                return ExitCode::from(err.exit_code());
            }
        },
        () = shutdown.requested() => {
            tracing::info!("stopped before the database was reachable");
            return ExitCode::SUCCESS;
        }
    };
    if let Some(address) = app.local_addr() {
        tracing::info!(
            %address,
            docs = %docs_url(address),
            %database,
            token,
            "listening"
        );
    }
    match app.run_until(shutdown.requested()).await {
        Ok(()) => {
            tracing::info!("stopped");
            ExitCode::SUCCESS
        }
        Err(err) => {
            tracing::error!("server error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Where a browser on this machine finds Swagger UI: an unspecified
/// address (listening on all of them) is reached as localhost.
fn docs_url(address: std::net::SocketAddr) -> String {
    if address.ip().is_unspecified() {
        format!("http://localhost:{}/docs", address.port())
    } else {
        format!("http://{address}/docs")
    }
}

fn print_openapi(json: bool) -> ExitCode {
    if !json {
        return emit(model_registry::api::docs::SPEC_YAML);
    }
    match model_registry::api::docs::spec_json() {
        Some(document) => emit(&format!("{document}\n")),
        None => {
            eprintln!("model-registry: the OpenAPI document does not parse");
            ExitCode::FAILURE
        }
    }
}

fn print_config(config: &Config) -> ExitCode {
    match toml::to_string(&config.redacted()) {
        Ok(text) => {
            let target = config
                .database
                .target()
                .map(|target| target.describe())
                .unwrap_or_default();
            emit(&format!("{text}\n# database in use: {target}\n"))
        }
        Err(err) => {
            eprintln!("model-registry: cannot print the configuration: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn migrate(config: &Config) -> ExitCode {
    match model_registry::db::migrate(&config.database).await {
        Ok(Migrated::Embedded) => {
            println!("the embedded database creates its own schema at start-up: nothing to do");
            ExitCode::SUCCESS
        }
        Ok(Migrated::Created(tables)) => {
            println!("created {}", tables.join(", "));
            ExitCode::SUCCESS
        }
        Ok(Migrated::UpToDate) => {
            println!("the tables are there, in the shape of scripts/schema.sql: up to date");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("model-registry: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn check(config: &Config) -> ExitCode {
    let all = model_registry::db::indexes::INDEXES.len();
    match model_registry::db::check_indexes(&config.database).await {
        Ok(None) => {
            println!("the embedded database creates its own indexes at start-up: nothing to check");
            ExitCode::SUCCESS
        }
        Ok(Some(missing)) if missing.is_empty() => {
            println!("all {all} indexes the service relies on are there");
            ExitCode::SUCCESS
        }
        Ok(Some(missing)) => {
            for index in &missing {
                println!(
                    "missing index {} (serves {}):\n  {};",
                    index.name,
                    index.serves,
                    index.create_concurrently_sql()
                );
            }
            println!(
                "{} of {all} indexes missing; CMP's migrations (deploy/cmp/model_registry/migrations) create them all",
                missing.len()
            );
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("model-registry: {err}");
            ExitCode::from(2)
        }
    }
}

/// Writes to standard output; a closed pipe (`| head`) is not an error.
fn emit(text: &str) -> ExitCode {
    use std::io::Write;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("model-registry: {err}");
            ExitCode::FAILURE
        }
    }
}

/// `RUST_LOG` wins over `LOG_LEVEL`. The database drivers stay at `warn`
/// whatever is asked: at debug and trace they would log statements with
/// their bound values, secrets included.
fn init_logging(log: &LogConfig) -> Result<(), String> {
    let mut filter = match EnvFilter::try_from_default_env() {
        Ok(filter) => filter,
        Err(_) => EnvFilter::try_new(&log.level).map_err(|e| format!("LOG_LEVEL: {e}"))?,
    };
    for quiet in ["sea_orm=warn", "sqlx=warn", "sea_query=warn"] {
        if let Ok(directive) = quiet.parse() {
            filter = filter.add_directive(directive);
        }
    }
    let logs = tracing_subscriber::fmt().with_env_filter(filter);
    match log.format {
        LogFormat::Text => logs.with_ansi(std::io::stdout().is_terminal()).init(),
        LogFormat::Json => logs.json().with_current_span(true).init(),
    }
    Ok(())
}

/// SIGINT or SIGTERM, as a future any part of start-up can wait on.
#[derive(Clone)]
struct Shutdown(tokio::sync::watch::Receiver<bool>);

impl Shutdown {
    fn listen() -> Self {
        let (requested, receiver) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            signal().await;
            tracing::info!("shutting down: finishing in-flight requests");
            let _ = requested.send(true);
        });
        Shutdown(receiver)
    }

    async fn requested(&self) {
        let mut receiver = self.0.clone();
        // An error means the sender is gone, which only happens after it sent.
        let _ = receiver.wait_for(|requested| *requested).await;
    }
}

async fn signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}

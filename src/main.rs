//! Start-up only: configuration → logging → database → serve.

use std::{io::IsTerminal, process::ExitCode};

use model_registry::{
    Application,
    config::{Config, LogConfig, LogFormat},
};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::load() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("model-registry: invalid configuration: {err}");
            return ExitCode::from(2);
        }
    };
    if let Err(err) = init_logging(&config.log) {
        eprintln!("model-registry: invalid configuration: {err}");
        return ExitCode::from(2);
    }
    if let Ok(target) = config.database.target() {
        tracing::info!(database = %target.describe(), "starting");
    }
    let shutdown = Shutdown::listen();
    let app = tokio::select! {
        built = Application::build(config) => match built {
            Ok(app) => app,
            Err(err) => {
                tracing::error!("cannot start: {err}");
                return ExitCode::FAILURE;
            }
        },
        () = shutdown.requested() => {
            tracing::info!("stopped before the database was reachable");
            return ExitCode::SUCCESS;
        }
    };
    if let Some(address) = app.local_addr() {
        tracing::info!(%address, "listening");
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

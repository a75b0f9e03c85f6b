//! Whether PostgreSQL answers, watched from outside the pool.
//!
//! The pool hands out a connection in use a moment ago without a round trip
//! to test it first (that ping cost about a tenth of a GET's throughput,
//! docs/performance.md). A partition (a database whose bytes stop flowing, with no
//! error) is caught here instead: a connection of the watchdog's own pings
//! the database every `PING_INTERVAL`, and once the database has not
//! answered for the limit (`DATABASE_PING_TIMEOUT_MS`), every request
//! waiting on it is answered 503 at once, and new ones are not sent to it,
//! until it answers again.

use std::time::Duration;

use sea_orm::sqlx::{self, Connection, PgConnection, postgres::PgConnectOptions};
use tokio::{sync::watch, time::Instant};

/// How often the database is asked whether it answers.
const PING_INTERVAL: Duration = Duration::from_millis(200);
/// The watchdog's connection's `application_name`, so that an operator (and
/// a test counting the pool's connections) can tell it apart.
pub const WATCHDOG_APPLICATION_NAME: &str = "model-registry watchdog";

/// Why a request was answered 503 without waiting on the database.
#[derive(Debug, thiserror::Error)]
#[error("the database has not answered within DATABASE_PING_TIMEOUT_MS")]
pub struct NotAnswering;

/// Whether the database answers, as the watchdog last saw it.
#[derive(Debug, Clone)]
pub struct Reachability {
    /// `true` while the database does not answer; `None` for the embedded
    /// database, which is a file and cannot stall.
    lost: Option<watch::Receiver<bool>>,
}

impl Reachability {
    /// Never lost: the embedded database's (a file, which cannot stall),
    /// or a registry's with no database behind it.
    pub fn unwatched() -> Self {
        Reachability { lost: None }
    }

    /// Completes as soon as the database stops answering (at once when it
    /// does not answer now); never while it answers.
    async fn lost(&self) -> NotAnswering {
        if let Some(lost) = &self.lost {
            let mut lost = lost.clone();
            if lost.wait_for(|lost| *lost).await.is_ok() {
                return NotAnswering;
            }
        }
        // The watchdog is gone with the application: nothing is lost.
        std::future::pending().await
    }

    /// Runs `work` unless the database stops answering first (or has
    /// stopped already): the one way a request stops waiting on it.
    pub async fn unless_lost<F: std::future::Future>(
        &self,
        work: F,
    ) -> Result<F::Output, NotAnswering> {
        tokio::select! {
            biased;
            lost = self.lost() => Err(lost),
            done = work => Ok(done),
        }
    }

    /// Starts watching the database; `renew` is called when a ping fails (the
    /// pool's connections may have died too, and are replaced on next use).
    /// It stops when the last `Reachability` is dropped.
    pub(super) fn watch(
        options: PgConnectOptions,
        limit: Duration,
        renew: impl Fn() + Send + 'static,
    ) -> Self {
        let options = options.application_name(WATCHDOG_APPLICATION_NAME);
        let (lost, receiver) = watch::channel(false);
        tokio::spawn(async move {
            let mut connection = None;
            let mut answered = Instant::now();
            while !lost.is_closed() {
                // While the database answers, a ping may take what is left
                // of the limit; once it is lost, a whole limit each time.
                let deadline = if *lost.borrow() {
                    Instant::now() + limit
                } else {
                    answered + limit
                };
                let ping = tokio::time::timeout_at(deadline, ping(&mut connection, &options));
                let answers = match ping.await {
                    Ok(Ok(())) => true,
                    failed => {
                        connection = None;
                        renew();
                        // An error the server sent (too many connections,
                        // shutting down) is an answer: the pool's own
                        // statements tell their requests what went wrong.
                        matches!(failed, Ok(Err(sqlx::Error::Database(_))))
                    }
                };
                if answers {
                    answered = Instant::now();
                    if lost.send_replace(false) {
                        tracing::info!("the database answers again");
                    }
                } else if answered.elapsed() >= limit && !lost.send_replace(true) {
                    tracing::warn!(
                        limit_ms = limit.as_millis() as u64,
                        "the database has not answered within the limit: requests are answered 503 until it does"
                    );
                }
                tokio::time::sleep(PING_INTERVAL).await;
            }
        });
        Reachability {
            lost: Some(receiver),
        }
    }
}

/// One round trip on the watchdog's connection, opening it first if needed.
async fn ping(
    connection: &mut Option<PgConnection>,
    options: &PgConnectOptions,
) -> Result<(), sqlx::Error> {
    let connection = match connection {
        Some(connection) => connection,
        None => connection.insert(PgConnection::connect_with(options).await?),
    };
    connection.ping().await
}

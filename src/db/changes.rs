//! Which projects' feeds have grown, for the readers that wait on them
//! (`GET /events?wait=`), without a reader ever polling the database.
//!
//! A write that appended events says so here once it has committed: the
//! readers of that project in this process wake at once, and on PostgreSQL
//! one `NOTIFY` tells the other processes, whose listening connection wakes
//! theirs. NOTIFY is sent after the commit, batched, from a task of its own:
//! inside the write's transaction it would serialize every commit on
//! PostgreSQL's notification lock (docs/design.md). On SQLite a task looks
//! each second for what other processes on the file appended (`jobs`).

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
    time::Duration,
};

use sea_orm::{
    DatabaseConnection, DbBackend,
    sqlx::{
        self,
        postgres::{PgListener, PgPool, PgPoolOptions},
    },
};
use tokio::sync::{Notify, watch};
use uuid::Uuid;

/// The `application_name` of the connections that listen and tell, so that
/// an operator (and a test counting the pool's connections) can tell them
/// apart.
pub const LISTENER_APPLICATION_NAME: &str = "model-registry listener";
/// The channel the service's processes tell each other on.
const CHANNEL: &str = "model_registry_events";
/// Project ids per NOTIFY: each 36 bytes and a comma, under PostgreSQL's
/// 8000-byte payload limit.
const IDS_PER_NOTIFY: usize = 200;
/// At most one NOTIFY per this interval: writes that commit meanwhile share
/// the next one. (One per write cost PostgreSQL as much as the write.)
const NOTIFY_INTERVAL: Duration = Duration::from_millis(10);
/// How long the listener waits before connecting again after losing its
/// connection.
const RECONNECT_AFTER: Duration = Duration::from_millis(500);

/// The feed's wake-ups, shared by a process's requests.
#[derive(Clone, Default)]
pub struct Changes {
    inner: Arc<Inner>,
}

struct Inner {
    /// Per project being waited on, a counter that moves on each wake-up.
    waiting: Mutex<HashMap<Uuid, watch::Sender<u64>>>,
    /// A counter that moves on every wake-up, of any project.
    any: watch::Sender<u64>,
    /// Projects whose news is still to be told to the other processes.
    untold: Mutex<HashSet<Uuid>>,
    tell: Arc<Notify>,
    /// Dropped with the last `Changes`, which stops the listener.
    open: watch::Sender<()>,
    /// Set when the process stops serving: held reads answer at once.
    stopping: watch::Sender<bool>,
}

impl Default for Inner {
    fn default() -> Self {
        Inner {
            waiting: Mutex::default(),
            any: watch::channel(0).0,
            untold: Mutex::default(),
            tell: Arc::new(Notify::new()),
            open: watch::channel(()).0,
            stopping: watch::channel(false).0,
        }
    }
}

/// A reader's wait on one project's feed (or on every project's).
pub struct Subscription {
    project: Option<Uuid>,
    receiver: watch::Receiver<u64>,
    changes: Changes,
}

impl Subscription {
    /// Completes at the project's next wake-up after the subscription (or
    /// the last completed `changed`).
    pub async fn changed(&mut self) {
        if self.receiver.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let Some(project) = self.project else {
            return;
        };
        let Ok(mut waiting) = self.changes.inner.waiting.lock() else {
            return;
        };
        // This one's receiver is the last: no reader waits on the project.
        if waiting
            .get(&project)
            .is_some_and(|sender| sender.receiver_count() <= 1)
        {
            waiting.remove(&project);
        }
    }
}

impl Changes {
    /// Wake-ups within this process only: the embedded database's, which
    /// one process writes.
    pub fn local() -> Self {
        Changes::default()
    }

    /// Wake-ups across every process on this PostgreSQL database: a
    /// connection of its own listens, and a task tells the others.
    pub fn shared(db: &DatabaseConnection) -> Self {
        let changes = Changes::default();
        if db.get_database_backend() != DbBackend::Postgres {
            return changes;
        }
        // Two connections of their own, apart from the pool's: one listens,
        // one tells.
        let options = (*db.get_postgres_connection_pool().connect_options()).clone();
        let connections = PgPoolOptions::new()
            .max_connections(2)
            .connect_lazy_with(options.application_name(LISTENER_APPLICATION_NAME));
        let closed = changes.inner.open.subscribe();
        tokio::spawn(listen(
            connections.clone(),
            Arc::downgrade(&changes.inner),
            closed,
        ));
        let told = changes.inner.tell.clone();
        let closed = changes.inner.open.subscribe();
        tokio::spawn(tell(
            connections,
            Arc::downgrade(&changes.inner),
            told,
            closed,
        ));
        changes
    }

    /// Events of `projects` appended by another process, seen without a
    /// NOTIFY (SQLite): wakes this process's readers of them.
    pub fn appended_elsewhere(&self, projects: impl IntoIterator<Item = Uuid>) {
        self.inner.wake(projects);
    }

    /// Whether a reader of some project waits.
    pub fn has_waiters(&self) -> bool {
        self.inner
            .waiting
            .lock()
            .is_ok_and(|waiting| !waiting.is_empty())
    }

    /// The process stops serving: held reads answer what they have now,
    /// rather than hold their callers through the shutdown's grace period.
    pub fn stop_waits(&self) {
        self.inner.stopping.send_replace(true);
    }

    pub fn stopping(&self) -> bool {
        *self.inner.stopping.borrow()
    }

    /// Completes once [`Changes::stop_waits`] has been called.
    pub async fn stopped(&self) {
        let mut stopping = self.inner.stopping.subscribe();
        // The sender lives as long as `self`: this only ends when set.
        let _ = stopping.wait_for(|stopping| *stopping).await;
    }

    /// Starts waiting on a project's feed: wake-ups from now on complete
    /// the subscription's `changed`.
    pub fn subscribe(&self, project: Uuid) -> Subscription {
        let receiver = match self.inner.waiting.lock() {
            Ok(mut waiting) => waiting
                .entry(project)
                .or_insert_with(|| watch::channel(0).0)
                .subscribe(),
            // A poisoned lock: a subscription that only its deadline ends.
            Err(_) => watch::channel(0).1,
        };
        Subscription {
            project: Some(project),
            receiver,
            changes: self.clone(),
        }
    }

    /// Starts waiting on every project's feed (the publisher's wait).
    pub fn subscribe_all(&self) -> Subscription {
        Subscription {
            project: None,
            receiver: self.inner.any.subscribe(),
            changes: self.clone(),
        }
    }

    /// A write that appended events of `project` has committed.
    pub fn committed(&self, project: Uuid) {
        self.inner.wake([project]);
        if let Ok(mut untold) = self.inner.untold.lock() {
            untold.insert(project);
        }
        self.inner.tell.notify_one();
    }
}

impl Inner {
    fn wake(&self, projects: impl IntoIterator<Item = Uuid>) {
        let Ok(waiting) = self.waiting.lock() else {
            return;
        };
        let mut any = false;
        for project in projects {
            any = true;
            if let Some(sender) = waiting.get(&project) {
                sender.send_modify(|n| *n = n.wrapping_add(1));
            }
        }
        if any {
            self.any.send_modify(|n| *n = n.wrapping_add(1));
        }
    }

    fn wake_all(&self) {
        let Ok(waiting) = self.waiting.lock() else {
            return;
        };
        for sender in waiting.values() {
            sender.send_modify(|n| *n = n.wrapping_add(1));
        }
        self.any.send_modify(|n| *n = n.wrapping_add(1));
    }
}

/// Tells the other processes, one NOTIFY for all that committed since the
/// last one. Stops with the last `Changes`.
async fn tell(
    connections: PgPool,
    inner: std::sync::Weak<Inner>,
    told: Arc<Notify>,
    mut closed: watch::Receiver<()>,
) {
    loop {
        let projects: Vec<Uuid> = match inner.upgrade().map(|inner| {
            inner
                .untold
                .lock()
                .map(|mut untold| untold.drain().collect())
                .unwrap_or_default()
        }) {
            Some(projects) => projects,
            None => return,
        };
        if projects.is_empty() {
            tokio::select! {
                () = told.notified() => continue,
                _ = closed.changed() => return,
            }
        }
        for chunk in projects.chunks(IDS_PER_NOTIFY) {
            let payload = chunk
                .iter()
                .map(Uuid::to_string)
                .collect::<Vec<_>>()
                .join(",");
            let notify = sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(payload)
                .execute(&connections)
                .await;
            if let Err(err) = notify {
                // The readers of other processes see the events at their
                // next wake-up or deadline; nothing is lost.
                tracing::warn!(error = %err, "could not tell the other processes of new events");
            }
        }
        tokio::time::sleep(NOTIFY_INTERVAL).await;
    }
}

/// Wakes this process's readers of each project another process (or this
/// one) announces; after a lost connection, every reader, since its news
/// may have been missed.
async fn listen(pool: PgPool, inner: std::sync::Weak<Inner>, mut closed: watch::Receiver<()>) {
    tokio::select! {
        () = listen_until_closed(&pool, &inner) => {}
        _ = closed.changed() => {}
    }
    pool.close().await;
}

async fn listen_until_closed(pool: &PgPool, inner: &std::sync::Weak<Inner>) {
    loop {
        let mut listener = match PgListener::connect_with(pool).await {
            Ok(listener) => listener,
            Err(err) => {
                tracing::warn!(error = %err, "the events listener cannot connect; retrying");
                tokio::time::sleep(RECONNECT_AFTER).await;
                continue;
            }
        };
        if let Err(err) = listener.listen(CHANNEL).await {
            tracing::warn!(error = %err, "the events listener cannot LISTEN; retrying");
            tokio::time::sleep(RECONNECT_AFTER).await;
            continue;
        }
        match inner.upgrade() {
            Some(inner) => inner.wake_all(),
            None => return,
        }
        loop {
            match listener.try_recv().await {
                Ok(Some(notification)) => {
                    let Some(inner) = inner.upgrade() else {
                        return;
                    };
                    inner.wake(
                        notification
                            .payload()
                            .split(',')
                            .filter_map(|id| id.parse().ok()),
                    );
                }
                // The connection was lost (and is opened again): whatever
                // was announced meanwhile was missed.
                Ok(None) => match inner.upgrade() {
                    Some(inner) => inner.wake_all(),
                    None => return,
                },
                Err(err) => {
                    tracing::warn!(error = %err, "the events listener failed; reconnecting");
                    tokio::time::sleep(RECONNECT_AFTER).await;
                    break;
                }
            }
        }
    }
}

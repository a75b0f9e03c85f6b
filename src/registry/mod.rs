//! The registry's rules, over one store: what a new model or version is,
//! the default-version rule, the delete rules, `If-Match`, and which writes
//! run in one transaction. `registry.models()` and `registry.versions()`
//! hold the operations; artifacts are versions, under the same rules.

mod aliases;
mod events;
mod models;
mod precondition;
mod versions;
mod webhooks;

pub use aliases::Aliases;
use events::Announcer;
pub use events::{EventPage, Events, REQUEST_ID, WireForm};
pub use models::Models;
pub use precondition::Precondition;
pub use versions::Versions;
pub use webhooks::{DeliveryPage, Due, FreshDelivery, WebhookSettings, Webhooks};

use std::sync::Arc;

use crate::{
    db::{Changes, Reachability},
    domain::Error,
    store::Store,
};
/// The registry's rules over one store.
#[derive(Clone)]
pub struct Registry {
    store: Store,
    /// Whether the store's database answers, as the watchdog sees it.
    database: Reachability,
    /// Wakes the feed's readers when a write commits.
    changes: Changes,
    announcer: Announcer,
    webhooks: WebhookSettings,
}

impl Registry {
    /// `wire` is how the API shows models and versions: events carry it.
    pub fn new(
        store: Store,
        database: Reachability,
        changes: Changes,
        wire: Arc<dyn WireForm>,
    ) -> Self {
        Registry {
            store,
            database,
            announcer: Announcer::new(wire, changes.clone()),
            changes,
            webhooks: WebhookSettings::default(),
        }
    }

    /// The addresses webhooks may name (`WEBHOOK_ALLOWED_NETWORKS`).
    pub fn with_webhook_policy(mut self, policy: crate::outbound::AddressPolicy) -> Self {
        self.webhooks.policy = policy;
        self
    }

    /// The same registry on `store`: background work on a pool of its own.
    pub fn on_store(&self, store: Store) -> Self {
        Registry {
            store,
            ..self.clone()
        }
    }

    /// Webhooks' settings, for the process's deliveries.
    pub fn webhook_settings(&self) -> &WebhookSettings {
        &self.webhooks
    }

    /// The store, for the background work that reads and writes it.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// A registry with no database behind it, for describing the API
    /// without serving it. Every operation fails.
    pub fn unconnected(wire: Arc<dyn WireForm>) -> Self {
        Registry::new(
            Store::unconnected(),
            Reachability::unwatched(),
            Changes::local(),
            wire,
        )
    }

    /// Whether the database answers, for the requests that wait on it.
    pub fn database(&self) -> &Reachability {
        &self.database
    }

    /// The feed's wake-ups: for a task that follows every project's, and
    /// to end held reads when the process stops.
    pub fn changes(&self) -> &Changes {
        &self.changes
    }

    pub fn models(&self) -> Models<'_> {
        Models::new(&self.store, &self.announcer)
    }

    pub fn versions(&self) -> Versions<'_> {
        Versions::new(&self.store, &self.announcer)
    }

    pub fn aliases(&self) -> Aliases<'_> {
        Aliases::new(&self.store, &self.announcer)
    }

    pub fn webhooks(&self) -> Webhooks<'_> {
        Webhooks::new(&self.store, &self.webhooks)
    }

    pub fn events(&self) -> Events<'_> {
        Events::new(&self.store, &self.changes)
    }

    /// Whether the database answers, for `/healthz`: no as soon as the
    /// watchdog finds that it does not, rather than when the ping gives up.
    pub async fn check_health(&self) -> Result<(), Error> {
        self.database
            .unless_lost(self.store.ping())
            .await
            .map_err(|lost| Error::Unavailable(Box::new(lost)))?
    }
}

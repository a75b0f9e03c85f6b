//! The rules of the registry: what a request may change and how, in which
//! transaction. Shapes were checked when the request was parsed; what is
//! left here is what needs the database (existence, uniqueness, the delete
//! rule, the one default version).

mod artifacts;
mod models;
mod versions;

pub use models::slugify;

use crate::{error::Error, store::Store};

/// A caller's `If-Match`, as a test of the resource as it is now: a write
/// goes ahead only when it passes, checked under the lock the write holds.
pub type Precondition<'a, R> = Option<&'a (dyn Fn(&R) -> bool + Send + Sync)>;

/// `Ok` when there is no precondition or `current` passes it.
fn check<R>(precondition: Precondition<'_, R>, current: &R) -> Result<(), Error> {
    match precondition {
        Some(passes) if !passes(current) => Err(Error::PreconditionFailed),
        _ => Ok(()),
    }
}

/// The registry's rules over one store.
#[derive(Clone)]
pub struct Registry {
    store: Store,
}

impl Registry {
    pub fn new(store: Store) -> Self {
        Registry { store }
    }

    /// Whether the database answers, for `/healthz`.
    pub async fn check_health(&self) -> Result<(), sea_orm::DbErr> {
        self.store.ping().await
    }
}

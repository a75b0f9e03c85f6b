//! The rules of the registry: what a request may change and how, in which
//! transaction. Shapes were checked when the request was parsed; what is
//! left here is what needs the database (existence, uniqueness, the delete
//! rule, the one default version).

mod artifacts;
mod models;
mod versions;

pub use models::slugify;

use crate::store::Store;

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

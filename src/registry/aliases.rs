//! Aliases: a model's names for its versions. Each write locks the model,
//! as version writes do, so that a move, a delete of the alias and a
//! delete of the version it names happen one after the other.

use uuid::Uuid;

use super::{
    events::Announcer,
    precondition::{Precondition, check},
};
use crate::{
    domain::{Alias, AliasName, AliasedVersion, Error, MAX_ALIASES_PER_MODEL, Resource},
    store::{Store, Transaction, now},
};

/// The operations on aliases. Each write appends its event in its
/// transaction and wakes the feed's readers once committed.
pub struct Aliases<'r> {
    store: &'r Store,
    announcer: &'r Announcer,
}

impl<'r> Aliases<'r> {
    pub(super) fn new(store: &'r Store, announcer: &'r Announcer) -> Self {
        Aliases { store, announcer }
    }

    /// Points the alias at a version of the model, making it if new; the
    /// caller's `If-Match` is checked against the alias as it is (a new one
    /// passes none). Naming the version it already names changes nothing.
    pub async fn set(
        &self,
        project_id: Uuid,
        model_id: Uuid,
        name: AliasName,
        version_id: Uuid,
        precondition: Option<&Precondition<AliasedVersion>>,
    ) -> Result<Alias, Error> {
        let tx = self.store.begin_write().await?;
        let current = lock(&tx, project_id, model_id, &name, precondition).await?;
        let version = tx
            .versions()
            .get(project_id, version_id, None)
            .await?
            .ok_or(Error::NotFound(Resource::Version))?;
        if version.registered_model_id != model_id {
            return Err(Error::invalid(
                "version_id: the version belongs to another model",
            ));
        }
        let before = current.map(|current| current.alias);
        if let Some(before) = before.as_ref().filter(|a| a.version_id == version_id) {
            return Ok(before.clone());
        }
        if before.is_none() && tx.aliases().count(model_id).await? >= MAX_ALIASES_PER_MODEL {
            return Err(Error::Conflict(format!(
                "the model has {MAX_ALIASES_PER_MODEL} aliases, the most it may have: \
                 delete one first"
            )));
        }
        let after = Alias {
            name: name.as_str().to_owned(),
            model_id,
            version_id,
            updated_at: now(),
        };
        let events = [self
            .announcer
            .alias_set(project_id, before.as_ref(), &after)];
        tx.aliases().set(project_id, &after, &events).await?;
        tx.commit().await?;
        self.announcer.committed(project_id);
        Ok(after)
    }

    /// An alias of a model of the project, with the version it names.
    pub async fn get(
        &self,
        project_id: Uuid,
        model_id: Uuid,
        name: &AliasName,
    ) -> Result<AliasedVersion, Error> {
        if let Some(found) = self.store.aliases().get(project_id, model_id, name).await? {
            return Ok(found);
        }
        // Which of the two is missing, for the message.
        match self.store.models().exists(project_id, model_id).await? {
            true => Err(Error::NotFound(Resource::Alias)),
            false => Err(Error::NotFound(Resource::Model)),
        }
    }

    /// The aliases of a model of the project, sorted by name.
    pub async fn list(&self, project_id: Uuid, model_id: Uuid) -> Result<Vec<Alias>, Error> {
        self.store
            .aliases()
            .of_model(project_id, model_id)
            .await?
            .ok_or(Error::NotFound(Resource::Model))
    }

    /// Deletes an alias; the version it named stays.
    pub async fn delete(
        &self,
        project_id: Uuid,
        model_id: Uuid,
        name: AliasName,
        precondition: Option<&Precondition<AliasedVersion>>,
    ) -> Result<(), Error> {
        let tx = self.store.begin_write().await?;
        let current = lock(&tx, project_id, model_id, &name, precondition)
            .await?
            .ok_or(Error::NotFound(Resource::Alias))?;
        let events = [self
            .announcer
            .alias_deleted(project_id, &current.alias, now())];
        tx.aliases().delete(&current.alias, &events).await?;
        tx.commit().await?;
        self.announcer.committed(project_id);
        Ok(())
    }
}

/// Locks, in `tx`, a model of the project, reads the alias as it is now
/// and checks the caller's `If-Match` on it: one that names no alias fails.
async fn lock(
    tx: &Transaction<'_>,
    project_id: Uuid,
    model_id: Uuid,
    name: &AliasName,
    precondition: Option<&Precondition<AliasedVersion>>,
) -> Result<Option<AliasedVersion>, Error> {
    tx.models()
        .lock(project_id, model_id)
        .await?
        .ok_or(Error::NotFound(Resource::Model))?;
    let current = tx.aliases().get(project_id, model_id, name).await?;
    match &current {
        Some(current) => check(precondition, current)?,
        None if precondition.is_some() => return Err(Error::PreconditionFailed),
        None => {}
    }
    Ok(current)
}

//! Registered models: create, get, find, list, update, delete.

use uuid::Uuid;

use super::precondition::{Precondition, check};
use crate::{
    domain::{
        DeploymentStatus, Error, Model, ModelChanges, ModelLookup, ModelQuery, NewModel, Page,
        PageRequest, Paged, Resource, State,
    },
    store::{Store, Transaction, now},
};

const DEFAULT_MODEL_TYPE: &str = "CUSTOMTRAIN";

/// The operations on registered models.
pub struct Models<'r> {
    store: &'r Store,
}

impl<'r> Models<'r> {
    pub(super) fn new(store: &'r Store) -> Self {
        Models { store }
    }

    /// A new model is LIVE and UNDEPLOYED, with no versions and no owner;
    /// its slug is made from its name.
    pub async fn create(&self, project_id: Uuid, new: NewModel) -> Result<Model, Error> {
        let now = now();
        let model = Model {
            id: Uuid::new_v4(),
            created_at: now,
            updated_at: now,
            project_id,
            owner_id: None,
            owner_email: String::new(),
            slug: new.name.slug(),
            name: new.name.into_inner(),
            description: new.description.map(String::from).unwrap_or_default(),
            region_id: new.region_id,
            region_name: String::new(),
            model_type: new
                .model_type
                .map_or_else(|| DEFAULT_MODEL_TYPE.into(), String::from),
            model_size: 0,
            state: State::Live,
            deployment_status: DeploymentStatus::Undeployed,
            tags: new.tags.unwrap_or_default(),
            labels: new.labels.unwrap_or_default(),
            parent_model_id: new.parent_model_id,
            version_count: 0,
            latest_version: None,
            default_version: None,
        };
        self.store
            .models()
            .insert(model)
            .await?
            .ok_or_else(|| Error::invalid("parent_model_id must be a model of the same project"))
    }

    pub async fn get(&self, project_id: Uuid, id: Uuid) -> Result<Model, Error> {
        self.store
            .models()
            .get(project_id, id)
            .await?
            .ok_or(Error::NotFound(Resource::Model))
    }

    pub async fn find(&self, project_id: Uuid, lookup: &ModelLookup) -> Result<Model, Error> {
        self.store
            .models()
            .find(project_id, lookup)
            .await?
            .ok_or(Error::NotFound(Resource::Model))
    }

    pub async fn list(
        &self,
        project_id: Uuid,
        query: ModelQuery,
        request: &PageRequest,
    ) -> Result<Paged<Model>, Error> {
        let list = query.list_key(project_id);
        let page = Page::of(request, &list)?;
        let listed = self.store.models().list(project_id, &query, &page).await?;
        Ok(Paged::new(listed, page, &list, |model| {
            model.cursor(query.sort_by)
        }))
    }

    /// Applies the changes in one statement. With a precondition, the model
    /// as the caller saw it must still be the model: read and changed under
    /// its lock.
    pub async fn update(
        &self,
        project_id: Uuid,
        id: Uuid,
        changes: ModelChanges,
        precondition: Precondition<'_, Model>,
    ) -> Result<Model, Error> {
        let slug = changes.name.as_ref().map(|name| name.slug());
        if precondition.is_some() {
            let tx = self.store.begin_write().await?;
            lock(&tx, project_id, id, precondition).await?;
            if !changes.is_empty() {
                tx.models()
                    .update(project_id, id, changes, slug, now())
                    .await?;
            }
            tx.commit().await?;
        } else if !changes.is_empty() {
            let found = self
                .store
                .models()
                .update(project_id, id, changes, slug, now())
                .await?;
            if !found {
                return Err(Error::NotFound(Resource::Model));
            }
        }
        self.get(project_id, id).await
    }

    /// Deletes a model that is ARCHIVED and has no READY version, with its
    /// versions. The model stays locked from the check to the delete, so a
    /// version made READY meanwhile either lands first (and blocks the
    /// delete) or finds the model gone.
    pub async fn delete(
        &self,
        project_id: Uuid,
        id: Uuid,
        precondition: Precondition<'_, Model>,
    ) -> Result<(), Error> {
        let tx = self.store.begin_write().await?;
        let state = lock(&tx, project_id, id, precondition).await?;
        if state != State::Archived || tx.versions().count_ready(id).await? > 0 {
            return Err(Error::invalid(
                "cannot delete model: must be archived with no READY versions",
            ));
        }
        tx.models().delete(id).await?;
        tx.commit().await
    }
}

/// Locks a model of the project in `tx`, checks the caller's `If-Match` on
/// it as it is now, and returns its state.
async fn lock(
    tx: &Transaction<'_>,
    project_id: Uuid,
    id: Uuid,
    precondition: Precondition<'_, Model>,
) -> Result<State, Error> {
    let models = tx.models();
    let state = models
        .lock(project_id, id)
        .await?
        .ok_or(Error::NotFound(Resource::Model))?;
    if precondition.is_some() {
        let current = models
            .get(project_id, id)
            .await?
            .ok_or(Error::NotFound(Resource::Model))?;
        check(precondition, &current)?;
    }
    Ok(state)
}

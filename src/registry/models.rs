//! Registered models: create, get, find, list, update, delete.

use uuid::Uuid;

use super::{
    events::Announcer,
    precondition::{Precondition, check},
};
use crate::{
    domain::{
        DeploymentStatus, Error, Model, ModelChanges, ModelLookup, ModelQuery, NewModel, Page,
        PageBounds, PageRequest, Resource, State,
    },
    store::{Store, Transaction, now},
};

const DEFAULT_MODEL_TYPE: &str = "CUSTOMTRAIN";

/// The operations on registered models. Each write appends its event in
/// its own transaction, and wakes the feed's readers once committed.
pub struct Models<'r> {
    store: &'r Store,
    announcer: &'r Announcer,
}

impl<'r> Models<'r> {
    pub(super) fn new(store: &'r Store, announcer: &'r Announcer) -> Self {
        Models { store, announcer }
    }

    /// A new model is LIVE and UNDEPLOYED, with no versions and no owner;
    /// its slug is made from its name.
    pub async fn create(&self, project_id: Uuid, new: NewModel) -> Result<Model, Error> {
        let store = self.store;
        let now = now();
        let mut model = Model {
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
            region_name: store.region_name(new.region_id).await?,
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
        // Nothing inserted: the parent is not the project's, or the region's
        // name has changed since it was read (then read it again).
        loop {
            let events = [self.announcer.model_created(&model)];
            if store.insert_model(&model, &events).await? {
                self.announcer.committed(project_id);
                return Ok(model);
            }
            let region_name = store.reread_region_name(model.region_id).await?;
            if region_name == model.region_name {
                return Err(Error::invalid(
                    "parent_model_id must be a model of the same project",
                ));
            }
            model.region_name = region_name;
        }
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
    ) -> Result<Page<Model>, Error> {
        let list = query.list_scope(project_id);
        let bounds = PageBounds::of(request, &list)?;
        let page = self
            .store
            .models()
            .list(project_id, &query, &bounds)
            .await?;
        Ok(page.continued(&list, |model| model.cursor(query.sort_by)))
    }

    /// Applies the changes under the model's lock, with the caller's
    /// `If-Match` checked on the model as it is then.
    pub async fn update(
        &self,
        project_id: Uuid,
        id: Uuid,
        changes: ModelChanges,
        precondition: Option<&Precondition<Model>>,
    ) -> Result<Model, Error> {
        if changes.is_empty() && precondition.is_none() {
            return self.get(project_id, id).await;
        }
        let tx = self.store.begin_write().await?;
        let before = lock(&tx, project_id, id, precondition).await?;
        if changes.is_empty() {
            return Ok(before);
        }
        let now = now();
        let after = before.changed(&changes, now);
        let slug = changes.name.as_ref().map(|name| name.slug());
        let events: Vec<_> = self
            .announcer
            .model_updated(&before, &after)
            .into_iter()
            .collect();
        // Fields set to what they hold change nothing: no write, no event.
        if events.is_empty() {
            return Ok(before);
        }
        tx.models().update(id, changes, slug, now, &events).await?;
        tx.commit().await?;
        if !events.is_empty() {
            self.announcer.committed(project_id);
        }
        Ok(after)
    }

    /// Deletes a model that is ARCHIVED and has no READY version, with its
    /// versions, locked from the check to the delete: a version made READY
    /// meanwhile lands first (and blocks it) or finds the model gone.
    pub async fn delete(
        &self,
        project_id: Uuid,
        id: Uuid,
        precondition: Option<&Precondition<Model>>,
    ) -> Result<(), Error> {
        let tx = self.store.begin_write().await?;
        let model = lock(&tx, project_id, id, precondition).await?;
        if model.state != State::Archived || tx.versions().count_ready(id).await? > 0 {
            return Err(Error::invalid(
                "cannot delete model: must be archived with no READY versions",
            ));
        }
        let now = now();
        let mut events = vec![self.announcer.model_deleted(&model, now)];
        // Its children lose their parent: a change of theirs, announced.
        for (child_project, child_id) in tx.models().children(id).await? {
            let before = lock(&tx, child_project, child_id, None).await?;
            let after = Model {
                parent_model_id: None,
                ..before.clone()
            };
            events.extend(self.announcer.model_updated(&before, &after));
        }
        tx.models().delete(id, &events).await?;
        tx.commit().await?;
        self.announcer.committed(project_id);
        Ok(())
    }
}

/// Locks a model of the project in `tx`, checks the caller's `If-Match` on
/// it as it is now, and returns it.
async fn lock(
    tx: &Transaction<'_>,
    project_id: Uuid,
    id: Uuid,
    precondition: Option<&Precondition<Model>>,
) -> Result<Model, Error> {
    let current = tx
        .models()
        .lock_whole(project_id, id)
        .await?
        .ok_or(Error::NotFound(Resource::Model))?;
    check(precondition, &current)?;
    Ok(current)
}

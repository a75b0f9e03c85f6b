//! Registered models: create, read, list, update, delete.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{Precondition, Registry, check};
use crate::{
    api::types::{CreateModel, ModelSortBy, SortOrder, State, UpdateModel, labels_to_stored},
    error::{Error, Resource, unique_violation_as},
    store::{Listed, ModelChanges, ModelFilter, ModelRecord, NewModel, Page, now},
};

const DEFAULT_MODEL_TYPE: &str = "CUSTOMTRAIN";
const SLUG_MAX_CHARS: usize = 60;

/// The slug of a name: ASCII letters lowered, digits and `-` kept, space and
/// `_` turned into `-`, everything else dropped, at most 60 characters.
pub fn slugify(name: &str) -> String {
    name.chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' | '-' => Some(c),
            'A'..='Z' => Some(c.to_ascii_lowercase()),
            ' ' | '_' => Some('-'),
            _ => None,
        })
        .take(SLUG_MAX_CHARS)
        .collect()
}

impl Registry {
    pub async fn create_model(
        &self,
        project_id: Uuid,
        request: CreateModel,
    ) -> Result<ModelRecord, Error> {
        let db = self.store.db();
        let id = Uuid::new_v4();
        let name = request.name.into_inner();
        let new = NewModel {
            id,
            project_id,
            slug: slugify(&name),
            name,
            description: request.description.map(String::from).unwrap_or_default(),
            region_id: request.region_id,
            model_type: request
                .model_type
                .map_or_else(|| DEFAULT_MODEL_TYPE.into(), String::from),
            tags: request.tags.unwrap_or_default().to_stored(),
            labels: labels_to_stored(&request.labels.unwrap_or_default()),
            parent_model_id: request.parent_model_id,
            now: now(),
        };
        self.store
            .insert_model(db, new)
            .await
            .map_err(unique_violation_as(Resource::Model))?
            .ok_or_else(|| Error::invalid("parent_model_id must be a model of the same project"))
    }

    pub async fn get_model(&self, project_id: Uuid, id: Uuid) -> Result<ModelRecord, Error> {
        self.store
            .find_model(self.store.db(), project_id, id)
            .await?
            .ok_or(Error::NotFound(Resource::Model))
    }

    /// `GET /model`: by exact name, by id (`externalId`), or both.
    pub async fn find_model(
        &self,
        project_id: Uuid,
        name: Option<&str>,
        id: Option<Uuid>,
    ) -> Result<ModelRecord, Error> {
        if name.is_none() && id.is_none() {
            return Err(Error::invalid("name or externalId is required"));
        }
        self.store
            .find_model_by(self.store.db(), project_id, name, id)
            .await?
            .ok_or(Error::NotFound(Resource::Model))
    }

    pub async fn list_models(
        &self,
        project_id: Uuid,
        filter: &ModelFilter,
        sort_by: ModelSortBy,
        order: SortOrder,
        page: &Page,
    ) -> Result<Listed<ModelRecord>, Error> {
        Ok(self
            .store
            .list_models(self.store.db(), project_id, filter, sort_by, order, page)
            .await?)
    }

    pub async fn update_model(
        &self,
        project_id: Uuid,
        id: Uuid,
        request: UpdateModel,
        precondition: Precondition<'_, ModelRecord>,
    ) -> Result<ModelRecord, Error> {
        let name = request.name.map(|n| n.into_inner());
        let changes = ModelChanges {
            slug: name.as_deref().map(slugify),
            name,
            description: request.description.map(String::from),
            model_type: request.model_type.map(String::from),
            model_size: request.model_size,
            state: request.state.map(|s| s.as_str().into()),
            deployment_status: request.deployment_status.map(|s| s.as_str().into()),
            tags: request.tags.map(|t| t.to_stored()),
            labels: request.labels.as_ref().map(labels_to_stored),
        };
        if precondition.is_some() {
            // The model as the caller saw it must still be the model: read
            // and changed under its lock.
            let txn = self.store.begin_write().await?;
            self.store
                .lock_model(&txn, project_id, id)
                .await?
                .ok_or(Error::NotFound(Resource::Model))?;
            self.check_model(&txn, project_id, id, precondition).await?;
            if !changes.is_empty() {
                self.store
                    .update_model(&txn, project_id, id, changes, now())
                    .await
                    .map_err(unique_violation_as(Resource::Model))?;
            }
            txn.commit().await?;
        } else if !changes.is_empty() {
            let found = self
                .store
                .update_model(self.store.db(), project_id, id, changes, now())
                .await
                .map_err(unique_violation_as(Resource::Model))?;
            if !found {
                return Err(Error::NotFound(Resource::Model));
            }
        }
        self.get_model(project_id, id).await
    }

    /// Checks the caller's `If-Match` on the model as it is now, under the
    /// lock `conn` holds.
    async fn check_model(
        &self,
        conn: &impl ConnectionTrait,
        project_id: Uuid,
        id: Uuid,
        precondition: Precondition<'_, ModelRecord>,
    ) -> Result<(), Error> {
        if precondition.is_none() {
            return Ok(());
        }
        let current = self
            .store
            .find_model(conn, project_id, id)
            .await?
            .ok_or(Error::NotFound(Resource::Model))?;
        check(precondition, &current)
    }

    /// Deletes a model that is ARCHIVED and has no READY version, with its
    /// versions. The model stays locked from the check to the delete, so a
    /// version made READY meanwhile either lands first (and blocks the
    /// delete) or finds the model gone.
    pub async fn delete_model(
        &self,
        project_id: Uuid,
        id: Uuid,
        precondition: Precondition<'_, ModelRecord>,
    ) -> Result<(), Error> {
        let txn = self.store.begin_write().await?;
        let model = self
            .store
            .lock_model(&txn, project_id, id)
            .await?
            .ok_or(Error::NotFound(Resource::Model))?;
        self.check_model(&txn, project_id, id, precondition).await?;
        let archived = State::from_stored(&model.state) == State::Archived;
        if !archived || self.store.count_ready_versions(&txn, model.id).await? > 0 {
            return Err(Error::invalid(
                "cannot delete model: must be archived with no READY versions",
            ));
        }
        self.store.delete_model(&txn, model.id).await?;
        txn.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_the_contract() {
        assert_eq!(slugify("My Model_v2"), "my-model-v2");
        assert_eq!(slugify("test-llm"), "test-llm");
        assert_eq!(slugify("Ünïcode & symbols!"), "ncode--symbols");
        assert_eq!(slugify(&"a".repeat(100)).len(), 60);
        assert_eq!(slugify("日本語"), "");
    }
}

//! Model versions. Every write locks the model first, so that writes to one
//! model's versions queue: two "make me default" requests cannot both win,
//! and a delete of the model cannot interleave with them.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{Precondition, Registry, check};
use crate::{
    api::types::{
        CreateVersion, SortOrder, UpdateVersion, VersionSortBy, VersionStatus, labels_to_stored,
    },
    error::{Error, Resource, unique_violation_as},
    store::{Listed, NewVersion, Page, VersionChanges, VersionFilter, VersionRecord, now},
};

const DEFAULT_ARTIFACT_TYPE: &str = "model-artifact";

impl Registry {
    /// Creates a version of a model of the project. `resource` names what
    /// the caller sees it as (a version, or an artifact) in a conflict.
    pub async fn create_version(
        &self,
        project_id: Uuid,
        model_id: Uuid,
        request: CreateVersion,
        resource: Resource,
    ) -> Result<VersionRecord, Error> {
        let txn = self.store.begin_write().await?;
        self.store
            .lock_model(&txn, project_id, model_id)
            .await?
            .ok_or(Error::NotFound(Resource::Model))?;
        let now = now();
        let is_default = request.is_default.unwrap_or(false);
        let new = NewVersion {
            id: Uuid::new_v4(),
            registered_model_id: model_id,
            name: request.name.into_inner(),
            description: request.description.map(String::from).unwrap_or_default(),
            is_default,
            artifact_type: request
                .artifact_type
                .map_or_else(|| DEFAULT_ARTIFACT_TYPE.into(), String::from),
            model_framework: request.model_framework.into(),
            model_framework_version: request.model_framework_version.into(),
            container_image: request
                .container_image
                .map(String::from)
                .unwrap_or_default(),
            model_catalog_name: request
                .model_catalog_name
                .map(String::from)
                .unwrap_or_default(),
            uri: request.uri.into(),
            access_key: request.access_key.map(String::from).unwrap_or_default(),
            secret_key: request.secret_key.map(String::from).unwrap_or_default(),
            labels: labels_to_stored(&request.labels.unwrap_or_default()),
            prebuilt_container_id: request.prebuilt_container_id,
            now,
        };
        let version = self
            .store
            .insert_version(&txn, new)
            .await
            .map_err(unique_violation_as(resource))?;
        txn.commit().await?;
        // A new version has no creator or updater yet, so no emails to look up.
        Ok(VersionRecord {
            version,
            created_by_email: String::new(),
            updated_by_email: String::new(),
        })
    }

    /// A version of the project; with `model_id`, only if it belongs to it.
    pub async fn get_version(
        &self,
        project_id: Uuid,
        id: Uuid,
        model_id: Option<Uuid>,
        resource: Resource,
    ) -> Result<VersionRecord, Error> {
        self.store
            .find_version(self.store.db(), project_id, id, model_id)
            .await?
            .ok_or(Error::NotFound(resource))
    }

    /// `GET /model_version` and `GET /model_artifact`: the newest version
    /// matching the name, the model and the id that are given.
    pub async fn find_version(
        &self,
        project_id: Uuid,
        name: Option<&str>,
        model_id: Option<Uuid>,
        id: Option<Uuid>,
        resource: Resource,
    ) -> Result<VersionRecord, Error> {
        if name.is_none() && id.is_none() {
            return Err(Error::invalid("name or externalId is required"));
        }
        self.store
            .find_version_by(self.store.db(), project_id, name, model_id, id)
            .await?
            .ok_or(Error::NotFound(resource))
    }

    /// Lists versions of the project. With a model in the filter, that model
    /// must be one of the project's: an unknown model is a 404, not an empty
    /// list, when `require_model` says so (the nested route).
    pub async fn list_versions(
        &self,
        project_id: Uuid,
        filter: &VersionFilter,
        sort_by: VersionSortBy,
        order: SortOrder,
        page: &Page,
        require_model: bool,
    ) -> Result<Listed<VersionRecord>, Error> {
        let db = self.store.db();
        let listed = self
            .store
            .list_versions(db, project_id, filter, sort_by, order, page)
            .await?;
        // A page with versions, or a total above zero, proves the model is
        // the project's; only an empty answer needs asking.
        if require_model
            && listed.total == 0
            && let Some(model_id) = filter.registered_model_id
            && !self.store.model_exists(db, project_id, model_id).await?
        {
            return Err(Error::NotFound(Resource::Model));
        }
        Ok(listed)
    }

    /// Locks the model of a version of the project (of `model_id`, when
    /// given) and returns the model's id.
    async fn lock_model_of_version(
        &self,
        conn: &impl ConnectionTrait,
        project_id: Uuid,
        id: Uuid,
        model_id: Option<Uuid>,
        resource: Resource,
    ) -> Result<Uuid, Error> {
        self.store
            .lock_model_of_version(conn, project_id, id)
            .await?
            .filter(|owner| model_id.is_none_or(|expected| expected == *owner))
            .ok_or(Error::NotFound(resource))
    }

    /// Deletes a version (or artifact) of the project (of `model_id`, when
    /// given), unless it is READY or the model's default: the model's delete
    /// rule, one level down. The model stays locked from the check to the
    /// delete, so a concurrent "make me default" or READY lands before or
    /// after, never between.
    pub async fn delete_version(
        &self,
        project_id: Uuid,
        id: Uuid,
        model_id: Option<Uuid>,
        resource: Resource,
        precondition: Precondition<'_, VersionRecord>,
    ) -> Result<(), Error> {
        let txn = self.store.begin_write().await?;
        let owner = self
            .lock_model_of_version(&txn, project_id, id, model_id, resource)
            .await?;
        let version = self
            .store
            .find_version(&txn, project_id, id, Some(owner))
            .await?
            .ok_or(Error::NotFound(resource))?;
        check(precondition, &version)?;
        if VersionStatus::from_stored(&version.version.status) == VersionStatus::Ready {
            return Err(Error::invalid(
                "cannot delete a READY version: set its status to FAILED or PENDING first",
            ));
        }
        if version.version.is_default {
            return Err(Error::invalid(
                "cannot delete the model's default version: make another version the default first",
            ));
        }
        self.store.delete_version(&txn, id).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Updates a version of the project (of `model_id`, when given).
    pub async fn update_version(
        &self,
        project_id: Uuid,
        id: Uuid,
        model_id: Option<Uuid>,
        request: UpdateVersion,
        resource: Resource,
        precondition: Precondition<'_, VersionRecord>,
    ) -> Result<VersionRecord, Error> {
        let txn = self.store.begin_write().await?;
        let owner = self
            .lock_model_of_version(&txn, project_id, id, model_id, resource)
            .await?;
        if precondition.is_some() {
            let current = self
                .store
                .find_version(&txn, project_id, id, Some(owner))
                .await?
                .ok_or(Error::NotFound(resource))?;
            check(precondition, &current)?;
        }
        let changes = VersionChanges {
            name: request.name.map(|n| n.into_inner()),
            description: request.description.map(String::from),
            is_default: request.is_default,
            state: request.state.map(|s| s.as_str().into()),
            status: request.status.map(|s| s.as_str().into()),
            artifact_type: request.artifact_type.map(String::from),
            model_framework: request.model_framework.map(String::from),
            model_framework_version: request.model_framework_version.map(String::from),
            container_image: request.container_image.map(String::from),
            uri: request.uri.map(String::from),
            labels: request.labels.as_ref().map(labels_to_stored),
        };
        let record = self
            .store
            .update_version(&txn, project_id, owner, id, changes, now())
            .await
            .map_err(unique_violation_as(resource))?
            .ok_or(Error::NotFound(resource))?;
        txn.commit().await?;
        Ok(record)
    }
}

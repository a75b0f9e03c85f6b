//! Model versions, and artifacts, which are versions under the same rules.
//! Every write locks the model first, so that writes to one model's
//! versions queue: two "make me default" requests cannot both win, and a
//! delete of the model cannot interleave with them.

use uuid::Uuid;

use chrono::{DateTime, Utc};

use super::{
    events::Announcer,
    precondition::{Precondition, check},
};
use crate::{
    domain::{
        Error, Listing, NewEvent, NewVersion, Page, PageBounds, PageRequest, Resource, State,
        Version, VersionChanges, VersionLookup, VersionQuery, VersionStatus,
    },
    store::{Store, Transaction, now},
};

const DEFAULT_ARTIFACT_TYPE: &str = "model-artifact";

/// The operations on versions and artifacts; `resource` says which the
/// caller sees, for its messages. Each write appends its events in its
/// transaction and wakes the feed's readers once committed.
pub struct Versions<'r> {
    store: &'r Store,
    announcer: &'r Announcer,
}

impl<'r> Versions<'r> {
    pub(super) fn new(store: &'r Store, announcer: &'r Announcer) -> Self {
        Versions { store, announcer }
    }

    /// A new version of a model of the project is LIVE and PENDING, with no
    /// creator yet; with `is_default` it becomes the model's one default.
    pub async fn create(
        &self,
        project_id: Uuid,
        model_id: Uuid,
        new: NewVersion,
        resource: Resource,
    ) -> Result<Version, Error> {
        let now = now();
        let version = Version {
            id: Uuid::new_v4(),
            created_at: now,
            updated_at: now,
            registered_model_id: model_id,
            name: new.name.into_inner(),
            description: new.description.map(String::from).unwrap_or_default(),
            is_default: new.is_default,
            state: State::Live,
            status: VersionStatus::Pending,
            created_by_id: None,
            updated_by_id: None,
            created_by_email: String::new(),
            updated_by_email: String::new(),
            artifact_type: new
                .artifact_type
                .map_or_else(|| DEFAULT_ARTIFACT_TYPE.into(), String::from),
            model_framework: new.model_framework.into(),
            model_framework_version: new.model_framework_version.into(),
            container_image: new.container_image.map(String::from).unwrap_or_default(),
            model_catalog_name: new.model_catalog_name.map(String::from).unwrap_or_default(),
            uri: new.uri.into(),
            labels: new.labels.unwrap_or_default(),
            prebuilt_container_id: new.prebuilt_container_id,
            aliases: Vec::new(),
        };
        let access_key = new.access_key.map(String::from).unwrap_or_default();
        let secret_key = new.secret_key.map(String::from).unwrap_or_default();
        let mut events = vec![self.announcer.version_created(project_id, &version)];
        let inserted = if version.is_default {
            // The version it takes the default from is read under the
            // model's lock, for that one's event.
            let tx = self.store.begin_write().await?;
            if tx.models().lock(project_id, model_id).await?.is_none() {
                return Err(Error::NotFound(Resource::Model));
            }
            events.extend(demoted(&tx, project_id, &version, now, self.announcer).await?);
            let inserted = tx
                .versions()
                .insert(
                    project_id, &version, access_key, secret_key, resource, &events,
                )
                .await?;
            tx.commit().await?;
            inserted
        } else {
            let secrets = (access_key, secret_key);
            self.store
                .insert_version(project_id, &version, secrets, resource, &events)
                .await?
        };
        if !inserted {
            return Err(Error::NotFound(Resource::Model));
        }
        self.announcer.committed(project_id);
        Ok(version)
    }

    /// A version of the project; with `model_id`, only if it belongs to it.
    pub async fn get(
        &self,
        project_id: Uuid,
        id: Uuid,
        model_id: Option<Uuid>,
        resource: Resource,
    ) -> Result<Version, Error> {
        self.store
            .versions()
            .get(project_id, id, model_id)
            .await?
            .ok_or(Error::NotFound(resource))
    }

    /// The newest version matching the lookup.
    pub async fn find(
        &self,
        project_id: Uuid,
        lookup: &VersionLookup,
        resource: Resource,
    ) -> Result<Version, Error> {
        self.store
            .versions()
            .find(project_id, lookup)
            .await?
            .ok_or(Error::NotFound(resource))
    }

    /// A page of the project's versions. A model's own list
    /// (`Listing::VersionsOfModel`) is a 404 for a model the project does
    /// not have, not an empty list.
    pub async fn list(
        &self,
        project_id: Uuid,
        listing: Listing,
        query: VersionQuery,
        request: &PageRequest,
    ) -> Result<Page<Version>, Error> {
        let list = query.list_scope(listing, project_id);
        let bounds = PageBounds::of(request, &list)?;
        let versions = self.store.versions();
        let page = versions.list(project_id, &query, &bounds, &list).await?;
        // A page with versions, or a total above zero, proves the model is
        // the project's; only an empty answer needs asking.
        if listing == Listing::VersionsOfModel
            && page.total == 0
            && let Some(model_id) = query.filter.registered_model_id
            && !self.store.models().exists(project_id, model_id).await?
        {
            return Err(Error::NotFound(Resource::Model));
        }
        Ok(page.continued(&list, |version| version.cursor(query.sort_by)))
    }

    /// Updates a version of the project (of `model_id`, when given).
    pub async fn update(
        &self,
        project_id: Uuid,
        id: Uuid,
        model_id: Option<Uuid>,
        changes: VersionChanges,
        resource: Resource,
        precondition: Option<&Precondition<Version>>,
    ) -> Result<Version, Error> {
        if changes.is_empty() && precondition.is_none() {
            return self.get(project_id, id, model_id, resource).await;
        }
        if self.store.commits_in_groups() && changes.is_default != Some(true) {
            let unlocked =
                self.update_unlocked(project_id, id, model_id, &changes, resource, precondition);
            if let Some(after) = unlocked.await? {
                return Ok(after);
            }
        }
        let tx = self.store.begin_write().await?;
        let before = lock(&tx, project_id, id, model_id, resource, precondition).await?;
        if changes.is_empty() {
            return Ok(before);
        }
        let (now, after, mut events) = self.changed(project_id, &before, &changes);
        // Fields set to what they hold change nothing: no write, no event.
        if events.is_empty() {
            return Ok(before);
        }
        if after.is_default && !before.is_default {
            events.extend(demoted(&tx, project_id, &after, now, self.announcer).await?);
        }
        tx.versions()
            .update(
                before.registered_model_id,
                id,
                changes,
                now,
                resource,
                &events,
                None,
            )
            .await?;
        tx.commit().await?;
        if !events.is_empty() {
            self.announcer.committed(project_id);
        }
        Ok(after)
    }

    /// On SQLite, a PATCH that makes no new default, read outside any
    /// transaction and written in a group if still as read (docs/design.md);
    /// `None`: the caller takes the lock instead.
    async fn update_unlocked(
        &self,
        project_id: Uuid,
        id: Uuid,
        model_id: Option<Uuid>,
        changes: &VersionChanges,
        resource: Resource,
        precondition: Option<&Precondition<Version>>,
    ) -> Result<Option<Version>, Error> {
        let before = self
            .store
            .versions()
            .get(project_id, id, model_id)
            .await?
            .ok_or(Error::NotFound(resource))?;
        check(precondition, &before)?;
        if changes.is_empty() {
            return Ok(Some(before));
        }
        let (now, after, events) = self.changed(project_id, &before, changes);
        if events.is_empty() {
            return Ok(Some(before));
        }
        let written = self
            .store
            .update_version_unchanged_since(&before, changes.clone(), now, resource, &events)
            .await?;
        if !written {
            return Ok(None);
        }
        if !events.is_empty() {
            self.announcer.committed(project_id);
        }
        Ok(Some(after))
    }

    /// A PATCH's version after its changes, now, and its event.
    fn changed(
        &self,
        project_id: Uuid,
        before: &Version,
        changes: &VersionChanges,
    ) -> (DateTime<Utc>, Version, Vec<NewEvent>) {
        let now = now();
        let after = before.changed(changes, now);
        let events = self.announcer.version_updated(project_id, before, &after);
        (now, after, events.into_iter().collect())
    }

    /// Deletes a version (or artifact) unless it is READY or the default,
    /// with the model locked from the check to the delete, so that a racing
    /// "make me default" or READY lands before or after, never between.
    pub async fn delete(
        &self,
        project_id: Uuid,
        id: Uuid,
        model_id: Option<Uuid>,
        resource: Resource,
        precondition: Option<&Precondition<Version>>,
    ) -> Result<(), Error> {
        let tx = self.store.begin_write().await?;
        let version = lock(&tx, project_id, id, model_id, resource, precondition).await?;
        if version.status == VersionStatus::Ready {
            return Err(Error::invalid(
                "cannot delete a READY version: set its status to FAILED or PENDING first",
            ));
        }
        if version.is_default {
            return Err(Error::invalid(
                "cannot delete the model's default version: make another version the default first",
            ));
        }
        if let Some(alias) = version.aliases.first() {
            return Err(Error::Conflict(format!(
                "version is the target of alias \"{alias}\": move or delete the alias first"
            )));
        }
        let events = [self.announcer.version_deleted(project_id, &version, now())];
        tx.versions().delete(id, &events).await?;
        tx.commit().await?;
        self.announcer.committed(project_id);
        Ok(())
    }
}

/// The events of the versions that `new_default` takes the default from.
async fn demoted(
    tx: &Transaction<'_>,
    project_id: Uuid,
    new_default: &Version,
    now: DateTime<Utc>,
    announcer: &Announcer,
) -> Result<Vec<NewEvent>, Error> {
    let previous = tx
        .versions()
        .defaults_of(new_default.registered_model_id, new_default.id)
        .await?;
    let no_longer = VersionChanges {
        is_default: Some(false),
        ..VersionChanges::default()
    };
    Ok(previous
        .iter()
        .filter_map(|before| {
            let after = before.changed(&no_longer, now);
            announcer.version_updated(project_id, before, &after)
        })
        .collect())
}

/// Locks, in `tx`, the model of a version of the project (of `model_id`,
/// when given), checks the caller's `If-Match` on the version as it is
/// now, and returns the version.
async fn lock(
    tx: &Transaction<'_>,
    project_id: Uuid,
    id: Uuid,
    model_id: Option<Uuid>,
    resource: Resource,
    precondition: Option<&Precondition<Version>>,
) -> Result<Version, Error> {
    let current = tx
        .versions()
        .lock_whole(project_id, id)
        .await?
        .filter(|version| model_id.is_none_or(|model| model == version.registered_model_id))
        .ok_or(Error::NotFound(resource))?;
    check(precondition, &current)?;
    Ok(current)
}

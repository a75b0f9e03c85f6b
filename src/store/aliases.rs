//! Queries on `model_registry_model_alias`: a model's names for its
//! versions. Every write runs under the model's lock, taken by the caller.

use chrono::{DateTime, FixedOffset};
use sea_orm::{DbBackend, DbErr, QueryResult, Value};
use uuid::Uuid;

use super::{
    connection::Writes,
    events::write_with_events,
    filters::{count_rows, get},
    statements::{ALIASES_OF_MODEL, COUNT_ALIASES, DELETE_ALIAS, GET_ALIAS, SET_ALIAS},
    versions::decode_version,
};
use crate::domain::{Alias, AliasName, AliasedVersion, Error, NewEvent};

/// The aliases table, on the pool or in a transaction.
pub struct AliasTable<'a, C> {
    conn: &'a C,
    backend: DbBackend,
}

impl<'a, C: Writes> AliasTable<'a, C> {
    pub(super) fn new(conn: &'a C, backend: DbBackend) -> Self {
        AliasTable { conn, backend }
    }

    /// An alias of a model of the project, with its version whole.
    pub async fn get(
        &self,
        project_id: Uuid,
        model_id: Uuid,
        name: &AliasName,
    ) -> Result<Option<AliasedVersion>, Error> {
        let values: [Value; 3] = [model_id.into(), project_id.into(), name.as_str().into()];
        let row = self
            .conn
            .query_one_raw(GET_ALIAS.bind(self.backend, values))
            .await?;
        let Some(row) = row else { return Ok(None) };
        let version = decode_version(&row, "")?;
        let updated_at: DateTime<FixedOffset> = get(&row, "alias_updated_at")?;
        let alias = Alias {
            name: get(&row, "alias_name")?,
            model_id,
            version_id: version.id,
            updated_at: updated_at.to_utc(),
        };
        Ok(Some(AliasedVersion { alias, version }))
    }

    /// The aliases of a model of the project, sorted by name; `None` when
    /// the project has no such model.
    pub async fn of_model(
        &self,
        project_id: Uuid,
        model_id: Uuid,
    ) -> Result<Option<Vec<Alias>>, Error> {
        let values: [Value; 2] = [model_id.into(), project_id.into()];
        let rows = self
            .conn
            .query_all_raw(ALIASES_OF_MODEL.bind(self.backend, values))
            .await?;
        if rows.is_empty() {
            return Ok(None);
        }
        let decode = |row: &QueryResult| -> Result<Option<Alias>, DbErr> {
            let Some(name) = get::<Option<String>>(row, "alias")? else {
                return Ok(None);
            };
            let updated_at: DateTime<FixedOffset> = get(row, "updated_at")?;
            Ok(Some(Alias {
                name,
                model_id,
                version_id: get(row, "version_id")?,
                updated_at: updated_at.to_utc(),
            }))
        };
        let mut aliases = Vec::with_capacity(rows.len());
        for row in &rows {
            aliases.extend(decode(row)?);
        }
        // Sorted here rather than by the database, whose collations differ.
        aliases.sort_unstable_by(|a, b| a.name.cmp(&b.name));
        Ok(Some(aliases))
    }

    /// How many aliases the model has.
    pub async fn count(&self, model_id: Uuid) -> Result<u64, Error> {
        let statement = COUNT_ALIASES.bind(self.backend, [model_id.into()]);
        Ok(count_rows(self.conn, statement).await?)
    }

    /// Makes the alias or moves it, with its events.
    pub async fn set(
        &self,
        project_id: Uuid,
        alias: &Alias,
        events: &[NewEvent],
    ) -> Result<(), Error> {
        let values: [Value; 6] = [
            Uuid::new_v4().into(),
            alias.model_id.into(),
            alias.name.as_str().into(),
            alias.version_id.into(),
            alias.updated_at.fixed_offset().into(),
            project_id.into(),
        ];
        write_with_events(self.conn, &SET_ALIAS, events, values).await?;
        Ok(())
    }

    /// Deletes the alias, with its events.
    pub async fn delete(&self, alias: &Alias, events: &[NewEvent]) -> Result<(), Error> {
        let values: [Value; 2] = [alias.model_id.into(), alias.name.as_str().into()];
        write_with_events(self.conn, &DELETE_ALIAS, events, values).await?;
        Ok(())
    }
}

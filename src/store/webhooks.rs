//! Queries on `model_registry_webhook` and its deliveries. A webhook's
//! secret is written once and read only by the claim that signs with it.

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use entity::{model_registry_webhook as webhook, model_registry_webhook_delivery as delivery};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, FromQueryResult, QueryResult, Value};
use serde_json::json;
use uuid::Uuid;

use super::{
    filters::{count_rows, get},
    statements::{
        ANY_ENABLED_WEBHOOK, CLAIM_DELIVERIES, CLAIM_FRESH_DELIVERIES, COUNT_WEBHOOKS,
        DELETE_WEBHOOK, DELETE_WEBHOOK_DELIVERIES, DELIVERIES_PAGE, DELIVERY_OF_WEBHOOK,
        ENABLED_WEBHOOKS, GET_WEBHOOK, INSERT_DELIVERIES, INSERT_WEBHOOK, LOCK_WEBHOOK,
        RECORD_ATTEMPT, RECORD_ATTEMPTS, RELEASE_LEASES, REMOVE_FINISHED_DELIVERIES, Sql,
        UPDATE_WEBHOOK, WEBHOOK_DELIVERED, WEBHOOK_FAILED, WEBHOOKS_OF_PROJECT,
    },
};
use crate::domain::{
    AttemptRecord, Cursor, Delivery, DeliveryStatus, DueDelivery, Error, EventType, NewDelivery,
    SortValue, Spelled, Subscriber, Webhook, WebhookChanges,
};

/// The webhooks and deliveries tables, on the pool or in a transaction.
pub struct WebhookTable<'a, C> {
    conn: &'a C,
    backend: DbBackend,
}

/// Ids as the statements take a list of them: a JSON array, as text.
fn id_array(ids: &[Uuid]) -> Value {
    json!(ids).to_string().into()
}

fn event_types(stored: &serde_json::Value) -> Vec<EventType> {
    stored
        .as_array()
        .map(|types| {
            types
                .iter()
                .filter_map(|t| t.as_str().and_then(EventType::parse))
                .collect()
        })
        .unwrap_or_default()
}

fn webhook_record(row: webhook::Model) -> Webhook {
    Webhook {
        id: row.id,
        project_id: row.project_id,
        url: row.url,
        event_types: event_types(&row.event_types),
        description: row.description,
        enabled: row.enabled,
        created_at: row.created_at.to_utc(),
        updated_at: row.updated_at.to_utc(),
    }
}

fn delivery_record(row: delivery::Model) -> Delivery {
    Delivery {
        id: row.id,
        webhook_id: row.webhook_id,
        event_id: row.event_id,
        event_type: row.event_type,
        status: DeliveryStatus::from_stored(&row.status),
        attempts: row.attempts,
        response_status: row.response_status,
        error: row.error,
        duration_ms: row.duration_ms,
        created_at: row.created_at.to_utc(),
        next_attempt_at: row.next_attempt_at.map(|at| at.to_utc()),
    }
}

fn stored_types(types: &[EventType]) -> serde_json::Value {
    json!(types.iter().map(|t| t.as_str()).collect::<Vec<_>>())
}

impl<'a, C: ConnectionTrait> WebhookTable<'a, C> {
    pub(super) fn new(conn: &'a C, backend: DbBackend) -> Self {
        WebhookTable { conn, backend }
    }

    async fn rows(&self, sql: &Sql, values: Vec<Value>) -> Result<Vec<QueryResult>, DbErr> {
        self.conn
            .query_all_raw(sql.bind(self.backend, values))
            .await
    }

    /// The project's webhooks, newest first.
    pub async fn list(&self, project_id: Uuid) -> Result<Vec<Webhook>, Error> {
        let rows = self
            .rows(&WEBHOOKS_OF_PROJECT, vec![project_id.into()])
            .await?;
        rows.iter()
            .map(|row| Ok(webhook_record(webhook::Model::from_query_result(row, "")?)))
            .collect()
    }

    pub async fn get(&self, project_id: Uuid, id: Uuid) -> Result<Option<Webhook>, Error> {
        self.one(&GET_WEBHOOK, project_id, id).await
    }

    /// The webhook, locked until the transaction ends (a conditional write).
    pub async fn lock(&self, project_id: Uuid, id: Uuid) -> Result<Option<Webhook>, Error> {
        self.one(&LOCK_WEBHOOK, project_id, id).await
    }

    async fn one(
        &self,
        statement: &Sql,
        project_id: Uuid,
        id: Uuid,
    ) -> Result<Option<Webhook>, Error> {
        let rows = self
            .rows(statement, vec![id.into(), project_id.into()])
            .await?;
        match rows.first() {
            Some(row) => Ok(Some(webhook_record(webhook::Model::from_query_result(
                row, "",
            )?))),
            None => Ok(None),
        }
    }

    pub async fn count(&self, project_id: Uuid) -> Result<u64, Error> {
        let statement = COUNT_WEBHOOKS.bind(self.backend, [project_id.into()]);
        Ok(count_rows(self.conn, statement).await?)
    }

    pub async fn insert(&self, new: &Webhook, secret: &str) -> Result<(), Error> {
        let values: [Value; 7] = [
            new.id.into(),
            new.created_at.fixed_offset().into(),
            new.project_id.into(),
            new.url.as_str().into(),
            stored_types(&new.event_types).into(),
            new.description.as_str().into(),
            secret.into(),
        ];
        self.conn
            .execute_raw(INSERT_WEBHOOK.bind(self.backend, values))
            .await?;
        Ok(())
    }

    /// Applies the changes; `false` when the project has no such webhook.
    pub async fn update(
        &self,
        project_id: Uuid,
        id: Uuid,
        changes: &WebhookChanges,
        now: DateTime<Utc>,
    ) -> Result<bool, Error> {
        let values: [Value; 7] = [
            id.into(),
            project_id.into(),
            now.fixed_offset().into(),
            changes
                .url
                .as_ref()
                .map(|url| url.as_str().to_owned())
                .into(),
            changes.event_types.as_deref().map(stored_types).into(),
            changes.description.clone().map(String::from).into(),
            changes.enabled.into(),
        ];
        let result = self
            .conn
            .execute_raw(UPDATE_WEBHOOK.bind(self.backend, values))
            .await?;
        Ok(result.rows_affected() > 0)
    }

    /// Deletes a webhook of the project and its deliveries; `false` when
    /// the project has no such webhook.
    pub async fn delete(&self, project_id: Uuid, id: Uuid) -> Result<bool, Error> {
        if self.get(project_id, id).await?.is_none() {
            return Ok(false);
        }
        self.conn
            .execute_raw(DELETE_WEBHOOK_DELIVERIES.bind(self.backend, [id.into()]))
            .await?;
        let result = self
            .conn
            .execute_raw(DELETE_WEBHOOK.bind(self.backend, [id.into(), project_id.into()]))
            .await?;
        Ok(result.rows_affected() > 0)
    }

    /// Whether any project has an enabled webhook.
    pub async fn any_enabled(&self) -> Result<bool, Error> {
        let statement = ANY_ENABLED_WEBHOOK.bind(self.backend, []);
        Ok(self.conn.query_one_raw(statement).await?.is_some())
    }

    /// The enabled webhooks of these projects.
    pub async fn subscribers(&self, projects: &[Uuid]) -> Result<Vec<Subscriber>, Error> {
        let rows = self
            .rows(&ENABLED_WEBHOOKS, vec![id_array(projects)])
            .await?;
        let decode = |row: &QueryResult| -> Result<Subscriber, DbErr> {
            let created_at: DateTime<FixedOffset> = get(row, "created_at")?;
            Ok(Subscriber {
                id: get(row, "id")?,
                project_id: get(row, "project_id")?,
                event_types: event_types(&get::<serde_json::Value>(row, "event_types")?),
                created_at: created_at.to_utc(),
                url: get(row, "url")?,
                secret: get(row, "secret")?,
                failures_in_a_row: get(row, "failures_in_a_row")?,
            })
        };
        Ok(rows.iter().map(decode).collect::<Result<_, _>>()?)
    }

    /// Adds deliveries, due at once.
    pub async fn insert_deliveries(&self, new: &[NewDelivery]) -> Result<(), Error> {
        // A statement's JSON stays within a few megabytes.
        for chunk in new.chunks(1000) {
            let rows: Vec<serde_json::Value> = chunk
                .iter()
                .map(|d| {
                    json!({
                        "id": d.id,
                        "webhook_id": d.webhook_id,
                        "event_id": d.event_id,
                        "event_type": d.event_type,
                        "payload": d.payload,
                        "created_at": d.created_at.to_rfc3339(),
                        "lease_until": d.lease_until.map(|at| at.to_rfc3339()),
                    })
                })
                .collect();
            let values = vec![serde_json::Value::from(rows).to_string().into()];
            self.conn
                .execute_raw(INSERT_DELIVERIES.bind(self.backend, values))
                .await?;
        }
        Ok(())
    }

    /// A page of a webhook's deliveries, newest first, after `after`.
    pub async fn deliveries(
        &self,
        webhook_id: Uuid,
        after: Option<&Cursor>,
        limit: u64,
    ) -> Result<Vec<Delivery>, Error> {
        let (at, id) = match after {
            Some(Cursor {
                key: SortValue::Time(at),
                id,
            }) => (Some(at.fixed_offset()), Some(*id)),
            _ => (None, None),
        };
        let values = vec![
            webhook_id.into(),
            at.into(),
            id.into(),
            i64::try_from(limit).unwrap_or(i64::MAX).into(),
        ];
        let rows = self.rows(&DELIVERIES_PAGE, values).await?;
        rows.iter()
            .map(|row| {
                Ok(delivery_record(delivery::Model::from_query_result(
                    row, "",
                )?))
            })
            .collect()
    }

    /// A delivery of a webhook of the project, with its payload.
    pub async fn delivery(
        &self,
        project_id: Uuid,
        webhook_id: Uuid,
        id: Uuid,
    ) -> Result<Option<(Delivery, String)>, Error> {
        let values = vec![id.into(), webhook_id.into(), project_id.into()];
        let rows = self.rows(&DELIVERY_OF_WEBHOOK, values).await?;
        match rows.first() {
            Some(row) => {
                let row = delivery::Model::from_query_result(row, "")?;
                let payload = row.payload.clone();
                Ok(Some((delivery_record(row), payload)))
            }
            None => Ok(None),
        }
    }

    /// Leases up to `limit` due deliveries until `lease_until`.
    pub async fn claim(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: usize,
        per_webhook: usize,
        busy: &[Uuid],
    ) -> Result<Vec<DueDelivery>, Error> {
        let values = vec![
            now.fixed_offset().into(),
            lease_until.fixed_offset().into(),
            i64::try_from(limit).unwrap_or(i64::MAX).into(),
            i64::try_from(per_webhook).unwrap_or(i64::MAX).into(),
            id_array(busy),
        ];
        self.leased(&CLAIM_DELIVERIES, values).await
    }

    /// Leases those of `ids` (deliveries just written) that are still due
    /// and free, until `lease_until`.
    pub async fn claim_fresh(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        ids: &[Uuid],
    ) -> Result<Vec<DueDelivery>, Error> {
        let values = vec![
            now.fixed_offset().into(),
            lease_until.fixed_offset().into(),
            id_array(ids),
        ];
        self.leased(&CLAIM_FRESH_DELIVERIES, values).await
    }

    async fn leased(&self, claim: &Sql, values: Vec<Value>) -> Result<Vec<DueDelivery>, Error> {
        let rows = self.rows(claim, values).await?;
        let decode = |row: &QueryResult| -> Result<DueDelivery, DbErr> {
            Ok(DueDelivery {
                id: get(row, "id")?,
                webhook_id: get(row, "webhook_id")?,
                event_id: get(row, "event_id")?,
                payload: get(row, "payload")?,
                attempts: get(row, "attempts")?,
                url: get(row, "url")?,
                secret: get(row, "secret")?,
                failures_in_a_row: get(row, "failures_in_a_row")?,
            })
        };
        Ok(rows.iter().map(decode).collect::<Result<_, _>>()?)
    }

    /// Gives back leases (a delivery, and the lease it holds until) that
    /// this process will not use; how many it gave back.
    pub async fn release_leases(&self, leases: &[(Uuid, DateTime<Utc>)]) -> Result<u64, Error> {
        let leases: Vec<serde_json::Value> = leases
            .iter()
            .map(|(id, until)| json!({"id": id, "lease_until": until.to_rfc3339()}))
            .collect();
        let values = vec![serde_json::Value::from(leases).to_string().into()];
        let result = self
            .conn
            .execute_raw(RELEASE_LEASES.bind(self.backend, values))
            .await?;
        Ok(result.rows_affected())
    }

    /// Records attempts, each under the lease it was made with; the ids
    /// of those recorded (a lease lost to another process records nothing).
    pub async fn record_attempts(&self, records: &[AttemptRecord]) -> Result<Vec<Uuid>, Error> {
        if self.backend == DbBackend::Postgres {
            let micros = |at: DateTime<Utc>| at.to_rfc3339_opts(SecondsFormat::Micros, true);
            let attempts: Vec<serde_json::Value> = records
                .iter()
                .map(|r| {
                    json!({
                        "id": r.id,
                        "lease_until": micros(r.lease_until),
                        "status": r.status.as_str(),
                        "response_status": r.response_status,
                        "error": r.error,
                        "duration_ms": r.duration_ms,
                        "next_attempt_at": r.next_attempt_at.map(micros),
                    })
                })
                .collect();
            let values = vec![serde_json::Value::from(attempts).to_string().into()];
            let rows = self.rows(&RECORD_ATTEMPTS, values).await?;
            return Ok(rows
                .iter()
                .map(|row| get(row, "id"))
                .collect::<Result<_, _>>()?);
        }
        let mut recorded = Vec::with_capacity(records.len());
        for r in records {
            let values: [Value; 7] = [
                r.id.into(),
                r.lease_until.fixed_offset().into(),
                r.status.as_str().into(),
                r.response_status.map(i32::from).into(),
                r.error.clone().into(),
                r.duration_ms.into(),
                r.next_attempt_at.map(|at| at.fixed_offset()).into(),
            ];
            let result = self
                .conn
                .execute_raw(RECORD_ATTEMPT.bind(self.backend, values))
                .await?;
            if result.rows_affected() > 0 {
                recorded.push(r.id);
            }
        }
        Ok(recorded)
    }

    /// Removes up to `batch` deliveries no longer pending and created
    /// before `cut`; how many went.
    pub async fn remove_finished(&self, cut: DateTime<Utc>, batch: u64) -> Result<u64, Error> {
        let values: [Value; 2] = [
            cut.fixed_offset().into(),
            i64::try_from(batch).unwrap_or(i64::MAX).into(),
        ];
        let result = self
            .conn
            .execute_raw(REMOVE_FINISHED_DELIVERIES.bind(self.backend, values))
            .await?;
        Ok(result.rows_affected())
    }

    /// A delivery of the webhook succeeded.
    pub async fn delivered(&self, webhook_id: Uuid) -> Result<(), Error> {
        self.conn
            .execute_raw(WEBHOOK_DELIVERED.bind(self.backend, [webhook_id.into()]))
            .await?;
        Ok(())
    }

    /// A delivery of the webhook failed for good; `true` when this failure
    /// disabled it.
    pub async fn failed(
        &self,
        webhook_id: Uuid,
        limit: i32,
        now: DateTime<Utc>,
    ) -> Result<bool, Error> {
        let values = vec![webhook_id.into(), limit.into(), now.fixed_offset().into()];
        let rows = self.rows(&WEBHOOK_FAILED, values).await?;
        let still_enabled = match rows.first() {
            Some(row) => get::<bool>(row, "enabled")?,
            None => true,
        };
        Ok(!still_enabled)
    }
}

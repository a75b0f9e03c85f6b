//! Webhooks: registering a project's receivers (their URLs checked against
//! the address policy), and its deliveries' log, ping and redelivery. The
//! deliveries themselves are made in the background (`jobs::webhooks`).

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex, MutexGuard, PoisonError},
};

use chrono::{DateTime, Utc};
use serde_json::json;
use tokio::sync::Notify;
use uuid::Uuid;

use super::{
    events::REQUEST_ID,
    precondition::{Precondition, check},
};
use crate::{
    domain::{
        Cursor, Delivery, Error, LeasedDelivery, ListScope, Listing, MAX_WEBHOOKS_PER_PROJECT,
        NewDelivery, NewWebhook, PING_EVENT_TYPE, PageBounds, PageRequest, Resource, SortKind,
        SortValue, Webhook, WebhookChanges, WebhookUrl, event_types,
    },
    outbound::{AddressPolicy, Unreachable, new_secret},
    store::{Store, Transaction, now},
};

/// What the registry needs of webhooks beyond the store: the addresses
/// they may name, and the wake-up of this process's deliveries.
#[derive(Clone, Default)]
pub struct WebhookSettings {
    pub policy: AddressPolicy,
    pub due: Arc<Due>,
}

/// The deliveries this process has just written, and its deliverer's
/// wake-up: the fan-out's come leased, the others (pings, redeliveries)
/// are leased by id, cheaper than ranking the queue. Past `FRESH_AT_MOST`
/// unleased ones wait only in the table, for the ranked claim; at most
/// `LEASED_AT_MOST` leased ones wait, so that a process killed leaves few
/// to wait for their lease to end.
#[derive(Default)]
pub struct Due {
    fresh: Mutex<FreshQueue>,
    woken: Notify,
}

/// Each webhook's fresh deliveries in order, so that one whose attempts
/// are at their limit holds back no other.
#[derive(Default)]
struct FreshQueue {
    by_webhook: HashMap<Uuid, VecDeque<FreshDelivery>>,
    len: usize,
    leased: usize,
}

/// A delivery just written, and its webhook; leased, with what its
/// attempt needs.
#[derive(Debug, Clone)]
pub struct FreshDelivery {
    pub id: Uuid,
    pub webhook_id: Uuid,
    pub leased: Option<Box<LeasedDelivery>>,
}

impl Due {
    pub const FRESH_AT_MOST: usize = 4096;
    pub const LEASED_AT_MOST: usize = 256;

    fn queue(&self) -> MutexGuard<'_, FreshQueue> {
        self.fresh.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How many more leased deliveries may wait here.
    pub fn room(&self) -> usize {
        let queue = self.queue();
        Self::LEASED_AT_MOST
            .saturating_sub(queue.leased)
            .min(Self::FRESH_AT_MOST.saturating_sub(queue.len))
    }

    /// Deliveries may be due: the deliverer looks.
    pub fn wake(&self) {
        self.woken.notify_one();
    }

    pub async fn woken(&self) {
        self.woken.notified().await;
    }

    /// Deliveries written and committed by this process; a leased one
    /// always finds room (`room` bounds how many the fan-out leases).
    pub fn hand(&self, fresh: impl IntoIterator<Item = FreshDelivery>) {
        {
            let mut queue = self.queue();
            for delivery in fresh {
                let leased = delivery.leased.is_some();
                if leased || queue.len < Self::FRESH_AT_MOST {
                    queue.len += 1;
                    queue.leased += usize::from(leased);
                    let webhook = queue.by_webhook.entry(delivery.webhook_id).or_default();
                    webhook.push_back(delivery);
                }
            }
        }
        self.wake();
    }

    /// Takes up to `limit` fresh deliveries, each webhook's oldest first,
    /// while `has_room` says its webhook has room for one more.
    pub fn take(&self, limit: usize, mut has_room: impl FnMut(Uuid) -> bool) -> Vec<FreshDelivery> {
        let mut queue = self.queue();
        let mut taken = Vec::new();
        for (webhook, waiting) in &mut queue.by_webhook {
            while taken.len() < limit && !waiting.is_empty() && has_room(*webhook) {
                taken.extend(waiting.pop_front());
            }
        }
        queue.by_webhook.retain(|_, waiting| !waiting.is_empty());
        queue.len -= taken.len();
        queue.leased -= taken.iter().filter(|f| f.leased.is_some()).count();
        taken
    }

    pub fn has_fresh(&self) -> bool {
        self.queue().len > 0
    }

    /// Takes every leased delivery still waiting: its id and lease.
    pub fn take_leased(&self) -> Vec<(Uuid, DateTime<Utc>)> {
        let mut queue = self.queue();
        let mut taken = Vec::new();
        for waiting in queue.by_webhook.values_mut() {
            waiting.retain(|fresh| match &fresh.leased {
                Some(leased) => {
                    taken.push((fresh.id, leased.until));
                    false
                }
                None => true,
            });
        }
        queue.by_webhook.retain(|_, waiting| !waiting.is_empty());
        queue.len -= taken.len();
        queue.leased -= taken.len();
        taken
    }
}

/// A page of a webhook's deliveries.
pub struct DeliveryPage {
    pub deliveries: Vec<Delivery>,
    pub next_page_token: Option<String>,
}

/// The operations on webhooks.
pub struct Webhooks<'r> {
    store: &'r Store,
    settings: &'r WebhookSettings,
}

impl<'r> Webhooks<'r> {
    pub(super) fn new(store: &'r Store, settings: &'r WebhookSettings) -> Self {
        Webhooks { store, settings }
    }

    /// Registers a webhook; the answer carries its secret, shown this once.
    pub async fn create(
        &self,
        project_id: Uuid,
        new: NewWebhook,
    ) -> Result<(Webhook, String), Error> {
        self.check_address(&new.url).await?;
        let event_types = event_types(new.event_types)?;
        if self.store.webhooks().count(project_id).await? >= MAX_WEBHOOKS_PER_PROJECT {
            return Err(Error::Conflict(format!(
                "the project has {MAX_WEBHOOKS_PER_PROJECT} webhooks, the most it may have: \
                 delete one first"
            )));
        }
        let secret = new_secret().map_err(|err| Error::Internal(err.into()))?;
        let now = now();
        let webhook = Webhook {
            id: Uuid::new_v4(),
            project_id,
            url: new.url.as_str().to_owned(),
            event_types,
            description: new.description.map(String::from).unwrap_or_default(),
            enabled: true,
            created_at: now,
            updated_at: now,
        };
        self.store.webhooks().insert(&webhook, &secret).await?;
        Ok((webhook, secret))
    }

    pub async fn list(&self, project_id: Uuid) -> Result<Vec<Webhook>, Error> {
        self.store.webhooks().list(project_id).await
    }

    pub async fn get(&self, project_id: Uuid, id: Uuid) -> Result<Webhook, Error> {
        self.store
            .webhooks()
            .get(project_id, id)
            .await?
            .ok_or(Error::NotFound(Resource::Webhook))
    }

    pub async fn update(
        &self,
        project_id: Uuid,
        id: Uuid,
        mut changes: WebhookChanges,
        precondition: Option<&Precondition<Webhook>>,
    ) -> Result<Webhook, Error> {
        if changes.is_empty() {
            let webhook = self.get(project_id, id).await?;
            check(precondition, &webhook)?;
            return Ok(webhook);
        }
        if let Some(url) = &changes.url {
            self.check_address(url).await?;
        }
        if changes.event_types.is_some() {
            changes.event_types = Some(event_types(changes.event_types)?);
        }
        let tx = self.store.begin_write().await?;
        locked_as_expected(&tx, project_id, id, precondition).await?;
        if !tx
            .webhooks()
            .update(project_id, id, &changes, now())
            .await?
        {
            return Err(Error::NotFound(Resource::Webhook));
        }
        tx.commit().await?;
        if changes.enabled == Some(true) {
            self.settings.due.wake();
        }
        self.get(project_id, id).await
    }

    /// Deletes a webhook; its pending deliveries go with it.
    pub async fn delete(
        &self,
        project_id: Uuid,
        id: Uuid,
        precondition: Option<&Precondition<Webhook>>,
    ) -> Result<(), Error> {
        let tx = self.store.begin_write().await?;
        locked_as_expected(&tx, project_id, id, precondition).await?;
        if !tx.webhooks().delete(project_id, id).await? {
            return Err(Error::NotFound(Resource::Webhook));
        }
        tx.commit().await
    }

    /// Delivers a `webhook.ping` event to the webhook.
    pub async fn ping(&self, project_id: Uuid, id: Uuid) -> Result<Delivery, Error> {
        let webhook = self.get(project_id, id).await?;
        let delivery_id = Uuid::new_v4();
        let now = now();
        let event_id = format!("ping_{}", delivery_id.simple());
        let payload = json!({
            "id": event_id,
            "type": PING_EVENT_TYPE,
            "project_id": project_id,
            "model_id": null,
            "version_id": null,
            "occurred_at": now.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            "request_id": REQUEST_ID.try_with(Clone::clone).unwrap_or_default(),
            "data": {"webhook_id": webhook.id},
            "changes": null,
        });
        self.enqueue(NewDelivery {
            id: delivery_id,
            webhook_id: webhook.id,
            event_id,
            event_type: PING_EVENT_TYPE.to_owned(),
            payload: payload.to_string(),
            created_at: now,
            lease_until: None,
        })
        .await
    }

    /// A page of the webhook's deliveries, newest first.
    pub async fn deliveries(
        &self,
        project_id: Uuid,
        id: Uuid,
        request: &PageRequest,
    ) -> Result<DeliveryPage, Error> {
        self.get(project_id, id).await?;
        let list = ListScope::new(Listing::WebhookDeliveries, project_id, SortKind::Time)
            .with(Some(&id.to_string()));
        let page = PageBounds::of(request, &list)?;
        let limit = usize::try_from(page.limit).unwrap_or(usize::MAX);
        let mut deliveries = self
            .store
            .webhooks()
            .deliveries(id, page.after.as_ref(), page.limit.saturating_add(1))
            .await?;
        let more = deliveries.len() > limit;
        deliveries.truncate(limit);
        let next_page_token = deliveries.last().filter(|_| more).map(|last| {
            list.token_after(&Cursor {
                key: SortValue::Time(last.created_at),
                id: last.id,
            })
        });
        Ok(DeliveryPage {
            deliveries,
            next_page_token,
        })
    }

    /// Delivers a delivery's event again, as a new delivery with the same
    /// event id (so the same `webhook-id`), whatever became of the first.
    pub async fn redeliver(
        &self,
        project_id: Uuid,
        webhook_id: Uuid,
        delivery_id: Uuid,
    ) -> Result<Delivery, Error> {
        let (delivery, payload) = self
            .store
            .webhooks()
            .delivery(project_id, webhook_id, delivery_id)
            .await?
            .ok_or(Error::NotFound(Resource::Delivery))?;
        self.enqueue(NewDelivery {
            id: Uuid::new_v4(),
            webhook_id,
            event_id: delivery.event_id,
            event_type: delivery.event_type,
            payload,
            created_at: now(),
            lease_until: None,
        })
        .await
    }

    /// Retention of the delivery log, one pass: of the finished deliveries
    /// made before `cut`, removes up to `batch`; how many went.
    pub async fn remove_finished_before(
        &self,
        cut: DateTime<Utc>,
        batch: u64,
    ) -> Result<u64, Error> {
        self.store.webhooks().remove_finished(cut, batch).await
    }

    /// Gives back the leases of the deliveries this process wrote and
    /// will not attempt (it is stopping); how many.
    pub async fn release_waiting(&self) -> Result<u64, Error> {
        let leases = self.settings.due.take_leased();
        if leases.is_empty() {
            return Ok(0);
        }
        self.store.webhooks().release_leases(&leases).await
    }

    async fn enqueue(&self, new: NewDelivery) -> Result<Delivery, Error> {
        self.store
            .webhooks()
            .insert_deliveries(std::slice::from_ref(&new))
            .await?;
        self.settings.due.hand([FreshDelivery {
            id: new.id,
            webhook_id: new.webhook_id,
            leased: None,
        }]);
        Ok(Delivery {
            id: new.id,
            webhook_id: new.webhook_id,
            event_id: new.event_id,
            event_type: new.event_type,
            status: crate::domain::DeliveryStatus::Pending,
            attempts: 0,
            response_status: None,
            error: None,
            duration_ms: None,
            created_at: new.created_at,
            next_attempt_at: Some(new.created_at),
        })
    }

    async fn check_address(&self, url: &WebhookUrl) -> Result<(), Error> {
        let parsed = url.url();
        let host = parsed.host_str().unwrap_or_default();
        let port = parsed.port_or_known_default().unwrap_or(443);
        match self.settings.policy.resolve(host, port).await {
            Err(Unreachable::NotPublic(why)) => Err(Error::invalid(format!("url: {why}"))),
            // A name that does not resolve now may later; each delivery
            // asks again, and refuses what is not public then.
            Ok(_) | Err(Unreachable::Unresolved(_)) => Ok(()),
        }
    }
}

/// With `If-Match`, locks the webhook in `tx` and checks it is as the
/// caller saw it; without, the write's own statement finds it or not.
async fn locked_as_expected(
    tx: &Transaction<'_>,
    project_id: Uuid,
    id: Uuid,
    precondition: Option<&Precondition<Webhook>>,
) -> Result<(), Error> {
    let Some(precondition) = precondition else {
        return Ok(());
    };
    let current = tx
        .webhooks()
        .lock(project_id, id)
        .await?
        .ok_or(Error::NotFound(Resource::Webhook))?;
    check(Some(precondition), &current)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DueDelivery;

    fn fresh(webhook_id: Uuid) -> FreshDelivery {
        FreshDelivery {
            id: Uuid::new_v4(),
            webhook_id,
            leased: None,
        }
    }

    #[test]
    fn a_webhook_at_its_limit_holds_back_no_other() {
        let due = Due::default();
        let (busy, free) = (Uuid::new_v4(), Uuid::new_v4());
        let busy_ones: Vec<FreshDelivery> = (0..3).map(|_| fresh(busy)).collect();
        let free_ones: Vec<FreshDelivery> = (0..2).map(|_| fresh(free)).collect();
        due.hand(busy_ones.iter().chain(&free_ones).cloned());
        let taken = due.take(10, |webhook| webhook == free);
        let ids = |list: &[FreshDelivery]| list.iter().map(|f| f.id).collect::<Vec<_>>();
        assert_eq!(ids(&taken), ids(&free_ones));
        assert!(due.has_fresh());
        assert_eq!(ids(&due.take(2, |_| true)), ids(&busy_ones[..2]));
        assert_eq!(ids(&due.take(10, |_| true)), ids(&busy_ones[2..]));
        assert!(!due.has_fresh());
        assert_eq!(due.room(), Due::LEASED_AT_MOST);
    }

    #[test]
    fn unleased_deliveries_past_the_bound_wait_in_the_table() {
        let due = Due::default();
        let webhook = Uuid::new_v4();
        due.hand((0..Due::LEASED_AT_MOST).map(|_| leased_delivery(webhook)));
        assert_eq!(due.room(), 0, "no more leased ones");
        due.hand((0..Due::FRESH_AT_MOST + 10).map(|_| fresh(webhook)));
        due.hand([leased_delivery(webhook)]);
        let taken = due.take(usize::MAX, |_| true);
        assert_eq!(taken.len(), Due::FRESH_AT_MOST + 1);
        assert!(taken.last().is_some_and(|f| f.leased.is_some()));
        assert_eq!(due.room(), Due::LEASED_AT_MOST);
    }

    #[test]
    fn a_stopping_process_takes_back_only_the_leased() {
        let due = Due::default();
        let webhook = Uuid::new_v4();
        let leased = leased_delivery(webhook);
        let unleased = fresh(webhook);
        due.hand([unleased.clone(), leased.clone()]);
        let taken = due.take_leased();
        assert_eq!(
            taken.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
            [leased.id]
        );
        assert_eq!(due.room(), Due::LEASED_AT_MOST);
        let rest = due.take(10, |_| true);
        assert_eq!(rest.iter().map(|f| f.id).collect::<Vec<_>>(), [unleased.id]);
    }

    fn leased_delivery(webhook_id: Uuid) -> FreshDelivery {
        let id = Uuid::new_v4();
        FreshDelivery {
            id,
            webhook_id,
            leased: Some(Box::new(LeasedDelivery {
                delivery: DueDelivery {
                    id,
                    webhook_id,
                    event_id: "evt".into(),
                    payload: "{}".into(),
                    attempts: 0,
                    url: "http://127.0.0.1:9/".into(),
                    secret: "whsec_x".into(),
                    failures_in_a_row: 0,
                },
                until: now(),
            })),
        }
    }
}

//! Webhooks: a project's receivers of the change feed, their deliveries'
//! log, a ping and a redelivery. Deliveries are made in the background.

use poem_openapi::{
    OpenApi,
    param::{Header, Query},
    payload::Json,
};

use super::{
    error::{Create, Delete, Edit, Failure, List, OnOne, Read},
    etag::{Created, Fetched, Written, matching},
    explain::Body,
    params::{DeliveryId, Path, ProjectId, WebhookId},
    routes::{ApiTags, BASE_PATH},
    types::{
        Accepted, CreateWebhook, DeleteStatus, DeliveryList, Nullable, UpdateWebhook, WebhookBody,
        WebhookList, WebhookWithSecret,
    },
};
use crate::{
    domain::{NewWebhook, PageRequest, Webhook, WebhookChanges, WebhookUrl},
    registry::Registry,
};

pub struct WebhooksApi {
    pub registry: Registry,
}

#[OpenApi(prefix_path = BASE_PATH, tag = "ApiTags::Webhooks")]
impl WebhooksApi {
    /// Register a webhook
    ///
    /// Every matching event committed from now on is POSTed to `url`,
    /// signed with the secret in this answer, which no other answer shows.
    /// A URL that is not http(s), carries credentials, or names an address
    /// that is not public is refused (400), unless the address is inside
    /// `WEBHOOK_ALLOWED_NETWORKS`.
    #[oai(path = "/webhooks", method = "post", operation_id = "createWebhook")]
    async fn create(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        body: Body<CreateWebhook>,
    ) -> Result<Created<WebhookWithSecret>, Failure<Create>> {
        let body = body.0;
        let new = NewWebhook {
            url: WebhookUrl::parse(&body.url)?,
            event_types: body.event_types,
            description: body.description,
        };
        let (webhook, secret) = self.registry.webhooks().create(project.0, new).await?;
        let shown = WebhookBody::from(webhook.clone());
        Ok(Created::answer_as(
            WebhookWithSecret::new(webhook, secret),
            &shown,
        ))
    }

    /// List the project's webhooks, newest first
    #[oai(path = "/webhooks", method = "get", operation_id = "listWebhooks")]
    async fn list(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
    ) -> Result<Json<WebhookList>, Failure<List>> {
        let webhooks = self.registry.webhooks().list(project.0).await?;
        Ok(Json(WebhookList {
            webhooks: webhooks.into_iter().map(Into::into).collect(),
        }))
    }

    /// Get a webhook
    #[oai(
        path = "/webhooks/:webhook_id",
        method = "get",
        operation_id = "getWebhook"
    )]
    async fn get(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        /// Answers 304, with no body, when it names the resource's ETag.
        #[oai(name = "If-None-Match")]
        if_none_match: Header<Option<String>>,
        webhook_id: Path<WebhookId>,
    ) -> Result<Fetched<WebhookBody>, Failure<Read>> {
        let webhook = self
            .registry
            .webhooks()
            .get(project.0, webhook_id.0)
            .await?;
        Ok(Fetched::answer(webhook.into(), if_none_match.0.as_deref()))
    }

    /// Update a webhook
    ///
    /// Every field is optional. `enabled: true` also forgets the failures
    /// that disabled it.
    #[oai(
        path = "/webhooks/:webhook_id",
        method = "patch",
        operation_id = "updateWebhook"
    )]
    async fn update(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        /// Refused with 412 unless it names the resource's current ETag.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        webhook_id: Path<WebhookId>,
        body: Body<UpdateWebhook>,
    ) -> Result<Written<WebhookBody>, Failure<Edit>> {
        let body = body.0;
        let changes = WebhookChanges {
            url: body.url.as_deref().map(WebhookUrl::parse).transpose()?,
            event_types: body.event_types,
            description: body.description,
            enabled: body.enabled,
        };
        let precondition = matching::<Webhook, WebhookBody>(if_match.0);
        let webhook = self
            .registry
            .webhooks()
            .update(project.0, webhook_id.0, changes, precondition.as_ref())
            .await?;
        Ok(Written::answer(webhook.into()))
    }

    /// Delete a webhook, and its deliveries
    #[oai(
        path = "/webhooks/:webhook_id",
        method = "delete",
        operation_id = "deleteWebhook"
    )]
    async fn delete(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        /// Refused with 412 unless it names the resource's current ETag.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        webhook_id: Path<WebhookId>,
    ) -> Result<Json<DeleteStatus>, Failure<Delete>> {
        let precondition = matching::<Webhook, WebhookBody>(if_match.0);
        self.registry
            .webhooks()
            .delete(project.0, webhook_id.0, precondition.as_ref())
            .await?;
        Ok(Json(DeleteStatus::deleted()))
    }

    /// Ping a webhook
    ///
    /// Delivers a `webhook.ping` event, in the background, as any other.
    #[oai(
        path = "/webhooks/:webhook_id/ping",
        method = "post",
        operation_id = "pingWebhook"
    )]
    async fn ping(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        webhook_id: Path<WebhookId>,
    ) -> Result<Accepted, Failure<OnOne>> {
        let delivery = self
            .registry
            .webhooks()
            .ping(project.0, webhook_id.0)
            .await?;
        Ok(Accepted::Accepted(Json(delivery.into())))
    }

    /// List a webhook's deliveries, newest first
    #[oai(
        path = "/webhooks/:webhook_id/deliveries",
        method = "get",
        operation_id = "listWebhookDeliveries"
    )]
    async fn deliveries(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        webhook_id: Path<WebhookId>,
        /// Page size, 1..100 (default 20).
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<i64>>,
        /// Continue after the page that answered this `next_page_token`.
        #[oai(validator(max_length = 1024))]
        page_token: Query<Option<String>>,
    ) -> Result<Json<DeliveryList>, Failure<Read>> {
        let request = PageRequest {
            limit: limit.0,
            offset: None,
            page_token: page_token.0,
        };
        let page = self
            .registry
            .webhooks()
            .deliveries(project.0, webhook_id.0, &request)
            .await?;
        Ok(Json(DeliveryList {
            deliveries: page.deliveries.into_iter().map(Into::into).collect(),
            next_page_token: Nullable(page.next_page_token),
        }))
    }

    /// Deliver a delivery's event again
    ///
    /// A new delivery of the same event, with the same `webhook-id`.
    #[oai(
        path = "/webhooks/:webhook_id/deliveries/:delivery_id/redeliver",
        method = "post",
        operation_id = "redeliverWebhookDelivery"
    )]
    async fn redeliver(
        &self,
        #[oai(name = "Project-ID")] project: ProjectId,
        webhook_id: Path<WebhookId>,
        delivery_id: Path<DeliveryId>,
    ) -> Result<Accepted, Failure<OnOne>> {
        let delivery = self
            .registry
            .webhooks()
            .redeliver(project.0, webhook_id.0, delivery_id.0)
            .await?;
        Ok(Accepted::Accepted(Json(delivery.into())))
    }
}

-- DELETE /webhooks/{id}, first its deliveries, pending ones included.
-- $1 id: the webhook's id
DELETE FROM model_registry_webhook_delivery WHERE webhook_id = $1

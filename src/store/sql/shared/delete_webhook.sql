-- DELETE /webhooks/{id}, after its deliveries.
-- $1 id: the webhook's id
-- $2 project_id: the caller's project
DELETE FROM model_registry_webhook WHERE id = $1 AND (project_id = $2) IS TRUE

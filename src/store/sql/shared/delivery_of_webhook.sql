-- A delivery of a webhook of the project, whole: what a redelivery copies.
-- $1 id: the delivery's id
-- $2 webhook_id: its webhook
-- $3 project_id: the caller's project
SELECT d.*
FROM model_registry_webhook_delivery d
JOIN model_registry_webhook w ON w.id = d.webhook_id
WHERE d.id = $1 AND d.webhook_id = $2 AND (w.project_id = $3) IS TRUE

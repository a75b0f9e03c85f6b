-- GET /webhooks/{id}.
-- $1 id: the webhook's id
-- $2 project_id: the caller's project
WHERE id = $1 AND (project_id = $2) IS TRUE

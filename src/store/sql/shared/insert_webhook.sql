-- POST /webhooks.
-- $1 id, $2 created_at (and updated_at), $3 project_id, $4 url,
-- $5 event_types (a JSON array), $6 description, $7 secret
INSERT INTO model_registry_webhook (
    id, created_at, updated_at, project_id, url, event_types, description,
    secret, enabled, failures_in_a_row
) VALUES ($1, $2, $2, $3, $4, $5, $6, $7, TRUE, 0)

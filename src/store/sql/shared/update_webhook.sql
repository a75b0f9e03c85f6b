-- PATCH /webhooks/{id}: each change given, the others left as they are;
-- enabling it again forgets the failures that disabled it.
-- $1 id, $2 project_id, $3 updated_at, $4 url, $5 event_types,
-- $6 description, $7 enabled: NULL leaves a column as it is
UPDATE model_registry_webhook SET
    updated_at = $3,
    url = COALESCE($4, url),
    event_types = COALESCE($5, event_types),
    description = COALESCE($6, description),
    enabled = COALESCE($7, enabled),
    failures_in_a_row = CASE WHEN $7 THEN 0 ELSE failures_in_a_row END
WHERE id = $1 AND (project_id = $2) IS TRUE

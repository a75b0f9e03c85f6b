-- The enabled webhooks of some projects, each with the secret-free columns
-- the fan-out needs: which events it takes, and since when.
-- $1 projects: a JSON array of project ids (SQLite keeps a UUID's bytes)
SELECT id, project_id, event_types, created_at
FROM model_registry_webhook
WHERE enabled AND project_id IN (SELECT unhex(replace(value, '-', '')) FROM json_each($1))

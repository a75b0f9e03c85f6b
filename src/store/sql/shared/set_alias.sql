-- PUT /models/{model_id}/aliases/{alias}: makes the alias, or moves it,
-- under the model's lock.
-- $1 events: the write's events, a JSON array (see append_events.sql)
-- $2 id: the alias's id, kept only when the alias is new
-- $3 model_id: the alias's model
-- $4 alias: its name
-- $5 version_id: the version it names from now on
-- $6 updated_at: now
-- $7 project_id: the model's project
INSERT INTO model_registry_model_alias (
    id, created_at, updated_at, alias, registered_model_id, version_id, project_id
) VALUES ($2, $6, $6, $4, $3, $5, $7)
ON CONFLICT (registered_model_id, alias)
DO UPDATE SET version_id = excluded.version_id, updated_at = excluded.updated_at

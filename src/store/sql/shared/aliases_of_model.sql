-- GET /models/{model_id}/aliases: the model's aliases (the store sorts them
-- by name); one row with no alias when it has none, and no row at all when
-- the project has no such model.
-- $1 model_id: the model's id
-- $2 project_id: the caller's project
SELECT a.alias, a.version_id, a.updated_at
FROM model_registry_registered_model m
LEFT JOIN model_registry_model_alias a ON a.registered_model_id = m.id
WHERE m.id = $1 AND (m.project_id = $2) IS TRUE

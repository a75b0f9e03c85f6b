-- GET /models/{model_id}/aliases/{alias}: the alias, and the version it
-- names whole (version_columns.sql follows). The alias carries its project,
-- so that this reads the rows GET /model_versions/{id} reads, and no more.
-- $1 model_id: the alias's model
-- $2 project_id: the caller's project
-- $3 alias: the alias's name
WITH chosen AS (
    SELECT v.*, 1 AS n, a.alias AS alias_name, a.updated_at AS alias_updated_at
    FROM model_registry_model_alias a
    JOIN model_registry_model_version v ON v.id = a.version_id
    WHERE a.registered_model_id = $1 AND a.alias = $3 AND (a.project_id = $2) IS TRUE
)
SELECT v.alias_name, v.alias_updated_at,

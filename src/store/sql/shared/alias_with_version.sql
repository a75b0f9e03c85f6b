-- GET /models/{model_id}/aliases/{alias}: the alias, and the version it
-- names whole (version_whole.sql, inside `whole`: alias_tail.sql closes it).
-- $1 model_id: the alias's model
-- $2 project_id: the caller's project
-- $3 alias: the alias's name
WITH named AS (
    SELECT a.alias, a.updated_at, a.version_id
    FROM model_registry_model_alias a
    JOIN model_registry_registered_model m ON m.id = a.registered_model_id
    WHERE a.registered_model_id = $1 AND a.alias = $3 AND (m.project_id = $2) IS TRUE
),
chosen AS (
    SELECT v.*, 1 AS n
    FROM named
    JOIN model_registry_model_version v ON v.id = named.version_id
)
SELECT named.alias AS alias_name, named.updated_at AS alias_updated_at, whole.*
FROM named CROSS JOIN (

-- GET /model_versions/{id}, /model_artifacts/{id}.
-- $1 id: the version's id
-- $2 project_id: the caller's project
-- `(...) IS TRUE` filters the row found by key and is no index condition,
-- so the planner never walks a project index instead of the primary key.
WITH chosen AS (
    SELECT v.*, 1 AS n
    FROM model_registry_model_version v
    JOIN model_registry_registered_model m ON m.id = v.registered_model_id
    WHERE v.id = $1 AND (m.project_id = $2) IS TRUE
)

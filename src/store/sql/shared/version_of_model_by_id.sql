-- GET /models/{model_id}/versions/{id}.
-- $1 id: the version's id
-- $2 project_id: the caller's project
-- $3 model_id: the model the version must belong to
WITH chosen AS (
    SELECT v.*, 1 AS n
    FROM model_registry_model_version v
    JOIN model_registry_registered_model m ON m.id = v.registered_model_id
    WHERE v.id = $1 AND (m.project_id = $2) IS TRUE AND v.registered_model_id = $3
)

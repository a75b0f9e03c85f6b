-- GET /model?name=: the unique (project_id, name) index finds it.
-- $1 project_id: the caller's project
-- $2 name: the model's exact name
WITH chosen AS (
    SELECT m.*, 1 AS n
    FROM model_registry_registered_model m
    WHERE m.project_id = $1 AND m.name = $2
)

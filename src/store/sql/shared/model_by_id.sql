-- GET /models/{id}, GET /model?externalId=.
-- $1 id: the model's id
-- $2 project_id: the caller's project
-- `(...) IS TRUE` filters the row found by key and is no index condition,
-- so the planner never walks a project index instead of the primary key.
WITH chosen AS (
    SELECT m.*, 1 AS n
    FROM model_registry_registered_model m
    WHERE m.id = $1 AND (m.project_id = $2) IS TRUE
)

-- A model of the project and its state (the write transaction already holds
-- SQLite's one write lock).
-- $1 id: the model's id
-- $2 project_id: the caller's project
SELECT state FROM model_registry_registered_model
WHERE id = $1 AND (project_id = $2) IS TRUE

-- The model of a write that creates a version, if it is the project's (the
-- write transaction already holds SQLite's one write lock).
-- $22 registered_model_id: the model's id, $23 project_id: the caller's project
locked AS (
    SELECT m.id FROM model_registry_registered_model m
    WHERE m.id = $22 AND (m.project_id = $23) IS TRUE
)

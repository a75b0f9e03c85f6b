-- The model of a version of the project (the write transaction already
-- holds SQLite's one write lock).
-- $1 id: the version's id
-- $2 project_id: the caller's project
SELECT m.id
FROM model_registry_model_version v
JOIN model_registry_registered_model m ON m.id = v.registered_model_id
WHERE v.id = $1 AND (m.project_id = $2) IS TRUE

-- Locks the model a version of the project belongs to; the model's id.
-- $1 id: the version's id
-- $2 project_id: the caller's project
SELECT m.id FROM model_registry_registered_model m
JOIN model_registry_model_version v ON v.registered_model_id = m.id
WHERE v.id = $1 AND (m.project_id = $2) IS TRUE
FOR UPDATE OF m

-- Whether the project has this model (before a version is created or listed).
-- $1 id: the model's id
-- $2 project_id: the caller's project
SELECT 1 FROM model_registry_registered_model WHERE id = $1 AND (project_id = $2) IS TRUE

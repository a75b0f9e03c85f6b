-- How many webhooks a project has (a new one is refused past the maximum).
-- $1 project_id: the project
SELECT COUNT(*) FROM model_registry_webhook WHERE project_id = $1

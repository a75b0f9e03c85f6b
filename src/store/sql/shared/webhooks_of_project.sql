-- GET /webhooks: the project's webhooks, newest first.
-- $1 project_id: the caller's project
WHERE project_id = $1
ORDER BY created_at DESC, id DESC

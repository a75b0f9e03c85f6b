-- GET /events: a project's events after a position, oldest first. SQLite
-- commits one writer at a time, in `id` order: what is visible has no gap.
-- $1 project_id: the caller's project
-- $2 after_txid, $3 after_id: the position the reader stands at
-- $4 types: a JSON array of the types asked for, or NULL for all
-- $5 limit: the page's size
SELECT id, txid, project_id, model_id, version_id, type, occurred_at,
    request_id, data, changes
FROM model_registry_event
WHERE project_id = $1
    AND (txid, id) > ($2, $3)
    AND ($4 IS NULL OR type IN (SELECT value FROM json_each($4)))
ORDER BY txid, id
LIMIT $5

-- GET /events?model_id=: one model's events after a position, oldest first.
-- $1 project_id: the caller's project
-- $2 after_txid, $3 after_id: the position the reader stands at
-- $4 types: a JSON array of the types asked for, or NULL for all
-- $5 limit: the page's size
-- $6 model_id: the model
SELECT id, txid, project_id, model_id, version_id, type, occurred_at,
    request_id, data, changes
FROM model_registry_event
WHERE model_id = $6
    AND project_id = $1
    AND (txid, id) > ($2, $3)
    AND ($4 IS NULL OR type IN (SELECT value FROM json_each($4)))
ORDER BY txid, id
LIMIT $5

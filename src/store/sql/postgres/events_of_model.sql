-- GET /events?model_id=: one model's events after a position, oldest
-- first, below the horizon (feed_horizon.sql).
-- $1 project_id: the caller's project
-- $2 after_txid, $3 after_id: the position the reader stands at
-- $4 types: a JSON array of the types asked for, or NULL for all
-- $5 limit: the page's size
-- $6 model_id: the model
SELECT e.id, e.txid, e.project_id, e.model_id, e.version_id, e.type,
    e.occurred_at, e.request_id, e.data, e.changes
FROM model_registry_event e, horizon
WHERE e.model_id = $6
    AND e.project_id = $1
    AND (e.txid, e.id) > ($2, $3)
    AND e.txid < horizon.txid
    AND ($4::jsonb IS NULL OR $4::jsonb ? e.type)
ORDER BY e.txid, e.id
LIMIT $5

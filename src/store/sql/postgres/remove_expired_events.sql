-- Retention: of the oldest events, removes those that occurred before the
-- cut, and records per project the last one removed (a cursor before it
-- has lost events). Small batches, each its own transaction, so that
-- writers never wait on it. Answers how many went.
-- $1 cut: events that occurred before it go
-- $2 batch: how many of the oldest events one pass looks at
WITH doomed AS (
    SELECT id FROM (
        SELECT id, occurred_at FROM model_registry_event ORDER BY id LIMIT $2
    ) oldest
    WHERE occurred_at < $1
),
gone AS (
    DELETE FROM model_registry_event e USING doomed WHERE e.id = doomed.id
    RETURNING e.project_id, e.txid, e.id
),
marked AS (
    INSERT INTO model_registry_event_retention AS r (project_id, txid, event_id)
    SELECT DISTINCT ON (project_id) project_id, txid, id
    FROM gone ORDER BY project_id, txid DESC, id DESC
    ON CONFLICT (project_id) DO UPDATE
    SET txid = excluded.txid, event_id = excluded.event_id
    WHERE (r.txid, r.event_id) < (excluded.txid, excluded.event_id)
)
SELECT COUNT(*) AS removed FROM gone

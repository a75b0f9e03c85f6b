-- The publisher (EVENTS_NATS_URL): every project's events after its
-- position, in feed order, below the horizon (feed_horizon.sql), so that
-- what it publishes is final and in each model's commit order.
-- $1 after_txid, $2 after_id: the position the publisher stands at
-- $3 limit: the batch's size
SELECT e.id, e.txid, e.project_id, e.model_id, e.version_id, e.type,
    e.occurred_at, e.request_id, e.data, e.changes
FROM model_registry_event e, horizon
WHERE (e.txid, e.id) > ($1, $2)
    AND e.txid < horizon.txid
ORDER BY e.txid, e.id
LIMIT $3

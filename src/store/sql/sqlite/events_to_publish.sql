-- The publisher (EVENTS_NATS_URL): every project's events after its
-- position, in feed order: on SQLite, one writer at a time and `txid`
-- always 0, the row id alone, with no gap in what is visible.
-- $1 after_txid: 0, $2 after_id: the position the publisher stands at
-- $3 limit: the batch's size
SELECT id, txid, project_id, model_id, version_id, type, occurred_at,
    request_id, data, changes
FROM model_registry_event
WHERE id > $2 AND txid = $1
ORDER BY id
LIMIT $3

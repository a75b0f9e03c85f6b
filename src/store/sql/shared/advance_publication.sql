-- Moves a publisher's position forward, never back: a publisher that lost
-- its claim to another cannot undo what the other has recorded.
-- $1 name: the publication
-- $2 after_txid, $3 after_id: the position it has reached (the last event
-- acknowledged)
INSERT INTO model_registry_event_publication (name, txid, event_id)
VALUES ($1, $2, $3)
ON CONFLICT (name) DO UPDATE
SET txid = excluded.txid, event_id = excluded.event_id
WHERE (model_registry_event_publication.txid, model_registry_event_publication.event_id)
    < (excluded.txid, excluded.event_id)

-- Where a publisher of the feed stands: the last event it has had
-- acknowledged (no row: it has published nothing yet). In the fan-out's
-- transaction the row stays locked to its commit, so that a process that
-- wrongly believes itself the publisher waits, then reads the new position.
-- $1 name: the publication
SELECT txid, event_id FROM model_registry_event_publication WHERE name = $1
FOR UPDATE

-- Where a publisher of the feed stands: the last event it has had
-- acknowledged (no row: it has published nothing yet).
-- $1 name: the publication
SELECT txid, event_id FROM model_registry_event_publication WHERE name = $1

-- Retention, first step: records per project the last event that
-- remove_expired_events.sql is about to remove (a cursor before it has
-- lost events). Same parameters.
-- $1 cut: events that occurred before it go
-- $2 batch: how many of the oldest events one pass looks at
INSERT INTO model_registry_event_retention (project_id, txid, event_id)
SELECT project_id, 0, MAX(id) FROM (
    SELECT id, project_id, occurred_at FROM model_registry_event ORDER BY id LIMIT $2
) oldest
WHERE occurred_at < $1
GROUP BY project_id
ON CONFLICT (project_id) DO UPDATE
SET event_id = MAX(event_id, excluded.event_id)

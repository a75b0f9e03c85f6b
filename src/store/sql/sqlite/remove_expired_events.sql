-- Retention: of the oldest events, removes those that occurred before the
-- cut (after mark_expired_events.sql, in the same transaction).
-- $1 cut: events that occurred before it go
-- $2 batch: how many of the oldest events one pass looks at
DELETE FROM model_registry_event WHERE id IN (
    SELECT id FROM (
        SELECT id, occurred_at FROM model_registry_event ORDER BY id LIMIT $2
    ) oldest
    WHERE occurred_at < $1
)

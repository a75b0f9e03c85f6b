-- The id of the last event, 0 when there is none: where a process starts
-- looking for the events other processes on the same file append.
SELECT coalesce(max(id), 0) AS last_id FROM model_registry_event

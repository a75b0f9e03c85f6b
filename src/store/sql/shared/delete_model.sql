-- DELETE a model, last the row itself (the caller has locked it).
-- $1 events: the write's events, a JSON array (see append_events.sql)
-- $2 id: the model's id
DELETE FROM model_registry_registered_model WHERE id = $2

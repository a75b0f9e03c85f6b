-- DELETE /models/{model_id}/aliases/{alias}, under the model's lock.
-- $1 events: the write's events, a JSON array (see append_events.sql)
-- $2 model_id: the alias's model
-- $3 alias: its name
DELETE FROM model_registry_model_alias WHERE registered_model_id = $2 AND alias = $3

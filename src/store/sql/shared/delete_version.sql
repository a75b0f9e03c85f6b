-- DELETE a version or an artifact, whose model the caller has locked.
-- $1 events: the write's events, a JSON array (see append_events.sql)
-- $2 id: the version's id
DELETE FROM model_registry_model_version WHERE id = $2

-- How far retention has removed a project's events: the position of the
-- last one it removed (no row when it has removed none). A cursor before
-- it has lost events.
-- $1 project_id: the caller's project
SELECT txid, event_id FROM model_registry_event_retention WHERE project_id = $1

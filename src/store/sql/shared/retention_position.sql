-- Whether retention has removed an event of the project after a position.
-- $1 project_id: the caller's project
-- $2 after_txid, $3 after_id: the position the reader stands at
SELECT 1 FROM model_registry_event_retention
WHERE project_id = $1 AND (txid, event_id) > ($2, $3)

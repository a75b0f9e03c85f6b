-- Locks a model of the project for the rest of the transaction; its state.
-- $1 id: the model's id
-- $2 project_id: the caller's project
-- The model's advisory lock comes first: the row lock gives the
-- transaction its id, which orders the feed, so a writer waiting on the
-- model gets its id only once the one before it has committed.
SELECT m.state
FROM model_registry_registered_model m,
    LATERAL (SELECT pg_advisory_xact_lock(hashtextextended(m.id::text, 0))) AS serial
WHERE m.id = $1 AND (m.project_id = $2) IS TRUE
FOR UPDATE OF m

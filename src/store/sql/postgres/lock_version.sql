-- Locks the model of a version of the project for the rest of the
-- transaction (the advisory lock first, as in lock_model.sql); the model's
-- id. The version is read after, in a statement of its own, whose snapshot
-- then holds what the writer this waited for committed.
-- $1 id: the version's id
-- $2 project_id: the caller's project
SELECT m.id
FROM model_registry_model_version v
JOIN model_registry_registered_model m ON m.id = v.registered_model_id,
    LATERAL (SELECT pg_advisory_xact_lock(hashtextextended(m.id::text, 0))) AS serial
WHERE v.id = $1 AND (m.project_id = $2) IS TRUE
FOR UPDATE OF m

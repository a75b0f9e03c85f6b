-- Locks a model of the project for the rest of the transaction, and reads
-- it whole: what a PATCH or DELETE changes, and its event's `data` before.
-- $1 id: the model's id
-- $2 project_id: the caller's project
-- The advisory lock first, as in lock_model.sql.
WITH chosen AS (
    SELECT m.*, 1 AS n
    FROM model_registry_registered_model m,
        LATERAL (SELECT pg_advisory_xact_lock(hashtextextended(m.id::text, 0))) AS serial
    WHERE m.id = $1 AND (m.project_id = $2) IS TRUE
    FOR UPDATE OF m
)

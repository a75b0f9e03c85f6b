-- Locks the model of a version of the project for the rest of the
-- transaction, and reads the version whole: what a PATCH or DELETE changes.
-- $1 id: the version's id
-- $2 project_id: the caller's project
-- The advisory lock first, as in lock_model.sql. The version's row is
-- locked too, so that a change committed while this waited for the lock is
-- read (the statement's snapshot is older than its wait).
WITH chosen AS (
    SELECT v.*, 1 AS n
    FROM model_registry_model_version v
    JOIN model_registry_registered_model m ON m.id = v.registered_model_id,
        LATERAL (SELECT pg_advisory_xact_lock(hashtextextended(m.id::text, 0))) AS serial
    WHERE v.id = $1 AND (m.project_id = $2) IS TRUE
    FOR UPDATE OF m, v
)

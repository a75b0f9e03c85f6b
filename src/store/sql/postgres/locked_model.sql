-- The model of a write that creates a version, locked as lock_model.sql
-- locks it (advisory lock first, for the feed's order), so that the create
-- is one statement.
-- $22 registered_model_id: the model's id, $23 project_id: the caller's project
locked AS (
    SELECT m.id FROM model_registry_registered_model m,
        LATERAL (SELECT pg_advisory_xact_lock(hashtextextended(m.id::text, 0))) AS serial
    WHERE m.id = $22 AND (m.project_id = $23) IS TRUE
    FOR UPDATE OF m
)

-- PATCH a version on PostgreSQL, in one statement: the previous default
-- cleared when it becomes the default, then the change.
-- Parameters as update_version_columns.sql's, and
-- $15 model_id: the version's model
WITH cleared AS (
    UPDATE model_registry_model_version
    SET is_default = FALSE, updated_at = $3
    WHERE $6 IS TRUE AND registered_model_id = $15 AND is_default = TRUE AND id <> $2
),
written AS (

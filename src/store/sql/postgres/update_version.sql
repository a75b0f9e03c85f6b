-- PATCH a version on PostgreSQL, in one statement: the previous default
-- cleared when it becomes the default, the change, and the row read back.
-- Parameters as update_version_columns.sql's, and
-- $14 model_id: the version's model
WITH cleared AS (
    UPDATE model_registry_model_version
    SET is_default = FALSE, updated_at = $2
    WHERE $5 IS TRUE AND registered_model_id = $14 AND is_default = TRUE AND id <> $1
),
chosen AS (

-- POST a version with is_default: the model's previous default is cleared
-- in the same statement. Parameters as insert_version.sql's.
cleared AS (
    UPDATE model_registry_model_version
    SET is_default = FALSE, updated_at = $4
    WHERE registered_model_id = $22 AND is_default = TRUE
)

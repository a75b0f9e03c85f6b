-- Before a version becomes the default: the model's other versions stop
-- being it (SQLite, where a write cannot go inside WITH).
-- $1 model_id: the version's model
-- $2 id: the version that becomes the default (none when it is new)
-- $3 updated_at: the time of the change
UPDATE model_registry_model_version
SET is_default = FALSE, updated_at = $3
WHERE registered_model_id = $1 AND is_default = TRUE AND id IS NOT $2

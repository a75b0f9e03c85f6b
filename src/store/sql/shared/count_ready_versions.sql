-- How many versions of a model are READY (a model with one is not deleted).
-- $1 model_id: the model's id
SELECT COUNT(*) FROM model_registry_model_version
WHERE registered_model_id = $1 AND status = 'READY'

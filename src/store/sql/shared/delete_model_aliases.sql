-- DELETE a model, first its aliases (before its versions, which they name).
-- $1 model_id: the model's id
DELETE FROM model_registry_model_alias WHERE registered_model_id = $1

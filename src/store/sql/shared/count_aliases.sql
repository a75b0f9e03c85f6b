-- How many aliases a model has (a new one is refused past the maximum).
-- $1 model_id: the model's id
SELECT COUNT(*) FROM model_registry_model_alias WHERE registered_model_id = $1

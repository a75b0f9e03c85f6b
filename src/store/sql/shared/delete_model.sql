-- DELETE a model, last the row itself (the caller has locked it).
-- $1 id: the model's id
DELETE FROM model_registry_registered_model WHERE id = $1

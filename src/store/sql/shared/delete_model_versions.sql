-- DELETE a model, first its versions: CMP's tables have no cascade in the
-- database (Django emulates it), so the versions go explicitly.
-- $1 model_id: the model's id
DELETE FROM model_registry_model_version WHERE registered_model_id = $1

-- DELETE a model, then: its children lose their parent, as CMP's
-- on_delete=SET_NULL does (its foreign key keeps no pointer to nothing).
-- $1 model_id: the model's id
UPDATE model_registry_registered_model SET parent_model_id = NULL WHERE parent_model_id = $1

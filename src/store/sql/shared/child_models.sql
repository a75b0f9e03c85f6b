-- The models whose parent is being deleted, with their projects: each is
-- locked and announced before orphan_child_models.sql clears its pointer.
-- $1 model_id: the parent's id
SELECT id, project_id FROM model_registry_registered_model
WHERE parent_model_id = $1
ORDER BY id

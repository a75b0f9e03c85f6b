-- DELETE a version or an artifact, whose model the caller has locked.
-- $1 id: the version's id
DELETE FROM model_registry_model_version WHERE id = $1

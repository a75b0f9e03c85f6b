-- PATCH a version or an artifact: each given field (not NULL) replaces its
-- column, in one statement, so that two PATCHes of different fields both
-- survive.
-- $1 id: the version's id
-- $2 updated_at: the time of the change
-- $3 name, $4 description, $5 is_default, $6 state, $7 status,
-- $8 artifact_type, $9 model_framework, $10 model_framework_version,
-- $11 container_image, $12 uri, $13 labels: the new values, or NULL
UPDATE model_registry_model_version SET
    updated_at = $2,
    name = COALESCE($3, name),
    description = COALESCE($4, description),
    is_default = COALESCE($5, is_default),
    state = COALESCE($6, state),
    status = COALESCE($7, status),
    artifact_type = COALESCE($8, artifact_type),
    model_framework = COALESCE($9, model_framework),
    model_framework_version = COALESCE($10, model_framework_version),
    container_image = COALESCE($11, container_image),
    uri = COALESCE($12, uri),
    labels = COALESCE($13, labels)
WHERE id = $1

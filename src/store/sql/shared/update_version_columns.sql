-- PATCH a version or an artifact, whose model the caller has locked (on
-- SQLite, or that is as it was read: unchanged_since.sql follows): each
-- given field (not NULL) replaces its column, in one statement.
-- $1 events: the write's events, a JSON array (see append_events.sql)
-- $2 id: the version's id
-- $3 updated_at: the time of the change
-- $4 name, $5 description, $6 is_default, $7 state, $8 status,
-- $9 artifact_type, $10 model_framework, $11 model_framework_version,
-- $12 container_image, $13 uri, $14 labels: the new values, or NULL
UPDATE model_registry_model_version SET
    updated_at = $3,
    name = COALESCE($4, name),
    description = COALESCE($5, description),
    is_default = COALESCE($6, is_default),
    state = COALESCE($7, state),
    status = COALESCE($8, status),
    artifact_type = COALESCE($9, artifact_type),
    model_framework = COALESCE($10, model_framework),
    model_framework_version = COALESCE($11, model_framework_version),
    container_image = COALESCE($12, container_image),
    uri = COALESCE($13, uri),
    labels = COALESCE($14, labels)
WHERE id = $2

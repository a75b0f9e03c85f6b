-- POST a version or an artifact: the whole row, as the registry made it,
-- only if its model is the project's (`locked`, locked_model.sql, names it).
-- $1 events: the write's events, a JSON array (see append_events.sql)
-- $2 id, $3 created_at, $4 updated_at, $5 name, $6 description,
-- $7 is_default, $8 state, $9 status, $10 artifact_type, $11 model_framework,
-- $12 model_framework_version, $13 container_image, $14 model_catalog_name,
-- $15 uri, $16 access_key, $17 secret_key, $18 labels,
-- $19 prebuilt_container_id, $20 created_by_id, $21 updated_by_id,
-- $22 registered_model_id, $23 project_id: the caller's project
INSERT INTO model_registry_model_version (
    id, created_at, updated_at, name, description, is_default, state, status,
    artifact_type, model_framework, model_framework_version, container_image,
    model_catalog_name, uri, access_key, secret_key, labels,
    prebuilt_container_id, created_by_id, updated_by_id, registered_model_id
)
SELECT
    $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
    $18, $19, $20, $21, locked.id
FROM locked

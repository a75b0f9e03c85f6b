-- POST a version or an artifact: the whole row, as the registry made it.
-- $1 id, $2 created_at, $3 updated_at, $4 name, $5 description,
-- $6 is_default, $7 state, $8 status, $9 artifact_type, $10 model_framework,
-- $11 model_framework_version, $12 container_image, $13 model_catalog_name,
-- $14 uri, $15 access_key, $16 secret_key, $17 labels,
-- $18 prebuilt_container_id, $19 created_by_id, $20 updated_by_id,
-- $21 registered_model_id
INSERT INTO model_registry_model_version (
    id, created_at, updated_at, name, description, is_default, state, status,
    artifact_type, model_framework, model_framework_version, container_image,
    model_catalog_name, uri, access_key, secret_key, labels,
    prebuilt_container_id, created_by_id, updated_by_id, registered_model_id
) VALUES (
    $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
    $17, $18, $19, $20, $21
)

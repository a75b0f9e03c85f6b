-- The versions in `chosen`, whole: every column but the secrets (read as
-- '' so that they never leave the database), the two emails, and the names
-- of the aliases that name each, comma-separated (the store sorts them).
SELECT
    v.id, v.created_at, v.updated_at, v.name, v.description, v.is_default,
    v.state, v.status, v.artifact_type, v.model_framework,
    v.model_framework_version, v.container_image, v.model_catalog_name, v.uri,
    '' AS access_key, '' AS secret_key, v.labels, v.prebuilt_container_id,
    v.created_by_id, v.updated_by_id, v.registered_model_id,
    COALESCE(created_by.email, '') AS created_by_email,
    COALESCE(updated_by.email, '') AS updated_by_email,
    COALESCE((SELECT string_agg(a.alias, ',') FROM model_registry_model_alias a
        WHERE a.version_id = v.id), '') AS aliases
FROM chosen v
LEFT JOIN tenant_user created_by ON created_by.id = v.created_by_id
LEFT JOIN tenant_user updated_by ON updated_by.id = v.updated_by_id
ORDER BY v.n

-- A version's columns as every answer shows them, after a `SELECT` (and
-- any columns of the statement's own), `v` being the version's row: all
-- but the secrets (read as '' so that they never leave the database), and
-- the two emails, looked up only when there is a user: most versions have
-- none, and a join cost a lookup for nothing (docs/performance.md). Each
-- dialect's version_aliases.sql follows.
    v.id, v.created_at, v.updated_at, v.name, v.description, v.is_default,
    v.state, v.status, v.artifact_type, v.model_framework,
    v.model_framework_version, v.container_image, v.model_catalog_name, v.uri,
    '' AS access_key, '' AS secret_key, v.labels, v.prebuilt_container_id,
    v.created_by_id, v.updated_by_id, v.registered_model_id,
    CASE WHEN v.created_by_id IS NULL THEN '' ELSE COALESCE(
        (SELECT u.email FROM tenant_user u WHERE u.id = v.created_by_id), '')
    END AS created_by_email,
    CASE WHEN v.updated_by_id IS NULL THEN '' ELSE COALESCE(
        (SELECT u.email FROM tenant_user u WHERE u.id = v.updated_by_id), '')
    END AS updated_by_email,

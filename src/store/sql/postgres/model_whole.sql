-- The models in `chosen`, whole: their version count, owner's email,
-- region's name, and latest and default versions (prefixed lv_ and dv_).
-- `p` looks up the count and the two versions' ids for the chosen rows
-- only; OFFSET 0 keeps PostgreSQL from merging it into the outer joins,
-- which turned them into hash joins over every version. Each version is
-- then one primary-key lookup (LATERAL ... LIMIT 1), even on tables
-- never analyzed (docs/performance.md).
SELECT
    p.id, p.created_at, p.updated_at, p.name, p.slug, p.description,
    p.model_type, p.model_size, p.state, p.deployment_status, p.tags,
    p.labels, p.owner_id, p.parent_model_id, p.project_id, p.region_id,
    p.version_count,
    COALESCE(owner.email, '') AS owner_email,
    COALESCE(region.name, '') AS region_name,
    lv.id AS lv_id, lv.created_at AS lv_created_at, lv.updated_at AS lv_updated_at,
    lv.name AS lv_name, lv.description AS lv_description,
    lv.is_default AS lv_is_default, lv.state AS lv_state, lv.status AS lv_status,
    lv.artifact_type AS lv_artifact_type, lv.model_framework AS lv_model_framework,
    lv.model_framework_version AS lv_model_framework_version,
    lv.container_image AS lv_container_image,
    lv.model_catalog_name AS lv_model_catalog_name, lv.uri AS lv_uri,
    '' AS lv_access_key, '' AS lv_secret_key, lv.labels AS lv_labels,
    lv.prebuilt_container_id AS lv_prebuilt_container_id,
    lv.created_by_id AS lv_created_by_id, lv.updated_by_id AS lv_updated_by_id,
    lv.registered_model_id AS lv_registered_model_id,
    COALESCE(lv_created_by.email, '') AS lv_created_by_email,
    COALESCE(lv_updated_by.email, '') AS lv_updated_by_email,
    dv.id AS dv_id, dv.created_at AS dv_created_at, dv.updated_at AS dv_updated_at,
    dv.name AS dv_name, dv.description AS dv_description,
    dv.is_default AS dv_is_default, dv.state AS dv_state, dv.status AS dv_status,
    dv.artifact_type AS dv_artifact_type, dv.model_framework AS dv_model_framework,
    dv.model_framework_version AS dv_model_framework_version,
    dv.container_image AS dv_container_image,
    dv.model_catalog_name AS dv_model_catalog_name, dv.uri AS dv_uri,
    '' AS dv_access_key, '' AS dv_secret_key, dv.labels AS dv_labels,
    dv.prebuilt_container_id AS dv_prebuilt_container_id,
    dv.created_by_id AS dv_created_by_id, dv.updated_by_id AS dv_updated_by_id,
    dv.registered_model_id AS dv_registered_model_id,
    COALESCE(dv_created_by.email, '') AS dv_created_by_email,
    COALESCE(dv_updated_by.email, '') AS dv_updated_by_email
FROM (
    SELECT
        chosen.*,
        (SELECT COUNT(*) FROM model_registry_model_version c
            WHERE c.registered_model_id = chosen.id) AS version_count,
        -- The newest version; `id` breaks ties of `created_at`.
        (SELECT x.id FROM model_registry_model_version x
            WHERE x.registered_model_id = chosen.id
            ORDER BY x.created_at DESC, x.id DESC LIMIT 1) AS latest_id,
        -- At most one is the default; should another writer leave two, the
        -- last updated wins rather than the model appearing twice.
        (SELECT y.id FROM model_registry_model_version y
            WHERE y.registered_model_id = chosen.id AND y.is_default = TRUE
            ORDER BY y.updated_at DESC, y.id DESC LIMIT 1) AS default_id
    FROM chosen
    OFFSET 0
) p
LEFT JOIN tenant_user owner ON owner.id = p.owner_id
LEFT JOIN organization_region region ON region.id = p.region_id
LEFT JOIN LATERAL (
    SELECT * FROM model_registry_model_version x WHERE x.id = p.latest_id LIMIT 1
) lv ON TRUE
LEFT JOIN tenant_user lv_created_by ON lv_created_by.id = lv.created_by_id
LEFT JOIN tenant_user lv_updated_by ON lv_updated_by.id = lv.updated_by_id
LEFT JOIN LATERAL (
    SELECT * FROM model_registry_model_version x WHERE x.id = p.default_id LIMIT 1
) dv ON TRUE
LEFT JOIN tenant_user dv_created_by ON dv_created_by.id = dv.created_by_id
LEFT JOIN tenant_user dv_updated_by ON dv_updated_by.id = dv.updated_by_id
ORDER BY p.n

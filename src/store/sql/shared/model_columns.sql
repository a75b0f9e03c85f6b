-- The models in `chosen`, whole: their columns, version count, owner's
-- email, region's name, and latest and default versions (prefixed lv_ and
-- dv_). Each dialect's model_whole.sql follows with the versions' aliases
-- and where it all comes from. An email is looked up only when there is a
-- user (most have none).
SELECT
    p.id, p.created_at, p.updated_at, p.name, p.slug, p.description,
    p.model_type, p.model_size, p.state, p.deployment_status, p.tags,
    p.labels, p.owner_id, p.parent_model_id, p.project_id, p.region_id,
    p.version_count,
    CASE WHEN p.owner_id IS NULL THEN '' ELSE COALESCE(
        (SELECT u.email FROM tenant_user u WHERE u.id = p.owner_id), '')
    END AS owner_email,
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
    CASE WHEN lv.created_by_id IS NULL THEN '' ELSE COALESCE(
        (SELECT u.email FROM tenant_user u WHERE u.id = lv.created_by_id), '')
    END AS lv_created_by_email,
    CASE WHEN lv.updated_by_id IS NULL THEN '' ELSE COALESCE(
        (SELECT u.email FROM tenant_user u WHERE u.id = lv.updated_by_id), '')
    END AS lv_updated_by_email,
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
    CASE WHEN dv.created_by_id IS NULL THEN '' ELSE COALESCE(
        (SELECT u.email FROM tenant_user u WHERE u.id = dv.created_by_id), '')
    END AS dv_created_by_email,
    CASE WHEN dv.updated_by_id IS NULL THEN '' ELSE COALESCE(
        (SELECT u.email FROM tenant_user u WHERE u.id = dv.updated_by_id), '')
    END AS dv_updated_by_email

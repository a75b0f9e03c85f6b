-- A page of the project's versions on PostgreSQL, after `page` (built from
-- the list's filters) has counted every match (`total`) and gathered the
-- ids up to where the page ended last time (`ids`, sorted; `near` says how
-- many): the page's slice of them, each read by primary key, in order.
-- With no row in the slice, one row carries the counts and no version.
SELECT
    page.total,
    COALESCE(cardinality(page.ids), 0)::bigint AS near,
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
    array_to_string(ARRAY(
        SELECT a.alias FROM model_registry_model_alias a WHERE a.version_id = v.id
    ), ',') AS aliases
FROM page
LEFT JOIN LATERAL unnest(page.ids[page.first:page.last]) WITH ORDINALITY AS slice (id, n) ON TRUE
LEFT JOIN LATERAL (
    SELECT * FROM model_registry_model_version x WHERE x.id = slice.id LIMIT 1
) v ON TRUE
ORDER BY slice.n

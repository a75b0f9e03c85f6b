-- `p` looks up the count and the two versions' ids for the chosen rows
-- only; the versions are then joined by primary key.
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
) p
LEFT JOIN tenant_user owner ON owner.id = p.owner_id
LEFT JOIN organization_region region ON region.id = p.region_id
LEFT JOIN model_registry_model_version lv ON lv.id = p.latest_id
LEFT JOIN tenant_user lv_created_by ON lv_created_by.id = lv.created_by_id
LEFT JOIN tenant_user lv_updated_by ON lv_updated_by.id = lv.updated_by_id
LEFT JOIN model_registry_model_version dv ON dv.id = p.default_id
LEFT JOIN tenant_user dv_created_by ON dv_created_by.id = dv.created_by_id
LEFT JOIN tenant_user dv_updated_by ON dv_updated_by.id = dv.updated_by_id
ORDER BY p.n

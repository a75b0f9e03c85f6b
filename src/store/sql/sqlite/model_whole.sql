-- The versions' aliases, comma-separated (the store sorts them).
    , COALESCE((SELECT group_concat(a.alias, ',') FROM model_registry_model_alias a
        WHERE a.version_id = lv.id), '') AS lv_aliases,
    COALESCE((SELECT group_concat(a.alias, ',') FROM model_registry_model_alias a
        WHERE a.version_id = dv.id), '') AS dv_aliases
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
LEFT JOIN organization_region region ON region.id = p.region_id
LEFT JOIN model_registry_model_version lv ON lv.id = p.latest_id
LEFT JOIN model_registry_model_version dv ON dv.id = p.default_id
ORDER BY p.n

-- The names of the aliases that name the version, comma-separated (the
-- store sorts them).
    COALESCE((SELECT group_concat(a.alias, ',') FROM model_registry_model_alias a
        WHERE a.version_id = v.id), '') AS aliases

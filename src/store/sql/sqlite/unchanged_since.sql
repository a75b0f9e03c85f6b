-- The end of update_version_columns.sql on SQLite: with $15, a PATCH read
-- outside any transaction writes only a version as it read it, its
-- updated_at and the aliases its answer lists.
-- $15 unchanged_since: the updated_at it was read with, or NULL (locked)
-- $16 aliases_seen: the names of the aliases that named it, sorted, with commas
    AND ($15 IS NULL OR (updated_at = $15 AND COALESCE((
        SELECT group_concat(a.alias, ',' ORDER BY a.alias)
        FROM model_registry_model_alias a WHERE a.version_id = $2
    ), '') = $16))

-- Whether a project has events after a position that a reader cannot see
-- yet: past the horizon (feed_horizon.sql), and soon readable.
-- $1 project_id: the caller's project
-- $2 after_txid, $3 after_id: the position the reader stands at
-- $4 types: a JSON array of the types asked for, or NULL for all
-- $5 model_id: the model asked for, or NULL for all
SELECT EXISTS (
    SELECT 1 FROM model_registry_event
    WHERE project_id = $1
        AND (txid, id) > ($2, $3)
        AND ($4::jsonb IS NULL OR $4::jsonb ? type)
        AND ($5::uuid IS NULL OR model_id = $5)
) AS pending

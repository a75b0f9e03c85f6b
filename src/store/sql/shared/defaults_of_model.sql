-- The versions that a new default takes the place of (one, unless another
-- writer left two), whole, for their events.
-- $1 model_id: the model
-- $2 id: the version that becomes the default
WITH chosen AS (
    SELECT v.*, 1 AS n
    FROM model_registry_model_version v
    WHERE v.registered_model_id = $1 AND v.is_default = TRUE AND v.id <> $2
)

-- POST a model: the whole row, as the registry made it. No row is inserted
-- when the parent is not a model of the same project, or when the region's
-- name is no longer the one its answer and event carry.
-- $1 events: the write's events, a JSON array (see append_events.sql)
-- $2 id, $3 created_at, $4 updated_at, $5 project_id, $6 owner_id, $7 name,
-- $8 slug, $9 description, $10 region_id, $11 model_type, $12 model_size,
-- $13 state, $14 deployment_status, $15 tags, $16 labels,
-- $17 parent_model_id, $18 region_name: the name the registry gave it
INSERT INTO model_registry_registered_model (
    id, created_at, updated_at, project_id, owner_id, name, slug, description,
    region_id, model_type, model_size, state, deployment_status, tags, labels,
    parent_model_id
)
SELECT $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17
WHERE ($17 IS NULL OR EXISTS (
    SELECT 1 FROM model_registry_registered_model p
    WHERE p.id = $17 AND (p.project_id = $5) IS TRUE
)) AND COALESCE(
    (SELECT r.name FROM organization_region r WHERE r.id = $10), ''
) = $18

-- POST a model: the whole row, as the registry made it. With a parent, only
-- if the parent is a model of the same project (else no row is inserted).
-- $1 id, $2 created_at, $3 updated_at, $4 project_id, $5 owner_id, $6 name,
-- $7 slug, $8 description, $9 region_id, $10 model_type, $11 model_size,
-- $12 state, $13 deployment_status, $14 tags, $15 labels,
-- $16 parent_model_id
INSERT INTO model_registry_registered_model (
    id, created_at, updated_at, project_id, owner_id, name, slug, description,
    region_id, model_type, model_size, state, deployment_status, tags, labels,
    parent_model_id
)
SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16
WHERE $16 IS NULL OR EXISTS (
    SELECT 1 FROM model_registry_registered_model p
    WHERE p.id = $16 AND (p.project_id = $4) IS TRUE
)

-- PATCH a model, which the caller has locked: each given field (not NULL)
-- replaces its column, in one statement.
-- $1 events: the write's events, a JSON array (see append_events.sql)
-- $2 id: the model's id
-- $3 updated_at: the time of the change
-- $4 name, $5 slug, $6 description, $7 model_type, $8 model_size, $9 state,
-- $10 deployment_status, $11 tags, $12 labels: the new values, or NULL
UPDATE model_registry_registered_model SET
    updated_at = $3,
    name = COALESCE($4, name),
    slug = COALESCE($5, slug),
    description = COALESCE($6, description),
    model_type = COALESCE($7, model_type),
    model_size = COALESCE($8, model_size),
    state = COALESCE($9, state),
    deployment_status = COALESCE($10, deployment_status),
    tags = COALESCE($11, tags),
    labels = COALESCE($12, labels)
WHERE id = $2

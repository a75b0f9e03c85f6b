-- A webhook's columns but its secret (read as '' so that it never leaves
-- the database, but to sign a delivery: claim_deliveries.sql).
SELECT id, created_at, updated_at, project_id, url, event_types, description,
    '' AS secret, enabled, failures_in_a_row
FROM model_registry_webhook

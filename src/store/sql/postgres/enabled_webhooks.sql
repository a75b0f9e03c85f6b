-- The enabled webhooks of some projects, each with what the fan-out needs:
-- which events it takes and since when, and what this process's attempts
-- of the deliveries it leases at once need.
-- $1 projects: a JSON array of project ids
SELECT id, project_id, event_types, created_at, url, secret, failures_in_a_row
FROM model_registry_webhook
WHERE enabled AND project_id IN (SELECT value::uuid FROM jsonb_array_elements_text($1::jsonb))

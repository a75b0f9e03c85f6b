-- Deliveries to make, pending and due at once (the fan-out's, a ping, a
-- redelivery), in one statement whatever their number; those this process
-- attempts at once come leased.
-- $1 deliveries: a JSON array of {id, webhook_id, event_id, event_type,
-- payload, created_at, lease_until (or null)}
INSERT INTO model_registry_webhook_delivery (
    id, created_at, event_id, event_type, payload, status, attempts,
    next_attempt_at, lease_until, webhook_id
)
SELECT d.id, d.created_at, d.event_id, d.event_type, d.payload, 'pending', 0,
    d.created_at, d.lease_until, d.webhook_id
FROM json_to_recordset($1::json) AS d (
    id uuid, created_at timestamptz, event_id text, event_type text, payload text,
    lease_until timestamptz, webhook_id uuid
)

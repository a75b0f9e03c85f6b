-- Deliveries to make, pending and due at once (the fan-out's, a ping, a
-- redelivery), in one statement whatever their number; those this process
-- attempts at once come leased. Ids are stored as blobs.
-- $1 deliveries: a JSON array of {id, webhook_id, event_id, event_type,
-- payload, created_at, lease_until (or null)}
INSERT INTO model_registry_webhook_delivery (
    id, created_at, event_id, event_type, payload, status, attempts,
    next_attempt_at, lease_until, webhook_id
)
SELECT unhex(replace(d.value ->> 'id', '-', '')), d.value ->> 'created_at',
    d.value ->> 'event_id', d.value ->> 'event_type', d.value ->> 'payload',
    'pending', 0, d.value ->> 'created_at', d.value ->> 'lease_until',
    unhex(replace(d.value ->> 'webhook_id', '-', ''))
FROM json_each($1) AS d

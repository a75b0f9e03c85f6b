-- The end of a claim: leases the deliveries in `claimed` and answers
-- them with what an attempt needs of their webhook.
UPDATE model_registry_webhook_delivery d SET lease_until = $2
FROM claimed, model_registry_webhook w
WHERE d.id = claimed.id AND w.id = d.webhook_id
RETURNING d.id, d.webhook_id, d.event_id, d.payload, d.attempts, w.url, w.secret,
    w.failures_in_a_row

-- Leases deliveries that are due, at most `per_webhook` of each webhook
-- and none of the `busy` ones (this process's at their limit); a row that
-- another process holds is skipped, never waited for.
-- $1 now
-- $2 lease_until: when the lease ends, unless the outcome is recorded
-- $3 limit: how many at most
-- $4 per_webhook: how many of one webhook at most
-- $5 busy: a JSON array of webhook ids to leave out
WITH due AS (
    SELECT d.id, row_number() OVER (
        PARTITION BY d.webhook_id ORDER BY d.next_attempt_at, d.id
    ) AS place
    FROM model_registry_webhook_delivery d
    JOIN model_registry_webhook w ON w.id = d.webhook_id AND w.enabled
    WHERE d.status = 'pending' AND d.next_attempt_at <= $1
        AND (d.lease_until IS NULL OR d.lease_until < $1)
        AND d.webhook_id NOT IN (SELECT value::uuid FROM jsonb_array_elements_text($5::jsonb))
),
claimed AS (
    SELECT d.id
    FROM model_registry_webhook_delivery d
    JOIN due ON due.id = d.id AND due.place <= $4
    WHERE d.status = 'pending' AND (d.lease_until IS NULL OR d.lease_until < $1)
    ORDER BY d.next_attempt_at, d.id
    LIMIT $3
    FOR UPDATE OF d SKIP LOCKED
)
UPDATE model_registry_webhook_delivery d SET lease_until = $2
FROM claimed, model_registry_webhook w
WHERE d.id = claimed.id AND w.id = d.webhook_id
RETURNING d.id, d.webhook_id, d.event_id, d.payload, d.attempts, w.url, w.secret,
    w.failures_in_a_row

-- Leases the deliveries named, which this process has just written, when
-- they are still pending, due, free and of an enabled webhook: cheaper
-- than ranking the queue (claim_deliveries.sql). A row another process
-- holds is skipped, never waited for (lease_claimed.sql follows). Rows are
-- found by key only: `(...) IS TRUE` is no index condition.
-- $1 now
-- $2 lease_until: when the lease ends, unless the outcome is recorded
-- $3 ids: a JSON array of delivery ids
WITH claimed AS (
    SELECT d.id
    FROM model_registry_webhook_delivery d
    JOIN model_registry_webhook w ON w.id = d.webhook_id AND w.enabled
    WHERE d.id = ANY (ARRAY(SELECT value::uuid FROM jsonb_array_elements_text($3::jsonb)))
        AND (d.status = 'pending' AND d.next_attempt_at <= $1
            AND (d.lease_until IS NULL OR d.lease_until < $1)) IS TRUE
    FOR UPDATE OF d SKIP LOCKED
)

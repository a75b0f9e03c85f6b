-- Leases deliveries that are due, at most `per_webhook` of each webhook
-- and none of the `busy` ones (this process's at their limit). The first
-- 1,000 due are ranked, so a claim costs the same however long the queue
-- (leased_columns.sql follows).
-- $1 now
-- $2 lease_until: when the lease ends, unless the outcome is recorded
-- $3 limit: how many at most
-- $4 per_webhook: how many of one webhook at most
-- $5 busy: a JSON array of webhook ids to leave out
UPDATE model_registry_webhook_delivery SET lease_until = $2
WHERE id IN (
    SELECT id FROM (
        SELECT candidate.id, candidate.next_attempt_at, row_number() OVER (
            PARTITION BY candidate.webhook_id ORDER BY candidate.next_attempt_at, candidate.id
        ) AS place
        FROM (
            SELECT d.id, d.webhook_id, d.next_attempt_at
            FROM model_registry_webhook_delivery d
            WHERE d.status = 'pending' AND d.next_attempt_at <= $1
                AND (d.lease_until IS NULL OR d.lease_until < $1)
                AND d.webhook_id NOT IN (SELECT unhex(replace(value, '-', '')) FROM json_each($5))
            ORDER BY d.next_attempt_at
            LIMIT 1000
        ) candidate
        JOIN model_registry_webhook w ON w.id = candidate.webhook_id AND w.enabled
    )
    WHERE place <= $4
    ORDER BY next_attempt_at, id
    LIMIT $3
)

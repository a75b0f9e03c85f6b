-- Leases deliveries that are due, at most `per_webhook` of each webhook
-- and none of the `busy` ones (this process's at their limit); a row that
-- another process holds is skipped, never waited for. The first 1,000 due
-- are ranked, in the due index's order, so a claim costs the same however
-- long the queue; each is then locked by its key (lease_claimed.sql
-- follows).
-- $1 now
-- $2 lease_until: when the lease ends, unless the outcome is recorded
-- $3 limit: how many at most
-- $4 per_webhook: how many of one webhook at most
-- $5 busy: a JSON array of webhook ids to leave out
WITH due AS MATERIALIZED (
    SELECT ranked.id
    FROM (
        SELECT candidate.id, candidate.next_attempt_at, row_number() OVER (
            PARTITION BY candidate.webhook_id ORDER BY candidate.next_attempt_at, candidate.id
        ) AS place
        FROM (
            SELECT d.id, d.webhook_id, d.next_attempt_at
            FROM model_registry_webhook_delivery d
            WHERE d.status = 'pending' AND d.next_attempt_at <= $1
                AND (d.lease_until IS NULL OR d.lease_until < $1)
                AND NOT ($5::jsonb ? d.webhook_id::text)
            ORDER BY d.next_attempt_at
            LIMIT 1000
        ) candidate
        JOIN model_registry_webhook w ON w.id = candidate.webhook_id AND w.enabled
    ) ranked
    WHERE ranked.place <= $4
    ORDER BY ranked.next_attempt_at, ranked.id
    LIMIT $3
),
claimed AS (
    SELECT locked.id
    FROM due, LATERAL (
        SELECT d.id FROM model_registry_webhook_delivery d
        WHERE d.id = due.id AND d.status = 'pending'
            AND (d.lease_until IS NULL OR d.lease_until < $1)
        FOR UPDATE SKIP LOCKED
    ) locked
)

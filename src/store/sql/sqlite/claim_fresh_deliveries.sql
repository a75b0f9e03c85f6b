-- Leases the deliveries named, which this process has just written, when
-- they are still pending, due, free and of an enabled webhook: cheaper
-- than ranking the queue (leased_columns.sql follows).
-- $1 now
-- $2 lease_until: when the lease ends, unless the outcome is recorded
-- $3 ids: a JSON array of delivery ids
UPDATE model_registry_webhook_delivery SET lease_until = $2
WHERE id IN (SELECT unhex(replace(value, '-', '')) FROM json_each($3))
    AND status = 'pending' AND next_attempt_at <= $1
    AND (lease_until IS NULL OR lease_until < $1)
    AND webhook_id IN (SELECT w.id FROM model_registry_webhook w WHERE w.enabled)

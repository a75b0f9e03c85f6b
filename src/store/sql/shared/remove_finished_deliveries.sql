-- Retention of the delivery log: deliveries no longer pending and created
-- before the cut, a batch at a time.
-- $1 cut: the oldest creation kept
-- $2 batch: how many at most
DELETE FROM model_registry_webhook_delivery
WHERE id IN (
    SELECT id FROM model_registry_webhook_delivery
    WHERE status <> 'pending' AND created_at < $1
    LIMIT $2
)

-- A delivery of the webhook failed for good; at `limit` failures in a row
-- the webhook is disabled. Whether it is enabled still.
-- $1 id: the webhook's id
-- $2 limit: the failures in a row that disable it
-- $3 updated_at: now
UPDATE model_registry_webhook SET
    failures_in_a_row = failures_in_a_row + 1,
    enabled = enabled AND failures_in_a_row + 1 < $2,
    updated_at = CASE WHEN enabled AND failures_in_a_row + 1 >= $2 THEN $3 ELSE updated_at END
WHERE id = $1
RETURNING enabled

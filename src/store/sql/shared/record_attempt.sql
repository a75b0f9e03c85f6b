-- What an attempt did, by the process that holds the delivery's lease
-- (one whose lease another has taken over records nothing).
-- $1 id: the delivery's id
-- $2 lease_until: the lease the attempt was made under
-- $3 status, $4 response_status, $5 error, $6 duration_ms: the outcome
-- $7 next_attempt_at: when to try again (NULL: no more attempts)
UPDATE model_registry_webhook_delivery SET
    status = $3, attempts = attempts + 1, response_status = $4, error = $5,
    duration_ms = $6, next_attempt_at = $7, lease_until = NULL
WHERE id = $1 AND lease_until = $2

-- What several attempts did, in one statement, each by the process that
-- holds its delivery's lease (one whose lease another has taken over
-- records nothing); the ids of those recorded.
-- $1 attempts: a JSON array of {id, lease_until, status, response_status,
-- error, duration_ms, next_attempt_at} (no next attempt: null)
UPDATE model_registry_webhook_delivery d SET
    status = o.status, attempts = d.attempts + 1,
    response_status = o.response_status, error = o.error,
    duration_ms = o.duration_ms, next_attempt_at = o.next_attempt_at,
    lease_until = NULL
FROM jsonb_to_recordset($1::jsonb) AS o (
    id uuid, lease_until timestamptz, status text, response_status int,
    error text, duration_ms int, next_attempt_at timestamptz
)
WHERE d.id = o.id AND d.lease_until = o.lease_until
RETURNING d.id

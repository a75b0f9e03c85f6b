-- A delivery's columns but its payload (read as '': the log never shows it).
SELECT id, created_at, event_id, event_type, '' AS payload, status, attempts,
    response_status, error, duration_ms, next_attempt_at, lease_until, webhook_id
FROM model_registry_webhook_delivery

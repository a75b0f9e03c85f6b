-- GET /webhooks/{id}/deliveries: newest first, after a page token's place.
-- $1 webhook_id: the webhook (the caller has checked it is the project's)
-- $2 last_created_at, $3 last_id: the last of the page before (NULL:
-- from the newest)
-- $4 limit: the page's size, and one more to tell whether more follow
WHERE webhook_id = $1
    AND ($3 IS NULL OR created_at < $2 OR (created_at = $2 AND id < $3))
ORDER BY created_at DESC, id DESC
LIMIT $4

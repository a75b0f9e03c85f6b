-- The end of a claim: what an attempt needs of each leased delivery and
-- of its webhook.
RETURNING id, webhook_id, event_id, payload, attempts,
    (SELECT w.url FROM model_registry_webhook w WHERE w.id = webhook_id) AS url,
    (SELECT w.secret FROM model_registry_webhook w WHERE w.id = webhook_id) AS secret,
    (SELECT w.failures_in_a_row FROM model_registry_webhook w WHERE w.id = webhook_id)
        AS failures_in_a_row

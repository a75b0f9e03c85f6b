-- Gives back leases this process holds on deliveries it will not attempt
-- (it is stopping), so that the next start takes them at once; a lease
-- taken over meanwhile is left alone.
-- $1 leases: a JSON array of {id, lease_until}
UPDATE model_registry_webhook_delivery AS d SET lease_until = NULL
FROM (
    SELECT unhex(replace(o.value ->> 'id', '-', '')) AS id,
        o.value ->> 'lease_until' AS lease_until
    FROM json_each($1) AS o
) AS o
WHERE d.id = o.id AND d.lease_until = o.lease_until

-- Gives back leases this process holds on deliveries it will not attempt
-- (it is stopping), so that another process may take them at once; a
-- lease taken over meanwhile is left alone.
-- $1 leases: a JSON array of {id, lease_until}
UPDATE model_registry_webhook_delivery d SET lease_until = NULL
FROM json_to_recordset($1::json) AS o (id uuid, lease_until timestamptz)
WHERE d.id = o.id AND d.lease_until = o.lease_until

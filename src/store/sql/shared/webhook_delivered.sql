-- A delivery of the webhook succeeded: its failures in a row start again.
-- $1 id: the webhook's id
UPDATE model_registry_webhook SET failures_in_a_row = 0
WHERE id = $1 AND failures_in_a_row <> 0

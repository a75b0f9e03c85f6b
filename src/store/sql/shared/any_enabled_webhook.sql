-- Whether any project has an enabled webhook (a row, or none): with none,
-- the fan-out has nothing to do (a webhook's deliveries start after it).
SELECT 1 FROM model_registry_webhook WHERE enabled LIMIT 1

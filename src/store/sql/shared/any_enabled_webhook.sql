-- Whether any project has an enabled webhook: with none, the fan-out has
-- nothing to do (the deliveries of a webhook start after its creation).
SELECT EXISTS (SELECT 1 FROM model_registry_webhook WHERE enabled) AS any

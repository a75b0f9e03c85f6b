-- The projects with events after an id, each with the id of its last:
-- what was appended since a process last looked (by it, or by another
-- process on the same file, which no NOTIFY tells as PostgreSQL's does).
-- $1 after_id: the last id looked at
SELECT project_id, max(id) AS last_id
FROM model_registry_event
WHERE id > $1
GROUP BY project_id

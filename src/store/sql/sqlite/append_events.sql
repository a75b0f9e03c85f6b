-- Appends a write's events, in order, when the write statement just before
-- it (in the same call, so in one round trip) changed a row. SQLite has no
-- writes inside WITH (PostgreSQL: postgres/append_events.sql). One writer
-- at a time, so `id` alone is the order of commits; ids are stored as blobs.
-- $1 events: the write's events, a JSON array (see events_json)
INSERT INTO model_registry_event (
    txid, project_id, model_id, version_id, type, occurred_at, request_id,
    data, changes
)
SELECT
    0,
    unhex(replace(e.value ->> 'project_id', '-', '')),
    unhex(replace(e.value ->> 'model_id', '-', '')),
    unhex(replace(e.value ->> 'version_id', '-', '')),
    e.value ->> 'type',
    e.value ->> 'occurred_at',
    e.value ->> 'request_id',
    e.value -> 'data',
    NULLIF(e.value -> 'changes', 'null')
FROM json_each($1) AS e
WHERE changes() > 0
ORDER BY e.key

-- ... and, in the same statement, the write's events, when it wrote:
-- every write statement takes its events as $1, a JSON array of
-- {type, project_id, model_id, version_id, occurred_at, request_id, data,
-- changes}, and names its write `written` (SQLite, which has no writes
-- inside WITH, appends them in a second statement: sqlite/append_events.sql).
-- `txid` is the transaction's id, which its lock on the model gave it
-- once it held the model's advisory lock (lock_model.sql): one model's
-- events follow the order its writes committed.
INSERT INTO model_registry_event (
    txid, project_id, model_id, version_id, type, occurred_at, request_id,
    data, changes
)
SELECT
    pg_current_xact_id()::text::bigint,
    (e.event ->> 'project_id')::uuid,
    (e.event ->> 'model_id')::uuid,
    (e.event ->> 'version_id')::uuid,
    e.event ->> 'type',
    (e.event ->> 'occurred_at')::timestamptz,
    e.event ->> 'request_id',
    e.event -> 'data',
    NULLIF(e.event -> 'changes', 'null'::jsonb)
FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e (event, n)
WHERE EXISTS (SELECT 1 FROM written)
ORDER BY e.n

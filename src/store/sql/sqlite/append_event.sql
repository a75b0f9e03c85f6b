-- Appends one event of a write, in the write's transaction (PostgreSQL
-- appends them inside the write statement: postgres/append_events.sql).
-- SQLite takes one writer at a time, so `id` alone is the order of commits.
-- $1 project_id, $2 model_id, $3 version_id, $4 type, $5 occurred_at,
-- $6 request_id, $7 data, $8 changes: the event
INSERT INTO model_registry_event (
    txid, project_id, model_id, version_id, type, occurred_at, request_id,
    data, changes
) VALUES (0, $1, $2, $3, $4, $5, $6, $7, $8)

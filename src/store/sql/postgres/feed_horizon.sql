-- How far a reader of the feed may go: below the oldest transaction of
-- this database still open when the statement's snapshot was taken (or
-- below the next transaction id, with none open). Every event below it
-- has committed, and any event that commits later has a larger txid, so
-- a reader that stops below it never skips one. A transaction open in
-- another database of the server writes no event here and does not hold
-- the feed back (one whose database is not known to be another does).
WITH horizon AS (
    SELECT COALESCE(
        MIN(open.xid::text::bigint),
        pg_snapshot_xmax(pg_current_snapshot())::text::bigint
    ) AS txid
    FROM pg_snapshot_xip(pg_current_snapshot()) AS open (xid)
    WHERE NOT EXISTS (
        SELECT 1 FROM pg_stat_activity elsewhere
        WHERE elsewhere.backend_xid::text::bigint = open.xid::text::bigint % 4294967296
            AND elsewhere.datname IS DISTINCT FROM current_database()
    )
)

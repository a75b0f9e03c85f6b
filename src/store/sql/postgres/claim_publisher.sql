-- Whether this session is the publisher: it holds, or takes now, the
-- session advisory lock that one session of the database holds at a time
-- (released when its connection ends). Never takes the lock twice.
-- $1 class, $2 key: the lock
SELECT CASE
    WHEN EXISTS (
        SELECT 1 FROM pg_locks
        WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
            AND classid = $1::int::oid AND objid = $2::int::oid AND objsubid = 2
    ) THEN true
    ELSE pg_try_advisory_lock($1::int, $2::int)
END AS claimed

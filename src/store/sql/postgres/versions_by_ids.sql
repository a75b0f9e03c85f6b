-- The second statement of a version list: the page's rows, in its order.
-- $1 ids: the page's ids, a JSON array, found by the list's first statement
-- Each id is one primary-key lookup: with `id = ANY(...)`, a planner
-- without statistics read the whole table (docs/performance.md).
WITH chosen AS (
    SELECT x.*, page.n
    FROM jsonb_array_elements_text($1::jsonb) WITH ORDINALITY AS page (id, n)
    CROSS JOIN LATERAL (
        SELECT * FROM model_registry_model_version y WHERE y.id = page.id::uuid LIMIT 1
    ) x
)

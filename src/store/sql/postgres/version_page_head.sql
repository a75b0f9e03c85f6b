-- A page of the project's versions on PostgreSQL, after `page` (built from
-- the list's filters) has counted every match (`total`) and gathered the
-- ids up to where the page ended last time (`ids`, sorted; `near` says how
-- many): the page's slice of them, each read by primary key, in order.
-- With no row in the slice, one row carries the counts and no version.
SELECT
    page.total,
    COALESCE(cardinality(page.ids), 0)::bigint AS near,

-- The second statement of a model list: the page's rows, in its order.
-- $1 ids: the page's ids, a JSON array, found by the list's first statement
-- SQLite keeps a UUID as its 16 bytes.
WITH chosen AS (
    SELECT x.*, page.key AS n
    FROM json_each($1) AS page
    JOIN model_registry_registered_model x ON x.id = unhex(replace(page.value, '-', ''))
)

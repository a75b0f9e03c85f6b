-- ... of the page's slice of the versions (version_page_head.sql).
FROM page
LEFT JOIN LATERAL unnest(page.ids[page.first:page.last]) WITH ORDINALITY AS slice (id, n) ON TRUE
LEFT JOIN LATERAL (
    SELECT * FROM model_registry_model_version x WHERE x.id = slice.id LIMIT 1
) v ON TRUE
ORDER BY slice.n

-- The name of a region in CMP's table, for a model just created.
-- $1 id: the region's id
SELECT name FROM organization_region WHERE id = $1

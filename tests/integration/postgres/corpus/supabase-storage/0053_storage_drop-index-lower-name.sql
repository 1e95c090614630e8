-- strata:no-transaction
-- (the marker above was added for strata: see README.md)
-- postgres-migrations disable-transaction
DROP INDEX CONCURRENTLY IF EXISTS idx_objects_lower_name;
-- strata:no-transaction
-- (the marker above was added for strata: see README.md)
-- postgres-migrations disable-transaction
DROP INDEX CONCURRENTLY IF EXISTS objects_bucket_id_level_idx;

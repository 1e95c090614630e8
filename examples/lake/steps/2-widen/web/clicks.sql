-- Page views from the web front end, written hourly as Parquet.
-- session_id is new, the data moved to a new bucket, and new files are ZSTD.
CREATE EXTERNAL TABLE IF NOT EXISTS web.clicks (
  `event_id`   string    COMMENT 'unique per click',
  `user_id`    bigint,
  `session_id` string    COMMENT 'added in March',
  `url`        string,
  `referrer`   string,
  `at`         timestamp
)
COMMENT 'one row per page view'
PARTITIONED BY (`dt` string)
STORED AS PARQUET
LOCATION 's3://shop-lake-v2/web/clicks/'
TBLPROPERTIES ('parquet.compression' = 'ZSTD');

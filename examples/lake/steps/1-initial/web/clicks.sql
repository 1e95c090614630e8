-- Page views from the web front end, written hourly as Parquet.
CREATE EXTERNAL TABLE IF NOT EXISTS web.clicks (
  `event_id`   string    COMMENT 'unique per click',
  `user_id`    bigint,
  `url`        string,
  `referrer`   string,
  `at`         timestamp
)
COMMENT 'one row per page view'
PARTITIONED BY (`dt` string)
STORED AS PARQUET
LOCATION 's3://shop-lake/web/clicks/'
TBLPROPERTIES ('parquet.compression' = 'SNAPPY');

-- Invoices exported nightly by the billing service as JSON lines.
CREATE EXTERNAL TABLE billing.invoices (
  invoice_id string,
  customer   struct<id:bigint, country:string>,
  lines      array<struct<sku:string, qty:int, price:decimal(10,2)>>,
  total      decimal(14,2) COMMENT 'after tax',
  issued_at  timestamp
)
PARTITIONED BY (year string, month string)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
WITH SERDEPROPERTIES ('ignore.malformed.json' = 'true')
LOCATION 's3://shop-lake/billing/invoices/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.year.type' = 'integer', 'projection.year.range' = '2024,2030',
  'projection.month.type' = 'integer', 'projection.month.range' = '1,12',
  'projection.month.digits' = '2',
  'storage.location.template' = 's3://shop-lake/billing/invoices/${year}/${month}/'
);

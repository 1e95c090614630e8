// Tables shared by the Glue backend's tests: one table as its schema file defines it, and the
// same table as Glue holds it after Athena created it and a crawler and a query engine touched
// it (server-managed parameters, an owner, a retention, a SerDe name, parameters and storage
// settings strata does not manage).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "adapters/glue/introspect.h"
#include "proto/glue.pb.h"
#include "tests/adapters/glue/ddl_testing.h"

namespace strata::glue::testing {

// sales.orders as its schema file says it.
inline constexpr char kOrdersDdl[] = R"(CREATE EXTERNAL TABLE sales.orders (
  id bigint,
  total decimal(12,2) COMMENT 'in cents',
  payload string)
COMMENT 'all orders'
PARTITIONED BY (dt string)
STORED AS PARQUET
LOCATION 's3://lake/orders/'
TBLPROPERTIES ('team'='sales'))";

inline pb::GlueTable Orders() { return Table(kOrdersDdl); }

// sales.customers, a second table with nothing special about it.
inline pb::GlueTable Customers() {
  return Table("CREATE EXTERNAL TABLE sales.customers (id bigint, name string) STORED AS PARQUET "
               "LOCATION 's3://lake/customers/'");
}

// The desired table after `edit`.
template <typename Edit>
pb::GlueTable OrdersWith(Edit edit) {
  pb::GlueTable t = Orders();
  edit(t);
  return t;
}

// sales.orders as a TableInput: what Athena's CREATE TABLE stored, plus what others added since.
inline nlohmann::json OrdersInput() {
  return nlohmann::json::parse(R"json({
    "Name": "orders",
    "Owner": "hadoop",
    "LastAccessTime": 0,
    "Retention": 7,
    "StorageDescriptor": {
      "Columns": [
        {"Name": "id", "Type": "bigint"},
        {"Name": "total", "Type": "decimal(12,2)", "Comment": "in cents"},
        {"Name": "payload", "Type": "string", "Comment": "from deserializer",
         "Parameters": {"engine.field.id": "3"}}],
      "Location": "s3://lake/orders/",
      "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
      "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
      "Compressed": true,
      "NumberOfBuckets": -1,
      "SerdeInfo": {
        "Name": "orders-serde",
        "SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
        "Parameters": {"serialization.format": "1", "parquet.column.index.access": "true"}},
      "BucketColumns": [],
      "SortColumns": [],
      "Parameters": {"sd.owner": "crawler"},
      "StoredAsSubDirectories": true
    },
    "PartitionKeys": [{"Name": "dt", "Type": "string", "Comment": ""}],
    "TableType": "EXTERNAL_TABLE",
    "Parameters": {
      "EXTERNAL": "TRUE",
      "comment": "all orders",
      "team": "sales",
      "transient_lastDdlTime": "1735689600",
      "numRows": "1200",
      "UPDATED_BY_CRAWLER": "orders-crawler",
      "CrawlerSchemaDeserializerVersion": "1.0",
      "CrawlerSchemaSerializerVersion": "1.0",
      "classification": "parquet",
      "owner.team": "data-platform"
    }
  })json");
}

// sales.orders as GetTable answers it: the TableInput with Glue's read-only members.
inline nlohmann::json OrdersGlue() {
  nlohmann::json t = OrdersInput();
  t["DatabaseName"] = "sales";
  t["CreateTime"] = 1735689600.0;
  t["UpdateTime"] = 1735776000.0;
  t["CreatedBy"] = "arn:aws:iam::123456789012:user/athena";
  t["IsRegisteredWithLakeFormation"] = false;
  t["CatalogId"] = "123456789012";
  t["VersionId"] = "3";
  t["IsMultiDialectView"] = false;
  return t;
}

inline LiveTable OrdersLive() { return LiveTableFromGlue(OrdersGlue(), "sales"); }

// A desired schema of the given tables ("db" -> tables), each database named.
inline pb::GlueSchema SchemaOf(const std::string& db, std::initializer_list<pb::GlueTable> tables) {
  pb::GlueSchema s;
  pb::GlueDatabase& d = (*s.mutable_databases())[db];
  d.set_name(db);
  for (const auto& t : tables) (*d.mutable_tables())[t.name()] = t;
  return s;
}

}  // namespace strata::glue::testing

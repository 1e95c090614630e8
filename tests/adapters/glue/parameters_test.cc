// Which parameter keys are the service's (ignored in diffs, carried on updates) and which are
// strata's on a table (the desired table's and the last deployed table's).
#include "adapters/glue/parameters.h"

#include <gtest/gtest.h>

#include "tests/adapters/glue/glue_testing.h"

namespace strata::glue {
namespace {

using testing::Orders;
using testing::OrdersWith;

TEST(IsServerManagedTableParameter, TheKeysServicesEnginesAndCrawlersWrite) {
  for (const char* key :
       {"EXTERNAL", "transient_lastDdlTime", "last_modified_by", "last_modified_time", "numFiles",
        "numRows", "totalSize", "rawDataSize", "COLUMN_STATS_ACCURATE", "UPDATED_BY_CRAWLER",
        "CrawlerSchemaDeserializerVersion", "CrawlerSchemaSerializerVersion", "classification",
        "objectCount", "recordCount", "averageRecordSize", "sizeKey", "compressionType",
        "typeOfData", "metadata_location", "previous_metadata_location", "metadata_hashcode",
        "iceberg.table.default.namespace", "trino_query_id", "presto_version"}) {
    EXPECT_TRUE(IsServerManagedTableParameter(key)) << key;
  }
}

TEST(IsServerManagedTableParameter, KeysPeopleWriteAreNot) {
  for (const char* key : {"comment", "team", "projection.enabled", "projection.dt.type",
                          "storage.location.template", "skip.header.line.count",
                          "has_encrypted_data", "parquet.compression", "table_type",
                          "external", "icebergish"}) {
    EXPECT_FALSE(IsServerManagedTableParameter(key)) << key;
  }
}

TEST(ManagedKeysOf, TheDesiredKeys) {
  pb::GlueTable desired = OrdersWith([](pb::GlueTable& t) {
    (*t.mutable_serde()->mutable_parameters())["field.delim"] = ",";
  });
  ManagedKeys keys = ManagedKeysOf(desired, nullptr);
  // The table COMMENT is the "comment" parameter (as the table files hold it).
  EXPECT_EQ(keys.table, (std::set<std::string>{"comment", "team"}));
  EXPECT_TRUE(keys.serde.count("field.delim"));
  EXPECT_FALSE(keys.serde.count("parquet.column.index.access"));
}

TEST(ManagedKeysOf, AndTheKeysTheDeployedTableHad) {
  pb::GlueTable deployed = OrdersWith([](pb::GlueTable& t) {
    (*t.mutable_parameters())["retired"] = "yes";
    (*t.mutable_serde()->mutable_parameters())["old.key"] = "x";
  });
  ManagedKeys keys = ManagedKeysOf(Orders(), &deployed);
  EXPECT_EQ(keys.table, (std::set<std::string>{"comment", "retired", "team"}));
  EXPECT_TRUE(keys.serde.count("old.key"));
}

}  // namespace
}  // namespace strata::glue

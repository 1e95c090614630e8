// People's words for Glue changes and tables: the text of each change kind, the format word of
// each storage kind, and the one-line table summary.
#include "adapters/glue/describe.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include "tests/adapters/glue/glue_testing.h"

namespace strata::glue {
namespace {

std::string Text(const std::string& change) {
  pb::GlueChange c;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(change, &c)) << change;
  return DescribeChange(c);
}

TEST(DescribeChange, EveryKind) {
  EXPECT_EQ(Text(R"pb(create_database { database { name: "sales" } })pb"), "create database");
  EXPECT_EQ(Text(R"pb(drop_database { database: "sales" })pb"),
            "drop database (and every table in it)");
  EXPECT_EQ(Text(R"pb(update_database { database: "sales" description: "x" })pb"),
            "database properties");
  EXPECT_EQ(Text(R"pb(drop_table { database: "sales" table: "orders" })pb"), "drop table");
  EXPECT_EQ(Text(R"pb(add_column { column { name: "email" type: "string" } position: 2 })pb"),
            "column email string");
  EXPECT_EQ(Text(R"pb(add_column { column { name: "email" type: "string" comment: "who" } })pb"),
            "column email string comment 'who'");
  EXPECT_EQ(Text(R"pb(drop_column { column: "email" })pb"), "column email");
  EXPECT_EQ(Text(R"pb(alter_column { column { name: "id" type: "bigint" } })pb"),
            "column id bigint");
  EXPECT_EQ(Text(R"pb(reorder_columns { columns: [ "b", "a" ] })pb"), "column order (b, a)");
  EXPECT_EQ(Text(R"pb(set_partition_keys {
                        partition_keys { name: "dt" type: "string" }
                        partition_keys { name: "region" type: "string" }
                      })pb"),
            "partition keys (dt string, region string)");
  EXPECT_EQ(Text(R"pb(set_partition_keys {})pb"), "partition keys (none)");
  EXPECT_EQ(Text(R"pb(set_location { location: "s3://lake/orders/" })pb"),
            "location s3://lake/orders/");
  EXPECT_EQ(Text(R"pb(set_location {})pb"), "location (none)");
  EXPECT_EQ(Text(R"pb(set_table_type { table_type: "EXTERNAL_TABLE" })pb"),
            "table type EXTERNAL_TABLE");
  EXPECT_EQ(Text(R"pb(set_table_type {})pb"), "table type (none)");
  EXPECT_EQ(Text(R"pb(set_description { description: "curated" })pb"), "description 'curated'");
  EXPECT_EQ(Text(R"pb(set_description {})pb"), "description (none)");
  EXPECT_EQ(Text(R"pb(set_table_parameter { key: "team" value: "sales" })pb"),
            "table property team = 'sales'");
  EXPECT_EQ(Text(R"pb(remove_table_parameter { key: "team" })pb"), "table property team");
  // The table COMMENT is the "comment" parameter.
  EXPECT_EQ(Text(R"pb(set_table_parameter { key: "comment" value: "all orders" })pb"),
            "comment 'all orders'");
  EXPECT_EQ(Text(R"pb(remove_table_parameter { key: "comment" })pb"), "comment (none)");
  EXPECT_EQ(Text(""), "unknown change");
}

TEST(DescribeChange, CreateTableSaysColumnsPartitionsAndFormat) {
  pb::GlueChange c;
  *c.mutable_create_table()->mutable_table() = testing::Orders();
  EXPECT_EQ(DescribeChange(c), "create table (3 columns, partitioned by (dt string), parquet)");
  pb::GlueTable one = testing::Table("CREATE EXTERNAL TABLE t (a int)");
  *c.mutable_create_table()->mutable_table() = one;
  EXPECT_EQ(DescribeChange(c), "create table (1 column, text)");
}

TEST(DescribeChange, FormatsByWordWhenThereIsOne) {
  EXPECT_EQ(Text(R"pb(set_formats {
                        input_format:
                          "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
                        output_format:
                          "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
                      })pb"),
            "formats parquet");
  EXPECT_EQ(Text(R"pb(set_formats { input_format: "com.example.MyInput" output_format: "" })pb"),
            "formats com.example.MyInput / (none)");
  EXPECT_EQ(Text(R"pb(set_formats {})pb"), "formats (none) / (none)");
}

TEST(DescribeChange, SerDeWithSortedShortenedParameters) {
  EXPECT_EQ(Text(R"pb(set_serde {
                        serde {
                          serialization_library: "org.apache.hadoop.hive.serde2.OpenCSVSerde"
                          parameters { key: "separatorChar" value: "," }
                          parameters { key: "quoteChar" value: "\"" }
                        }
                      })pb"),
            "serde OpenCSVSerde (quoteChar='\"', separatorChar=',')");
  EXPECT_EQ(Text(R"pb(set_serde {
                        serde {
                          serialization_library: "org.apache.hadoop.hive.serde2.RegexSerDe"
                          parameters {
                            key: "input.regex"
                            value: "([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*)"
                          }
                        }
                      })pb"),
            "serde RegexSerDe (input.regex='([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ...')");
  EXPECT_EQ(Text(R"pb(set_serde { serde { parameters { key: "a" value: "b" } } })pb"),
            "serde (no library) (a='b')");
  EXPECT_EQ(Text(R"pb(set_serde {})pb"), "serde (none)");
}

TEST(DescribeChange, Bucketing) {
  EXPECT_EQ(Text(R"pb(set_bucketing { bucket_columns: [ "id" ] num_buckets: 8 })pb"),
            "clustered by (id) into 8 buckets");
  EXPECT_EQ(Text(R"pb(set_bucketing {
                        bucket_columns: [ "id", "dt" ]
                        num_buckets: 1
                        sort_columns { column: "dt" descending: true }
                        sort_columns { column: "id" }
                      })pb"),
            "clustered by (id, dt) into 1 bucket, sorted by (dt desc, id asc)");
  EXPECT_EQ(Text(R"pb(set_bucketing {})pb"), "bucketing (none)");
}

TEST(FormatWord, EachStorageKind) {
  struct Case {
    const char* serde;
    const char* input;
    const char* word;
  };
  const Case cases[] = {
      {"org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", "", "parquet"},
      {"", "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat", "orc"},
      {"org.apache.hadoop.hive.serde2.avro.AvroSerDe", "", "avro"},
      {"org.apache.hadoop.hive.serde2.OpenCSVSerde", "org.apache.hadoop.mapred.TextInputFormat",
       "csv"},
      {"org.openx.data.jsonserde.JsonSerDe", "org.apache.hadoop.mapred.TextInputFormat", "json"},
      {"org.apache.hive.hcatalog.data.JsonSerDe", "", "json"},
      {"org.apache.hadoop.hive.serde2.RegexSerDe", "", "regex"},
      {"com.amazonaws.glue.serde.GrokSerDe", "", "grok"},
      {"com.amazon.ionhiveserde.IonHiveSerDe", "", "ion"},
      {"com.amazon.emr.hive.serde.CloudTrailSerde", "", "cloudtrail"},
      {"", "org.apache.hadoop.hive.ql.io.RCFileInputFormat", "rcfile"},
      {"", "org.apache.hadoop.mapred.SequenceFileInputFormat", "sequencefile"},
      {"org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", "", "text"},
      {"", "org.apache.hadoop.mapred.TextInputFormat", "text"},
      {"org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
       "org.apache.hudi.hadoop.HoodieParquetInputFormat", "hudi"},
      {"com.example.serde.MySerDe", "", "MySerDe"},
      {"", "com.example.MyInput", "MyInput"},
      {"", "", "-"},
  };
  for (const auto& c : cases) {
    pb::GlueTable t;
    t.mutable_serde()->set_serialization_library(c.serde);
    t.set_input_format(c.input);
    EXPECT_EQ(FormatWord(t), c.word) << c.serde << " " << c.input;
  }
  pb::GlueTable iceberg = testing::Orders();
  (*iceberg.mutable_parameters())["table_type"] = "ICEBERG";
  EXPECT_EQ(FormatWord(iceberg), "iceberg");
  (*iceberg.mutable_parameters())["table_type"] = "delta";
  EXPECT_EQ(FormatWord(iceberg), "delta");
}

TEST(SummaryLine, ColumnsPartitionsFormatLocation) {
  EXPECT_EQ(SummaryLine("sales", testing::Orders()),
            "sales.orders  3 columns  partitioned by (dt string)  parquet  s3://lake/orders/");
  EXPECT_EQ(SummaryLine("logs", testing::Table("CREATE EXTERNAL TABLE raw (line string)")),
            "logs.raw  1 column  text");
}

TEST(ColumnsText, AsDdlListsThem) {
  EXPECT_EQ(ColumnsText(testing::Orders().columns()),
            "id bigint, total decimal(12,2), payload string");
  EXPECT_EQ(ColumnsText({}), "");
}

}  // namespace
}  // namespace strata::glue

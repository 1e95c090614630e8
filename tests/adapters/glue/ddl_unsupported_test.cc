// What a table file may look like but strata does not manage: each statement is refused at the
// token that gives it away, with what is supported.
#include "adapters/glue/ddl_unsupported.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/adapters/glue/ddl_testing.h"

namespace strata::glue {
namespace {

using testing::ParseError;

constexpr char kSupported[] =
    "strata manages Hive tables: one CREATE EXTERNAL TABLE statement per file";

TEST(DdlUnsupported, ViewsInEveryAthenaSpelling) {
  const std::string message = std::string("views are not supported (") + kSupported +
                              "); an Athena view is not a table file";
  EXPECT_EQ(ParseError("CREATE VIEW v AS SELECT 1"), "sales/t.sql:1:8: " + message);
  EXPECT_EQ(ParseError("create or replace view v as select * from t"),
            "sales/t.sql:1:8: " + message);
  EXPECT_EQ(ParseError("CREATE PROTECTED MULTI DIALECT VIEW v SECURITY DEFINER AS SELECT 1"),
            "sales/t.sql:1:8: " + message);
  EXPECT_EQ(ParseError("CREATE MATERIALIZED VIEW v AS SELECT 1"), "sales/t.sql:1:8: " + message);
}

TEST(DdlUnsupported, Ctas) {
  const std::string message = std::string("CREATE TABLE … AS SELECT (CTAS) is not supported: it "
                                          "makes a table from a query; declare the columns "
                                          "instead (") +
                              kSupported + ")";
  EXPECT_EQ(ParseError("CREATE TABLE new_table\nAS SELECT * FROM old_table"),
            "sales/t.sql:2:1: " + message);
  // Athena's CTAS properties come first, in WITH ( … ).
  EXPECT_EQ(ParseError("CREATE TABLE t WITH (format = 'PARQUET') AS SELECT 1"),
            "sales/t.sql:1:16: " + message);
  EXPECT_EQ(ParseError("CREATE EXTERNAL TABLE t (a int) AS SELECT 1"),
            "sales/t.sql:1:33: " + message);
  // STORED AS and NULL DEFINED AS are not CTAS, nor is AS inside a column list.
  EXPECT_TRUE(ParseCreateTable("CREATE EXTERNAL TABLE t (`as` int) ROW FORMAT DELIMITED NULL "
                               "DEFINED AS 'x' STORED AS ORC",
                               "t.sql")
                  .ok());
}

TEST(DdlUnsupported, IcebergAndDeltaAreRecognisedByTheirTableType) {
  const std::string iceberg = std::string("Iceberg tables are not supported: their schema lives "
                                          "in Iceberg metadata, which strata does not manage yet (") +
                              kSupported + ")";
  // Athena's Iceberg syntax: untyped partition transforms, no EXTERNAL.
  EXPECT_EQ(ParseError("CREATE TABLE iceberg_table (id int, ts timestamp)\n"
                       "PARTITIONED BY (day(ts))\n"
                       "LOCATION 's3://bucket/iceberg/'\n"
                       "TBLPROPERTIES ( 'table_type' = 'ICEBERG' )"),
            "sales/t.sql:4:32: " + iceberg);
  EXPECT_EQ(ParseError("CREATE EXTERNAL TABLE t (a int) TBLPROPERTIES ('TABLE_TYPE'='iceberg')"),
            "sales/t.sql:1:61: " + iceberg);
  // Athena's Delta Lake syntax has no column list.
  EXPECT_EQ(ParseError("CREATE EXTERNAL TABLE t\n  LOCATION 's3://bucket/delta/'\n"
                       "  TBLPROPERTIES ('table_type' = 'DELTA')"),
            std::string("sales/t.sql:3:33: Delta Lake tables are not supported: their schema "
                        "lives in the Delta log, which strata does not manage (") +
                kSupported + ")");
  // Another table type is just a property.
  EXPECT_TRUE(ParseCreateTable("CREATE EXTERNAL TABLE t (a int) TBLPROPERTIES "
                               "('table_type'='HIVE')",
                               "t.sql")
                  .ok());
}

TEST(DdlUnsupported, CreateTableWithoutExternal) {
  EXPECT_EQ(ParseError("CREATE TABLE t (a int) STORED AS PARQUET"),
            "sales/t.sql:1:8: CREATE TABLE without EXTERNAL makes an Iceberg table in Athena, "
            "which strata does not manage; write CREATE EXTERNAL TABLE for a Hive table");
}

TEST(DdlUnsupported, DatabasesAndTemporaryTables) {
  EXPECT_EQ(ParseError("CREATE DATABASE sales"),
            "sales/t.sql:1:8: databases are not declared by statements: each directory of the "
            "schema directory is a database, holding <table>.sql files");
  EXPECT_EQ(ParseError("CREATE SCHEMA IF NOT EXISTS sales"),
            "sales/t.sql:1:8: databases are not declared by statements: each directory of the "
            "schema directory is a database, holding <table>.sql files");
  EXPECT_EQ(ParseError("CREATE TEMPORARY TABLE t (a int)"),
            std::string("sales/t.sql:1:8: temporary tables are not supported by Athena (") +
                kSupported + ")");
  EXPECT_EQ(ParseError("CREATE INDEX i ON t (a)"),
            "sales/t.sql:1:8: found \"INDEX\", expected EXTERNAL TABLE");
}

}  // namespace
}  // namespace strata::glue

// strata's Glue commands that read a catalog as it is: export to files, import into the log,
// drift after a change made with the AWS CLI, list, -t filters, and paged listings (the proxy
// pages GetDatabases and GetTables as Glue does; moto answers everything at once).
#include <gtest/gtest.h>

#include "integration/glue/glue_fixture.h"

namespace strata::testing {
namespace {

using json = nlohmann::json;

json ColumnsJson(std::initializer_list<std::pair<const char*, const char*>> columns) {
  json out = json::array();
  for (const auto& [name, type] : columns) out.push_back({{"Name", name}, {"Type", type}});
  return out;
}

class GlueCliCatalogTest : public GlueCliTest {
 protected:
  explicit GlueCliCatalogTest(int page_size = 100) : GlueCliTest(page_size) {}

  void CreateDatabase(const std::string& db) {
    Must("CreateDatabase", {{"DatabaseInput", {{"Name", db}}}});
  }
  // A Parquet table made as Athena makes one, with what Glue and Athena add to it.
  void CreateParquetTable(const std::string& db, const std::string& table) {
    Must("CreateTable",
         {{"DatabaseName", db},
          {"TableInput",
           {{"Name", table},
            {"TableType", "EXTERNAL_TABLE"},
            {"Parameters",
             {{"EXTERNAL", "TRUE"},
              {"parquet.compression", "SNAPPY"},
              {"transient_lastDdlTime", "1700000000"}}},
            {"PartitionKeys", ColumnsJson({{"year", "string"}})},
            {"StorageDescriptor",
             {{"Columns", ColumnsJson({{"id", "bigint"},
                                       {"payload", "struct<a:int,b:array<string>>"},
                                       {"price", "decimal(10,2)"}})},
              {"Location", "s3://lake/" + table + "/"},
              {"InputFormat", "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"},
              {"OutputFormat", "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"},
              {"SerdeInfo",
               {{"SerializationLibrary",
                 "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"},
                {"Parameters", {{"serialization.format", "1"}}}}}}}}}});
  }
};

TEST_F(GlueCliCatalogTest, ExportThenImportRoundTripsAndPlansNothing) {
  CreateDatabase(D("lake"));
  CreateParquetTable(D("lake"), "orders");
  CreateParquetTable(D("lake"), "returns");

  const std::string pattern = D("lake") + ".*";
  StrataRun exported = Strata({"export", "--target", "local", "-t", pattern});
  ASSERT_EQ(exported.code, 0) << exported;
  const std::string file = "schema/athena/" + D("lake") + "/orders.sql";
  const std::string ddl = ReadFile(file);
  EXPECT_TRUE(Contains(ddl, "CREATE EXTERNAL TABLE `" + D("lake") + "`.`orders`")) << ddl;
  EXPECT_TRUE(Contains(ddl, "`payload` struct<a:int,b:array<string>>")) << ddl;
  EXPECT_TRUE(Contains(ddl, "decimal(10,2)")) << ddl;
  EXPECT_TRUE(Contains(ddl, "PARTITIONED BY")) << ddl;
  EXPECT_TRUE(Contains(ddl, "'parquet.compression' = 'SNAPPY'")) << ddl;
  EXPECT_FALSE(Contains(ddl, "transient_lastDdlTime")) << ddl;  // the server's, not a property

  // Never over a file without --overwrite; nothing is written then.
  WriteFile(file, "-- mine\n");
  StrataRun again = Strata({"export", "--target", "local", "-t", pattern});
  EXPECT_NE(again.code, 0) << again;
  EXPECT_TRUE(Contains(again.err, "--overwrite")) << again;
  EXPECT_EQ(ReadFile(file), "-- mine\n");
  StrataRun overwrite = Strata({"export", "--target", "local", "-t", pattern, "--overwrite"});
  ASSERT_EQ(overwrite.code, 0) << overwrite;
  EXPECT_EQ(ReadFile(file), ddl);

  StrataRun imported = Strata({"import", "--target", "local", "-t", pattern});
  ASSERT_EQ(imported.code, 0) << imported;
  // The files and the log agree, and the target has what the log says.
  StrataRun status = Strata({"status", "--detailed-exitcode"});
  EXPECT_EQ(status.code, 0) << status;
  // Nothing to do on the target (the import commit itself is not a deployment to it).
  StrataRun plan = Strata({"plan", "--target", "local"});
  EXPECT_EQ(plan.code, 0) << plan;
  EXPECT_TRUE(Contains(plan.out, "No changes")) << plan;
  StrataRun drift = Strata({"drift", "--target", "local"});
  EXPECT_EQ(drift.code, 0) << drift;
}

TEST_F(GlueCliCatalogTest, DriftFindsAChangeMadeWithTheAwsCliAndExitsThree) {
  WriteTable(D("lake"), "clicks",
             "CREATE EXTERNAL TABLE clicks (id bigint, url string)\n"
             "STORED AS PARQUET LOCATION 's3://lake/clicks/';\n");
  ASSERT_EQ(Strata({"generate", "-m", "clicks"}).code, 0);
  ASSERT_EQ(Strata({"apply", "--target", "local", "--auto-approve"}).code, 0);
  StrataRun clean = Strata({"drift", "--target", "local"});
  EXPECT_EQ(clean.code, 0) << clean;

  json t = Table(D("lake"), "clicks");
  json input = {{"Name", "clicks"},
                {"TableType", t["TableType"]},
                {"Parameters", t["Parameters"]},
                {"StorageDescriptor", t["StorageDescriptor"]}};
  input["StorageDescriptor"]["Columns"].push_back({{"Name", "referrer"}, {"Type", "string"}});
  input["StorageDescriptor"]["Location"] = "s3://elsewhere/clicks/";
  ASSERT_EQ(AwsCli({"glue", "update-table", "--database-name", D("lake"), "--table-input",
                    input.dump()}),
            0);

  StrataRun drift = Strata({"drift", "--target", "local"});
  EXPECT_EQ(drift.code, 3) << drift;
  EXPECT_TRUE(Contains(drift.out, D("lake") + ".clicks")) << drift;
  EXPECT_TRUE(Contains(drift.out, "referrer")) << drift;
  EXPECT_TRUE(Contains(drift.out, "s3://elsewhere/clicks/")) << drift;
  StrataRun j = Strata({"--json", "drift", "--target", "local"});
  EXPECT_EQ(j.code, 3) << j;
  EXPECT_FALSE(j.Json().is_null());
}

TEST_F(GlueCliCatalogTest, ListShowsTablesWithFormatPartitionsAndWhetherManaged) {
  WriteTable(D("lake"), "clicks",
             "CREATE EXTERNAL TABLE clicks (id bigint, url string) PARTITIONED BY (dt string)\n"
             "STORED AS PARQUET LOCATION 's3://lake/clicks/';\n");
  ASSERT_EQ(Strata({"generate", "-m", "clicks"}).code, 0);
  ASSERT_EQ(Strata({"apply", "--target", "local", "--auto-approve"}).code, 0);
  CreateParquetTable(D("lake"), "manual");

  StrataRun list = Strata({"list", "--target", "local", "-t", D("lake") + ".*"});
  ASSERT_EQ(list.code, 0) << list;
  EXPECT_TRUE(Contains(list.out, D("lake") + ".clicks")) << list;
  EXPECT_TRUE(Contains(list.out, D("lake") + ".manual")) << list;
  EXPECT_TRUE(Contains(list.out, "parquet")) << list;
  EXPECT_TRUE(Contains(list.out, "s3://lake/clicks/")) << list;
  StrataRun j = Strata({"--json", "list", "--target", "local", "-t", D("lake") + ".*"});
  ASSERT_EQ(j.code, 0) << j;
  json rows = j.Json();
  ASSERT_FALSE(rows.is_null());
  EXPECT_TRUE(Contains(rows.dump(), "\"managed\":true")) << rows.dump(2);
  EXPECT_TRUE(Contains(rows.dump(), "\"managed\":false")) << rows.dump(2);
}

TEST_F(GlueCliCatalogTest, FiltersSelectTablesOnEitherSideOfTheDot) {
  for (const char* db : {"lake", "mart"}) {
    for (const char* t : {"orders", "order_items", "users"}) {
      WriteTable(D(db), t,
                 std::string("CREATE EXTERNAL TABLE ") + t +
                     " (id bigint) STORED AS PARQUET LOCATION 's3://x/" + t + "/';\n");
    }
  }
  ASSERT_EQ(Strata({"generate", "-m", "six"}).code, 0);
  StrataRun some = Strata({"apply", "--target", "local", "--auto-approve", "-t",
                           D("lake") + ".order*"});
  ASSERT_EQ(some.code, 0) << some;
  EXPECT_FALSE(Table(D("lake"), "orders").is_null());
  EXPECT_FALSE(Table(D("lake"), "order_items").is_null());
  EXPECT_TRUE(Table(D("lake"), "users").is_null());
  EXPECT_TRUE(Table(D("mart"), "orders").is_null());

  StrataRun plan = Strata({"plan", "--target", "local", "-t", "*.users"});
  ASSERT_EQ(plan.code, 0) << plan;
  EXPECT_TRUE(Contains(plan.out, D("lake") + ".users")) << plan;
  EXPECT_TRUE(Contains(plan.out, D("mart") + ".users")) << plan;
  EXPECT_FALSE(Contains(plan.out, D("mart") + ".orders")) << plan;

  StrataRun none = Strata({"plan", "--target", "local", "-t", D("lake") + ".nothing*"});
  EXPECT_NE(none.code, 0) << none;
  EXPECT_TRUE(Contains(none.err, "nothing")) << none;

  StrataRun rest = Strata({"apply", "--target", "local", "--auto-approve"});
  ASSERT_EQ(rest.code, 0) << rest;
  EXPECT_FALSE(Table(D("mart"), "users").is_null());
}

class GlueCliPagedTest : public GlueCliCatalogTest {
 protected:
  GlueCliPagedTest() : GlueCliCatalogTest(2) {}
};

TEST_F(GlueCliPagedTest, EveryPageOfDatabasesAndTablesIsRead) {
  for (const char* db : {"a", "b", "c"}) {
    CreateDatabase(D(db));
    for (const char* t : {"t1", "t2", "t3", "t4", "t5"}) CreateParquetTable(D(db), t);
  }
  StrataRun list = Strata({"--json", "list", "--target", "local", "-t", D("") + "*.*"});
  ASSERT_EQ(list.code, 0) << list;
  const std::string text = list.out;
  for (const char* db : {"a", "b", "c"}) {
    for (const char* t : {"t1", "t2", "t3", "t4", "t5"}) {
      EXPECT_TRUE(Contains(text, "\"" + D(db) + "." + t + "\"")) << D(db) << "." << t << "\n"
                                                                 << text;
    }
  }
  StrataRun exported = Strata({"export", "--target", "local", "-t", D("") + "*.*"});
  ASSERT_EQ(exported.code, 0) << exported;
  for (const char* db : {"a", "b", "c"}) {
    EXPECT_TRUE(std::filesystem::exists(work_ / ("schema/athena/" + D(db) + "/t5.sql"))) << db;
  }
}

}  // namespace
}  // namespace strata::testing

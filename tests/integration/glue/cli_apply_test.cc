// strata's Glue commands against moto (behind the fault proxy in Glue mode): tables created
// from files, changed in place with UpdateTable as a read-modify-write, a concurrent change
// caught by VersionId, deletes and replaces only with consent, unmanaged tables untouched.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "integration/glue/glue_fixture.h"

namespace strata::testing {
namespace {

using json = nlohmann::json;

std::string Events(const std::string& amount_type, const std::string& extra_column,
                   const std::string& location, const std::string& malformed,
                   const std::string& extra_property) {
  return "CREATE EXTERNAL TABLE IF NOT EXISTS `events` (\n"
         "  `id` bigint COMMENT 'event id',\n"
         "  `kind` string,\n"
         "  `amount` " + amount_type + extra_column + "\n"
         ")\n"
         "PARTITIONED BY (`dt` string)\n"
         "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'\n"
         "WITH SERDEPROPERTIES ('ignore.malformed.json'='" + malformed + "')\n"
         "STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'\n"
         "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'\n"
         "LOCATION '" + location + "'\n"
         "TBLPROPERTIES ('classification'='json'" + extra_property + ");\n";
}

std::string FirstEvents() {
  return Events("int", "", "s3://bucket/events/", "true", "");
}

class GlueCliApplyTest : public GlueCliTest {
 protected:
  // Creates the events table through strata: generate, then apply.
  void CreateEvents() {
    WriteTable(D("sales"), "events", FirstEvents());
    ASSERT_EQ(Strata({"generate", "-m", "events"}).code, 0);
    StrataRun r = Strata({"apply", "--target", "local", "--auto-approve"});
    ASSERT_EQ(r.code, 0) << r;
  }
  void AddPartition(const std::string& db, const std::string& table, const std::string& dt) {
    Must("CreatePartition",
         {{"DatabaseName", db},
          {"TableName", table},
          {"PartitionInput",
           {{"Values", {dt}},
            {"StorageDescriptor",
             {{"Location", "s3://bucket/" + table + "/dt=" + dt + "/"},
              {"Columns", json::array({{{"Name", "id"}, {"Type", "bigint"}}})}}}}}});
  }
  size_t Partitions(const std::string& db, const std::string& table) {
    json r = Must("GetPartitions", {{"DatabaseName", db}, {"TableName", table}});
    return r.is_null() ? 0 : r["Partitions"].size();
  }
  // Adds what someone else would: a parameter (as a crawler does), a SerDe parameter and an
  // owner, with an UpdateTable of the test's own (read-modify-write, as the AWS CLI user
  // would do it).
  void ChangeBehindStrata(const std::string& db, const std::string& table) {
    json t = Table(db, table);
    ASSERT_FALSE(t.is_null());
    json input = {{"Name", t["Name"]},
                  {"StorageDescriptor", t["StorageDescriptor"]},
                  {"PartitionKeys", t.value("PartitionKeys", json::array())},
                  {"TableType", t["TableType"]},
                  {"Parameters", t["Parameters"]},
                  {"Owner", "etl-team"}};
    input["Parameters"]["crawler_note"] = "added by a crawler";
    input["StorageDescriptor"]["SerdeInfo"]["Parameters"]["case.insensitive"] = "false";
    Must("UpdateTable", {{"DatabaseName", db}, {"TableInput", input}});
  }
};

TEST_F(GlueCliApplyTest, CreatesTheDatabaseAndTheTableFromTheFile) {
  WriteTable(D("sales"), "events", FirstEvents());
  StrataRun plan = Strata({"plan", "--target", "local"});
  EXPECT_EQ(plan.code, 0) << plan;
  ASSERT_EQ(Strata({"generate", "-m", "events"}).code, 0);
  plan = Strata({"plan", "--target", "local"});
  ASSERT_EQ(plan.code, 0) << plan;
  EXPECT_TRUE(Contains(plan.out, "CreateDatabase")) << plan;
  EXPECT_TRUE(Contains(plan.out, "Plan: 2 to add, 0 to change, 0 to destroy.")) << plan;
  StrataRun r = Strata({"apply", "--target", "local", "--auto-approve"});
  ASSERT_EQ(r.code, 0) << r;

  json t = Table(D("sales"), "events");
  ASSERT_FALSE(t.is_null());
  EXPECT_EQ(Columns(t), (std::vector<std::string>{"id bigint", "kind string", "amount int"}));
  EXPECT_EQ(t["StorageDescriptor"]["Columns"][0]["Comment"], "event id");
  ASSERT_EQ(t["PartitionKeys"].size(), 1u);
  EXPECT_EQ(t["PartitionKeys"][0]["Name"], "dt");
  EXPECT_EQ(t["TableType"], "EXTERNAL_TABLE");
  EXPECT_EQ(t["Parameters"]["classification"], "json");
  EXPECT_EQ(t["StorageDescriptor"]["Location"], "s3://bucket/events/");
  EXPECT_EQ(t["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"],
            "org.openx.data.jsonserde.JsonSerDe");
  EXPECT_EQ(t["StorageDescriptor"]["SerdeInfo"]["Parameters"]["ignore.malformed.json"], "true");
  EXPECT_EQ(t["StorageDescriptor"]["InputFormat"], "org.apache.hadoop.mapred.TextInputFormat");

  StrataRun again = Strata({"plan", "--target", "local", "--detailed-exitcode"});
  EXPECT_EQ(again.code, 0) << again;
}

TEST_F(GlueCliApplyTest, ChangesInPlaceKeepingPartitionsAndWhatOthersAdded) {
  CreateEvents();
  AddPartition(D("sales"), "events", "2024-01-01");
  ChangeBehindStrata(D("sales"), "events");

  // A type change, a new column with a comment, a location, a SerDe property and a table
  // property, in one edit.
  WriteTable(D("sales"), "events",
             Events("bigint", ",\n  `note` string COMMENT 'free text'", "s3://bucket/events-v2/",
                    "false", ", 'has_encrypted_data'='false'"));
  StrataRun gen = Strata({"generate", "-m", "wider amounts"});
  ASSERT_EQ(gen.code, 0) << gen;
  StrataRun log = Strata({"log", "--events"});
  EXPECT_TRUE(Contains(log.out, "amount")) << log;

  StrataRun plan = Strata({"plan", "--target", "local"});
  ASSERT_EQ(plan.code, 0) << plan;
  EXPECT_TRUE(Contains(plan.out, "UpdateTable")) << plan;
  EXPECT_TRUE(Contains(plan.out, "int -> bigint")) << plan;
  EXPECT_TRUE(Contains(plan.out, "partition")) << plan;  // partitions are not touched: said
  EXPECT_FALSE(Contains(plan.out, "DeleteTable")) << plan;
  EXPECT_TRUE(Contains(plan.out, "Plan: 0 to add, 1 to change, 0 to destroy.")) << plan;
  // What someone else added is no change of strata's.
  EXPECT_FALSE(Contains(plan.out, "crawler_note")) << plan;

  StrataRun r = Strata({"apply", "--target", "local", "--auto-approve"});
  ASSERT_EQ(r.code, 0) << r;
  json t = Table(D("sales"), "events");
  ASSERT_FALSE(t.is_null());
  EXPECT_EQ(Columns(t), (std::vector<std::string>{"id bigint", "kind string", "amount bigint",
                                                   "note string"}));
  EXPECT_EQ(t["StorageDescriptor"]["Columns"][3]["Comment"], "free text");
  EXPECT_EQ(t["StorageDescriptor"]["Location"], "s3://bucket/events-v2/");
  EXPECT_EQ(t["StorageDescriptor"]["SerdeInfo"]["Parameters"]["ignore.malformed.json"], "false");
  EXPECT_EQ(t["Parameters"]["has_encrypted_data"], "false");
  EXPECT_EQ(t["Parameters"]["classification"], "json");
  // Kept as the live table had them.
  EXPECT_EQ(t["Parameters"]["crawler_note"], "added by a crawler");
  EXPECT_EQ(t["StorageDescriptor"]["SerdeInfo"]["Parameters"]["case.insensitive"], "false");
  EXPECT_EQ(t["Owner"], "etl-team");
  ASSERT_EQ(t["PartitionKeys"].size(), 1u);
  // The partition is still there: the table was updated, not dropped and created again.
  EXPECT_EQ(Partitions(D("sales"), "events"), 1u);

  StrataRun again = Strata({"plan", "--target", "local", "--detailed-exitcode"});
  EXPECT_EQ(again.code, 0) << again;

  // The table as it was before the change, as DDL.
  StrataRun show = Strata({"show", "--at", "1", D("sales") + ".events"});
  ASSERT_EQ(show.code, 0) << show;
  EXPECT_TRUE(Contains(show.out, "`amount` int")) << show;
  EXPECT_TRUE(Contains(show.out, "CREATE EXTERNAL TABLE")) << show;
  EXPECT_FALSE(Contains(show.out, "note")) << show;
}

TEST_F(GlueCliApplyTest, NoUpdateIsSentWhenOnlyServerManagedParametersDiffer) {
  CreateEvents();
  json t = Table(D("sales"), "events");
  json input = {{"Name", t["Name"]},
                {"StorageDescriptor", t["StorageDescriptor"]},
                {"PartitionKeys", t["PartitionKeys"]},
                {"TableType", t["TableType"]},
                {"Parameters", t["Parameters"]}};
  input["Parameters"]["transient_lastDdlTime"] = "1700000000";
  Must("UpdateTable", {{"DatabaseName", D("sales")}, {"TableInput", input}});
  const std::string version = Table(D("sales"), "events")["VersionId"];

  StrataRun plan = Strata({"plan", "--target", "local", "--detailed-exitcode"});
  EXPECT_EQ(plan.code, 0) << plan;
  StrataRun drift = Strata({"drift", "--target", "local"});
  EXPECT_EQ(drift.code, 0) << drift;
  StrataRun apply = Strata({"apply", "--target", "local", "--auto-approve"});
  EXPECT_EQ(apply.code, 0) << apply;
  EXPECT_EQ(Table(D("sales"), "events")["VersionId"], version);  // nothing was archived
}

TEST_F(GlueCliApplyTest, AConcurrentChangeIsCaughtByVersionIdNotOverwritten) {
  CreateEvents();
  WriteTable(D("sales"), "events", Events("bigint", "", "s3://bucket/events/", "true", ""));
  ASSERT_EQ(Strata({"generate", "-m", "bigint"}).code, 0);

  // strata's UpdateTable waits at the proxy while someone else changes the table.
  proxy_.Hold("UpdateTable", 3);
  auto apply = std::async(std::launch::async, [this] {
    return Strata({"apply", "--target", "local", "--auto-approve"});
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (proxy_.State().value("holding", 0) == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(proxy_.State().value("holding", 0), 1) << "strata's UpdateTable never came";
  ChangeBehindStrata(D("sales"), "events");
  StrataRun r = apply.get();

  EXPECT_NE(r.code, 0) << r;
  EXPECT_TRUE(Contains(r.err, D("sales") + ".events")) << r;
  EXPECT_TRUE(Contains(r.err, "changed")) << r;
  EXPECT_TRUE(Contains(r.err, "strata plan")) << r;
  json t = Table(D("sales"), "events");
  // The other change stands; strata's did not overwrite it.
  EXPECT_EQ(t["Parameters"]["crawler_note"], "added by a crawler");
  EXPECT_EQ(t["Owner"], "etl-team");
  EXPECT_EQ(Columns(t)[2], "amount int");

  // Planning again reads the new version, and the change goes through, keeping the other's.
  StrataRun retry = Strata({"apply", "--target", "local", "--auto-approve"});
  ASSERT_EQ(retry.code, 0) << retry;
  t = Table(D("sales"), "events");
  EXPECT_EQ(Columns(t)[2], "amount bigint");
  EXPECT_EQ(t["Parameters"]["crawler_note"], "added by a crawler");
  EXPECT_EQ(t["Owner"], "etl-team");
}

TEST_F(GlueCliApplyTest, DeletesOnlyWithConsentAndNeverUnmanagedTablesOrDatabases) {
  CreateEvents();
  // A table strata does not manage, in the same database.
  Must("CreateTable",
       {{"DatabaseName", D("sales")},
        {"TableInput",
         {{"Name", "manual"},
          {"TableType", "EXTERNAL_TABLE"},
          {"StorageDescriptor", {{"Columns", json::array({{{"Name", "x"}, {"Type", "int"}}})}}}}}});

  std::filesystem::remove(work_ / ("schema/athena/" + D("sales") + "/events.sql"));
  ASSERT_EQ(Strata({"generate", "-m", "drop events"}).code, 0);
  StrataRun plan = Strata({"plan", "--target", "local"});
  ASSERT_EQ(plan.code, 0) << plan;
  EXPECT_TRUE(Contains(plan.out, "DeleteTable")) << plan;
  EXPECT_TRUE(Contains(plan.out, "Plan: 0 to add, 0 to change, 1 to destroy.")) << plan;
  EXPECT_FALSE(Contains(plan.out, "manual")) << plan;

  StrataRun refused = Strata({"apply", "--target", "local", "--auto-approve"});
  EXPECT_NE(refused.code, 0) << refused;
  EXPECT_TRUE(Contains(refused.err, "--allow-delete " + D("sales") + ".events")) << refused;
  EXPECT_FALSE(Table(D("sales"), "events").is_null());

  StrataRun done = Strata({"apply", "--target", "local", "--auto-approve", "--allow-delete",
                           D("sales") + ".events"});
  ASSERT_EQ(done.code, 0) << done;
  EXPECT_TRUE(Table(D("sales"), "events").is_null());
  EXPECT_FALSE(Table(D("sales"), "manual").is_null());
  // The database stays, with the table strata never managed.
  EXPECT_EQ(Must("GetDatabase", {{"Name", D("sales")}})["Database"]["Name"], D("sales"));
}

TEST_F(GlueCliApplyTest, NewPartitionKeysOnATableWithPartitionsAreAReplaceNeedingConsent) {
  CreateEvents();
  AddPartition(D("sales"), "events", "2024-01-01");
  std::string ddl = FirstEvents();
  ddl.replace(ddl.find("PARTITIONED BY (`dt` string)"), 28,
              "PARTITIONED BY (`dt` string, `hour` string)");
  WriteTable(D("sales"), "events", ddl);
  ASSERT_EQ(Strata({"generate", "-m", "hourly"}).code, 0);

  StrataRun plan = Strata({"plan", "--target", "local"});
  ASSERT_EQ(plan.code, 0) << plan;
  EXPECT_TRUE(Contains(plan.out, "--allow-replace " + D("sales") + ".events")) << plan;
  StrataRun refused = Strata({"apply", "--target", "local", "--auto-approve"});
  EXPECT_NE(refused.code, 0) << refused;
  EXPECT_TRUE(Contains(refused.err, "--allow-replace")) << refused;
  EXPECT_EQ(Table(D("sales"), "events")["PartitionKeys"].size(), 1u);
  EXPECT_EQ(Partitions(D("sales"), "events"), 1u);

  StrataRun done = Strata({"apply", "--target", "local", "--auto-approve", "--allow-replace",
                           D("sales") + ".events"});
  ASSERT_EQ(done.code, 0) << done;
  json t = Table(D("sales"), "events");
  ASSERT_EQ(t["PartitionKeys"].size(), 2u);
  EXPECT_EQ(t["PartitionKeys"][1]["Name"], "hour");
}

TEST_F(GlueCliApplyTest, NewPartitionKeysOnATableWithoutPartitionsChangeInPlace) {
  CreateEvents();
  std::string ddl = FirstEvents();
  ddl.replace(ddl.find("PARTITIONED BY (`dt` string)"), 28,
              "PARTITIONED BY (`dt` string, `hour` string)");
  WriteTable(D("sales"), "events", ddl);
  ASSERT_EQ(Strata({"generate", "-m", "hourly"}).code, 0);
  const std::string version = Table(D("sales"), "events")["VersionId"];
  StrataRun r = Strata({"apply", "--target", "local", "--auto-approve"});
  ASSERT_EQ(r.code, 0) << r;
  json t = Table(D("sales"), "events");
  EXPECT_EQ(t["PartitionKeys"].size(), 2u);
  EXPECT_NE(t["VersionId"], version);  // updated, one version on
  EXPECT_EQ(std::stoi(t["VersionId"].get<std::string>()), std::stoi(version) + 1);
}

}  // namespace
}  // namespace strata::testing

// strata import and export against moto: live tables adopted as a baseline commit
// that history commands then work on; tables written as files that load back equal; a Mizzle
// snapshot as the first commit.
#include <gtest/gtest.h>

#include <filesystem>

#include "integration/dynamodb/cli_fixture.h"

namespace strata::testing {
namespace {

using json = nlohmann::json;

class CliImportTest : public DynamoCliTest {
 protected:
  explicit CliImportTest(const DynamoDbProxy::Options& proxy = NoDelays())
      : DynamoCliTest(proxy) {}
  // accounts: pk S + sk S, a GSI, provisioned; tags: pk S only, on demand.
  void CreateTables() {
    Must("CreateTable",
         {{"TableName", T("accounts")},
          {"AttributeDefinitions",
           {{{"AttributeName", "pk"}, {"AttributeType", "S"}},
            {{"AttributeName", "sk"}, {"AttributeType", "S"}},
            {{"AttributeName", "email"}, {"AttributeType", "S"}}}},
          {"KeySchema",
           {{{"AttributeName", "pk"}, {"KeyType", "HASH"}},
            {{"AttributeName", "sk"}, {"KeyType", "RANGE"}}}},
          {"GlobalSecondaryIndexes",
           {{{"IndexName", "by_email"},
             {"KeySchema", {{{"AttributeName", "email"}, {"KeyType", "HASH"}}}},
             {"Projection", {{"ProjectionType", "KEYS_ONLY"}}},
             {"ProvisionedThroughput", {{"ReadCapacityUnits", 2}, {"WriteCapacityUnits", 1}}}}}},
          {"BillingMode", "PROVISIONED"},
          {"ProvisionedThroughput", {{"ReadCapacityUnits", 4}, {"WriteCapacityUnits", 2}}}});
    CreateTable(T("tags"));
  }
  size_t Commits() { return Strata({"--json", "log"}).Json()["commits"].size(); }
};

TEST_F(CliImportTest, ABaselineCommitThatShowLogAndBlameWorkOn) {
  CreateTables();
  StrataRun r = Strata({"--json", "import", "--target", "local", T("accounts"), T("tags")});
  ASSERT_EQ(r.code, 0) << r;
  json doc = r.Json();
  EXPECT_EQ(doc["seq"], 1);
  EXPECT_EQ(Find(doc["tables"], T("accounts"), "table")["action"], "created") << doc.dump(2);
  EXPECT_EQ(Find(doc["tables"], T("tags"), "table")["action"], "created") << doc.dump(2);

  json log = Strata({"--json", "log"}).Json();
  ASSERT_EQ(log["commits"].size(), 1u);
  EXPECT_EQ(log["commits"][0]["origin"], "import");
  EXPECT_EQ(log["commits"][0]["schema"], "dynamodb");

  StrataRun show = Strata({"--json", "show", T("accounts")});
  ASSERT_EQ(show.code, 0) << show;
  EXPECT_TRUE(Contains(show.out, "by_email")) << show;
  StrataRun blame = Strata({"blame", T("accounts")});
  ASSERT_EQ(blame.code, 0) << blame;
  EXPECT_TRUE(Contains(blame.out, "alice")) << blame;
  StrataRun object_log = Strata({"--json", "log", T("tags")});
  ASSERT_EQ(object_log.code, 0) << object_log;
  EXPECT_EQ(object_log.Json()["commits"].size(), 1u);
  EXPECT_EQ(Strata({"verify"}).code, 0);
}

TEST_F(CliImportTest, RecordedTablesRecordNothingUnlessTheyDiffer) {
  CreateTables();
  ASSERT_EQ(Strata({"import", "--target", "local", T("accounts")}).code, 0);
  StrataRun again = Strata({"import", "--target", "local", T("accounts")});
  ASSERT_EQ(again.code, 0) << again;
  EXPECT_TRUE(Contains(again.out, T("accounts") + " is already recorded as it is")) << again;
  EXPECT_TRUE(Contains(again.out, "Nothing to import")) << again;
  EXPECT_EQ(Commits(), 1u);

  // Someone adds an index behind strata's back: the next import records just that.
  Must(
      "UpdateTable",
      {{"TableName", T("accounts")},
       {"AttributeDefinitions", {{{"AttributeName", "name"}, {"AttributeType", "S"}}}},
       {"GlobalSecondaryIndexUpdates",
        {{{"Create",
           {{"IndexName", "by_name"},
            {"KeySchema", {{{"AttributeName", "name"}, {"KeyType", "HASH"}}}},
            {"Projection", {{"ProjectionType", "ALL"}}},
            {"ProvisionedThroughput", {{"ReadCapacityUnits", 1}, {"WriteCapacityUnits", 1}}}}}}}}});
  StrataRun changed = Strata({"--json", "import", "--target", "local", T("accounts")});
  ASSERT_EQ(changed.code, 0) << changed;
  json doc = changed.Json();
  EXPECT_EQ(doc["seq"], 2);
  json entry = Find(doc["tables"], T("accounts"), "table");
  EXPECT_EQ(entry["action"], "updated") << doc.dump(2);
  EXPECT_EQ(entry["changes"], 1) << doc.dump(2);
  StrataRun events = Strata({"--json", "log", "-n", "1", "--events"});
  EXPECT_TRUE(Contains(events.out, "add_global_index")) << events;
  EXPECT_EQ(Strata({"verify"}).code, 0);
}

// A target that cannot tag tables (played by the fault proxy, which answers the tagging calls
// with UnknownOperationException as a DynamoDB emulator without tagging does; moto tags) says
// nothing about tags: the record's stand.
class CliImportUntaggedTest : public CliImportTest {
 protected:
  CliImportUntaggedTest() : CliImportTest({.delay_seconds = 0, .no_tagging = true}) {}
};

TEST_F(CliImportUntaggedTest, TagsATargetCannotReportAreNeitherDroppedFromTheLogNorFromFiles) {
  WriteFile(
      "schema/dynamodb/t.yaml",
      "table: " + T("tagged") + "\npartition_key: { name: pk, type: S }\ntags: { team: core }\n");
  ASSERT_EQ(Strata({"generate"}).code, 0);
  CreateTable(T("tagged"));
  StrataRun r = Strata({"--json", "import", "--target", "local", T("tagged")});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(Find(r.Json()["tables"], T("tagged"), "table")["action"], "unchanged") << r;
  StrataRun e = Strata({"--json", "export", "--target", "local", T("tagged")});
  ASSERT_EQ(e.code, 0) << e;
  EXPECT_EQ(e.Json()["files"][0]["action"], "unchanged") << e;
  EXPECT_TRUE(Contains(ReadFile("schema/dynamodb/t.yaml"), "team: core"));
}

TEST_F(CliImportTest, ExportedFilesLoadBackEqualSoGenerateRecordsNothing) {
  CreateTables();
  ASSERT_EQ(Strata({"import", "--target", "local", T("accounts"), T("tags")}).code, 0);
  StrataRun e = Strata({"export", "--target", "local", T("accounts"), T("tags")});
  ASSERT_EQ(e.code, 0) << e;
  EXPECT_TRUE(Contains(e.out, "wrote schema/dynamodb/" + T("accounts") + ".yaml")) << e;
  EXPECT_TRUE(std::filesystem::exists(work_ / ("schema/dynamodb/" + T("tags") + ".yaml")));

  StrataRun g = Strata({"--json", "generate"});
  ASSERT_EQ(g.code, 0) << g;
  EXPECT_EQ(g.Json()["changes"], 0) << g;

  StrataRun again = Strata({"--json", "export", "--target", "local", T("accounts")});
  ASSERT_EQ(again.code, 0) << again;
  EXPECT_EQ(again.Json()["files"][0]["action"], "unchanged") << again;
}

TEST_F(CliImportTest, ExportLeavesADifferentDefinitionAloneUnlessOverwriting) {
  CreateTables();
  // The table's own file (under another name, in JSON) says something else.
  WriteFile("schema/dynamodb/legacy/acc.yaml",
            "table: " + T("accounts") + "\npartition_key: { name: pk, type: S }\n");
  StrataRun e = Strata({"export", "--target", "local", T("accounts")});
  EXPECT_EQ(e.code, 1) << e;
  EXPECT_TRUE(Contains(e.out, "left alone schema/dynamodb/legacy/acc.yaml")) << e;
  EXPECT_TRUE(Contains(e.err, "pass --overwrite to overwrite")) << e;
  EXPECT_FALSE(std::filesystem::exists(work_ / ("schema/dynamodb/" + T("accounts") + ".yaml")));

  StrataRun overwritten = Strata({"export", "--target", "local", "--overwrite", T("accounts")});
  ASSERT_EQ(overwritten.code, 0) << overwritten;
  EXPECT_TRUE(Contains(overwritten.out, "overwrote schema/dynamodb/legacy/acc.yaml")) << overwritten;
  EXPECT_TRUE(Contains(ReadFile("schema/dynamodb/legacy/acc.yaml"), "by_email"));
}

TEST_F(CliImportTest, ExportForceIsTheOlderNameOfOverwrite) {
  CreateTables();
  WriteFile("schema/dynamodb/legacy/acc.yaml",
            "table: " + T("accounts") + "\npartition_key: { name: pk, type: S }\n");
  StrataRun forced = Strata({"export", "--target", "local", "--force", T("accounts")});
  ASSERT_EQ(forced.code, 0) << forced;
  EXPECT_TRUE(Contains(forced.out, "overwrote schema/dynamodb/legacy/acc.yaml")) << forced;
  EXPECT_TRUE(Contains(ReadFile("schema/dynamodb/legacy/acc.yaml"), "by_email"));
}

TEST_F(CliImportTest, ExportAsJsonIntoAnotherDirectory) {
  CreateTables();
  StrataRun e = Strata(
      {"--json", "export", "--target", "local", "--format", "json", "--dir", "out", T("tags")});
  ASSERT_EQ(e.code, 0) << e;
  EXPECT_EQ(e.Json()["files"][0]["file"], "out/" + T("tags") + ".json") << e;
  EXPECT_TRUE(Contains(ReadFile("out/" + T("tags") + ".json"), "\"TableName\": \"" + T("tags")));
}

TEST_F(CliImportTest, AMizzleSnapshotIsTheFirstCommit) {
  WriteFile("mizzle/snapshot.json",
            "{\"version\": \"1\", \"tables\": {\"" + T("m") + "\": {\"TableName\": \"" + T("m") +
                "\", \"AttributeDefinitions\": [{\"AttributeName\": \"id\", \"AttributeType\": "
                "\"S\"}], \"KeySchema\": [{\"AttributeName\": \"id\", \"KeyType\": \"HASH\"}], "
                "\"BillingMode\": \"PAY_PER_REQUEST\"}}}\n");
  StrataRun r = Strata({"--json", "import", "mizzle", "mizzle"});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.Json()["seq"], 1);
  EXPECT_EQ(Strata({"show", T("m")}).code, 0);
  StrataRun twice = Strata({"import", "mizzle", "mizzle/snapshot.json"});
  EXPECT_EQ(twice.code, 1) << twice;
  EXPECT_TRUE(Contains(twice.err, "already has history")) << twice;
}

TEST_F(CliImportTest, ATableThatIsNotThereIsNamedAndNothingIsRecorded) {
  StrataRun r = Strata({"import", "--target", "local", T("ghost")});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(Contains(r.err, "no table " + T("ghost"))) << r;
  EXPECT_EQ(Strata({"--json", "log"}).Json()["commits"].size(), 0u);
}

// A live setting strata does not manage (the consistency mode of a global table, which moto
// does not keep: the proxy lays it over its answers) is named by import, export, plan and drift, in text
// and in JSON; one it manages (SSE with a KMS key, which moto keeps from CreateTable) is not.
TEST_F(CliImportTest, UnmanagedLiveSettingsAreNamedEverywhere) {
  Must("CreateTable", {{"TableName", T("secret")},
                       {"AttributeDefinitions", {{{"AttributeName", "pk"}, {"AttributeType", "S"}}}},
                       {"KeySchema", {{{"AttributeName", "pk"}, {"KeyType", "HASH"}}}},
                       {"BillingMode", "PAY_PER_REQUEST"},
                       {"SSESpecification", {{"Enabled", true}, {"SSEType", "KMS"}}}});
  proxy_.Control({{"describe_extra",
                   {{T("secret"),
                     {{"MultiRegionConsistency", "EVENTUAL"}}}}}});
  const std::string warning = "table " + T("secret") +
                              " has settings strata does not manage: MultiRegionConsistency; strata "
                              "leaves them as they are, but a table created from its table file "
                              "would not have them";
  StrataRun imported = Strata({"--json", "import", "--target", "local", T("secret")});
  ASSERT_EQ(imported.code, 0) << imported;
  EXPECT_EQ(imported.Json()["warnings"], json::array({warning})) << imported;
  StrataRun text = Strata({"import", "--target", "local", T("secret")});
  EXPECT_TRUE(Contains(text.err, "warning: " + warning)) << text;

  StrataRun exported = Strata({"--json", "export", "--target", "local", T("secret")});
  ASSERT_EQ(exported.code, 0) << exported;
  EXPECT_EQ(exported.Json()["warnings"], json::array({warning})) << exported;

  StrataRun plan = Strata({"--json", "plan", "--target", "local"});
  ASSERT_EQ(plan.code, 0) << plan;
  EXPECT_EQ(plan.Json()["warnings"], json::array({warning})) << plan;
  StrataRun plan_text = Strata({"plan", "--target", "local"});
  EXPECT_TRUE(Contains(plan_text.out, "warning: " + warning)) << plan_text;

  StrataRun drift = Strata({"--json", "drift", "--target", "local"});
  EXPECT_EQ(drift.Json()["warnings"], json::array({warning})) << drift;
  StrataRun drift_text = Strata({"drift", "--target", "local"});
  EXPECT_TRUE(Contains(drift_text.err, "warning: " + warning)) << drift_text;
}

// A table's recovery period and policy go through import, show, export and back.
TEST_F(CliImportTest, RecoveryAndPolicyRoundTripThroughImportShowAndExport) {
  CreateTable(T("kept"));
  Must("UpdateContinuousBackups",
       {{"TableName", T("kept")},
        {"PointInTimeRecoverySpecification",
         {{"PointInTimeRecoveryEnabled", true}, {"RecoveryPeriodInDays", 9}}}});
  const json described = Must("DescribeTable", {{"TableName", T("kept")}});
  Must("PutResourcePolicy",
       {{"ResourceArn", described["Table"]["TableArn"]},
        {"Policy", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
          "Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"dynamodb:GetItem",
          "Resource":"*"}]})"}});
  ASSERT_EQ(Strata({"import", "--target", "local", T("kept")}).code, 0);
  StrataRun show = Strata({"show", T("kept")});
  ASSERT_EQ(show.code, 0) << show;
  EXPECT_TRUE(Contains(show.out, R"("RecoveryPeriodInDays": 9)")) << show;
  EXPECT_TRUE(Contains(show.out, R"("ResourcePolicy": "{\"Statement\":[{\"Action\":[\"dynamodb:GetItem\"])"))
      << show;
  StrataRun blame = Strata({"blame", T("kept")});
  EXPECT_TRUE(Contains(blame.out, "point_in_time_recovery_days")) << blame;
  EXPECT_TRUE(Contains(blame.out, "resource_policy")) << blame;
  ASSERT_EQ(Strata({"export", "--target", "local", T("kept")}).code, 0);
  const std::string file = ReadFile("schema/dynamodb/" + T("kept") + ".yaml");
  EXPECT_TRUE(Contains(file, "point_in_time_recovery: {recovery_period_days: 9}")) << file;
  EXPECT_TRUE(Contains(file, "resource_policy: |")) << file;
  StrataRun generate = Strata({"--json", "generate"});
  ASSERT_EQ(generate.code, 0) << generate;
  EXPECT_EQ(generate.Json()["changes"], 0) << "the exported file loads back as recorded: "
                                           << generate;
  StrataRun plan = Strata({"--json", "plan", "--target", "local"});
  ASSERT_EQ(plan.code, 0) << plan;
  EXPECT_EQ(plan.Json()["tables"], json::array()) << "the log and the table agree: " << plan;
  StrataRun drift = Strata({"drift", "--target", "local"});
  EXPECT_EQ(drift.code, 0) << drift;
  // Someone shortens the period behind strata's back: drift says so.
  Must("UpdateContinuousBackups",
       {{"TableName", T("kept")},
        {"PointInTimeRecoverySpecification",
         {{"PointInTimeRecoveryEnabled", true}, {"RecoveryPeriodInDays", 2}}}});
  StrataRun drifted = Strata({"drift", "--target", "local"});
  EXPECT_EQ(drifted.code, 3) << drifted;
  EXPECT_TRUE(Contains(drifted.out, "point-in-time recovery (2 days)")) << drifted;
}

}  // namespace
}  // namespace strata::testing

// Encryption and warm throughput against moto, through the strata binary: what moto holds
// (the key a table is created with, warm throughput set and raised) deployed, read back by
// import, export and drift, and a warm throughput decrease refused before anything is sent.
// What moto ignores or accepts too kindly (an encryption change after creation, on-demand
// maxima, warm throughput UPDATING, the service's refusal of a decrease) is covered over the
// fake in tests/adapters/dynamodb/ (docs/testing.md).
#include <gtest/gtest.h>

#include "integration/dynamodb/cli_fixture.h"

namespace strata::testing {
namespace {

using json = nlohmann::json;

class CliSettingsTest : public DynamoCliTest {
 protected:
  CliSettingsTest() : DynamoCliTest(NoDelays()) {}
  json Describe(const std::string& table) {
    return Must("DescribeTable", {{"TableName", table}})["Table"];
  }
  std::string Ledger(const std::string& extra) {
    return "table: " + T("ledger") + "\npartition_key: { name: pk, type: S }\n" + extra;
  }
  // A table created with the AWS API, the way another tool would.
  void CreateEncrypted(const std::string& table, const json& sse) {
    Must("CreateTable",
         {{"TableName", table},
          {"AttributeDefinitions", {{{"AttributeName", "pk"}, {"AttributeType", "S"}}}},
          {"KeySchema", {{{"AttributeName", "pk"}, {"KeyType", "HASH"}}}},
          {"BillingMode", "PAY_PER_REQUEST"},
          {"SSESpecification", sse}});
  }
};

TEST_F(CliSettingsTest, KmsEncryptedTablesImportExportAndLoadBackTheSame) {
  CreateEncrypted(T("managed"), {{"Enabled", true}, {"SSEType", "KMS"}});
  CreateEncrypted(T("customer"),
                  {{"Enabled", true}, {"SSEType", "KMS"}, {"KMSMasterKeyId", "alias/ledger-key"}});
  ASSERT_EQ(Describe(T("customer"))["SSEDescription"]["SSEType"], "KMS");

  StrataRun imported = Strata({"import", "--target", "local", T("managed"), T("customer")});
  ASSERT_EQ(imported.code, 0) << imported;
  StrataRun show = Strata({"show", T("managed")});
  ASSERT_EQ(show.code, 0) << show;
  // moto creates the account's aws/dynamodb key for the first such table; strata finds it
  // through KMS DescribeKey (signed, checked by moto) and tells it from a customer key.
  EXPECT_EQ(json::parse(show.out)["SSESpecification"],
            json::parse(R"({"Enabled": true, "SSEType": "KMS"})"))
      << show;
  StrataRun shown = Strata({"show", T("customer")});
  EXPECT_EQ(json::parse(shown.out)["SSESpecification"]["KMSMasterKeyId"], "alias/ledger-key")
      << shown;

  StrataRun e = Strata({"export", "--target", "local", T("managed"), T("customer")});
  ASSERT_EQ(e.code, 0) << e;
  EXPECT_TRUE(Contains(ReadFile("schema/dynamodb/" + T("managed") + ".yaml"),
                       "encryption: aws_managed"))
      << ReadFile("schema/dynamodb/" + T("managed") + ".yaml");
  EXPECT_TRUE(Contains(ReadFile("schema/dynamodb/" + T("customer") + ".yaml"),
                       "encryption: {kms_key: alias/ledger-key}"))
      << ReadFile("schema/dynamodb/" + T("customer") + ".yaml");
  StrataRun g = Strata({"--json", "generate"});
  ASSERT_EQ(g.code, 0) << g;
  EXPECT_EQ(g.Json()["changes"], 0) << "the exported files load back to the imported tables";
  EXPECT_EQ(Strata({"drift", "--target", "local"}).code, 0);
  StrataRun json_export =
      Strata({"export", "--target", "local", "--format", "json", "--dir", "out", T("customer")});
  ASSERT_EQ(json_export.code, 0) << json_export;
  const json file = json::parse(ReadFile("out/" + T("customer") + ".json"));
  EXPECT_EQ(file["SSESpecification"],
            json::parse(R"({"Enabled": true, "SSEType": "KMS", "KMSMasterKeyId": "alias/ledger-key"})"));
}

TEST_F(CliSettingsTest, ATableFileWithAKmsKeyCreatesTheTableWithIt) {
  WriteFile("schema/dynamodb/ledger.json", R"({
  "TableName": ")" + T("ledger") + R"(",
  "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
  "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
  "BillingMode": "PAY_PER_REQUEST",
  "SSESpecification": {"Enabled": true, "SSEType": "KMS", "KMSMasterKeyId": "alias/orders-key"},
  "WarmThroughput": {"ReadUnitsPerSecond": 13000, "WriteUnitsPerSecond": 4500}
})");
  StrataRun push = Strata({"push", "--target", "local"});
  ASSERT_EQ(push.code, 0) << push;
  json t = Describe(T("ledger"));
  EXPECT_EQ(t["SSEDescription"]["KMSMasterKeyArn"], "alias/orders-key");
  EXPECT_EQ(t["WarmThroughput"]["ReadUnitsPerSecond"], 13000);
  EXPECT_EQ(t["WarmThroughput"]["WriteUnitsPerSecond"], 4500);
  StrataRun plan = Strata({"plan", "--target", "local", "--detailed-exitcode"});
  EXPECT_EQ(plan.code, 0) << plan;
  EXPECT_EQ(Strata({"drift", "--target", "local"}).code, 0);
}

TEST_F(CliSettingsTest, WarmThroughputIsRaisedAndNeverLowered) {
  WriteFile("schema/dynamodb/ledger.yaml",
            Ledger("warm_throughput: { read: 13000, write: 4500 }\n"
                   "global_indexes:\n"
                   "  - name: by_kind\n"
                   "    partition_key: { name: kind, type: S }\n"));
  ASSERT_EQ(Strata({"push", "--target", "local"}).code, 0);

  WriteFile("schema/dynamodb/ledger.yaml",
            Ledger("warm_throughput: { read: 16000, write: 6000 }\n"
                   "global_indexes:\n"
                   "  - name: by_kind\n"
                   "    partition_key: { name: kind, type: S }\n"
                   "    warm_throughput: { read: 14000, write: 5000 }\n"));
  ASSERT_EQ(Strata({"generate"}).code, 0);
  StrataRun plan = Strata({"plan", "--target", "local"});
  EXPECT_TRUE(Contains(plan.out, "raise warm throughput to 16000 read, 6000 write units per second"))
      << plan;
  EXPECT_TRUE(Contains(plan.out, "raise warm throughput of global index by_kind to 14000 read, "
                                 "5000 write units per second"))
      << plan;
  StrataRun apply = Strata({"apply", "--target", "local", "--auto-approve"});
  ASSERT_EQ(apply.code, 0) << apply;
  json t = Describe(T("ledger"));
  EXPECT_EQ(t["WarmThroughput"]["ReadUnitsPerSecond"], 16000);
  EXPECT_EQ(t["WarmThroughput"]["WriteUnitsPerSecond"], 6000) << "both values are always sent";
  EXPECT_EQ(t["GlobalSecondaryIndexes"][0]["WarmThroughput"]["WriteUnitsPerSecond"], 5000);
  EXPECT_EQ(Strata({"drift", "--target", "local"}).code, 0);

  // moto would accept a decrease; strata refuses it before sending anything.
  WriteFile("schema/dynamodb/ledger.yaml",
            Ledger("warm_throughput: { read: 16000, write: 5000 }\n"
                   "global_indexes:\n"
                   "  - name: by_kind\n"
                   "    partition_key: { name: kind, type: S }\n"
                   "    warm_throughput: { read: 14000, write: 5000 }\n"));
  ASSERT_EQ(Strata({"generate"}).code, 0);
  StrataRun refused = Strata({"apply", "--target", "local", "--auto-approve"});
  EXPECT_EQ(refused.code, 1) << refused;
  EXPECT_TRUE(Contains(refused.err, "DynamoDB never lowers it")) << refused;
  EXPECT_TRUE(Contains(refused.err, "set warm_throughput to at least { read: 16000, write: 6000 }"))
      << refused;
  EXPECT_EQ(Describe(T("ledger"))["WarmThroughput"]["WriteUnitsPerSecond"], 6000);

  // Following the advice works: leave it out (or ask for at least what the table has).
  WriteFile("schema/dynamodb/ledger.yaml",
            Ledger("global_indexes:\n"
                   "  - name: by_kind\n"
                   "    partition_key: { name: kind, type: S }\n"
                   "    warm_throughput: { read: 14000, write: 5000 }\n"));
  ASSERT_EQ(Strata({"generate"}).code, 0);
  StrataRun fixed = Strata({"apply", "--target", "local", "--auto-approve"});
  EXPECT_EQ(fixed.code, 0) << fixed;
  StrataRun after = Strata({"plan", "--target", "local", "--detailed-exitcode"});
  EXPECT_EQ(after.code, 0) << after;
}

}  // namespace
}  // namespace strata::testing

#include "adapters/dynamodb/live_fields.h"

#include <gtest/gtest.h>

#include <set>

namespace strata::dynamodb {
namespace {

using nlohmann::json;

// A DescribeTable answer with only what strata manages or reports as state.
json Plain() {
  return json::parse(R"({
    "TableName": "orders", "TableStatus": "ACTIVE", "TableArn": "arn:x", "TableId": "id",
    "CreationDateTime": 1.7e9, "ItemCount": 0, "TableSizeBytes": 0,
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
    "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
    "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0},
    "DeletionProtectionEnabled": false,
    "WarmThroughput": {"ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4000, "Status": "ACTIVE"},
    "GlobalSecondaryIndexes": [{"IndexName": "by_a", "IndexStatus": "ACTIVE",
      "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}],
      "Projection": {"ProjectionType": "ALL"},
      "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0},
      "WarmThroughput": {"ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4000, "Status": "ACTIVE"}}],
    "LocalSecondaryIndexes": []
  })");
}

TEST(UnmanagedFields, NothingForATableWithOnlyManagedSettingsAndDefaults) {
  EXPECT_EQ(UnmanagedFields(Plain()), std::vector<std::string>{});
}

TEST(UnmanagedFields, NamesEverySettingStrataDoesNotManage) {
  json t = Plain();
  t["SSEDescription"] = {{"Status", "ENABLED"}, {"SSEType", "KMS"}, {"KMSMasterKeyArn", "arn:k"}};
  t["OnDemandThroughput"] = {{"MaxReadRequestUnits", 100}};
  t["WarmThroughput"] = {{"ReadUnitsPerSecond", 20000}, {"WriteUnitsPerSecond", 4000}};
  t["GlobalSecondaryIndexes"][0]["OnDemandThroughput"] = {{"MaxReadRequestUnits", 5}};
  t["GlobalSecondaryIndexes"][0]["ContributorInsightsSomething"] = true;
  t["Replicas"] = json::array({{{"RegionName", "eu-west-1"}}});
  t["GlobalTableVersion"] = "2019.11.21";
  t["MultiRegionConsistency"] = "EVENTUAL";
  t["SomeFutureSetting"] = true;
  // Encryption, on-demand maxima, warm throughput and replicas are managed: not named.
  EXPECT_EQ(UnmanagedFields(t),
            (std::vector<std::string>{"MultiRegionConsistency", "SomeFutureSetting",
                                      "global index by_a: ContributorInsightsSomething"}));
}

TEST(UnmanagedFields, EveryFieldIsListedOnce) {
  for (const auto* list : {&kTableFields, &kGlobalIndexFields, &kLocalIndexFields}) {
    std::set<std::string_view> seen;
    for (const auto& f : *list) EXPECT_TRUE(seen.insert(f.name).second) << f.name;
  }
}

}  // namespace
}  // namespace strata::dynamodb

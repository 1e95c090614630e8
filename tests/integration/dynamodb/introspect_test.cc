// adapters/dynamodb/introspect against moto, through the fault proxy without delays (it gives
// moto's answers the service's shapes; see tests/support/fault_proxy.py): every setting strata
// models read back from tables made with direct API calls (tags included), and ListTables
// paginated past 100 tables while other tests create and delete theirs.
//
// moto keeps no table class (it accepts one and forgets it), and a target that cannot tag at
// all is played by the fault proxy (tests/integration/dynamodb/cli_import_test.cc); the table
// class is covered by tests/adapters/dynamodb with the fake.
#include "adapters/dynamodb/introspect.h"
#include "adapters/dynamodb/live_settings.h"

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "integration/dynamodb/moto_dynamodb.h"
#include "tests/adapters/dynamodb/test_tables.h"

namespace strata::dynamodb {
namespace {

using google::protobuf::util::MessageDifferencer;
using nlohmann::json;
using strata::testing::DynamoDbProxy;
using strata::testing::MustCall;
using strata::testing::TestDynamoDb;
using strata::testing::UniqueTable;
using strata::dynamodb::testing::ParseTable;

TEST(DynamoDbIntrospect, ReadsEverySettingOfAProvisionedTable) {
  DynamoDbProxy proxy({.delay_seconds = 0});
  TestDynamoDb ddb(proxy.url());
  const std::string name = UniqueTable("orders");
  json create = json::parse(R"({
    "AttributeDefinitions": [
      {"AttributeName": "customer", "AttributeType": "S"},
      {"AttributeName": "order", "AttributeType": "N"},
      {"AttributeName": "status", "AttributeType": "S"},
      {"AttributeName": "created", "AttributeType": "B"}],
    "KeySchema": [{"AttributeName": "customer", "KeyType": "HASH"},
                  {"AttributeName": "order", "KeyType": "RANGE"}],
    "BillingMode": "PROVISIONED",
    "ProvisionedThroughput": {"ReadCapacityUnits": 7, "WriteCapacityUnits": 3},
    "GlobalSecondaryIndexes": [
      {"IndexName": "by_status",
       "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"},
                     {"AttributeName": "created", "KeyType": "RANGE"}],
       "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["total", "currency"]},
       "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 1}},
      {"IndexName": "by_created",
       "KeySchema": [{"AttributeName": "created", "KeyType": "HASH"}],
       "Projection": {"ProjectionType": "KEYS_ONLY"},
       "ProvisionedThroughput": {"ReadCapacityUnits": 4, "WriteCapacityUnits": 5}}],
    "LocalSecondaryIndexes": [
      {"IndexName": "by_time",
       "KeySchema": [{"AttributeName": "customer", "KeyType": "HASH"},
                     {"AttributeName": "created", "KeyType": "RANGE"}],
       "Projection": {"ProjectionType": "ALL"}}],
    "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    "Tags": [{"Key": "team", "Value": "core"}, {"Key": "cost-centre", "Value": "42"}],
    "DeletionProtectionEnabled": true})");
  create["TableName"] = name;
  MustCall(ddb, "CreateTable", create);
  MustCall(ddb, "UpdateTimeToLive",
           {{"TableName", name},
            {"TimeToLiveSpecification", {{"AttributeName", "expires_at"}, {"Enabled", true}}}});

  auto live = DescribeLiveTable(ddb, name);
  ASSERT_TRUE(live.ok()) << live.status().ToString();
  ASSERT_TRUE(live->has_value());
  const LiveTable& t = **live;
  pb::DynamoTable want = ParseTable(R"pb(
    key { partition_key: "customer" sort_key: "order" }
    attributes { name: "created" type: DYNAMO_ATTRIBUTE_TYPE_B }
    attributes { name: "customer" type: DYNAMO_ATTRIBUTE_TYPE_S }
    attributes { name: "order" type: DYNAMO_ATTRIBUTE_TYPE_N }
    attributes { name: "status" type: DYNAMO_ATTRIBUTE_TYPE_S }
    billing_mode: DYNAMO_BILLING_MODE_PROVISIONED
    throughput { read_capacity_units: 7 write_capacity_units: 3 }
    global_indexes {
      name: "by_created"
      key { partition_key: "created" }
      projection { type: DYNAMO_PROJECTION_TYPE_KEYS_ONLY }
      throughput { read_capacity_units: 4 write_capacity_units: 5 }
    }
    global_indexes {
      name: "by_status"
      key { partition_key: "status" sort_key: "created" }
      projection { type: DYNAMO_PROJECTION_TYPE_INCLUDE non_key_attributes: ["currency", "total"] }
      throughput { read_capacity_units: 2 write_capacity_units: 1 }
    }
    local_indexes {
      name: "by_time"
      sort_key: "created"
      projection { type: DYNAMO_PROJECTION_TYPE_ALL }
    }
    ttl_attribute: "expires_at"
    stream: DYNAMO_STREAM_NEW_AND_OLD_IMAGES
    table_class: DYNAMO_TABLE_CLASS_STANDARD
    deletion_protection: true
    tags { key: "cost-centre" value: "42" }
    tags { key: "team" value: "core" }
  )pb");
  want.set_name(name);
  // Like the service, moto reports a warm throughput for every table and index, starting a
  // provisioned one at its capacity; where the schema has none, planning leaves it alone.
  EXPECT_EQ(t.table.warm_throughput().read_units_per_second(),
            t.table.throughput().read_capacity_units());
  EXPECT_EQ(t.table.warm_throughput().write_units_per_second(),
            t.table.throughput().write_capacity_units());
  pb::DynamoTable seen = t.table;
  NormalizeLiveTable(&want, UnwantedWarm::kIgnore, nullptr, &seen);
  EXPECT_TRUE(MessageDifferencer::Equals(seen, want)) << t.table.DebugString();
  EXPECT_EQ(t.status, "ACTIVE");
  EXPECT_TRUE(t.Ready());
  EXPECT_EQ(t.index_status.size(), 2u);
  EXPECT_TRUE(t.tags_supported);
  EXPECT_NE(t.arn.find(":table/" + name), std::string::npos) << t.arn;

  MustCall(ddb, "UpdateTable", {{"TableName", name}, {"DeletionProtectionEnabled", false}});
  MustCall(ddb, "DeleteTable", {{"TableName", name}});
}

TEST(DynamoDbIntrospect, OnDemandTableWithoutStreamOrTimeToLive) {
  DynamoDbProxy proxy({.delay_seconds = 0});
  TestDynamoDb ddb(proxy.url());
  const std::string name = UniqueTable("events");
  MustCall(ddb, "CreateTable",
           {{"TableName", name},
            {"AttributeDefinitions", {{{"AttributeName", "id"}, {"AttributeType", "S"}},
                                      {{"AttributeName", "kind"}, {"AttributeType", "S"}}}},
            {"KeySchema", {{{"AttributeName", "id"}, {"KeyType", "HASH"}}}},
            {"GlobalSecondaryIndexes",
             {{{"IndexName", "by_kind"},
               {"KeySchema", {{{"AttributeName", "kind"}, {"KeyType", "HASH"}}}},
               {"Projection", {{"ProjectionType", "ALL"}}}}}},
            {"BillingMode", "PAY_PER_REQUEST"}});
  auto live = DescribeLiveTable(ddb, name);
  ASSERT_TRUE(live.ok()) << live.status().ToString();
  ASSERT_TRUE(live->has_value());
  const pb::DynamoTable& t = (*live)->table;
  EXPECT_EQ(t.billing_mode(), pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST);
  EXPECT_FALSE(t.has_throughput());
  ASSERT_EQ(t.global_indexes_size(), 1);
  EXPECT_FALSE(t.global_indexes(0).has_throughput());
  EXPECT_EQ(t.stream(), pb::DYNAMO_STREAM_DISABLED);
  EXPECT_EQ(t.ttl_attribute(), "");
  EXPECT_FALSE(t.deletion_protection());
  MustCall(ddb, "DeleteTable", {{"TableName", name}});

  auto gone = DescribeLiveTable(ddb, name);
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
}

TEST(DynamoDbIntrospect, ListsMoreThanOnePageOfTablesSorted) {
  DynamoDbProxy proxy({.delay_seconds = 0});
  TestDynamoDb ddb(proxy.url());
  constexpr int kTables = 105;
  const std::string prefix = UniqueTable("page");
  std::vector<std::string> names;
  for (int i = 0; i < kTables; ++i) {
    names.push_back(fmt::format("{}_{:03}", prefix, i));
    MustCall(ddb, "CreateTable",
             {{"TableName", names.back()},
              {"AttributeDefinitions", {{{"AttributeName", "pk"}, {"AttributeType", "S"}}}},
              {"KeySchema", {{{"AttributeName", "pk"}, {"KeyType", "HASH"}}}},
              {"BillingMode", "PAY_PER_REQUEST"}});
  }
  size_t progress_calls = 0;
  IntrospectOptions options;
  options.max_concurrency = 8;
  options.progress = [&](size_t, size_t) { ++progress_calls; };
  auto tables = ListLiveTables(ddb, options);
  ASSERT_TRUE(tables.ok()) << tables.status().ToString();
  std::vector<std::string> seen, all;
  for (const auto& t : *tables) {
    all.push_back(t.table.name());
    if (t.table.name().rfind(prefix, 0) == 0) seen.push_back(t.table.name());
  }
  EXPECT_EQ(seen, names) << "all " << kTables << " tables, across ListTables pages of 100";
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
  EXPECT_EQ(progress_calls, tables->size());

  options.only = std::vector<std::string>{names[3], names[100], prefix + "_missing"};
  auto some = ListLiveTables(ddb, options);
  ASSERT_TRUE(some.ok()) << some.status().ToString();
  ASSERT_EQ(some->size(), 2u);
  EXPECT_EQ((*some)[0].table.name(), names[3]);
  EXPECT_EQ((*some)[1].table.name(), names[100]);

  for (const auto& n : names) MustCall(ddb, "DeleteTable", {{"TableName", n}});
}

}  // namespace
}  // namespace strata::dynamodb

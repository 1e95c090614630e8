#include "adapters/dynamodb/introspect.h"

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <atomic>

#include "tests/adapters/dynamodb/fake_dynamodb.h"
#include "tests/adapters/dynamodb/test_tables.h"

namespace strata::dynamodb {
namespace {

using google::protobuf::util::MessageDifferencer;
using nlohmann::json;
using strata::testing::FakeDynamoDb;
using strata::dynamodb::testing::ParseTable;

// A DescribeTable answer shaped like the real service's, with every setting strata models.
json OrdersDescription() {
  return json::parse(R"({
    "TableName": "orders", "TableStatus": "ACTIVE", "ItemCount": 12, "TableSizeBytes": 3400,
    "TableArn": "arn:aws:dynamodb:eu-west-1:123456789012:table/orders",
    "AttributeDefinitions": [
      {"AttributeName": "status", "AttributeType": "S"},
      {"AttributeName": "customer", "AttributeType": "S"},
      {"AttributeName": "created", "AttributeType": "N"},
      {"AttributeName": "order", "AttributeType": "B"}],
    "KeySchema": [{"AttributeName": "customer", "KeyType": "HASH"},
                  {"AttributeName": "order", "KeyType": "RANGE"}],
    "ProvisionedThroughput": {"ReadCapacityUnits": 10, "WriteCapacityUnits": 5,
                              "NumberOfDecreasesToday": 0},
    "GlobalSecondaryIndexes": [
      {"IndexName": "by_status", "IndexStatus": "ACTIVE",
       "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"},
                     {"AttributeName": "created", "KeyType": "RANGE"}],
       "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["total", "currency"]},
       "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 1}},
      {"IndexName": "by_created", "IndexStatus": "CREATING", "Backfilling": true,
       "KeySchema": [{"AttributeName": "created", "KeyType": "HASH"}],
       "Projection": {"ProjectionType": "KEYS_ONLY"},
       "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}},
      {"IndexName": "old", "IndexStatus": "DELETING",
       "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}],
       "Projection": {"ProjectionType": "ALL"},
       "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}],
    "LocalSecondaryIndexes": [
      {"IndexName": "by_time",
       "KeySchema": [{"AttributeName": "customer", "KeyType": "HASH"},
                     {"AttributeName": "created", "KeyType": "RANGE"}],
       "Projection": {"ProjectionType": "ALL"}}],
    "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    "TableClassSummary": {"TableClass": "STANDARD_INFREQUENT_ACCESS"},
    "DeletionProtectionEnabled": true})");
}

TEST(LiveTableFromDescription, ReadsEverySettingCanonically) {
  auto live = LiveTableFromDescription(
      OrdersDescription(), {{"TimeToLiveStatus", "ENABLED"}, {"AttributeName", "expires"}},
      {{"team", "payments"}, {"env", "prod"}});
  ASSERT_TRUE(live.ok()) << live.status().ToString();
  pb::DynamoTable want = ParseTable(R"pb(
    name: "orders"
    key { partition_key: "customer" sort_key: "order" }
    attributes { name: "created" type: DYNAMO_ATTRIBUTE_TYPE_N }
    attributes { name: "customer" type: DYNAMO_ATTRIBUTE_TYPE_S }
    attributes { name: "order" type: DYNAMO_ATTRIBUTE_TYPE_B }
    attributes { name: "status" type: DYNAMO_ATTRIBUTE_TYPE_S }
    billing_mode: DYNAMO_BILLING_MODE_PROVISIONED
    throughput { read_capacity_units: 10 write_capacity_units: 5 }
    global_indexes {
      name: "by_created"
      key { partition_key: "created" }
      projection { type: DYNAMO_PROJECTION_TYPE_KEYS_ONLY }
      throughput { read_capacity_units: 1 write_capacity_units: 1 }
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
    ttl_attribute: "expires"
    stream: DYNAMO_STREAM_NEW_AND_OLD_IMAGES
    table_class: DYNAMO_TABLE_CLASS_STANDARD_INFREQUENT_ACCESS
    deletion_protection: true
    tags { key: "env" value: "prod" }
    tags { key: "team" value: "payments" }
  )pb");
  EXPECT_TRUE(MessageDifferencer::Equals(live->table, want)) << live->table.DebugString();
  EXPECT_EQ(live->status, "ACTIVE");
  EXPECT_EQ(live->item_count, 12);
  EXPECT_EQ(live->size_bytes, 3400);
  EXPECT_EQ(live->arn, "arn:aws:dynamodb:eu-west-1:123456789012:table/orders");
  const std::map<std::string, std::string> statuses = {
      {"by_created", "CREATING (backfilling)"}, {"by_status", "ACTIVE"}, {"old", "DELETING"}};
  EXPECT_EQ(live->index_status, statuses);
  EXPECT_FALSE(live->Ready());
}

TEST(LiveTableFromDescription, OnDemandTablesCarryNoThroughput) {
  json d = OrdersDescription();
  d["BillingModeSummary"] = {{"BillingMode", "PAY_PER_REQUEST"}};
  auto live = LiveTableFromDescription(d, json::object(), {});
  ASSERT_TRUE(live.ok()) << live.status().ToString();
  EXPECT_EQ(live->table.billing_mode(), pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST);
  EXPECT_FALSE(live->table.has_throughput());
  for (const auto& g : live->table.global_indexes()) EXPECT_FALSE(g.has_throughput()) << g.name();
  EXPECT_EQ(live->table.ttl_attribute(), "");
}

TEST(LiveTableFromDescription, MissingSummariesMeanTheDefaults) {
  json d = OrdersDescription();
  d.erase("TableClassSummary");
  d.erase("StreamSpecification");
  d.erase("DeletionProtectionEnabled");
  auto live = LiveTableFromDescription(d, {{"TimeToLiveStatus", "DISABLING"}, {"AttributeName", "x"}},
                                       {});
  ASSERT_TRUE(live.ok());
  EXPECT_EQ(live->table.billing_mode(), pb::DYNAMO_BILLING_MODE_PROVISIONED);
  EXPECT_EQ(live->table.table_class(), pb::DYNAMO_TABLE_CLASS_STANDARD);
  EXPECT_EQ(live->table.stream(), pb::DYNAMO_STREAM_DISABLED);
  EXPECT_FALSE(live->table.deletion_protection());
  EXPECT_EQ(live->table.ttl_attribute(), "") << "a TTL being disabled counts as off";
}

TEST(LiveTableFromDescription, EnablingTimeToLiveCountsAsOn) {
  auto live = LiveTableFromDescription(
      OrdersDescription(), {{"TimeToLiveStatus", "ENABLING"}, {"AttributeName", "exp"}}, {});
  ASSERT_TRUE(live.ok());
  EXPECT_EQ(live->table.ttl_attribute(), "exp");
}

TEST(LiveTableFromDescription, ReadsEncryptionOnDemandAndWarmThroughput) {
  json d = json::parse(R"({
    "TableName": "ledger", "TableStatus": "ACTIVE",
    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"},
                             {"AttributeName": "kind", "AttributeType": "S"}],
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
    "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0},
    "SSEDescription": {"Status": "UPDATING", "SSEType": "KMS",
                       "KMSMasterKeyArn": "arn:aws:kms:eu-west-1:1:key/k-1"},
    "OnDemandThroughput": {"MaxReadRequestUnits": 500, "MaxWriteRequestUnits": -1},
    "WarmThroughput": {"ReadUnitsPerSecond": 15000, "WriteUnitsPerSecond": 5000,
                       "Status": "UPDATING"},
    "GlobalSecondaryIndexes": [{
      "IndexName": "by_kind", "IndexStatus": "ACTIVE",
      "KeySchema": [{"AttributeName": "kind", "KeyType": "HASH"}],
      "Projection": {"ProjectionType": "ALL"},
      "OnDemandThroughput": {"MaxReadRequestUnits": -1, "MaxWriteRequestUnits": -1},
      "WarmThroughput": {"ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4000,
                         "Status": "ACTIVE"}}]
  })");
  auto live = LiveTableFromDescription(d, json::object(), {});
  ASSERT_TRUE(live.ok()) << live.status().ToString();
  const pb::DynamoTable& t = live->table;
  EXPECT_EQ(t.encryption().key(), pb::DYNAMO_ENCRYPTION_KEY_CUSTOMER_MANAGED);
  EXPECT_EQ(t.encryption().kms_key(), "arn:aws:kms:eu-west-1:1:key/k-1");
  EXPECT_EQ(t.on_demand_throughput().max_read_request_units(), 500);
  EXPECT_EQ(t.on_demand_throughput().max_write_request_units(), 0) << "-1 is no maximum";
  EXPECT_FALSE(t.global_indexes(0).has_on_demand_throughput());
  EXPECT_EQ(t.warm_throughput().read_units_per_second(), 15000);
  EXPECT_EQ(t.global_indexes(0).warm_throughput().write_units_per_second(), 4000);
  EXPECT_EQ(live->busy_settings,
            (std::vector<std::string>{"warm throughput UPDATING", "encryption UPDATING"}));
  EXPECT_FALSE(live->Ready()) << "the table reads ACTIVE but a setting is still being applied";

  d.erase("SSEDescription");
  d["WarmThroughput"]["Status"] = "ACTIVE";
  d["BillingModeSummary"]["BillingMode"] = "PROVISIONED";
  live = LiveTableFromDescription(d, json::object(), {});
  ASSERT_TRUE(live.ok());
  EXPECT_FALSE(live->table.has_encryption()) << "no SSEDescription: the AWS-owned key";
  EXPECT_FALSE(live->table.has_on_demand_throughput()) << "maxima apply to on-demand tables only";
  EXPECT_TRUE(live->Ready());
}

TEST(LiveTableFromDescription, UnknownValuesAreErrorsNamingTableAndField) {
  json d = OrdersDescription();
  d["AttributeDefinitions"][0]["AttributeType"] = "SS";
  auto live = LiveTableFromDescription(d, json::object(), {});
  ASSERT_FALSE(live.ok());
  EXPECT_EQ(live.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(live.status().message(),
            "dynamodb table orders: DescribeTable answered AttributeDefinitions.AttributeType = "
            "\"SS\", which strata cannot model");

  d = OrdersDescription();
  d["BillingModeSummary"] = {{"BillingMode", "SOMETHING_NEW"}};
  live = LiveTableFromDescription(d, json::object(), {});
  ASSERT_FALSE(live.ok());
  EXPECT_NE(live.status().message().find("BillingModeSummary.BillingMode"), std::string::npos);
}

json SimpleTable(const std::string& name) {
  return {{"TableName", name},
          {"AttributeDefinitions", {{{"AttributeName", "pk"}, {"AttributeType", "S"}}}},
          {"KeySchema", {{{"AttributeName", "pk"}, {"KeyType", "HASH"}}}},
          {"BillingMode", "PAY_PER_REQUEST"},
          {"Tags", {{{"Key", "owner"}, {"Value", name}}}}};
}

TEST(ListLiveTables, ReadsAllPagesSortedWithTagsAndProgress) {
  FakeDynamoDb ddb;
  ddb.list_page_size = 3;
  for (int i = 9; i >= 0; --i) ddb.Seed(SimpleTable("table_" + std::to_string(i)));
  std::atomic<size_t> calls{0};
  size_t last_done = 0, last_total = 0;
  IntrospectOptions options;
  options.max_concurrency = 4;
  options.progress = [&](size_t done, size_t total) {
    ++calls;
    last_done = done;
    last_total = total;
  };
  auto tables = ListLiveTables(ddb, options);
  ASSERT_TRUE(tables.ok()) << tables.status().ToString();
  ASSERT_EQ(tables->size(), 10u);
  for (int i = 0; i < 10; ++i) {
    const LiveTable& t = (*tables)[i];
    EXPECT_EQ(t.table.name(), "table_" + std::to_string(i));
    EXPECT_EQ(t.table.tags().at("owner"), t.table.name());
    EXPECT_TRUE(t.tags_supported);
    EXPECT_TRUE(t.Ready());
  }
  EXPECT_EQ(ddb.count("ListTables"), 4u) << "10 tables in pages of 3";
  EXPECT_EQ(calls, 10u);
  EXPECT_EQ(last_done, 10u);
  EXPECT_EQ(last_total, 10u);
}

TEST(ListLiveTables, OnlyReadsTheNamedTablesAndLeavesMissingOnesOut) {
  FakeDynamoDb ddb;
  ddb.Seed(SimpleTable("alpha"));
  ddb.Seed(SimpleTable("beta"));
  IntrospectOptions options;
  options.only = std::vector<std::string>{"beta", "missing"};
  auto tables = ListLiveTables(ddb, options);
  ASSERT_TRUE(tables.ok()) << tables.status().ToString();
  ASSERT_EQ(tables->size(), 1u);
  EXPECT_EQ((*tables)[0].table.name(), "beta");
  EXPECT_EQ(ddb.count("ListTables"), 0u);
}

TEST(ListLiveTables, TargetsWithoutTaggingReportItInsteadOfFailing) {
  FakeDynamoDb ddb;
  ddb.tagging = false;
  ddb.Seed(SimpleTable("local"));
  auto tables = ListLiveTables(ddb, {});
  ASSERT_TRUE(tables.ok()) << tables.status().ToString();
  ASSERT_EQ(tables->size(), 1u);
  EXPECT_FALSE((*tables)[0].tags_supported);
  EXPECT_TRUE((*tables)[0].table.tags().empty());
}

TEST(ListLiveTables, AFailureNamesTheTable) {
  FakeDynamoDb ddb;
  ddb.Seed(SimpleTable("orders"));
  ddb.FailNext("DescribeTimeToLive", "AccessDeniedException", "not allowed");
  auto tables = ListLiveTables(ddb, {});
  ASSERT_FALSE(tables.ok());
  EXPECT_EQ(tables.status().message(),
            "DescribeTimeToLive for table orders: dynamodb DescribeTimeToLive: "
            "AccessDeniedException: not allowed");
}

TEST(DescribeLiveTable, MissingTableIsNullopt) {
  FakeDynamoDb ddb;
  auto t = DescribeLiveTable(ddb, "nothing");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_FALSE(t->has_value());
}

TEST(SchemaOf, KeysTablesByName) {
  LiveTable a, b;
  a.table.set_name("a");
  b.table.set_name("b");
  pb::DynamoSchema s = SchemaOf({a, b});
  ASSERT_EQ(s.tables_size(), 2);
  EXPECT_EQ(s.tables().at("b").name(), "b");
}

}  // namespace
}  // namespace strata::dynamodb

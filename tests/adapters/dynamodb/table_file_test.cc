#include "adapters/dynamodb/table_file.h"

#include <gtest/gtest.h>

#include <random>
#include <regex>
#include <string>
#include <utility>

#include "adapters/dynamodb/render.h"
#include "tests/adapters/dynamodb/random_table.h"
#include "tests/adapters/dynamodb/table_file_testing.h"

namespace strata::dynamodb {
namespace {

using testing::ErrorOf;
using testing::ExpectSame;
using testing::Parsed;
using testing::Proto;

constexpr char kOrdersYaml[] = R"(table: orders
partition_key: { name: customer_id, type: S }
sort_key: { name: order_id, type: S }
billing: provisioned
capacity: { read: 10, write: 5 }
global_indexes:
  - name: by_status
    partition_key: { name: status, type: S }
    sort_key: { name: created_at, type: N }
    projection: { include: [total, currency] }
    capacity: { read: 2, write: 1 }
local_indexes:
  - name: by_created
    sort_key: { name: created_at, type: N }
    projection: keys_only
ttl: expires_at
stream: new_and_old_images
table_class: standard_infrequent_access
deletion_protection: true
tags: { team: payments, cost-center: "42" }
)";

constexpr char kOrdersProto[] = R"pb(
  name: "orders"
  key { partition_key: "customer_id" sort_key: "order_id" }
  attributes { name: "created_at" type: DYNAMO_ATTRIBUTE_TYPE_N }
  attributes { name: "customer_id" type: DYNAMO_ATTRIBUTE_TYPE_S }
  attributes { name: "order_id" type: DYNAMO_ATTRIBUTE_TYPE_S }
  attributes { name: "status" type: DYNAMO_ATTRIBUTE_TYPE_S }
  billing_mode: DYNAMO_BILLING_MODE_PROVISIONED
  throughput { read_capacity_units: 10 write_capacity_units: 5 }
  global_indexes {
    name: "by_status"
    key { partition_key: "status" sort_key: "created_at" }
    projection { type: DYNAMO_PROJECTION_TYPE_INCLUDE non_key_attributes: ["currency", "total"] }
    throughput { read_capacity_units: 2 write_capacity_units: 1 }
  }
  local_indexes {
    name: "by_created"
    sort_key: "created_at"
    projection { type: DYNAMO_PROJECTION_TYPE_KEYS_ONLY }
  }
  ttl_attribute: "expires_at"
  stream: DYNAMO_STREAM_NEW_AND_OLD_IMAGES
  table_class: DYNAMO_TABLE_CLASS_STANDARD_INFREQUENT_ACCESS
  deletion_protection: true
  tags { key: "team" value: "payments" }
  tags { key: "cost-center" value: "42" }
)pb";

// The same table as CreateTable input, with AttributeDefinitions out of order.
constexpr char kOrdersJson[] = R"({
  "TableName": "orders",
  "AttributeDefinitions": [
    {"AttributeName": "status", "AttributeType": "S"},
    {"AttributeName": "customer_id", "AttributeType": "S"},
    {"AttributeName": "order_id", "AttributeType": "S"},
    {"AttributeName": "created_at", "AttributeType": "N"}
  ],
  "KeySchema": [
    {"AttributeName": "customer_id", "KeyType": "HASH"},
    {"AttributeName": "order_id", "KeyType": "RANGE"}
  ],
  "BillingMode": "PROVISIONED",
  "ProvisionedThroughput": {"ReadCapacityUnits": 10, "WriteCapacityUnits": 5},
  "GlobalSecondaryIndexes": [{
    "IndexName": "by_status",
    "KeySchema": [
      {"AttributeName": "status", "KeyType": "HASH"},
      {"AttributeName": "created_at", "KeyType": "RANGE"}
    ],
    "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["total", "currency"]},
    "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 1}
  }],
  "LocalSecondaryIndexes": [{
    "IndexName": "by_created",
    "KeySchema": [
      {"AttributeName": "customer_id", "KeyType": "HASH"},
      {"AttributeName": "created_at", "KeyType": "RANGE"}
    ],
    "Projection": {"ProjectionType": "KEYS_ONLY"}
  }],
  "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"},
  "TableClass": "STANDARD_INFREQUENT_ACCESS",
  "DeletionProtectionEnabled": true,
  "Tags": [{"Key": "team", "Value": "payments"}, {"Key": "cost-center", "Value": "42"}],
  "TimeToLiveSpecification": {"AttributeName": "expires_at", "Enabled": true}
}
)";

TEST(TableFileTest, YamlWithEveryKey) {
  ExpectSame(Proto(kOrdersProto), Parsed(kOrdersYaml, "orders.yaml"));
}

TEST(TableFileTest, CreateTableJsonWithEveryField) {
  ExpectSame(Proto(kOrdersProto), Parsed(kOrdersJson, "orders.json"));
}

TEST(TableFileTest, MinimalYamlTakesTheDefaults) {
  ExpectSame(Proto(R"pb(
               name: "carts"
               key { partition_key: "id" }
               attributes { name: "id" type: DYNAMO_ATTRIBUTE_TYPE_B }
               billing_mode: DYNAMO_BILLING_MODE_PAY_PER_REQUEST
               stream: DYNAMO_STREAM_DISABLED
               table_class: DYNAMO_TABLE_CLASS_STANDARD
             )pb"),
             Parsed("table: carts\npartition_key: { name: id, type: B }\n", "carts.yml"));
}

TEST(TableFileTest, MinimalJsonTakesTheDefaults) {
  ExpectSame(Proto(R"pb(
               name: "carts"
               key { partition_key: "id" }
               attributes { name: "id" type: DYNAMO_ATTRIBUTE_TYPE_S }
               billing_mode: DYNAMO_BILLING_MODE_PAY_PER_REQUEST
               stream: DYNAMO_STREAM_DISABLED
               table_class: DYNAMO_TABLE_CLASS_STANDARD
             )pb"),
             Parsed(R"({"TableName": "carts",
                        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]})",
                    "carts.JSON"));
}

TEST(TableFileTest, CapacityAloneMeansProvisioned) {
  pb::DynamoTable yaml =
      Parsed("table: carts\npartition_key: {name: id, type: S}\ncapacity: {read: 1, write: 2}\n",
             "carts.yaml");
  EXPECT_EQ(yaml.billing_mode(), pb::DYNAMO_BILLING_MODE_PROVISIONED);
  EXPECT_EQ(yaml.throughput().write_capacity_units(), 2);
  pb::DynamoTable json = Parsed(R"({"TableName": "carts",
      "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
      "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
      "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 2}})",
                                "carts.json");
  EXPECT_EQ(json.billing_mode(), pb::DYNAMO_BILLING_MODE_PROVISIONED);
}

TEST(TableFileTest, YamlWordsIgnoreCaseAndProjectionDefaultsToAll) {
  pb::DynamoTable t = Parsed(R"(table: events
partition_key: { name: id, type: s }
billing: PAY_PER_REQUEST
stream: Keys_Only
global_indexes:
  - name: by_kind
    partition_key: { name: kind, type: n }
)",
                             "events.yaml");
  EXPECT_EQ(t.stream(), pb::DYNAMO_STREAM_KEYS_ONLY);
  EXPECT_EQ(t.attributes(0).type(), pb::DYNAMO_ATTRIBUTE_TYPE_S);
  EXPECT_EQ(t.global_indexes(0).projection().type(), pb::DYNAMO_PROJECTION_TYPE_ALL);
}

TEST(TableFileTest, ZeroCapacityUnderOnDemandIsNoCapacity) {
  // DescribeTable reports 0/0 for on-demand tables; output pasted from it still loads.
  pb::DynamoTable t = Parsed(R"({"TableName": "carts", "BillingMode": "PAY_PER_REQUEST",
      "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
      "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
      "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0}})",
                             "carts.json");
  EXPECT_FALSE(t.has_throughput());
}

TEST(TableFileTest, SameAttributeInSeveralKeysIsDefinedOnce) {
  pb::DynamoTable t = Parsed(R"(table: orders
partition_key: { name: customer_id, type: S }
sort_key: { name: created_at, type: N }
global_indexes:
  - { name: by_day, partition_key: { name: created_at, type: N } }
)",
                             "orders.yaml");
  ASSERT_EQ(t.attributes_size(), 2);
  EXPECT_EQ(t.attributes(0).name(), "created_at");
}

TEST(TableFileTest, FormatComesFromTheExtension) {
  EXPECT_EQ(*TableFileFormatOf("a/orders.YML"), TableFileFormat::kYaml);
  EXPECT_EQ(*TableFileFormatOf("orders.json"), TableFileFormat::kJson);
  EXPECT_EQ(ErrorOf("", "orders.txt"),
            "orders.txt: not a table file; name it .yaml or .yml (friendly form) or .json "
            "(CreateTable input)");
}

// ---- Encryption, on-demand maxima and warm throughput -----------------------------------

constexpr char kSettingsProto[] = R"pb(
  name: "ledger"
  key { partition_key: "id" }
  attributes { name: "id" type: DYNAMO_ATTRIBUTE_TYPE_S }
  attributes { name: "kind" type: DYNAMO_ATTRIBUTE_TYPE_S }
  billing_mode: DYNAMO_BILLING_MODE_PAY_PER_REQUEST
  global_indexes {
    name: "by_kind"
    key { partition_key: "kind" }
    projection { type: DYNAMO_PROJECTION_TYPE_ALL }
    on_demand_throughput { max_read_request_units: 300 }
    warm_throughput { read_units_per_second: 13000 write_units_per_second: 4100 }
  }
  stream: DYNAMO_STREAM_DISABLED
  table_class: DYNAMO_TABLE_CLASS_STANDARD
  encryption { key: DYNAMO_ENCRYPTION_KEY_CUSTOMER_MANAGED kms_key: "alias/ledger" }
  on_demand_throughput { max_read_request_units: 1000 max_write_request_units: 200 }
  warm_throughput { read_units_per_second: 15000 write_units_per_second: 5000 }
)pb";

TEST(TableFileTest, SettingsInYaml) {
  ExpectSame(Proto(kSettingsProto), Parsed(R"(table: ledger
partition_key: { name: id, type: S }
on_demand_throughput: { max_read: 1000, max_write: 200 }
warm_throughput: { read: 15000, write: 5000 }
encryption: { kms_key: alias/ledger }
global_indexes:
  - name: by_kind
    partition_key: { name: kind, type: S }
    on_demand_throughput: { max_read: 300 }
    warm_throughput: { read: 13000, write: 4100 }
)",
                                           "ledger.yaml"));
}

// As the AWS CLI and DescribeTable write them: -1 for no maximum on a side.
TEST(TableFileTest, SettingsInCreateTableJson) {
  ExpectSame(Proto(kSettingsProto), Parsed(R"({
  "TableName": "ledger",
  "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"},
                           {"AttributeName": "kind", "AttributeType": "S"}],
  "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
  "BillingMode": "PAY_PER_REQUEST",
  "GlobalSecondaryIndexes": [{
    "IndexName": "by_kind",
    "KeySchema": [{"AttributeName": "kind", "KeyType": "HASH"}],
    "Projection": {"ProjectionType": "ALL"},
    "OnDemandThroughput": {"MaxReadRequestUnits": 300, "MaxWriteRequestUnits": -1},
    "WarmThroughput": {"ReadUnitsPerSecond": 13000, "WriteUnitsPerSecond": 4100}
  }],
  "SSESpecification": {"Enabled": true, "SSEType": "KMS", "KMSMasterKeyId": "alias/ledger"},
  "OnDemandThroughput": {"MaxReadRequestUnits": 1000, "MaxWriteRequestUnits": 200},
  "WarmThroughput": {"ReadUnitsPerSecond": 15000, "WriteUnitsPerSecond": 5000}
})",
                                           "ledger.json"));
}

TEST(TableFileTest, TheThreeKindsOfKeyInBothFormats) {
  const std::string head = "table: tbl\npartition_key: { name: id, type: S }\n";
  EXPECT_FALSE(Parsed(head + "encryption: aws_owned\n", "t.yaml").has_encryption());
  EXPECT_EQ(Parsed(head + "encryption: AWS_MANAGED\n", "t.yaml").encryption().key(),
            pb::DYNAMO_ENCRYPTION_KEY_AWS_MANAGED);
  const std::string json_head = R"({"TableName": "tbl",
      "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
      "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}], "SSESpecification": )";
  EXPECT_FALSE(Parsed(json_head + R"({"Enabled": false}})", "t.json").has_encryption());
  EXPECT_EQ(Parsed(json_head + R"({"Enabled": true}})", "t.json").encryption().key(),
            pb::DYNAMO_ENCRYPTION_KEY_AWS_MANAGED);
  EXPECT_EQ(Parsed(json_head + R"({"Enabled": true, "KMSMasterKeyId": "alias/aws/dynamodb"}})",
                   "t.json")
                .encryption()
                .key(),
            pb::DYNAMO_ENCRYPTION_KEY_AWS_MANAGED)
      << "naming the AWS-managed key's alias is the AWS-managed key";
  pb::DynamoTable arn = Parsed(
      json_head + R"({"Enabled": true, "KMSMasterKeyId": "arn:aws:kms:eu-west-1:1:key/k-1"}})",
      "t.json");
  EXPECT_EQ(arn.encryption().key(), pb::DYNAMO_ENCRYPTION_KEY_CUSTOMER_MANAGED);
  EXPECT_EQ(arn.encryption().kms_key(), "arn:aws:kms:eu-west-1:1:key/k-1");
}

TEST(TableFileTest, SettingsRoundTripThroughBothRenderings) {
  const pb::DynamoTable t = Proto(kSettingsProto);
  ExpectSame(t, Parsed(RenderTableYaml(t), "t.yaml"));
  ExpectSame(t, Parsed(RenderCreateTableText(t), "t.json"));
  pb::DynamoTable managed = t;
  managed.mutable_encryption()->set_key(pb::DYNAMO_ENCRYPTION_KEY_AWS_MANAGED);
  managed.mutable_encryption()->clear_kms_key();
  managed.mutable_on_demand_throughput()->set_max_read_request_units(0);
  ExpectSame(managed, Parsed(RenderTableYaml(managed), "t.yaml"));
  ExpectSame(managed, Parsed(RenderCreateTableText(managed), "t.json"));
}

// ---- Damaged input ------------------------------------------------------------------------

// Breaks `text` the way hands and merges do: a character lost, a stray one typed, a line
// doubled or two lines swapped.
std::string Damage(std::string text, std::mt19937_64& rng) {
  static const std::string kStray = "{}[]:,\"'\n #-&*!|>?%@`\\\t0aZ";
  auto pick = [&rng](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  for (int edits = static_cast<int>(pick(4)) + 1; edits > 0 && !text.empty(); --edits) {
    size_t at = pick(text.size());
    switch (pick(4)) {
      case 0: text.erase(at, 1); break;
      case 1: text.insert(at, 1, kStray[pick(kStray.size())]); break;
      case 2: {
        size_t start = text.rfind('\n', at);
        start = start == std::string::npos ? 0 : start + 1;
        size_t end = text.find('\n', at);
        std::string line = text.substr(start, end == std::string::npos ? end : end - start + 1);
        text.insert(start, line);
        break;
      }
      default: {
        size_t other = pick(text.size());
        std::swap(text[at], text[other]);
        break;
      }
    }
  }
  return text;
}

// Whatever the damage, parsing returns a table or an InvalidArgument pointing at a line.
TEST(TableFilePropertyTest, DamagedFilesFailWithALineNeverACrash) {
  // A message may quote a name with a line break in it.
  const std::regex kLocated(R"(t\.(yaml|json):[1-9][0-9]*: [\s\S]+)");
  std::mt19937_64 rng(42);
  int failures = 0;
  for (uint64_t seed = 1; seed <= 1500; ++seed) {
    pb::DynamoTable t = testing::RandomTable(seed).Table();
    for (const auto& [text, file] : {std::pair(RenderTableYaml(t), "t.yaml"),
                                     std::pair(RenderCreateTableText(t), "t.json")}) {
      const std::string damaged = Damage(text, rng);
      Result<pb::DynamoTable> r = ParseTableFile(damaged, file);
      if (r.ok()) continue;
      ++failures;
      ASSERT_EQ(r.status().code(), Code::kInvalidArgument) << damaged;
      ASSERT_TRUE(std::regex_match(r.status().message(), kLocated))
          << r.status().message() << "\n" << damaged;
    }
  }
  EXPECT_GT(failures, 1000);  // the damage is real
}

}  // namespace
}  // namespace strata::dynamodb

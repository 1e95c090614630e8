#include "adapters/dynamodb/table_file.h"

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <random>
#include <regex>
#include <string>

#include "adapters/dynamodb/render.h"
#include "tests/adapters/dynamodb/random_table.h"

namespace strata::dynamodb {
namespace {

using google::protobuf::TextFormat;
using google::protobuf::util::MessageDifferencer;

pb::DynamoTable Proto(const std::string& text) {
  pb::DynamoTable t;
  EXPECT_TRUE(TextFormat::ParseFromString(text, &t)) << text;
  return t;
}

// The parsed table, or an empty one after a test failure naming the error.
pb::DynamoTable Parsed(std::string_view text, std::string_view file) {
  Result<pb::DynamoTable> r = ParseTableFile(text, file);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : pb::DynamoTable();
}

// The InvalidArgument message parsing `text` as `file` gives ("OK" when it parses).
std::string ErrorOf(std::string_view text, std::string_view file) {
  Result<pb::DynamoTable> r = ParseTableFile(text, file);
  if (r.ok()) return "OK";
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument) << r.status().ToString();
  return r.status().message();
}

void ExpectSame(const pb::DynamoTable& expected, const pb::DynamoTable& actual) {
  EXPECT_TRUE(MessageDifferencer::Equals(expected, actual))
      << "expected:\n" << expected.DebugString() << "actual:\n" << actual.DebugString();
}

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

// ---- Errors: YAML -------------------------------------------------------------------------

constexpr char kKey[] = "partition_key: { name: id, type: S }\n";

TEST(TableFileYamlErrorTest, MalformedYaml) {
  EXPECT_EQ(ErrorOf("table: orders\nglobal_indexes: [\n  {name: x\n", "o.yaml"),
            "o.yaml:4: invalid YAML: end of map flow not found");
}

TEST(TableFileYamlErrorTest, EmptyFile) {
  EXPECT_EQ(ErrorOf("# nothing yet\n", "o.yaml"),
            "o.yaml:1: no table here; a table file starts with table: NAME");
}

TEST(TableFileYamlErrorTest, TwoDocuments) {
  EXPECT_EQ(ErrorOf(std::string("table: a1b\n") + kKey + "---\ntable: c2d\n", "o.yaml"),
            "o.yaml:4: a second YAML document; a table file holds one table");
}

TEST(TableFileYamlErrorTest, UnknownKeyWithNearMiss) {
  EXPECT_EQ(ErrorOf(std::string("table: orders\n") + kKey + "sortkey: { name: x, type: S }\n",
                    "o.yaml"),
            "o.yaml:3: unknown key \"sortkey\" in table file; did you mean \"sort_key\"?");
  EXPECT_EQ(ErrorOf(std::string("table: orders\n") + kKey + "billing_mode: provisioned\n",
                    "o.yaml"),
            "o.yaml:3: unknown key \"billing_mode\" in table file; did you mean \"billing\"?");
  EXPECT_EQ(ErrorOf(std::string("TableName: orders\n") + kKey, "o.yaml"),
            "o.yaml:1: unknown key \"TableName\" in table file; did you mean \"table\"?");
}

TEST(TableFileYamlErrorTest, UnknownKeyWithoutNearMissListsTheKeys) {
  EXPECT_EQ(ErrorOf(std::string("table: orders\n") + kKey + "encryption: kms\n", "o.yaml"),
            "o.yaml:3: unknown key \"encryption\" in table file; expected one of: table, "
            "partition_key, sort_key, billing, capacity, global_indexes, local_indexes, ttl, "
            "stream, table_class, deletion_protection, tags");
}

TEST(TableFileYamlErrorTest, UnknownKeyInsideAnIndex) {
  EXPECT_EQ(ErrorOf(std::string("table: orders\n") + kKey +
                        "global_indexes:\n  - name: by_x\n    partition_key: { name: x, type: S "
                        "}\n    projectoin: all\n",
                    "o.yaml"),
            "o.yaml:6: unknown key \"projectoin\" in global index; did you mean \"projection\"?");
}

TEST(TableFileYamlErrorTest, DuplicateKey) {
  EXPECT_EQ(ErrorOf(std::string("table: orders\n") + kKey + "ttl: a\nttl: b\n", "o.yaml"),
            "o.yaml:4: duplicate key \"ttl\" in table file (first at line 3)");
}

TEST(TableFileYamlErrorTest, MissingTableAndPartitionKey) {
  EXPECT_EQ(ErrorOf(kKey, "o.yaml"),
            "o.yaml:1: missing key \"table\"; name the table with table: NAME");
  EXPECT_EQ(ErrorOf("table: orders\n", "o.yaml"),
            "o.yaml:1: missing key \"partition_key\"; add partition_key: { name: ATTR, type: S }");
}

TEST(TableFileYamlErrorTest, KeyWrittenAsAPlainName) {
  EXPECT_EQ(ErrorOf("table: orders\npartition_key: customer_id\n", "o.yaml"),
            "o.yaml:2: partition_key must be a map like { name: ATTR, type: S }, not a single "
            "value");
}

TEST(TableFileYamlErrorTest, UnknownAttributeType) {
  EXPECT_EQ(ErrorOf("table: orders\npartition_key: { name: id, type: BOOL }\n", "o.yaml"),
            "o.yaml:2: BOOL is not a key type; use S, N or B");
}

TEST(TableFileYamlErrorTest, KeyAttributeWithoutType) {
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "sort_key:\n  name: created_at\n",
                    "o.yaml"),
            "o.yaml:4: key attribute \"created_at\" has no type; add type: S, N or B");
}

TEST(TableFileYamlErrorTest, OneAttributeTwoTypes) {
  EXPECT_EQ(ErrorOf(R"(table: orders
partition_key: { name: id, type: S }
sort_key: { name: day, type: N }
global_indexes:
  - name: by_day
    partition_key: { name: day, type: S }
)",
                    "o.yaml"),
            "o.yaml:6: key attribute \"day\" is S here but N at line 3; an attribute has one "
            "type in every key");
}

TEST(TableFileYamlErrorTest, DuplicateIndexNames) {
  EXPECT_EQ(ErrorOf(R"(table: orders
partition_key: { name: id, type: S }
sort_key: { name: day, type: N }
global_indexes:
  - { name: by_x, partition_key: { name: x, type: S } }
local_indexes:
  - name: by_x
    sort_key: { name: y, type: S }
)",
                    "o.yaml"),
            "o.yaml:7: duplicate index name \"by_x\" (first at line 5); global and local index "
            "names must all differ");
}

TEST(TableFileYamlErrorTest, LocalIndexWithoutTableSortKey) {
  EXPECT_EQ(ErrorOf(std::string("table: orders\n") + kKey +
                        "local_indexes:\n  - name: by_day\n    sort_key: { name: day, type: N }\n",
                    "o.yaml"),
            "o.yaml:4: local index \"by_day\" needs a table sort key; add sort_key to the table "
            "or make it a global index");
}

TEST(TableFileYamlErrorTest, LocalIndexWithItsOwnPartitionKey) {
  EXPECT_EQ(ErrorOf(std::string("table: orders\n") + kKey +
                        "sort_key: {name: s, type: S}\nlocal_indexes:\n  - name: by_day\n"
                        "    partition_key: { name: day, type: N }\n",
                    "o.yaml"),
            "o.yaml:6: a local index always uses the table's partition key; remove "
            "partition_key (or make it a global index)");
}

std::string IndexList(std::string_view key, int n, std::string_view extra) {
  std::string out = std::string(key) + ":\n";
  for (int i = 0; i < n; ++i) {
    out += "  - name: index" + std::to_string(i) + "\n    " + std::string(extra) + "\n";
  }
  return out;
}

TEST(TableFileYamlErrorTest, TooManyLocalIndexes) {
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "sort_key: {name: s, type: S}\n" +
                        IndexList("local_indexes", 6, "sort_key: {name: t, type: S}"),
                    "o.yaml"),
            "o.yaml:4: 6 local indexes; DynamoDB allows at most 5 per table");
}

TEST(TableFileYamlErrorTest, TooManyGlobalIndexes) {
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) +
                        IndexList("global_indexes", 21, "partition_key: {name: g, type: S}"),
                    "o.yaml"),
            "o.yaml:3: 21 global indexes; DynamoDB allows at most 20 per table");
}

TEST(TableFileYamlErrorTest, ProvisionedWithoutCapacity) {
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "billing: provisioned\n", "o.yaml"),
            "o.yaml:3: billing: provisioned needs capacity: { read: N, write: N } on the table");
}

TEST(TableFileYamlErrorTest, GlobalIndexCapacityMissingUnderProvisioned) {
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "capacity: {read: 1, write: 1}\n" +
                        IndexList("global_indexes", 1, "partition_key: {name: g, type: S}"),
                    "o.yaml"),
            "o.yaml:5: global index \"index0\": billing: provisioned needs capacity: { read: N, "
            "write: N } on every global index");
}

TEST(TableFileYamlErrorTest, CapacityUnderPayPerRequest) {
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) +
                        "billing: pay_per_request\ncapacity: {read: 1, write: 1}\n",
                    "o.yaml"),
            "o.yaml:4: capacity is not allowed with billing: pay_per_request; remove it or use "
            "billing: provisioned");
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) +
                        IndexList("global_indexes", 1,
                                  "partition_key: {name: g, type: S}\n    capacity: {read: 1, "
                                  "write: 1}"),
                    "o.yaml"),
            "o.yaml:6: global index \"index0\": capacity is not allowed with billing: "
            "pay_per_request; remove it or use billing: provisioned");
}

TEST(TableFileYamlErrorTest, BadCapacity) {
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "capacity: {read: 0, write: 1}\n",
                    "o.yaml"),
            "o.yaml:3: capacity read must be a whole number of at least 1");
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "capacity: {read: 5}\n", "o.yaml"),
            "o.yaml:3: capacity needs both read and write: { read: N, write: N }");
}

TEST(TableFileYamlErrorTest, InvalidTableAndIndexNames) {
  EXPECT_EQ(ErrorOf("table: ab\n" + std::string(kKey), "o.yaml"),
            "o.yaml:1: table name \"ab\" is invalid: use 3 to 255 characters from a-z, A-Z, "
            "0-9, '_', '-' and '.'");
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) +
                        "global_indexes:\n  - name: by status\n    partition_key: {name: g, "
                        "type: S}\n",
                    "o.yaml"),
            "o.yaml:4: index name \"by status\" is invalid: use 3 to 255 characters from a-z, "
            "A-Z, 0-9, '_', '-' and '.'");
  EXPECT_EQ(ErrorOf("table: " + std::string(256, 'x') + "\n" + kKey, "o.yaml"),
            "o.yaml:1: table name \"" + std::string(256, 'x') +
                "\" is invalid: use 3 to 255 characters from a-z, A-Z, 0-9, '_', '-' and '.'");
}

TEST(TableFileYamlErrorTest, IncludeProjectionWithoutAttributes) {
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) +
                        IndexList("global_indexes", 1,
                                  "partition_key: {name: g, type: S}\n    projection: { "
                                  "include: [] }"),
                    "o.yaml"),
            "o.yaml:6: index \"index0\": projection include needs at least one attribute; list "
            "them in projection: { include: [attr, ...] }");
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) +
                        IndexList("global_indexes", 1,
                                  "partition_key: {name: g, type: S}\n    projection: include"),
                    "o.yaml"),
            "o.yaml:6: global index \"index0\" projection include needs its attributes; write "
            "projection: { include: [attr, ...] }");
}

TEST(TableFileYamlErrorTest, UnknownEnumWords) {
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "stream: new_images\n", "o.yaml"),
            "o.yaml:3: unknown stream view type \"new_images\"; use disabled, keys_only, "
            "new_image, old_image or new_and_old_images");
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "billing: on_demand\n", "o.yaml"),
            "o.yaml:3: unknown billing mode \"on_demand\"; use pay_per_request or provisioned");
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "table_class: cold\n", "o.yaml"),
            "o.yaml:3: unknown table class \"cold\"; use standard or standard_infrequent_access");
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) +
                        IndexList("global_indexes", 1,
                                  "partition_key: {name: g, type: S}\n    projection: some"),
                    "o.yaml"),
            "o.yaml:6: unknown projection \"some\"; use all, keys_only or { include: [attr, ...] "
            "}");
}

TEST(TableFileYamlErrorTest, SameAttributeAsPartitionAndSortKey) {
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "sort_key: {name: id, type: S}\n",
                    "o.yaml"),
            "o.yaml:3: partition key and sort key are both \"id\"; use two different attributes");
}

TEST(TableFileYamlErrorTest, KeyWithoutValue) {
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "sort_key:\n\nttl: x\n", "o.yaml"),
            "o.yaml:3: sort_key has no value");
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "global_indexes:\ntags:\n", "o.yaml"),
            "OK");
}

TEST(TableFileYamlErrorTest, BadSettingValues) {
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "deletion_protection: maybe\n",
                    "o.yaml"),
            "o.yaml:3: deletion_protection must be true or false");
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "tags:\n  team:\n", "o.yaml"),
            "o.yaml:4: tag \"team\" has no value; write team: \"\" for an empty one");
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "ttl: [a, b]\n", "o.yaml"),
            "o.yaml:3: ttl must be a single value, not a list");
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "global_indexes: by_x\n", "o.yaml"),
            "o.yaml:3: global_indexes must be a list (- name: ...), not a single value");
}

// ---- Errors: CreateTable JSON -------------------------------------------------------------

// A valid table's opening: TableName on line 2, one S key "id" on lines 3-4.
constexpr char kJsonHead[] = R"({
  "TableName": "orders",
  "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
  "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}])";

std::string JsonTable(std::string_view rest) {
  return std::string(kJsonHead) + std::string(rest) + "\n}\n";
}

TEST(TableFileJsonErrorTest, MalformedJson) {
  EXPECT_EQ(ErrorOf(JsonTable(",\n  \"BillingMode\": \"PROVISIONED\",\n"), "o.json"),
            "o.json:7: invalid JSON: syntax error while parsing object key - unexpected '}'; "
            "expected string literal");
  EXPECT_EQ(ErrorOf("", "o.json"),
            "o.json:1: invalid JSON: syntax error while parsing value - unexpected end of "
            "input; expected '[', '{', or a literal");
}

TEST(TableFileJsonErrorTest, DuplicateKey) {
  EXPECT_EQ(ErrorOf(JsonTable(",\n  \"TableName\": \"other\""), "o.json"),
            "o.json:5: duplicate key \"TableName\" (first at line 2)");
}

TEST(TableFileJsonErrorTest, UnknownKey) {
  EXPECT_EQ(ErrorOf(JsonTable(",\n  \"BilingMode\": \"PROVISIONED\""), "o.json"),
            "o.json:5: unknown key \"BilingMode\" in CreateTable input; did you mean "
            "\"BillingMode\"?");
  EXPECT_EQ(ErrorOf(JsonTable(",\n  \"SSESpecification\": {\"Enabled\": true}"), "o.json"),
            "o.json:5: SSESpecification is a CreateTable field strata does not manage; remove "
            "it from the file");
}

TEST(TableFileJsonErrorTest, UnknownAttributeType) {
  EXPECT_EQ(ErrorOf(R"({
  "TableName": "orders",
  "AttributeDefinitions": [
    {"AttributeName": "id", "AttributeType": "BOOL"}
  ],
  "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]
})",
                    "o.json"),
            "o.json:4: BOOL is not a key type; use S, N or B");
}

TEST(TableFileJsonErrorTest, KeyAttributeMissingFromDefinitions) {
  EXPECT_EQ(ErrorOf(R"({
  "TableName": "orders",
  "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
  "KeySchema": [
    {"AttributeName": "id", "KeyType": "HASH"},
    {"AttributeName": "created_at", "KeyType": "RANGE"}
  ]
})",
                    "o.json"),
            "o.json:6: key attribute \"created_at\" has no type; add {\"AttributeName\": "
            "\"created_at\", \"AttributeType\": \"S\"} (or N, B) to AttributeDefinitions");
}

TEST(TableFileJsonErrorTest, UnusedAttributeDefinition) {
  EXPECT_EQ(ErrorOf(R"({
  "TableName": "orders",
  "AttributeDefinitions": [
    {"AttributeName": "id", "AttributeType": "S"},
    {"AttributeName": "total", "AttributeType": "N"}
  ],
  "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]
})",
                    "o.json"),
            "o.json:5: attribute \"total\" is defined but no key uses it; DynamoDB rejects "
            "unused AttributeDefinitions, so remove it");
}

TEST(TableFileJsonErrorTest, KeySchemaShape) {
  EXPECT_EQ(ErrorOf(R"({
  "TableName": "orders",
  "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
  "KeySchema": [{"AttributeName": "id", "KeyType": "RANGE"}]
})",
                    "o.json"),
            "o.json:4: table KeySchema element 1 must be HASH, not RANGE");
  EXPECT_EQ(ErrorOf(R"({"TableName": "orders", "KeySchema": []})", "o.json"),
            "o.json:1: table KeySchema must hold a HASH element and optionally a RANGE element; "
            "it has 0");
  EXPECT_EQ(ErrorOf(R"({"TableName": "orders"})", "o.json"),
            "o.json:1: CreateTable input is missing KeySchema");
}

TEST(TableFileJsonErrorTest, DuplicateIndexNames) {
  EXPECT_EQ(ErrorOf(JsonTable(R"(,
  "GlobalSecondaryIndexes": [
    {"IndexName": "by_id", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]},
    {"IndexName": "by_id", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}
  ])"),
                    "o.json"),
            "o.json:7: duplicate index name \"by_id\" (first at line 6); global and local index "
            "names must all differ");
}

TEST(TableFileJsonErrorTest, LocalIndexWithoutTableSortKey) {
  EXPECT_EQ(ErrorOf(R"({
  "TableName": "orders",
  "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"},
                           {"AttributeName": "day", "AttributeType": "N"}],
  "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
  "LocalSecondaryIndexes": [{
    "IndexName": "by_day",
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"},
                  {"AttributeName": "day", "KeyType": "RANGE"}]
  }]
})",
                    "o.json"),
            "o.json:7: local index \"by_day\" needs a table sort key; add a RANGE element in "
            "KeySchema to the table or make it a global index");
}

TEST(TableFileJsonErrorTest, LocalIndexWithAnotherPartitionKey) {
  EXPECT_EQ(ErrorOf(R"({
  "TableName": "orders",
  "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"},
                           {"AttributeName": "day", "AttributeType": "N"}],
  "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"},
                {"AttributeName": "day", "KeyType": "RANGE"}],
  "LocalSecondaryIndexes": [{
    "IndexName": "by_day",
    "KeySchema": [{"AttributeName": "day", "KeyType": "HASH"},
                  {"AttributeName": "id", "KeyType": "RANGE"}]
  }]
})",
                    "o.json"),
            "o.json:9: local index \"by_day\": its HASH key must be the table's partition key "
            "\"id\", not \"day\"; use a global index for another partition key");
}

std::string JsonIndexes(std::string_view key, int n, std::string_view key_schema) {
  std::string out = ",\n  \"" + std::string(key) + "\": [\n";
  for (int i = 0; i < n; ++i) {
    out += fmt::format("    {{\"IndexName\": \"index{}\", \"KeySchema\": {}}}{}\n", i,
                       key_schema, i + 1 < n ? "," : "");
  }
  return out + "  ]";
}

TEST(TableFileJsonErrorTest, TooManyIndexes) {
  EXPECT_EQ(ErrorOf(JsonTable(JsonIndexes("GlobalSecondaryIndexes", 21,
                                          R"([{"AttributeName": "id", "KeyType": "HASH"}])")),
                    "o.json"),
            "o.json:5: 21 global indexes; DynamoDB allows at most 20 per table");
  std::string lsi_table = R"({
  "TableName": "orders",
  "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"},
                           {"AttributeName": "day", "AttributeType": "N"}],
  "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"},
                {"AttributeName": "day", "KeyType": "RANGE"}])" +
                          JsonIndexes("LocalSecondaryIndexes", 6,
                                      R"([{"AttributeName": "id", "KeyType": "HASH"},
                                          {"AttributeName": "day", "KeyType": "RANGE"}])") +
                          "\n}";
  EXPECT_EQ(ErrorOf(lsi_table, "o.json"),
            "o.json:7: 6 local indexes; DynamoDB allows at most 5 per table");
}

TEST(TableFileJsonErrorTest, GlobalIndexThroughputMissingUnderProvisioned) {
  EXPECT_EQ(ErrorOf(JsonTable(R"(,
  "BillingMode": "PROVISIONED",
  "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
  "GlobalSecondaryIndexes": [
    {"IndexName": "by_id", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}
  ])"),
                    "o.json"),
            "o.json:8: global index \"by_id\": BillingMode PROVISIONED needs "
            "ProvisionedThroughput on every global index");
}

TEST(TableFileJsonErrorTest, ThroughputUnderPayPerRequest) {
  EXPECT_EQ(ErrorOf(JsonTable(R"(,
  "BillingMode": "PAY_PER_REQUEST",
  "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})"),
                    "o.json"),
            "o.json:6: ProvisionedThroughput is not allowed with BillingMode PAY_PER_REQUEST; "
            "remove it or use BillingMode PROVISIONED");
  EXPECT_EQ(ErrorOf(JsonTable(R"(,
  "GlobalSecondaryIndexes": [
    {"IndexName": "by_id", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
     "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}
  ])"),
                    "o.json"),
            "o.json:7: global index \"by_id\": ProvisionedThroughput is not allowed with "
            "BillingMode PAY_PER_REQUEST; remove it or use BillingMode PROVISIONED");
  EXPECT_EQ(ErrorOf(JsonTable(R"(,
  "BillingMode": "PROVISIONED")"),
                    "o.json"),
            "o.json:5: BillingMode PROVISIONED needs ProvisionedThroughput on the table");
}

TEST(TableFileJsonErrorTest, ZeroCapacityUnderProvisioned) {
  EXPECT_EQ(ErrorOf(JsonTable(R"(,
  "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 5})"),
                    "o.json"),
            "o.json:5: ReadCapacityUnits must be a whole number of at least 1");
}

TEST(TableFileJsonErrorTest, InvalidNames) {
  EXPECT_EQ(ErrorOf(R"({
  "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
  "TableName": "orders/2024",
  "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]
})",
                    "o.json"),
            "o.json:3: table name \"orders/2024\" is invalid: use 3 to 255 characters from a-z, "
            "A-Z, 0-9, '_', '-' and '.'");
  EXPECT_EQ(ErrorOf(JsonTable(R"(,
  "GlobalSecondaryIndexes": [
    {"IndexName": "ix", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}
  ])"),
                    "o.json"),
            "o.json:6: index name \"ix\" is invalid: use 3 to 255 characters from a-z, A-Z, "
            "0-9, '_', '-' and '.'");
}

TEST(TableFileJsonErrorTest, IncludeProjection) {
  EXPECT_EQ(ErrorOf(JsonTable(R"(,
  "GlobalSecondaryIndexes": [{
    "IndexName": "by_id",
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    "Projection": {"ProjectionType": "INCLUDE"}
  }])"),
                    "o.json"),
            "o.json:8: index \"by_id\": ProjectionType INCLUDE needs at least one attribute; "
            "list them in NonKeyAttributes");
  EXPECT_EQ(ErrorOf(JsonTable(R"(,
  "GlobalSecondaryIndexes": [{
    "IndexName": "by_id",
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    "Projection": {"ProjectionType": "ALL", "NonKeyAttributes": ["a"]}
  }])"),
                    "o.json"),
            "o.json:8: NonKeyAttributes is only allowed with ProjectionType INCLUDE");
}

TEST(TableFileJsonErrorTest, Streams) {
  EXPECT_EQ(ErrorOf(JsonTable(R"(,
  "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGES"})"),
                    "o.json"),
            "o.json:5: unknown StreamViewType \"NEW_IMAGES\"; use KEYS_ONLY, NEW_IMAGE, "
            "OLD_IMAGE or NEW_AND_OLD_IMAGES");
  EXPECT_EQ(ErrorOf(JsonTable(R"(,
  "StreamSpecification": {"StreamEnabled": true})"),
                    "o.json"),
            "o.json:5: StreamEnabled is true but StreamViewType is missing; use KEYS_ONLY, "
            "NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES");
  EXPECT_EQ(ErrorOf(JsonTable(R"(,
  "StreamSpecification": {
    "StreamEnabled": false,
    "StreamViewType": "KEYS_ONLY"
  })"),
                    "o.json"),
            "o.json:7: StreamViewType is set but StreamEnabled is false; remove StreamViewType "
            "or enable the stream");
}

TEST(TableFileJsonErrorTest, EnumsAreCaseSensitiveLikeAws) {
  EXPECT_EQ(ErrorOf(JsonTable(",\n  \"BillingMode\": \"pay_per_request\""), "o.json"),
            "o.json:5: unknown BillingMode \"pay_per_request\"; use PROVISIONED or "
            "PAY_PER_REQUEST");
}

TEST(TableFileJsonErrorTest, TagsAndTimeToLive) {
  EXPECT_EQ(ErrorOf(JsonTable(R"(,
  "Tags": [
    {"Key": "team", "Value": "a"},
    {"Key": "team", "Value": "b"}
  ])"),
                    "o.json"),
            "o.json:7: duplicate tag key \"team\" (first at line 6)");
  EXPECT_EQ(ErrorOf(JsonTable(R"(,
  "TimeToLiveSpecification": {"AttributeName": "expires_at"})"),
                    "o.json"),
            "o.json:5: TimeToLiveSpecification is missing Enabled");
  EXPECT_EQ(ErrorOf(JsonTable(R"(,
  "DeletionProtectionEnabled": "yes")"),
                    "o.json"),
            "o.json:5: DeletionProtectionEnabled must be true or false, not a string");
}

TEST(TableFileJsonErrorTest, TimeToLiveDisabledIsNoTtl) {
  pb::DynamoTable t = Parsed(JsonTable(R"(,
  "TimeToLiveSpecification": {"AttributeName": "expires_at", "Enabled": false})"),
                             "o.json");
  EXPECT_EQ(t.ttl_attribute(), "");
}

// ---- JsonDocument -------------------------------------------------------------------------

TEST(JsonDocumentTest, RemembersTheLineOfEveryValue) {
  Result<JsonDocument> doc = JsonDocument::Parse(R"({
  "a": 1,
  "b": [
    true,
    {"c/d": "x",
     "e~f": 2.5}
  ]
})",
                                                 "d.json");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  using P = JsonDocument::Pointer;
  EXPECT_EQ(doc->LineOf(P("")), 1);
  EXPECT_EQ(doc->LineOf(P("/a")), 2);
  EXPECT_EQ(doc->LineOf(P("/b")), 3);
  EXPECT_EQ(doc->LineOf(P("/b/0")), 4);
  EXPECT_EQ(doc->LineOf(P("/b/1")), 5);
  EXPECT_EQ(doc->LineOf(P("/b/1/c~1d")), 5);
  EXPECT_EQ(doc->LineOf(P("/b/1/e~0f")), 6);
  EXPECT_EQ(doc->LineOf(P("/b/1/missing/deeper")), 5);  // nearest ancestor
  EXPECT_EQ(doc->root()["b"][1]["e~f"], 2.5);
  EXPECT_EQ(doc->ErrorAt(P("/b/0"), "no").message(), "d.json:4: no");
}

TEST(JsonDocumentTest, ANumberAtTheEndOfALineStaysOnThatLine) {
  Result<JsonDocument> doc = JsonDocument::Parse("[1,\n2\n,\n3]", "d.json");
  ASSERT_TRUE(doc.ok());
  using P = JsonDocument::Pointer;
  EXPECT_EQ(doc->LineOf(P("/1")), 2);
  EXPECT_EQ(doc->LineOf(P("/2")), 4);
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
  const std::regex kLocated(R"(t\.(yaml|json):[1-9][0-9]*: .+)");
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

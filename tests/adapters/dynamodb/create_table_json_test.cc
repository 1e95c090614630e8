// The CreateTable JSON reader's errors, through ParseTableFile as users meet them: each names
// the line and the fix.
#include "adapters/dynamodb/create_table_json.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "tests/adapters/dynamodb/table_file_testing.h"

namespace strata::dynamodb {
namespace {

using testing::ErrorOf;
using testing::Parsed;

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
  // Every CreateTable field is managed now; a policy is read (and checked) as a document.
  EXPECT_EQ(ErrorOf(JsonTable(",\n  \"ResourcePolicy\": \"{}\""), "o.json"),
            "o.json:5: resource policy has no Statement; a policy document needs \"Statement\": "
            "[...]");
}

TEST(TableFileJsonErrorTest, EncryptionSettings) {
  EXPECT_EQ(ErrorOf(JsonTable(",\n  \"SSESpecification\": {\"KMSMasterKeyId\": \"alias/k\"}"),
                    "o.json"),
            "o.json:5: KMSMasterKeyId needs \"Enabled\": true in SSESpecification; without it "
            "the table uses the AWS-owned key");
  EXPECT_EQ(ErrorOf(JsonTable(",\n  \"SSESpecification\": {\"Enabled\": true, \"SSEType\": "
                              "\"AES256\"}"),
                    "o.json"),
            "o.json:5: SSEType \"AES256\" is not supported; DynamoDB takes only KMS (or leave "
            "SSESpecification out for the AWS-owned key)");
  EXPECT_EQ(ErrorOf(JsonTable(",\n  \"SSESpecification\": {\"Enabled\": true, "
                              "\"KMSMasterKeyId\": \"\"}"),
                    "o.json"),
            "o.json:5: KMSMasterKeyId is empty; name a KMS key id, key ARN or alias, or leave it "
            "out for the aws/dynamodb key");
  EXPECT_EQ(ErrorOf(JsonTable(",\n  \"SSESpecification\": {\"Enabled\": true, \"Key\": 1}"),
                    "o.json"),
            "o.json:5: unknown key \"Key\" in SSESpecification; expected one of: Enabled, "
            "SSEType, KMSMasterKeyId");
}

TEST(TableFileJsonErrorTest, ThroughputSettings) {
  EXPECT_EQ(ErrorOf(JsonTable(",\n  \"OnDemandThroughput\": {\"MaxReadRequestUnits\": 0}"),
                    "o.json"),
            "o.json:5: MaxReadRequestUnits must be a whole number of at least 1 (or -1 for no "
            "maximum)");
  EXPECT_EQ(ErrorOf(JsonTable(",\n  \"OnDemandThroughput\": {}"), "o.json"),
            "o.json:5: table OnDemandThroughput needs MaxReadRequestUnits, MaxWriteRequestUnits "
            "or both; remove it for no maximum");
  EXPECT_EQ(ErrorOf(JsonTable(",\n  \"BillingMode\": \"PROVISIONED\",\n"
                              "  \"ProvisionedThroughput\": {\"ReadCapacityUnits\": 1, "
                              "\"WriteCapacityUnits\": 1},\n"
                              "  \"OnDemandThroughput\": {\"MaxReadRequestUnits\": 5}"),
                    "o.json"),
            "o.json:7: OnDemandThroughput is not allowed with BillingMode PROVISIONED: it caps "
            "on-demand tables only; remove it or use BillingMode PAY_PER_REQUEST");
  EXPECT_EQ(ErrorOf(JsonTable(",\n  \"WarmThroughput\": {\"ReadUnitsPerSecond\": 13000}"),
                    "o.json"),
            "o.json:5: table WarmThroughput needs both ReadUnitsPerSecond and "
            "WriteUnitsPerSecond");
  EXPECT_EQ(ErrorOf(JsonTable(",\n  \"WarmThroughput\": {\"ReadUnitsPerSecond\": 13000,\n"
                              "    \"WriteUnitsPerSecond\": \"5\"}"),
                    "o.json"),
            "o.json:6: WriteUnitsPerSecond must be a whole number of at least 1");
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

// CloudFormation quotes capacities ("5"); the message says so instead of "at least 1".
TEST(TableFileJsonErrorTest, QuotedCapacityNamesTheQuotes) {
  EXPECT_EQ(ErrorOf(JsonTable(R"(,
  "ProvisionedThroughput": {"ReadCapacityUnits": "5", "WriteCapacityUnits": 5})"),
                    "o.json"),
            "o.json:5: ReadCapacityUnits must be a number, not the string \"5\" (write it "
            "without quotes, as CreateTable takes it; CloudFormation templates quote it)");
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

// ---- The reader itself ---------------------------------------------------------------------

// A snapshot holds CreateTable inputs below the root; errors keep the document's lines.
TEST(ReadCreateTableTest, ReadsTheInputWhereverItIsInTheDocument) {
  Result<JsonDocument> doc = JsonDocument::Parse(R"({"tables": {
  "carts": {
    "TableName": "carts",
    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]},
  "bad": {
    "TableName": "bad",
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}
}})",
                                                 "snapshot.json");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  Result<pb::DynamoTable> carts =
      internal::ReadCreateTable(*doc, JsonDocument::Pointer("/tables/carts"));
  ASSERT_TRUE(carts.ok()) << carts.status().ToString();
  EXPECT_EQ(carts->name(), "carts");
  Result<pb::DynamoTable> bad =
      internal::ReadCreateTable(*doc, JsonDocument::Pointer("/tables/bad"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(bad.status().message().rfind("snapshot.json:8: key attribute \"id\" has no type", 0),
            0u)
      << bad.status().message();
}

}  // namespace
}  // namespace strata::dynamodb

namespace strata::dynamodb {
namespace {

TEST(TableFileJsonTest, ResourcePolicyStringAndRecoveryLoad) {
  const pb::DynamoTable t = Parsed(
      JsonTable(",\n  \"BillingMode\": \"PAY_PER_REQUEST\",\n"
                "  \"ResourcePolicy\": \"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":"
                "[{\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"AWS\\\":\\\"arn:aws:iam::"
                "123456789012:root\\\"},\\\"Action\\\":\\\"dynamodb:GetItem\\\",\\\"Resource\\\":"
                "\\\"*\\\"}]}\",\n"
                "  \"PointInTimeRecoverySpecification\": {\"PointInTimeRecoveryEnabled\": true}"),
      "o.json");
  EXPECT_EQ(t.resource_policy(),
            R"({"Statement":[{"Action":["dynamodb:GetItem"],"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:root"]},"Resource":["*"]}],"Version":"2012-10-17"})");
  EXPECT_EQ(t.point_in_time_recovery_days(), 35);
}

TEST(TableFileJsonErrorTest, ResourcePolicyAndRecoveryErrors) {
  EXPECT_EQ(ErrorOf(JsonTable(",\n  \"ResourcePolicy\": {\"Version\": \"2012-10-17\"}"), "o.json"),
            "o.json:5: ResourcePolicy is an object; CreateTable takes the policy document as "
            "one JSON string (its quotes escaped), not as an object");
  EXPECT_EQ(ErrorOf(JsonTable(",\n  \"ResourcePolicy\": \"{}\""), "o.json"),
            "o.json:5: resource policy has no Statement; a policy document needs "
            "\"Statement\": [...]");
  EXPECT_EQ(ErrorOf(JsonTable(",\n  \"PointInTimeRecoverySpecification\": "
                              "{\"PointInTimeRecoveryEnabled\": true, \"RecoveryPeriodInDays\": 0}"),
                    "o.json"),
            "o.json:5: RecoveryPeriodInDays must be a whole number from 1 to 35, not 0");
  EXPECT_EQ(ErrorOf(JsonTable(",\n  \"PointInTimeRecoverySpecification\": "
                              "{\"PointInTimeRecoveryEnabled\": false, \"RecoveryPeriodInDays\": 3}"),
                    "o.json"),
            "o.json:5: RecoveryPeriodInDays is set but PointInTimeRecoveryEnabled is false; "
            "remove RecoveryPeriodInDays or enable recovery");
}

}  // namespace
}  // namespace strata::dynamodb

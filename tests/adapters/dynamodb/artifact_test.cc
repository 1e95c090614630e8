#include "adapters/dynamodb/artifact.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>

namespace strata::dynamodb {
namespace {

namespace fs = std::filesystem;
using google::protobuf::TextFormat;

pb::Event Ev(const std::string& text) {
  pb::Event e;
  EXPECT_TRUE(TextFormat::ParseFromString(text, &e)) << text;
  return e;
}

const ArtifactMetadata kMeta{3, "add_carts", "carts for the checkout", "2026-03-01T12:00:00Z"};

TEST(ArtifactTest, CreateTableCarriesTheCreateTableInput) {
  Result<std::string> text = RenderArtifactText(
      {Ev(R"pb(dynamodb { create_table { table {
            name: "carts" key { partition_key: "id" }
            attributes { name: "id" type: DYNAMO_ATTRIBUTE_TYPE_S }
            billing_mode: DYNAMO_BILLING_MODE_PAY_PER_REQUEST
            stream: DYNAMO_STREAM_DISABLED table_class: DYNAMO_TABLE_CLASS_STANDARD } } })pb")},
      kMeta);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text, R"({
  "version": 1,
  "seq": 3,
  "name": "add_carts",
  "message": "carts for the checkout",
  "time": "2026-03-01T12:00:00Z",
  "operations": [
    {
      "op": "create_table",
      "table": "carts",
      "definition": {
        "AttributeDefinitions": [
          {
            "AttributeName": "id",
            "AttributeType": "S"
          }
        ],
        "TableName": "carts",
        "KeySchema": [
          {
            "AttributeName": "id",
            "KeyType": "HASH"
          }
        ],
        "BillingMode": "PAY_PER_REQUEST",
        "TableClass": "STANDARD",
        "DeletionProtectionEnabled": false
      }
    }
  ]
}
)");
}

// One line per operation kind: each change renders to a flat, readable object.
TEST(ArtifactTest, EveryChangeKindHasItsOperation) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"pb(drop_table { table: "carts" })pb", R"({"op":"drop_table","table":"carts"})"},
      {R"pb(set_billing { table: "carts" billing_mode: DYNAMO_BILLING_MODE_PROVISIONED
            throughput { read_capacity_units: 5 write_capacity_units: 1 }
            index_throughput { key: "by_b"
                               value { read_capacity_units: 2 write_capacity_units: 2 } }
            index_throughput { key: "by_a"
                               value { read_capacity_units: 1 write_capacity_units: 1 } } })pb",
       R"({"op":"set_billing","table":"carts","billing_mode":"PROVISIONED",)"
       R"("throughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":1},"index_throughput":)"
       R"({"by_a":{"ReadCapacityUnits":1,"WriteCapacityUnits":1},)"
       R"("by_b":{"ReadCapacityUnits":2,"WriteCapacityUnits":2}}})"},
      {R"pb(add_global_index { table: "carts" index { name: "by_user"
            key { partition_key: "user" } projection { type: DYNAMO_PROJECTION_TYPE_KEYS_ONLY } }
            attributes { name: "user" type: DYNAMO_ATTRIBUTE_TYPE_S } })pb",
       R"({"op":"add_global_index","table":"carts","index":{"IndexName":"by_user",)"
       R"("KeySchema":[{"AttributeName":"user","KeyType":"HASH"}],)"
       R"("Projection":{"ProjectionType":"KEYS_ONLY"}},)"
       R"("attribute_definitions":[{"AttributeName":"user","AttributeType":"S"}]})"},
      {R"pb(drop_global_index { table: "carts" index: "by_user" })pb",
       R"({"op":"drop_global_index","table":"carts","index":"by_user"})"},
      {R"pb(set_global_index_throughput { table: "carts" index: "by_user"
            throughput { read_capacity_units: 3 write_capacity_units: 4 } })pb",
       R"({"op":"set_global_index_throughput","table":"carts","index":"by_user",)"
       R"("throughput":{"ReadCapacityUnits":3,"WriteCapacityUnits":4}})"},
      {R"pb(set_time_to_live { table: "carts" attribute: "expires_at" })pb",
       R"({"op":"set_time_to_live","table":"carts","enabled":true,"attribute":"expires_at"})"},
      {R"pb(set_time_to_live { table: "carts" })pb",
       R"({"op":"set_time_to_live","table":"carts","enabled":false})"},
      {R"pb(set_stream { table: "carts" stream: DYNAMO_STREAM_DISABLED })pb",
       R"({"op":"set_stream","table":"carts","stream":"DISABLED"})"},
      {R"pb(set_table_class { table: "carts"
            table_class: DYNAMO_TABLE_CLASS_STANDARD_INFREQUENT_ACCESS })pb",
       R"({"op":"set_table_class","table":"carts","table_class":"STANDARD_INFREQUENT_ACCESS"})"},
      {R"pb(set_deletion_protection { table: "carts" enabled: true })pb",
       R"({"op":"set_deletion_protection","table":"carts","enabled":true})"},
      {R"pb(set_tag { table: "carts" key: "team" value: "web" })pb",
       R"({"op":"set_tag","table":"carts","key":"team","value":"web"})"},
      {R"pb(remove_tag { table: "carts" key: "team" })pb",
       R"({"op":"remove_tag","table":"carts","key":"team"})"},
  };
  for (const auto& [change, json] : cases) {
    pb::DynamoChange c;
    ASSERT_TRUE(TextFormat::ParseFromString(change, &c)) << change;
    EXPECT_EQ(RenderOperation(c).dump(), json);
  }
}

TEST(ArtifactTest, ReplaceTableIsMarkedDestructive) {
  pb::DynamoChange c;
  ASSERT_TRUE(TextFormat::ParseFromString(
      R"pb(replace_table { reason: "sort key changed" table {
           name: "carts" key { partition_key: "id" }
           attributes { name: "id" type: DYNAMO_ATTRIBUTE_TYPE_S }
           billing_mode: DYNAMO_BILLING_MODE_PAY_PER_REQUEST stream: DYNAMO_STREAM_DISABLED
           table_class: DYNAMO_TABLE_CLASS_STANDARD } })pb",
      &c));
  nlohmann::ordered_json op = RenderOperation(c);
  EXPECT_EQ(op["op"], "replace_table");
  EXPECT_EQ(op["reason"], "sort key changed");
  EXPECT_EQ(op["destructive"], true);
  EXPECT_EQ(op["definition"]["TableName"], "carts");
}

TEST(ArtifactTest, RejectsOtherEnginesAndInvalidChanges) {
  Result<std::string> other = RenderArtifactText(
      {Ev(R"pb(dynamodb { drop_table { table: "carts" } })pb"),
       Ev(R"pb(glue { })pb")},
      kMeta);
  EXPECT_EQ(other.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(other.status().message(),
            "event 2: not a DynamoDB change; a DynamoDB artifact holds DynamoDB changes only");
  Result<std::string> invalid = RenderArtifactText(
      {Ev(R"pb(dynamodb { set_stream { table: "carts" } })pb")}, kMeta);
  EXPECT_EQ(invalid.status().message(),
            "event 1: dynamodb set_stream carts: stream view type is UNSPECIFIED");
}

TEST(ArtifactNameTest, Sanitizes) {
  EXPECT_EQ(SanitizeArtifactName("Add Orders: by-status!"), "add_orders_by_status");
  EXPECT_EQ(SanitizeArtifactName("__init__"), "init");
  EXPECT_EQ(SanitizeArtifactName("caf\xc3\xa9 menu"), "caf_menu");
  EXPECT_EQ(SanitizeArtifactName("!!!"), "migration");
  EXPECT_EQ(SanitizeArtifactName(""), "migration");
  EXPECT_EQ(SanitizeArtifactName(std::string(70, 'a') + " b"), std::string(64, 'a'));
}

TEST(ArtifactNameTest, NumbersFollowTheLargest) {
  EXPECT_EQ(NextArtifactFileName({}, "init"), "0000_init.json");
  EXPECT_EQ(NextArtifactFileName({"0000_init.json", "0001_b.json", "0005_c.json"}, "next"),
            "0006_next.json");
  EXPECT_EQ(NextArtifactFileName({"0002.json", "snapshot.json", "0009_x.txt", "a_0010.json",
                                  "12x_y.json"},
                                 "Next Step"),
            "0003_next_step.json");
  EXPECT_EQ(NextArtifactFileName({"9999_last.json"}, "more"), "10000_more.json");
}

TEST(ArtifactNameTest, LooksInADirectory) {
  const fs::path dir = fs::temp_directory_path() / ("strata-artifact-" + std::to_string(getpid()));
  fs::remove_all(dir);
  EXPECT_EQ(*NextArtifactFileNameIn(dir, "first"), "0000_first.json");  // missing: empty
  fs::create_directories(dir);
  for (const char* name : {"0000_a.json", "0004_b.json", "snapshot.json"}) {
    std::ofstream(dir / name) << "{}";
  }
  EXPECT_EQ(*NextArtifactFileNameIn(dir, "again"), "0005_again.json");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace strata::dynamodb

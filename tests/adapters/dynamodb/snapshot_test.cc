#include "adapters/dynamodb/snapshot.h"

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "adapters/dynamodb/table_dir.h"
#include "tests/adapters/dynamodb/random_table.h"

namespace strata::dynamodb {
namespace {

namespace fs = std::filesystem;
using google::protobuf::TextFormat;
using google::protobuf::util::MessageDifferencer;

constexpr int kRoundTripSchemas = 1000;
const fs::path kTestdata = fs::path(STRATA_TESTDATA_DIR) / "dynamodb";

std::string ErrorOf(std::string_view text) {
  Result<pb::DynamoSchema> r = ParseSnapshot(text, "snapshot.json");
  if (r.ok()) return "OK";
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  return r.status().message();
}

// A directory under the system temp dir, removed at the end of the test.
class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() /
                    ("strata-snapshot-test-" + std::to_string(::getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

TEST(SnapshotTest, HandWrittenMizzleSnapshotLoads) {
  Result<pb::DynamoSchema> schema = ReadSnapshotFile(kTestdata / "mizzle_snapshot.json");
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  pb::DynamoSchema expected;
  ASSERT_TRUE(TextFormat::ParseFromString(R"pb(
    tables { key: "users" value {
      name: "users" key { partition_key: "userId" }
      attributes { name: "email" type: DYNAMO_ATTRIBUTE_TYPE_S }
      attributes { name: "userId" type: DYNAMO_ATTRIBUTE_TYPE_S }
      billing_mode: DYNAMO_BILLING_MODE_PAY_PER_REQUEST
      global_indexes { name: "emailIndex" key { partition_key: "email" }
                       projection { type: DYNAMO_PROJECTION_TYPE_ALL } }
      stream: DYNAMO_STREAM_DISABLED table_class: DYNAMO_TABLE_CLASS_STANDARD } }
    tables { key: "posts" value {
      name: "posts" key { partition_key: "authorId" sort_key: "postedAt" }
      attributes { name: "authorId" type: DYNAMO_ATTRIBUTE_TYPE_S }
      attributes { name: "likes" type: DYNAMO_ATTRIBUTE_TYPE_N }
      attributes { name: "postedAt" type: DYNAMO_ATTRIBUTE_TYPE_N }
      billing_mode: DYNAMO_BILLING_MODE_PROVISIONED
      throughput { read_capacity_units: 5 write_capacity_units: 2 }
      local_indexes { name: "byLikes" sort_key: "likes"
                      projection { type: DYNAMO_PROJECTION_TYPE_INCLUDE
                                   non_key_attributes: "title" } }
      stream: DYNAMO_STREAM_NEW_IMAGE table_class: DYNAMO_TABLE_CLASS_STANDARD } }
    tables { key: "sessions" value {
      name: "sessions" key { partition_key: "token" }
      attributes { name: "token" type: DYNAMO_ATTRIBUTE_TYPE_B }
      billing_mode: DYNAMO_BILLING_MODE_PAY_PER_REQUEST
      ttl_attribute: "expiresAt"
      stream: DYNAMO_STREAM_DISABLED
      table_class: DYNAMO_TABLE_CLASS_STANDARD_INFREQUENT_ACCESS
      tags { key: "owner" value: "auth" } } }
  )pb", &expected));
  EXPECT_TRUE(MessageDifferencer::Equals(expected, *schema)) << schema->DebugString();
}

TEST(SnapshotTest, WritesTablesInNameOrder) {
  pb::DynamoSchema schema;
  for (const char* name : {"zebra", "alpha"}) {
    pb::DynamoTable& t = (*schema.mutable_tables())[name];
    ASSERT_TRUE(TextFormat::ParseFromString(
        R"pb(key { partition_key: "id" } attributes { name: "id" type: DYNAMO_ATTRIBUTE_TYPE_S }
             billing_mode: DYNAMO_BILLING_MODE_PAY_PER_REQUEST stream: DYNAMO_STREAM_DISABLED
             table_class: DYNAMO_TABLE_CLASS_STANDARD)pb",
        &t));
    t.set_name(name);
  }
  nlohmann::ordered_json doc = RenderSnapshot(schema);
  EXPECT_EQ(doc["version"], "1");
  std::vector<std::string> names;
  for (const auto& [name, table] : doc["tables"].items()) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"alpha", "zebra"}));
  EXPECT_EQ(doc["tables"]["alpha"]["TableName"], "alpha");
  EXPECT_EQ(RenderSnapshotText(pb::DynamoSchema()),
            "{\n  \"version\": \"1\",\n  \"tables\": {}\n}\n");
}

TEST(SnapshotPropertyTest, RenderThenParseIsIdentity) {
  for (uint64_t seed = 1; seed <= kRoundTripSchemas; ++seed) {
    testing::RandomTable random(seed);
    pb::DynamoSchema schema;
    for (int i = random.Int(0, 4); i > 0; --i) {
      pb::DynamoTable t = random.Table();
      (*schema.mutable_tables())[t.name()] = t;
    }
    const std::string text = RenderSnapshotText(schema);
    Result<pb::DynamoSchema> back = ParseSnapshot(text, "snapshot.json");
    ASSERT_TRUE(back.ok()) << "seed " << seed << ": " << back.status().ToString();
    ASSERT_TRUE(MessageDifferencer::Equals(schema, *back)) << "seed " << seed << "\n" << text;
  }
}

TEST(SnapshotTest, FileRoundTripThroughATemporaryFile) {
  TempDir dir;
  pb::DynamoSchema schema;
  pb::DynamoTable t = testing::RandomTable(7).Table();
  (*schema.mutable_tables())[t.name()] = t;
  const fs::path path = dir.path() / "snapshot.json";
  ASSERT_TRUE(WriteSnapshotFile(path, schema).ok());
  EXPECT_FALSE(fs::exists(dir.path() / "snapshot.json.tmp"));
  Result<pb::DynamoSchema> back = ReadSnapshotFile(path);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(MessageDifferencer::Equals(schema, *back));
  EXPECT_EQ(*ReadTextFile(path), RenderSnapshotText(schema));
}

TEST(SnapshotTest, MissingFileIsNotFoundAndUnwritablePathIsIoError) {
  EXPECT_EQ(ReadSnapshotFile(kTestdata / "no-snapshot.json").status().code(), Code::kNotFound);
  Status s = WriteSnapshotFile(kTestdata / "no-such-dir" / "snapshot.json", pb::DynamoSchema());
  EXPECT_EQ(s.code(), Code::kIoError);
}

TEST(SnapshotErrorTest, Version) {
  EXPECT_EQ(ErrorOf(R"({"tables": {}})"),
            "snapshot.json:1: snapshot has no \"version\"; expected \"version\": \"1\"");
  EXPECT_EQ(ErrorOf("{\n  \"version\": \"2\",\n  \"tables\": {}\n}"),
            "snapshot.json:2: unsupported snapshot version \"2\"; this strata reads version \"1\"");
  EXPECT_EQ(ErrorOf(R"({"version": 1, "tables": {}})"), "OK");
}

TEST(SnapshotErrorTest, Shape) {
  EXPECT_EQ(ErrorOf("[]"),
            "snapshot.json:1: a snapshot is an object: {\"version\": \"1\", \"tables\": {...}}");
  EXPECT_EQ(ErrorOf(R"({"version": "1"})"),
            "snapshot.json:1: snapshot needs \"tables\": an object of table name -> CreateTable "
            "input");
  EXPECT_EQ(ErrorOf("{\"version\": \"1\",\n \"tables\": {\n \"a/b\": {\n}}}"),
            "snapshot.json:3: CreateTable input is missing TableName");
}

TEST(SnapshotErrorTest, TableNameMustMatchItsKey) {
  EXPECT_EQ(ErrorOf(R"({"version": "1", "tables": {
  "orders": {
    "TableName": "order",
    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]
  }
}})"),
            "snapshot.json:3: TableName \"order\" differs from its key \"orders\" in tables");
}

TEST(SnapshotErrorTest, TableErrorsPointIntoTheSnapshot) {
  EXPECT_EQ(ErrorOf(R"({"version": "1", "tables": {
  "orders": {
    "TableName": "orders",
    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]
  },
  "carts": {
    "TableName": "carts",
    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    "StreamSpecification": {"StreamEnabled": true}
  }
}})"),
            "snapshot.json:11: StreamEnabled is true but StreamViewType is missing; use "
            "KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES");
}

}  // namespace
}  // namespace strata::dynamodb

#include "engine/state/fragments.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "tests/engine/testing/random_dynamo.h"

namespace strata {
namespace {

using google::protobuf::util::MessageDifferencer;

pb::SchemaState Reassemble(const pb::SchemaState& s) {
  pb::SchemaState out;
  for (const auto& [object, bytes] : SplitSchema(s)) {
    EXPECT_TRUE(MergeFragment(bytes, &out).ok());
  }
  return out;
}

TEST(FragmentsTest, DynamoStatesSplitAndMergeBackExactly) {
  for (int seed = 0; seed < 500; ++seed) {
    testing::RandomDynamo rnd(seed);
    pb::SchemaState s;
    s.set_engine(pb::ENGINE_DYNAMODB);
    *s.mutable_dynamodb() = rnd.Schema();
    ASSERT_TRUE(MessageDifferencer::Equals(Reassemble(s), s)) << "seed " << seed;
    for (const auto& [object, bytes] : SplitSchema(s)) {
      if (!object.empty()) {
        EXPECT_TRUE(s.dynamodb().tables().count(object)) << object;
      }
    }
  }
}

TEST(FragmentsTest, GlueTablesAreSeparateFromTheirDatabase) {
  pb::SchemaState s;
  s.set_engine(pb::ENGINE_GLUE);
  auto& db = (*s.mutable_glue()->mutable_databases())["sales"];
  db.set_name("sales");
  db.set_description("sales data");
  (*db.mutable_parameters())["owner"] = "bi";
  for (const char* t : {"orders", "refunds"}) {
    auto& table = (*db.mutable_tables())[t];
    table.set_name(t);
    table.add_columns()->set_name("id");
  }
  auto parts = SplitSchema(s);
  std::vector<std::string> names;
  for (const auto& [object, _] : parts) names.push_back(object);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"sales", "sales.orders", "sales.refunds"}));
  // Table fragments first, then the database row: order must not matter.
  pb::SchemaState out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) ASSERT_TRUE(MergeFragment(it->second, &out).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(out, s));
}

TEST(FragmentsTest, EmptySchemaKeepsItsEngine) {
  pb::SchemaState s;
  s.set_engine(pb::ENGINE_POSTGRES);
  s.mutable_postgres();
  auto parts = SplitSchema(s);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].first, "");
  EXPECT_TRUE(MessageDifferencer::Equals(Reassemble(s), s));
}

TEST(FragmentsTest, GarbageIsCorruption) {
  pb::SchemaState out;
  Status st = MergeFragment(std::string_view("\xff\xff\xff", 3), &out);
  EXPECT_EQ(st.code(), Code::kCorruption);
  EXPECT_EQ(st.message(), "checkpoint fragment does not parse");
}

}  // namespace
}  // namespace strata

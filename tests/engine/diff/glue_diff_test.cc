#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <set>

#include "engine/diff/diff.h"
#include "engine/state/apply.h"
#include "tests/engine/testing/diff_law.h"
#include "tests/engine/testing/random_glue_postgres.h"

namespace strata {
namespace {

using google::protobuf::TextFormat;
using google::protobuf::util::MessageDifferencer;

pb::SchemaState Wrap(const pb::GlueSchema& s) {
  pb::SchemaState state;
  state.set_engine(pb::ENGINE_GLUE);
  *state.mutable_glue() = s;
  return state;
}

using testing::ExpectDiffLaw;

TEST(GlueDiffLaw, ApplyOfDiffGivesTheTargetForRandomPairs) {
  constexpr int kPairs = 3000;
  int non_empty = 0;
  std::set<int> kinds;
  for (int seed = 0; seed < kPairs; ++seed) {
    testing::RandomGlue rnd(seed);
    pb::SchemaState a = Wrap(rnd.Schema());
    pb::SchemaState b = Wrap(rnd.Mutated(a.glue()));
    auto events = ExpectDiffLaw(a, b, "seed " + std::to_string(seed));
    non_empty += !events.empty();
    for (const auto& e : events) kinds.insert(e.glue().kind_case());
    ExpectDiffLaw(b, a, "reverse of seed " + std::to_string(seed));
    auto same = Diff(a, a);
    ASSERT_TRUE(same.ok());
    ASSERT_TRUE(same->empty()) << "seed " << seed << ": Diff(a, a) not empty";
    if (::testing::Test::HasFailure()) FAIL() << "stopping at seed " << seed;
  }
  EXPECT_GT(non_empty, kPairs * 8 / 10);  // the generator really produces changes
  // ... of every kind.
  for (int kind = 1; kind <= pb::GlueChange::kSetBucketing; ++kind) {
    EXPECT_TRUE(kinds.count(kind)) << "no diff produced GlueChange kind " << kind;
  }
}

TEST(GlueDiffLaw, FromAndToTheEmptySchema) {
  for (int seed = 0; seed < 200; ++seed) {
    testing::RandomGlue rnd(seed);
    pb::SchemaState a = Wrap(rnd.Schema());
    ExpectDiffLaw(Wrap(pb::GlueSchema()), a, "create seed " + std::to_string(seed));
    ExpectDiffLaw(a, Wrap(pb::GlueSchema()), "drop seed " + std::to_string(seed));
    // A schema that never saw an event takes its engine from the first one.
    if (!a.glue().databases().empty()) ExpectDiffLaw(pb::SchemaState(), a, "from nothing");
  }
}

constexpr char kOrders[] = R"(
  name: "orders"
  columns { name: "id" type: "bigint" }
  columns { name: "customer" type: "string" }
  columns { name: "amount" type: "double" }
  partition_keys { name: "dt" type: "string" }
  location: "s3://lake/orders/" table_type: "EXTERNAL_TABLE"
  serde { serialization_library: "json" parameters { key: "a" value: "1" } }
  parameters { key: "classification" value: "json" }
  parameters { key: "owner" value: "bi" })";

class GlueDiffTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(TextFormat::ParseFromString(kOrders, &orders_)); }

  static pb::SchemaState WithTable(const pb::GlueTable& t) {
    pb::GlueSchema s;
    auto& db = (*s.mutable_databases())["sales"];
    db.set_name("sales");
    (*db.mutable_tables())[t.name()] = t;
    return Wrap(s);
  }
  // The events turning orders_ into `b`, after checking the law on them.
  std::vector<pb::GlueChange> DiffTo(const pb::GlueTable& b) {
    ExpectDiffLaw(WithTable(orders_), WithTable(b), "unit");
    std::vector<pb::GlueChange> out;
    auto events = Diff(WithTable(orders_), WithTable(b));
    for (const auto& e : *events) out.push_back(e.glue());
    return out;
  }
  pb::GlueTable orders_;
};

TEST_F(GlueDiffTest, ColumnTypeChangeIsOneAlterColumn) {
  pb::GlueTable b = orders_;
  b.mutable_columns(1)->set_type("bigint");
  auto events = DiffTo(b);
  ASSERT_EQ(events.size(), 1u);
  ASSERT_TRUE(events[0].has_alter_column());
  EXPECT_EQ(events[0].alter_column().column().name(), "customer");
  EXPECT_EQ(events[0].alter_column().column().type(), "bigint");
}

TEST_F(GlueDiffTest, NewColumnIsInsertedAtItsPosition) {
  pb::GlueTable b = orders_;
  pb::GlueColumn status;
  status.set_name("status");
  status.set_type("string");
  *b.add_columns() = status;
  b.mutable_columns()->SwapElements(3, 2);
  b.mutable_columns()->SwapElements(2, 1);  // id, status, customer, amount
  auto events = DiffTo(b);
  ASSERT_EQ(events.size(), 1u);
  ASSERT_TRUE(events[0].has_add_column());
  EXPECT_EQ(events[0].add_column().position(), 1u);
}

TEST_F(GlueDiffTest, SwappedColumnsAreOneReorder) {
  pb::GlueTable b = orders_;
  b.mutable_columns()->SwapElements(0, 2);
  auto events = DiffTo(b);
  ASSERT_EQ(events.size(), 1u);
  ASSERT_TRUE(events[0].has_reorder_columns());
  EXPECT_EQ(std::vector<std::string>(events[0].reorder_columns().columns().begin(),
                                     events[0].reorder_columns().columns().end()),
            (std::vector<std::string>{"amount", "customer", "id"}));
}

TEST_F(GlueDiffTest, ADroppedColumnNeedsNoReorder) {
  pb::GlueTable b = orders_;
  b.mutable_columns()->DeleteSubrange(1, 1);
  auto events = DiffTo(b);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].drop_column().column(), "customer");
}

TEST_F(GlueDiffTest, ColumnMovedIntoThePartitionDropsItFirst) {
  pb::GlueTable b = orders_;
  *b.add_partition_keys() = b.columns(2);
  b.mutable_columns()->RemoveLast();
  auto events = DiffTo(b);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].drop_column().column(), "amount");
  EXPECT_EQ(events[1].set_partition_keys().partition_keys_size(), 2);
}

TEST_F(GlueDiffTest, ParametersAndSerDeUseTheirOwnEvents) {
  pb::GlueTable b = orders_;
  b.mutable_parameters()->erase("owner");
  (*b.mutable_parameters())["classification"] = "parquet";
  (*b.mutable_serde()->mutable_parameters())["a"] = "2";
  auto events = DiffTo(b);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].set_serde().serde().parameters().at("a"), "2");
  EXPECT_EQ(events[1].set_table_parameter().key(), "classification");
  EXPECT_EQ(events[1].set_table_parameter().value(), "parquet");
  EXPECT_EQ(events[2].remove_table_parameter().key(), "owner");
}

TEST_F(GlueDiffTest, BucketingIsOneEventCarryingTheWholeTargetBucketing) {
  pb::GlueTable b = orders_;
  b.add_bucket_columns("customer");
  b.set_num_buckets(8);
  pb::GlueSortColumn* sort = b.add_sort_columns();
  sort->set_column("amount");
  sort->set_descending(true);
  auto events = DiffTo(b);
  ASSERT_EQ(events.size(), 1u);
  ASSERT_TRUE(events[0].has_set_bucketing());
  EXPECT_EQ(events[0].set_bucketing().table(), "orders");
  EXPECT_EQ(events[0].set_bucketing().num_buckets(), 8);
  EXPECT_EQ(events[0].set_bucketing().bucket_columns(0), "customer");
  EXPECT_TRUE(events[0].set_bucketing().sort_columns(0).descending());

  // Only the direction of a sort column differs: still a difference.
  orders_ = b;
  b.mutable_sort_columns(0)->set_descending(false);
  events = DiffTo(b);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_FALSE(events[0].set_bucketing().sort_columns(0).descending());

  // No bucketing at all: an event with nothing in it.
  pb::GlueTable none = orders_;
  none.clear_bucket_columns();
  none.clear_sort_columns();
  none.set_num_buckets(0);
  events = DiffTo(none);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].set_bucketing().bucket_columns_size(), 0);
  EXPECT_EQ(events[0].set_bucketing().num_buckets(), 0);
}

TEST_F(GlueDiffTest, DroppingABucketColumnDropsItAndTheBucketing) {
  orders_.add_bucket_columns("amount");
  orders_.set_num_buckets(4);
  pb::GlueTable b = orders_;
  b.mutable_columns()->RemoveLast();
  b.clear_bucket_columns();
  b.set_num_buckets(0);
  auto events = DiffTo(b);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].drop_column().column(), "amount");
  EXPECT_TRUE(events[1].has_set_bucketing());
}

TEST(GlueDiff, DroppedDatabaseIsOneEventAndNewDatabaseCreatesItsTables) {
  pb::GlueSchema a, b;
  auto& old_db = (*a.mutable_databases())["old"];
  old_db.set_name("old");
  (*old_db.mutable_tables())["t"].set_name("t");
  auto& new_db = (*b.mutable_databases())["new"];
  new_db.set_name("new");
  new_db.set_description("fresh");
  (*new_db.mutable_tables())["u"].set_name("u");
  auto events = *Diff(Wrap(a), Wrap(b));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].glue().create_database().database().description(), "fresh");
  EXPECT_TRUE(events[0].glue().create_database().database().tables().empty());
  EXPECT_EQ(events[1].glue().create_table().table().name(), "u");
  EXPECT_EQ(events[2].glue().drop_database().database(), "old");
}

}  // namespace
}  // namespace strata

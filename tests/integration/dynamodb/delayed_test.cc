// Through the fault proxy in DynamoDB mode in front of moto, where a new table stays CREATING,
// a new global index CREATING (and a deleted one DELETING) for seconds, and a second index change
// on a table while one is in progress is refused, as on the real service (moto alone is ACTIVE
// at once and takes any number of index changes): the waits between index steps really happen,
// and a run that does not wait leaves work pending that a later run resumes. Without the waits
// these tests fail on the service's refusals (ResourceInUseException for a table being created,
// LimitExceededException for a second index change).
#include <gtest/gtest.h>

#include "adapters/dynamodb/execute.h"
#include "adapters/dynamodb/introspect.h"
#include "adapters/dynamodb/plan.h"
#include "engine/state/canonical.h"
#include "integration/dynamodb/moto_dynamodb.h"
#include "tests/adapters/dynamodb/test_tables.h"

namespace strata::dynamodb {
namespace {

using strata::testing::DynamoDbProxy;
using strata::testing::RealClock;
using strata::testing::TestDynamoDb;
using strata::testing::UniqueTable;
using strata::dynamodb::testing::SimpleTable;
using strata::dynamodb::testing::AddGlobalIndex;

void AddIndex(pb::DynamoTable* t, const std::string& name, const std::string& key) {
  AddGlobalIndex(t, name, key, pb::DYNAMO_PROJECTION_TYPE_KEYS_ONLY);
}

class DelayedDynamoDb : public ::testing::Test {
 protected:
  DynamoDbProxy proxy_;
  TestDynamoDb ddb_{proxy_.url()};
  RealClock clock_;
  std::vector<std::string> waits_;

  Plan PlanFor(const pb::DynamoTable& desired) {
    IntrospectOptions only;
    only.only = std::vector<std::string>{desired.name()};
    auto live = ListLiveTables(ddb_, only);
    EXPECT_TRUE(live.ok()) << live.status().ToString();
    pb::DynamoSchema schema;
    (*schema.mutable_tables())[desired.name()] = desired;
    PlanOptions options;
    options.managed = {desired.name()};
    auto plan = PlanChanges(live.ok() ? *live : std::vector<LiveTable>{}, schema, options);
    EXPECT_TRUE(plan.ok()) << plan.status().ToString();
    return plan.ok() ? *plan : Plan{};
  }

  ExecuteReport Run(const pb::DynamoTable& desired, bool wait) {
    ExecuteOptions options = clock_.Execute(wait);
    options.progress = [this](const ProgressEvent& e) {
      if (e.phase == "waiting") waits_.push_back(e.summary);
    };
    ExecuteReport r = Execute(ddb_, PlanFor(desired), options);
    EXPECT_TRUE(r.status.ok()) << r.status.ToString();
    return r;
  }

  std::string IndexStatus(const std::string& table, const std::string& index) {
    auto live = DescribeLiveTable(ddb_, table);
    if (!live.ok() || !live->has_value()) return "missing table";
    auto it = (*live)->index_status.find(index);
    return it == (*live)->index_status.end() ? "none" : it->second;
  }
};

TEST_F(DelayedDynamoDb, AddsAndRemovesGlobalIndexesOneByOneWaitingForEach) {
  pb::DynamoTable t = SimpleTable(UniqueTable("delayed_gsi"));
  Run(t, true);  // waits while the table is CREATING
  waits_.clear();
  clock_.sleeps = 0;
  pb::DynamoTable two = t;
  AddIndex(&two, "by_a", "a");
  AddIndex(&two, "by_b", "b");
  ExecuteReport r = Run(two, true);
  EXPECT_EQ(r.done, (std::vector<std::string>{t.name() + ": add global index by_a",
                                              t.name() + ": add global index by_b"}));
  EXPECT_GT(clock_.sleeps, 0);
  ASSERT_FALSE(waits_.empty());
  EXPECT_EQ(waits_[0], "waiting for table " + t.name() + " to be ACTIVE (now ACTIVE; index by_a CREATING)");
  EXPECT_EQ(IndexStatus(t.name(), "by_a"), "ACTIVE");
  EXPECT_EQ(IndexStatus(t.name(), "by_b"), "ACTIVE");
  EXPECT_TRUE(PlanFor(two).empty());

  waits_.clear();
  r = Run(t, true);
  EXPECT_EQ(r.done, (std::vector<std::string>{t.name() + ": delete global index by_a",
                                              t.name() + ": delete global index by_b"}));
  ASSERT_FALSE(waits_.empty());
  EXPECT_EQ(waits_[0], "waiting for table " + t.name() + " to be ACTIVE (now ACTIVE; index by_a DELETING)");
  EXPECT_TRUE(PlanFor(t).empty());
  EXPECT_TRUE(DropTables(ddb_, {t.name()}, clock_.Drop(false)).status.ok());
}

TEST_F(DelayedDynamoDb, NoWaitLeavesWorkPendingAndALaterRunResumesIt) {
  pb::DynamoTable t = SimpleTable(UniqueTable("delayed_resume"));
  Run(t, true);  // waits while the table is CREATING
  clock_.sleeps = 0;
  pb::DynamoTable two = t;
  AddIndex(&two, "by_a", "a");
  AddIndex(&two, "by_b", "b");

  ExecuteReport r = Run(two, false);
  EXPECT_EQ(r.done, (std::vector<std::string>{t.name() + ": add global index by_a"}));
  EXPECT_EQ(r.pending, (std::vector<std::string>{t.name()}));
  EXPECT_EQ(clock_.sleeps, 0);
  EXPECT_EQ(IndexStatus(t.name(), "by_a"), "CREATING");

  // While by_a is still being built, a run that does not wait issues nothing.
  r = Run(two, false);
  EXPECT_TRUE(r.done.empty());
  EXPECT_EQ(r.pending, (std::vector<std::string>{t.name()}));

  // A waiting run waits for by_a, then adds by_b.
  r = Run(two, true);
  EXPECT_EQ(r.done, (std::vector<std::string>{t.name() + ": add global index by_b"}));
  EXPECT_TRUE(r.pending.empty());
  EXPECT_GT(clock_.sleeps, 0);
  EXPECT_TRUE(PlanFor(two).empty());
  EXPECT_TRUE(DropTables(ddb_, {t.name()}, clock_.Drop(false)).status.ok());
}

}  // namespace
}  // namespace strata::dynamodb

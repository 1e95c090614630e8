// Contributor insights and Kinesis streaming destinations. moto answers every one of these
// calls with an HTTP 500 HTML page, so the fault proxy in DynamoDB mode answers them as the
// service documents (tests/support/fault_proxy.py, class Streaming): each change passes
// through ENABLING, UPDATING or DISABLING for the proxy's delay and another change of the same
// insights or stream is refused meanwhile. Against moto alone the settings are left alone with
// a note. Plan order and FAILED / ENABLE_FAILED are covered with the fake in
// tests/adapters/dynamodb/execute_test.cc and plan_test.cc.
#include <gtest/gtest.h>

#include "adapters/dynamodb/execute.h"
#include "adapters/dynamodb/introspect.h"
#include "adapters/dynamodb/plan.h"
#include "integration/dynamodb/moto_dynamodb.h"
#include "tests/adapters/dynamodb/test_tables.h"

namespace strata::dynamodb {
namespace {

using nlohmann::json;
using strata::dynamodb::testing::SchemaOfTables;
using strata::dynamodb::testing::SimpleTable;
using strata::testing::DynamoDbProxy;
using strata::testing::MustCall;
using strata::testing::RealClock;
using strata::testing::TestDynamoDb;
using strata::testing::UniqueTable;

const std::string kStreamA = "arn:aws:kinesis:us-east-1:123456789012:stream/orders-a";
const std::string kStreamB = "arn:aws:kinesis:us-east-1:123456789012:stream/orders-b";

class StreamingSettings : public ::testing::Test {
 protected:
  explicit StreamingSettings(double delay = 1) : proxy_({.delay_seconds = delay}) {}

  DynamoDbProxy proxy_;
  TestDynamoDb ddb_{proxy_.url()};
  RealClock clock_;

  Plan PlanFor(aws::JsonService& ddb, const pb::DynamoTable& t) {
    return strata::testing::PlanTable(ddb, t);
  }

  // Plans and executes `t`, checks that planning again finds nothing, returns what was done.
  std::vector<std::string> Reach(const pb::DynamoTable& t) {
    return strata::testing::ReachTable(ddb_, clock_, t);
  }

  // What the proxy shows for the table's insights and streams right now.
  json Shown(const std::string& table) {
    json state = proxy_.State();
    return state.is_object() ? state["streaming"].value(table, json::object()) : json();
  }

  static pb::DynamoTable WithIndex(const std::string& name) {
    pb::DynamoTable t = SimpleTable(name);
    auto* g = t.add_global_indexes();
    g->set_name("by_pk");
    g->mutable_key()->set_partition_key(t.key().partition_key());
    g->mutable_projection()->set_type(pb::DYNAMO_PROJECTION_TYPE_ALL);
    return t;
  }
  static void Stream(pb::DynamoTable* t, const std::string& arn, pb::DynamoTimestampPrecision p) {
    auto* d = t->add_kinesis_destinations();
    d->set_stream_arn(arn);
    d->set_precision(p);
  }
};

// Every step is waited for: right after each apply the proxy already shows the final status
// (it shows ENABLING/UPDATING/DISABLING for a second after each change).
TEST_F(StreamingSettings, InsightsAndDestinationsAreCreatedChangedAndRemovedWaitingForEach) {
  pb::DynamoTable t = WithIndex(UniqueTable("insights"));
  const std::string n = t.name();
  t.mutable_contributor_insights()->set_mode(pb::DYNAMO_CONTRIBUTOR_INSIGHTS_THROTTLED_KEYS);
  t.mutable_global_indexes(0)->mutable_contributor_insights()->set_mode(
      pb::DYNAMO_CONTRIBUTOR_INSIGHTS_ACCESSED_AND_THROTTLED_KEYS);
  Stream(&t, kStreamA, pb::DYNAMO_TIMESTAMP_PRECISION_MILLISECOND);
  Stream(&t, kStreamB, pb::DYNAMO_TIMESTAMP_PRECISION_MICROSECOND);
  EXPECT_EQ(Reach(t),
            (std::vector<std::string>{
                n + ": create table " + n,
                n + ": turn on contributor insights (THROTTLED_KEYS)",
                n + ": turn on contributor insights of global index by_pk "
                    "(ACCESSED_AND_THROTTLED_KEYS)",
                n + ": start streaming to Kinesis stream " + kStreamA + " (MILLISECOND timestamps)",
                n + ": start streaming to Kinesis stream " + kStreamB +
                    " (MICROSECOND timestamps)"}));
  EXPECT_EQ(Shown(n), json::parse(R"({"insights": {"": "ENABLED", "by_pk": "ENABLED"},
      "kinesis": {")" + kStreamA + R"(": "ACTIVE", ")" + kStreamB + R"(": "ACTIVE"}})"));
  auto live = DescribeLiveTable(ddb_, n);
  ASSERT_TRUE(live.ok() && live->has_value());
  EXPECT_EQ((*live)->table.contributor_insights().mode(),
            pb::DYNAMO_CONTRIBUTOR_INSIGHTS_THROTTLED_KEYS);
  ASSERT_EQ((*live)->table.kinesis_destinations_size(), 2);
  EXPECT_EQ((*live)->table.kinesis_destinations(1).precision(),
            pb::DYNAMO_TIMESTAMP_PRECISION_MICROSECOND);

  t.mutable_contributor_insights()->set_mode(
      pb::DYNAMO_CONTRIBUTOR_INSIGHTS_ACCESSED_AND_THROTTLED_KEYS);
  t.mutable_global_indexes(0)->clear_contributor_insights();
  t.mutable_kinesis_destinations(0)->set_precision(pb::DYNAMO_TIMESTAMP_PRECISION_MICROSECOND);
  t.mutable_kinesis_destinations()->RemoveLast();
  EXPECT_EQ(Reach(t),
            (std::vector<std::string>{
                n + ": switch contributor insights from THROTTLED_KEYS to "
                    "ACCESSED_AND_THROTTLED_KEYS",
                n + ": turn off contributor insights of global index by_pk",
                n + ": stop streaming to Kinesis stream " + kStreamB,
                n + ": set the timestamp precision of Kinesis stream " + kStreamA +
                    " to MICROSECOND"}));
  EXPECT_EQ(Shown(n), json::parse(R"({"insights": {"": "ENABLED", "by_pk": "DISABLED"},
      "kinesis": {")" + kStreamA + R"(": "ACTIVE", ")" + kStreamB + R"(": "DISABLED"}})"));
}

// A change made behind strata's back shows in the next plan (what drift and import read).
TEST_F(StreamingSettings, ChangesMadeOutsideStrataArePlannedBack) {
  pb::DynamoTable t = SimpleTable(UniqueTable("drift"));
  const std::string n = t.name();
  Reach(t);
  MustCall(ddb_, "UpdateContributorInsights",
           {{"TableName", n}, {"ContributorInsightsAction", "ENABLE"}});
  MustCall(ddb_, "EnableKinesisStreamingDestination", {{"TableName", n}, {"StreamArn", kStreamA}});
  Plan plan = PlanFor(ddb_, t);
  ASSERT_EQ(plan.tables.size(), 1u);
  std::vector<std::string> planned;
  for (const auto& op : plan.tables[0].operations) planned.push_back(op.summary);
  EXPECT_EQ(planned, (std::vector<std::string>{"turn off contributor insights",
                                               "stop streaming to Kinesis stream " + kStreamA}));
  // The proxy refuses what the service refuses: a bad ARN, and enabling a stream twice.
  aws::ServiceError error;
  auto bad = ddb_.Call("EnableKinesisStreamingDestination",
                       {{"TableName", n}, {"StreamArn", "arn:aws:sqs:us-east-1:1:q"}}, &error);
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(error.code, "ValidationException");
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));  // ENABLING is over
  auto twice = ddb_.Call("EnableKinesisStreamingDestination",
                         {{"TableName", n}, {"StreamArn", kStreamA}}, &error);
  EXPECT_FALSE(twice.ok());
  EXPECT_EQ(error.code, "ValidationException");
  auto missing = ddb_.Call("DescribeContributorInsights", {{"TableName", n + "_nope"}}, &error);
  EXPECT_FALSE(missing.ok());
  EXPECT_EQ(error.code, "ResourceNotFoundException");
}

// moto alone has neither API (an HTML error page): a table asking for them is created, the
// calls are left out with a note, and planning leaves the settings alone from then on.
TEST_F(StreamingSettings, AMotoTargetLeavesThemAloneWithNotes) {
  TestDynamoDb moto;
  pb::DynamoTable t = SimpleTable(UniqueTable("plain_moto"));
  t.mutable_contributor_insights()->set_mode(pb::DYNAMO_CONTRIBUTOR_INSIGHTS_THROTTLED_KEYS);
  Stream(&t, kStreamA, pb::DYNAMO_TIMESTAMP_PRECISION_MILLISECOND);
  ExecuteReport r = Execute(moto, PlanFor(moto, t), clock_.Execute());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.notes.size(), 2u);
  for (const auto& note : r.notes) {
    EXPECT_NE(note.find("the target does not support"), std::string::npos) << note;
  }
  t.clear_contributor_insights();  // any change of them is left alone too
  Plan plan = PlanFor(moto, t);
  EXPECT_TRUE(plan.empty());
  auto live = DescribeLiveTable(moto, t.name());
  ASSERT_TRUE(live.ok() && live->has_value());
  EXPECT_FALSE((*live)->insights_supported);
  EXPECT_FALSE((*live)->kinesis_supported);
}

}  // namespace
}  // namespace strata::dynamodb

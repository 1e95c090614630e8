#include "adapters/dynamodb/wait.h"

#include <gtest/gtest.h>

#include "tests/adapters/dynamodb/fake_dynamodb.h"

namespace strata::dynamodb {
namespace {

using nlohmann::json;

json Table() {
  return json::parse(R"({"TableName":"orders","BillingMode":"PAY_PER_REQUEST",
    "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
    "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}]})");
}

struct Clock {
  int64_t now = 0;
  std::vector<std::string> heard;
  Waiter Make(int64_t timeout_ms = 60'000) {
    Waiter w;
    w.poll_interval_ms = 1000;
    w.timeout_ms = timeout_ms;
    w.sleep = [this](int64_t ms) { now += ms; };
    w.now_ms = [this] { return now; };
    w.on_wait = [this](const std::string& what) { heard.push_back(what); };
    return w;
  }
};

TEST(TableProgress, NamesBusyIndexes) {
  strata::testing::FakeDynamoDb ddb;
  ddb.Seed(Table());
  ddb.Edit("orders", [](json& d) {
    d["TableStatus"] = "UPDATING";
    d["GlobalSecondaryIndexes"] = json::parse(
        R"([{"IndexName":"a","IndexStatus":"ACTIVE"},{"IndexName":"b","IndexStatus":"CREATING"}])");
  });
  auto p = TableProgress(ddb, "orders");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->value(), "UPDATING; index b CREATING");
  auto missing = TableProgress(ddb, "other");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST(WaitUntilReady, PollsUntilActiveAndReportsChangesOnce) {
  strata::testing::FakeDynamoDb ddb;
  ddb.transient_describes = 4;
  ddb.Seed(Table());
  ddb.Edit("orders", [](json& d) { d["TableStatus"] = "ACTIVE"; });
  ASSERT_TRUE(ddb.Call("UpdateTable", {{"TableName", "orders"}, {"BillingMode", "PROVISIONED"},
                                       {"ProvisionedThroughput",
                                        {{"ReadCapacityUnits", 1}, {"WriteCapacityUnits", 1}}}},
                       nullptr)
                  .ok());
  Clock clock;
  ASSERT_TRUE(WaitUntilReady(ddb, "orders", clock.Make()).ok());
  EXPECT_EQ(clock.now, 4000) << "four polls saw UPDATING, the fifth ACTIVE";
  EXPECT_EQ(clock.heard,
            (std::vector<std::string>{"waiting for table orders to be ACTIVE (now UPDATING)"}));
}

TEST(WaitUntilReady, MissingTableIsNotFound) {
  strata::testing::FakeDynamoDb ddb;
  Clock clock;
  Status s = WaitUntilReady(ddb, "orders", clock.Make());
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.message(), "table orders disappeared while waiting for it to be ACTIVE");
}

TEST(WaitUntilGone, PollsUntilTheTableIsGoneAndTimesOut) {
  strata::testing::FakeDynamoDb ddb;
  ddb.Seed(Table());
  Clock clock;
  Status s = WaitUntilGone(ddb, "orders", clock.Make(5000));
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "gave up after 5 s waiting for table orders to be deleted (it is ACTIVE); run again "
            "to resume");
  ASSERT_TRUE(ddb.Call("DeleteTable", {{"TableName", "orders"}}, nullptr).ok());
  EXPECT_TRUE(WaitUntilGone(ddb, "orders", clock.Make()).ok());
}

}  // namespace
}  // namespace strata::dynamodb

// Global table replicas (version 2019.11.21) through the strata binary. moto ignores
// UpdateTable's ReplicaUpdates, so the fault proxy plays the service (tests/support/
// fault_proxy.py): it keeps the replicas, lists them in DescribeTable CREATING or DELETING for
// its delay, refuses a second replica change while one is in progress, more than one replica
// Create or Delete per call, the local region, and DeleteTable on a table with replicas.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "integration/dynamodb/cli_fixture.h"

namespace strata::testing {
namespace {

using json = nlohmann::json;

class CliReplicaTest : public DynamoCliTest {
 protected:
  CliReplicaTest() : DynamoCliTest({.delay_seconds = 1}) {}

  std::string Orders(const std::string& replicas) {
    return "table: " + T("orders") +
           "\npartition_key: { name: pk, type: S }\nstream: new_and_old_images\n" + replicas;
  }
  // Region -> status, as the proxy reports the table's replicas.
  json Replicas() { return proxy_.State()["replicas"].value(T("orders"), json::object()); }
};

TEST_F(CliReplicaTest, TwoReplicasAreAddedOneByOneReadBackAndOneIsRemovedWithConsent) {
  WriteFile("schema/dynamodb/orders.yaml",
            Orders("replicas:\n  - region: eu-west-1\n  - region: us-west-2\n    max_read: 400\n"));
  ASSERT_EQ(Strata({"generate", "-m", "orders everywhere"}).code, 0);
  StrataRun plan = Strata({"plan", "--target", "local"});
  ASSERT_EQ(plan.code, 0) << plan;
  EXPECT_TRUE(Contains(plan.out, "add replica eu-west-1")) << plan;
  EXPECT_TRUE(Contains(plan.out, "add replica us-west-2 (max 400 read request units)")) << plan;

  // Two replica calls with a wait between them: the proxy refuses the second while the first
  // replica (and the table) is still being updated, so the apply only passes if it waits.
  StrataRun applied = Strata({"apply", "--target", "local", "--auto-approve"});
  ASSERT_EQ(applied.code, 0) << applied;
  EXPECT_EQ(Replicas(), (json{{"eu-west-1", "ACTIVE"}, {"us-west-2", "ACTIVE"}}));
  const json described = Must("DescribeTable", {{"TableName", T("orders")}})["Table"];
  EXPECT_EQ(described["GlobalTableVersion"], "2019.11.21");
  EXPECT_EQ(described["Replicas"][1]["OnDemandThroughputOverride"]["MaxReadRequestUnits"], 400);

  StrataRun again = Strata({"plan", "--target", "local", "--detailed-exitcode"});
  EXPECT_EQ(again.code, 0) << again;
  EXPECT_EQ(Strata({"drift", "--target", "local"}).code, 0);
  StrataRun shown = Strata({"show", T("orders")});
  EXPECT_TRUE(Contains(shown.out, "us-west-2")) << shown;

  // Remove one: blocked until consent names it, then one Delete and a wait until it is gone.
  WriteFile("schema/dynamodb/orders.yaml", Orders("replicas:\n  - region: eu-west-1\n"));
  ASSERT_EQ(Strata({"generate", "-m", "not in Oregon"}).code, 0);
  StrataRun refused = Strata({"apply", "--target", "local", "--auto-approve"});
  EXPECT_EQ(refused.code, 1) << refused;
  const std::string flag = "--allow-replica-removal " + T("orders") + ":us-west-2";
  ASSERT_TRUE(Contains(refused.err, flag)) << refused;
  EXPECT_EQ(Replicas(), (json{{"eu-west-1", "ACTIVE"}, {"us-west-2", "ACTIVE"}}));
  StrataRun removed = Strata({"apply", "--target", "local", "--auto-approve",
                              "--allow-replica-removal", T("orders") + ":us-west-2"});
  ASSERT_EQ(removed.code, 0) << removed;
  EXPECT_EQ(Replicas(), (json{{"eu-west-1", "ACTIVE"}}));
  EXPECT_EQ(Strata({"plan", "--target", "local", "--detailed-exitcode"}).code, 0);
}

TEST_F(CliReplicaTest, ATableWithReplicasIsDeletedOnlyByFollowingThePrintedAdvice) {
  WriteFile("schema/dynamodb/orders.yaml",
            Orders("replicas:\n  - region: eu-west-1\n  - region: ap-south-1\n"));
  ASSERT_EQ(Strata({"push", "--target", "local", "--auto-approve"}).code, 0);
  ASSERT_EQ(Replicas().size(), 2u);
  std::filesystem::remove(std::filesystem::path(work_.path()) / "schema/dynamodb/orders.yaml");
  ASSERT_EQ(Strata({"generate", "-m", "retire orders"}).code, 0);

  std::vector<std::string> command = {"apply", "--target", "local", "--auto-approve"};
  StrataRun refused = Strata(command);
  EXPECT_EQ(refused.code, 1) << refused;
  const std::string advice = "allow it with ";
  ASSERT_TRUE(Contains(refused.err, advice + "--allow-replica-removal " + T("orders")))
      << refused;
  EXPECT_TRUE(Exists(T("orders")));
  EXPECT_EQ(Replicas().size(), 2u);

  // The flag and table exactly as printed; it is also the consent to the delete itself.
  const std::string printed = refused.err.substr(refused.err.find(advice) + advice.size());
  const std::string flag = printed.substr(0, printed.find(' '));
  const std::string table = printed.substr(flag.size() + 1, T("orders").size());
  command.push_back(flag);
  command.push_back(table);
  StrataRun done = Strata(command);
  ASSERT_EQ(done.code, 0) << done;
  EXPECT_FALSE(Exists(T("orders")));
  EXPECT_TRUE(Contains(done.out + done.err, "remove replica ap-south-1 to delete the table"))
      << done;
}

TEST_F(CliReplicaTest, ImportReadsReplicasAndTheLocalRegionIsRefused) {
  WriteFile("schema/dynamodb/orders.yaml", Orders(""));
  ASSERT_EQ(Strata({"push", "--target", "local", "--auto-approve"}).code, 0);
  // A replica added behind strata's back, as the console would.
  Must("UpdateTable", {{"TableName", T("orders")},
                       {"ReplicaUpdates", {{{"Create", {{"RegionName", "eu-central-1"}}}}}}});
  StrataRun drift = Strata({"drift", "--target", "local"});
  EXPECT_EQ(drift.code, 3) << drift;
  EXPECT_TRUE(Contains(drift.out + drift.err, "eu-central-1")) << drift;
  StrataRun imported = Strata({"import", "--target", "local", T("orders")});
  ASSERT_EQ(imported.code, 0) << imported;
  StrataRun shown = Strata({"show", T("orders")});
  EXPECT_TRUE(Contains(shown.out, "eu-central-1")) << shown;

  // The target's own region in the file: blocked before anything is sent.
  WriteFile("schema/dynamodb/orders.yaml",
            Orders("replicas:\n  - region: eu-central-1\n  - region: us-east-1\n"));
  ASSERT_EQ(Strata({"generate", "-m", "a replica at home"}).code, 0);
  StrataRun plan = Strata({"apply", "--target", "local", "--auto-approve"});
  EXPECT_EQ(plan.code, 1) << plan;
  EXPECT_TRUE(Contains(plan.err, "lists a replica in us-east-1, the target's own region")) << plan;
  EXPECT_EQ(Replicas().size(), 1u);
  // The service's refusal, played by the proxy, for a client that sends it anyway (once the
  // replica made above is no longer being created).
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  auto direct = Call("UpdateTable", {{"TableName", T("orders")},
                                     {"ReplicaUpdates", {{{"Create", {{"RegionName", "us-east-1"}}}}}}});
  ASSERT_FALSE(direct.ok());
  EXPECT_TRUE(Contains(direct.status().ToString(), "Cannot add, delete, or update the local region"))
      << direct.status().ToString();
}

}  // namespace
}  // namespace strata::testing

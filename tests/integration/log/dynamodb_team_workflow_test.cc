// The team workflow (team_workflow.h) on a DynamoDB log on moto, through a serializing proxy:
// a local history pushed with one command, two checkouts recording at once, one history.
#include <gtest/gtest.h>

#include "integration/log/dynamodb_test_support.h"
#include "integration/log/team_workflow.h"

namespace strata {
namespace {

TEST(DynamoTeamWorkflowTest, PushThenTwoCheckoutsRecordingAtOnceKeepOneVerifiedHistory) {
  strata::testing::SerializingProxy proxy;
  const std::string table = strata::testing::UniqueTable("team");
  strata::testing::TeamWorkflow team(strata::testing::StrataAwsEnvironment());
  team.Run(strata::testing::LogUrl(table, "shop", proxy.url()));
  strata::testing::DropLogTable(table);
}

}  // namespace
}  // namespace strata

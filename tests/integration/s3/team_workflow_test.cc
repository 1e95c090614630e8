// The team workflow (integration/log/team_workflow.h) on an S3 log on moto, through a
// serializing proxy: a local history pushed with one command, two checkouts recording at once,
// one history.
#include <gtest/gtest.h>

#include "integration/log/team_workflow.h"
#include "integration/s3/s3_log_fixture.h"

namespace strata {
namespace {

TEST(S3TeamWorkflowTest, PushThenTwoCheckoutsRecordingAtOnceKeepOneVerifiedHistory) {
  strata::testing::S3LogPlace place;
  strata::testing::TeamWorkflow team(place.Environment());
  team.Run(place.Url());
}

}  // namespace
}  // namespace strata

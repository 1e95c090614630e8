// The team workflow (integration/log/team_workflow.h) on an S3 log on moto, through a
// serializing proxy: a local history pushed with one command, two checkouts recording at once,
// one history.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "integration/log/team_workflow.h"
#include "integration/s3/s3_log_fixture.h"

namespace strata {
namespace {

TEST(S3TeamWorkflowTest, PushThenTwoCheckoutsRecordingAtOnceKeepOneVerifiedHistory) {
  strata::testing::S3LogPlace place;
  strata::testing::TeamWorkflow team(place.Environment());
  team.Run(place.Url());
}

// `log push` to a store that cannot hold a log copies nothing and leaves strata.yaml alone: an
// endpoint that ignores If-None-Match (a log there would fork), and a bucket that does not exist.
TEST(S3TeamWorkflowTest, PushRefusesAStoreThatIgnoresConditionsOrIsMissingAndCopiesNothing) {
  strata::testing::S3LogPlace ignoring({"--serialize", "--s3-ignore-if-none-match"});
  strata::testing::TeamWorkflow team(ignoring.Environment());
  strata::testing::TempDir a;
  team.MakeCheckout(a, ".strata");
  ASSERT_EQ(team.In(a, {"generate", "-m", "shop tables"}).code, 0);
  const std::string yaml = a / "strata.yaml";
  auto text = [&] {
    std::ifstream in(yaml);
    return std::string((std::istreambuf_iterator<char>(in)), {});
  };
  const std::string before = text();

  auto refused = team.In(a, {"log", "push", ignoring.Url()});
  EXPECT_EQ(refused.code, 1) << refused;
  EXPECT_NE(refused.err.find("this S3 endpoint ignores If-None-Match; a log on it would fork"),
            std::string::npos)
      << refused;
  EXPECT_NE(refused.err.find("; nothing was copied"), std::string::npos) << refused;
  EXPECT_TRUE(ignoring.Keys("log/").empty());
  EXPECT_EQ(text(), before);

  const std::string missing = "s3://no-such-bucket-" + ignoring.bucket() +
                              "/x?region=us-east-1&endpoint=" + ignoring.proxy_url();
  auto absent = team.In(a, {"log", "push", missing});
  EXPECT_EQ(absent.code, 1) << absent;
  EXPECT_NE(absent.err.find("does the bucket exist? create it first"), std::string::npos)
      << absent;
  EXPECT_NE(absent.err.find("; nothing was copied"), std::string::npos) << absent;
  EXPECT_EQ(text(), before);
  EXPECT_EQ(team.History(a).size(), 1u);  // the local log as it was
}

// A checkout whose strata.yaml names the store by hand (no init, no push) probes it at its first
// write: one that ignores If-None-Match is refused before anything is written to it.
TEST(S3TeamWorkflowTest, TheFirstWriteToAStoreProbesItAndRefusesOneThatIgnoresConditions) {
  strata::testing::S3LogPlace ignoring({"--serialize", "--s3-ignore-if-none-match"});
  strata::testing::TeamWorkflow team(ignoring.Environment());
  strata::testing::TempDir a;
  team.MakeCheckout(a, ignoring.Url());
  auto refused = team.In(a, {"generate", "-m", "shop tables"});
  EXPECT_EQ(refused.code, 1) << refused;
  EXPECT_NE(refused.err.find("this S3 endpoint ignores If-None-Match; a log on it would fork"),
            std::string::npos)
      << refused;
  EXPECT_NE(refused.err.find("; nothing was recorded"), std::string::npos) << refused;
  EXPECT_TRUE(ignoring.Keys("log/").empty());

  // A store that honours them is probed once, then written to.
  strata::testing::S3LogPlace honouring;
  strata::testing::TempDir b;
  team.MakeCheckout(b, honouring.Url());
  auto recorded = team.In(b, {"generate", "-m", "shop tables"});
  EXPECT_EQ(recorded.code, 0) << recorded;
  EXPECT_EQ(honouring.Keys("log/").size(), 1u);
  EXPECT_EQ(honouring.Keys("probe/").size(), 0u);  // the probe's object is removed after it
}

}  // namespace
}  // namespace strata

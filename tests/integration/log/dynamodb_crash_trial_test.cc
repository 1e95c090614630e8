// Crash trials (tests/support/crash_trials.h) on a project whose log is a DynamoDB log store on
// moto, behind the serializing fault proxy (moto checks a condition and writes with no lock
// between the two): each trial changes a table file, starts `generate` and `tag` together and
// kills them at a random moment. The store and the checkout's mirror must both hold every
// acknowledged commit once, and `strata verify` must pass.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>

#include "cli/mirror.h"
#include "integration/log/dynamodb_test_support.h"
#include "tests/engine/testing/temp_dir.h"
#include "tests/support/crash_trials.h"
#include "tests/support/strata_runner.h"

namespace strata::dynamodb {
namespace {

TEST(DynamoCrashTrialTest, GenerateAndTagKilledAtRandomMomentsOnADynamoDbLog) {
  strata::testing::SerializingProxy proxy;
  const std::string table = strata::testing::UniqueTable("crash");
  ASSERT_NE(strata::testing::OpenLog(proxy.url(), strata::testing::LogOptions(table, "crash")),
            nullptr);
  const std::string url = strata::testing::LogUrl(table, "crash", proxy.url());
  strata::testing::TempDir tmp;
  const std::string project = tmp / "shop";
  strata::testing::MakeTableProject(project, url);
  strata::testing::CrashTrials t;
  t.project = project;
  t.env = strata::testing::StrataAwsEnvironment();
  const char* trials = std::getenv("STRATA_REMOTE_CRASH_TRIALS");
  t.trials = trials != nullptr ? std::atoi(trials) : 100;
  const char* seed = std::getenv("STRATA_CRASH_SEED");
  t.seed = seed != nullptr ? std::strtoull(seed, nullptr, 10) : 20261206;
  t.max_kill_ms = 300;
  t.prepare = [&](int n, std::mt19937_64&) {
    return strata::testing::GenerateAndTag(project, n);
  };
  t.open_store = [&] {
    return std::unique_ptr<LogStore>(
        strata::testing::OpenLog(proxy.url(), strata::testing::LogOptions(table, "crash")));
  };
  t.mirror_dir = cli::MirrorDirFor(project, url);
  const strata::testing::CrashTrialFigures f = strata::testing::RunCrashTrials(t);
  std::cout << "crash trials (DynamoDB log store on moto): " << f << "\n";
  EXPECT_EQ(f.trials, t.trials);
  EXPECT_GT(f.killed_running, f.processes / 8);
  strata::testing::DropLogTable(table);
}

}  // namespace
}  // namespace strata::dynamodb

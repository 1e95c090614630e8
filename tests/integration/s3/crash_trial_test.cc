// Crash trials (tests/support/crash_trials.h) on a project whose log is an S3 log store on moto,
// behind the serializing fault proxy (moto checks If-None-Match and writes with no lock between
// the two; see log_race_test.cc): each trial changes a table file, starts `generate` and `tag`
// together and kills them at a random moment. The store and the checkout's mirror must both
// hold every acknowledged commit once, and `strata verify` must pass.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>

#include "cli/mirror.h"
#include "integration/s3/s3_log_fixture.h"
#include "tests/engine/testing/temp_dir.h"
#include "tests/support/crash_trials.h"
#include "tests/support/strata_runner.h"

namespace strata::aws {
namespace {

TEST(S3CrashTrialTest, GenerateAndTagKilledAtRandomMomentsOnAnS3Log) {
  strata::testing::S3LogPlace place;
  strata::testing::TempDir tmp;
  const std::string project = tmp / "shop";
  strata::testing::MakeTableProject(project, place.Url());
  strata::testing::CrashTrials t;
  t.project = project;
  t.env = place.Environment();
  const char* trials = std::getenv("STRATA_REMOTE_CRASH_TRIALS");
  t.trials = trials != nullptr ? std::atoi(trials) : 100;
  const char* seed = std::getenv("STRATA_CRASH_SEED");
  t.seed = seed != nullptr ? std::strtoull(seed, nullptr, 10) : 20261206;
  t.max_kill_ms = 300;
  t.prepare = [&](int n, std::mt19937_64&) {
    return strata::testing::GenerateAndTag(project, n);
  };
  t.open_store = [&] { return std::unique_ptr<LogStore>(place.Open()); };
  t.mirror_dir = cli::MirrorDirFor(project, place.Url());
  const strata::testing::CrashTrialFigures f = strata::testing::RunCrashTrials(t);
  std::cout << "crash trials (S3 log store on moto): " << f << "\n";
  EXPECT_EQ(f.trials, t.trials);
  EXPECT_GT(f.killed_running, f.processes / 8);
  EXPECT_EQ(place.Stats()["max_in_flight"], 1);
}

}  // namespace
}  // namespace strata::aws

// Crash trials on the log directory (tests/support/crash_trials.h): each trial changes a table
// file and starts `strata generate` and `strata tag` together, kills both with SIGKILL at a
// random moment, then checks the log. STRATA_CRASH_TRIALS and STRATA_CRASH_SEED replay or
// lengthen a run; the figures are printed at the end.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "tests/engine/testing/temp_dir.h"
#include "tests/support/crash_trials.h"
#include "tests/support/strata_runner.h"

namespace strata {
namespace {

using testing::TempDir;

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::atoi(v) : fallback;
}

TEST(CrashTrialTest, GenerateAndTagKilledAtRandomMomentsLoseNoAcknowledgedCommit) {
  TempDir tmp;
  const std::string project = tmp / "shop";
  testing::MakeTableProject(project, "");
  testing::CrashTrials t;
  t.project = project;
  t.env = {"NO_COLOR=1", "PATH=/usr/bin:/bin", "STRATA_ACTOR_NAME=crasher",
           "STRATA_ACTOR_EMAIL=crasher@shop.example", "STRATA_ACTOR_HOST=ci"};

  t.trials = EnvInt("STRATA_CRASH_TRIALS", 1000);
  t.seed = static_cast<uint64_t>(EnvInt("STRATA_CRASH_SEED", 20261206));
  // The window has to match how long the two commands run, or most kills land after they
  // finished: with the binary no longer loading libcurl and libpq at start, 100 ms left fewer
  // than a quarter of the processes killed while running (181 of 800 in one run), 60 ms about
  // 37% while still more than half of the trials acknowledge their commits.
  t.max_kill_ms = EnvInt("STRATA_CRASH_MAX_KILL_MS", 60);
  t.prepare = [&](int n, std::mt19937_64&) { return testing::GenerateAndTag(project, n); };
  const testing::CrashTrialFigures f = testing::RunCrashTrials(t);
  std::cout << "crash trials (log directory): " << f << "\n";
  EXPECT_EQ(f.trials, t.trials);
  // The moments must reach into the commands, not only before or after them.
  EXPECT_GT(f.killed_running, f.processes / 4);
  EXPECT_GT(f.acknowledged, t.trials / 2);
}

}  // namespace
}  // namespace strata

// Crash trials of deployments (tests/support/crash_trials.h): each trial changes a table file
// (create, change, delete), starts `strata push` (which records the change and deploys it to
// the "local" target on moto) beside `strata tag`, and kills both with SIGKILL at a random
// moment: before the commit, between the commit and the first DynamoDB call, between calls,
// while waiting, after the table changed but before the deployment was recorded. Besides the
// harness's checks (verify passes, every acknowledged commit once), after each trial a push run
// to its end must bring the target to the log's head, and then `plan` must find nothing to do
// and the live tables must be exactly the files' tables: a kill never leaves a change the next
// run cannot finish, and never a deployment recorded that did not happen.
// STRATA_DEPLOY_CRASH_TRIALS and STRATA_CRASH_SEED replay or lengthen a run.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "integration/dynamodb/cli_fixture.h"
#include "tests/support/crash_trials.h"

namespace strata::testing {
namespace {

constexpr int kTables = 4;

class DeployCrashTrialTest : public DynamoCliTest {
 protected:
  std::string File(int i) const { return "schema/dynamodb/tab" + std::to_string(i) + ".yaml"; }
  std::string Name(int i) const { return T("tab" + std::to_string(i)); }

  // Trial n's change: table tab(n % kTables) is created when its file is missing, else changed
  // (billing and a tag) or deleted.
  void Change(int n) {
    const int i = n % kTables;
    const auto path = work_ / File(i);
    if (!std::filesystem::exists(path)) {
      WriteFile(File(i), "table: " + Name(i) + "\npartition_key: { name: id, type: S }\n");
    } else if ((n / kTables) % 3 == 1) {
      WriteFile(File(i), "table: " + Name(i) +
                             "\npartition_key: { name: id, type: S }\nbilling: pay_per_request\n"
                             "tags: { trial: \"" + std::to_string(n) + "\" }\n");
    } else {
      std::filesystem::remove(path);
    }
  }

  // push with consent to delete any of the trial tables (a deletion may be pending from a
  // killed run of an earlier trial).
  std::vector<std::string> Push(const std::string& message) const {
    std::vector<std::string> args = {"push", "--target", "local", "--auto-approve", "-m", message};
    for (int i = 0; i < kTables; ++i) {
      args.push_back("--allow-delete");
      args.push_back(Name(i));
    }
    return args;
  }

  std::set<std::string> FileTables() const {
    std::set<std::string> names;
    for (int i = 0; i < kTables; ++i) {
      if (std::filesystem::exists(work_ / File(i))) names.insert(Name(i));
    }
    names.insert(T("base"));
    return names;
  }
};

TEST_F(DeployCrashTrialTest, PushKilledAtRandomMomentsIsFinishedByTheNextPushAndRecordedOnce) {
  WriteFile("schema/dynamodb/base.yaml",
            "table: " + T("base") + "\npartition_key: { name: id, type: S }\n");
  CrashTrials t;
  t.project = work_.path();
  t.env = Environment();
  const char* trials = std::getenv("STRATA_DEPLOY_CRASH_TRIALS");
  t.trials = trials != nullptr ? std::atoi(trials) : 200;
  const char* seed = std::getenv("STRATA_CRASH_SEED");
  t.seed = seed != nullptr ? std::strtoull(seed, nullptr, 10) : 20261207;
  t.max_kill_ms = 300;
  t.first = Push("before the trials");
  t.recover = Push("after the kill");
  t.prepare = [&](int n, std::mt19937_64&) {
    Change(n);
    return std::vector<std::vector<std::string>>{Push("trial " + std::to_string(n)),
                                                 {"tag", "trial-" + std::to_string(n)}};
  };
  int deployments_cut_short = 0;
  t.after_kill = [&](int, const std::string& said) {
    // A push killed after acknowledging its change's commit but not its deployment's: what
    // the harness says of the first process (the push) up to the second's heading.
    const std::string push = said.substr(0, said.find("--- strata", 1));
    size_t acks = 0;
    for (size_t at = push.find("recorded commit"); at != std::string::npos;
         at = push.find("recorded commit", at + 1)) {
      ++acks;
    }
    if (push.find(": killed\n") != std::string::npos && acks == 1) ++deployments_cut_short;
  };
  t.after_checks = [&](int n, const std::string& said) {
    StrataRun plan = Strata({"--json", "plan", "--target", "local", "--detailed-exitcode"});
    EXPECT_EQ(plan.code, 0) << "after trial " << n << " and a push, the target is not at the head\n"
                            << plan << said;
    std::vector<std::string> live = LiveTables();
    const std::set<std::string> files = FileTables();
    EXPECT_EQ(std::set<std::string>(live.begin(), live.end()), files) << said;
  };
  const CrashTrialFigures f = RunCrashTrials(t);
  std::cout << "crash trials (push to DynamoDB on moto): " << f << ", " << deployments_cut_short
            << " pushes killed between their commit and their deployment\n";
  EXPECT_EQ(f.trials, t.trials);
  EXPECT_GT(f.killed_running, f.processes / 8);
  // The moments must reach the window between a change's commit and its deployment.
  EXPECT_GT(deployments_cut_short, 0);
}

}  // namespace
}  // namespace strata::testing

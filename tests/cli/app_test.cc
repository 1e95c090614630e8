// The process-wide parts of the strata command (cli/app.cc), as the real binary: who a commit
// is by when the environment does not say.
#include <gtest/gtest.h>
#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/engine/testing/temp_dir.h"
#include "tests/support/strata_runner.h"

namespace strata {
namespace {

namespace fs = std::filesystem;
using testing::RunStrata;
using testing::StrataRun;

class ActorTest : public ::testing::Test {
 protected:
  // The author of one generated commit, made with exactly `env` (plus PATH and NO_COLOR).
  std::string AuthorOfACommit(std::vector<std::string> env) {
    env.push_back("PATH=/usr/bin:/bin");
    env.push_back("NO_COLOR=1");
    const std::string dir = (fs::path(tmp_.path()) / std::to_string(++projects_)).string();
    fs::create_directories(dir);
    StrataRun init = RunStrata({"init", "--yes"}, env, dir);
    EXPECT_EQ(init.code, 0) << init;
    std::ofstream(fs::path(dir) / "schema" / "dynamodb" / "orders.yaml")
        << "table: orders\npartition_key: { name: id, type: S }\n";
    StrataRun generate = RunStrata({"generate"}, env, dir);
    EXPECT_EQ(generate.code, 0) << generate;
    StrataRun log = RunStrata({"--json", "log"}, env, dir);
    EXPECT_EQ(log.code, 0) << log;
    const auto j = log.Json();
    if (!j.contains("commits") || j["commits"].size() != 1) {
      ADD_FAILURE() << log;
      return "";
    }
    return j["commits"][0]["actor"]["name"].get<std::string>();
  }

  strata::testing::TempDir tmp_;
  int projects_ = 0;
};

TEST_F(ActorTest, WithoutUserAndLognameTheNameComesFromThePasswordDatabase) {
  const struct passwd* me = getpwuid(geteuid());
  ASSERT_NE(me, nullptr) << "the test needs an entry for its own uid in the password database";
  // No USER, LOGNAME, GIT_AUTHOR_NAME or STRATA_ACTOR_NAME at all: as under cron or systemd.
  EXPECT_EQ(AuthorOfACommit({}), me->pw_name);
}

TEST_F(ActorTest, TheEnvironmentStillComesFirst) {
  EXPECT_EQ(AuthorOfACommit({"LOGNAME=from-logname"}), "from-logname");
  EXPECT_EQ(AuthorOfACommit({"USER=from-user", "LOGNAME=from-logname"}), "from-user");
}

}  // namespace
}  // namespace strata

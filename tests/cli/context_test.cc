// What cli/context.cc shows while a command works: progress of a long index build on a terminal
// (run under a pseudo-terminal with script(1)), and nothing of it without one or with --json.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "adapters/common/process_runner.h"
#include "engine/log/env.h"
#include "engine/store/commit_store.h"
#include "tests/engine/testing/random_history.h"
#include "tests/engine/testing/temp_dir.h"
#include "tests/support/strata_runner.h"

namespace strata {
namespace {

namespace fs = std::filesystem;

class IndexProgressTest : public ::testing::Test {
 protected:
  // A project whose log holds `commits` DynamoDB commits and no index yet.
  void SetUp() override {
    dir_ = tmp_.path();
    auto init = testing::RunStrata({"init", "--yes"}, env_, dir_);
    ASSERT_EQ(init.code, 0) << init;
    auto env = NewPosixEnv();
    auto w = CommitWriter::Open(env.get(), dir_ + "/.strata", LogOptions{});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    testing::RandomDynamo rnd(7);
    std::vector<pb::DynamoSchema> models;
    testing::AppendRandomDynamoHistory(**w, rnd, kCommits, &models, [](pb::Commit* c, size_t n) {
      c->set_time_unix_micros(1767225600000000LL + static_cast<int64_t>(n) * 1000000LL);
      c->mutable_actor()->set_name("alice");
    });
  }

  // `strata args` on a pseudo-terminal (stdout and stderr both the terminal), with progress
  // shown at once instead of after a second.
  std::string OnATerminal(const std::string& args) {
    common::ProcessRequest req;
    // script(1) from util-linux; the process runner does not search PATH.
    req.argv = {"/usr/bin/script", "-qec", std::string(STRATA_BINARY) + " " + args, "/dev/null"};
    req.environment = env_;
    req.environment.push_back("STRATA_PROGRESS_DELAY_MS=0");
    req.working_dir = dir_;
    auto r = common::NewPosixProcessRunner()->Run(req);
    EXPECT_TRUE(r.ok() && r->exit_code == 0)
        << args << ": " << (r.ok() ? r->output + r->errors : r.status().ToString());
    return r.ok() ? r->output : "";
  }

  void DropIndex() { fs::remove(dir_ + "/.strata/index.sqlite"); }

  static constexpr int kCommits = 2500;
  strata::testing::TempDir tmp_;
  std::string dir_;
  std::vector<std::string> env_ = {"PATH=/usr/bin:/bin", "SHELL=/bin/sh", "TERM=dumb",
                                   "STRATA_ACTOR_NAME=t"};
};

TEST_F(IndexProgressTest, ABuildOfTheIndexShowsProgressOnATerminalAndEndsItsLine) {
  const std::string out = OnATerminal("log -n 1");
  EXPECT_NE(out.find("indexing the log: 1000/2500 (40%)"), std::string::npos) << out;
  EXPECT_NE(out.find("indexing the log: 2500/2500 (100%)\r\n"), std::string::npos) << out;
  // The log's own output follows the finished line, not the middle of it.
  EXPECT_NE(out.find("(100%)\r\n"), std::string::npos);
  // An index already up to date has nothing to show.
  const std::string again = OnATerminal("log -n 1");
  EXPECT_EQ(again.find("indexing"), std::string::npos) << again;
}

TEST_F(IndexProgressTest, NoProgressWithJsonOrWithoutATerminal) {
  const std::string json = OnATerminal("--json log -n 1");
  EXPECT_EQ(json.find("indexing"), std::string::npos) << json;
  EXPECT_NE(json.find("\"commits\""), std::string::npos) << json;
  DropIndex();
  auto piped = testing::RunStrata({"log", "-n", "1"}, env_, dir_);
  EXPECT_EQ(piped.code, 0) << piped;
  EXPECT_EQ(piped.err.find("indexing"), std::string::npos) << piped;
  EXPECT_EQ(piped.out.find("indexing"), std::string::npos) << piped;
}

TEST_F(IndexProgressTest, VerifyShowsItsProgressToo) {
  const std::string out = OnATerminal("verify");
  EXPECT_NE(out.find("verifying the log: 1000/2500 (40%)"), std::string::npos) << out;
  EXPECT_NE(out.find("verifying the log: 2500/2500 (100%)\r\n"), std::string::npos) << out;
  EXPECT_NE(out.find("chain intact up to seq 2500"), std::string::npos) << out;
}

TEST_F(IndexProgressTest, ARecordingCommandShowsItToo) {
  // generate opens the index through the recorder, not through History.
  const std::string out = OnATerminal("generate --dry-run");
  EXPECT_NE(out.find("indexing the log: 2500/2500 (100%)"), std::string::npos) << out;
}

}  // namespace
}  // namespace strata

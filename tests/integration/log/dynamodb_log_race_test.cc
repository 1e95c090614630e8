// Sixteen writer processes (log_race_writer, recording tags and deployment records through the
// Recorder) append 16 x 63 = 1,008 commits at once to one DynamoDB log on moto, behind a fault
// proxy that forwards one request at a time (moto checks a condition and then writes with no
// lock between the two; DynamoDB itself decides such races atomically). Every commit a writer
// was told was recorded is in the log exactly once at its seq, seqs are dense, nonces unique,
// and `strata verify` on a project naming the store passes.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "integration/log/dynamodb_test_support.h"
#include "tests/engine/testing/temp_dir.h"
#include "tests/support/strata_runner.h"

namespace strata::dynamodb {
namespace {

constexpr int kWriters = 16;
constexpr int kCommitsEach = 63;  // 1,008 in all

struct Claim {
  uint64_t seq;
  std::string hash, nonce;
};

TEST(DynamoLogRaceTest, SixteenWritersAppendOneLinearChainWithEveryAcknowledgedCommitOnce) {
  strata::testing::SerializingProxy proxy;
  strata::testing::TempDir tmp;
  const std::string table = strata::testing::UniqueTable("race");
  const std::string url = strata::testing::LogUrl(table, "race", proxy.url());
  // The table first, so the writers meet an existing one (creation is tested elsewhere).
  ASSERT_NE(strata::testing::OpenLog(proxy.url(), strata::testing::LogOptions(table, "race")),
            nullptr);

  const std::vector<std::string> environment = strata::testing::StrataAwsEnvironment();
  std::vector<char*> envp;
  std::vector<std::string> env_copy = environment;
  for (auto& e : env_copy) envp.push_back(e.data());
  envp.push_back(nullptr);

  const auto started = std::chrono::steady_clock::now();
  int gate[2];
  ASSERT_EQ(pipe(gate), 0);
  std::vector<pid_t> pids;
  for (int w = 0; w < kWriters; ++w) {
    const std::string out = tmp / ("out." + std::to_string(w));
    const std::string err = tmp / ("err." + std::to_string(w));
    const std::string name = "w" + std::to_string(w);
    const std::string count = std::to_string(kCommitsEach);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(gate[1]);
      dup2(gate[0], 0);
      int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(o, 1);
      dup2(e, 2);
      execle(STRATA_LOG_RACE_WRITER, STRATA_LOG_RACE_WRITER, url.c_str(), count.c_str(),
             name.c_str(), static_cast<char*>(nullptr), envp.data());
      _exit(127);
    }
    pids.push_back(pid);
  }
  close(gate[0]);
  close(gate[1]);
  for (size_t w = 0; w < pids.size(); ++w) {
    int status = 0;
    waitpid(pids[w], &status, 0);
    std::ifstream err(tmp / ("err." + std::to_string(w)));
    std::stringstream text;
    text << err.rdbuf();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "writer " << w << " status " << status << ": " << text.str();
  }
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
  const int requests = proxy.Stats()["requests"].get<int>();
  std::cout << fmt::format(
      "{} writers x {} commits on DynamoDB (moto, serialized): {:.1f} s, {} requests ({:.1f} "
      "per commit)\n",
      kWriters, kCommitsEach, seconds.count(), requests,
      static_cast<double>(requests) / (kWriters * kCommitsEach));
  RecordProperty("wall_seconds", fmt::format("{:.1f}", seconds.count()));

  std::map<uint64_t, Claim> claims;
  size_t claimed = 0;
  for (int w = 0; w < kWriters; ++w) {
    std::ifstream out(tmp / ("out." + std::to_string(w)));
    Claim c;
    while (out >> c.seq >> c.hash >> c.nonce) {
      ++claimed;
      EXPECT_TRUE(claims.emplace(c.seq, c).second) << "seq " << c.seq << " claimed twice";
    }
  }
  EXPECT_EQ(claimed, static_cast<size_t>(kWriters * kCommitsEach));

  // The log as a fresh reader sees it: dense, chained, each claim at its seq, nonces unique.
  auto store = strata::testing::OpenLog(proxy.url(), strata::testing::LogOptions(table, "race"));
  ASSERT_NE(store, nullptr);
  std::set<std::string> nonces;
  uint64_t seen = 0;
  Status s = ScanStore(*store, Head{}, 500, [&](const LogEntry& e, const pb::Commit& c) {
    ++seen;
    auto it = claims.find(e.seq);
    if (it == claims.end()) {
      ADD_FAILURE() << "commit " << e.seq << " in the log was acknowledged to nobody";
    } else {
      EXPECT_EQ(it->second.hash, HashHex(e.hash)) << "seq " << e.seq;
    }
    EXPECT_EQ(c.writer_nonce().size(), 16u);
    nonces.insert(c.writer_nonce());
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(seen, claimed);
  EXPECT_EQ(nonces.size(), claimed);  // no commit recorded twice

  std::ofstream(tmp / "strata.yaml") << "version: 1\nlog: " << url << "\n";
  auto verify = strata::testing::RunStrata({"--json", "verify"}, environment, tmp.path());
  ASSERT_EQ(verify.code, 0) << verify;
  const auto j = verify.Json();
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["commits"], claimed);
  EXPECT_EQ(j["head_seq"], claimed);
  strata::testing::DropLogTable(table);
}

}  // namespace
}  // namespace strata::dynamodb

// Sixteen writer processes append to one S3 log at once (log_race_writer, each recording tags
// and deployment records through the Recorder), on moto behind the serializing fault proxy:
// every commit a writer was told was recorded is in the log exactly once at the seq it was told,
// the seqs are dense, every writer nonce appears once, and `strata verify` on a project naming
// the store passes.
//
// Why the proxy: moto checks If-None-Match and then stores the object with no lock between the
// two, so two PUTs of one fresh key can both be answered 200 (a few keys per thousand contended
// ones, measured; never reproducibly, so no test here shows it on demand). Real S3 decides such a
// race atomically. With one request in flight at a time moto does too, and the test asserts that
// the proxy really kept it to one, so that a lost commit here is strata's fault, not moto's.
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

#include "integration/s3/s3_log_fixture.h"
#include "tests/engine/testing/temp_dir.h"
#include "tests/support/strata_runner.h"

namespace strata::aws {
namespace {

constexpr int kWriters = 16;
constexpr int kCommitsEach = 63;  // 1,008 in all

struct Claim {
  uint64_t seq;
  std::string hash, nonce;
};

TEST(S3LogRaceTest, SixteenWritersAppendOneLinearChainWithEveryAcknowledgedCommitOnce) {
  strata::testing::S3LogPlace place;
  strata::testing::TempDir tmp;
  const auto started = std::chrono::steady_clock::now();
  int gate[2];
  ASSERT_EQ(pipe(gate), 0);
  std::vector<pid_t> pids;
  std::vector<std::string> env = place.Environment();
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  const std::string url = place.Url();
  const std::string count = std::to_string(kCommitsEach);
  for (int w = 0; w < kWriters; ++w) {
    const std::string out = tmp / ("out." + std::to_string(w));
    const std::string err = tmp / ("err." + std::to_string(w));
    const std::string name = "w" + std::to_string(w);
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
  const auto wrote = std::chrono::steady_clock::now();

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
  auto store = place.Open();
  std::set<std::string> nonces;
  uint64_t seen = 0;
  Status s = ScanStore(*store, Head{}, 1000, [&](const LogEntry& e, const pb::Commit& c) {
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
  EXPECT_EQ(place.Keys("log/").size(), claimed);

  std::ofstream(tmp / "strata.yaml") << "version: 1\nlog: " << url << "\n";
  auto verify = strata::testing::RunStrata({"--json", "verify"}, place.Environment(), tmp.path());
  ASSERT_EQ(verify.code, 0) << verify;
  const auto j = verify.Json();
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["commits"], claimed);
  EXPECT_EQ(j["head_seq"], claimed);

  // The proxy kept moto to one request at a time (see the file comment).
  const auto stats = place.Stats();
  EXPECT_EQ(stats["max_in_flight"], 1) << stats.dump();
  const double seconds =
      std::chrono::duration<double>(wrote - started).count();
  std::cout << fmt::format("[ S3 race ] {} commits by {} writers in {:.1f} s; {} requests "
                           "through the proxy ({:.1f} per commit)\n",
                           claimed, kWriters, seconds, stats["requests"].get<int>(),
                           stats["requests"].get<double>() / static_cast<double>(claimed));
}

}  // namespace
}  // namespace strata::aws

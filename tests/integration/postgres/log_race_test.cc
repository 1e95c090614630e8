// Sixteen writer processes append to one PostgreSQL log at once (log_race_writer, each
// recording tags and deployment records through the Recorder): every commit a writer was told
// was recorded is in the log exactly once at the seq it was told, the seqs are dense, every
// writer nonce appears once, and `strata verify` on a project naming the store passes.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "adapters/postgres/log_store.h"
#include "integration/postgres/test_database.h"
#include "tests/engine/testing/temp_dir.h"
#include "tests/support/strata_runner.h"

namespace strata::postgres {
namespace {

using strata::testing::TestDatabase;

constexpr int kWriters = 16;
constexpr int kCommitsEach = 64;  // 1,024 in all

struct Claim {
  uint64_t seq;
  std::string hash, nonce;
};

TEST(LogRaceTest, SixteenWritersAppendOneLinearChainWithEveryAcknowledgedCommitOnce) {
  TestDatabase db;
  strata::testing::TempDir tmp;
  // Start them all, held on one pipe; closing it releases them together.
  int gate[2];
  ASSERT_EQ(pipe(gate), 0);
  std::vector<pid_t> pids;
  for (int w = 0; w < kWriters; ++w) {
    const std::string out = tmp / ("out." + std::to_string(w));
    const std::string err = tmp / ("err." + std::to_string(w));
    const std::string name = "w" + std::to_string(w);
    const std::string url = fmt::format(
        "postgres://127.0.0.1:{}/{}?user=postgres&table=strata_log&log=race",
        strata::testing::TestClusterPort(), db.name());
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
      execl(STRATA_LOG_RACE_WRITER, STRATA_LOG_RACE_WRITER, url.c_str(), count.c_str(),
            name.c_str(), static_cast<char*>(nullptr));
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

  // Every claim, by seq.
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
  PostgresLogStoreOptions o;
  o.conninfo = db.conninfo();
  o.log_id = "race";
  auto store = PostgresLogStore::Open(o);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  std::set<std::string> nonces;
  uint64_t seen = 0;
  Status s = ScanStore(**store, Head{}, 500, [&](const LogEntry& e, const pb::Commit& c) {
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

  std::ofstream(tmp / "strata.yaml") << "version: 1\nlog: postgres://127.0.0.1:"
                                     << strata::testing::TestClusterPort() << "/" << db.name()
                                     << "?user=postgres&log=race\n";
  auto verify = strata::testing::RunStrata({"--json", "verify"}, {"PATH=/usr/bin:/bin"},
                                           tmp.path());
  ASSERT_EQ(verify.code, 0) << verify;
  const auto j = verify.Json();
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["commits"], claimed);
  EXPECT_EQ(j["head_seq"], claimed);
}

}  // namespace
}  // namespace strata::postgres

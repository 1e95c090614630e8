// The shared-log race, the same on every store: `writers` log_race_writer processes (recording
// tags and deployment records through the Recorder) started together on one log, each told to
// record `each` commits. Then every commit a writer was told was recorded must be in the log
// exactly once at the seq it was told, the seqs dense and chained (read by a fresh handle), every
// writer nonce once, and `strata verify` on a project naming the store must pass.
//
// The test binary must define STRATA_LOG_RACE_WRITER and STRATA_BINARY.
#pragma once

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/store/log_store.h"
#include "tests/engine/testing/temp_dir.h"
#include "tests/support/strata_runner.h"

namespace strata::testing {

struct LogRace {
  std::string url;               // the `log:` URL the writers and `strata verify` use
  std::vector<std::string> env;  // the whole environment of every writer and of strata
  int writers = 16;
  int each = 63;
  std::function<std::unique_ptr<LogStore>()> open_reader;  // a fresh handle on the store
};

struct LogRaceResult {
  size_t claimed = 0;          // commits the writers were told were recorded
  double write_seconds = 0;    // from the start to the last writer's exit
};

// Runs the race and checks what the file comment says, with gtest assertions.
inline LogRaceResult RunLogRace(const LogRace& race) {
  LogRaceResult result;
  TempDir tmp;
  std::vector<std::string> env = race.env;
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  const std::string count = std::to_string(race.each);
  const auto started = std::chrono::steady_clock::now();
  // Start them all, held on one pipe; closing it releases them together.
  int gate[2];
  EXPECT_EQ(pipe(gate), 0);
  std::vector<pid_t> pids;
  for (int w = 0; w < race.writers; ++w) {
    const std::string out = tmp / ("out." + std::to_string(w));
    const std::string err = tmp / ("err." + std::to_string(w));
    const std::string name = "w" + std::to_string(w);
    pid_t pid = fork();
    EXPECT_GE(pid, 0);
    if (pid < 0) break;
    if (pid == 0) {
      close(gate[1]);
      dup2(gate[0], 0);
      int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(o, 1);
      dup2(e, 2);
      execle(STRATA_LOG_RACE_WRITER, STRATA_LOG_RACE_WRITER, race.url.c_str(), count.c_str(),
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
  result.write_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  // Every claim, by seq: "SEQ HASH NONCE" lines.
  struct Claim {
    uint64_t seq;
    std::string hash, nonce;
  };
  std::map<uint64_t, Claim> claims;
  for (int w = 0; w < race.writers; ++w) {
    std::ifstream out(tmp / ("out." + std::to_string(w)));
    Claim c;
    while (out >> c.seq >> c.hash >> c.nonce) {
      ++result.claimed;
      EXPECT_TRUE(claims.emplace(c.seq, c).second) << "seq " << c.seq << " claimed twice";
    }
  }
  EXPECT_EQ(result.claimed, static_cast<size_t>(race.writers * race.each));

  // The log as a fresh reader sees it: dense, chained, each claim at its seq, nonces unique.
  std::unique_ptr<LogStore> store = race.open_reader();
  EXPECT_NE(store, nullptr);
  if (store == nullptr) return result;
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
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(seen, result.claimed);
  EXPECT_EQ(nonces.size(), result.claimed);  // no commit recorded twice

  std::ofstream(tmp / "strata.yaml") << "version: 1\nlog: " << race.url << "\n";
  auto verify = RunStrata({"--json", "verify"}, race.env, tmp.path());
  EXPECT_EQ(verify.code, 0) << verify;
  if (verify.code == 0) {
    const auto j = verify.Json();
    EXPECT_EQ(j["ok"], true);
    EXPECT_EQ(j["commits"], result.claimed);
    EXPECT_EQ(j["head_seq"], result.claimed);
  }
  return result;
}

}  // namespace strata::testing

// Crash trials: real `strata` processes recording commits (generate, tag, a deployment) are
// killed with SIGKILL at a random moment, trial after trial, on one project's log. After each
// kill: `strata verify` passes, a command run to its end works (cutting a torn tail if there is
// one), and every commit any process acknowledged before it died ("recorded commit SEQ HASH" on
// its stderr) is in the log exactly once, at that seq with that hash; the log is dense and
// chained, no tag is recorded twice, and a shared log's mirror holds the store's commits.
// The moments come from one seed, printed with every failure so a run replays.
//
// The test binary must define STRATA_BINARY.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "engine/log/env.h"
#include "engine/store/hash.h"
#include "engine/store/local_log_store.h"
#include "engine/store/log_store.h"
#include "tests/support/strata_runner.h"

namespace strata::testing {

struct CrashTrials {
  std::string project;           // a project directory with strata.yaml, made by the caller
  std::vector<std::string> env;  // the whole environment of every strata process
  int trials = 1000;
  uint64_t seed = 1;
  int max_kill_ms = 40;  // each trial's kill moment is drawn from [0, max_kill_ms) ms
  // Changes the inputs for trial `n` and returns the commands (strata's arguments) that start
  // together and are killed together.
  std::function<std::vector<std::vector<std::string>>(int n, std::mt19937_64& rng)> prepare;
  // Run to its end before the first trial (a first commit, so that a tag has something to name).
  std::vector<std::string> first = {"generate", "-m", "before the trials"};
  // Run to its end after every kill: the next command must work.
  std::vector<std::string> recover = {"generate", "-m", "after the kill"};
  // A fresh handle on the log; unset: the project's log directory (.strata).
  std::function<std::unique_ptr<LogStore>()> open_store;
  // A shared log's local mirror (a log directory), checked against the store; empty: none.
  std::string mirror_dir;
  // Called after the kill, before the next command, with what the killed processes said; and
  // after the checks, with the log's commits: more checks of the caller's own. May be unset.
  std::function<void(int n, const std::string& said)> after_kill;
  std::function<void(int n, const std::string& said)> after_checks;
};

struct CrashTrialFigures {
  int trials = 0;
  int processes = 0;               // strata processes started to be killed
  int killed_running = 0;          // still running when the kill came
  int killed_after_ack = 0;        // killed after saying "recorded commit", before exiting
  int acknowledged = 0;            // distinct commits acknowledged, all checked after every trial
  int unacknowledged_kept = 0;     // commits in the log that no process lived to acknowledge
  int torn_tails_cut = 0;          // the next command cut a torn tail
  int recovery_notes = 0;          // the next command said something else about the log's end
  double seconds = 0;
};

inline std::ostream& operator<<(std::ostream& os, const CrashTrialFigures& f) {
  return os << f.trials << " trials, " << f.processes << " processes, " << f.killed_running
            << " killed while running (" << f.killed_after_ack << " after acknowledging), "
            << f.acknowledged << " acknowledged commits checked after every trial, "
            << f.unacknowledged_kept << " unacknowledged commits kept, " << f.torn_tails_cut
            << " torn tails cut, " << f.recovery_notes << " other recovery notes, " << f.seconds
            << " s";
}

// A strata process started with stdin and stdout on /dev/null and stderr into `err_path`, for
// the caller to kill and wait for.
struct Started {
  pid_t pid = -1;
  std::string err_path;
};

inline Started StartStrata(const std::vector<std::string>& args,
                           const std::vector<std::string>& env, const std::string& dir,
                           const std::string& err_path) {
  std::vector<std::string> argv_s = {STRATA_BINARY};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<std::string> env_s = env;
  std::vector<char*> argv, envp;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    int in = open("/dev/null", O_RDONLY);
    int out = open("/dev/null", O_WRONLY);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0 || chdir(dir.c_str()) != 0) _exit(126);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  return {pid, err_path};
}

namespace crash_trials_internal {

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// "recorded commit SEQ HASH" lines: what a process acknowledged before it died.
inline std::vector<std::pair<uint64_t, std::string>> Acks(const std::string& err) {
  static const std::regex kAck("(^|\n)recorded commit ([0-9]+) ([0-9a-f]{64})\n");
  std::vector<std::pair<uint64_t, std::string>> out;
  for (std::sregex_iterator it(err.begin(), err.end(), kAck), end; it != end; ++it) {
    out.emplace_back(std::stoull((*it)[2].str()), (*it)[3].str());
  }
  return out;
}

struct LogView {
  std::vector<std::string> hashes;  // by seq - 1
  std::vector<std::string> nonces;  // shared stores: the writer nonce of each commit
  std::map<std::string, int> tags;  // tag name -> times created
  Status status;
};

inline LogView Read(LogStore& store) {
  LogView v;
  v.status = ScanStore(store, Head{}, 500, [&](const LogEntry& e, const pb::Commit& c) {
    v.hashes.push_back(HashHex(e.hash));
    if (!c.writer_nonce().empty()) v.nonces.push_back(c.writer_nonce());
    if (c.has_tag() && !c.tag().deleted()) ++v.tags[c.tag().name()];
    return Status::Ok();
  });
  return v;
}

inline std::unique_ptr<LogStore> OpenDir(Env* env, const std::string& dir) {
  LocalLogStoreOptions o;
  o.env = env;
  o.dir = dir;
  auto store = LocalLogStore::Open(o);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return nullptr;
  return std::unique_ptr<LogStore>(std::move(*store));
}

}  // namespace crash_trials_internal

// A project of DynamoDB table files on the log `log` ("" for the log directory), with one
// table, which the trials' first generate records.
inline void MakeTableProject(const std::string& project, const std::string& log) {
  std::filesystem::create_directories(std::filesystem::path(project) / "schema/dynamodb");
  std::ofstream(std::filesystem::path(project) / "strata.yaml")
      << "version: 1\nlog: " << (log.empty() ? std::string(".strata") : log)
      << "\nschemas:\n  dynamodb: schema/dynamodb\n";
  std::ofstream(std::filesystem::path(project) / "schema/dynamodb/base.yaml")
      << "table: base\npartition_key: { name: id, type: S }\n";
}

// Trial n's inputs and commands on such a project: table tab(n % 6) is created when its file is
// missing, else changed or deleted (so the schema stays small however many trials run); then
// `generate` and `tag` start together.
inline std::vector<std::vector<std::string>> GenerateAndTag(const std::string& project, int n) {
  const std::string name = "tab" + std::to_string(n % 6);
  const auto file = std::filesystem::path(project) / "schema/dynamodb" / (name + ".yaml");
  if (!std::filesystem::exists(file)) {
    std::ofstream(file) << "table: " << name << "\npartition_key: { name: id, type: S }\n";
  } else if ((n / 6) % 3 == 1) {
    std::ofstream(file) << "table: " << name
                        << "\npartition_key: { name: id, type: S }\nbilling: pay_per_request\n"
                           "tags: { trial: \"" << n << "\" }\n";
  } else {
    std::filesystem::remove(file);
  }
  return {{"generate", "-m", "trial " + std::to_string(n)}, {"tag", "trial-" + std::to_string(n)}};
}

// Runs the trials and checks what the file comment says, with gtest assertions; stops at the
// first trial that fails (its number and the seed are in the failure).
inline CrashTrialFigures RunCrashTrials(const CrashTrials& t) {
  namespace in = crash_trials_internal;
  CrashTrialFigures f;
  const auto started = std::chrono::steady_clock::now();
  std::mt19937_64 rng(t.seed);
  auto env = NewPosixEnv();
  std::map<uint64_t, std::string> acked;  // every commit acknowledged so far
  const std::string scratch = t.project + "/../crash-trial-output";
  std::filesystem::create_directories(scratch);
  if (!t.first.empty()) {
    StrataRun first = RunStrata(t.first, t.env, t.project);
    EXPECT_EQ(first.code, 0) << first;
    for (const auto& [seq, hash] : in::Acks(first.err)) acked.emplace(seq, hash);
  }
  for (int n = 0; n < t.trials && !::testing::Test::HasFailure(); ++n) {
    SCOPED_TRACE("crash trial " + std::to_string(n) + " of seed " + std::to_string(t.seed) +
                 " (replay: STRATA_CRASH_SEED=" + std::to_string(t.seed) +
                 " STRATA_CRASH_TRIALS=" + std::to_string(n + 1) + ")");
    ++f.trials;
    const auto commands = t.prepare(n, rng);
    const int kill_us = static_cast<int>(rng() % (static_cast<uint64_t>(t.max_kill_ms) * 1000));
    std::vector<Started> procs;
    for (size_t i = 0; i < commands.size(); ++i) {
      procs.push_back(StartStrata(commands[i], t.env, t.project,
                                scratch + "/err." + std::to_string(i)));
      ++f.processes;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(kill_us));
    for (const auto& p : procs) kill(p.pid, SIGKILL);
    std::string said;  // every process's stderr, for failure messages
    for (size_t i = 0; i < procs.size(); ++i) {
      int status = 0;
      waitpid(procs[i].pid, &status, 0);
      const std::string err = in::ReadAll(procs[i].err_path);
      said += "--- strata " + ::testing::PrintToString(commands[i]) + ": " +
              (WIFSIGNALED(status) ? "killed" : "exit " + std::to_string(WEXITSTATUS(status))) +
              "\n" + err;
      const auto acks = in::Acks(err);
      if (WIFSIGNALED(status)) {
        ++f.killed_running;
        if (!acks.empty()) ++f.killed_after_ack;
      } else {
        EXPECT_EQ(WEXITSTATUS(status), 0) << said;
      }
      for (const auto& [seq, hash] : acks) {
        auto [it, fresh] = acked.emplace(seq, hash);
        EXPECT_EQ(it->second, hash) << "seq " << seq << " acknowledged with two hashes\n"
                                    << said;
      }
    }
    if (t.after_kill) t.after_kill(n, said);
    // A reader never writes: verify passes over whatever the kill left (a torn tail ignored).
    StrataRun verify = RunStrata({"--json", "verify"}, t.env, t.project);
    EXPECT_EQ(verify.code, 0) << verify << said;
    // The next command works; a writer cuts a torn tail and says so.
    StrataRun next = RunStrata(t.recover, t.env, t.project);
    EXPECT_EQ(next.code, 0) << next << said;
    if (next.err.find("cut a torn tail") != std::string::npos) ++f.torn_tails_cut;
    else if (next.err.find("witness") != std::string::npos) ++f.recovery_notes;
    for (const auto& [seq, hash] : in::Acks(next.err)) acked.emplace(seq, hash);

    auto store = t.open_store ? t.open_store() : in::OpenDir(env.get(), t.project + "/.strata");
    if (store == nullptr) break;
    const in::LogView log = in::Read(*store);
    EXPECT_TRUE(log.status.ok()) << log.status.ToString() << "\n" << said;
    for (const auto& [seq, hash] : acked) {
      if (seq == 0 || seq > log.hashes.size()) {
        ADD_FAILURE() << "acknowledged commit " << seq << " is missing: the log ends at seq "
                      << log.hashes.size() << "\n" << said;
        break;
      }
      EXPECT_EQ(log.hashes[seq - 1], hash) << "acknowledged commit " << seq << "\n" << said;
    }
    for (const auto& [name, times] : log.tags) {
      EXPECT_EQ(times, 1) << "tag " << name << " recorded " << times << " times\n" << said;
    }
    EXPECT_EQ(std::set<std::string>(log.nonces.begin(), log.nonces.end()).size(),
              log.nonces.size())
        << "a writer nonce twice: one recording in two commits\n" << said;
    if (!t.mirror_dir.empty()) {
      auto mirror = in::OpenDir(env.get(), t.mirror_dir);
      if (mirror == nullptr) break;
      const in::LogView copy = in::Read(*mirror);
      EXPECT_TRUE(copy.status.ok()) << "the mirror: " << copy.status.ToString() << "\n" << said;
      EXPECT_EQ(copy.hashes, log.hashes) << "the mirror differs from the store\n" << said;
    }
    f.unacknowledged_kept = static_cast<int>(log.hashes.size() - acked.size());
    if (t.after_checks) t.after_checks(n, said);
  }
  f.acknowledged = static_cast<int>(acked.size());
  f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return f;
}

}  // namespace strata::testing

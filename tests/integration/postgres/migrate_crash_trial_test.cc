// `strata migrate run` killed with SIGKILL (tests/support/crash_trials.h): at random moments,
// and at each stage on purpose — while psql runs the migration, between the database's commit
// and the log's append (the test holds the log directory's lock, so the append waits), and
// after the append. After every kill the next `migrate run` succeeds, recording a migration the
// database applied but the log lacks as recovered; then the log matches the database: each
// history row is one migrate or recovered commit of that name and the log has no migration the
// database lacks, `strata drift` finds nothing, and every acknowledged commit is in the log once.
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "adapters/postgres/connection.h"
#include "engine/log/env.h"
#include "engine/store/commit_store.h"
#include "integration/postgres/test_database.h"
#include "tests/engine/testing/temp_dir.h"
#include "tests/support/crash_trials.h"
#include "tests/support/strata_runner.h"

namespace strata::postgres {
namespace {

namespace fs = std::filesystem;
using strata::testing::RunStrata;
using strata::testing::StrataRun;
using strata::testing::TempDir;
using strata::testing::TestDatabase;

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::atoi(v) : fallback;
}

// Where each migration stands after a kill.
enum class Stage { kNotApplied, kAppliedNotRecorded, kRecorded };

class MigrateCrashTrialTest : public ::testing::Test {
 protected:
  void SetUp() override { fs::create_directories(work_ / "migrations"); }

  std::vector<std::string> Environment() const {
    return {"PATH=/usr/bin:/bin", "NO_COLOR=1", "PGHOST=127.0.0.1",
            "PGPORT=" + std::to_string(strata::testing::TestClusterPort()), "PGUSER=postgres",
            "PGDATABASE=" + db_.name(), "STRATA_ACTOR_NAME=crasher"};
  }
  StrataRun Strata(const std::vector<std::string>& args) const {
    return RunStrata(args, Environment(), work_.path());
  }

  // Migration n: a table of its own, a pause inside the transaction, and (when `psql`) a
  // meta-command that hands the file to psql.
  // With `quiet`, the pause prints nothing (a DO block), so psql has nothing to write after it.
  std::string AddMigration(int n, int sleep_ms, bool psql, bool quiet = false) {
    const std::string stem = fmt::format("20240101{:02d}{:02d}00_core_m{}", n / 60, n % 60, n);
    std::ofstream out(fs::path(work_ / "migrations") / (stem + ".sql"));
    out << (psql ? "\\echo migration " + std::to_string(n) + "\n" : std::string())
        << "CREATE TABLE m" << n << " (id int PRIMARY KEY, note text);\n";
    if (quiet) {
      out << "DO $$ BEGIN PERFORM pg_sleep(" << sleep_ms / 1000.0 << "); END $$;\n";
    } else {
      out << "SELECT pg_sleep(" << sleep_ms / 1000.0 << ");\n";
    }
    return stem;
  }

  std::set<std::string> HistoryRows() {
    std::set<std::string> out;
    auto exists = conn_->Exec("SELECT to_regclass('public.migrations_core') IS NOT NULL");
    if (!exists.ok() || exists->rows[0][0] != "t") return out;
    auto r = conn_->Exec("SELECT migration_name FROM public.migrations_core");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return out;
    for (const auto& row : r->rows) out.insert(row[0].value_or(""));
    return out;
  }

  // Migration name -> how many migrate or recovered commits of the log carry it.
  std::map<std::string, int> LoggedMigrations() {
    std::map<std::string, int> out;
    auto env = NewPosixEnv();
    if (!fs::exists(work_ / ".strata")) return out;
    auto reader = CommitReader::Open(env.get(), work_ / ".strata");
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    if (!reader.ok()) return out;
    Status s = (*reader)->Scan({}, [&](const ScannedCommit& c) {
      if (!c.commit.migration().name().empty()) ++out[c.commit.migration().name()];
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  Stage StageOf(const std::string& stem) {
    if (LoggedMigrations().count(stem) > 0) return Stage::kRecorded;
    return HistoryRows().count(stem) > 0 ? Stage::kAppliedNotRecorded : Stage::kNotApplied;
  }

  // The log matches the database: each history row is in the log exactly once, the log has no
  // migration the database lacks, and drift finds nothing.
  void ExpectTheLogMatchesTheDatabase(const std::string& context) {
    const std::set<std::string> rows = HistoryRows();
    const std::map<std::string, int> logged = LoggedMigrations();
    for (const std::string& name : rows) {
      auto it = logged.find(name);
      EXPECT_TRUE(it != logged.end() && it->second == 1)
          << name << " is in the history table and "
          << (it == logged.end() ? 0 : it->second) << " times in the log\n" << context;
    }
    for (const auto& [name, times] : logged) {
      EXPECT_EQ(rows.count(name), 1u) << name << " is in the log, not the database\n" << context;
    }
    StrataRun drift = Strata({"drift"});
    EXPECT_EQ(drift.code, 0) << drift << context;
  }

  // Starts `migrate run` with stderr in a file; the caller kills it.
  pid_t StartRun(const std::string& err_path) {
    return strata::testing::StartStrata({"migrate", "run", "migrations"}, Environment(),
                                        work_.path(), err_path)
        .pid;
  }

  // Waits (up to 60 s) until `ready` holds.
  static bool WaitFor(const std::function<bool()>& ready) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < give_up) {
      if (ready()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }

  bool Sleeping(const std::string& marker) {
    auto r = conn_->Exec(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND "
        "pid <> pg_backend_pid() AND query LIKE $1",
        {"%pg_sleep(" + marker + ")%"});
    return r.ok() && r->rows[0][0] != "0";
  }

  TempDir work_;
  TestDatabase db_;
  std::unique_ptr<Connection> conn_ = db_.Connect();
};

TEST_F(MigrateCrashTrialTest, KilledAtRandomMomentsTheNextRunRecoversAndTheLogMatches) {
  std::map<Stage, int> stages;
  std::vector<std::string> stems;
  strata::testing::CrashTrials t;
  t.project = work_.path();
  t.env = Environment();
  t.trials = EnvInt("STRATA_MIGRATE_CRASH_TRIALS", 60);
  t.seed = static_cast<uint64_t>(EnvInt("STRATA_CRASH_SEED", 20261206));
  t.max_kill_ms = EnvInt("STRATA_MIGRATE_CRASH_MAX_KILL_MS", 400);
  t.first = {};  // no strata.yaml: generate has no schema to read; migrate run needs none
  t.recover = {"migrate", "run", "migrations"};
  t.prepare = [&](int n, std::mt19937_64& rng) {
    const int sleep_ms = static_cast<int>(rng() % 100);
    const bool psql = rng() % 2 == 0;
    stems.push_back(AddMigration(n, sleep_ms, psql, rng() % 2 == 0));
    return std::vector<std::vector<std::string>>{{"migrate", "run", "migrations"}};
  };
  t.after_kill = [&](int n, const std::string&) { ++stages[StageOf(stems[n])]; };
  t.after_checks = [&](int, const std::string& said) { ExpectTheLogMatchesTheDatabase(said); };
  const strata::testing::CrashTrialFigures f = strata::testing::RunCrashTrials(t);
  std::cout << "migrate run crash trials: " << f << "; after the kill: "
            << stages[Stage::kNotApplied] << " not applied, " << stages[Stage::kAppliedNotRecorded]
            << " applied but not recorded (recovered by the next run), "
            << stages[Stage::kRecorded] << " recorded\n";
  EXPECT_EQ(f.trials, t.trials);
  EXPECT_EQ(HistoryRows().size(), static_cast<size_t>(t.trials));
}

// Killed while psql runs the migration (it sleeps in pg_sleep): psql dies with strata, so the
// migration's transaction never commits, and the next run applies and records it. Before psql
// got the parent-death signal, a psql with nothing left to print (the DO block) went on alone,
// committed while the next run applied the same file, and that run failed ("duplicate key
// value violates unique constraint pg_type_typname_nsp_index").
TEST_F(MigrateCrashTrialTest, KilledWhilePsqlRunsTheMigration) {
  for (int n = 0; n < 4; ++n) {
    SCOPED_TRACE("migration " + std::to_string(n));
    const std::string stem = AddMigration(n, 1500 + n, true, n % 2 == 1);
    const std::string err = work_ / ("err." + std::to_string(n));
    pid_t pid = StartRun(err);
    ASSERT_TRUE(WaitFor([&] { return Sleeping(fmt::format("{}", (1500 + n) / 1000.0)); }));
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    StrataRun next = Strata({"migrate", "run", "migrations"});
    ASSERT_EQ(next.code, 0) << next;
    ExpectTheLogMatchesTheDatabase(next.err);
    EXPECT_EQ(HistoryRows().count(stem), 1u);
  }
}

// Killed after the database committed the migration and its history row, before the log took
// the commit: the test holds the log directory's lock, so the run waits at the append.
TEST_F(MigrateCrashTrialTest, KilledBetweenTheDatabaseCommitAndTheLogAppend) {
  fs::create_directories(work_ / ".strata");
  for (int n = 0; n < 3; ++n) {
    SCOPED_TRACE("migration " + std::to_string(n));
    const std::string stem = AddMigration(n, 0, n % 2 == 0);
    const std::string lock_path = work_ / ".strata/LOCK";
    int lock = open(lock_path.c_str(), O_RDWR | O_CREAT, 0644);
    ASSERT_GE(lock, 0);
    ASSERT_EQ(flock(lock, LOCK_EX), 0);
    const std::string err = work_ / ("err." + std::to_string(n));
    pid_t pid = StartRun(err);
    ASSERT_TRUE(WaitFor([&] { return HistoryRows().count(stem) > 0; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(50 * n));  // into the capture, or past
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    close(lock);
    EXPECT_EQ(StageOf(stem), Stage::kAppliedNotRecorded);
    StrataRun next = Strata({"--json", "migrate", "run", "migrations"});
    ASSERT_EQ(next.code, 0) << next;
    const auto j = next.Json();
    ASSERT_EQ(j["recorded"].size(), 1u) << next;
    EXPECT_EQ(j["recorded"][0]["kind"], "recovered");
    EXPECT_EQ(j["recorded"][0]["name"], stem);
    ExpectTheLogMatchesTheDatabase(next.err);
  }
}

// Killed right after the log acknowledged the commit ("recorded commit" on stderr): the commit
// stays, the next run records nothing more.
TEST_F(MigrateCrashTrialTest, KilledAfterTheLogAppend) {
  for (int n = 0; n < 3; ++n) {
    SCOPED_TRACE("migration " + std::to_string(n));
    const std::string stem = AddMigration(n, 0, n % 2 == 1);
    const std::string err = work_ / ("err." + std::to_string(n));
    pid_t pid = StartRun(err);
    ASSERT_TRUE(WaitFor([&] {
      std::ifstream in(err);
      std::stringstream text;
      text << in.rdbuf();
      return text.str().find("recorded commit ") != std::string::npos;
    }));
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    EXPECT_EQ(StageOf(stem), Stage::kRecorded);
    StrataRun next = Strata({"--json", "migrate", "run", "migrations"});
    ASSERT_EQ(next.code, 0) << next;
    EXPECT_TRUE(next.Json()["recorded"].empty()) << next;
    ExpectTheLogMatchesTheDatabase(next.err);
  }
}

}  // namespace
}  // namespace strata::postgres

// Crash trials (tests/support/crash_trials.h) on a project whose log is a PostgreSQL log store:
// each trial changes a table file and adds a migration, starts `generate`, `tag` and
// `migrate run` together and kills them at a random moment. The store and the checkout's mirror
// must both hold every acknowledged commit once, and `strata verify` must pass.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "adapters/postgres/log_store.h"
#include "cli/mirror.h"
#include "integration/postgres/test_database.h"
#include "tests/engine/testing/temp_dir.h"
#include "tests/support/crash_trials.h"
#include "tests/support/strata_runner.h"

namespace strata::postgres {
namespace {

namespace fs = std::filesystem;
using strata::testing::TempDir;
using strata::testing::TestDatabase;

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::atoi(v) : fallback;
}

TEST(PostgresCrashTrialTest, GenerateTagAndMigrateKilledAtRandomMomentsOnASharedLog) {
  TestDatabase log_db, app_db;
  TempDir work;
  const std::string project = work / "shop";
  fs::create_directories(fs::path(project) / "schema/dynamodb");
  fs::create_directories(fs::path(project) / "migrations");
  const std::string url =
      fmt::format("postgres://127.0.0.1:{}/{}?user=postgres&log=crash",
                  strata::testing::TestClusterPort(), log_db.name());
  std::ofstream(fs::path(project) / "strata.yaml")
      << "version: 1\nlog: " << url
      << "\nschemas:\n  dynamodb: schema/dynamodb\n  postgres:\n    engine: postgres\n"
         "    path: migrations\n";

  std::ofstream(fs::path(project) / "schema/dynamodb/base.yaml")
      << "table: base\npartition_key: { name: id, type: S }\n";
  strata::testing::CrashTrials t;
  t.project = project;
  t.env = {"PATH=/usr/bin:/bin", "NO_COLOR=1", "PGHOST=127.0.0.1",
           "PGPORT=" + std::to_string(strata::testing::TestClusterPort()), "PGUSER=postgres",
           "PGDATABASE=" + app_db.name(), "STRATA_ACTOR_NAME=crasher"};
  t.trials = EnvInt("STRATA_REMOTE_CRASH_TRIALS", 150);
  t.seed = static_cast<uint64_t>(EnvInt("STRATA_CRASH_SEED", 20261206));
  t.max_kill_ms = EnvInt("STRATA_REMOTE_CRASH_MAX_KILL_MS", 250);
  t.prepare = [&](int n, std::mt19937_64&) {
    const std::string table = "tab" + std::to_string(n % 5);
    const fs::path file = fs::path(project) / "schema/dynamodb" / (table + ".yaml");
    if (fs::exists(file)) {
      fs::remove(file);
    } else {
      std::ofstream(file) << "table: " << table << "\npartition_key: { name: id, type: S }\n";
    }
    std::ofstream(fs::path(project) / "migrations" /
                  fmt::format("20240101{:02d}{:02d}00_core_m{}.sql", n / 60, n % 60, n))
        << "CREATE TABLE m" << n << " (id int);\n";
    return std::vector<std::vector<std::string>>{
        {"generate", "-m", "trial " + std::to_string(n)},
        {"tag", "trial-" + std::to_string(n)},
        {"migrate", "run", "migrations"},
    };
  };
  t.recover = {"migrate", "run", "migrations"};
  t.open_store = [&]() -> std::unique_ptr<LogStore> {
    PostgresLogStoreOptions o;
    o.conninfo = log_db.conninfo();
    o.log_id = "crash";
    auto store = PostgresLogStore::Open(o);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  };
  t.mirror_dir = cli::MirrorDirFor(project, url);
  const strata::testing::CrashTrialFigures f = strata::testing::RunCrashTrials(t);
  std::cout << "crash trials (PostgreSQL log store): " << f << "\n";
  EXPECT_EQ(f.trials, t.trials);
  EXPECT_GT(f.killed_running, f.processes / 4);
}

}  // namespace
}  // namespace strata::postgres

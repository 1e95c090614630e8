// adapters/postgres/migrator in process against the test cluster: the hooks the log uses.
#include "adapters/postgres/migrator.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "integration/postgres/test_database.h"
#include "tests/engine/testing/temp_dir.h"

namespace strata::postgres {
namespace {

namespace fs = std::filesystem;
using strata::testing::TempDir;
using strata::testing::TestDatabase;

class MigratorTest : public ::testing::Test {
 protected:
  void Write(const std::string& name, const std::string& body) {
    std::ofstream(dir_ / name, std::ios::binary) << body;
  }
  std::vector<MigrationTrack> Tracks() {
    auto t = DiscoverTracks(dir_.path());
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return t.ok() ? *t : std::vector<MigrationTrack>{};
  }
  Migrator Make(MigrationHooks hooks) {
    return Make(conn_.get(), MigratorOptions{}, std::move(hooks));
  }
  // A migrator on another connection, as another process's run would have.
  Migrator Make(Connection* conn, MigratorOptions options, MigrationHooks hooks = {}) {
    auto setup = MakeChildSetup("/usr/bin/psql", db_.conninfo(), {"PATH=/usr/bin:/bin"});
    EXPECT_TRUE(setup.ok());
    options.execution_id = "00000000-0000-4000-8000-000000000000";
    return Migrator(conn, runner_.get(), *setup, options, std::move(hooks));
  }
  // The tracks in the directory, by name.
  std::map<std::string, std::vector<MigrationTrack>> TracksByName() {
    std::map<std::string, std::vector<MigrationTrack>> out;
    for (auto& t : Tracks()) out[t.name] = {t};
    return out;
  }

  TestDatabase db_;
  TempDir dir_;
  std::unique_ptr<Connection> conn_ = db_.Connect();
  std::unique_ptr<common::ProcessRunner> runner_ = common::NewPosixProcessRunner();
};

TEST_F(MigratorTest, HooksSeeTheLockedHistoryAndEachMigration) {
  Write("1_core_a.sql", "CREATE TABLE a (id int);");
  auto tracks = Tracks();
  ASSERT_TRUE(Make({}).Run(tracks).status.ok());
  Write("2_core_b.sql", "CREATE TABLE b (id int);");
  Write("3_core_c.sql", "CREATE TABLE c (id int);");
  tracks = Tracks();

  std::vector<std::string> calls;
  MigrationHooks hooks;
  hooks.on_locked = [&](Connection& c, const std::vector<AppliedMigration>& applied) {
    // The hook's connection holds the track's lock.
    auto held = c.Exec("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()");
    calls.push_back("locked " + std::to_string(applied.size()) + " " + held->rows[0][0].value_or(""));
    return Status::Ok();
  };
  hooks.before_each = [&](Connection& c, const MigrationFile& f) {
    auto exists = c.Exec("SELECT to_regclass('b') IS NOT NULL");
    calls.push_back("before " + f.name.stem + " b=" + exists->rows[0][0].value_or(""));
    return Status::Ok();
  };
  hooks.after_each = [&](Connection& c, const MigrationFile& f, const AppliedMigration& row) {
    calls.push_back("after " + f.name.stem + " id=" + std::to_string(row.id) + " " +
                    (row.hash == f.sha256_hex ? "hash" : "nohash"));
    return Status::Ok();
  };
  RunReport r = Make(std::move(hooks)).Run(tracks);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(calls, (std::vector<std::string>{"locked 1 1", "before 2_core_b b=f",
                                             "after 2_core_b id=2 hash", "before 3_core_c b=t",
                                             "after 3_core_c id=3 hash"}));
  ASSERT_EQ(r.applied.size(), 2u);
  EXPECT_EQ(r.applied[1].row.name, "3_core_c");
  // The lock is released after the run.
  auto locks = conn_->Exec("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()");
  EXPECT_EQ(locks->rows[0][0], "0");
}

TEST_F(MigratorTest, AHookErrorStopsTheRunAndTheMigrationStaysApplied) {
  Write("1_core_a.sql", "CREATE TABLE a (id int);");
  Write("2_core_b.sql", "CREATE TABLE b (id int);");
  auto tracks = Tracks();
  MigrationHooks hooks;
  hooks.after_each = [](Connection&, const MigrationFile& f, const AppliedMigration&) {
    return Status::Unavailable("log store unreachable");
  };
  RunReport r = Make(std::move(hooks)).Run(tracks);
  EXPECT_EQ(r.status.code(), Code::kUnavailable);
  EXPECT_EQ(r.status.message(), "1_core_a is applied: log store unreachable");
  ASSERT_TRUE(r.failed);
  EXPECT_EQ(r.failed->stage, FailureStage::kHook);
  auto rows = conn_->Exec("SELECT migration_name FROM migrations_core");
  ASSERT_EQ(rows->rows.size(), 1u);
  EXPECT_EQ(rows->rows[0][0], "1_core_a");
  EXPECT_TRUE(*HistoryTable("public", "core").Exists(*conn_));

  MigrationHooks refuse;
  refuse.on_locked = [](Connection&, const std::vector<AppliedMigration>& applied) {
    return Status::FailedPrecondition("history has " + std::to_string(applied.size()) +
                                      " row(s) the log lacks");
  };
  r = Make(std::move(refuse)).Run(tracks);
  EXPECT_EQ(r.status.message(), "track core: history has 1 row(s) the log lacks");
  EXPECT_EQ(conn_->Exec("SELECT count(*) FROM migrations_core")->rows[0][0], "1");
}

// A recording failure in one track (its migration stays applied, to be recorded as recovered
// next time) does not hold up another track; a failed migration does.
TEST_F(MigratorTest, ATracksRecordingFailureDoesNotHoldUpTheOthers) {
  Write("1_billing_a.sql", "CREATE TABLE billing_a (id int);");
  Write("1_core_a.sql", "CREATE TABLE core_a (id int);");
  auto tracks = Tracks();
  ASSERT_EQ(tracks.size(), 2u);
  const std::string first = tracks[0].name, second = tracks[1].name;
  MigrationHooks hooks;
  hooks.after_each = [&first](Connection&, const MigrationFile& f, const AppliedMigration&) {
    if (f.name.track == first) return Status::Unavailable("log store unreachable");
    return Status::Ok();
  };
  RunReport r = Make(std::move(hooks)).Run(tracks);
  EXPECT_EQ(r.status.message(), "1_" + first + "_a is applied: log store unreachable");
  ASSERT_TRUE(r.failed);
  EXPECT_EQ(r.failed->file->name.stem, "1_" + first + "_a");
  ASSERT_EQ(r.applied.size(), 2u);
  EXPECT_EQ(r.applied[1].row.name, "1_" + second + "_a");  // the other track ran

  Write("2_" + first + "_b.sql", "CREATE TABLE b2 (x nonsense_type);");
  Write("2_" + second + "_b.sql", "CREATE TABLE b3 (id int);");
  r = Make({}).Run(Tracks());
  EXPECT_FALSE(r.status.ok());
  ASSERT_TRUE(r.failed);
  EXPECT_EQ(r.failed->stage, FailureStage::kMigration);
  EXPECT_TRUE(r.applied.empty());  // a failed migration stops the run: the other track waits
}

// The hooks diff the catalog before and after each migration, so nothing else may change it in
// between: a run of another track, on another connection, cannot apply a migration while one
// is in progress (before_each to after_each); it waits, or with no lock timeout fails saying
// which lock it found held, and applies its migration once the first run is done.
TEST_F(MigratorTest, AnotherTrackCannotApplyWhileAMigrationRuns) {
  Write("1_core_a.sql", "CREATE TABLE a (id int);");
  Write("1_billing_b.sql", "CREATE TABLE b (id int);");
  auto tracks = TracksByName();
  std::unique_ptr<Connection> other_conn = db_.Connect();
  MigratorOptions no_wait;
  no_wait.lock_timeout_ms = 0;
  Migrator other = Make(other_conn.get(), no_wait);

  std::vector<RunReport> inside;
  std::vector<std::string> seen;
  MigrationHooks hooks;
  hooks.before_each = [&](Connection&, const MigrationFile&) {
    inside.push_back(other.Run(tracks["billing"]));
    return Status::Ok();
  };
  hooks.after_each = [&](Connection& c, const MigrationFile&, const AppliedMigration&) {
    inside.push_back(other.Run(tracks["billing"]));
    auto b = c.Exec("SELECT to_regclass('b') IS NOT NULL");
    seen.push_back("b=" + b->rows[0][0].value_or(""));
    return Status::Ok();
  };
  RunReport core = Make(std::move(hooks)).Run(tracks["core"]);
  ASSERT_TRUE(core.status.ok()) << core.status.ToString();
  ASSERT_EQ(inside.size(), 2u);
  for (const RunReport& r : inside) {
    EXPECT_EQ(r.status.code(), Code::kFailedPrecondition) << r.status.ToString();
    EXPECT_EQ(r.status.message(),
              "the apply lock of " + conn_->description() +
                  " (one track applies migrations at a time) is held by another run; wait for "
                  "that run to finish (or raise --lock-timeout)");
    EXPECT_TRUE(r.applied.empty());
  }
  EXPECT_EQ(seen, std::vector<std::string>{"b=f"});  // core's migration ran alone

  RunReport billing = other.Run(tracks["billing"]);  // the lock is free again
  ASSERT_TRUE(billing.status.ok()) << billing.status.ToString();
  ASSERT_EQ(billing.applied.size(), 1u);
  // Advisory locks of this test's database only: tests running beside it on the cluster hold
  // their own.
  auto locks = conn_->Exec(
      "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
      "(SELECT oid FROM pg_database WHERE datname = current_database())");
  EXPECT_EQ(locks->rows[0][0], "0");
}

TEST_F(MigratorTest, PlanTakesNoLockAndCreatesNothing) {
  Write("1_core_a.sql", "CREATE TABLE a (id int);");
  auto tracks = Tracks();
  auto plans = Make({}).Plan(tracks);
  ASSERT_TRUE(plans.ok());
  EXPECT_FALSE((*plans)[0].table_exists);
  EXPECT_EQ((*plans)[0].ToRun().size(), 1u);
  EXPECT_FALSE(*HistoryTable("public", "core").Exists(*conn_));
}

}  // namespace
}  // namespace strata::postgres

// adapters/postgres/capture in process: the Migrator's hooks recording through the Recorder
// into a real log, on the test cluster. What a capture records is decided against the head it
// is appended to, so another writer's commits (another database, another process) change it.
#include "adapters/postgres/capture.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <thread>

#include "engine/store/commit_store.h"
#include "integration/postgres/capture_fixture.h"
#include "integration/postgres/test_database.h"
#include "tests/engine/testing/temp_dir.h"

namespace strata::postgres {
namespace {

namespace fs = std::filesystem;
using strata::testing::TempDir;
using strata::testing::TestDatabase;


// While psql applies the migration to app, another process applies it to staging and records
// it first. The app run read the log before that, under its lock; it must see the staging
// commit when it records, and record a deployment referring to it, not the migration again.
TEST_F(MigrationCaptureTest, AMigrationAnotherWriterRecordedMeanwhileBecomesADeployment) {
  Write("1_core_users.sql", "CREATE TABLE users (id bigint PRIMARY KEY);\n");
  const auto tracks = Tracks();
  auto app_recorder = NewRecorder("app-runner");
  auto app_capture = NewCapture(*app_recorder, "app", &tracks);
  auto staging_recorder = NewRecorder("staging-runner");
  auto staging_capture = NewCapture(*staging_recorder, "staging", &tracks);
  ASSERT_TRUE(app_capture && staging_capture);

  MigrationHooks hooks = app_capture->Hooks();
  hooks.before_each = [&, before = hooks.before_each](Connection& conn, const MigrationFile& f) {
    Status s = before(conn, f);
    Run(staging_, *staging_capture, tracks);  // the other process, meanwhile
    return s;
  };
  Run(app_, hooks, tracks);
  ASSERT_EQ(staging_capture->recorded().size(), 1u);
  EXPECT_EQ(staging_capture->recorded()[0].kind, "migration");
  EXPECT_EQ(staging_capture->recorded()[0].seq, 1u);
  ASSERT_EQ(app_capture->recorded().size(), 1u);
  const MigrationCapture::Recorded& r = app_capture->recorded()[0];
  EXPECT_EQ(r.kind, "deployment");
  EXPECT_EQ(r.seq, 2u);
  EXPECT_EQ(r.drift, "");

  const std::vector<pb::Commit> log = Log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].origin(), pb::ORIGIN_MIGRATE);
  EXPECT_EQ(log[0].events_size(), 1);
  EXPECT_EQ(log[0].migration().database(), "staging");
  EXPECT_EQ(log[0].actor().name(), "staging-runner");
  EXPECT_EQ(log[1].origin(), pb::ORIGIN_DEPLOY);
  EXPECT_EQ(log[1].events_size(), 0);
  EXPECT_EQ(log[1].deployment().target(), "app");
  EXPECT_EQ(log[1].deployment().refers_to_seq(), 1u);
  EXPECT_EQ(log[1].deployment().to_seq(), 1u);  // the head it was appended to
  EXPECT_EQ(log[1].actor().name(), "app-runner");
  EXPECT_TRUE(notes_.empty());
}

// Each commit of a run carries the time its migration finished, read before the capture's
// introspection and recording, which take time of their own: the clock here jumps an hour at
// every reading, so any later reading would show.
TEST_F(MigrationCaptureTest, EachCommitCarriesTheTimeItsMigrationFinished) {
  Write("1_core_users.sql", "CREATE TABLE users (id bigint PRIMARY KEY);\n");
  Write("2_core_email.sql", "ALTER TABLE users ADD COLUMN email text;\n");
  const auto tracks = Tracks();
  constexpr int64_t kHour = 3600'000'000;
  constexpr int64_t kT0 = 1'772'000'000'000'000;
  std::atomic<int64_t> now{kT0};
  auto recorder = NewRecorder("runner", [&now] { return now.fetch_add(kHour); });
  auto capture = NewCapture(*recorder, "app", &tracks);
  ASSERT_TRUE(capture);
  std::vector<int64_t> finished;
  MigrationHooks hooks = capture->Hooks();
  hooks.after_each = [&, after = hooks.after_each](Connection& conn, const MigrationFile& f,
                                                   const AppliedMigration& row) {
    finished.push_back(kT0 + static_cast<int64_t>(finished.size() + 1) * 10 * kHour);
    now = finished.back();  // the migration has just finished
    return after(conn, f, row);
  };
  Run(app_, hooks, tracks);
  const std::vector<pb::Commit> log = Log();
  ASSERT_EQ(log.size(), 2u);
  ASSERT_EQ(finished.size(), 2u);
  EXPECT_EQ(log[0].time_unix_micros(), finished[0]);
  EXPECT_EQ(log[1].time_unix_micros(), finished[1]);

  // A deployment to another database is a fact of its own time too.
  auto staging_recorder = NewRecorder("runner", [&now] { return now.fetch_add(kHour); });
  auto staging = NewCapture(*staging_recorder, "staging", &tracks);
  ASSERT_TRUE(staging);
  MigrationHooks staging_hooks = staging->Hooks();
  staging_hooks.after_each = [&, after = staging_hooks.after_each](
                                 Connection& conn, const MigrationFile& f,
                                 const AppliedMigration& row) {
    finished.push_back(kT0 + static_cast<int64_t>(finished.size() + 1) * 10 * kHour);
    now = finished.back();
    return after(conn, f, row);
  };
  Run(staging_, staging_hooks, tracks);
  const std::vector<pb::Commit> all = Log();
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[2].origin(), pb::ORIGIN_DEPLOY);
  EXPECT_EQ(all[2].time_unix_micros(), finished[2]);
  EXPECT_EQ(all[3].time_unix_micros(), finished[3]);
}

// A deployment whose effect differs from the recorded one keeps the difference, object by
// object, and warns.
TEST_F(MigrationCaptureTest, DriftNamesWhatIsMissingHereAndWhatOnlyHappenedHere) {
  Write("1_core_users.sql", "CREATE TABLE IF NOT EXISTS users (id bigint);\n"
                            "ALTER TABLE users ADD COLUMN IF NOT EXISTS email text;\n");
  const auto tracks = Tracks();
  auto recorder = NewRecorder("runner");
  auto first = NewCapture(*recorder, "app", &tracks);
  ASSERT_TRUE(first);
  Run(app_, *first, tracks);

  // On staging the table was already there, with another column: the migration adds only the
  // email column there.
  auto conn = staging_.Connect();
  ASSERT_TRUE(conn);
  ASSERT_TRUE(conn->ExecScript("CREATE TABLE users (id bigint, nick text)").ok());
  auto second = NewCapture(*recorder, "staging", &tracks);
  ASSERT_TRUE(second);
  Run(staging_, *second, tracks);
  ASSERT_EQ(second->recorded().size(), 1u);
  const MigrationCapture::Recorded& r = second->recorded()[0];
  EXPECT_EQ(r.kind, "deployment");
  EXPECT_EQ(r.drift, "recorded 1 change, here 1: missing here: public.users create table; "
                     "only here: public.users add column email text");
  ASSERT_EQ(notes_.size(), 1u);
  EXPECT_EQ(notes_[0], "warning: drift in 1_core_users on staging: " + r.drift);
  const std::vector<pb::Commit> log = Log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[1].deployment().detail(), "drift: " + r.drift);
}

// A history row the log lacks is recorded before anything runs, carrying what the log lacks of
// the database; a second capture finds it recorded and records nothing.
TEST_F(MigrationCaptureTest, AHistoryRowTheLogLacksIsRecoveredOnce) {
  Write("1_core_users.sql", "CREATE TABLE users (id bigint PRIMARY KEY);\n");
  auto tracks = Tracks();
  {
    // Applied without a capture: the row is in the database only.
    auto conn = app_.Connect();
    auto setup = MakeChildSetup("/usr/bin/psql", app_.conninfo(), {"PATH=/usr/bin:/bin"});
    ASSERT_TRUE(conn && setup.ok());
    Migrator migrator(conn.get(), runner_.get(), *setup, MigratorOptions{});
    ASSERT_TRUE(migrator.Run(tracks).status.ok());
  }
  Write("2_core_tags.sql", "CREATE TABLE tags (name text);\n");
  tracks = Tracks();
  auto recorder = NewRecorder("runner");
  auto capture = NewCapture(*recorder, "app", &tracks);
  ASSERT_TRUE(capture);
  Run(app_, *capture, tracks);
  ASSERT_EQ(capture->recorded().size(), 2u);
  EXPECT_EQ(capture->recorded()[0].kind, "recovered");
  EXPECT_EQ(capture->recorded()[0].stem, "1_core_users");
  EXPECT_EQ(capture->recorded()[0].events, 1u);  // the users table
  EXPECT_EQ(capture->recorded()[1].kind, "migration");
  EXPECT_EQ(capture->recorded()[1].events, 1u);  // the tags table
  const std::vector<pb::Commit> log = Log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].origin(), pb::ORIGIN_RECOVERED);
  EXPECT_EQ(log[0].migration().sql(), "CREATE TABLE users (id bigint PRIMARY KEY);\n");
  EXPECT_EQ(log[0].migration().track(), "core");

  auto again = NewCapture(*recorder, "app", &tracks);
  ASSERT_TRUE(again);
  Run(app_, *again, tracks);
  EXPECT_TRUE(again->recorded().empty());
  EXPECT_EQ(Log().size(), 2u);
}

}  // namespace
}  // namespace strata::postgres

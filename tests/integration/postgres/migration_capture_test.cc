// adapters/postgres/capture in process: the Migrator's hooks recording through the Recorder
// into a real log, on the test cluster. What a capture records is decided against the head it
// is appended to, so another writer's commits (another database, another process) change it.
#include "adapters/postgres/capture.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "engine/store/commit_store.h"
#include "integration/postgres/test_database.h"
#include "tests/engine/testing/temp_dir.h"

namespace strata::postgres {
namespace {

namespace fs = std::filesystem;
using strata::testing::TempDir;
using strata::testing::TestDatabase;

class MigrationCaptureTest : public ::testing::Test {
 protected:
  void Write(const std::string& name, const std::string& body) {
    std::ofstream(fs::path(migrations_.path()) / name, std::ios::binary) << body;
  }
  std::vector<MigrationTrack> Tracks() {
    auto t = DiscoverTracks(migrations_.path());
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return t.ok() ? *t : std::vector<MigrationTrack>{};
  }
  std::unique_ptr<record::Recorder> NewRecorder(const std::string& actor) {
    record::RecorderOptions o;
    o.env = env_.get();
    o.log_dir = log_.path();
    o.actor.set_name(actor);
    o.now_micros = [] { return int64_t{1700000000000000}; };
    o.steady_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::steady_clock::now().time_since_epoch())
          .count();
    };
    o.sleep_ms = [](int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
    o.random = [n = uint64_t{0}]() mutable { return ++n; };
    auto r = record::Recorder::Open(std::move(o));
    // Everything after this uses the recorder: stop here rather than crash on a null one.
    if (!r.ok()) throw std::runtime_error(r.status().ToString());
    return std::move(r).value();
  }
  std::unique_ptr<MigrationCapture> NewCapture(record::Recorder& recorder,
                                               const std::string& database,
                                               const std::vector<MigrationTrack>* tracks) {
    CaptureOptions o;
    o.env = env_.get();
    o.log_dir = log_.path();
    o.schema = "app";
    o.database = database;
    o.tracks = tracks;
    o.note = [this](const std::string& line) { notes_.push_back(line); };
    auto c = MigrationCapture::Open(recorder, std::move(o));
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? std::move(c).value() : nullptr;
  }
  // Runs every pending migration of `tracks` on `db` with `hooks` (a capture's) recording.
  void Run(const TestDatabase& db, MigrationHooks hooks,
           const std::vector<MigrationTrack>& tracks) {
    auto conn = db.Connect();
    ASSERT_TRUE(conn);
    auto setup = MakeChildSetup("/usr/bin/psql", db.conninfo(), {"PATH=/usr/bin:/bin"});
    ASSERT_TRUE(setup.ok()) << setup.status().ToString();
    MigratorOptions options;
    options.execution_id = "00000000-0000-4000-8000-000000000000";
    Migrator migrator(conn.get(), runner_.get(), *setup, options, std::move(hooks));
    RunReport r = migrator.Run(tracks);
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  }
  void Run(const TestDatabase& db, MigrationCapture& capture,
           const std::vector<MigrationTrack>& tracks) {
    Run(db, capture.Hooks(), tracks);
  }
  std::vector<pb::Commit> Log() {
    std::vector<pb::Commit> out;
    auto reader = CommitReader::Open(env_.get(), log_.path());
    EXPECT_TRUE(reader.ok());
    if (!reader.ok()) return out;
    Status s = (*reader)->Scan({}, [&](const StoredCommit& c) {
      out.push_back(c.commit);
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  std::unique_ptr<Env> env_ = NewPosixEnv();
  TempDir log_, migrations_;
  TestDatabase app_, staging_;
  std::unique_ptr<common::ProcessRunner> runner_ = common::NewPosixProcessRunner();
  std::vector<std::string> notes_;
};

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

// A deployment whose effect differs from the recorded one keeps the difference, object by
// object, and warns.
// After the first migration a run reads only what each migration wrote; the events are those
// a full read would give, and a read of everything after a migration is said, with its reason.
TEST_F(MigrationCaptureTest, LaterMigrationsAreCapturedFromWhatTheyWroteAndFullReadsAreNoted) {
  Write("1_core_schema.sql", "CREATE SCHEMA app; CREATE TABLE app.users (id bigint);\n");
  Write("2_core_column.sql", "ALTER TABLE app.users ADD COLUMN email text;\n");
  Write("3_core_rename.sql", "ALTER SCHEMA app RENAME TO shop;\n");
  Write("4_core_index.sql", "CREATE INDEX users_email ON shop.users (email);\n");
  const auto tracks = Tracks();
  auto recorder = NewRecorder("runner");
  auto capture = NewCapture(*recorder, "app", &tracks);
  ASSERT_TRUE(capture);
  Run(app_, *capture, tracks);
  ASSERT_EQ(capture->recorded().size(), 4u);
  const std::vector<pb::Commit> log = Log();
  ASSERT_EQ(log.size(), 4u);
  ASSERT_EQ(log[1].events_size(), 1);
  EXPECT_EQ(log[1].events(0).postgres().add_column().column().name(), "email");
  EXPECT_GT(log[2].events_size(), 0);  // the schema's tables under their new names
  ASSERT_EQ(log[3].events_size(), 1);
  EXPECT_TRUE(log[3].events(0).postgres().has_create_index());
  EXPECT_EQ(notes_, std::vector<std::string>{
                        "note: read the whole catalog after 3_core_rename (schema app was "
                        "renamed to shop)"});
}

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

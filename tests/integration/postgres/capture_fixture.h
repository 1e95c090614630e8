// A test fixture for captures of real migrations on the test cluster: migration files in a
// temporary directory, a log, two databases, recorders with fixed clocks, and a Migrator run
// with a capture's hooks.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <thread>

#include "adapters/postgres/capture.h"
#include "engine/state/apply.h"
#include "engine/store/commit_store.h"
#include "integration/postgres/test_database.h"
#include "tests/engine/testing/temp_dir.h"

namespace strata::postgres {

class MigrationCaptureTest : public ::testing::Test {
 protected:
  void Write(const std::string& name, const std::string& body) {
    std::ofstream(std::filesystem::path(migrations_.path()) / name, std::ios::binary) << body;
  }
  std::vector<MigrationTrack> Tracks() {
    auto t = DiscoverTracks(migrations_.path());
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return t.ok() ? *t : std::vector<MigrationTrack>{};
  }
  std::unique_ptr<record::Recorder> NewRecorder(
      const std::string& actor,
      std::function<int64_t()> clock = [] { return int64_t{1700000000000000}; }) {
    record::RecorderOptions o;
    o.env = env_.get();
    o.log_dir = log_.path();
    o.actor.set_name(actor);
    o.now_micros = std::move(clock);
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
  void Run(const strata::testing::TestDatabase& db, MigrationHooks hooks,
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
  void Run(const strata::testing::TestDatabase& db, MigrationCapture& capture,
           const std::vector<MigrationTrack>& tracks) {
    Run(db, capture.Hooks(), tracks);
  }
  std::vector<pb::Commit> Log() {
    std::vector<pb::Commit> out;
    auto reader = CommitReader::Open(env_.get(), log_.path());
    EXPECT_TRUE(reader.ok());
    if (!reader.ok()) return out;
    Status s = (*reader)->Scan({}, [&](const ScannedCommit& c) {
      out.push_back(c.commit);
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  // The state the log holds for the schema "app" after every commit.
  pb::PostgresSchema Recorded() {
    pb::State state;
    for (const pb::Commit& c : Log()) {
      EXPECT_TRUE(ApplyCommit(c, &state, OnFailure::kDiscard).ok()) << c.ShortDebugString();
    }
    auto it = state.schemas().find("app");
    return it == state.schemas().end() ? pb::PostgresSchema() : it->second.postgres();
  }

  std::unique_ptr<Env> env_ = NewPosixEnv();
  strata::testing::TempDir log_, migrations_;
  strata::testing::TestDatabase app_, staging_;
  std::unique_ptr<common::ProcessRunner> runner_ = common::NewPosixProcessRunner();
  std::vector<std::string> notes_;
};

}  // namespace strata::postgres

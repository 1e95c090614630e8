// Replay: the SQL of a PostgreSQL source's recorded migrations run again, in log order (which
// may interleave tracks exactly as they were applied), into an empty database, each with its
// history row; then the database is introspected and compared with the recorded state. A
// match shows the log rebuilds the schema; differences are what the SQL does not reproduce.
//
// Uses the caller's connection and process runner; not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "adapters/postgres/connection.h"
#include "adapters/postgres/migration_process.h"
#include "adapters/common/process_runner.h"
#include "engine/history/history.h"
#include "engine/status.h"
#include "proto/commit.pb.h"

namespace strata::postgres {

// A migration as the log first recorded it (not its deployments).
struct RecordedMigration {
  uint64_t seq = 0;
  pb::MigrationBody body;
};

// The migrations of schema source `schema` that carried SQL, in log order, up to and
// including seq `until`. The log's errors.
Result<std::vector<RecordedMigration>> RecordedMigrations(History& history,
                                                          const std::string& schema,
                                                          uint64_t until);

struct ReplayProgress {
  size_t index = 0, total = 0;  // 1-based
  const RecordedMigration* migration = nullptr;
};

struct ReplayRequest {
  std::vector<RecordedMigration> migrations;
  pb::SchemaState recorded;  // the recorded state at until_seq (empty when nothing was)
  uint64_t until_seq = 0;
  std::string history_schema = "public";  // of the migrations_<track> tables
  ChildSetup children;                    // psql and its environment
  // A directory for the migration files psql runs, made and removed by Replay (under the
  // system's temporary directory; the caller picks a name no other run uses).
  std::string work_dir;
  std::function<void(const ReplayProgress&)> progress;  // before each migration; may be empty
};

struct ReplayedMigration {
  uint64_t seq = 0;
  std::string name;
  bool ok = false;
};

struct ReplayReport {
  std::string database;  // host:port/dbname
  uint64_t until_seq = 0;
  std::vector<ReplayedMigration> replayed;
  // What turns the recorded state into the database's; empty when they match.
  std::vector<pb::Event> differences;
  bool matches() const { return differences.empty(); }
};

// FailedPrecondition when the database is not empty (nothing is run), or naming the migration
// and commit that failed with psql's output (the ones before it stay applied); IoError when the
// work directory cannot be written; the connection's and introspection's errors.
Result<ReplayReport> Replay(Connection& conn, common::ProcessRunner& runner, ReplayRequest request);

}  // namespace strata::postgres

// Migrator: applies migration tracks to one PostgreSQL database, each migration exactly once.
//
// Per track, in track order: take the track's advisory lock (waiting at most the lock
// timeout), create the history table if missing, read it, plan, then, holding the database's
// apply lock too (one track applies at a time, so the hooks see only their migration's
// changes), for each pending migration run its validation script, then psql (the migration and
// its history row commit together). Pending means "not in the history table" (a set, not a
// high-water mark).
// A plan refers to the MigrationFiles it was made from: keep the tracks alive while using it.
// Not thread-safe; one Migrator per connection.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/postgres/connection.h"
#include "adapters/postgres/history_table.h"
#include "adapters/postgres/migration_files.h"
#include "adapters/postgres/migration_process.h"
#include "adapters/postgres/migration_session.h"
#include "adapters/common/process_runner.h"
#include "engine/status.h"

namespace strata::postgres {

// ---- plan: pure, from files and history rows ---------------------------------------------

enum class MigrationState {
  kApplied,     // in the history table with the file's checksum
  kPending,     // not in the history table
  kOutOfOrder,  // pending, but a later migration of its track is applied
  kModified,    // applied, but the file changed since
};
// "applied", "pending", "out_of_order", "modified".
std::string_view StateName(MigrationState state);

struct PlannedMigration {
  const MigrationFile* file = nullptr;
  MigrationState state = MigrationState::kPending;
  std::optional<AppliedMigration> applied;  // the history row, when there is one
  HashMatch match = HashMatch::kMismatch;   // of the row's hash, when applied
};

struct TrackPlan {
  const MigrationTrack* track = nullptr;
  HistoryTable table;
  bool table_exists = false;
  std::vector<PlannedMigration> migrations;  // in run order
  std::vector<AppliedMigration> missing;     // history rows without a file

  size_t Count(MigrationState state) const;
  // The migrations a run applies, in order (pending and out-of-order ones).
  std::vector<const PlannedMigration*> ToRun() const;
};

// Plans one track against its history rows.
TrackPlan PlanTrack(const MigrationTrack& track, HistoryTable table, bool table_exists,
                    const std::vector<AppliedMigration>& applied);

// FailedPrecondition listing every modified migration, every out-of-order one unless allowed,
// and every problem (FILE:LINE: ...) of a migration to apply, with what to do about them; Ok
// when the plans may run.
Status CheckRunnable(const std::vector<TrackPlan>& plans, bool allow_out_of_order);

// ---- run -----------------------------------------------------------------------------------

// Where the lead records each applied migration in the log. Each hook gets the migrator's
// own connection (the one holding the track's advisory lock). A hook error stops the run
// with that error; a migration already applied stays applied.
struct MigrationHooks {
  // After the lock is taken and the history read, before anything of the track runs.
  std::function<Status(Connection&, const std::vector<AppliedMigration>& applied)> on_locked;
  // Before psql runs a migration (after its validation script passed).
  std::function<Status(Connection&, const MigrationFile&)> before_each;
  // After the migration and its history row are committed.
  std::function<Status(Connection&, const MigrationFile&, const AppliedMigration&)> after_each;
};

struct MigratorOptions {
  std::string history_schema = "public";
  bool allow_out_of_order = false;
  // How long to wait for another run's lock; 0 means do not wait.
  int64_t lock_timeout_ms = 60000;
  // The run's UUID, given to psql as :execution_id (the caller makes it).
  std::string execution_id;
  // When set, each migration that needs nothing of psql (SplitMigrationSql) runs in strata
  // itself, over a second connection opened with this conninfo (migration_session.h); the
  // others, and validation scripts, go to psql.
  std::optional<std::string> session_conninfo;
};

struct AppliedStep {
  const MigrationFile* file = nullptr;
  AppliedMigration row;
  std::string output;  // what running it printed: notices, rows
  std::optional<ValidationOutcome> validation;
  // Why psql ran it ("line 3: a psql meta-command", "--with-psql"); empty when strata ran it
  // itself (migration_session.h).
  std::string psql_reason;
};

// Progress as it happens, for the caller to show. Any member may be empty.
struct RunObserver {
  std::function<void(const TrackPlan&)> on_track;  // planned under the lock
  std::function<void(const MigrationFile&)> on_start;
  std::function<void(const MigrationFile&, const ValidationOutcome&)> on_validated;
  std::function<void(const AppliedStep&)> on_applied;
};

enum class FailureStage { kValidation, kMigration, kRecording, kHook };
// "validation", "migration", "recording", "hook".
std::string_view FailureStageName(FailureStage stage);

struct FailedMigration {
  const MigrationFile* file = nullptr;
  FailureStage stage = FailureStage::kMigration;
  int exit_code = 0;   // of psql or the validation script
  std::string output;  // what it printed, with psql's "psql:FILE:LINE: ERROR: ..."
};

struct RunReport {
  std::vector<TrackPlan> plans;  // as planned under each track's lock
  std::vector<AppliedStep> applied;
  Status status;  // Ok when every pending migration was applied
  std::optional<FailedMigration> failed;
};

class Migrator {
 public:
  // `conn` and `runner` must outlive the Migrator.
  Migrator(Connection* conn, common::ProcessRunner* runner, ChildSetup children,
           MigratorOptions options, MigrationHooks hooks = {});

  // Replaces the hooks (for a caller that can make them only once the connection is open).
  void set_hooks(MigrationHooks hooks) { hooks_ = std::move(hooks); }

  // Plans every track from its history table as it is now; takes no lock, writes nothing.
  Result<std::vector<TrackPlan>> Plan(const std::vector<MigrationTrack>& tracks);
  // Applies every pending migration. Refuses up front (report.status, nothing run) when
  // CheckRunnable does; stops at the first failure, which report.failed describes.
  RunReport Run(const std::vector<MigrationTrack>& tracks, const RunObserver& observer = {});
  // Runs validation scripts without applying anything: of pending migrations, or of every
  // migration with `all`. One entry per planned migration; nullopt when not run.
  struct Validation {
    const PlannedMigration* planned = nullptr;
    std::optional<ValidationOutcome> outcome;
  };
  Result<std::vector<Validation>> Validate(const std::vector<TrackPlan>& plans, bool all);

 private:
  class AdvisoryLock;
  Status RunTrack(const MigrationTrack& track, const RunObserver& observer, RunReport* report);
  Status ApplyOne(const PlannedMigration& m, const HistoryTable& table,
                  const RunObserver& observer, RunReport* report);
  Result<TrackPlan> PlanOne(const MigrationTrack& track);
  // Runs a migration (with its history row unless it is no-transaction) in strata's own
  // session or with psql; `psql_reason` says why psql ran it, and is empty when strata did.
  Result<common::ProcessResult> Execute(const MigrationFile& file, const MigrationVariables& vars,
                                        const std::string& history_insert_sql,
                                        std::string* psql_reason);

  Connection* conn_;
  common::ProcessRunner* runner_;
  ChildSetup children_;
  MigratorOptions options_;
  MigrationHooks hooks_;
  bool recording_failed_ = false;  // the current track failed in a hook, not in its SQL
  std::unique_ptr<MigrationSession> session_;  // opened at its first use
};

}  // namespace strata::postgres

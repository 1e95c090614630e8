// MigrationCapture: records what `strata migrate run` applies as commits in the log, through
// the Recorder (the one recording path), as Migrator hooks.
//
// Each migration's effect is the diff of the catalog introspected just before and just after it
// (on the migrator's connection, under the track's advisory lock). The first time a migration is
// applied anywhere, its commit carries those typed events and the SQL; applying it to another
// database records a deployment referring to that commit, with drift if the effect differed.
// History rows the log lacks (a crash between the database commit and the log append, a
// database adopted from the original tool) are recorded on the next run as recovered.
//
// What to record is decided inside the Recorder's maker, against the head it is appended to, so
// a concurrent writer (another track, another process) makes it recompute instead of recording
// against a stale head. Not thread-safe; one per `migrate run`.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "adapters/postgres/capture_events.h"
#include "adapters/postgres/introspect.h"
#include "adapters/postgres/capture_incremental.h"
#include "adapters/postgres/migrator.h"
#include "engine/log/env.h"
#include "engine/record/recorder.h"
#include "engine/store/commit_store.h"
#include "proto/commit.pb.h"

namespace strata::postgres {

struct CaptureOptions {
  // The log the recorder writes, read for what other writers appended since the last look.
  Env* env = nullptr;
  std::string log_dir;
  std::string schema;    // the log's name for this PostgreSQL source
  std::string database;  // where migrations run: the target's name, or host:port/dbname
  // The migrations of this run, for the SQL and track of recovered rows; may be null.
  const std::vector<MigrationTrack>* tracks = nullptr;
  // Notes and warnings for people ("warning: drift in ..."); may be empty.
  std::function<void(const std::string&)> note;
};

class MigrationCapture {
 public:
  // Reads what the log says about this schema's migrations. `recorder` must outlive the capture.
  // The log's errors (Corruption naming the seq).
  static Result<std::unique_ptr<MigrationCapture>> Open(record::Recorder& recorder,
                                                        CaptureOptions options);

  // The hooks to give the Migrator. A hook error (the log could not be written) stops the run;
  // the migration it was about stays applied and is recorded as recovered next time.
  MigrationHooks Hooks();

  struct Recorded {
    uint64_t seq = 0;
    std::string stem;
    std::string kind;  // "migration", "deployment", "recovered"
    size_t events = 0;
    std::string drift;  // empty when none
  };
  const std::vector<Recorded>& recorded() const { return recorded_; }

 private:
  MigrationCapture(record::Recorder& recorder, CaptureOptions options)
      : recorder_(recorder), options_(std::move(options)) {}

  // What the log says about one migration of this schema.
  struct Known {
    uint64_t seq = 0;  // the commit that carried its events
    std::vector<pb::Event> events;
    std::set<std::string> databases;  // where it is recorded as applied
  };
  // Folds the commits after `seen_` up to `head` into known_ (a scan of only what is new).
  Status CatchUp(const Head& head);
  void Fold(const ScannedCommit& c);
  // Records what `make` decides against the current head; nullopt when it decided nothing.
  using Decide = std::function<Result<std::optional<record::Draft>>(const pb::SchemaState&,
                                                                     const record::HeadState&)>;
  Result<std::optional<StoredCommit>> Record(const Decide& decide);

  Status OnLocked(Connection& conn, const std::vector<AppliedMigration>& rows);
  Status RecordRecovered(const AppliedMigration& row, const pb::SchemaState& live);
  Status Before(Connection& conn, const MigrationFile& file);
  Status After(Connection& conn, const MigrationFile& file, const AppliedMigration& row);
  Status CaptureAfter(Connection& conn, const MigrationFile& file);
  const MigrationFile* FindFile(const std::string& stem) const;
  bool KnownHere(const std::string& stem) const;
  bool AllKnownHere() const;
  std::string Drift(const std::vector<pb::Event>& recorded,
                    const std::vector<pb::Event>& now) const;
  void Note(const std::string& line) const;
  // How captures read the catalog: warnings about fallback objects go to the notes.
  IntrospectOptions Introspection() const;

  record::Recorder& recorder_;
  CaptureOptions options_;
  std::map<std::string, Known> known_;       // by migration stem
  std::map<uint64_t, std::string> stem_of_;  // seq of a migration's commit -> its stem
  Head seen_;                                // the last commit folded into known_
  // Whether a migration is between Before and After.
  bool capturing_ = false;
  // The whole catalog before the migration, kept only when it was read afresh (not the
  // previous migration's after-state): only then can the database differ from what the log
  // holds before the migration, which After checks against it.
  std::optional<pb::PostgresSchema> before_read_;
  // The catalog model kept between the migrations of this run: read whole for the first one,
  // then brought up to date with what each migration wrote. After() diffs what the migration
  // changed in it (catalog_.last_change()) and finds the after-state in catalog_.model().
  // Reset whenever the run's lock was released in between (see OnLocked).
  IncrementalCapture catalog_;
  std::vector<Recorded> recorded_;
};

}  // namespace strata::postgres

// MigrationCapture: records what `strata migrate run` applies as commits in the log.
//
// Each migration's effect is captured by introspecting the database before and after it (on
// the migrator's connection, under the track's advisory lock) and diffing the two. The first
// time a migration is applied anywhere, its commit carries those typed events and the SQL
// body; applying it to another database records a deployment referring to that commit, and
// if its effect there differs from what was recorded, that is drift, reported and kept in the
// deployment's detail. History rows that the log lacks (a crash between the database commit
// and the log append, or a database adopted from the original tool) are recorded on the next
// run, marked ORIGIN_RECOVERED. Not thread-safe; one per `migrate run`.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "adapters/postgres/migrator.h"
#include "cli/context.h"
#include "proto/commit.pb.h"

namespace strata::cli {

class MigrationCapture {
 public:
  // `schema` is the log's name for this PostgreSQL source; `database` names where migrations
  // run (the target's name, or host:port/dbname).
  static Result<std::unique_ptr<MigrationCapture>> Open(
      const Context& ctx, std::string schema, std::string database,
      const std::vector<postgres::MigrationTrack>* tracks);

  postgres::MigrationHooks Hooks();

  struct Recorded {
    uint64_t seq = 0;
    std::string stem;
    std::string kind;  // "migration", "deployment", "recovered"
    size_t events = 0;
    std::string drift;  // empty when none
  };
  const std::vector<Recorded>& recorded() const { return recorded_; }

 private:
  MigrationCapture(const Context& ctx, std::string schema, std::string database,
                   const std::vector<postgres::MigrationTrack>* tracks)
      : ctx_(ctx), schema_(std::move(schema)), database_(std::move(database)), tracks_(tracks) {}

  // What the log says about migrations of this schema.
  struct Known {
    uint64_t seq = 0;  // the commit that carried its events
    std::vector<pb::Event> events;
    std::set<std::string> databases;  // where it is recorded as applied
  };
  Status LoadLog();
  Status OnLocked(postgres::Connection& conn, const std::vector<postgres::AppliedMigration>& rows);
  Status Before(postgres::Connection& conn, const postgres::MigrationFile& file);
  Status After(postgres::Connection& conn, const postgres::MigrationFile& file,
               const postgres::AppliedMigration& row);
  // Appends `commit` once the head is what this capture last saw (reloading when another
  // process appended), keeping head_state_ current. Waits for the log's writer lock.
  Result<uint64_t> Append(const std::function<Result<pb::Commit>()>& make);
  const postgres::MigrationFile* FindFile(const std::string& stem) const;
  std::string Drift(const std::vector<pb::Event>& recorded,
                    const std::vector<pb::Event>& now) const;

  const Context& ctx_;
  std::string schema_;
  std::string database_;
  const std::vector<postgres::MigrationTrack>* tracks_;
  std::map<std::string, Known> known_;  // by migration stem
  pb::SchemaState head_state_;
  uint64_t head_seq_ = 0;
  std::optional<pb::PostgresSchema> before_;
  // The catalog after the previous migration of this run, reused as the next one's before.
  // Cleared whenever the run's lock was released in between (see OnLocked).
  std::optional<pb::PostgresSchema> last_after_;
  std::vector<Recorded> recorded_;
};

}  // namespace strata::cli

#include "adapters/postgres/replay.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "adapters/postgres/introspect.h"
#include "adapters/postgres/migrator.h"
#include "engine/diff/diff.h"

namespace strata::postgres {
namespace {
namespace fs = std::filesystem;

size_t ObjectCount(const pb::PostgresSchema& s) {
  return s.tables_size() + s.views_size() + s.sequences_size() + s.types_size() +
         s.functions_size() + s.extensions_size() + s.event_triggers_size() +
         s.foreign_servers_size();
}

Status RefuseNonEmpty(Connection& conn) {
  STRATA_ASSIGN_OR_RETURN(pb::PostgresSchema live, Introspect(conn, IntrospectOptions{}));
  const size_t objects = ObjectCount(live);
  if (objects == 0) return Status::Ok();
  return Status::FailedPrecondition(fmt::format(
      "{} is not empty ({} objects); replay runs the recorded migrations into an empty "
      "database: create one (createdb NAME) and point --target or PGDATABASE at it",
      conn.description(), objects));
}

// The migration alone in a fresh directory, so that the Migrator runs just it.
Result<std::vector<MigrationTrack>> Stage(const fs::path& work, const RecordedMigration& m) {
  std::error_code ec;
  fs::remove_all(work, ec);
  fs::create_directories(work, ec);
  if (ec) {
    return Status::IoError(
        fmt::format("{}: cannot create the replay directory: {}", work.string(), ec.message()));
  }
  const fs::path file = work / (m.body.name() + ".sql");
  std::ofstream out(file, std::ios::binary);
  out << m.body.sql();
  out.close();
  if (!out) return Status::IoError(fmt::format("{}: cannot write the migration", file.string()));
  auto tracks = DiscoverTracks(work.string());
  if (!tracks.ok()) return tracks.status().WithContext(fmt::format("commit {}", m.seq));
  return tracks;
}

// Runs one recorded migration with its own history row, as `migrate run` did.
Status RunOne(Connection& conn, common::ProcessRunner& runner, const ReplayRequest& request,
              const RecordedMigration& m) {
  STRATA_ASSIGN_OR_RETURN(std::vector<MigrationTrack> tracks, Stage(request.work_dir, m));
  MigratorOptions options;
  options.history_schema = request.history_schema;
  options.allow_out_of_order = true;  // the log's order, which may interleave tracks
  options.execution_id = fmt::format("replay-{}", m.seq);
  Migrator migrator(&conn, &runner, request.children, options);
  RunReport r = migrator.Run(tracks);
  if (r.status.ok()) return Status::Ok();
  std::string detail = r.status.message();
  if (r.failed && !r.failed->output.empty()) detail += "\n" + r.failed->output;
  return Status::FailedPrecondition(
      fmt::format("replaying {} (commit {}) failed: {}", m.body.name(), m.seq, detail));
}

}  // namespace

Result<std::vector<RecordedMigration>> RecordedMigrations(History& history,
                                                          const std::string& schema,
                                                          uint64_t until) {
  std::vector<RecordedMigration> out;
  CommitScanOptions scan;
  scan.until_seq = until;
  STRATA_RETURN_IF_ERROR(history.reader().Scan(scan, [&](const ScannedCommit& c) {
    const pb::Commit& commit = c.commit;
    if (commit.schema() == schema && commit.has_migration() && !commit.has_deployment() &&
        !commit.migration().sql().empty()) {
      out.push_back({commit.seq(), commit.migration()});
    }
    return Status::Ok();
  }));
  return out;
}

Result<ReplayReport> Replay(Connection& conn, common::ProcessRunner& runner, ReplayRequest request) {
  if (request.work_dir.empty()) return Status::Internal("Replay: no work directory given");
  STRATA_RETURN_IF_ERROR(RefuseNonEmpty(conn));
  ReplayReport report;
  report.database = conn.description();
  report.until_seq = request.until_seq;
  Status run = Status::Ok();
  for (size_t i = 0; i < request.migrations.size() && run.ok(); ++i) {
    const RecordedMigration& m = request.migrations[i];
    if (request.progress) request.progress({i + 1, request.migrations.size(), &m});
    run = RunOne(conn, runner, request, m);
    report.replayed.push_back({m.seq, m.body.name(), run.ok()});
  }
  std::error_code ec;
  fs::remove_all(request.work_dir, ec);
  STRATA_RETURN_IF_ERROR(run);

  // The result must be the recorded schema at that point.
  STRATA_ASSIGN_OR_RETURN(pb::SchemaState after, IntrospectState(conn));
  pb::SchemaState recorded = std::move(request.recorded);
  if (recorded.engine() == pb::ENGINE_UNSPECIFIED) recorded = AsSchemaState({});
  STRATA_ASSIGN_OR_RETURN(report.differences, Diff(recorded, after));
  return report;
}

}  // namespace strata::postgres

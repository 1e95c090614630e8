// strata drift and strata replay for PostgreSQL targets: a live database against the recorded
// schema, and the recorded SQL bodies run into an empty database and checked against it.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <ostream>

#include "adapters/postgres/connection.h"
#include "adapters/postgres/introspect.h"
#include "adapters/postgres/migration_files.h"
#include "adapters/postgres/migrator.h"
#include "adapters/common/process_runner.h"
#include "cli/commands.h"
#include "cli/describe.h"
#include "cli/history.h"
#include "cli/pg_target.h"
#include "engine/diff/diff.h"

namespace strata::cli {
namespace po = boost::program_options;
namespace fs = std::filesystem;
namespace pg = strata::postgres;
using json = nlohmann::ordered_json;

namespace {

// The recorded PostgreSQL schema as of `seq` (empty when nothing is recorded).
Result<pb::SchemaState> RecordedAt(const Context& ctx, History& history, uint64_t seq) {
  STRATA_ASSIGN_OR_RETURN(pb::State state, history.index().StateAt(seq));
  auto it = state.schemas().find(PostgresSchemaName(ctx));
  if (it == state.schemas().end()) return PostgresState(pb::PostgresSchema());
  return it->second;
}

json ChangesJson(const std::vector<pb::Event>& events) {
  json out = json::array();
  for (const auto& e : events) out.push_back(EventJson(e));
  return out;
}

}  // namespace

CommandResult RunDrift(Context& ctx) {
  for (size_t i = 0; i < ctx.args.size(); ++i) {
    std::optional<std::string> target;
    if (ctx.args[i] == "--target" && i + 1 < ctx.args.size()) target = ctx.args[i + 1];
    if (ctx.args[i].rfind("--target=", 0) == 0) target = ctx.args[i].substr(9);
    if (IsDynamoTarget(ctx, target)) return RunDynamoDrift(ctx);
  }
  po::options_description o("drift options");
  o.add_options()("target", po::value<std::string>(),
                  "a PostgreSQL target in strata.yaml (default: the libpq environment)")(
      "at", po::value<std::string>()->default_value("HEAD"), "the recorded point to compare with");
  auto vm = ParseArgs(ctx, o, {});
  STRATA_ASSIGN_OR_RETURN(std::string conninfo, PostgresConninfo(ctx, OptArg(vm, "target")));
  STRATA_ASSIGN_OR_RETURN(auto conn, pg::Connection::Open(conninfo));
  STRATA_ASSIGN_OR_RETURN(pb::PostgresSchema live, pg::Introspect(*conn, pg::IntrospectOptions{}));
  STRATA_ASSIGN_OR_RETURN(auto history, History::Open(ctx));
  STRATA_ASSIGN_OR_RETURN(uint64_t seq, history->Resolve(vm["at"].as<std::string>()));
  STRATA_ASSIGN_OR_RETURN(pb::SchemaState recorded, RecordedAt(ctx, *history, seq));
  // The changes that would bring the recorded schema to what the database has.
  STRATA_ASSIGN_OR_RETURN(std::vector<pb::Event> drift,
                          Diff(recorded, PostgresState(std::move(live))));
  const std::string schema = PostgresSchemaName(ctx);
  if (ctx.json) {
    ctx.PrintJson({{"version", 1},
                   {"database", conn->description()},
                   {"schema", schema},
                   {"seq", seq},
                   {"drift", !drift.empty()},
                   {"changes", ChangesJson(drift)}});
  } else if (drift.empty()) {
    *ctx.out << fmt::format("No drift: {} matches the recorded {} schema at seq {}.\n",
                            conn->description(), schema, seq);
  } else {
    *ctx.out << fmt::format(
        "{} differs from the recorded {} schema at seq {}; what turns the recorded schema into the "
        "database:\n",
        conn->description(), schema, seq);
    DiffSummary s = PrintChanges(ctx, schema, drift);
    PrintSummaryLine(ctx, s, "Drift");
  }
  return drift.empty() ? kExitOk : kExitChanges;
}

CommandResult RunReplay(Context& ctx) {
  po::options_description o("replay options");
  o.add_options()("target", po::value<std::string>(),
                  "an empty PostgreSQL database: a target in strata.yaml (default: the libpq "
                  "environment)")("until", po::value<std::string>()->default_value("HEAD"),
                                  "replay up to this ref")(
      "psql", po::value<std::string>(), "the psql program (default: psql on PATH)")(
      "history-schema", po::value<std::string>()->default_value("public"),
      "the schema of the migrations_<track> tables");
  auto vm = ParseArgs(ctx, o, {});
  STRATA_ASSIGN_OR_RETURN(std::string conninfo, PostgresConninfo(ctx, OptArg(vm, "target")));
  STRATA_ASSIGN_OR_RETURN(auto conn, pg::Connection::Open(conninfo));
  STRATA_ASSIGN_OR_RETURN(pb::PostgresSchema live, pg::Introspect(*conn, pg::IntrospectOptions{}));
  const size_t objects = live.tables_size() + live.views_size() + live.sequences_size() +
                         live.types_size() + live.functions_size() + live.extensions_size();
  if (objects > 0) {
    return Status::FailedPrecondition(fmt::format(
        "{} is not empty ({} objects); replay runs the recorded migrations into an empty "
        "database: create one (createdb NAME) and point --target or PGDATABASE at it",
        conn->description(), objects));
  }
  STRATA_ASSIGN_OR_RETURN(auto history, History::Open(ctx));
  STRATA_ASSIGN_OR_RETURN(uint64_t until, history->Resolve(vm["until"].as<std::string>()));
  const std::string schema = PostgresSchemaName(ctx);

  // The migrations that carried SQL, in log order.
  std::vector<pb::Commit> bodies;
  CommitScanOptions scan;
  scan.until_seq = until;
  STRATA_RETURN_IF_ERROR(history->reader().Scan(scan, [&](const StoredCommit& c) {
    if (c.commit.schema() == schema && c.commit.has_migration() && !c.commit.has_deployment() &&
        !c.commit.migration().sql().empty()) {
      bodies.push_back(c.commit);
    }
    return Status::Ok();
  }));

  STRATA_ASSIGN_OR_RETURN(PostgresChildren children,
                          OpenPostgresChildren(ctx, conninfo, OptArg(vm, "psql")));
  auto runner = common::NewPosixProcessRunner();
  const fs::path work = fs::temp_directory_path() / fmt::format("strata-replay-{}", ::getpid());
  json replayed = json::array();
  Status run = Status::Ok();
  for (size_t i = 0; i < bodies.size() && run.ok(); ++i) {
    const pb::MigrationBody& m = bodies[i].migration();
    // One migration per run, in the order the log recorded them (which may interleave tracks).
    fs::remove_all(work);
    fs::create_directories(work);
    std::ofstream(work / (m.name() + ".sql"), std::ios::binary) << m.sql();
    auto tracks = pg::DiscoverTracks(work.string());
    if (!tracks.ok()) {
      run = tracks.status().WithContext(fmt::format("commit {}", bodies[i].seq()));
      break;
    }
    pg::MigratorOptions options;
    options.history_schema = vm["history-schema"].as<std::string>();
    options.allow_out_of_order = true;
    options.execution_id = fmt::format("replay-{}", bodies[i].seq());
    pg::Migrator migrator(conn.get(), runner.get(), children.setup, options);
    if (!ctx.json)
      ctx.Note(
          fmt::format("[{}/{}] {} (commit {})", i + 1, bodies.size(), m.name(), bodies[i].seq()));
    pg::RunReport r = migrator.Run(*tracks);
    if (!r.status.ok()) {
      std::string detail = r.status.message();
      if (r.failed && !r.failed->output.empty()) detail += "\n" + r.failed->output;
      run = Status::FailedPrecondition(
          fmt::format("replaying {} (commit {}) failed: {}", m.name(), bodies[i].seq(), detail));
    }
    replayed.push_back({{"seq", bodies[i].seq()}, {"name", m.name()}, {"ok", r.status.ok()}});
  }
  fs::remove_all(work);
  STRATA_RETURN_IF_ERROR(run);

  // The result must be the recorded schema at that point.
  STRATA_ASSIGN_OR_RETURN(pb::PostgresSchema after, pg::Introspect(*conn, pg::IntrospectOptions{}));
  STRATA_ASSIGN_OR_RETURN(pb::SchemaState recorded, RecordedAt(ctx, *history, until));
  STRATA_ASSIGN_OR_RETURN(std::vector<pb::Event> diff,
                          Diff(recorded, PostgresState(std::move(after))));
  if (ctx.json) {
    ctx.PrintJson({{"version", 1},
                   {"database", conn->description()},
                   {"until_seq", until},
                   {"replayed", replayed},
                   {"matches", diff.empty()},
                   {"differences", ChangesJson(diff)}});
  } else if (diff.empty()) {
    *ctx.out << fmt::format(
        "Replayed {} migration(s) into {}; its schema matches the recorded state at seq {}.\n",
        bodies.size(), conn->description(), until);
  } else {
    *ctx.out << fmt::format(
        "Replayed {} migration(s) into {}, but its schema differs from the recorded state at "
        "seq {}; what turns the recorded state into the database:\n",
        bodies.size(), conn->description(), until);
    PrintSummaryLine(ctx, PrintChanges(ctx, schema, diff), "Differences");
  }
  return diff.empty() ? kExitOk : kExitChanges;
}

}  // namespace strata::cli

// strata replay: the recorded PostgreSQL migrations run into an empty database and the result
// compared with the recorded schema (adapters/postgres/replay.h does the work). This file is
// the steps: flags, the database, the recorded migrations up to --until, psql, replay, print.
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <ostream>

#include "adapters/postgres/replay.h"
#include "cli/commands.h"
#include "cli/describe.h"
#include "cli/postgres_session.h"

namespace strata::cli {
namespace po = boost::program_options;
namespace fs = std::filesystem;
namespace pg = strata::postgres;
using json = nlohmann::ordered_json;

namespace {

// What replay works with, filled in by its steps in order.
struct Replay {
  explicit Replay(Context& context) : ctx(context) {}
  Context& ctx;
  po::variables_map vm;
  std::unique_ptr<pg::PostgresTarget> target;
  std::unique_ptr<strata::History> history;
  pg::ReplayRequest request;
  std::string schema;  // the log's name for the PostgreSQL source
};

Status Connect(Replay& r) {
  STRATA_ASSIGN_OR_RETURN(r.target, OpenPostgresTarget(r.ctx, OptArg(r.vm, "target")));
  return Status::Ok();
}

// The migrations that carried SQL up to --until, and the recorded schema there.
Status ReadRecorded(Replay& r) {
  STRATA_ASSIGN_OR_RETURN(r.history, OpenHistory(r.ctx));
  STRATA_ASSIGN_OR_RETURN(r.request.until_seq, r.history->Resolve(r.vm["until"].as<std::string>()));
  r.schema = PostgresSchemaName(r.ctx);
  STRATA_ASSIGN_OR_RETURN(r.request.migrations,
                          pg::RecordedMigrations(*r.history, r.schema, r.request.until_seq));
  STRATA_ASSIGN_OR_RETURN(r.request.recorded, r.history->SchemaAt(r.request.until_seq, r.schema));
  return Status::Ok();
}

// psql, the history tables' schema, the work directory and progress lines.
Status Prepare(Replay& r) {
  STRATA_ASSIGN_OR_RETURN(r.request.children,
                          PsqlChildren(r.ctx, r.target->conninfo(), OptArg(r.vm, "psql")));
  r.request.history_schema = r.vm["history-schema"].as<std::string>();
  r.request.work_dir =
      (fs::temp_directory_path() / fmt::format("strata-replay-{}", ::getpid())).string();
  if (!r.ctx.json) {
    r.request.progress = [&ctx = r.ctx](const pg::ReplayProgress& p) {
      ctx.Note(fmt::format("[{}/{}] {} (commit {})", p.index, p.total, p.migration->body.name(),
                           p.migration->seq));
    };
  }
  return Status::Ok();
}

int Print(Replay& r, const pg::ReplayReport& report) {
  Context& ctx = r.ctx;
  if (ctx.json) {
    json replayed = json::array();
    for (const auto& m : report.replayed) {
      replayed.push_back({{"seq", m.seq}, {"name", m.name}, {"ok", m.ok}});
    }
    json differences = json::array();
    for (const auto& e : report.differences) differences.push_back(EventJson(e));
    ctx.PrintJson({{"version", 1},
                   {"database", report.database},
                   {"until_seq", report.until_seq},
                   {"replayed", replayed},
                   {"matches", report.matches()},
                   {"differences", differences}});
  } else if (report.matches()) {
    *ctx.out << fmt::format(
        "Replayed {} migration(s) into {}; its schema matches the recorded state at seq {}.\n",
        report.replayed.size(), report.database, report.until_seq);
  } else {
    *ctx.out << fmt::format(
        "Replayed {} migration(s) into {}, but its schema differs from the recorded state at "
        "seq {}; what turns the recorded state into the database:\n",
        report.replayed.size(), report.database, report.until_seq);
    PrintSummaryLine(ctx, PrintChanges(ctx, r.schema, report.differences), "Differences");
  }
  return report.matches() ? kExitOk : kExitChanges;
}

}  // namespace

CommandResult RunReplay(Context& ctx) {
  Replay r(ctx);
  r.vm = ParseArgs(ctx, ReplayFlags().options, {});
  STRATA_RETURN_IF_ERROR(Connect(r));
  STRATA_RETURN_IF_ERROR(ReadRecorded(r));
  STRATA_RETURN_IF_ERROR(Prepare(r));
  auto runner = common::NewPosixProcessRunner();
  STRATA_ASSIGN_OR_RETURN(pg::ReplayReport report,
                          pg::Replay(r.target->connection(), *runner, std::move(r.request)));
  return Print(r, report);
}

CommandFlags ReplayFlags() {
  CommandFlags f{po::options_description("replay options"), {}};
  po::options_description& o = f.options;
  o.add_options()("target", po::value<std::string>(),
                  "an empty PostgreSQL database: a target in strata.yaml (default: the libpq "
                  "environment)")("until", po::value<std::string>()->default_value("HEAD"),
                                  "replay up to this ref")(
      "psql", po::value<std::string>(), "the psql program (default: psql on PATH)")(
      "history-schema", po::value<std::string>()->default_value("public"),
      "the schema of the migrations_<track> tables");
  return f;
}

}  // namespace strata::cli

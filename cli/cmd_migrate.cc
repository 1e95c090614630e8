// strata migrate add|status|run|history|validate: PostgreSQL migration tracks.
//
// The flags, the connection (libpq environment or --target's dsn), the children's environment,
// psql's location and the run's UUID are settled here; adapters/postgres/migrator does the
// work. See docs/postgres-migrations.md for the file layout and docs/cli.md for --json shapes.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <ostream>
#include <sstream>

#include "adapters/postgres/connection.h"
#include "adapters/postgres/history_table.h"
#include "adapters/postgres/migration_files.h"
#include "adapters/postgres/migrator.h"
#include "cli/commands.h"
#include "cli/pg_capture.h"
#include "cli/pg_target.h"
#include "engine/refs/refs.h"

extern char** environ;

namespace strata::cli {
namespace po = boost::program_options;
namespace fs = std::filesystem;
namespace pg = strata::postgres;
using json = nlohmann::ordered_json;

namespace {

// ---- shared steps --------------------------------------------------------------------------

void AddConnectionOptions(po::options_description* o) {
  o->add_options()("target", po::value<std::string>(),
                   "a target in strata.yaml with engine: postgres and a dsn (default: the libpq "
                   "environment, PGHOST, PGDATABASE, ...)")(
      "history-schema", po::value<std::string>()->default_value("public"),
      "the schema of the migrations_<track> tables");
}

void AddTrackOption(po::options_description* o) {
  o->add_options()("track", po::value<std::string>(), "only this track");
}

po::positional_options_description PathPositional() {
  po::positional_options_description p;
  p.add("path", 1);
  return p;
}

std::string Shown(const Context& ctx, const std::string& path) {
  const fs::path rel = fs::path(path).lexically_relative(ctx.cwd);
  if (rel.empty() || *rel.begin() == "..") return path;
  return rel.string();
}

// PATH, or the project's postgres schema directory.
Result<std::string> MigrationsDir(const Context& ctx, const po::variables_map& vm) {
  if (vm.count("path")) return (fs::path(ctx.cwd) / vm["path"].as<std::string>()).lexically_normal().string();
  std::vector<const SchemaSource*> found;
  for (const auto& [name, s] : ctx.project.schemas) {
    if (s.engine == "postgres") found.push_back(&s);
  }
  if (found.size() == 1) return found[0]->path;
  if (found.empty()) {
    throw UsageError{"give the migrations directory PATH, or name it under schemas: in "
                     "strata.yaml (postgres: migrations)"};
  }
  throw UsageError{"strata.yaml has several postgres schemas; give the migrations directory PATH"};
}

Result<std::vector<pg::MigrationTrack>> LoadTracks(const std::string& dir,
                                                   const po::variables_map& vm) {
  STRATA_ASSIGN_OR_RETURN(std::vector<pg::MigrationTrack> tracks, pg::DiscoverTracks(dir));
  if (!vm.count("track")) return tracks;
  const std::string want = vm["track"].as<std::string>();
  std::vector<std::string> names;
  for (pg::MigrationTrack& t : tracks) {
    if (t.name == want) return std::vector<pg::MigrationTrack>{std::move(t)};
    names.push_back(t.name);
  }
  return Status::NotFound(fmt::format("{}: no migrations of track \"{}\" (tracks there: {})", dir,
                                      want, names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "))));
}

// The conninfo of --target, or "" for libpq's environment.
Result<std::string> Conninfo(const Context& ctx, const po::variables_map& vm) {
  return PostgresConninfo(ctx, vm.count("target") ? std::optional<std::string>(
                                                        vm["target"].as<std::string>())
                                                  : std::nullopt);
}

}  // namespace

Result<std::string> PostgresConninfo(const Context& ctx, const std::optional<std::string>& target) {
  if (!target) return std::string();
  const std::string& name = *target;
  auto it = ctx.project.targets.find(name);
  if (it == ctx.project.targets.end()) {
    return Status::NotFound(fmt::format("no target \"{}\" in {}", name,
                                        ctx.project.config_path.empty() ? "the project (no strata.yaml)"
                                                                        : ctx.project.config_path));
  }
  const auto& settings = it->second.settings;
  auto engine = settings.find("engine");
  if (engine == settings.end() || engine->second != "postgres") {
    return Status::InvalidArgument(fmt::format(
        "target {} is not a PostgreSQL target; give it engine: postgres and a dsn", name));
  }
  auto dsn = settings.find("dsn");
  if (dsn == settings.end() || dsn->second.empty()) {
    return Status::InvalidArgument(fmt::format(
        "target {} has no dsn; add dsn: \"postgresql://user@host:5432/db\" (or key=value "
        "conninfo) to it in strata.yaml",
        name));
  }
  return dsn->second;
}

namespace {

Result<std::unique_ptr<pg::Connection>> Connect(const std::string& conninfo) {
  return pg::Connection::Open(conninfo);
}

// psql: --psql, else the first executable psql on PATH.
Result<std::string> FindPsql(const Context& ctx, const po::variables_map& vm) {
  if (vm.count("psql")) return fs::absolute(vm["psql"].as<std::string>()).string();
  std::istringstream dirs(ctx.getenv("PATH").value_or("/usr/bin:/bin"));
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const fs::path p = fs::path(dir.empty() ? "." : dir) / "psql";
    if (::access(p.c_str(), X_OK) == 0) return fs::absolute(p).string();
  }
  return Status::NotFound(
      "psql not found on PATH; install the PostgreSQL client (postgresql-client) or pass --psql");
}

std::vector<std::string> ProcessEnvironment() {
  std::vector<std::string> out;
  for (char** e = environ; e && *e; ++e) out.emplace_back(*e);
  return out;
}

// A version 4 UUID from the kernel's random source.
Result<std::string> NewExecutionId() {
  unsigned char b[16];
  int fd = ::open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  const bool ok = fd >= 0 && ::read(fd, b, sizeof b) == static_cast<ssize_t>(sizeof b);
  if (fd >= 0) ::close(fd);
  if (!ok) return Status::IoError("cannot read /dev/urandom for the run's execution id");
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  std::string hex;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) hex += '-';
    hex += fmt::format("{:02x}", b[i]);
  }
  return hex;
}

// Everything a command that runs children needs.
struct Session {
  std::unique_ptr<pg::Connection> conn;
  std::unique_ptr<common::ProcessRunner> runner;
  std::unique_ptr<pg::Migrator> migrator;
  std::string execution_id;
};

Result<Session> OpenSession(const Context& ctx, const po::variables_map& vm,
                            pg::MigratorOptions options, bool needs_psql) {
  Session s;
  STRATA_ASSIGN_OR_RETURN(std::string conninfo, Conninfo(ctx, vm));
  std::string psql;
  if (needs_psql) {
    STRATA_ASSIGN_OR_RETURN(psql, FindPsql(ctx, vm));
  }
  STRATA_ASSIGN_OR_RETURN(pg::ChildSetup children,
                          pg::MakeChildSetup(psql, conninfo, ProcessEnvironment()));
  STRATA_ASSIGN_OR_RETURN(s.conn, Connect(conninfo));
  STRATA_ASSIGN_OR_RETURN(s.execution_id, NewExecutionId());
  options.history_schema = vm["history-schema"].as<std::string>();
  options.execution_id = s.execution_id;
  s.runner = common::NewPosixProcessRunner();
  s.migrator = std::make_unique<pg::Migrator>(s.conn.get(), s.runner.get(), std::move(children),
                                              std::move(options));
  return s;
}


std::string Indented(const std::string& text, const std::string& prefix) {
  std::string out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out += prefix + line + "\n";
  return out;
}

// ---- status --------------------------------------------------------------------------------

json MigrationJson(const Context& ctx, const pg::PlannedMigration& m) {
  json j = {{"name", m.file->name.stem},
            {"file", Shown(ctx, m.file->path)},
            {"timestamp", m.file->name.timestamp},
            {"state", pg::StateName(m.state)},
            {"no_transaction", m.file->no_transaction},
            {"validation", m.file->validation ? json(Shown(ctx, m.file->validation->path))
                                              : json(nullptr)}};
  if (m.applied) {
    j["applied_at"] = m.applied->applied_at;
    j["hash"] = m.applied->hash;
    j["hash_kind"] = m.match == pg::HashMatch::kMd5 ? "md5" : m.match == pg::HashMatch::kSha256 ? "sha256" : "other";
    j["execution_time_ms"] = m.applied->execution_time_ms ? json(*m.applied->execution_time_ms) : json(nullptr);
  }
  return j;
}

json Counts(const std::vector<pg::TrackPlan>& plans) {
  size_t c[4] = {0, 0, 0, 0}, missing = 0;
  for (const auto& p : plans) {
    for (int s = 0; s < 4; ++s) c[s] += p.Count(static_cast<pg::MigrationState>(s));
    missing += p.missing.size();
  }
  return {{"applied", c[0]}, {"pending", c[1]}, {"out_of_order", c[2]}, {"modified", c[3]},
          {"missing", missing}};
}

json PlanJson(const Context& ctx, const pg::TrackPlan& p) {
  json j = {{"track", p.track->name}, {"table", p.table.DisplayName()},
            {"table_exists", p.table_exists}, {"migrations", json::array()},
            {"missing", json::array()}, {"counts", Counts({p})}};
  for (const auto& m : p.migrations) j["migrations"].push_back(MigrationJson(ctx, m));
  for (const auto& a : p.missing) {
    j["missing"].push_back({{"name", a.name}, {"hash", a.hash}, {"applied_at", a.applied_at}});
  }
  return j;
}

std::string StateLabel(const Context& ctx, pg::MigrationState s) {
  switch (s) {
    case pg::MigrationState::kApplied: return ctx.Paint(Color::kGreen, "applied     ");
    case pg::MigrationState::kPending: return ctx.Paint(Color::kYellow, "pending     ");
    case pg::MigrationState::kOutOfOrder: return ctx.Paint(Color::kYellow, "out-of-order");
    case pg::MigrationState::kModified: return ctx.Paint(Color::kRed, "MODIFIED    ");
  }
  return "";
}

void PrintPlan(const Context& ctx, const pg::TrackPlan& p) {
  *ctx.out << ctx.Paint(Color::kBold, p.track->name) << " (" << p.table.DisplayName()
           << (p.table_exists ? "" : ", not created yet") << ")\n";
  for (const auto& m : p.migrations) {
    std::string note;
    if (m.applied) note = "  " + m.applied->applied_at;
    if (m.match == pg::HashMatch::kMd5 && m.applied) note += "  (md5)";
    if (m.state == pg::MigrationState::kModified) note = "  file changed since it was applied";
    *ctx.out << "  " << StateLabel(ctx, m.state) << "  " << m.file->name.stem << note << "\n";
  }
  for (const auto& a : p.missing) {
    *ctx.out << "  " << ctx.Paint(Color::kYellow, "MISSING     ") << "  " << a.name
             << "  applied " << a.applied_at << ", no file\n";
  }
}

std::string SummaryLine(const json& c) {
  return fmt::format("{} applied, {} pending, {} out of order, {} modified, {} missing",
                     c["applied"].get<size_t>(), c["pending"].get<size_t>(),
                     c["out_of_order"].get<size_t>(), c["modified"].get<size_t>(),
                     c["missing"].get<size_t>());
}

void WarnMissing(const Context& ctx, const std::vector<pg::TrackPlan>& plans) {
  for (const auto& p : plans) {
    for (const auto& a : p.missing) {
      ctx.Note(fmt::format("warning: {} records {} (applied {}), but there is no file for it",
                           p.table.DisplayName(), a.name, a.applied_at));
    }
  }
}

CommandResult MigrateStatus(Context& ctx) {
  po::options_description o("migrate status options");
  AddTrackOption(&o);
  AddConnectionOptions(&o);
  o.add_options()("path", po::value<std::string>(), "the migrations directory")(
      "detailed-exitcode", po::bool_switch(), "exit 3 when migrations are pending");
  auto vm = ParseArgs(ctx, o, PathPositional());
  STRATA_ASSIGN_OR_RETURN(std::string dir, MigrationsDir(ctx, vm));
  STRATA_ASSIGN_OR_RETURN(auto tracks, LoadTracks(dir, vm));
  STRATA_ASSIGN_OR_RETURN(Session s, OpenSession(ctx, vm, {}, false));
  STRATA_ASSIGN_OR_RETURN(auto plans, s.migrator->Plan(tracks));
  const json counts = Counts(plans);
  if (ctx.json) {
    json j = {{"version", 1}, {"database", s.conn->description()},
              {"history_schema", vm["history-schema"].as<std::string>()},
              {"path", Shown(ctx, dir)}, {"tracks", json::array()}, {"counts", counts}};
    for (const auto& p : plans) j["tracks"].push_back(PlanJson(ctx, p));
    ctx.PrintJson(j);
  } else {
    *ctx.out << "database " << s.conn->description() << ", migrations in " << Shown(ctx, dir) << "\n";
    if (plans.empty()) *ctx.out << "no migrations\n";
    for (const auto& p : plans) PrintPlan(ctx, p);
    *ctx.out << SummaryLine(counts) << "\n";
  }
  const size_t waiting = counts["pending"].get<size_t>() + counts["out_of_order"].get<size_t>();
  return waiting > 0 && vm["detailed-exitcode"].as<bool>() ? kExitChanges : kExitOk;
}

// ---- run -----------------------------------------------------------------------------------

json AppliedJson(const Context& ctx, const pg::AppliedStep& a) {
  return {{"track", a.file->name.track},
          {"name", a.file->name.stem},
          {"file", Shown(ctx, a.file->path)},
          {"hash", a.row.hash},
          {"applied_at", a.row.applied_at},
          {"execution_time_ms", a.row.execution_time_ms ? json(*a.row.execution_time_ms) : json(nullptr)},
          {"no_transaction", a.file->no_transaction},
          {"validation", a.validation ? json("passed") : json(nullptr)},
          {"output", a.output}};
}

json WouldApplyJson(const Context& ctx, const std::vector<pg::TrackPlan>& plans) {
  json list = json::array();
  for (const auto& p : plans) {
    for (const pg::PlannedMigration* m : p.ToRun()) {
      list.push_back({{"track", p.track->name}, {"name", m->file->name.stem},
                      {"file", Shown(ctx, m->file->path)}, {"state", pg::StateName(m->state)},
                      {"no_transaction", m->file->no_transaction},
                      {"validation", m->file->validation
                                         ? json(Shown(ctx, m->file->validation->path))
                                         : json(nullptr)}});
    }
  }
  return list;
}

CommandResult DryRun(Context& ctx, Session& s, const std::vector<pg::MigrationTrack>& tracks,
                     bool allow_out_of_order) {
  STRATA_ASSIGN_OR_RETURN(auto plans, s.migrator->Plan(tracks));
  const Status runnable = pg::CheckRunnable(plans, allow_out_of_order);
  const json would = WouldApplyJson(ctx, plans);
  if (ctx.json) {
    json j = {{"version", 1}, {"database", s.conn->description()}, {"dry_run", true},
              {"ok", runnable.ok()}, {"would_apply", would}, {"applied", json::array()}};
    if (!runnable.ok()) j["error"] = runnable.message();
    ctx.PrintJson(j);
  } else {
    WarnMissing(ctx, plans);
    for (const auto& m : would) {
      *ctx.out << "would apply " << m["name"].get<std::string>()
               << (m["no_transaction"].get<bool>() ? " (no transaction)" : "")
               << (m["state"] == "out_of_order" ? " (out of order)" : "") << "\n";
    }
    *ctx.out << (would.empty() ? "Nothing to apply." : fmt::format("{} migration(s) would be applied.", would.size()))
             << " Dry run: nothing was changed.\n";
  }
  if (!runnable.ok()) return runnable;
  return kExitOk;
}

pg::RunObserver HumanProgress(const Context& ctx) {
  pg::RunObserver o;
  o.on_track = [&ctx](const pg::TrackPlan& p) {
    const size_t n = p.ToRun().size();
    *ctx.out << ctx.Paint(Color::kBold, p.track->name) << ": "
             << (n == 0 ? std::string("up to date") : fmt::format("{} to apply", n)) << "\n";
    WarnMissing(ctx, {p});
  };
  o.on_start = [&ctx](const pg::MigrationFile& f) { *ctx.out << "  applying " << f.name.stem << "\n"; };
  o.on_validated = [&ctx](const pg::MigrationFile& f, const pg::ValidationOutcome& v) {
    if (v.passed) *ctx.out << "    validation passed (" << fs::path(f.validation->path).filename().string() << ")\n";
  };
  o.on_applied = [&ctx](const pg::AppliedStep& a) {
    *ctx.out << Indented(a.output, "    | ");
    *ctx.out << "  " << ctx.Paint(Color::kGreen, "applied") << " " << a.file->name.stem << " in "
             << a.row.execution_time_ms.value_or(0) << " ms\n";
  };
  return o;
}

pg::RunObserver JsonProgress(const Context& ctx) {
  pg::RunObserver o;
  o.on_track = [&ctx](const pg::TrackPlan& p) { WarnMissing(ctx, {p}); };
  o.on_start = [&ctx](const pg::MigrationFile& f) { ctx.Note("applying " + f.name.stem); };
  return o;
}

json FailedJson(const Context& ctx, const pg::FailedMigration& f) {
  return {{"track", f.file->name.track}, {"name", f.file->name.stem},
          {"file", Shown(ctx, f.file->path)}, {"stage", pg::FailureStageName(f.stage)},
          {"exit_code", f.exit_code}, {"output", f.output}};
}

int ReportRun(Context& ctx, Session& s, const pg::RunReport& r, const MigrationCapture& capture) {
  if (ctx.json) {
    json j = {{"version", 1}, {"database", s.conn->description()}, {"execution_id", s.execution_id},
              {"dry_run", false}, {"ok", r.status.ok()}, {"applied", json::array()},
              {"recorded", json::array()}};
    for (const auto& a : r.applied) j["applied"].push_back(AppliedJson(ctx, a));
    for (const auto& c : capture.recorded()) {
      j["recorded"].push_back({{"seq", c.seq}, {"name", c.stem}, {"kind", c.kind},
                               {"events", c.events}, {"drift", c.drift.empty() ? json(nullptr) : json(c.drift)}});
    }
    if (!r.status.ok()) j["error"] = r.status.message();
    if (r.failed) j["failed"] = FailedJson(ctx, *r.failed);
    ctx.PrintJson(j);
  } else {
    for (const auto& c : capture.recorded()) {
      *ctx.out << fmt::format("  recorded {} as commit {} ({}, {} change{})\n", c.stem, c.seq,
                              c.kind, c.events, c.events == 1 ? "" : "s");
    }
    if (r.status.ok()) {
      *ctx.out << (r.applied.empty() ? std::string("Nothing to apply; every migration is applied.")
                                     : fmt::format("Applied {} migration(s).", r.applied.size()))
               << "\n";
    }
  }
  if (r.status.ok()) return kExitOk;
  std::string message = r.status.message();
  if (r.failed && !r.failed->output.empty()) message += "\n" + Indented(r.failed->output, "  ");
  while (!message.empty() && message.back() == '\n') message.pop_back();
  *ctx.err << ctx.Paint(Color::kRed, "strata: error: ") << message << "\n";
  return kExitError;
}

CommandResult MigrateRun(Context& ctx) {
  po::options_description o("migrate run options");
  AddTrackOption(&o);
  AddConnectionOptions(&o);
  o.add_options()("path", po::value<std::string>(), "the migrations directory")(
      "allow-out-of-order", po::bool_switch(), "apply pending migrations older than applied ones")(
      "lock-timeout", po::value<double>()->default_value(60), "seconds to wait for another run's lock")(
      "dry-run", po::bool_switch(), "show what would be applied; change nothing")(
      "psql", po::value<std::string>(), "the psql program (default: psql on PATH)");
  auto vm = ParseArgs(ctx, o, PathPositional());
  if (vm["lock-timeout"].as<double>() < 0) throw UsageError{"--lock-timeout cannot be negative"};
  STRATA_ASSIGN_OR_RETURN(std::string dir, MigrationsDir(ctx, vm));
  STRATA_ASSIGN_OR_RETURN(auto tracks, LoadTracks(dir, vm));
  pg::MigratorOptions options;
  options.allow_out_of_order = vm["allow-out-of-order"].as<bool>();
  options.lock_timeout_ms = static_cast<int64_t>(vm["lock-timeout"].as<double>() * 1000);
  const bool dry_run = vm["dry-run"].as<bool>();
  STRATA_ASSIGN_OR_RETURN(Session s, OpenSession(ctx, vm, options, !dry_run));
  if (dry_run) return DryRun(ctx, s, tracks, options.allow_out_of_order);
  // Every migration applied becomes a commit in the log (see cli/pg_capture.h).
  const std::string database =
      vm.count("target") ? vm["target"].as<std::string>() : s.conn->description();
  STRATA_ASSIGN_OR_RETURN(auto capture,
                          MigrationCapture::Open(ctx, PostgresSchemaName(ctx), database, &tracks));
  s.migrator->set_hooks(capture->Hooks());
  pg::RunReport r = s.migrator->Run(tracks, ctx.json ? JsonProgress(ctx) : HumanProgress(ctx));
  if (!ctx.json && !r.status.ok() && r.failed == std::nullopt && r.applied.empty()) {
    WarnMissing(ctx, r.plans);
  }
  return ReportRun(ctx, s, r, *capture);
}

// ---- history -------------------------------------------------------------------------------

CommandResult MigrateHistory(Context& ctx) {
  po::options_description o("migrate history options");
  AddTrackOption(&o);
  AddConnectionOptions(&o);
  o.add_options()("path", po::value<std::string>(), "the migrations directory (default: every "
                                                    "migrations_* table in the history schema)");
  auto vm = ParseArgs(ctx, o, PathPositional());
  const std::string schema = vm["history-schema"].as<std::string>();
  STRATA_ASSIGN_OR_RETURN(std::string conninfo, Conninfo(ctx, vm));
  STRATA_ASSIGN_OR_RETURN(auto conn, Connect(conninfo));
  std::vector<std::string> track_names;
  if (vm.count("path")) {
    STRATA_ASSIGN_OR_RETURN(std::string dir, MigrationsDir(ctx, vm));
    STRATA_ASSIGN_OR_RETURN(auto tracks, LoadTracks(dir, vm));
    for (const auto& t : tracks) track_names.push_back(t.name);
  } else {
    STRATA_ASSIGN_OR_RETURN(auto found, pg::FindHistoryTables(*conn, schema));
    for (const auto& f : found) {
      if (!vm.count("track") || vm["track"].as<std::string>() == f.track) track_names.push_back(f.track);
    }
  }
  json j = {{"version", 1}, {"database", conn->description()}, {"schema", schema},
            {"tracks", json::array()}};
  for (const std::string& track : track_names) {
    pg::HistoryTable table(schema, track);
    STRATA_ASSIGN_OR_RETURN(bool exists, table.Exists(*conn));
    STRATA_ASSIGN_OR_RETURN(auto rows, table.Read(*conn));
    json t = {{"track", track}, {"table", table.DisplayName()}, {"table_exists", exists},
              {"migrations", json::array()}};
    for (const auto& a : rows) {
      t["migrations"].push_back({{"id", a.id}, {"name", a.name}, {"hash", a.hash},
                                 {"applied_at", a.applied_at},
                                 {"execution_time_ms", a.execution_time_ms ? json(*a.execution_time_ms) : json(nullptr)}});
    }
    j["tracks"].push_back(t);
  }
  if (ctx.json) {
    ctx.PrintJson(j);
    return kExitOk;
  }
  *ctx.out << "database " << conn->description() << "\n";
  if (track_names.empty()) *ctx.out << "no migration history in schema " << schema << "\n";
  for (const auto& t : j["tracks"]) {
    *ctx.out << ctx.Paint(Color::kBold, t["track"].get<std::string>()) << " ("
             << t["table"].get<std::string>() << (t["table_exists"].get<bool>() ? "" : ", not created yet")
             << "): " << t["migrations"].size() << " applied\n";
    for (const auto& m : t["migrations"]) {
      const std::string ms = m["execution_time_ms"].is_null() ? "-" : std::to_string(m["execution_time_ms"].get<int64_t>()) + " ms";
      *ctx.out << fmt::format("  {:<19}  {:>9}  {}  {}\n", m["applied_at"].get<std::string>(), ms,
                              m["hash"].get<std::string>().substr(0, 12), m["name"].get<std::string>());
    }
  }
  return kExitOk;
}

// ---- validate ------------------------------------------------------------------------------

// "valid", "error", "none" (no script) or "skipped" (applied; run with --all).
std::string ValidationWord(const pg::Migrator::Validation& v) {
  if (!v.planned->file->validation) return "none";
  if (!v.outcome) return "skipped";
  return v.outcome->passed ? "valid" : "error";
}

void PrintValidation(const Context& ctx, const pg::Migrator::Validation& v, const std::string& word) {
  static const std::map<std::string, std::string> kLabels = {
      {"valid", "VALID"}, {"error", "ERROR"}, {"none", "No validation script"},
      {"skipped", "applied, not run"}};
  const pg::MigrationFile& f = *v.planned->file;
  std::string label = kLabels.at(word);
  if (word == "valid") label = ctx.Paint(Color::kGreen, label);
  if (word == "error") label = ctx.Paint(Color::kRed, label);
  *ctx.out << "  " << f.name.stem << ": " << label;
  if (f.validation && v.outcome) *ctx.out << " (" << fs::path(f.validation->path).filename().string() << ")";
  if (v.planned->state == pg::MigrationState::kModified) {
    *ctx.out << ", " << ctx.Paint(Color::kRed, "MODIFIED") << " since it was applied";
  }
  *ctx.out << "\n";
  if (word == "error") *ctx.out << Indented(v.outcome->output, "    | ");
}

CommandResult MigrateValidate(Context& ctx) {
  po::options_description o("migrate validate options");
  AddTrackOption(&o);
  AddConnectionOptions(&o);
  o.add_options()("path", po::value<std::string>(), "the migrations directory")(
      "all", po::bool_switch(), "also run the scripts of applied migrations")(
      "psql", po::value<std::string>(), "the psql program (default: psql on PATH)");
  auto vm = ParseArgs(ctx, o, PathPositional());
  STRATA_ASSIGN_OR_RETURN(std::string dir, MigrationsDir(ctx, vm));
  STRATA_ASSIGN_OR_RETURN(auto tracks, LoadTracks(dir, vm));
  STRATA_ASSIGN_OR_RETURN(Session s, OpenSession(ctx, vm, {}, true));
  STRATA_ASSIGN_OR_RETURN(auto plans, s.migrator->Plan(tracks));
  const bool all = vm["all"].as<bool>();
  STRATA_ASSIGN_OR_RETURN(auto results, s.migrator->Validate(plans, all));
  std::map<std::string, size_t> counts = {{"valid", 0}, {"error", 0}, {"none", 0}, {"skipped", 0}, {"modified", 0}};
  json list = json::array();
  std::string track;
  for (const auto& v : results) {
    const std::string word = ValidationWord(v);
    ++counts[word];
    const bool modified = v.planned->state == pg::MigrationState::kModified;
    counts["modified"] += modified;
    const pg::MigrationFile& f = *v.planned->file;
    json e = {{"track", f.name.track}, {"name", f.name.stem}, {"file", Shown(ctx, f.path)},
              {"state", pg::StateName(v.planned->state)}, {"validation", word},
              {"script", f.validation ? json(Shown(ctx, f.validation->path)) : json(nullptr)}};
    if (v.outcome) {
      e["exit_code"] = v.outcome->exit_code;
      e["output"] = v.outcome->output;
    }
    list.push_back(e);
    if (ctx.json) continue;
    if (f.name.track != track) *ctx.out << ctx.Paint(Color::kBold, track = f.name.track) << "\n";
    PrintValidation(ctx, v, word);
  }
  const bool ok = counts["error"] == 0 && counts["modified"] == 0;
  if (ctx.json) {
    ctx.PrintJson({{"version", 1}, {"database", s.conn->description()}, {"all", all}, {"ok", ok},
                   {"migrations", list}, {"counts", counts}});
  } else {
    WarnMissing(ctx, plans);
    *ctx.out << fmt::format("{} valid, {} with errors, {} without a script, {} applied and not run, {} modified\n",
                            counts["valid"], counts["error"], counts["none"], counts["skipped"],
                            counts["modified"]);
  }
  return ok ? kExitOk : kExitError;
}

// ---- add -----------------------------------------------------------------------------------

// The track of a new migration: --track, else the only track in the directory, else core.
Result<std::string> TrackForAdd(const po::variables_map& vm,
                                const std::vector<pg::MigrationTrack>& tracks) {
  if (vm.count("track")) return vm["track"].as<std::string>();
  if (tracks.size() == 1) return tracks[0].name;
  if (tracks.empty()) return std::string("core");
  std::vector<std::string> names;
  for (const auto& t : tracks) names.push_back(t.name);
  throw UsageError{fmt::format("the directory holds several tracks ({}); choose one with --track",
                               fmt::join(names, ", "))};
}

// Beside the track's newest migration, or in the directory itself for a new track.
std::string DirectoryForAdd(const std::string& root, const std::string& track,
                            const std::vector<pg::MigrationTrack>& tracks) {
  for (const auto& t : tracks) {
    if (t.name == track && !t.migrations.empty()) {
      return fs::path(t.migrations.back().path).parent_path().string();
    }
  }
  return root;
}

CommandResult MigrateAdd(Context& ctx) {
  po::options_description o("migrate add options");
  AddTrackOption(&o);
  o.add_options()("path", po::value<std::string>(), "the migrations directory")(
      "description", po::value<std::string>(), "what the migration does")(
      "with-validation", po::value<std::string>()->implicit_value("sh"),
      "also write a validation script: sh (an executable <stem>.sh, the default) or sql "
      "(<stem>.check.sql)");
  po::positional_options_description p;
  p.add("path", 1).add("description", 1);
  auto vm = ParseArgs(ctx, o, p);
  if (!vm.count("path")) throw UsageError{"missing DESCRIPTION"};
  if (!vm.count("description")) {  // one argument: the description; PATH from strata.yaml
    vm.insert({"description", vm["path"]});
    vm.erase("path");
  }
  std::string kind = vm.count("with-validation") ? vm["with-validation"].as<std::string>() : "";
  if (!kind.empty() && kind != "sh" && kind != "sql") {
    throw UsageError{"--with-validation takes sh or sql"};
  }
  STRATA_ASSIGN_OR_RETURN(std::string dir, MigrationsDir(ctx, vm));
  STRATA_RETURN_IF_ERROR(ctx.env->CreateDirs(dir));
  STRATA_ASSIGN_OR_RETURN(auto tracks, pg::DiscoverTracks(dir));
  STRATA_ASSIGN_OR_RETURN(std::string track, TrackForAdd(vm, tracks));
  STRATA_RETURN_IF_ERROR(pg::CheckTrackName(track));
  STRATA_ASSIGN_OR_RETURN(std::string description,
                          pg::DescriptionForFileName(vm["description"].as<std::string>()));
  const std::string ts = pg::NextFreeTimestamp(pg::TimestampOf(ctx.now_micros), tracks);
  STRATA_ASSIGN_OR_RETURN(pg::MigrationName name,
                          pg::ParseMigrationStem(ts + "_" + track + "_" + description));
  const fs::path target_dir = DirectoryForAdd(dir, track, tracks);
  const std::string created = FormatTime(ctx.now_micros);
  const std::string sql_path = (target_dir / (name.stem + ".sql")).string();
  STRATA_RETURN_IF_ERROR(ctx.env->WriteFileAtomic(sql_path, pg::MigrationTemplate(name, created)));
  std::string check_path;
  if (kind == "sh") {
    check_path = (target_dir / (name.stem + ".sh")).string();
    STRATA_RETURN_IF_ERROR(ctx.env->WriteFileAtomic(check_path, pg::ShellValidationTemplate(name)));
    std::error_code ec;
    fs::permissions(check_path, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                    fs::perm_options::add, ec);
    if (ec) return Status::IoError(fmt::format("{}: cannot make it executable: {}", check_path, ec.message()));
  } else if (kind == "sql") {
    check_path = (target_dir / (name.stem + ".check.sql")).string();
    STRATA_RETURN_IF_ERROR(ctx.env->WriteFileAtomic(check_path, pg::CheckSqlTemplate(name)));
  }
  if (ctx.json) {
    ctx.PrintJson({{"version", 1}, {"track", track}, {"name", name.stem},
                   {"migration", Shown(ctx, sql_path)},
                   {"validation", check_path.empty() ? json(nullptr) : json(Shown(ctx, check_path))}});
  } else {
    *ctx.out << "Created " << Shown(ctx, sql_path) << "\n";
    if (!check_path.empty()) *ctx.out << "Created " << Shown(ctx, check_path) << "\n";
  }
  return kExitOk;
}

}  // namespace

CommandResult RunMigrate(Context& ctx) {
  static const std::map<std::string, CommandResult (*)(Context&)> kSubcommands = {
      {"add", MigrateAdd}, {"status", MigrateStatus}, {"run", MigrateRun},
      {"history", MigrateHistory}, {"validate", MigrateValidate}};
  if (ctx.args.empty()) throw UsageError{"missing subcommand: add, status, run, history or validate"};
  auto it = kSubcommands.find(ctx.args[0]);
  if (it == kSubcommands.end()) {
    throw UsageError{fmt::format("unknown subcommand \"{}\"; use add, status, run, history or validate",
                                 ctx.args[0])};
  }
  Context sub = ctx;
  sub.args.erase(sub.args.begin());
  return it->second(sub);
}

std::string PostgresSchemaName(const Context& ctx) {
  for (const auto& [name, source] : ctx.project.schemas) {
    if (source.engine == "postgres") return name;
  }
  return "postgres";
}

Result<PostgresChildren> OpenPostgresChildren(const Context& ctx, const std::string& conninfo,
                                              const std::optional<std::string>& psql) {
  po::variables_map vm;
  if (psql) vm.insert({"psql", po::variable_value(*psql, false)});
  PostgresChildren out;
  STRATA_ASSIGN_OR_RETURN(std::string path, FindPsql(ctx, vm));
  STRATA_ASSIGN_OR_RETURN(out.setup, pg::MakeChildSetup(path, conninfo, ProcessEnvironment()));
  return out;
}

}  // namespace strata::cli

// strata migrate add|status|run|history|validate: PostgreSQL migration tracks.
//
// Each subcommand is a list of named steps over one Migrate context: its flags, the migrations
// directory and its tracks, the target's connection, the migrator, and (for run) the capture
// that records what ran in the log. The work is in adapters/postgres (migrator.h, capture.h);
// this file wires flags to it, and migrate_view.h shows the results. See
// docs/postgres-migrations.md for the file layout and docs/cli.md for the --json shapes.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <ostream>

#include "adapters/postgres/capture.h"
#include "adapters/postgres/history_table.h"
#include "adapters/postgres/migration_files.h"
#include "adapters/postgres/migrator.h"
#include "cli/commands.h"
#include "cli/log_store.h"
#include "cli/migrate_view.h"
#include "cli/postgres_session.h"
#include "engine/refs/refs.h"

namespace strata::cli {
namespace po = boost::program_options;
namespace fs = std::filesystem;
namespace pg = strata::postgres;
using json = nlohmann::ordered_json;

namespace {

// What one subcommand works with, filled in by its steps in order.
struct Migrate {
  explicit Migrate(Context& context) : ctx(context) {}
  Context& ctx;
  po::variables_map vm;
  std::string dir;                         // the migrations directory (absolute)
  std::vector<pg::MigrationTrack> tracks;  // outlive the plans and reports that point into them
  std::unique_ptr<pg::PostgresTarget> target;
  std::unique_ptr<common::ProcessRunner> runner;
  std::unique_ptr<pg::Migrator> migrator;
  std::string execution_id;
  std::unique_ptr<record::Recorder> recorder;
  std::unique_ptr<pg::MigrationCapture> capture;

  pg::Connection& conn() { return target->connection(); }
  std::string database() { return conn().description(); }
};

// ---- flags ---------------------------------------------------------------------------------

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

void ParseFlags(Migrate& m, const po::options_description& o,
                const po::positional_options_description& positional = PathPositional()) {
  m.vm = ParseArgs(m.ctx, o, positional);
}

// ---- steps ---------------------------------------------------------------------------------

// PATH, or the project's postgres schema directory.
Status FindDir(Migrate& m) {
  if (m.vm.count("path")) {
    m.dir = (fs::path(m.ctx.cwd) / m.vm["path"].as<std::string>()).lexically_normal().string();
    return Status::Ok();
  }
  std::vector<const SchemaSource*> found;
  for (const auto& [name, s] : m.ctx.project.schemas) {
    if (s.engine == pb::ENGINE_POSTGRES) found.push_back(&s);
  }
  if (found.size() == 1) {
    m.dir = found[0]->path;
    return Status::Ok();
  }
  if (found.empty()) {
    throw UsageError{"give the migrations directory PATH, or name it under schemas: in "
                     "strata.yaml (postgres: migrations)"};
  }
  throw UsageError{"strata.yaml has several postgres schemas; give the migrations directory PATH"};
}

// The tracks in the directory, or just --track.
Status LoadTracks(Migrate& m) {
  STRATA_ASSIGN_OR_RETURN(std::vector<pg::MigrationTrack> tracks, pg::DiscoverTracks(m.dir));
  if (!m.vm.count("track")) {
    m.tracks = std::move(tracks);
    return Status::Ok();
  }
  const std::string want = m.vm["track"].as<std::string>();
  std::vector<std::string> names;
  for (pg::MigrationTrack& t : tracks) {
    if (t.name == want) {
      m.tracks.push_back(std::move(t));
      return Status::Ok();
    }
    names.push_back(t.name);
  }
  return Status::NotFound(fmt::format("{}: no migrations of track \"{}\" (tracks there: {})",
                                      m.dir, want,
                                      names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "))));
}

Status FindTracks(Migrate& m) {
  STRATA_RETURN_IF_ERROR(FindDir(m));
  return LoadTracks(m);
}

// --target's database, or libpq's environment.
Status Connect(Migrate& m) {
  STRATA_ASSIGN_OR_RETURN(m.target, OpenPostgresTarget(m.ctx, OptArg(m.vm, "target")));
  return Status::Ok();
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

// The migrator on the target's connection; psql is looked for only when something runs.
Status OpenMigrator(Migrate& m, pg::MigratorOptions options, bool needs_psql) {
  std::optional<std::string> psql;
  if (m.vm.count("psql")) psql = m.vm["psql"].as<std::string>();
  pg::ChildSetup children;
  if (needs_psql) {
    STRATA_ASSIGN_OR_RETURN(children, PsqlChildren(m.ctx, m.target->conninfo(), psql));
  }
  STRATA_ASSIGN_OR_RETURN(m.execution_id, NewExecutionId());
  options.history_schema = m.vm["history-schema"].as<std::string>();
  options.execution_id = m.execution_id;
  m.runner = common::NewPosixProcessRunner();
  m.migrator = std::make_unique<pg::Migrator>(&m.conn(), m.runner.get(), std::move(children),
                                              std::move(options));
  return Status::Ok();
}

// Every migration the run applies becomes a commit in the log (adapters/postgres/capture.h).
Status OpenCapture(Migrate& m) {
  // The capture reads the recorded state from the log directory.
  STRATA_ASSIGN_OR_RETURN(m.recorder, OpenRecorder(m.ctx));
  pg::CaptureOptions o;
  o.env = m.ctx.env;
  o.log_dir = m.ctx.project.log_dir;
  o.schema = PostgresSchemaName(m.ctx);
  o.database = m.target->Label();
  o.tracks = &m.tracks;
  o.note = [&ctx = m.ctx](const std::string& line) { ctx.Note(line); };
  STRATA_ASSIGN_OR_RETURN(m.capture, pg::MigrationCapture::Open(*m.recorder, std::move(o)));
  m.migrator->set_hooks(m.capture->Hooks());
  return Status::Ok();
}

// ---- status --------------------------------------------------------------------------------

void PrintStatus(Migrate& m, const std::vector<pg::TrackPlan>& plans, const json& counts) {
  Context& ctx = m.ctx;
  if (ctx.json) {
    json j = {{"version", 1}, {"database", m.database()},
              {"history_schema", m.vm["history-schema"].as<std::string>()},
              {"path", Shown(ctx, m.dir)}, {"tracks", json::array()}, {"counts", counts}};
    for (const auto& p : plans) j["tracks"].push_back(PlanJson(ctx, p));
    ctx.PrintJson(j);
    return;
  }
  *ctx.out << "database " << m.database() << ", migrations in " << Shown(ctx, m.dir) << "\n";
  if (plans.empty()) *ctx.out << "no migrations\n";
  for (const auto& p : plans) PrintPlan(ctx, p);
  *ctx.out << SummaryLine(counts) << "\n";
}

CommandResult MigrateStatus(Context& ctx) {
  const CommandFlags spec = MigrateStatusFlags();
  const po::options_description& o = spec.options;
  Migrate m(ctx);
  ParseFlags(m, o);
  STRATA_RETURN_IF_ERROR(FindTracks(m));
  STRATA_RETURN_IF_ERROR(Connect(m));
  STRATA_RETURN_IF_ERROR(OpenMigrator(m, {}, /*needs_psql=*/false));
  STRATA_ASSIGN_OR_RETURN(auto plans, m.migrator->Plan(m.tracks));
  const json counts = Counts(plans);
  PrintStatus(m, plans, counts);
  const size_t waiting = counts["pending"].get<size_t>() + counts["out_of_order"].get<size_t>();
  return waiting > 0 && m.vm["detailed-exitcode"].as<bool>() ? kExitChanges : kExitOk;
}

// ---- run -----------------------------------------------------------------------------------

CommandResult DryRun(Migrate& m) {
  Context& ctx = m.ctx;
  STRATA_ASSIGN_OR_RETURN(auto plans, m.migrator->Plan(m.tracks));
  const Status runnable = pg::CheckRunnable(plans, m.vm["allow-out-of-order"].as<bool>());
  const json would = WouldApplyJson(ctx, plans);
  if (ctx.json) {
    json j = {{"version", 1}, {"database", m.database()}, {"dry_run", true},
              {"ok", runnable.ok()}, {"would_apply", would}, {"applied", json::array()}};
    if (!runnable.ok()) j["error"] = runnable.message();
    ctx.PrintJson(j);
  } else {
    WarnMissing(ctx, plans);
    for (const auto& w : would) {
      *ctx.out << "would apply " << w["name"].get<std::string>()
               << (w["no_transaction"].get<bool>() ? " (no transaction)" : "")
               << (w["state"] == "out_of_order" ? " (out of order)" : "") << "\n";
    }
    *ctx.out << (would.empty() ? "Nothing to apply." : fmt::format("{} migration(s) would be applied.", would.size()))
             << " Dry run: nothing was changed.\n";
  }
  if (!runnable.ok()) return runnable;
  return kExitOk;
}

int ReportRun(Migrate& m, const pg::RunReport& r) {
  Context& ctx = m.ctx;
  const auto& recorded = m.capture->recorded();
  if (ctx.json) {
    json j = {{"version", 1}, {"database", m.database()}, {"execution_id", m.execution_id},
              {"dry_run", false}, {"ok", r.status.ok()}, {"applied", json::array()},
              {"recorded", json::array()}};
    for (const auto& a : r.applied) j["applied"].push_back(AppliedJson(ctx, a));
    for (const auto& c : recorded) {
      j["recorded"].push_back({{"seq", c.seq}, {"name", c.stem}, {"kind", c.kind},
                               {"events", c.events}, {"drift", c.drift.empty() ? json(nullptr) : json(c.drift)}});
    }
    if (!r.status.ok()) j["error"] = r.status.message();
    if (r.failed) j["failed"] = FailedJson(ctx, *r.failed);
    ctx.PrintJson(j);
  } else {
    for (const auto& c : recorded) {
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

pg::MigratorOptions RunOptions(const po::variables_map& vm) {
  if (vm["lock-timeout"].as<double>() < 0) throw UsageError{"--lock-timeout cannot be negative"};
  pg::MigratorOptions options;
  options.allow_out_of_order = vm["allow-out-of-order"].as<bool>();
  options.lock_timeout_ms = static_cast<int64_t>(vm["lock-timeout"].as<double>() * 1000);
  return options;
}

pg::RunReport Apply(Migrate& m) {
  const Context& ctx = m.ctx;
  pg::RunReport r = m.migrator->Run(m.tracks, ctx.json ? JsonProgress(ctx) : HumanProgress(ctx));
  if (!ctx.json && !r.status.ok() && r.failed == std::nullopt && r.applied.empty()) {
    WarnMissing(ctx, r.plans);
  }
  return r;
}

CommandResult MigrateRun(Context& ctx) {
  const CommandFlags spec = MigrateRunFlags();
  const po::options_description& o = spec.options;
  Migrate m(ctx);
  ParseFlags(m, o);
  pg::MigratorOptions options = RunOptions(m.vm);
  const bool dry_run = m.vm["dry-run"].as<bool>();
  STRATA_RETURN_IF_ERROR(FindTracks(m));
  STRATA_RETURN_IF_ERROR(Connect(m));
  if (!m.vm["with-psql"].as<bool>()) options.session_conninfo = m.target->conninfo();
  STRATA_RETURN_IF_ERROR(OpenMigrator(m, options, /*needs_psql=*/!dry_run));
  if (dry_run) return DryRun(m);
  STRATA_RETURN_IF_ERROR(OpenCapture(m));
  const pg::RunReport r = Apply(m);
  return ReportRun(m, r);
}

// ---- history -------------------------------------------------------------------------------

// The tracks of PATH, or every history table in the history schema.
Result<std::vector<std::string>> HistoryTracks(Migrate& m, const std::string& schema) {
  std::vector<std::string> names;
  if (m.vm.count("path")) {
    STRATA_RETURN_IF_ERROR(FindTracks(m));
    for (const auto& t : m.tracks) names.push_back(t.name);
    return names;
  }
  STRATA_ASSIGN_OR_RETURN(auto found, pg::FindHistoryTables(m.conn(), schema));
  for (const auto& f : found) {
    if (!m.vm.count("track") || m.vm["track"].as<std::string>() == f.track) {
      names.push_back(f.track);
    }
  }
  return names;
}

json HistoryJson(Migrate& m, const std::string& schema,
                 const std::vector<pg::TrackHistory>& histories) {
  json j = {{"version", 1}, {"database", m.database()}, {"schema", schema},
            {"tracks", json::array()}};
  for (const pg::TrackHistory& h : histories) {
    json t = {{"track", h.track}, {"table", h.table.DisplayName()},
              {"table_exists", h.table_exists}, {"migrations", json::array()}};
    for (const auto& a : h.rows) {
      t["migrations"].push_back({{"id", a.id}, {"name", a.name}, {"hash", a.hash},
                                 {"applied_at", a.applied_at},
                                 {"execution_time_ms", a.execution_time_ms ? json(*a.execution_time_ms) : json(nullptr)}});
    }
    j["tracks"].push_back(t);
  }
  return j;
}

void PrintHistory(Migrate& m, const std::string& schema, const json& j) {
  Context& ctx = m.ctx;
  *ctx.out << "database " << m.database() << "\n";
  if (j["tracks"].empty()) *ctx.out << "no migration history in schema " << schema << "\n";
  for (const auto& t : j["tracks"]) {
    *ctx.out << ctx.Paint(Color::kBold, t["track"].get<std::string>()) << " ("
             << t["table"].get<std::string>() << (t["table_exists"].get<bool>() ? "" : ", not created yet")
             << "): " << t["migrations"].size() << " applied\n";
    for (const auto& row : t["migrations"]) {
      const std::string ms = row["execution_time_ms"].is_null() ? "-" : std::to_string(row["execution_time_ms"].get<int64_t>()) + " ms";
      *ctx.out << fmt::format("  {:<19}  {:>9}  {}  {}\n", row["applied_at"].get<std::string>(), ms,
                              row["hash"].get<std::string>().substr(0, 12), row["name"].get<std::string>());
    }
  }
}

CommandResult MigrateHistory(Context& ctx) {
  const CommandFlags spec = MigrateHistoryFlags();
  const po::options_description& o = spec.options;
  Migrate m(ctx);
  ParseFlags(m, o);
  const std::string schema = m.vm["history-schema"].as<std::string>();
  STRATA_RETURN_IF_ERROR(Connect(m));
  STRATA_ASSIGN_OR_RETURN(std::vector<std::string> tracks, HistoryTracks(m, schema));
  STRATA_ASSIGN_OR_RETURN(auto histories, pg::ReadHistories(m.conn(), schema, tracks));
  const json j = HistoryJson(m, schema, histories);
  if (ctx.json) {
    ctx.PrintJson(j);
  } else {
    PrintHistory(m, schema, j);
  }
  return kExitOk;
}

// ---- validate ------------------------------------------------------------------------------

// Each validation as JSON, counted by its word, and printed as it goes (text).
struct ValidationTally {
  std::map<std::string, size_t> counts = {{"valid", 0},   {"error", 0},    {"none", 0},
                                           {"skipped", 0}, {"modified", 0}, {"problems", 0}};
  json list = json::array();
  bool ok() const {
    return counts.at("error") == 0 && counts.at("modified") == 0 && counts.at("problems") == 0;
  }
};

ValidationTally TallyValidations(const Context& ctx,
                                 const std::vector<pg::Migrator::Validation>& results) {
  ValidationTally tally;
  std::string track;
  for (const auto& v : results) {
    const std::string word = ValidationWord(v);
    ++tally.counts[word];
    const bool modified = v.planned->state == pg::MigrationState::kModified;
    tally.counts["modified"] += modified;
    const pg::MigrationFile& f = *v.planned->file;
    json e = {{"track", f.name.track}, {"name", f.name.stem}, {"file", Shown(ctx, f.path)},
              {"state", pg::StateName(v.planned->state)}, {"validation", word},
              {"script", f.validation ? json(Shown(ctx, f.validation->path)) : json(nullptr)}};
    if (v.outcome) {
      e["exit_code"] = v.outcome->exit_code;
      e["output"] = v.outcome->output;
    }
    // What would stop `migrate run` before it runs anything (migration_sql_check.h).
    const bool to_run = v.planned->state == pg::MigrationState::kPending ||
                        v.planned->state == pg::MigrationState::kOutOfOrder;
    const std::vector<pg::SqlProblem> none;
    const std::vector<pg::SqlProblem>& problems = to_run ? f.problems : none;
    tally.counts["problems"] += problems.size();
    e["problems"] = json::array();
    for (const pg::SqlProblem& p : problems) {
      e["problems"].push_back({{"line", p.line}, {"message", p.message}});
    }
    tally.list.push_back(e);
    if (ctx.json) continue;
    if (f.name.track != track) *ctx.out << ctx.Paint(Color::kBold, track = f.name.track) << "\n";
    PrintValidation(ctx, v, word);
    for (const pg::SqlProblem& p : problems) {
      *ctx.out << ctx.Paint(Color::kRed, fmt::format("    {}:{}: {}", Shown(ctx, f.path), p.line,
                                                     p.message))
               << "\n";
    }
  }
  return tally;
}

void PrintValidationSummary(Migrate& m, const std::vector<pg::TrackPlan>& plans, bool all,
                            const ValidationTally& tally) {
  Context& ctx = m.ctx;
  if (ctx.json) {
    ctx.PrintJson({{"version", 1}, {"database", m.database()}, {"all", all}, {"ok", tally.ok()},
                   {"migrations", tally.list}, {"counts", tally.counts}});
    return;
  }
  WarnMissing(ctx, plans);
  const auto& c = tally.counts;
  *ctx.out << fmt::format("{} valid, {} with errors, {} without a script, {} applied and not run, {} modified\n",
                          c.at("valid"), c.at("error"), c.at("none"), c.at("skipped"), c.at("modified"));
  if (c.at("problems") > 0) {
    *ctx.out << fmt::format(
        "{} problem(s) in migrations to apply: migrate run would refuse to start\n",
        c.at("problems"));
  }
}

CommandResult MigrateValidate(Context& ctx) {
  const CommandFlags spec = MigrateValidateFlags();
  const po::options_description& o = spec.options;
  Migrate m(ctx);
  ParseFlags(m, o);
  const bool all = m.vm["all"].as<bool>();
  STRATA_RETURN_IF_ERROR(FindTracks(m));
  STRATA_RETURN_IF_ERROR(Connect(m));
  STRATA_RETURN_IF_ERROR(OpenMigrator(m, {}, /*needs_psql=*/true));
  STRATA_ASSIGN_OR_RETURN(auto plans, m.migrator->Plan(m.tracks));
  STRATA_ASSIGN_OR_RETURN(auto results, m.migrator->Validate(plans, all));
  const ValidationTally tally = TallyValidations(ctx, results);
  PrintValidationSummary(m, plans, all, tally);
  return tally.ok() ? kExitOk : kExitError;
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

// The files `migrate add` writes: the migration and, when asked, its validation script.
struct NewMigration {
  std::string track;
  pg::MigrationName name;
  std::string sql_path;
  std::string check_path;  // empty without --with-validation
};

// The validation kind of --with-validation: "", "sh" or "sql".
std::string ValidationKind(const po::variables_map& vm) {
  std::string kind = vm.count("with-validation") ? vm["with-validation"].as<std::string>() : "";
  if (!kind.empty() && kind != "sh" && kind != "sql") {
    throw UsageError{"--with-validation takes sh or sql"};
  }
  return kind;
}

// The track, the next free timestamp and the file name of the new migration.
Result<NewMigration> NameNewMigration(Migrate& m) {
  STRATA_RETURN_IF_ERROR(m.ctx.env->CreateDirs(m.dir));
  STRATA_ASSIGN_OR_RETURN(auto tracks, pg::DiscoverTracks(m.dir));
  NewMigration n;
  STRATA_ASSIGN_OR_RETURN(n.track, TrackForAdd(m.vm, tracks));
  STRATA_RETURN_IF_ERROR(pg::CheckTrackName(n.track));
  STRATA_ASSIGN_OR_RETURN(std::string description,
                          pg::DescriptionForFileName(m.vm["description"].as<std::string>()));
  const std::string ts = pg::NextFreeTimestamp(pg::TimestampOf(m.ctx.now_micros), tracks);
  STRATA_ASSIGN_OR_RETURN(n.name, pg::ParseMigrationStem(ts + "_" + n.track + "_" + description));
  const fs::path dir = DirectoryForAdd(m.dir, n.track, tracks);
  n.sql_path = (dir / (n.name.stem + ".sql")).string();
  return n;
}

Status WriteNewMigration(Migrate& m, const std::string& kind, NewMigration* n) {
  Env* env = m.ctx.env;
  const fs::path dir = fs::path(n->sql_path).parent_path();
  STRATA_RETURN_IF_ERROR(env->WriteFileAtomic(n->sql_path, pg::MigrationTemplate(n->name, FormatTime(m.ctx.now_micros))));
  if (kind == "sh") {
    n->check_path = (dir / (n->name.stem + ".sh")).string();
    STRATA_RETURN_IF_ERROR(env->WriteFileAtomic(n->check_path, pg::ShellValidationTemplate(n->name)));
    std::error_code ec;
    fs::permissions(n->check_path, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                    fs::perm_options::add, ec);
    if (ec) return Status::IoError(fmt::format("{}: cannot make it executable: {}", n->check_path, ec.message()));
  } else if (kind == "sql") {
    n->check_path = (dir / (n->name.stem + ".check.sql")).string();
    STRATA_RETURN_IF_ERROR(env->WriteFileAtomic(n->check_path, pg::CheckSqlTemplate(n->name)));
  }
  return Status::Ok();
}

void PrintNewMigration(const Context& ctx, const NewMigration& n) {
  if (ctx.json) {
    ctx.PrintJson({{"version", 1}, {"track", n.track}, {"name", n.name.stem},
                   {"migration", Shown(ctx, n.sql_path)},
                   {"validation", n.check_path.empty() ? json(nullptr) : json(Shown(ctx, n.check_path))}});
    return;
  }
  *ctx.out << "Created " << Shown(ctx, n.sql_path) << "\n";
  if (!n.check_path.empty()) *ctx.out << "Created " << Shown(ctx, n.check_path) << "\n";
}

CommandResult MigrateAdd(Context& ctx) {
  const CommandFlags spec = MigrateAddFlags();
  const po::options_description& o = spec.options;
  const po::positional_options_description& p = spec.positional;
  Migrate m(ctx);
  ParseFlags(m, o, p);
  if (!m.vm.count("path")) throw UsageError{"missing DESCRIPTION"};
  if (!m.vm.count("description")) {  // one argument: the description; PATH from strata.yaml
    m.vm.insert({"description", m.vm["path"]});
    m.vm.erase("path");
  }
  const std::string kind = ValidationKind(m.vm);
  STRATA_RETURN_IF_ERROR(FindDir(m));
  STRATA_ASSIGN_OR_RETURN(NewMigration n, NameNewMigration(m));
  STRATA_RETURN_IF_ERROR(WriteNewMigration(m, kind, &n));
  PrintNewMigration(ctx, n);
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

CommandFlags MigrateStatusFlags() {
  CommandFlags f{po::options_description("migrate status options"), {}};
  f.positional = PathPositional();
  po::options_description& o = f.options;
  AddTrackOption(&o);
  AddConnectionOptions(&o);
  o.add_options()("path", po::value<std::string>(), "the migrations directory")(
      "detailed-exitcode", po::bool_switch(), "exit 3 when migrations are pending");
  return f;
}

CommandFlags MigrateRunFlags() {
  CommandFlags f{po::options_description("migrate run options"), {}};
  f.positional = PathPositional();
  po::options_description& o = f.options;
  AddTrackOption(&o);
  AddConnectionOptions(&o);
  o.add_options()("path", po::value<std::string>(), "the migrations directory")(
      "allow-out-of-order", po::bool_switch(), "apply pending migrations older than applied ones")(
      "lock-timeout", po::value<double>()->default_value(60),
      "seconds to wait for another run's lock")("dry-run", po::bool_switch(),
                                                "show what would be applied; change nothing")(
      "psql", po::value<std::string>(), "the psql program (default: psql on PATH)")(
      "with-psql", po::bool_switch(),
      "hand every migration to psql (by default strata runs those that use no psql feature "
      "itself)");
  return f;
}

CommandFlags MigrateHistoryFlags() {
  CommandFlags f{po::options_description("migrate history options"), {}};
  f.positional = PathPositional();
  po::options_description& o = f.options;
  AddTrackOption(&o);
  AddConnectionOptions(&o);
  o.add_options()("path", po::value<std::string>(),
                  "the migrations directory (default: every "
                  "migrations_* table in the history schema)");
  return f;
}

CommandFlags MigrateValidateFlags() {
  CommandFlags f{po::options_description("migrate validate options"), {}};
  f.positional = PathPositional();
  po::options_description& o = f.options;
  AddTrackOption(&o);
  AddConnectionOptions(&o);
  o.add_options()("path", po::value<std::string>(), "the migrations directory")(
      "all", po::bool_switch(), "also run the scripts of applied migrations")(
      "psql", po::value<std::string>(), "the psql program (default: psql on PATH)");
  return f;
}

CommandFlags MigrateAddFlags() {
  CommandFlags f{po::options_description("migrate add options"), {}};
  po::options_description& o = f.options;
  AddTrackOption(&o);
  o.add_options()("path", po::value<std::string>(), "the migrations directory")(
      "description", po::value<std::string>(), "what the migration does")(
      "with-validation", po::value<std::string>()->implicit_value("sh"),
      "also write a validation script: sh (an executable <stem>.sh, the default) or sql "
      "(<stem>.check.sql)");
  po::positional_options_description& p = f.positional;
  p.add("path", 1).add("description", 1);
  return f;
}

}  // namespace strata::cli

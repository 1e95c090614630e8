// strata generate, status and init: schema files against the log head.
//
// generate: for the schema source named by --schema, or each declarative one: load the files,
// diff them with the head, and record one commit (recomputed if another writer appends first),
// then the backend's artifacts. status: the head, each source in its own terms (changes the
// files hold, migrations not recorded), and each target's cursor. init: a commented
// strata.yaml with a source per chosen backend.
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <ostream>
#include <set>
#include <sstream>

#include "adapters/backend/registry.h"
#include "cli/commands.h"
#include "cli/describe.h"
#include "cli/generate.h"
#include "cli/log_store.h"
#include "cli/mirror.h"
#include "engine/refs/refs.h"

namespace strata::cli {
namespace po = boost::program_options;
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

// The sources generate works on: --schema, else every declarative one.
Result<std::vector<const SchemaSource*>> SourcesToGenerate(const Context& ctx,
                                                           const std::optional<std::string>& schema) {
  if (schema) {
    const SchemaSource* s = ctx.project.Schema(*schema);
    if (s == nullptr) return Status::NotFound(fmt::format("no schema \"{}\" in the project", *schema));
    if (!BackendOf(*s).declarative()) {
      return BackendOf(*s).LoadDesired(*s).status();  // says how this backend records changes
    }
    return std::vector<const SchemaSource*>{s};
  }
  std::vector<const SchemaSource*> out;
  for (const auto& [name, s] : ctx.project.schemas) {
    if (BackendOf(s).declarative()) out.push_back(&s);
  }
  if (out.empty()) {
    // Only migration-driven sources: their backend says what records them.
    const SchemaSource& s = ctx.project.schemas.begin()->second;
    return BackendOf(s).LoadDesired(s).status();
  }
  return out;
}

// One schema's generate: JSON for it, and the text printed as it goes.
Result<json> GenerateOne(Context& ctx, const SchemaSource& source, const po::variables_map& vm) {
  const bool dry_run = vm["dry-run"].as<bool>();
  Generated g;
  if (dry_run) {
    STRATA_ASSIGN_OR_RETURN(g, PendingFiles(ctx, source));
  } else {
    GenerateRequest request;
    if (vm.count("message")) request.message = vm["message"].as<std::string>();
    if (vm.count("name")) request.name = vm["name"].as<std::string>();
    STRATA_ASSIGN_OR_RETURN(g, RecordFiles(ctx, source, request));
  }
  json out = {{"version", 1}, {"schema", source.name}, {"changes", g.events.size()},
              {"events", json::array()}};
  for (const auto& e : g.events) out["events"].push_back(EventJson(e));
  if (g.events.empty()) {
    if (!ctx.json) {
      *ctx.out << fmt::format("No changes: {} matches the log at seq {}{}.\n", source.name,
                              g.head_seq,
                              g.rebased ? " (another strata process recorded them first)" : "");
    }
    return out;
  }
  if (dry_run) {
    out["dry_run"] = true;
    if (!ctx.json) {
      PrintChanges(ctx, source.name, g.events);
      *ctx.out << "Dry run: nothing was recorded.\n";
    }
    return out;
  }
  const StoredCommit& stored = *g.stored;
  out["seq"] = stored.commit.seq();
  out["hash"] = HashHex(stored.hash);
  if (!g.artifacts.empty()) out["artifact"] = ProjectRelative(ctx, g.artifacts.front());
  if (!ctx.json) {
    DiffSummary s = PrintChanges(ctx, source.name, g.events);
    PrintSummaryLine(ctx, s, fmt::format("Recorded commit {} ({})", stored.commit.seq(),
                                         HashHex(stored.hash).substr(0, 12)));
    if (!g.artifacts.empty()) {
      std::string line = "Wrote " + ProjectRelative(ctx, g.artifacts.front());
      for (size_t i = 1; i < g.artifacts.size(); ++i) {
        line += (i + 1 == g.artifacts.size() ? " and " : ", ") +
                fs::path(g.artifacts[i]).filename().string();
      }
      *ctx.out << line << "\n";
    }
  }
  return out;
}

}  // namespace

CommandResult RunGenerate(Context& ctx) {
  const CommandFlags spec = GenerateFlags();
  const po::options_description& o = spec.options;
  auto vm = ParseArgs(ctx, o, {});
  STRATA_ASSIGN_OR_RETURN(auto sources, SourcesToGenerate(ctx, OptArg(vm, "schema")));
  json all = json::array();
  for (const SchemaSource* source : sources) {
    STRATA_ASSIGN_OR_RETURN(json one, GenerateOne(ctx, *source, vm));
    all.push_back(std::move(one));
  }
  if (ctx.json) {
    // One schema: its object, as always; several: {"version": 1, "schemas": [...]}.
    if (all.size() == 1) ctx.PrintJson(all.front());
    else ctx.PrintJson({{"version", 1}, {"schemas", all}});
  }
  return kExitOk;
}

namespace {

const char* OutcomeName(pb::DeploymentOutcome outcome) {
  switch (outcome) {
    case pb::DEPLOYMENT_SUCCEEDED: return "succeeded";
    case pb::DEPLOYMENT_PARTIAL: return "partial";
    case pb::DEPLOYMENT_FAILED: return "failed";
    default: return "unknown";
  }
}

struct SourceReport {
  const SchemaSource* source = nullptr;
  std::optional<backend::SourceStatus> status;
  std::string error;
};

Result<SourceReport> ReportSource(History& history, const SchemaSource& source) {
  SourceReport r;
  r.source = &source;
  const backend::Backend& b = BackendOf(source);
  STRATA_ASSIGN_OR_RETURN(pb::SchemaState recorded,
                          history.SchemaAt(history.head().seq, source.name));
  std::set<std::string> names;
  if (!b.declarative()) {
    STRATA_ASSIGN_OR_RETURN(names, history.MigrationsRecorded(source.name));
  }
  auto status = b.Status(source, recorded, names);
  if (status.ok()) r.status = std::move(status).value();
  else r.error = status.status().message();
  return r;
}

void PrintSourceReport(const Context& ctx, const SourceReport& r) {
  const std::string& name = r.source->name;
  if (!r.status) return;  // errors are printed first
  const backend::SourceStatus& s = *r.status;
  if (s.pending() == 0) {
    *ctx.out << "schema   " << name << ": up to date with the log\n";
    return;
  }
  if (!s.changes.empty()) {
    *ctx.out << "schema   " << name << ": " << s.changes.size() << " change(s) not yet recorded ("
             << s.next_step << "):\n";
    PrintChanges(ctx, name, s.changes);
    return;
  }
  *ctx.out << "schema   " << name << ": " << s.items.size() << " " << s.noun
           << "(s) not yet recorded (" << s.next_step << "):\n";
  for (const auto& item : s.items) *ctx.out << "    + " << item << "\n";
}

}  // namespace

CommandResult RunStatus(Context& ctx) {
  const CommandFlags spec = StatusFlags();
  const po::options_description& o = spec.options;
  auto vm = ParseArgs(ctx, o, {});
  STRATA_ASSIGN_OR_RETURN(auto history, OpenHistory(ctx));
  const Head& head = history->head();
  STRATA_ASSIGN_OR_RETURN(auto top, history->index().CommitAt(head.seq));
  json out = {{"version", 1},
              {"project", ctx.project.root},
              {"config", ctx.project.config_path},
              {"log", ctx.project.log_dir},
              {"head", {{"seq", head.seq}, {"hash", HashHex(head.hash)}}},
              {"schemas", json::object()}};
  if (top) out["head"]["time"] = FormatTime(top->time_unix_micros);
  size_t pending_total = 0;
  std::vector<SourceReport> reports;
  for (const auto& [name, source] : ctx.project.schemas) {
    STRATA_ASSIGN_OR_RETURN(SourceReport r, ReportSource(*history, source));
    json js = {{"engine", BackendOf(source).name()}, {"path", source.path}};
    if (!r.error.empty()) {
      js["error"] = r.error;
    } else {
      js["pending_changes"] = r.status->pending();
      if (!r.status->items.empty()) js["pending_" + r.status->noun + "s"] = r.status->items;
      pending_total += r.status->pending();
    }
    out["schemas"][name] = js;
    reports.push_back(std::move(r));
  }
  // Where each target is: its last deployment (a --no-wait or failed apply shows as partial).
  STRATA_ASSIGN_OR_RETURN(std::vector<CursorInfo> cursors, history->index().Cursors());
  out["targets"] = json::array();
  std::set<std::string> deployed;
  for (const auto& c : cursors) {
    deployed.insert(c.target);
    out["targets"].push_back({{"target", c.target}, {"seq", c.seq},
                              {"deployment_seq", c.deployment_seq},
                              {"outcome", OutcomeName(c.outcome)}});
  }
  // Targets of strata.yaml that no deployment names yet.
  std::vector<std::string> never;
  for (const auto& [name, t] : ctx.project.targets) {
    if (deployed.count(name)) continue;
    never.push_back(name);
    out["targets"].push_back({{"target", name}, {"seq", nullptr}, {"deployment_seq", nullptr},
                              {"outcome", "never deployed"}});
  }
  if (ctx.json) {
    ctx.PrintJson(out);
    return pending_total > 0 && vm["detailed-exitcode"].as<bool>() ? kExitChanges : kExitOk;
  }
  *ctx.out << "project  " << ctx.project.root
           << (ctx.project.config_path.empty() ? " (no strata.yaml; defaults)" : "") << "\n";
  *ctx.out << "log      " << ctx.project.log_dir << "\n";
  *ctx.out << "head     "
           << (head.seq == 0 ? std::string("(empty log)")
                             : fmt::format("seq {} {}{}", head.seq, HashHex(head.hash).substr(0, 12),
                                           top ? "  " + FormatTime(top->time_unix_micros) : ""))
           << "\n";
  for (const auto& r : reports) {
    if (!r.error.empty()) *ctx.out << "schema   " << r.source->name << ": " << r.error << "\n";
  }
  for (const auto& c : cursors) {
    const std::string outcome = OutcomeName(c.outcome);
    *ctx.out << "target   " << c.target << ": at seq " << c.seq << " (last deployment, commit "
             << c.deployment_seq << ", " << outcome
             << (outcome == "succeeded" ? ")" : "; run strata apply to finish it)") << "\n";
  }
  for (const auto& name : never) {
    *ctx.out << "target   " << name << ": never deployed by strata\n";
  }
  for (const auto& r : reports) PrintSourceReport(ctx, r);
  return pending_total > 0 && vm["detailed-exitcode"].as<bool>() ? kExitChanges : kExitOk;
}

namespace {

// The backends `init` sets up: --engine (comma-separated), else asked on a terminal, else
// dynamodb.
Result<std::vector<const backend::Backend*>> InitBackends(const Context& ctx,
                                                          const po::variables_map& vm, bool ask) {
  std::string names = vm.count("engine") ? vm["engine"].as<std::string>() : "dynamodb";
  if (!vm.count("engine") && ask) {
    *ctx.err << "Schema engines (" << backend::NamesText() << "; several with commas) [dynamodb]: "
             << std::flush;
    std::string line;
    if (std::getline(std::cin, line) && !line.empty()) names = line;
  }
  std::vector<const backend::Backend*> out;
  std::string word;
  std::istringstream in(names);
  while (std::getline(in, word, ',')) {
    word.erase(0, word.find_first_not_of(" \t"));
    word.erase(word.find_last_not_of(" \t") + 1);
    if (word.empty()) continue;
    const backend::Backend* b = backend::Named(word);
    if (b == nullptr) {
      return Status::InvalidArgument(fmt::format("unknown engine \"{}\"; use {}", word,
                                                 backend::NamesText()));
    }
    if (std::find(out.begin(), out.end(), b) == out.end()) out.push_back(b);
  }
  if (out.empty()) return Status::InvalidArgument("init needs at least one engine");
  return out;
}

// Creates the log `log` names: a directory, or a shared store (opened, which creates its table
// where the store does that, probed for conditional writes, and pulled into a first mirror, so
// an existing team log is joined).
Status CreateLog(const Context& ctx, const std::string& root, const std::string& log) {
  if (log.find("://") == std::string::npos) {
    const fs::path dir = fs::path(log).is_absolute() ? fs::path(log) : fs::path(root) / log;
    return ctx.env->CreateDirs(dir.lexically_normal().string());
  }
  STRATA_RETURN_IF_ERROR(CheckLogUrlScheme(log, "init --log"));
  STRATA_ASSIGN_OR_RETURN(std::string url, ExpandVariables(log, ctx.getenv, "init --log"));
  STRATA_ASSIGN_OR_RETURN(auto store, OpenLogStoreUrl(url));
  Status probed = store->ProbeConditionalWrites();
  if (!probed.ok()) {
    return Status(probed.code(), fmt::format("{}; nothing was written", probed.message()));
  }
  return PullMirror(ctx, *store, MirrorDirFor(root, log), true).status();
}

// The .gitignore lines that fit the log: a shared log's mirror is a cache of the store, so all of
// .strata/ is ignored; a local log's segments and HEAD may be committed (a one-person project
// keeps its history with its code), its index, lock and any mirrors are derived or per machine.
Status WriteGitignore(const Context& ctx, const std::string& root, const std::string& log,
                      bool shared) {
  std::vector<std::string> wanted;
  if (shared) {
    wanted = {".strata/"};
  } else {
    const std::string dir = fs::path(log).is_absolute() ? "" : fs::path(log).lexically_normal().string();
    if (dir.empty() || dir.rfind("..", 0) == 0) return Status::Ok();
    for (const char* f : {"/index.sqlite", "/index.sqlite-*", "/LOCK", "/remote/"}) {
      wanted.push_back(dir + f);
    }
  }
  const std::string path = (fs::path(root) / ".gitignore").string();
  std::string text;
  if (ctx.env->Exists(path)) {
    STRATA_ASSIGN_OR_RETURN(text, ctx.env->ReadFile(path));
  }
  std::string add;
  for (const std::string& w : wanted) {
    if (("\n" + text + "\n").find("\n" + w + "\n") == std::string::npos) add += w + "\n";
  }
  if (add.empty()) return Status::Ok();
  if (!text.empty() && text.back() != '\n') text += '\n';
  text += shared ? "# strata: the local mirror of the shared log (a cache; the store holds the log)\n"
                 : "# strata: the log's derived index and per-machine files (the segments and HEAD "
                   "are the history)\n";
  return ctx.env->WriteFileAtomic(path, text + add);
}

}  // namespace

CommandResult RunInit(Context& ctx) {
  const CommandFlags spec = InitFlags();
  const po::options_description& o = spec.options;
  auto vm = ParseArgs(ctx, o, {});
  const fs::path root = ctx.project_dir ? fs::path(ctx.project.root) : fs::path(ctx.cwd);
  const fs::path config = root / "strata.yaml";
  if (fs::exists(config) && !vm["force"].as<bool>()) {
    return Status::AlreadyExists(fmt::format(
        "{} already exists; edit it instead (or run init --force to replace it)", config.string()));
  }
  const bool ask = ctx.interactive && !vm["yes"].as<bool>();
  std::string log = vm.count("log") ? vm["log"].as<std::string>() : ".strata";
  if (ask && !vm.count("log")) {
    *ctx.err << "Where the log lives: a directory, or a shared store URL (postgres://...) [" << log
             << "]: " << std::flush;
    std::string line;
    if (std::getline(std::cin, line) && !line.empty()) log = line;
  }
  STRATA_ASSIGN_OR_RETURN(auto backends, InitBackends(ctx, vm, ask));
  std::vector<InitSource> sources;
  for (const backend::Backend* b : backends) {
    InitSource s{b, b->default_source_dir(), "migrations/" + std::string(b->name())};
    if (ask) {
      auto question = [&ctx](const std::string& q, std::string* v) {
        *ctx.err << q << " [" << *v << "]: " << std::flush;
        std::string line;
        if (std::getline(std::cin, line) && !line.empty()) *v = line;
      };
      question(fmt::format("{} schema directory", b->display_name()), &s.dir);
      if (b->writes_artifacts()) question("Generated artifacts directory", &s.artifacts);
    }
    sources.push_back(s);
  }
  for (const auto& s : sources) STRATA_RETURN_IF_ERROR(ctx.env->CreateDirs((root / s.dir).string()));
  const bool shared = log.find("://") != std::string::npos;
  STRATA_RETURN_IF_ERROR(CreateLog(ctx, root.string(), log));
  STRATA_RETURN_IF_ERROR(ctx.env->WriteFileAtomic(
      config.string(), WithLogLine(DefaultConfigText(sources), log)));
  STRATA_RETURN_IF_ERROR(WriteGitignore(ctx, root.string(), log, shared));
  if (ctx.json) {
    json j = {{"version", 1}, {"config", config.string()}, {"log", log}};
    // The first source with files of desired state, under the keys this document always had.
    for (const auto& s : sources) {
      if (s.backend->declarative() && !j.contains("tables")) {
        j["tables"] = s.dir;
        j["artifacts"] = s.artifacts;
      }
    }
    j["schemas"] = json::array();
    for (const auto& s : sources) {
      j["schemas"].push_back({{"engine", s.backend->name()}, {"path", s.dir}});
    }
    ctx.PrintJson(j);
  } else {
    *ctx.out << "Wrote " << config.string() << " (log: " << log << ")\n";
    for (const auto& s : sources) {
      if (s.backend->declarative()) {
        *ctx.out << "Put " << s.backend->object_noun() << " files in " << s.dir
                 << "/ and run: strata generate -m \"first " << s.backend->object_noun()
                 << "s\"\n";
      } else {
        *ctx.out << "Add migrations with: strata migrate add " << s.dir << " \"first "
                 << s.backend->object_noun() << "s\"\n";
      }
    }
  }
  return kExitOk;
}

CommandFlags GenerateFlags() {
  CommandFlags f{po::options_description("generate options"), {}};
  po::options_description& o = f.options;
  o.add_options()("message,m", po::value<std::string>(), "why (recorded in the commit)")(
      "name", po::value<std::string>(), "the artifact's name (NNNN_<name>.json)")(
      "schema", po::value<std::string>(), "which schema source (default: every one with files)")(
      "dry-run", po::bool_switch(), "show what would be recorded; write nothing");
  return f;
}

CommandFlags StatusFlags() {
  CommandFlags f{po::options_description("status options"), {}};
  po::options_description& o = f.options;
  o.add_options()("detailed-exitcode", po::bool_switch(), "exit 3 when schema files have changes");
  return f;
}

CommandFlags InitFlags() {
  CommandFlags f{po::options_description("init options"), {}};
  po::options_description& o = f.options;
  o.add_options()("yes,y", po::bool_switch(), "accept the defaults without asking")(
      "engine", po::value<std::string>(),
      "the schema engines to set up, comma-separated (default: dynamodb)")(
      "log", po::value<std::string>(), "where the log lives: a directory or a store URL")(
      "force", po::bool_switch(), "replace an existing strata.yaml");
  return f;
}

}  // namespace strata::cli

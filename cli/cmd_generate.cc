// strata generate, status and init: schema files against the log head.
//
// generate is a list of steps: load the files, replay the head, diff; if nothing changed say
// so and write nothing; otherwise append one commit, then write the numbered artifact and the
// rolling snapshot.json (derived files: rewritten atomically, regenerable from the log).
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <ostream>

#include "adapters/dynamodb/artifact.h"
#include "adapters/dynamodb/snapshot.h"
#include "adapters/dynamodb/table_dir.h"
#include "cli/commands.h"
#include "cli/describe.h"
#include "cli/generate.h"
#include "cli/history.h"
#include "engine/diff/diff.h"

namespace strata::cli {
namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

Result<pb::SchemaState> LoadDesired(const SchemaSource& source) {
  pb::SchemaState s;
  s.set_engine(pb::ENGINE_DYNAMODB);
  if (source.engine != "dynamodb") {
    return Status::Unimplemented(fmt::format(
        "schema {}: generate from {} files is not supported yet", source.name, source.engine));
  }
  if (!fs::is_directory(source.path)) {
    return Status::NotFound(fmt::format(
        "schema {}: no directory {}; create it and put table files in it (or run strata init)",
        source.name, source.path));
  }
  STRATA_ASSIGN_OR_RETURN(*s.mutable_dynamodb(), dynamodb::LoadTableDir(source.path));
  return s;
}

}  // namespace

Result<Pending> ComputePending(const Context& ctx, History& history, const SchemaSource& source) {
  Pending p;
  p.source = &source;
  STRATA_ASSIGN_OR_RETURN(p.desired, LoadDesired(source));
  p.head_seq = history.index().head_seq();
  STRATA_ASSIGN_OR_RETURN(pb::State head, history.index().StateAt(p.head_seq));
  pb::SchemaState recorded;
  if (auto it = head.schemas().find(source.name); it != head.schemas().end()) recorded = it->second;
  STRATA_ASSIGN_OR_RETURN(p.events, Diff(recorded, p.desired));
  return p;
}

Result<const SchemaSource*> PickDynamoSchema(const Context& ctx,
                                             const std::optional<std::string>& schema) {
  if (schema) {
    const std::string& name = *schema;
    const SchemaSource* s = ctx.project.Schema(name);
    if (s == nullptr) return Status::NotFound(fmt::format("no schema \"{}\" in the project", name));
    return s;
  }
  for (const auto& [name, s] : ctx.project.schemas) {
    if (s.engine == "dynamodb") return &s;
  }
  return Status::NotFound("the project has no dynamodb schema; add one under schemas: in strata.yaml");
}

namespace {

std::string DefaultName(const std::vector<pb::Event>& events) {
  std::set<std::string> objects;
  std::string kind = "update";
  for (const auto& e : events) {
    EventText t = Describe(e);
    objects.insert(t.object);
    if (t.text == "create table") kind = "create";
    if (t.text == "drop table") kind = "drop";
  }
  if (objects.size() == 1) return kind + "_" + *objects.begin();
  return "changes";
}

std::string DefaultMessage(const std::vector<pb::Event>& events) {
  std::set<std::string> objects;
  for (const auto& e : events) objects.insert(Describe(e).object);
  return fmt::format("{} change{} to {}", events.size(), events.size() == 1 ? "" : "s",
                     fmt::join(objects, ", "));
}

Status WriteArtifacts(const Context& ctx, const Pending& p, const StoredCommit& stored,
                      const std::string& name, std::string* artifact_path) {
  const std::string& dir = p.source->artifacts;
  STRATA_RETURN_IF_ERROR(ctx.env->CreateDirs(dir));
  STRATA_ASSIGN_OR_RETURN(std::string file, dynamodb::NextArtifactFileNameIn(dir, name));
  dynamodb::ArtifactMetadata meta;
  meta.seq = stored.commit.seq();
  meta.name = name;
  meta.message = stored.commit.message();
  meta.time = FormatTime(stored.commit.time_unix_micros());
  STRATA_ASSIGN_OR_RETURN(std::string body, dynamodb::RenderArtifactText(p.events, meta));
  *artifact_path = (fs::path(dir) / file).string();
  STRATA_RETURN_IF_ERROR(ctx.env->WriteFileAtomic(*artifact_path, body));
  return ctx.env->WriteFileAtomic((fs::path(dir) / "snapshot.json").string(),
                                  dynamodb::RenderSnapshotText(p.desired.dynamodb()));
}

}  // namespace

Result<Recorded> RecordPending(const Context& ctx, const Pending& p, const RecordOptions& options) {
  const std::string name = !options.name.empty()      ? options.name
                           : !options.message.empty() ? options.message
                                                      : DefaultName(p.events);
  pb::Commit commit;
  commit.set_origin(options.origin);
  commit.set_schema(p.source->name);
  commit.set_engine(pb::ENGINE_DYNAMODB);
  commit.set_message(!options.message.empty() ? options.message : DefaultMessage(p.events));
  for (const auto& e : p.events) *commit.add_events() = e;
  Recorded r;
  STRATA_ASSIGN_OR_RETURN(r.stored, AppendCommit(ctx, std::move(commit)));
  Status written = WriteArtifacts(ctx, p, r.stored, name, &r.artifact);
  if (!written.ok()) {
    return written.WithContext(fmt::format(
        "commit {} is recorded, but writing its artifacts failed (they can be written again)",
        r.stored.commit.seq()));
  }
  return r;
}

CommandResult RunGenerate(Context& ctx) {
  po::options_description o("generate options");
  o.add_options()("message,m", po::value<std::string>(), "why (recorded in the commit)")(
      "name", po::value<std::string>(), "the artifact's name (NNNN_<name>.json)")(
      "schema", po::value<std::string>(), "which schema source (default: the dynamodb one)")(
      "dry-run", po::bool_switch(), "show what would be recorded; write nothing");
  auto vm = ParseArgs(ctx, o, {});

  STRATA_ASSIGN_OR_RETURN(const SchemaSource* source, PickDynamoSchema(ctx, OptArg(vm, "schema")));
  STRATA_ASSIGN_OR_RETURN(auto history, History::Open(ctx));
  STRATA_ASSIGN_OR_RETURN(Pending p, ComputePending(ctx, *history, *source));
  nlohmann::ordered_json out = {{"version", 1}, {"schema", source->name}, {"changes", p.events.size()},
                        {"events", nlohmann::ordered_json::array()}};
  for (const auto& e : p.events) out["events"].push_back(EventJson(e));
  if (p.events.empty()) {
    if (ctx.json) ctx.PrintJson(out);
    else *ctx.out << fmt::format("No changes: {} matches the log at seq {}.\n", source->name, p.head_seq);
    return kExitOk;
  }
  if (vm["dry-run"].as<bool>()) {
    if (ctx.json) {
      out["dry_run"] = true;
      ctx.PrintJson(out);
    } else {
      PrintChanges(ctx, source->name, p.events);
      *ctx.out << "Dry run: nothing was recorded.\n";
    }
    return kExitOk;
  }
  RecordOptions record;
  record.origin = pb::ORIGIN_GENERATE;
  if (vm.count("message")) record.message = vm["message"].as<std::string>();
  if (vm.count("name")) record.name = vm["name"].as<std::string>();
  STRATA_ASSIGN_OR_RETURN(Recorded recorded, RecordPending(ctx, p, record));
  const StoredCommit& stored = recorded.stored;
  const std::string& artifact = recorded.artifact;
  if (ctx.json) {
    out["seq"] = stored.commit.seq();
    out["hash"] = HashHex(stored.hash);
    out["artifact"] = fs::relative(artifact, ctx.project.root).string();
    ctx.PrintJson(out);
    return kExitOk;
  }
  DiffSummary s = PrintChanges(ctx, source->name, p.events);
  PrintSummaryLine(ctx, s, fmt::format("Recorded commit {} ({})", stored.commit.seq(),
                                       HashHex(stored.hash).substr(0, 12)));
  *ctx.out << "Wrote " << fs::relative(artifact, ctx.project.root).string() << " and snapshot.json\n";
  return kExitOk;
}

CommandResult RunStatus(Context& ctx) {
  po::options_description o("status options");
  o.add_options()("detailed-exitcode", po::bool_switch(), "exit 3 when schema files have changes");
  auto vm = ParseArgs(ctx, o, {});
  STRATA_ASSIGN_OR_RETURN(auto history, History::Open(ctx));
  const Head& head = history->index().head();
  STRATA_ASSIGN_OR_RETURN(auto top, history->index().CommitAt(head.seq));
  nlohmann::ordered_json out = {{"version", 1},
                        {"project", ctx.project.root},
                        {"config", ctx.project.config_path},
                        {"log", ctx.project.log_dir},
                        {"head", {{"seq", head.seq}, {"hash", HashHex(head.hash)}}},
                        {"schemas", nlohmann::ordered_json::object()}};
  if (top) out["head"]["time"] = FormatTime(top->time_unix_micros);
  size_t pending_total = 0;
  std::vector<std::pair<std::string, std::vector<pb::Event>>> pending;
  for (const auto& [name, source] : ctx.project.schemas) {
    auto p = ComputePending(ctx, *history, source);
    nlohmann::ordered_json js = {{"engine", source.engine}, {"path", source.path}};
    if (!p.ok()) {
      js["error"] = p.status().message();
    } else {
      js["pending_changes"] = p->events.size();
      pending_total += p->events.size();
      pending.emplace_back(name, p->events);
    }
    out["schemas"][name] = js;
  }
  // Where each target is: its last deployment (a --no-wait or failed apply shows as partial).
  STRATA_ASSIGN_OR_RETURN(std::vector<CursorInfo> cursors, history->index().Cursors());
  out["targets"] = nlohmann::ordered_json::array();
  for (const auto& c : cursors) {
    const char* outcome = c.outcome == pb::DEPLOYMENT_SUCCEEDED ? "succeeded"
                          : c.outcome == pb::DEPLOYMENT_PARTIAL ? "partial"
                          : c.outcome == pb::DEPLOYMENT_FAILED  ? "failed"
                                                                : "unknown";
    out["targets"].push_back({{"target", c.target}, {"seq", c.seq},
                              {"deployment_seq", c.deployment_seq}, {"outcome", outcome}});
  }
  if (ctx.json) {
    ctx.PrintJson(out);
  } else {
    *ctx.out << "project  " << ctx.project.root
             << (ctx.project.config_path.empty() ? " (no strata.yaml; defaults)" : "") << "\n";
    *ctx.out << "log      " << ctx.project.log_dir << "\n";
    *ctx.out << "head     "
             << (head.seq == 0 ? std::string("(empty log)")
                               : fmt::format("seq {} {}{}", head.seq, HashHex(head.hash).substr(0, 12),
                                             top ? "  " + FormatTime(top->time_unix_micros) : ""))
             << "\n";
    for (const auto& [name, js] : out["schemas"].items()) {
      if (js.contains("error")) {
        *ctx.out << "schema   " << name << ": " << js["error"].get<std::string>() << "\n";
      }
    }
    for (const auto& t : out["targets"]) {
      const std::string outcome = t["outcome"].get<std::string>();
      *ctx.out << "target   " << t["target"].get<std::string>() << ": at seq " << t["seq"].get<uint64_t>()
               << " (last deployment, commit " << t["deployment_seq"].get<uint64_t>() << ", " << outcome
               << (outcome == "succeeded" ? ")" : "; run strata apply to finish it)") << "\n";
    }
    for (const auto& [name, events] : pending) {
      if (events.empty()) {
        *ctx.out << "schema   " << name << ": up to date with the log\n";
        continue;
      }
      *ctx.out << "schema   " << name << ": " << events.size()
               << " change(s) not yet recorded (run strata generate):\n";
      PrintChanges(ctx, name, events);
    }
  }
  return pending_total > 0 && vm["detailed-exitcode"].as<bool>() ? kExitChanges : kExitOk;
}

CommandResult RunInit(Context& ctx) {
  po::options_description o("init options");
  o.add_options()("yes,y", po::bool_switch(), "accept the defaults without asking");
  auto vm = ParseArgs(ctx, o, {});
  const fs::path root = ctx.project_dir ? fs::path(ctx.project.root) : fs::path(ctx.cwd);
  const fs::path config = root / "strata.yaml";
  if (fs::exists(config)) {
    return Status::AlreadyExists(fmt::format("{} already exists; edit it instead", config.string()));
  }
  std::string tables = "schema/dynamodb", artifacts = "migrations/dynamodb";
  if (ctx.interactive && !vm["yes"].as<bool>()) {
    auto ask = [&ctx](const std::string& q, std::string* v) {
      *ctx.err << q << " [" << *v << "]: " << std::flush;
      std::string line;
      if (std::getline(std::cin, line) && !line.empty()) *v = line;
    };
    ask("DynamoDB table files directory", &tables);
    ask("Generated artifacts directory", &artifacts);
  }
  STRATA_RETURN_IF_ERROR(ctx.env->CreateDirs((root / tables).string()));
  STRATA_RETURN_IF_ERROR(ctx.env->CreateDirs((root / ".strata").string()));
  STRATA_RETURN_IF_ERROR(ctx.env->WriteFileAtomic(config.string(), DefaultConfigText(tables, artifacts)));
  if (ctx.json) {
    ctx.PrintJson({{"version", 1}, {"config", config.string()}, {"tables", tables}, {"artifacts", artifacts}});
  } else {
    *ctx.out << "Wrote " << config.string() << "\nPut table files in " << tables
             << "/ and run: strata generate -m \"first tables\"\n";
  }
  return kExitOk;
}

}  // namespace strata::cli

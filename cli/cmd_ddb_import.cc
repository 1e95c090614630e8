// strata import and strata export for DynamoDB: live tables (or a Mizzle snapshot) adopted
// into the log as a baseline commit, and live tables written out as table files.
//
// import: read the live tables, diff each against the log head's record of it (a new table is
//         a DynamoCreateTable; a recorded one that differs gets the events that bring the
//         record to the live table), append one ORIGIN_IMPORT commit.
// import mizzle: a Mizzle snapshot.json becomes the first commit of the dynamodb schema.
// export: render each live table in its own file, never replacing a different definition
//         without --force.
#include <fmt/format.h>
#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "adapters/dynamodb/render.h"
#include "adapters/dynamodb/snapshot.h"
#include "adapters/dynamodb/table_file.h"
#include "cli/aws_target.h"
#include "cli/commands.h"
#include "cli/ddb_files.h"
#include "cli/ddb_live.h"
#include "cli/describe.h"
#include "cli/generate.h"
#include "cli/history.h"
#include "engine/diff/diff.h"
#include "engine/state/canonical.h"

namespace strata::cli {
namespace po = boost::program_options;
namespace ddb = strata::dynamodb;
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;
using google::protobuf::util::MessageDifferencer;

namespace {

pb::SchemaState DynamoState(pb::DynamoSchema schema) {
  pb::SchemaState s;
  s.set_engine(pb::ENGINE_DYNAMODB);
  *s.mutable_dynamodb() = std::move(schema);
  return s;
}

Result<pb::DynamoSchema> RecordedAtHead(History& history, const std::string& schema) {
  STRATA_ASSIGN_OR_RETURN(pb::State state, history.index().StateAt(history.index().head_seq()));
  auto it = state.schemas().find(schema);
  if (it == state.schemas().end()) return pb::DynamoSchema();
  return it->second.dynamodb();
}

std::string Relative(const Context& ctx, const fs::path& path) {
  std::error_code ec;
  fs::path rel = fs::relative(path, ctx.project.root, ec);
  return ec || rel.empty() || *rel.begin() == ".." ? path.string() : rel.string();
}

// After an import the log may define tables the files do not (or differently): the next
// generate would record the files' version, so say what to do before that happens.
void NoteFilesDiffer(const Context& ctx, const SchemaSource& source, const std::string& hint) {
  auto history = History::Open(ctx);
  if (!history.ok()) return;
  auto pending = ComputePending(ctx, **history, source);
  if (!pending.ok() || pending->events.empty()) return;
  ctx.Note(fmt::format(
      "note: the schema files in {} differ from the log now ({} change{}): strata status shows "
      "them, and the next strata generate would record them; {}",
      Relative(ctx, source.path), pending->events.size(), pending->events.size() == 1 ? "" : "s",
      hint));
}

// ---- import from a target ----------------------------------------------------------------

struct Adopted {
  std::string table;
  std::string action;  // "created" | "updated" | "unchanged"
  size_t changes = 0;
};

// The events that bring the log's record of each live table to what the table is.
Result<std::vector<pb::Event>> AdoptionEvents(const pb::DynamoSchema& recorded,
                                              const std::vector<ddb::LiveTable>& live,
                                              std::vector<Adopted>* adopted) {
  std::vector<pb::Event> events;
  for (const auto& t : live) {
    pb::DynamoTable table = t.table;
    CanonicalizeDynamoTable(&table);
    pb::DynamoSchema have;
    auto it = recorded.tables().find(table.name());
    if (it != recorded.tables().end()) {
      (*have.mutable_tables())[table.name()] = it->second;
      // A target that cannot tag (DynamoDB Local) says nothing about tags: keep the record's.
      if (!t.tags_supported) *table.mutable_tags() = it->second.tags();
    }
    pb::DynamoSchema want;
    (*want.mutable_tables())[table.name()] = table;
    STRATA_ASSIGN_OR_RETURN(std::vector<pb::Event> diff,
                            Diff(DynamoState(std::move(have)), DynamoState(std::move(want))));
    const std::string action = it == recorded.tables().end() ? "created"
                               : diff.empty()                ? "unchanged"
                                                             : "updated";
    adopted->push_back({table.name(), action, diff.size()});
    events.insert(events.end(), diff.begin(), diff.end());
  }
  return events;
}

json AdoptedJson(const std::vector<Adopted>& adopted) {
  json out = json::array();
  for (const auto& a : adopted) {
    out.push_back({{"table", a.table}, {"action", a.action}, {"changes", a.changes}});
  }
  return out;
}

// Step: the live tables to adopt. A table being deleted is skipped, or refused when named.
Result<std::vector<ddb::LiveTable>> Importable(const Context& ctx, DynamoTarget& target,
                                               const std::vector<std::string>& names) {
  std::optional<std::vector<std::string>> only;
  if (!names.empty()) only = names;
  STRATA_ASSIGN_OR_RETURN(std::vector<ddb::LiveTable> all, ReadLiveTables(ctx, target, only));
  std::vector<ddb::LiveTable> live;
  for (auto& t : all) {
    if (t.status != "DELETING") {
      live.push_back(std::move(t));
    } else if (!names.empty()) {
      return Status::FailedPrecondition(fmt::format(
          "{} is being deleted on {}; nothing was imported", t.table.name(), TargetText(target)));
    } else {
      ctx.Note(fmt::format("note: skipping {}: it is being deleted", t.table.name()));
    }
  }
  return live;
}

size_t CountAction(const std::vector<Adopted>& adopted, const std::string& action) {
  return std::count_if(adopted.begin(), adopted.end(),
                       [&action](const Adopted& a) { return a.action == action; });
}

// Step: the import commit.
Result<StoredCommit> RecordImport(Context& ctx, DynamoTarget& target, const SchemaSource& source,
                                  const std::vector<pb::Event>& events,
                                  const std::vector<Adopted>& adopted,
                                  const std::optional<std::string>& message) {
  AddCallerToActor(ctx, target);
  const size_t tables = CountAction(adopted, "created") + CountAction(adopted, "updated");
  pb::Commit c;
  c.set_origin(pb::ORIGIN_IMPORT);
  c.set_schema(source.name);
  c.set_engine(pb::ENGINE_DYNAMODB);
  c.set_message(message.value_or(
      fmt::format("import {} table{} from {}", tables, tables == 1 ? "" : "s", target.Label())));
  for (const auto& e : events) *c.add_events() = e;
  return AppendCommit(ctx, std::move(c));
}

void PrintNothingToImport(const Context& ctx, const DynamoTarget& target, size_t live) {
  if (live == 0) {
    *ctx.out << fmt::format("Nothing to import: no tables on {}.\n", TargetText(target));
    return;
  }
  *ctx.out << fmt::format("Nothing to import: the log already records {} as {} has {}.\n",
                          live == 1 ? "the table" : "every table", TargetText(target),
                          live == 1 ? "it" : "them");
}

void PrintImported(const Context& ctx, const SchemaSource& source, const StoredCommit& stored,
                   const std::vector<pb::Event>& events, const std::vector<Adopted>& adopted) {
  DiffSummary s = PrintChanges(ctx, source.name, events);
  const size_t created = CountAction(adopted, "created"), updated = CountAction(adopted, "updated");
  std::string what =
      fmt::format("Recorded commit {} ({}), importing {} table{}", stored.commit.seq(),
                  HashHex(stored.hash).substr(0, 12), created, created == 1 ? "" : "s");
  if (updated > 0) what += fmt::format(" and updating the record of {}", updated);
  PrintSummaryLine(ctx, s, what);
}

CommandResult ImportFromTarget(Context& ctx, const po::variables_map& vm,
                               const std::vector<std::string>& names) {
  STRATA_ASSIGN_OR_RETURN(const SchemaSource* source, PickDynamoSchema(ctx, OptArg(vm, "schema")));
  STRATA_ASSIGN_OR_RETURN(DynamoTarget target, OpenDynamoTarget(ctx, ReadTargetFlags(vm)));
  STRATA_ASSIGN_OR_RETURN(std::vector<ddb::LiveTable> live, Importable(ctx, target, names));
  STRATA_ASSIGN_OR_RETURN(auto history, History::Open(ctx));
  STRATA_ASSIGN_OR_RETURN(pb::DynamoSchema recorded, RecordedAtHead(*history, source->name));
  std::vector<Adopted> adopted;
  STRATA_ASSIGN_OR_RETURN(std::vector<pb::Event> events, AdoptionEvents(recorded, live, &adopted));
  json out = {{"version", 1},
              {"target", TargetJson(target)},
              {"schema", source->name},
              {"tables", AdoptedJson(adopted)},
              {"seq", json()}};
  if (!ctx.json) {
    for (const auto& a : adopted) {
      if (a.action == "unchanged")
        *ctx.out << fmt::format("  {} is already recorded as it is\n", a.table);
    }
  }
  if (events.empty()) {
    if (ctx.json)
      ctx.PrintJson(out);
    else
      PrintNothingToImport(ctx, target, live.size());
    return kExitOk;
  }
  STRATA_ASSIGN_OR_RETURN(StoredCommit stored, RecordImport(ctx, target, *source, events, adopted,
                                                            OptArg(vm, "message")));
  if (ctx.json) {
    out["seq"] = stored.commit.seq();
    out["hash"] = HashHex(stored.hash);
    ctx.PrintJson(out);
  } else {
    PrintImported(ctx, *source, stored, events, adopted);
  }
  NoteFilesDiffer(ctx, *source, "strata export writes the live tables as table files");
  return kExitOk;
}

// ---- table files (export, import mizzle --write-files) ---------------------------------

struct Written {
  std::string table;
  fs::path path;
  std::string action;  // "written" | "overwritten" | "unchanged" | "differs"
  std::string reason;  // for "differs"
};

struct ExportPlan {
  fs::path dir;
  ddb::TableFileFormat format = ddb::TableFileFormat::kYaml;
  bool force = false;
};

std::string Render(const pb::DynamoTable& t, ddb::TableFileFormat format) {
  return format == ddb::TableFileFormat::kJson ? ddb::RenderCreateTableText(t)
                                               : ddb::RenderTableYaml(t);
}

// Where table `t` goes and whether it may be written: its own file when one defines it (in
// that file's format), else DIR/<name>.<format>.
Written Decide(const pb::DynamoTable& t, const std::map<std::string, DynamoTableFile>& files,
               const ExportPlan& plan) {
  Written w{t.name(), {}, "written", ""};
  if (auto it = files.find(t.name()); it != files.end()) {
    w.path = it->second.path;
    if (MessageDifferencer::Equals(it->second.table, t))
      w.action = "unchanged";
    else if (plan.force)
      w.action = "overwritten";
    else {
      w.action = "differs";
      w.reason = "it defines the table differently";
    }
    return w;
  }
  w.path = plan.dir / (t.name() + (plan.format == ddb::TableFileFormat::kJson ? ".json" : ".yaml"));
  std::error_code ec;
  if (fs::exists(w.path, ec)) {
    // Not a table file of this directory's (another table's, or not one at all).
    w.action = plan.force ? "overwritten" : "differs";
    w.reason = "it exists and does not define this table";
  }
  return w;
}

Status WriteTable(const Context& ctx, const pb::DynamoTable& t, const Written& w) {
  auto format = ddb::TableFileFormatOf(w.path.filename().string());
  const std::string text = Render(t, format.ok() ? *format : ddb::TableFileFormat::kYaml);
  STRATA_RETURN_IF_ERROR(ctx.env->CreateDirs(w.path.parent_path().string()));
  return ctx.env->WriteFileAtomic(w.path.string(), text);
}

Result<ExportPlan> ReadExportPlan(const Context& ctx, const po::variables_map& vm,
                                  const SchemaSource& source) {
  ExportPlan plan;
  plan.dir = source.path;
  if (vm.count("dir")) {
    fs::path dir = vm["dir"].as<std::string>();
    plan.dir = dir.is_absolute() ? dir : fs::path(ctx.cwd) / dir;
  }
  const std::string format = vm["format"].as<std::string>();
  if (format == "json")
    plan.format = ddb::TableFileFormat::kJson;
  else if (format != "yaml")
    throw UsageError{"--format must be yaml or json, not \"" + format + "\""};
  plan.force = vm["force"].as<bool>();
  return plan;
}

void PrintWritten(const Context& ctx, const std::vector<Written>& written) {
  for (const auto& w : written) {
    const std::string file = Relative(ctx, w.path);
    if (w.action == "written")
      *ctx.out << ctx.Paint(Color::kGreen, "wrote ") << file << "\n";
    else if (w.action == "overwritten")
      *ctx.out << ctx.Paint(Color::kYellow, "overwrote ") << file << "\n";
    else if (w.action == "unchanged")
      *ctx.out << ctx.Paint(Color::kDim, "unchanged ") << file << "\n";
    else
      *ctx.out << ctx.Paint(Color::kRed, "left alone ") << file << " (" << w.reason << ")\n";
  }
}

struct ExportTable {
  pb::DynamoTable table;
  bool tags_known = true;  // false: the target cannot tag, so a file's tags are kept
};

// Writes each table's file as Decide says (never a "differs" one).
Result<std::vector<Written>> WriteTableFiles(const Context& ctx,
                                             const std::vector<ExportTable>& tables,
                                             const ExportPlan& plan) {
  auto files = DynamoTableFiles(plan.dir);
  if (!files.ok()) {
    return files.status().WithContext(
        fmt::format("reading the table files already in {}", Relative(ctx, plan.dir)));
  }
  std::vector<Written> written;
  for (const ExportTable& e : tables) {
    pb::DynamoTable t = e.table;
    CanonicalizeDynamoTable(&t);
    auto own = files->find(t.name());
    if (!e.tags_known && own != files->end()) *t.mutable_tags() = own->second.table.tags();
    Written w = Decide(t, *files, plan);
    if (w.action == "written" || w.action == "overwritten") {
      Status s = WriteTable(ctx, t, w);
      if (!s.ok()) return s.WithContext(fmt::format("writing {}", w.path.string()));
    }
    written.push_back(std::move(w));
  }
  return written;
}

json WrittenJson(const Context& ctx, const std::vector<Written>& written) {
  json list = json::array();
  for (const auto& w : written) {
    json j = {{"table", w.table}, {"file", Relative(ctx, w.path)}, {"action", w.action}};
    if (!w.reason.empty()) j["reason"] = w.reason;
    list.push_back(std::move(j));
  }
  return list;
}

// FailedPrecondition listing the files left alone and what to do (`fix`), or Ok.
Status Refused(const Context& ctx, const std::vector<Written>& written, const std::string& fix) {
  std::vector<std::string> refused;
  for (const auto& w : written) {
    if (w.action == "differs") refused.push_back(Relative(ctx, w.path));
  }
  if (refused.empty()) return Status::Ok();
  return Status::FailedPrecondition(
      fmt::format("left {} alone: {} the table differently; {}", fmt::join(refused, ", "),
                  refused.size() == 1 ? "it defines" : "they define", fix));
}

// ---- import mizzle -----------------------------------------------------------------------

// The snapshot's path: PATH itself, or PATH/snapshot.json for a directory.
fs::path SnapshotPath(const Context& ctx, const std::string& arg) {
  fs::path path = fs::path(arg).is_absolute() ? fs::path(arg) : fs::path(ctx.cwd) / arg;
  std::error_code ec;
  if (fs::is_directory(path, ec)) path /= "snapshot.json";
  return path;
}

// Step: the events that bring the log to the snapshot; refused when the schema has history
// and --force was not given.
Result<std::vector<pb::Event>> SnapshotEvents(const Context& ctx, const SchemaSource& source,
                                              const pb::DynamoSchema& snapshot, bool force) {
  STRATA_ASSIGN_OR_RETURN(auto history, History::Open(ctx));
  CommitFilter filter;
  filter.schema = source.name;
  STRATA_ASSIGN_OR_RETURN(auto commits, history->index().Commits(filter));
  if (!commits.empty() && !force) {
    return Status::FailedPrecondition(fmt::format(
        "schema {} already has history ({} commit{}, the newest seq {}); a Mizzle snapshot can "
        "only start it. Pass --force to record what differs between the log and the snapshot "
        "as an import commit instead",
        source.name, commits.size(), commits.size() == 1 ? "" : "s", commits.front().seq));
  }
  STRATA_ASSIGN_OR_RETURN(pb::DynamoSchema recorded, RecordedAtHead(*history, source.name));
  return Diff(DynamoState(recorded), DynamoState(snapshot));
}

CommandResult ImportMizzle(Context& ctx, const po::variables_map& vm, const std::string& arg) {
  STRATA_ASSIGN_OR_RETURN(const SchemaSource* source, PickDynamoSchema(ctx, OptArg(vm, "schema")));
  std::optional<ExportPlan> files;
  if (vm["write-files"].as<bool>()) {
    STRATA_ASSIGN_OR_RETURN(files, ReadExportPlan(ctx, vm, *source));
    files->force = false;  // --force means "despite history" here, never "overwrite files"
  }
  const fs::path path = SnapshotPath(ctx, arg);
  STRATA_ASSIGN_OR_RETURN(pb::DynamoSchema snapshot, ddb::ReadSnapshotFile(path));
  STRATA_ASSIGN_OR_RETURN(std::vector<pb::Event> events,
                          SnapshotEvents(ctx, *source, snapshot, vm["force"].as<bool>()));
  json out = {{"version", 1},
              {"snapshot", Relative(ctx, path)},
              {"schema", source->name},
              {"tables", snapshot.tables_size()},
              {"changes", events.size()},
              {"seq", json()}};
  if (events.empty()) {
    if (!ctx.json) {
      *ctx.out << fmt::format("Nothing to import: the log already matches {}.\n",
                              Relative(ctx, path));
    }
  } else {
    pb::Commit c;
    c.set_origin(pb::ORIGIN_IMPORT);
    c.set_schema(source->name);
    c.set_engine(pb::ENGINE_DYNAMODB);
    c.set_message(vm.count("message")
                      ? vm["message"].as<std::string>()
                      : fmt::format("import Mizzle snapshot {}", Relative(ctx, path)));
    for (const auto& e : events) *c.add_events() = e;
    STRATA_ASSIGN_OR_RETURN(StoredCommit stored, AppendCommit(ctx, std::move(c)));
    out["seq"] = stored.commit.seq();
    out["hash"] = HashHex(stored.hash);
    if (!ctx.json) {
      DiffSummary s = PrintChanges(ctx, source->name, events);
      PrintSummaryLine(ctx, s,
                       fmt::format("Recorded commit {} ({}) from {}", stored.commit.seq(),
                                   HashHex(stored.hash).substr(0, 12), Relative(ctx, path)));
    }
  }
  Status refused = Status::Ok();
  if (files) {
    std::vector<ExportTable> tables;
    for (const auto& [name, t] : snapshot.tables()) tables.push_back({t, true});
    STRATA_ASSIGN_OR_RETURN(std::vector<Written> written, WriteTableFiles(ctx, tables, *files));
    out["files"] = WrittenJson(ctx, written);
    if (!ctx.json) PrintWritten(ctx, written);
    refused = Refused(ctx, written, "edit or remove it, then run again");
  }
  if (ctx.json) ctx.PrintJson(out);
  if (!files && !events.empty())
    NoteFilesDiffer(ctx, *source,
                    "import mizzle --write-files writes the snapshot's tables as table files");
  STRATA_RETURN_IF_ERROR(refused);
  return kExitOk;
}

}  // namespace

CommandResult RunImport(Context& ctx) {
  po::options_description o("import options");
  AddTargetOptions(o);
  o.add_options()("tables", po::value<std::vector<std::string>>(), "tables to import")(
      "message,m", po::value<std::string>(), "why (recorded in the commit)")(
      "schema", po::value<std::string>(), "which schema source (default: the dynamodb one)")(
      "force", po::bool_switch(), "mizzle: import even when the schema already has history")(
      "write-files", po::bool_switch(),
      "mizzle: also write each table's file into the schema directory")(
      "dir", po::value<std::string>(),
      "mizzle --write-files: where (default: the dynamodb schema directory)")(
      "format", po::value<std::string>()->default_value("yaml"),
      "mizzle --write-files: yaml or json");
  po::positional_options_description positional;
  positional.add("tables", -1);
  auto vm = ParseArgs(ctx, o, positional);
  std::vector<std::string> names;
  if (vm.count("tables")) names = vm["tables"].as<std::vector<std::string>>();
  // `import mizzle PATH`; with --target every word is a table name.
  if (!names.empty() && names.front() == "mizzle" && !vm.count("target")) {
    if (names.size() != 2)
      throw UsageError{"import mizzle takes one PATH (a snapshot.json or its directory)"};
    return ImportMizzle(ctx, vm, names[1]);
  }
  for (const char* only_mizzle : {"force", "write-files"}) {
    if (vm[only_mizzle].as<bool>()) {
      throw UsageError{fmt::format("--{} only applies to import mizzle", only_mizzle)};
    }
  }
  return ImportFromTarget(ctx, vm, names);
}

CommandResult RunExport(Context& ctx) {
  po::options_description o("export options");
  AddTargetOptions(o);
  o.add_options()("tables", po::value<std::vector<std::string>>(),
                  "tables to export (default: all)")(
      "dir", po::value<std::string>(), "where to write (default: the dynamodb schema directory)")(
      "format", po::value<std::string>()->default_value("yaml"), "yaml or json, for new files")(
      "schema", po::value<std::string>(), "which schema source (default: the dynamodb one)")(
      "force", po::bool_switch(), "overwrite files that define a table differently");
  po::positional_options_description positional;
  positional.add("tables", -1);
  auto vm = ParseArgs(ctx, o, positional);
  STRATA_ASSIGN_OR_RETURN(const SchemaSource* source, PickDynamoSchema(ctx, OptArg(vm, "schema")));
  STRATA_ASSIGN_OR_RETURN(ExportPlan plan, ReadExportPlan(ctx, vm, *source));
  STRATA_ASSIGN_OR_RETURN(DynamoTarget target, OpenDynamoTarget(ctx, ReadTargetFlags(vm)));
  std::optional<std::vector<std::string>> only;
  if (vm.count("tables")) only = vm["tables"].as<std::vector<std::string>>();
  STRATA_ASSIGN_OR_RETURN(std::vector<ddb::LiveTable> live, ReadLiveTables(ctx, target, only));
  std::vector<ExportTable> tables;
  for (const auto& l : live) {
    if (l.status != "DELETING") tables.push_back({l.table, l.tags_supported});
  }
  STRATA_ASSIGN_OR_RETURN(std::vector<Written> written, WriteTableFiles(ctx, tables, plan));
  if (ctx.json) {
    ctx.PrintJson({{"version", 1},
                   {"target", TargetJson(target)},
                   {"dir", plan.dir.string()},
                   {"files", WrittenJson(ctx, written)}});
  } else if (written.empty()) {
    *ctx.out << fmt::format("No tables on {}; nothing written.\n", TargetText(target));
  } else {
    PrintWritten(ctx, written);
  }
  STRATA_RETURN_IF_ERROR(Refused(ctx, written, "pass --force to overwrite"));
  return kExitOk;
}

}  // namespace strata::cli

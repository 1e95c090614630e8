// strata import and strata export: live objects (or a foreign snapshot file) adopted into the
// log, and live objects written out as schema files. Written once for every backend whose
// files hold the desired state.
//
// import: read the live objects, diff each against the log head's record of it (new ones are
//         created, recorded ones that differ get the events that bring the record to the
//         live object), and append one import commit — recomputed if the log moves first.
// import FORMAT PATH: a file the backend can read (mizzle: a Mizzle snapshot.json) starts the
//         schema's history (or, with --force, records what differs).
// export: the backend writes each live object (or those -t selects) in its own file, never
//         replacing a different definition without --overwrite (--force, its older name).
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "cli/commands.h"
#include "cli/describe.h"
#include "cli/generate.h"
#include "cli/target.h"
#include "engine/diff/diff.h"
#include "engine/state/fragments.h"
#include "engine/state/objects.h"

namespace strata::cli {
namespace po = boost::program_options;
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

pb::SchemaState RecordedOf(const pb::State& state, const std::string& schema) {
  auto it = state.schemas().find(schema);
  return it == state.schemas().end() ? pb::SchemaState() : it->second;
}

// After an import the log may define objects the files do not (or differently): the next
// generate would record the files' version, so say what to do before that happens.
void NoteFilesDiffer(const Context& ctx, const SchemaSource& source, const std::string& hint) {
  auto pending = PendingFiles(ctx, source);
  if (!pending.ok() || pending->events.empty()) return;
  ctx.Note(fmt::format(
      "note: the schema files in {} differ from the log now ({} change{}): strata status shows "
      "them, and the next strata generate would record them; {}",
      ProjectRelative(ctx, source.path), pending->events.size(),
      pending->events.size() == 1 ? "" : "s", hint));
}

// ---- import from a target ----------------------------------------------------------------

struct Adopted {
  std::string object;
  std::string action;  // "created" | "updated" | "unchanged"
  size_t changes = 0;
};

// The events that bring the log's record of each live object to what it is: one diff of the
// whole selection, so that a container several objects share (a Glue database) is created once.
Result<std::vector<pb::Event>> AdoptionEvents(const pb::SchemaState& recorded,
                                              const pb::SchemaState& live,
                                              std::vector<Adopted>* adopted) {
  const std::vector<std::string> known = ObjectNames(recorded);
  const std::vector<std::string> names = ObjectNames(live);
  const pb::SchemaState before =
      SelectObjects(recorded, std::set<std::string>(names.begin(), names.end()));
  STRATA_ASSIGN_OR_RETURN(std::vector<pb::Event> events, Diff(before, live));
  std::map<std::string, size_t> changes;
  for (const auto& e : events) {
    for (const auto& object : TouchedObjects(e, before)) ++changes[object];
  }
  for (const std::string& name : names) {
    const bool is_new = !std::binary_search(known.begin(), known.end(), name);
    const size_t n = changes.count(name) ? changes[name] : 0;
    adopted->push_back({name, is_new ? "created" : n == 0 ? "unchanged" : "updated", n});
  }
  return events;
}

json AdoptedJson(const std::vector<Adopted>& adopted) {
  json out = json::array();
  for (const auto& a : adopted) {
    out.push_back({{"table", a.object}, {"action", a.action}, {"changes", a.changes}});
  }
  return out;
}

size_t CountAction(const std::vector<Adopted>& adopted, const std::string& action) {
  return std::count_if(adopted.begin(), adopted.end(),
                       [&action](const Adopted& a) { return a.action == action; });
}

// Step: the live objects to adopt (those the filter selects). One being deleted is skipped,
// or refused when it was named as an argument.
Result<pb::SchemaState> Importable(const Context& ctx, Reach& reach, const ObjectFilter& filter,
                                   const std::vector<std::string>& names,
                                   const pb::SchemaState& recorded,
                                   std::vector<std::string>* warnings) {
  STRATA_ASSIGN_OR_RETURN(auto live, ReadSelected(reach, filter));
  std::set<std::string> keep;
  for (const auto& o : live->Objects()) {
    if (!o.leaving) {
      keep.insert(o.name);
    } else if (std::find(names.begin(), names.end(), o.name) != names.end()) {
      return Status::FailedPrecondition(fmt::format(
          "{} is being deleted on {}; nothing was imported", o.name, reach.target->Text()));
    } else {
      ctx.Note(fmt::format("note: skipping {}: it is being deleted", o.name));
    }
  }
  *warnings = LiveWarnings(*live, &keep);
  return SelectObjects(live->Schema(&recorded), keep);
}

void PrintImported(const Context& ctx, const Reach& reach, const StoredCommit& stored,
                   const std::vector<pb::Event>& events, const std::vector<Adopted>& adopted) {
  DiffSummary s = PrintChanges(ctx, reach.source->name, events);
  const size_t created = CountAction(adopted, "created"), updated = CountAction(adopted, "updated");
  const std::string noun(reach.backend->object_noun());
  std::string what = fmt::format("Recorded commit {} ({}), importing {} {}{}", stored.commit.seq(),
                                 HashHex(stored.hash).substr(0, 12), created, noun,
                                 created == 1 ? "" : "s");
  if (updated > 0) what += fmt::format(" and updating the record of {}", updated);
  PrintSummaryLine(ctx, s, what);
}

CommandResult ImportFromTarget(Context& ctx, const po::variables_map& vm,
                               const std::vector<std::string>& names) {
  const ObjectFilter filter = ReadFilter(vm, names);
  // Any engine: for PostgreSQL this is the re-capture of the live database that brings the log
  // back to it after a recording failure (docs/postgres-history.md).
  ReachOptions options;
  options.needs = Needs::kAny;
  STRATA_ASSIGN_OR_RETURN(Reach reach, OpenReach(ctx, ReadTargetFlags(vm), options));
  const SchemaSource& source = *reach.source;
  const std::string noun(reach.backend->object_noun());
  STRATA_ASSIGN_OR_RETURN(auto recorder, OpenRecorder(ctx));
  // The live side is read once; the record it is compared with is the head's at append time.
  STRATA_ASSIGN_OR_RETURN(record::HeadState first, recorder->Read());
  std::vector<std::string> warnings;
  STRATA_ASSIGN_OR_RETURN(pb::SchemaState live,
                          Importable(ctx, reach, filter, names,
                                     RecordedOf(*first.state, source.name), &warnings));
  PrintWarnings(ctx, warnings);
  const size_t live_count = ObjectNames(live).size();
  const std::string principal = reach.target->Principal();
  std::vector<Adopted> adopted;
  std::vector<pb::Event> events;
  auto make = [&](const record::HeadState& at) -> Result<std::optional<record::Draft>> {
    adopted.clear();
    STRATA_ASSIGN_OR_RETURN(events, AdoptionEvents(RecordedOf(*at.state, source.name), live,
                                                   &adopted));
    if (events.empty()) return std::optional<record::Draft>();
    const size_t count = CountAction(adopted, "created") + CountAction(adopted, "updated");
    record::Draft d = record::Draft::Import(
        source.name, source.engine, events,
        OptArg(vm, "message")
            .value_or(fmt::format("import {} {}{} from {}", count, noun, count == 1 ? "" : "s",
                                  reach.target->Label())));
    d.set_cloud_principal(principal);
    return std::optional<record::Draft>(std::move(d));
  };
  STRATA_ASSIGN_OR_RETURN(std::optional<StoredCommit> stored, recorder->Record(make));
  json out = {{"version", 1},
              {"target", reach.target->Json()},
              {"schema", source.name},
              {"tables", AdoptedJson(adopted)},
              {"seq", json()}};
  out["warnings"] = warnings;
  if (!ctx.json) {
    for (const auto& a : adopted) {
      if (a.action == "unchanged") {
        *ctx.out << fmt::format("  {} is already recorded as it is\n", a.object);
      }
    }
  }
  if (!stored) {
    if (ctx.json) {
      ctx.PrintJson(out);
    } else if (live_count == 0) {
      *ctx.out << fmt::format("Nothing to import: no {}s on {}.\n", noun, reach.target->Text());
    } else {
      *ctx.out << fmt::format("Nothing to import: the log already records {} as {} has {}.\n",
                              live_count == 1 ? "the " + noun : "every " + noun,
                              reach.target->Text(), live_count == 1 ? "it" : "them");
    }
    return kExitOk;
  }
  if (ctx.json) {
    out["seq"] = stored->commit.seq();
    out["hash"] = HashHex(stored->hash);
    ctx.PrintJson(out);
  } else {
    PrintImported(ctx, reach, *stored, events, adopted);
  }
  NoteFilesDiffer(ctx, source,
                  fmt::format("strata export writes the live {}s as schema files", noun));
  return kExitOk;
}

// ---- schema files (export, import FORMAT --write-files) -------------------------------------

backend::WriteFilesRequest FilesRequest(const Context& ctx, const po::variables_map& vm,
                                        const SchemaSource& source) {
  backend::WriteFilesRequest r;
  r.dir = source.path;
  if (vm.count("dir")) {
    fs::path dir = vm["dir"].as<std::string>();
    r.dir = (dir.is_absolute() ? dir : fs::path(ctx.cwd) / dir).lexically_normal().string();
  }
  const auto formats = BackendOf(source).file_formats();
  // Without --format, new files take the backend's first format (yaml, or sql for Glue).
  if (vm.count("format")) r.format = vm["format"].as<std::string>();
  else r.format = formats.empty() ? "yaml" : formats.front();
  if (!formats.empty() && std::find(formats.begin(), formats.end(), r.format) == formats.end()) {
    throw UsageError{fmt::format("--format must be {}, not \"{}\"", fmt::join(formats, " or "),
                                 r.format)};
  }
  auto on = [&vm](const char* flag) { return vm.count(flag) && vm[flag].as<bool>(); };
  r.force = on("overwrite") || on("force");
  return r;
}

void PrintWritten(const Context& ctx, const std::vector<backend::WrittenFile>& written) {
  for (const auto& w : written) {
    const std::string file = ProjectRelative(ctx, w.path);
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

json WrittenJson(const Context& ctx, const std::vector<backend::WrittenFile>& written) {
  json list = json::array();
  for (const auto& w : written) {
    json j = {{"table", w.object}, {"file", ProjectRelative(ctx, w.path)}, {"action", w.action}};
    if (!w.reason.empty()) j["reason"] = w.reason;
    list.push_back(std::move(j));
  }
  return list;
}

// FailedPrecondition listing the files left alone and what to do (`fix`), or Ok.
Status Refused(const Context& ctx, const std::string& noun,
               const std::vector<backend::WrittenFile>& written, const std::string& fix) {
  std::vector<std::string> refused;
  for (const auto& w : written) {
    if (w.action == "differs") refused.push_back(ProjectRelative(ctx, w.path));
  }
  if (refused.empty()) return Status::Ok();
  return Status::FailedPrecondition(fmt::format("left {} alone: {} the {} differently; {}",
                                                fmt::join(refused, ", "),
                                                refused.size() == 1 ? "it defines" : "they define",
                                                noun + (refused.size() == 1 ? "" : "s"), fix));
}

Result<std::vector<backend::WrittenFile>> WriteFiles(const SchemaSource& source,
                                                     const pb::SchemaState& objects,
                                                     const backend::WriteFilesRequest& request) {
  return BackendOf(source).WriteFiles(source, objects, request);
}

// ---- import FORMAT PATH ----------------------------------------------------------------

// The file's path: PATH itself, or PATH/snapshot.json for a directory.
fs::path ImportPath(const Context& ctx, const std::string& arg) {
  fs::path path = fs::path(arg).is_absolute() ? fs::path(arg) : fs::path(ctx.cwd) / arg;
  std::error_code ec;
  if (fs::is_directory(path, ec)) path /= "snapshot.json";
  return path;
}

// The schema a foreign file is imported into: --schema, or the only one whose backend reads
// that format.
Result<const SchemaSource*> SourceForFormat(const Context& ctx, const po::variables_map& vm,
                                            const std::string& format) {
  std::vector<const SchemaSource*> found;
  for (const auto& [name, s] : ctx.project.schemas) {
    if (vm.count("schema") && vm["schema"].as<std::string>() != name) continue;
    const auto formats = BackendOf(s).import_formats();
    if (std::find(formats.begin(), formats.end(), format) != formats.end()) found.push_back(&s);
  }
  if (found.size() == 1) return found.front();
  if (found.empty()) {
    return Status::NotFound(fmt::format(
        "no schema of the project can import {} files; add a schema whose engine reads them "
        "under schemas: in {}",
        format, ctx.project.ConfigName()));
  }
  return Status::InvalidArgument(
      fmt::format("several schemas can import {} files; choose one with --schema", format));
}

CommandResult ImportFile(Context& ctx, const po::variables_map& vm, const std::string& format,
                         const std::string& arg) {
  STRATA_ASSIGN_OR_RETURN(const SchemaSource* source, SourceForFormat(ctx, vm, format));
  std::optional<backend::WriteFilesRequest> files;
  if (vm["write-files"].as<bool>()) {
    files = FilesRequest(ctx, vm, *source);
    files->force = false;  // --force means "despite history" here, never "overwrite files"
  }
  const fs::path path = ImportPath(ctx, arg);
  STRATA_ASSIGN_OR_RETURN(pb::SchemaState snapshot,
                          BackendOf(*source).ReadImportFile(format, path.string()));
  const bool force = vm["force"].as<bool>();
  const std::string shown = ProjectRelative(ctx, path.string());
  std::vector<pb::Event> events;
  auto make = [&](const record::HeadState& at) -> Result<std::optional<record::Draft>> {
    const pb::SchemaState recorded = RecordedOf(*at.state, source->name);
    if (!force) {
      STRATA_ASSIGN_OR_RETURN(auto history, OpenHistory(ctx));
      CommitFilter filter;
      filter.schema = source->name;
      STRATA_ASSIGN_OR_RETURN(auto commits, history->index().Commits(filter));
      if (!commits.empty()) {
        return Status::FailedPrecondition(fmt::format(
            "schema {} already has history ({} commit{}, the newest seq {}); a {} snapshot can "
            "only start it. Pass --force to record what differs between the log and the "
            "snapshot as an import commit instead",
            source->name, commits.size(), commits.size() == 1 ? "" : "s", commits.front().seq,
            Capitalized(format)));
      }
    }
    STRATA_ASSIGN_OR_RETURN(events, Diff(recorded, snapshot));
    if (events.empty()) return std::optional<record::Draft>();
    return std::optional<record::Draft>(record::Draft::Import(
        source->name, source->engine, events,
        OptArg(vm, "message")
            .value_or(fmt::format("import {} snapshot {}", Capitalized(format),
                                  shown))));
  };
  STRATA_ASSIGN_OR_RETURN(auto recorder, OpenRecorder(ctx));
  STRATA_ASSIGN_OR_RETURN(std::optional<StoredCommit> stored, recorder->Record(make));
  json out = {{"version", 1},
              {"snapshot", shown},
              {"schema", source->name},
              {"tables", ObjectNames(snapshot).size()},
              {"changes", events.size()},
              {"seq", json()}};
  if (!stored) {
    if (!ctx.json) *ctx.out << fmt::format("Nothing to import: the log already matches {}.\n", shown);
  } else {
    out["seq"] = stored->commit.seq();
    out["hash"] = HashHex(stored->hash);
    if (!ctx.json) {
      DiffSummary s = PrintChanges(ctx, source->name, events);
      PrintSummaryLine(ctx, s,
                       fmt::format("Recorded commit {} ({}) from {}", stored->commit.seq(),
                                   HashHex(stored->hash).substr(0, 12), shown));
    }
  }
  Status refused = Status::Ok();
  if (files) {
    STRATA_ASSIGN_OR_RETURN(auto written, WriteFiles(*source, snapshot, *files));
    out["files"] = WrittenJson(ctx, written);
    if (!ctx.json) PrintWritten(ctx, written);
    refused = Refused(ctx, std::string(BackendOf(*source).object_noun()), written,
                      "edit or remove it, then run again");
  }
  if (ctx.json) ctx.PrintJson(out);
  if (!files && stored) {
    NoteFilesDiffer(ctx, *source,
                    fmt::format("import {} --write-files writes the snapshot's {}s as schema files",
                                format, BackendOf(*source).object_noun()));
  }
  STRATA_RETURN_IF_ERROR(refused);
  return kExitOk;
}

// Every format any backend imports ("mizzle").
std::vector<std::string> ImportFormats(const Context& ctx) {
  std::vector<std::string> out;
  for (const auto& [name, s] : ctx.project.schemas) {
    for (const auto& f : BackendOf(s).import_formats()) {
      if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
    }
  }
  return out;
}

}  // namespace

CommandResult RunImport(Context& ctx) {
  const CommandFlags spec = ImportFlags();
  const po::options_description& o = spec.options;
  const po::positional_options_description& positional = spec.positional;
  auto vm = ParseArgs(ctx, o, positional);
  std::vector<std::string> names;
  if (vm.count("tables")) names = vm["tables"].as<std::vector<std::string>>();
  // `import FORMAT PATH` (import mizzle snapshot.json); with --target every word is a name.
  const auto formats = ImportFormats(ctx);
  if (!names.empty() && !vm.count("target") &&
      std::find(formats.begin(), formats.end(), names.front()) != formats.end()) {
    if (names.size() != 2) {
      throw UsageError{fmt::format("import {} takes one PATH (a snapshot.json or its directory)",
                                   names.front())};
    }
    if (vm.count("filter")) {
      throw UsageError{fmt::format("-t chooses live objects; import {} PATH takes the whole file",
                                   names.front())};
    }
    return ImportFile(ctx, vm, names[0], names[1]);
  }
  for (const char* only_file : {"force", "write-files"}) {
    if (vm[only_file].as<bool>()) {
      throw UsageError{fmt::format("--{} only applies to importing a file (import mizzle PATH)",
                                   only_file)};
    }
  }
  return ImportFromTarget(ctx, vm, names);
}

CommandResult RunExport(Context& ctx) {
  const CommandFlags spec = ExportFlags();
  const po::options_description& o = spec.options;
  const po::positional_options_description& positional = spec.positional;
  auto vm = ParseArgs(ctx, o, positional);
  const TargetFlags flags = ReadTargetFlags(vm);
  const ObjectFilter filter = ReadFilter(
      vm, vm.count("tables") ? vm["tables"].as<std::vector<std::string>>()
                             : std::vector<std::string>());
  STRATA_ASSIGN_OR_RETURN(Reach reach, OpenReach(ctx, flags, ReachOptions{}));
  const backend::WriteFilesRequest request = FilesRequest(ctx, vm, *reach.source);
  STRATA_ASSIGN_OR_RETURN(auto live, ReadSelected(reach, filter));
  // Facts the target cannot report (and keys strata would not export from a table it knows
  // nothing of) are kept as the files have them, or, without files, as the log records them.
  auto files = reach.backend->LoadDesired(*reach.source);
  std::optional<pb::SchemaState> recorded;
  if (!files.ok()) {
    STRATA_ASSIGN_OR_RETURN(auto recorder, OpenRecorder(ctx));
    STRATA_ASSIGN_OR_RETURN(record::HeadState head, recorder->Read());
    recorded = RecordedOf(*head.state, reach.source->name);
  }
  std::set<std::string> keep;
  for (const auto& obj : live->Objects()) {
    if (!obj.leaving) keep.insert(obj.name);
  }
  const pb::SchemaState objects = SelectObjects(
      live->Schema(files.ok() ? &*files : recorded ? &*recorded : nullptr), keep);
  // Files that would recreate a different table (settings strata does not manage) are said so.
  const std::vector<std::string> warnings = LiveWarnings(*live, &keep);
  PrintWarnings(ctx, warnings);
  STRATA_ASSIGN_OR_RETURN(auto written, WriteFiles(*reach.source, objects, request));
  if (ctx.json) {
    ctx.PrintJson({{"version", 1},
                   {"target", reach.target->Json()},
                   {"dir", request.dir},
                   {"files", WrittenJson(ctx, written)},
                   {"warnings", warnings}});
  } else if (written.empty()) {
    *ctx.out << fmt::format("No {}s on {}; nothing written.\n", reach.backend->object_noun(),
                            reach.target->Text());
  } else {
    PrintWritten(ctx, written);
  }
  STRATA_RETURN_IF_ERROR(Refused(ctx, std::string(reach.backend->object_noun()), written,
                                 "pass --overwrite to overwrite"));
  return kExitOk;
}

CommandFlags ImportFlags() {
  CommandFlags f{po::options_description("import options"), {}};
  po::options_description& o = f.options;
  AddTargetOptions(o);
  AddFilterOptions(o);
  o.add_options()("tables", po::value<std::vector<std::string>>(), "objects to import")(
      "message,m", po::value<std::string>(), "why (recorded in the commit)")(
      "force", po::bool_switch(), "from a file: import even when the schema already has history")(
      "write-files", po::bool_switch(), "from a file: also write each object's schema file")(
      "dir", po::value<std::string>(), "--write-files: where (default: the schema directory)")(
      "format", po::value<std::string>()->default_value("yaml"), "--write-files: yaml or json");
  po::positional_options_description& positional = f.positional;
  positional.add("tables", -1);
  return f;
}

CommandFlags ExportFlags() {
  CommandFlags f{po::options_description("export options"), {}};
  po::options_description& o = f.options;
  AddTargetOptions(o);
  AddFilterOptions(o);
  o.add_options()("tables", po::value<std::vector<std::string>>(),
                  "objects to export (default: all)")(
      "dir", po::value<std::string>(), "where to write (default: the schema directory)")(
      "format", po::value<std::string>(),
      "the format of new files: yaml or json for DynamoDB (default yaml); sql for Glue")(
      "overwrite", po::bool_switch(), "replace files that define an object differently")(
      "force", po::bool_switch(), "the older name of --overwrite");
  po::positional_options_description& positional = f.positional;
  positional.add("tables", -1);
  return f;
}

}  // namespace strata::cli

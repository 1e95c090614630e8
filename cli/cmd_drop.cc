// strata drop: delete live objects strata manages, with consent for each one, and record it.
//
// Steps: which objects (names, or a choice on a terminal), refusals (unmanaged, being
// deleted, the backend's own such as deletion protection), a typed confirmation of each name,
// the deletes, then the log: a drop commit for the objects the log has, and a deployment
// record for the target. The log only records what the service accepted, so it never claims
// a drop that failed.
#include <fmt/format.h>

#include <iostream>
#include <map>
#include <set>

#include "cli/commands.h"
#include "cli/describe.h"
#include "cli/table_pick.h"
#include "cli/target.h"
#include "engine/diff/diff.h"
#include "engine/state/fragments.h"

namespace strata::cli {
namespace po = boost::program_options;
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

struct DropChoices {
  TargetFlags target;
  std::vector<std::string> names;
  bool yes = false;
  backend::DropRequest request;
  std::optional<std::string> message;
};

// Everything the steps share.
struct Drop {
  Reach reach;
  std::set<std::string> managed;
  std::unique_ptr<backend::Live> live;
  std::map<std::string, backend::LiveObject> objects;  // by name
  std::vector<std::string> chosen;
  std::string noun;  // "table"
};

DropChoices ReadFlags(const Context& ctx) {
  const CommandFlags spec = DropFlags();
  const po::options_description& o = spec.options;
  const po::positional_options_description& positional = spec.positional;
  auto vm = ParseArgs(ctx, o, positional);
  DropChoices f;
  f.target = ReadTargetFlags(vm);
  if (vm.count("tables")) f.names = vm["tables"].as<std::vector<std::string>>();
  f.yes = vm["yes"].as<bool>();
  f.request.lift_protection = vm["lift-deletion-protection"].as<bool>();
  f.request.wait = !vm["no-wait"].as<bool>();
  f.message = OptArg(vm, "message");
  return f;
}

// Step: what is there and what strata manages.
Status Load(const Context& ctx, const DropChoices& flags, Drop& d) {
  STRATA_ASSIGN_OR_RETURN(d.reach, OpenReach(ctx, flags.target, ReachOptions{}));
  d.noun = d.reach.backend->object_noun();
  STRATA_ASSIGN_OR_RETURN(d.managed, ManagedObjects(ctx, *d.reach.source, /*lenient=*/false));
  backend::ReadRequest r;
  if (!flags.names.empty()) r.only = flags.names;
  STRATA_ASSIGN_OR_RETURN(d.live, d.reach.target->Read(r));
  for (const auto& o : d.live->Objects()) d.objects.emplace(o.name, o);
  return Status::Ok();
}

// Step (terminal, no names given): choose among the managed live objects.
Status Choose(const Context& ctx, Drop& d) {
  std::vector<std::string> candidates, details;
  for (const auto& [name, o] : d.objects) {
    if (!d.managed.count(name) || o.leaving) continue;
    candidates.push_back(name);
    std::string detail = o.size_text;
    for (const auto& m : o.marks) detail += (detail.empty() ? "" : ", ") + m;
    details.push_back(detail);
  }
  if (candidates.empty()) {
    return Status::NotFound(fmt::format(
        "no {} on {} is managed by strata; nothing to drop (strata list shows what is there)",
        d.noun, d.reach.target->Text()));
  }
  *ctx.err << fmt::format("{}s strata manages on {}:\n", Capitalized(d.noun),
                          d.reach.target->Text());
  PickOptions o;
  o.question = fmt::format("{}s to drop", Capitalized(d.noun));
  o.details = details;
  d.chosen = PickTables(ctx, std::cin, candidates, o);
  if (d.chosen.empty()) return Status::Aborted(fmt::format("no {} chosen; nothing was dropped", d.noun));
  return Status::Ok();
}

// Step: every refusal at once, before anything is deleted.
Status Refusals(const Drop& d, const DropChoices& flags) {
  std::vector<std::string> problems;
  for (const auto& name : d.chosen) {
    const backend::LiveObject& o = d.objects.at(name);
    if (!d.managed.count(name)) {
      problems.push_back(fmt::format(
          "{} is not managed by strata (no schema file defines it and the log never had it); "
          "strata drop only deletes {}s it manages (strata import adopts one)",
          name, d.noun));
    } else if (o.leaving) {
      problems.push_back(fmt::format("{} is already being deleted", name));
    } else if (std::string why = d.reach.target->DropRefusal(o, flags.request); !why.empty()) {
      problems.push_back(why);
    }
  }
  if (problems.empty()) return Status::Ok();
  return Status::FailedPrecondition(
      fmt::format("nothing was dropped: {}", fmt::join(problems, "; ")));
}

backend::ExecuteReport DeleteObjects(const Context& ctx, Drop& d, const DropChoices& flags) {
  backend::DropRequest r = flags.request;
  r.progress = [&ctx](const backend::Progress& e) {
    if (e.phase == "done") return;
    ctx.Note(fmt::format("[{}/{}] {}: {}{}", e.index, e.total, e.object, e.summary,
                         e.phase == "waiting" ? " (waiting)" : ""));
  };
  return d.reach.target->Drop(d.chosen, r);
}

struct DropRecord {
  std::optional<StoredCommit> drop;  // none when the log had none of the objects
  StoredCommit deployment;
};

// Step: the log. The drop commit removes each dropped object the log head has (computed
// against the head it is appended to); the deployment record moves the target's cursor
// along when it was at the head.
Result<DropRecord> Record(const Context& ctx, Drop& d, const std::vector<std::string>& dropped,
                          const DropChoices& flags, int64_t duration_ms) {
  const SchemaSource& source = *d.reach.source;
  const std::string label = d.reach.target->Label();
  const std::string principal = d.reach.target->Principal();
  STRATA_ASSIGN_OR_RETURN(auto recorder, OpenRecorder(ctx));
  std::vector<std::string> unrecorded;
  uint64_t head_before_drop = 0;
  auto make_drop = [&](const record::HeadState& at) -> Result<std::optional<record::Draft>> {
    head_before_drop = at.head.seq;
    auto it = at.state->schemas().find(source.name);
    const pb::SchemaState recorded = it == at.state->schemas().end() ? pb::SchemaState() : it->second;
    const std::vector<std::string> known = ObjectNames(recorded);
    std::set<std::string> gone;
    unrecorded.clear();
    for (const auto& name : dropped) {
      if (std::binary_search(known.begin(), known.end(), name)) gone.insert(name);
      else unrecorded.push_back(name);
    }
    if (gone.empty()) return std::optional<record::Draft>();
    pb::SchemaState after;
    after.set_engine(source.engine);
    STRATA_ASSIGN_OR_RETURN(auto events, Diff(SelectObjects(recorded, gone), after));
    record::Draft draft = record::Draft::Drop(
        source.name, source.engine, std::move(events),
        flags.message.value_or(fmt::format("drop {} from {}", fmt::join(dropped, ", "), label)));
    draft.set_cloud_principal(principal);
    return std::optional<record::Draft>(std::move(draft));
  };
  DropRecord r;
  STRATA_ASSIGN_OR_RETURN(r.drop, recorder->Record(make_drop));
  auto make_deployment = [&](const record::HeadState&) -> Result<std::optional<record::Draft>> {
    STRATA_ASSIGN_OR_RETURN(auto history, OpenHistory(ctx));
    STRATA_ASSIGN_OR_RETURN(auto cursor, history->Cursor(label));
    const uint64_t from = cursor ? cursor->seq : 0;
    pb::Deployment dep;
    dep.set_target(label);
    dep.set_from_seq(from);
    const bool at_head = cursor && r.drop && cursor->seq == head_before_drop;
    dep.set_to_seq(at_head ? r.drop->commit.seq() : from);
    if (r.drop) dep.set_refers_to_seq(r.drop->commit.seq());
    dep.set_outcome(pb::DEPLOYMENT_SUCCEEDED);
    dep.set_duration_ms(duration_ms);
    std::string detail = fmt::format("dropped {}", fmt::join(dropped, ", "));
    if (!unrecorded.empty()) {
      detail += fmt::format(" ({} not in the log)", fmt::join(unrecorded, ", "));
    }
    dep.set_detail(detail);
    record::Draft draft = record::Draft::Deploy(
        source.name, source.engine, dep,
        fmt::format("drop {} on {}", fmt::join(dropped, ", "), label));
    draft.set_cloud_principal(principal);
    return std::optional<record::Draft>(std::move(draft));
  };
  STRATA_ASSIGN_OR_RETURN(auto deployment, recorder->Record(make_deployment));
  r.deployment = std::move(*deployment);
  return r;
}

// The schema files that still define dropped objects, (object, file): the next generate
// would create them again.
std::vector<std::pair<std::string, std::string>> StillDefined(
    const Context& ctx, const Drop& d, const std::vector<std::string>& dropped) {
  std::vector<std::pair<std::string, std::string>> out;
  auto files = d.reach.backend->FilesDefining(*d.reach.source);
  if (!files.ok()) return out;
  for (const auto& name : dropped) {
    if (auto it = files->find(name); it != files->end()) {
      out.emplace_back(name, ProjectRelative(ctx, it->second));
    }
  }
  return out;
}

void PrintResult(const Context& ctx, const Drop& d, const std::vector<std::string>& dropped,
                 const DropRecord& r, bool waited) {
  const auto defined = StillDefined(ctx, d, dropped);
  const std::string label = d.reach.target->Label();
  if (ctx.json) {
    json files = json::array();
    for (const auto& [object, file] : defined) files.push_back({{"table", object}, {"file", file}});
    json out = {{"version", 1},
                {"target", d.reach.target->Json()},
                {"schema", d.reach.source->name},
                {"dropped", dropped},
                {"waited", waited},
                {"drop_seq", r.drop ? json(r.drop->commit.seq()) : json()},
                {"deployment_seq", r.deployment.commit.seq()},
                {"still_defined", files}};
    ctx.PrintJson(out);
    return;
  }
  *ctx.out << ctx.Paint(Color::kGreen, fmt::format("{} {} on {}.", waited ? "Dropped" : "Deleting",
                                                   fmt::join(dropped, ", "), d.reach.target->Text()))
           << "\n";
  if (r.drop) {
    *ctx.out << fmt::format("Recorded commit {} (drop) and {} (deployment to {}).\n",
                            r.drop->commit.seq(), r.deployment.commit.seq(), label);
  } else {
    *ctx.out << fmt::format("The log never recorded {}; recorded the deployment as commit {}.\n",
                            dropped.size() == 1 ? "it" : "them", r.deployment.commit.seq());
  }
  for (const auto& [object, file] : defined) {
    *ctx.out << ctx.Paint(Color::kYellow,
                          fmt::format("{} still defines {}: remove {} or the next strata generate "
                                      "will record creating it again.",
                                      file, object, file))
             << "\n";
  }
}

}  // namespace

CommandResult RunDrop(Context& ctx) {
  const DropChoices flags = ReadFlags(ctx);
  if (!ctx.interactive && (flags.names.empty() || !flags.yes)) {
    throw UsageError{
        "without a terminal, name the tables and pass --yes: drop deletes every item in them"};
  }
  Drop d;
  STRATA_RETURN_IF_ERROR(Load(ctx, flags, d));
  if (flags.names.empty()) {
    STRATA_RETURN_IF_ERROR(Choose(ctx, d));
  } else {
    std::set<std::string> seen;
    for (const auto& t : flags.names) {
      if (seen.insert(t).second) d.chosen.push_back(t);
    }
  }
  STRATA_RETURN_IF_ERROR(Refusals(d, flags));
  if (!flags.yes) {
    STRATA_RETURN_IF_ERROR(ConfirmEachTable(ctx, std::cin, d.chosen, [&d](const std::string& t) {
      const std::string& size = d.objects.at(t).size_text;
      return fmt::format("{} {} on {} {} will be deleted.", Capitalized(d.noun),
                         t, d.reach.target->Label(), size.empty() ? "" : "and its " + size);
    }));
  }
  backend::Services services = ServicesFor(ctx);
  const int64_t start = services.steady_ms();
  backend::ExecuteReport report = DeleteObjects(ctx, d, flags);
  const int64_t duration_ms = services.steady_ms() - start;
  auto dropped = d.reach.target->Gone(d.chosen);
  if (!dropped.ok()) {
    return dropped.status().WithContext(fmt::format(
        "after deleting on {}, checking which {}s are gone failed{}; nothing was recorded "
        "(strata list shows what is left)",
        d.reach.target->Text(), d.noun,
        report.status.ok() ? "" : " (" + report.status.message() + ")"));
  }
  if (dropped->empty()) {
    Status why = report.status.ok() ? Status::Internal("the service deleted none of them")
                                    : report.status;
    return why.WithContext(fmt::format("nothing was dropped on {}", d.reach.target->Text()));
  }
  auto recorded = Record(ctx, d, *dropped, flags, duration_ms);
  if (!recorded.ok()) {
    return recorded.status().WithContext(fmt::format(
        "{} {} dropped on {}, but the log could not record it; remove {} from the schema files "
        "and run strata generate to record the drop",
        fmt::join(*dropped, ", "), dropped->size() == 1 ? "was" : "were",
        d.reach.target->Label(), dropped->size() == 1 ? "its definition" : "their definitions"));
  }
  PrintResult(ctx, d, *dropped, *recorded, flags.request.wait);
  if (!report.status.ok()) {
    return report.status.WithContext(
        fmt::format("dropped {} (recorded), then stopped", fmt::join(*dropped, ", ")));
  }
  return kExitOk;
}

CommandFlags DropFlags() {
  CommandFlags f{po::options_description("drop options"), {}};
  po::options_description& o = f.options;
  AddTargetOptions(o);
  o.add_options()("tables", po::value<std::vector<std::string>>(), "objects to drop")(
      "yes,y", po::bool_switch(), "do not ask to type each name (needed without a terminal)")(
      "lift-deletion-protection", po::bool_switch(),
      "turn deletion protection off first for protected objects")(
      "no-wait", po::bool_switch(), "do not wait until the objects are gone")(
      "message,m", po::value<std::string>(), "why (recorded in the commit)");
  po::positional_options_description& positional = f.positional;
  positional.add("tables", -1);
  return f;
}

}  // namespace strata::cli

// strata plan, apply and push, for any backend whose files hold the desired state.
//
// Each is a list of steps over one Deploy context:
//   plan:  open the target; the log head, the target's cursor and the commits it has not
//          applied; the schema file changes not recorded yet; the live objects; the plan
//          that brings them to the log head (the backend's rules).
//   apply: the same plan, consent (per object for destructive steps), execution with
//          progress, then a deployment commit (who, from/to seq, outcome, duration).
//   push:  generate (origin push) + apply, for quick development loops.
// Which objects a deployment may touch: those of the log head plus those the target was last
// deployed with (so an object dropped in the log is deleted); never any other live object.
// -t/--filter narrows that to the objects it selects (and what they live in). A narrowed apply
// does not bring the whole target to the head, so it is recorded as partial and the target's
// cursor stays where it was.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <set>

#include "cli/commands.h"
#include "cli/describe.h"
#include "cli/generate.h"
#include "cli/plan_view.h"
#include "cli/prompt.h"
#include "cli/target.h"
#include "engine/diff/diff.h"
#include "engine/state/fragments.h"

namespace strata::cli {
namespace po = boost::program_options;
using json = nlohmann::ordered_json;

namespace {

struct DeployFlags {
  TargetFlags target;
  ObjectFilter filter;
  std::set<std::string> allow_replace;
  std::set<std::string> allow_delete;
  std::set<std::string> lift_protection;
  std::set<std::string> allow_replica_removal;
  bool auto_approve = false;
  bool dry_run = false;
  bool wait = true;
  bool detailed_exitcode = false;
};

// Everything the steps read, gathered once.
struct Deploy {
  Reach reach;
  std::unique_ptr<History> history;
  pb::SchemaState desired;   // what the target should have: the log head (push --dry-run: files)
  pb::SchemaState deployed;  // what the target was last deployed with
  Result<pb::SchemaState> files = Status::NotFound("not read");  // what the schema files say
  // Set when -t selected only some of the objects the deployment could touch: those.
  std::optional<std::set<std::string>> narrowed;
  std::unique_ptr<backend::Live> live;
  PlanView view;
};

// `state` cut down to the objects -t selected (all of it when nothing was narrowed).
pb::SchemaState Narrowed(const Deploy& d, pb::SchemaState state) {
  return d.narrowed ? SelectObjects(state, *d.narrowed) : state;
}

void AddDeployOptions(po::options_description& o) {
  AddTargetOptions(o);
  AddFilterOptions(o);
  o.add_options()("allow-replace", po::value<std::vector<std::string>>()->composing(),
                  "consent to replacing OBJECT (its data is deleted); repeat per object")(
      "allow-delete", po::value<std::vector<std::string>>()->composing(),
      "consent to deleting OBJECT without a terminal; repeat per object")(
      "lift-deletion-protection", po::value<std::vector<std::string>>()->composing(),
      "consent to turning deletion protection off on OBJECT so that it can be deleted (also "
      "consent to the delete); repeat per object")(
      "allow-replica-removal", po::value<std::vector<std::string>>()->composing(),
      "consent to deleting the replicas of TABLE (or only TABLE:REGION), and their items in "
      "those regions (also consent to deleting TABLE); repeat per table or replica");
}

DeployFlags ReadDeployFlags(const po::variables_map& vm) {
  DeployFlags f;
  f.target = ReadTargetFlags(vm);
  f.filter = ReadFilter(vm);
  auto set_of = [&vm](const char* name) {
    std::set<std::string> s;
    if (vm.count(name)) {
      for (const auto& v : vm[name].as<std::vector<std::string>>()) s.insert(v);
    }
    return s;
  };
  f.allow_replace = set_of("allow-replace");
  f.allow_delete = set_of("allow-delete");
  f.lift_protection = set_of("lift-deletion-protection");
  f.allow_replica_removal = set_of("allow-replica-removal");
  auto flag = [&vm](const char* name) { return vm.count(name) && vm[name].as<bool>(); };
  f.auto_approve = flag("auto-approve");
  f.dry_run = flag("dry-run");
  f.wait = !flag("no-wait");
  f.detailed_exitcode = flag("detailed-exitcode");
  return f;
}

// Step: the log head, the target's cursor and the commits it has not applied.
Status LoadRecorded(const Context& ctx, Deploy& d) {
  STRATA_ASSIGN_OR_RETURN(d.history, OpenHistory(ctx));
  PlanView& v = d.view;
  v.head_seq = d.history->head().seq;
  STRATA_ASSIGN_OR_RETURN(d.desired, d.history->SchemaAt(v.head_seq, v.source->name));
  STRATA_ASSIGN_OR_RETURN(v.cursor, d.history->Cursor(d.reach.target->Label()));
  STRATA_ASSIGN_OR_RETURN(d.deployed, d.history->SchemaAt(v.cursor_seq(), v.source->name));
  STRATA_ASSIGN_OR_RETURN(v.unapplied, d.history->ChangesAfter(v.source->name, v.cursor_seq()));
  return Status::Ok();
}

std::set<std::string> ObjectsToTouch(const Deploy& d) {
  std::set<std::string> names;
  for (auto& n : ObjectNames(d.desired)) names.insert(std::move(n));
  for (auto& n : ObjectNames(d.deployed)) names.insert(std::move(n));
  return names;
}

// Step: what the schema files say (plan reports the changes the log does not have yet).
void LoadFiles(Deploy& d) {
  d.files = d.reach.backend->LoadDesired(*d.view.source);
  if (!d.files.ok()) d.view.files_error = d.files.status().message();
}

// Step: -t. The objects it selects among those the deployment could touch and those the files
// define (a table only the files have yet is found, and reported as unrecorded); everything
// else is left out of what is read, planned and applied. A filter that selects every object
// (-t '*') narrows nothing.
Status Narrow(Deploy& d, const ObjectFilter& filter) {
  d.narrowed.reset();
  d.view.filter.clear();
  if (filter.everything()) return Status::Ok();
  std::set<std::string> names = ObjectsToTouch(d);
  if (d.files.ok()) {
    for (auto& n : ObjectNames(*d.files)) names.insert(std::move(n));
  }
  STRATA_ASSIGN_OR_RETURN(
      std::set<std::string> selected,
      SelectNames(filter, {names.begin(), names.end()}, *d.reach.backend,
                  fmt::format("of schema {}", d.view.source->name)));
  if (std::includes(selected.begin(), selected.end(), names.begin(), names.end())) {
    return Status::Ok();
  }
  d.view.filter = filter.patterns();
  d.view.selected = selected.size();
  d.view.total = names.size();
  d.narrowed = std::move(selected);
  d.desired = Narrowed(d, std::move(d.desired));
  d.deployed = Narrowed(d, std::move(d.deployed));
  // The target's cursor is for all its objects; commits after it may well have been applied to
  // these by an earlier narrowed apply, so they are not listed (nor counted as pending).
  d.view.unapplied.clear();
  return Status::Ok();
}

// Step: how many schema file changes the log does not have yet (of the selected objects).
Status CountUnrecorded(Deploy& d) {
  if (!d.files.ok()) return Status::Ok();
  auto pending = Diff(d.desired, Narrowed(d, *d.files));
  d.view.unrecorded = pending.ok() ? pending->size() : 0;
  if (!pending.ok()) d.view.files_error = pending.status().message();
  return Status::Ok();
}

// Step: the live state of the objects this deployment may touch.
Status ReadLive(Deploy& d) {
  const std::set<std::string> names = ObjectsToTouch(d);
  backend::ReadRequest r;
  r.only = std::vector<std::string>(names.begin(), names.end());
  r.missing_ok = true;  // objects still to be created are simply not there
  STRATA_ASSIGN_OR_RETURN(d.live, d.reach.target->Read(r));
  d.view.warnings = LiveWarnings(*d.live, &names);
  return Status::Ok();
}

Status MakePlan(Deploy& d, const DeployFlags& flags) {
  backend::PlanRequest r;
  r.managed = ObjectsToTouch(d);
  r.allow_replace = flags.allow_replace;
  r.lift_protection = flags.lift_protection;
  r.allow_replica_removal = flags.allow_replica_removal;
  r.deployed = &d.deployed;
  STRATA_ASSIGN_OR_RETURN(d.view.plan, d.reach.target->MakePlan(*d.live, d.desired, r));
  return Status::Ok();
}

// Step: the target and the schema source it deploys (no request is made yet).
Result<Deploy> Open(const Context& ctx, const DeployFlags& flags) {
  Deploy d;
  STRATA_ASSIGN_OR_RETURN(d.reach, OpenReach(ctx, flags.target, ReachOptions{}));
  d.view.source = d.reach.source;
  d.view.target = d.reach.target.get();
  d.view.backend = d.reach.backend;
  return d;
}

// Steps: what the log and the files say, what the target has, and the plan.
Status Survey(const Context& ctx, Deploy& d, const DeployFlags& flags) {
  STRATA_RETURN_IF_ERROR(LoadRecorded(ctx, d));
  LoadFiles(d);
  STRATA_RETURN_IF_ERROR(Narrow(d, flags.filter));
  STRATA_RETURN_IF_ERROR(CountUnrecorded(d));
  STRATA_RETURN_IF_ERROR(ReadLive(d));
  return MakePlan(d, flags);
}

// Opens everything plan and apply need, in order.
Result<Deploy> Prepare(const Context& ctx, const DeployFlags& flags) {
  STRATA_ASSIGN_OR_RETURN(Deploy d, Open(ctx, flags));
  STRATA_RETURN_IF_ERROR(Survey(ctx, d, flags));
  return d;
}

// Step: consent. Blocked objects stop everything with their reasons; deletes need the name
// typed (or, without a terminal, --allow-delete NAME, or --lift-deletion-protection NAME or
// --allow-replica-removal NAME, which name the delete they consent to); everything needs "yes" (or
// --auto-approve). Aborted when refused.
Status Consent(const Context& ctx, const Deploy& d, const DeployFlags& flags, bool ask_approval) {
  const backend::Plan& plan = d.view.plan;
  if (plan.AnyBlocked()) {
    std::vector<std::string> reasons, others;
    for (const auto& o : plan.objects) {
      if (o.blocked) reasons.push_back(o.blocked_reason);
      else if (!o.operations.empty()) others.push_back(o.object);
    }
    // The rest of the plan need not wait for that consent: name the narrowing that applies it.
    std::string rest;
    if (!others.empty()) {
      rest = fmt::format("; or, to apply the other {} now and leave {} for later, add {}",
                         std::string(d.reach.backend->object_noun()) + (others.size() == 1 ? "" : "s"),
                         reasons.size() == 1 ? "that one" : "those", FilterFlags(others));
    }
    return Status::FailedPrecondition(
        fmt::format("nothing was applied: {}{}", fmt::join(reasons, "; "), rest));
  }
  const std::string noun(d.reach.backend->object_noun());
  for (const auto& o : plan.objects) {
    if (o.action != backend::Action::kDelete || flags.allow_delete.count(o.object)) continue;
    if (!ctx.interactive && (flags.lift_protection.count(o.object) ||
                             flags.allow_replica_removal.count(o.object))) {
      continue;
    }
    if (!ctx.interactive) {
      return Status::FailedPrecondition(fmt::format(
          "the plan deletes {} {}; nothing was applied. Without a terminal, consent with "
          "--allow-delete {}",
          noun, o.object, o.object));
    }
    if (!ConfirmTyped(ctx, std::cin,
                      fmt::format("{} {} and all its {} will be deleted. Type its name to "
                                  "confirm: ",
                                  Capitalized(noun), o.object, d.reach.backend->data_noun()),
                      o.object)) {
      return Status::Aborted(
          fmt::format("deleting {} was not confirmed; nothing was applied", o.object));
    }
  }
  if (!ask_approval || flags.auto_approve) return Status::Ok();
  if (!ctx.interactive) {
    return Status::FailedPrecondition(
        "apply asks for approval on a terminal; without one, pass --auto-approve (or --dry-run "
        "to see the plan only)");
  }
  if (!ConfirmTyped(ctx, std::cin,
                    fmt::format("Apply these changes to {}? Only 'yes' is accepted: ",
                                d.reach.target->Label()),
                    "yes")) {
    return Status::Aborted("apply cancelled; nothing was applied");
  }
  return Status::Ok();
}

backend::ExecuteReport Execute(const Context& ctx, Deploy& d, bool wait) {
  backend::ExecuteRequest r;
  r.wait = wait;
  r.progress = [&ctx](const backend::Progress& e) {
    if (e.phase == "done") return;
    // Index 0: waiting for an object an earlier run left busy, before any step of this one.
    if (e.index == 0) ctx.Note(fmt::format("{}: {}", e.object, e.summary));
    else ctx.Note(fmt::format("[{}/{}] {}: {}", e.index, e.total, e.object, e.summary));
  };
  return d.reach.target->Execute(d.view.plan, r);
}

// What the backend said happened beyond the steps themselves ("; T: ..."), for the record.
std::string NotesText(const backend::ExecuteReport& report) {
  std::string text;
  for (const auto& note : report.notes) text += "; " + note;
  return text;
}

pb::DeploymentObjectResult ObjectResult(const std::string& result) {
  if (result == "done") return pb::DEPLOYMENT_OBJECT_DONE;
  if (result == "failed") return pb::DEPLOYMENT_OBJECT_FAILED;
  if (result == "pending") return pb::DEPLOYMENT_OBJECT_PENDING;
  if (result == "skipped") return pb::DEPLOYMENT_OBJECT_SKIPPED;
  return pb::DEPLOYMENT_OBJECT_NOT_RUN;
}

// Whether any object ended other than done: then the outcome lists every object.
bool AnyObjectLeft(const backend::ExecuteReport& report) {
  return std::any_of(report.objects.begin(), report.objects.end(),
                     [](const backend::ObjectOutcome& o) { return o.result != "done"; });
}

// Step: the deployment commit, a fact recorded against whatever head the log has then. The
// cursor moves to the planned head only when everything was done.
Result<StoredCommit> RecordDeployment(const Context& ctx, Deploy& d,
                                      const backend::ExecuteReport& report, int64_t duration_ms) {
  const PlanView& v = d.view;
  const std::string label = d.reach.target->Label();
  pb::Deployment dep;
  dep.set_target(label);
  dep.set_from_seq(v.cursor_seq());
  dep.set_duration_ms(duration_ms);
  for (const auto& o : report.objects) {
    pb::DeploymentObject* object = dep.add_objects();
    object->set_name(o.object);
    object->set_result(ObjectResult(o.result));
    object->set_detail(o.detail);
    object->set_steps_done(static_cast<uint32_t>(o.steps_done));
    object->set_steps(static_cast<uint32_t>(o.steps));
  }
  std::string message;
  const bool complete = report.status.ok() && report.pending.empty();
  if (complete && d.narrowed) {
    // Everything asked for was done, but only for the objects -t selected: the others may
    // still be behind, so the cursor stays and the deployment is partial.
    dep.set_outcome(pb::DEPLOYMENT_PARTIAL);
    dep.set_to_seq(v.cursor_seq());
    dep.set_detail(fmt::format(
        "{} operation{} on the {} {}{} of {} that {} selects; the others were not applied: run "
        "strata apply without -t to bring every {} to seq {}",
        report.operations_done, report.operations_done == 1 ? "" : "s", v.selected,
        d.reach.backend->object_noun(), v.selected == 1 ? "" : "s", v.total, FilterFlags(v.filter),
        d.reach.backend->object_noun(), v.head_seq));
    message = fmt::format("deploy {} seq {} to {} (partial: {})", v.source->name, v.head_seq,
                          label, FilterFlags(v.filter));
  } else if (complete) {
    dep.set_outcome(pb::DEPLOYMENT_SUCCEEDED);
    dep.set_to_seq(v.head_seq);
    dep.set_detail(fmt::format("{} operation{}{}", report.operations_done,
                               report.operations_done == 1 ? "" : "s", NotesText(report)));
    message = fmt::format("deploy {} seq {} to {}", v.source->name, v.head_seq, label);
  } else {
    dep.set_outcome(report.operations_done == 0 && report.pending.empty()
                        ? pb::DEPLOYMENT_FAILED
                        : pb::DEPLOYMENT_PARTIAL);
    dep.set_to_seq(v.cursor_seq());
    std::string detail = fmt::format("{} of {} operations done", report.operations_done,
                                     v.plan.OperationCount());
    if (!report.pending.empty() && report.notes.empty()) {
      detail += fmt::format("; still updating: {}; run strata apply again to continue",
                            fmt::join(report.pending, ", "));
    }
    detail += NotesText(report);
    if (!report.status.ok()) detail += "; " + report.status.message();
    if (d.narrowed) detail = fmt::format("limited to {}; {}", FilterFlags(v.filter), detail);
    dep.set_detail(detail);
    message = fmt::format("deploy {} seq {} to {} ({})", v.source->name, v.head_seq, label,
                          dep.outcome() == pb::DEPLOYMENT_FAILED ? "failed" : "partial");
  }
  record::Draft draft = record::Draft::Deploy(v.source->name, v.source->engine, dep, message);
  draft.set_cloud_principal(d.reach.target->Principal());
  STRATA_ASSIGN_OR_RETURN(auto recorder, OpenRecorder(ctx));
  STRATA_ASSIGN_OR_RETURN(
      std::optional<StoredCommit> stored,
      recorder->Record([&draft](const record::HeadState&) -> Result<std::optional<record::Draft>> {
        return std::optional<record::Draft>(draft);
      }));
  return std::move(*stored);
}

const char* OutcomeWord(pb::DeploymentOutcome o) {
  return o == pb::DEPLOYMENT_SUCCEEDED ? "succeeded"
         : o == pb::DEPLOYMENT_PARTIAL ? "partial"
                                       : "failed";
}

json ObjectsJson(const backend::ExecuteReport& report) {
  json out = json::array();
  for (const auto& o : report.objects) {
    out.push_back({{"name", o.object},
                   {"result", o.result},
                   {"steps_done", o.steps_done},
                   {"steps", o.steps},
                   {"detail", o.detail}});
  }
  return out;
}

void PrintOutcome(const Context& ctx, const Deploy& d, const backend::ExecuteReport& report,
                  const StoredCommit& stored, int64_t duration_ms) {
  const pb::Deployment& dep = stored.commit.deployment();
  if (ctx.json) {
    json out = PlanJson(d.view);
    out["applied"] = {{"outcome", OutcomeWord(dep.outcome())},
                      {"operations_done", report.operations_done},
                      {"pending", report.pending},
                      {"notes", report.notes},
                      {"objects", ObjectsJson(report)},
                      {"duration_ms", duration_ms},
                      {"deployment_seq", stored.commit.seq()},
                      {"target_seq", dep.to_seq()},
                      {"actor", {{"name", stored.commit.actor().name()},
                                 {"email", stored.commit.actor().email()},
                                 {"cloud_principal", stored.commit.actor().cloud_principal()}}}};
    if (!report.status.ok()) out["applied"]["error"] = report.status.message();
    ctx.PrintJson(out);
    return;
  }
  const std::string label = d.reach.target->Label();
  if (d.narrowed && report.status.ok() && report.pending.empty()) {
    *ctx.out << ctx.Paint(Color::kGreen,
                          fmt::format("Apply complete for the {} {} selects: {} operation{} in "
                                      "{:.1f} s (recorded as commit {}, partial).",
                                      std::string(d.reach.backend->object_noun()) + "s",
                                      FilterFlags(d.view.filter), report.operations_done,
                                      report.operations_done == 1 ? "" : "s",
                                      duration_ms / 1000.0, stored.commit.seq()))
             << "\n";
    *ctx.out << fmt::format("{} stays at seq {}: strata apply without -t brings every {} to seq "
                            "{}.\n",
                            label, dep.to_seq(), d.reach.backend->object_noun(), d.view.head_seq);
  } else if (dep.outcome() == pb::DEPLOYMENT_SUCCEEDED) {
    *ctx.out << ctx.Paint(Color::kGreen,
                          fmt::format("Apply complete: {} operation{} in {:.1f} s; {} is at seq {} "
                                      "(recorded as commit {}{}).",
                                      report.operations_done, report.operations_done == 1 ? "" : "s",
                                      duration_ms / 1000.0, label, dep.to_seq(),
                                      stored.commit.seq(),
                                      stored.commit.actor().cloud_principal().empty()
                                          ? ""
                                          : ", by " + stored.commit.actor().cloud_principal()))
             << "\n";
  } else if (report.status.ok() && !report.notes.empty()) {
    *ctx.out << ctx.Paint(Color::kYellow,
                          fmt::format("Done: {}. Not done yet (recorded as commit {}, partial):",
                                      report.done.empty() ? std::string("nothing")
                                                          : fmt::format("{}", fmt::join(report.done, "; ")),
                                      stored.commit.seq()))
             << "\n";
  } else if (report.status.ok()) {
    *ctx.out << ctx.Paint(Color::kYellow,
                          fmt::format("Requested: {}. {} still updating; run strata apply again to "
                                      "continue (recorded as commit {}).",
                                      fmt::join(report.done, "; "), fmt::join(report.pending, ", "),
                                      stored.commit.seq()))
             << "\n";
  }
  for (const auto& note : report.notes) *ctx.out << "  " << note << "\n";
  if (!AnyObjectLeft(report)) return;
  // Some object did not get all its steps: say what became of each, the done ones included,
  // so that it is plain what the next apply will still do.
  for (const auto& o : report.objects) {
    const Color color = o.result == "done"     ? Color::kGreen
                        : o.result == "failed" ? Color::kRed
                                               : Color::kYellow;
    std::string line = fmt::format("  {}: {} ({} of {} step{})", o.object,
                                   ctx.Paint(color, o.result), o.steps_done, o.steps,
                                   o.steps == 1 ? "" : "s");
    if (!o.detail.empty() && o.result != "pending") line += ": " + o.detail;
    *ctx.out << line << "\n";
  }
}

// apply's steps after the plan; shared by push.
CommandResult ApplyPlan(const Context& ctx, Deploy& d, const DeployFlags& flags,
                        bool ask_approval) {
  if (!ctx.json) PrintPlan(ctx, d.view);
  if (d.view.plan.empty()) {
    // A narrowed apply records nothing here: it cannot say the whole target is at the head.
    if (d.view.unapplied.empty() || flags.dry_run || d.narrowed) {
      if (ctx.json) ctx.PrintJson(PlanJson(d.view));
      return kExitOk;
    }
    // The live objects already match the head: record that the target is there.
    backend::ExecuteReport none;
    STRATA_ASSIGN_OR_RETURN(StoredCommit stored, RecordDeployment(ctx, d, none, 0));
    PrintOutcome(ctx, d, none, stored, 0);
    return kExitOk;
  }
  if (flags.dry_run) {
    if (ctx.json) {
      json out = PlanJson(d.view);
      out["dry_run"] = true;
      ctx.PrintJson(out);
    } else {
      *ctx.out << "Dry run: nothing was applied.\n";
    }
    return d.view.plan.AnyBlocked() ? kExitError : kExitOk;
  }
  STRATA_RETURN_IF_ERROR(Consent(ctx, d, flags, ask_approval));
  backend::Services services = ServicesFor(ctx);
  const int64_t start = services.steady_ms();
  backend::ExecuteReport report = Execute(ctx, d, flags.wait);
  const int64_t duration_ms = services.steady_ms() - start;
  auto stored = RecordDeployment(ctx, d, report, duration_ms);
  if (!stored.ok()) {
    Status s = report.status.ok() ? stored.status() : report.status;
    return s.WithContext(fmt::format("{} operation(s) ran, but recording the deployment failed",
                                     report.operations_done));
  }
  PrintOutcome(ctx, d, report, *stored, duration_ms);
  if (!report.status.ok()) {
    const size_t failed = static_cast<size_t>(
        std::count_if(report.objects.begin(), report.objects.end(),
                      [](const backend::ObjectOutcome& o) { return o.result == "failed"; }));
    const size_t ran_on = static_cast<size_t>(
        std::count_if(report.objects.begin(), report.objects.end(),
                      [](const backend::ObjectOutcome& o) { return o.result != "skipped"; }));
    if (failed == 0 || ran_on <= 1) {
      return report.status.WithContext(fmt::format(
          "apply stopped after {} of {} operations (recorded as commit {}, outcome {}); fix the "
          "cause and run strata apply again: it does only what is left",
          report.operations_done, d.view.plan.OperationCount(), stored->commit.seq(),
          OutcomeWord(stored->commit.deployment().outcome())));
    }
    return report.status.WithContext(fmt::format(
        "apply failed on {} of {} {}s, the others went on: {} of {} operations done (recorded "
        "as commit {}, outcome {}); fix the cause and run strata apply again: it does only what "
        "is left",
        failed, ran_on, d.reach.backend->object_noun(), report.operations_done,
        d.view.plan.OperationCount(), stored->commit.seq(),
        OutcomeWord(stored->commit.deployment().outcome())));
  }
  return kExitOk;
}

}  // namespace

CommandResult RunPlan(Context& ctx) {
  const CommandFlags spec = PlanFlags();
  const po::options_description& o = spec.options;
  const DeployFlags flags = ReadDeployFlags(ParseArgs(ctx, o, {}));
  STRATA_ASSIGN_OR_RETURN(Deploy d, Prepare(ctx, flags));
  if (ctx.json) ctx.PrintJson(PlanJson(d.view));
  else PrintPlan(ctx, d.view);
  const bool pending = !d.view.plan.empty() || d.view.unrecorded > 0 || !d.view.unapplied.empty();
  return flags.detailed_exitcode && pending ? kExitChanges : kExitOk;
}

CommandResult RunApply(Context& ctx) {
  const CommandFlags spec = ApplyFlags();
  const po::options_description& o = spec.options;
  const DeployFlags flags = ReadDeployFlags(ParseArgs(ctx, o, {}));
  STRATA_ASSIGN_OR_RETURN(Deploy d, Prepare(ctx, flags));
  return ApplyPlan(ctx, d, flags, /*ask_approval=*/true);
}

CommandResult RunPush(Context& ctx) {
  const CommandFlags spec = PushFlags();
  const po::options_description& o = spec.options;
  auto vm = ParseArgs(ctx, o, {});
  DeployFlags flags = ReadDeployFlags(vm);
  flags.auto_approve = true;  // push is the development loop; destructive steps still ask
  STRATA_ASSIGN_OR_RETURN(Deploy d, Open(ctx, flags));
  if (flags.dry_run) {
    // Nothing recorded: plan straight against what the files want.
    STRATA_RETURN_IF_ERROR(Survey(ctx, d, flags));
    STRATA_ASSIGN_OR_RETURN(pb::SchemaState files, d.reach.backend->LoadDesired(*d.view.source));
    d.desired = Narrowed(d, std::move(files));
    STRATA_RETURN_IF_ERROR(ReadLive(d));
    STRATA_RETURN_IF_ERROR(MakePlan(d, flags));
    return ApplyPlan(ctx, d, flags, /*ask_approval=*/false);
  }
  GenerateRequest request;
  request.origin = pb::ORIGIN_PUSH;
  request.filter = flags.filter;
  if (vm.count("message")) request.message = vm["message"].as<std::string>();
  STRATA_ASSIGN_OR_RETURN(Generated g, RecordFiles(ctx, *d.view.source, request));
  if (g.stored && !ctx.json) {
    DiffSummary s = PrintChanges(ctx, d.view.source->name, g.events);
    PrintSummaryLine(ctx, s, fmt::format("Recorded commit {}", g.stored->commit.seq()));
    *ctx.out << "\n";
  }
  // Plan against the head as it is now (the new commit, or another writer's).
  STRATA_RETURN_IF_ERROR(Survey(ctx, d, flags));
  return ApplyPlan(ctx, d, flags, /*ask_approval=*/false);
}

CommandFlags PlanFlags() {
  CommandFlags f{po::options_description("plan options"), {}};
  po::options_description& o = f.options;
  AddDeployOptions(o);
  o.add_options()("detailed-exitcode", po::bool_switch(),
                  "exit 3 when changes are pending (unrecorded, unapplied or to make)");
  return f;
}

CommandFlags ApplyFlags() {
  CommandFlags f{po::options_description("apply options"), {}};
  po::options_description& o = f.options;
  AddDeployOptions(o);
  o.add_options()("auto-approve", po::bool_switch(), "do not ask for approval")(
      "dry-run", po::bool_switch(), "show the plan; change nothing")(
      "no-wait", po::bool_switch(),
      "issue what can be issued without waiting; run apply again to continue");
  return f;
}

CommandFlags PushFlags() {
  CommandFlags f{po::options_description("push options"), {}};
  po::options_description& o = f.options;
  AddDeployOptions(o);
  o.add_options()("message,m", po::value<std::string>(), "why (recorded in the commit)")(
      "auto-approve", po::bool_switch(),
      "accepted for symmetry with apply: push never asks for approval (deletes still need "
      "consent)")("dry-run", po::bool_switch(),
                  "show what would be recorded and applied; change nothing")(
      "no-wait", po::bool_switch(), "do not wait; run apply again to continue");
  return f;
}

}  // namespace strata::cli

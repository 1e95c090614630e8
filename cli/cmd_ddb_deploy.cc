// strata plan, apply and push for DynamoDB targets, and drift when the target is DynamoDB.
//
// Each is a list of steps over one Deploy context:
//   plan:  files vs the log head (changes not recorded yet), the log head vs the target's
//          cursor (commits not applied yet), then the operations that bring the live tables
//          to the log head.
//   apply: the same plan, consent (per table for destructive steps), execution with progress,
//          then a deployment commit (who, from/to seq, outcome, duration).
//   push:  generate (origin push) + apply, for quick development loops.
// Which tables a deployment may touch: those of the log head plus those the target was last
// deployed with (so a table dropped in the log is deleted); never any other live table.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <set>
#include <thread>

#include "adapters/dynamodb/execute.h"
#include "adapters/dynamodb/introspect.h"
#include "adapters/dynamodb/plan.h"
#include "cli/aws_target.h"
#include "cli/commands.h"
#include "cli/describe.h"
#include "cli/generate.h"
#include "cli/history.h"
#include "cli/prompt.h"
#include "engine/diff/diff.h"
#include "engine/refs/refs.h"

namespace strata::cli {
namespace po = boost::program_options;
namespace ddb = strata::dynamodb;
using json = nlohmann::ordered_json;

namespace {

struct DeployFlags {
  TargetFlags target;
  std::optional<std::string> schema;
  std::set<std::string> allow_replace;
  std::set<std::string> allow_delete;
  bool auto_approve = false;
  bool dry_run = false;
  bool wait = true;
  bool detailed_exitcode = false;
};

// Everything the steps read, gathered once.
struct Deploy {
  const SchemaSource* source = nullptr;
  std::unique_ptr<History> history;
  uint64_t head_seq = 0;
  pb::DynamoSchema desired;          // what the target should have: the log head (push: files)
  pb::DynamoSchema deployed;         // what the target was last deployed with
  std::optional<CursorInfo> cursor;
  std::vector<CommitSummary> unapplied;  // commits of this schema after the cursor, newest first
  size_t unrecorded = 0;                 // schema file changes not in the log yet
  std::string files_error;               // why the schema files could not be read, if so
  DynamoTarget target;
  std::string label;                     // the target's name in deployment records
  std::vector<ddb::LiveTable> live;
  ddb::Plan plan;
};

void AddDeployOptions(po::options_description& o) {
  AddTargetOptions(o);
  o.add_options()("schema", po::value<std::string>(), "which schema source (default: the dynamodb one)")(
      "allow-replace", po::value<std::vector<std::string>>()->composing(),
      "consent to replacing TABLE (its items are deleted); repeat per table")(
      "allow-delete", po::value<std::vector<std::string>>()->composing(),
      "consent to deleting TABLE without a terminal; repeat per table");
}

DeployFlags ReadDeployFlags(const po::variables_map& vm) {
  DeployFlags f;
  f.target = ReadTargetFlags(vm);
  f.schema = OptArg(vm, "schema");
  auto set_of = [&vm](const char* name) {
    std::set<std::string> s;
    if (vm.count(name)) {
      for (const auto& v : vm[name].as<std::vector<std::string>>()) s.insert(v);
    }
    return s;
  };
  f.allow_replace = set_of("allow-replace");
  f.allow_delete = set_of("allow-delete");
  auto flag = [&vm](const char* name) { return vm.count(name) && vm[name].as<bool>(); };
  f.auto_approve = flag("auto-approve");
  f.dry_run = flag("dry-run");
  f.wait = !flag("no-wait");
  f.detailed_exitcode = flag("detailed-exitcode");
  return f;
}

uint64_t CursorSeq(const Deploy& d) { return d.cursor ? d.cursor->seq : 0; }

Result<pb::DynamoSchema> DynamoSchemaAt(History& history, const std::string& schema, uint64_t seq) {
  STRATA_ASSIGN_OR_RETURN(pb::State state, history.index().StateAt(seq));
  auto it = state.schemas().find(schema);
  if (it == state.schemas().end()) return pb::DynamoSchema();
  return it->second.dynamodb();
}

// Step: the log head, the target's cursor and the commits it has not applied.
Status LoadRecorded(const Context& ctx, Deploy& d) {
  STRATA_ASSIGN_OR_RETURN(d.history, History::Open(ctx));
  d.head_seq = d.history->index().head_seq();
  STRATA_ASSIGN_OR_RETURN(d.desired, DynamoSchemaAt(*d.history, d.source->name, d.head_seq));
  STRATA_ASSIGN_OR_RETURN(auto cursors, d.history->index().Cursors());
  for (const auto& c : cursors) {
    if (c.target == d.label) d.cursor = c;
  }
  STRATA_ASSIGN_OR_RETURN(d.deployed, DynamoSchemaAt(*d.history, d.source->name, CursorSeq(d)));
  CommitFilter f;
  f.schema = d.source->name;
  f.min_seq = CursorSeq(d) + 1;
  STRATA_ASSIGN_OR_RETURN(auto commits, d.history->index().Commits(f));
  for (auto& c : commits) {
    if (c.event_count > 0) d.unapplied.push_back(std::move(c));
  }
  return Status::Ok();
}

// Step: how many schema file changes the log does not have yet (plan reports them).
void CountUnrecorded(const Context& ctx, Deploy& d) {
  auto pending = ComputePending(ctx, *d.history, *d.source);
  d.unrecorded = pending.ok() ? pending->events.size() : 0;
  if (!pending.ok()) d.files_error = pending.status().message();
}

std::vector<std::string> TablesToRead(const Deploy& d) {
  std::set<std::string> names;
  for (const auto& [name, t] : d.desired.tables()) names.insert(name);
  for (const auto& [name, t] : d.deployed.tables()) names.insert(name);
  return {names.begin(), names.end()};
}

// Step: the live state of the tables this deployment may touch, described concurrently.
Status ReadLive(const Context& ctx, Deploy& d) {
  ddb::IntrospectOptions o;
  o.only = TablesToRead(d);
  o.max_concurrency = d.target.concurrency;
  const size_t total = o.only->size();
  size_t last_note = 0;
  if (total >= 50) {
    o.progress = [&ctx, &last_note](size_t done, size_t all) {
      if (done == all || done >= last_note + all / 10) {
        last_note = done;
        ctx.Note(fmt::format("described {}/{} tables", done, all));
      }
    };
  }
  STRATA_ASSIGN_OR_RETURN(d.live, ddb::ListLiveTables(*d.target.ddb, o));
  return Status::Ok();
}

Status MakePlan(Deploy& d, const DeployFlags& flags) {
  ddb::PlanOptions o;
  for (const auto& name : TablesToRead(d)) o.managed.insert(name);
  o.allow_replace = flags.allow_replace;
  STRATA_ASSIGN_OR_RETURN(d.plan, ddb::PlanChanges(d.live, d.desired, o));
  return Status::Ok();
}

// Opens everything plan and apply need, in order.
Result<Deploy> Prepare(Context& ctx, const DeployFlags& flags) {
  Deploy d;
  STRATA_ASSIGN_OR_RETURN(d.source, PickDynamoSchema(ctx, flags.schema));
  STRATA_ASSIGN_OR_RETURN(d.target, OpenDynamoTarget(ctx, flags.target));
  d.label = d.target.name.empty() ? d.target.endpoint : d.target.name;
  STRATA_RETURN_IF_ERROR(LoadRecorded(ctx, d));
  CountUnrecorded(ctx, d);
  STRATA_RETURN_IF_ERROR(ReadLive(ctx, d));
  STRATA_RETURN_IF_ERROR(MakePlan(d, flags));
  return d;
}

const char* ActionName(ddb::TableAction a) {
  switch (a) {
    case ddb::TableAction::kCreate: return "create";
    case ddb::TableAction::kUpdate: return "update";
    case ddb::TableAction::kReplace: return "replace";
    case ddb::TableAction::kDelete: return "delete";
  }
  return "update";
}

DiffSummary Summarize(const ddb::Plan& plan) {
  DiffSummary s;
  for (const auto& t : plan.tables) {
    switch (t.action) {
      case ddb::TableAction::kCreate: ++s.add; break;
      case ddb::TableAction::kUpdate: ++s.change; break;
      case ddb::TableAction::kReplace: ++s.add; ++s.destroy; break;
      case ddb::TableAction::kDelete: ++s.destroy; break;
    }
  }
  return s;
}

size_t OperationCount(const ddb::Plan& plan) {
  size_t n = 0;
  for (const auto& t : plan.tables) n += t.operations.size();
  return n;
}

json PlanJson(const Deploy& d) {
  json tables = json::array();
  for (const auto& t : d.plan.tables) {
    json changes = json::array(), ops = json::array();
    for (const auto& c : t.changes) {
      pb::Event e;
      *e.mutable_dynamodb() = c;
      changes.push_back(EventJson(e));
    }
    for (const auto& op : t.operations) {
      ops.push_back({{"api", op.api}, {"summary", op.summary}, {"destructive", op.destructive},
                     {"waits", op.wait_for_active}});
    }
    json jt = {{"table", t.table}, {"action", ActionName(t.action)}, {"blocked", t.blocked},
               {"changes", changes}, {"operations", ops}};
    if (!t.replace_reason.empty()) jt["replace_reason"] = t.replace_reason;
    tables.push_back(std::move(jt));
  }
  json unapplied = json::array();
  for (const auto& c : d.unapplied) {
    unapplied.push_back({{"seq", c.seq}, {"time", FormatTime(c.time_unix_micros)},
                         {"actor", c.actor_name}, {"origin", OriginName(c.origin)},
                         {"message", c.message}});
  }
  const DiffSummary s = Summarize(d.plan);
  json out = {{"version", 1},
              {"target", {{"name", d.label}, {"endpoint", d.target.endpoint}, {"region", d.target.session->region()}}},
              {"schema", d.source->name},
              {"head_seq", d.head_seq},
              {"target_seq", CursorSeq(d)},
              {"unrecorded_changes", d.unrecorded},
              {"files_error", d.files_error.empty() ? json() : json(d.files_error)},
              {"unapplied_commits", unapplied},
              {"tables", tables},
              {"summary", {{"add", s.add}, {"change", s.change}, {"destroy", s.destroy}}}};
  return out;
}

void PrintHeader(const Context& ctx, const Deploy& d) {
  *ctx.out << fmt::format("Target {} (dynamodb, {}, {})\n", d.label, d.target.endpoint,
                          d.target.session->region());
  if (d.cursor) {
    *ctx.out << fmt::format("  last deployed: seq {} (deployment commit {})\n", d.cursor->seq,
                            d.cursor->deployment_seq);
  } else {
    *ctx.out << "  never deployed by strata\n";
  }
  *ctx.out << fmt::format("  log head: seq {}\n", d.head_seq);
  if (!d.unapplied.empty()) {
    *ctx.out << fmt::format("  {} commit{} of {} not applied to {} yet:\n", d.unapplied.size(),
                            d.unapplied.size() == 1 ? "" : "s", d.source->name, d.label);
    size_t shown = 0;
    for (const auto& c : d.unapplied) {
      if (++shown > 10) {
        *ctx.out << fmt::format("    ... and {} older\n", d.unapplied.size() - 10);
        break;
      }
      *ctx.out << fmt::format("    {:>5}  {}  {}  {}\n", c.seq, FormatTime(c.time_unix_micros),
                              c.actor_name, c.message);
    }
  }
  if (!d.files_error.empty()) {
    *ctx.out << ctx.Paint(Color::kYellow, "  the schema files cannot be read: " + d.files_error) << "\n";
  }
  if (d.unrecorded > 0) {
    *ctx.out << ctx.Paint(Color::kYellow,
                          fmt::format("  the schema files have {} change{} not recorded yet; run "
                                      "strata generate (or strata push) to include {}\n",
                                      d.unrecorded, d.unrecorded == 1 ? "" : "s",
                                      d.unrecorded == 1 ? "it" : "them"));
  }
  *ctx.out << "\n";
}

void PrintTablePlan(const Context& ctx, const ddb::TablePlan& t) {
  const bool red = t.action == ddb::TableAction::kDelete || t.action == ddb::TableAction::kReplace;
  const char* sign = t.action == ddb::TableAction::kCreate    ? "+"
                     : t.action == ddb::TableAction::kDelete  ? "-"
                     : t.action == ddb::TableAction::kReplace ? "-/+"
                                                              : "~";
  std::string head = fmt::format("{} {} {}", sign, ActionName(t.action), t.table);
  if (t.action == ddb::TableAction::kReplace) head += " (its items are deleted)";
  *ctx.out << ctx.Paint(red ? Color::kRed : t.action == ddb::TableAction::kCreate ? Color::kGreen
                                                                                   : Color::kYellow,
                        head)
           << "\n";
  if (!t.replace_reason.empty()) {
    *ctx.out << ctx.Paint(Color::kRed, "    must be replaced: " + t.replace_reason) << "\n";
  }
  for (const auto& c : t.changes) {
    pb::Event e;
    *e.mutable_dynamodb() = c;
    EventText text = Describe(e);
    *ctx.out << "    " << text.sign << " " << text.text << "\n";
  }
  for (const auto& op : t.operations) {
    std::string line = fmt::format("      {} {}{}", op.api, op.summary,
                                   op.wait_for_active ? " (then waits for ACTIVE)" : "");
    *ctx.out << (op.destructive ? ctx.Paint(Color::kRed, line) : ctx.Paint(Color::kDim, line)) << "\n";
  }
  if (t.blocked) {
    *ctx.out << ctx.Paint(Color::kRed, fmt::format("    blocked: nothing runs for {} unless you add "
                                                   "--allow-replace {}",
                                                   t.table, t.table))
             << "\n";
  }
}

void PrintPlan(const Context& ctx, const Deploy& d) {
  PrintHeader(ctx, d);
  if (d.plan.tables.empty()) {
    *ctx.out << fmt::format("No changes: the live tables of {} match seq {}.\n", d.label, d.head_seq);
    return;
  }
  for (const auto& t : d.plan.tables) PrintTablePlan(ctx, t);
  *ctx.out << "\n";
  PrintSummaryLine(ctx, Summarize(d.plan), "Plan");
}

bool AnyBlocked(const ddb::Plan& plan) {
  for (const auto& t : plan.tables) {
    if (t.blocked) return true;
  }
  return false;
}

// Step: consent. Deletes need the table's name typed (or --allow-delete TABLE without a
// terminal); everything needs "yes" (or --auto-approve). Returns Aborted when refused.
Status Consent(const Context& ctx, const Deploy& d, const DeployFlags& flags, bool ask_approval) {
  if (AnyBlocked(d.plan)) {
    std::vector<std::string> blocked;
    for (const auto& t : d.plan.tables) {
      if (t.blocked) blocked.push_back(t.table);
    }
    return Status::FailedPrecondition(fmt::format(
        "{} must be replaced, which deletes {} items; nothing was applied. Run again with "
        "--allow-replace {} to consent",
        fmt::join(blocked, ", "), blocked.size() == 1 ? "its" : "their",
        fmt::join(blocked, " --allow-replace ")));
  }
  for (const auto& t : d.plan.tables) {
    if (t.action != ddb::TableAction::kDelete || flags.allow_delete.count(t.table)) continue;
    if (!ctx.interactive) {
      return Status::FailedPrecondition(fmt::format(
          "the plan deletes table {}; nothing was applied. Without a terminal, consent with "
          "--allow-delete {}",
          t.table, t.table));
    }
    if (!ConfirmTyped(ctx, std::cin,
                      fmt::format("Table {} and all its items will be deleted. Type its name to "
                                  "confirm: ",
                                  t.table),
                      t.table)) {
      return Status::Aborted(fmt::format("deleting {} was not confirmed; nothing was applied", t.table));
    }
  }
  if (!ask_approval || flags.auto_approve) return Status::Ok();
  if (!ctx.interactive) {
    return Status::FailedPrecondition(
        "apply asks for approval on a terminal; without one, pass --auto-approve (or --dry-run "
        "to see the plan only)");
  }
  if (!ConfirmTyped(ctx, std::cin,
                    fmt::format("Apply these changes to {}? Only 'yes' is accepted: ", d.label),
                    "yes")) {
    return Status::Aborted("apply cancelled; nothing was applied");
  }
  return Status::Ok();
}


ddb::ExecuteReport Execute(const Context& ctx, const Deploy& d, bool wait) {
  ddb::ExecuteOptions o;
  o.wait = wait;
  o.poll_interval_ms = PollIntervalMs(ctx);
  o.sleep = [](int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
  o.now_ms = SteadyMillis;
  o.progress = [&ctx](const ddb::ProgressEvent& e) {
    if (e.phase == "done") return;
    // Index 0: waiting for a table an earlier run left busy, before any step of this one.
    if (e.index == 0) ctx.Note(fmt::format("{}: {}", e.table, e.summary));
    else ctx.Note(fmt::format("[{}/{}] {}: {}", e.index, e.total, e.table, e.summary));
  };
  return ddb::Execute(*d.target.ddb, d.plan, o);
}

// Step: the deployment commit. The cursor moves to the head only when everything was done.
Result<StoredCommit> RecordDeployment(Context& ctx, Deploy& d, const ddb::ExecuteReport& report,
                                      int64_t duration_ms) {
  AddCallerToActor(ctx, d.target);
  pb::Commit c;
  c.set_origin(pb::ORIGIN_DEPLOY);
  c.set_schema(d.source->name);
  c.set_engine(pb::ENGINE_DYNAMODB);
  auto* dep = c.mutable_deployment();
  dep->set_target(d.label);
  dep->set_from_seq(CursorSeq(d));
  dep->set_duration_ms(duration_ms);
  const bool complete = report.status.ok() && report.pending.empty();
  if (complete) {
    dep->set_outcome(pb::DEPLOYMENT_SUCCEEDED);
    dep->set_to_seq(d.head_seq);
    dep->set_detail(fmt::format("{} operation{}", report.operations_done,
                                report.operations_done == 1 ? "" : "s"));
    c.set_message(fmt::format("deploy {} seq {} to {}", d.source->name, d.head_seq, d.label));
  } else {
    dep->set_outcome(report.operations_done == 0 && report.pending.empty()
                         ? pb::DEPLOYMENT_FAILED
                         : pb::DEPLOYMENT_PARTIAL);
    dep->set_to_seq(CursorSeq(d));
    std::string detail = fmt::format("{} of {} operations done", report.operations_done,
                                     OperationCount(d.plan));
    if (!report.pending.empty()) {
      detail += fmt::format("; still updating: {}; run strata apply again to continue",
                            fmt::join(report.pending, ", "));
    }
    if (!report.status.ok()) detail += "; " + report.status.message();
    dep->set_detail(detail);
    c.set_message(fmt::format("deploy {} seq {} to {} ({})", d.source->name, d.head_seq, d.label,
                              dep->outcome() == pb::DEPLOYMENT_FAILED ? "failed" : "partial"));
  }
  return AppendCommit(ctx, std::move(c));
}

void PrintOutcome(const Context& ctx, const Deploy& d, const ddb::ExecuteReport& report,
                  const StoredCommit& stored, int64_t duration_ms) {
  const pb::Deployment& dep = stored.commit.deployment();
  if (ctx.json) {
    json out = PlanJson(d);
    out["applied"] = {{"outcome", dep.outcome() == pb::DEPLOYMENT_SUCCEEDED ? "succeeded"
                                  : dep.outcome() == pb::DEPLOYMENT_PARTIAL ? "partial"
                                                                            : "failed"},
                      {"operations_done", report.operations_done},
                      {"pending", report.pending},
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
  if (dep.outcome() == pb::DEPLOYMENT_SUCCEEDED) {
    *ctx.out << ctx.Paint(Color::kGreen,
                          fmt::format("Apply complete: {} operation{} in {:.1f} s; {} is at seq {} "
                                      "(recorded as commit {}{}).",
                                      report.operations_done, report.operations_done == 1 ? "" : "s",
                                      duration_ms / 1000.0, d.label, dep.to_seq(),
                                      stored.commit.seq(),
                                      stored.commit.actor().cloud_principal().empty()
                                          ? ""
                                          : ", by " + stored.commit.actor().cloud_principal()))
             << "\n";
  } else if (report.status.ok()) {
    *ctx.out << ctx.Paint(Color::kYellow,
                          fmt::format("Requested: {}. {} still updating; run strata apply again to "
                                      "continue (recorded as commit {}).",
                                      fmt::join(report.done, "; "), fmt::join(report.pending, ", "),
                                      stored.commit.seq()))
             << "\n";
  }
}

// apply's steps after the plan; shared by push.
CommandResult ApplyPlan(Context& ctx, Deploy& d, const DeployFlags& flags, bool ask_approval) {
  if (!ctx.json) PrintPlan(ctx, d);
  if (d.plan.tables.empty()) {
    if (d.unapplied.empty() || flags.dry_run) {
      if (ctx.json) ctx.PrintJson(PlanJson(d));
      return kExitOk;
    }
    // The live tables already match the head: record that the target is there.
    ddb::ExecuteReport none;
    STRATA_ASSIGN_OR_RETURN(StoredCommit stored, RecordDeployment(ctx, d, none, 0));
    PrintOutcome(ctx, d, none, stored, 0);
    return kExitOk;
  }
  if (flags.dry_run) {
    if (ctx.json) {
      json out = PlanJson(d);
      out["dry_run"] = true;
      ctx.PrintJson(out);
    } else {
      *ctx.out << "Dry run: nothing was applied.\n";
    }
    return AnyBlocked(d.plan) ? kExitError : kExitOk;
  }
  STRATA_RETURN_IF_ERROR(Consent(ctx, d, flags, ask_approval));
  const int64_t start = SteadyMillis();
  ddb::ExecuteReport report = Execute(ctx, d, flags.wait);
  const int64_t duration_ms = SteadyMillis() - start;
  auto stored = RecordDeployment(ctx, d, report, duration_ms);
  if (!stored.ok()) {
    Status s = report.status.ok() ? stored.status() : report.status;
    return s.WithContext(fmt::format("{} operation(s) ran, but recording the deployment failed",
                                     report.operations_done));
  }
  PrintOutcome(ctx, d, report, *stored, duration_ms);
  if (!report.status.ok()) {
    return report.status.WithContext(fmt::format(
        "apply stopped after {} of {} operations (recorded as commit {}, outcome {})",
        report.operations_done, OperationCount(d.plan), stored->commit.seq(),
        stored->commit.deployment().outcome() == pb::DEPLOYMENT_FAILED ? "failed" : "partial"));
  }
  return kExitOk;
}

}  // namespace

bool IsDynamoTarget(const Context& ctx, const std::optional<std::string>& target) {
  if (!target) return false;
  auto it = ctx.project.targets.find(*target);
  if (it == ctx.project.targets.end()) return false;
  auto engine = it->second.settings.find("engine");
  return engine != it->second.settings.end() && engine->second == "dynamodb";
}

CommandResult RunPlan(Context& ctx) {
  po::options_description o("plan options");
  AddDeployOptions(o);
  o.add_options()("detailed-exitcode", po::bool_switch(),
                  "exit 3 when changes are pending (unrecorded, unapplied or to make)");
  const DeployFlags flags = ReadDeployFlags(ParseArgs(ctx, o, {}));
  STRATA_ASSIGN_OR_RETURN(Deploy d, Prepare(ctx, flags));
  if (ctx.json) ctx.PrintJson(PlanJson(d));
  else PrintPlan(ctx, d);
  const bool pending = !d.plan.tables.empty() || d.unrecorded > 0 || !d.unapplied.empty();
  return flags.detailed_exitcode && pending ? kExitChanges : kExitOk;
}

CommandResult RunApply(Context& ctx) {
  po::options_description o("apply options");
  AddDeployOptions(o);
  o.add_options()("auto-approve", po::bool_switch(), "do not ask for approval")(
      "dry-run", po::bool_switch(), "show the plan; change nothing")(
      "no-wait", po::bool_switch(),
      "issue what can be issued without waiting for ACTIVE; run apply again to continue");
  const DeployFlags flags = ReadDeployFlags(ParseArgs(ctx, o, {}));
  STRATA_ASSIGN_OR_RETURN(Deploy d, Prepare(ctx, flags));
  return ApplyPlan(ctx, d, flags, /*ask_approval=*/true);
}

CommandResult RunPush(Context& ctx) {
  po::options_description o("push options");
  AddDeployOptions(o);
  o.add_options()("message,m", po::value<std::string>(), "why (recorded in the commit)")(
      "dry-run", po::bool_switch(), "show what would be recorded and applied; change nothing")(
      "no-wait", po::bool_switch(), "do not wait for ACTIVE; run apply again to continue");
  auto vm = ParseArgs(ctx, o, {});
  DeployFlags flags = ReadDeployFlags(vm);
  flags.auto_approve = true;  // push is the development loop; destructive steps still ask
  STRATA_ASSIGN_OR_RETURN(const SchemaSource* source, PickDynamoSchema(ctx, flags.schema));
  if (!flags.dry_run) {
    STRATA_ASSIGN_OR_RETURN(auto history, History::Open(ctx));
    STRATA_ASSIGN_OR_RETURN(Pending p, ComputePending(ctx, *history, *source));
    if (!p.events.empty()) {
      RecordOptions r;
      r.origin = pb::ORIGIN_PUSH;
      if (vm.count("message")) r.message = vm["message"].as<std::string>();
      STRATA_ASSIGN_OR_RETURN(Recorded rec, RecordPending(ctx, p, r));
      if (!ctx.json) {
        DiffSummary s = PrintChanges(ctx, source->name, p.events);
        PrintSummaryLine(ctx, s, fmt::format("Recorded commit {}", rec.stored.commit.seq()));
        *ctx.out << "\n";
      }
    }
  }
  STRATA_ASSIGN_OR_RETURN(Deploy d, Prepare(ctx, flags));
  if (flags.dry_run) {
    // Nothing recorded: plan straight against what the files want.
    STRATA_ASSIGN_OR_RETURN(Pending p, ComputePending(ctx, *d.history, *source));
    d.desired = p.desired.dynamodb();
    STRATA_RETURN_IF_ERROR(ReadLive(ctx, d));
    STRATA_RETURN_IF_ERROR(MakePlan(d, flags));
  }
  return ApplyPlan(ctx, d, flags, /*ask_approval=*/false);
}

CommandResult RunDynamoDrift(Context& ctx) {
  po::options_description o("drift options");
  AddTargetOptions(o);
  o.add_options()("schema", po::value<std::string>(), "which schema source (default: the dynamodb one)")(
      "at", po::value<std::string>(),
      "the recorded point to compare with (default: what the target was last deployed with)");
  auto vm = ParseArgs(ctx, o, {});
  Deploy d;
  STRATA_ASSIGN_OR_RETURN(d.source, PickDynamoSchema(ctx, OptArg(vm, "schema")));
  STRATA_ASSIGN_OR_RETURN(d.target, OpenDynamoTarget(ctx, ReadTargetFlags(vm)));
  d.label = d.target.name.empty() ? d.target.endpoint : d.target.name;
  STRATA_RETURN_IF_ERROR(LoadRecorded(ctx, d));
  uint64_t seq = d.cursor ? d.cursor->seq : d.head_seq;
  if (vm.count("at")) {
    STRATA_ASSIGN_OR_RETURN(seq, d.history->Resolve(vm["at"].as<std::string>()));
  }
  STRATA_ASSIGN_OR_RETURN(pb::DynamoSchema recorded, DynamoSchemaAt(*d.history, d.source->name, seq));
  d.desired = recorded;
  d.deployed = pb::DynamoSchema();
  STRATA_RETURN_IF_ERROR(ReadLive(ctx, d));
  pb::SchemaState want, have;
  want.set_engine(pb::ENGINE_DYNAMODB);
  have.set_engine(pb::ENGINE_DYNAMODB);
  *want.mutable_dynamodb() = recorded;
  *have.mutable_dynamodb() = ddb::SchemaOf(d.live);
  // A target that cannot report tags (DynamoDB Local) is taken to have the recorded ones.
  for (const auto& t : d.live) {
    auto rec = recorded.tables().find(t.table.name());
    auto live = have.mutable_dynamodb()->mutable_tables()->find(t.table.name());
    if (!t.tags_supported && rec != recorded.tables().end() &&
        live != have.mutable_dynamodb()->mutable_tables()->end()) {
      *live->second.mutable_tags() = rec->second.tags();
    }
  }
  // The changes that turn the recorded tables into what the target has.
  STRATA_ASSIGN_OR_RETURN(std::vector<pb::Event> drift, Diff(want, have));
  if (ctx.json) {
    json changes = json::array();
    for (const auto& e : drift) changes.push_back(EventJson(e));
    ctx.PrintJson({{"version", 1}, {"target", d.label}, {"schema", d.source->name}, {"seq", seq},
                   {"drift", !drift.empty()}, {"changes", changes}});
  } else if (drift.empty()) {
    *ctx.out << fmt::format("No drift: the {} recorded table{} of {} match{} the live ones (seq {}).\n",
                            recorded.tables_size(), recorded.tables_size() == 1 ? "" : "s", d.label,
                            recorded.tables_size() == 1 ? "es" : "", seq);
  } else {
    *ctx.out << fmt::format(
        "{} differs from the recorded {} schema at seq {}; what turns the record into the live "
        "tables:\n",
        d.label, d.source->name, seq);
    PrintChanges(ctx, d.source->name, drift);
    *ctx.out << "Run strata apply to bring the tables back to the log, or strata import to "
                "record what they have.\n";
  }
  return drift.empty() ? kExitOk : kExitChanges;
}

}  // namespace strata::cli

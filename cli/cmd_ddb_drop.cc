// strata drop: delete DynamoDB tables strata manages, with consent for each one, and record it.
//
// Steps: which tables (names, or a choice on a terminal), refusals (unmanaged, deletion
// protection, already deleting), a typed confirmation of each name, the deletes, then the log:
// a drop commit for the tables the log has, and a deployment record for the target. The log
// only records what DynamoDB accepted, so it never claims a drop that failed.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "adapters/dynamodb/execute.h"
#include "cli/aws_target.h"
#include "cli/commands.h"
#include "cli/ddb_files.h"
#include "cli/ddb_live.h"
#include "cli/generate.h"
#include "cli/history.h"
#include "cli/table_pick.h"

namespace strata::cli {
namespace po = boost::program_options;
namespace ddb = strata::dynamodb;
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

struct DropFlags {
  TargetFlags target;
  std::vector<std::string> tables;
  bool yes = false;
  bool lift_protection = false;
  bool wait = true;
  std::optional<std::string> message;
};

// Everything the steps share.
struct Drop {
  const SchemaSource* source = nullptr;
  DynamoTarget target;
  std::set<std::string> managed;
  std::map<std::string, ddb::LiveTable> live;  // by name
  std::vector<std::string> chosen;
};

DropFlags ReadFlags(const Context& ctx) {
  po::options_description o("drop options");
  AddTargetOptions(o);
  o.add_options()("tables", po::value<std::vector<std::string>>(), "tables to drop")(
      "yes,y", po::bool_switch(),
      "do not ask to type each table's name (needed without a terminal)")(
      "lift-deletion-protection", po::bool_switch(),
      "turn deletion protection off first for protected tables")(
      "no-wait", po::bool_switch(), "do not wait until the tables are gone")(
      "message,m", po::value<std::string>(), "why (recorded in the commit)");
  po::positional_options_description positional;
  positional.add("tables", -1);
  auto vm = ParseArgs(ctx, o, positional);
  DropFlags f;
  f.target = ReadTargetFlags(vm);
  if (vm.count("tables")) f.tables = vm["tables"].as<std::vector<std::string>>();
  f.yes = vm["yes"].as<bool>();
  f.lift_protection = vm["lift-deletion-protection"].as<bool>();
  f.wait = !vm["no-wait"].as<bool>();
  f.message = OptArg(vm, "message");
  return f;
}

// Step: what is there and what strata manages.
Status Load(const Context& ctx, const DropFlags& flags, Drop& d) {
  STRATA_ASSIGN_OR_RETURN(d.source, PickDynamoSchema(ctx, std::nullopt));
  STRATA_ASSIGN_OR_RETURN(d.target, OpenDynamoTarget(ctx, flags.target));
  STRATA_ASSIGN_OR_RETURN(d.managed, ManagedDynamoTables(ctx));
  std::optional<std::vector<std::string>> only;
  if (!flags.tables.empty()) only = flags.tables;
  STRATA_ASSIGN_OR_RETURN(auto live, ReadLiveTables(ctx, d.target, only));
  for (auto& t : live) {
    std::string name = t.table.name();
    d.live.emplace(std::move(name), std::move(t));
  }
  return Status::Ok();
}

std::string ItemsText(const ddb::LiveTable& t) {
  return fmt::format("{} item{}", t.item_count, t.item_count == 1 ? "" : "s");
}

// Step (terminal, no names given): choose among the managed live tables.
Status Choose(const Context& ctx, Drop& d) {
  std::vector<std::string> candidates, details;
  for (const auto& [name, t] : d.live) {
    if (!d.managed.count(name) || t.status == "DELETING") continue;
    candidates.push_back(name);
    details.push_back(ItemsText(t) +
                      (t.table.deletion_protection() ? ", deletion protection on" : ""));
  }
  if (candidates.empty()) {
    return Status::NotFound(fmt::format(
        "no table on {} is managed by strata; nothing to drop (strata list shows what is there)",
        TargetText(d.target)));
  }
  *ctx.err << fmt::format("Tables strata manages on {}:\n", TargetText(d.target));
  PickOptions o;
  o.question = "Tables to drop";
  o.details = details;
  d.chosen = PickTables(ctx, std::cin, candidates, o);
  if (d.chosen.empty()) return Status::Aborted("no table chosen; nothing was dropped");
  return Status::Ok();
}

// Step: every refusal at once, before anything is deleted.
Status Refusals(const Drop& d, const DropFlags& flags) {
  std::vector<std::string> problems;
  for (const auto& name : d.chosen) {
    const ddb::LiveTable& t = d.live.at(name);
    if (!d.managed.count(name)) {
      problems.push_back(fmt::format(
          "{} is not managed by strata (no schema file defines it and the log never had it); "
          "strata drop only deletes tables it manages (strata import adopts a table)",
          name));
    } else if (t.status == "DELETING") {
      problems.push_back(fmt::format("{} is already being deleted", name));
    } else if (t.table.deletion_protection() && !flags.lift_protection) {
      problems.push_back(fmt::format(
          "{} has deletion protection on; pass --lift-deletion-protection to turn it off and "
          "delete it",
          name));
    }
  }
  if (problems.empty()) return Status::Ok();
  return Status::FailedPrecondition(
      fmt::format("nothing was dropped: {}", fmt::join(problems, "; ")));
}


ddb::ExecuteReport DeleteTables(const Context& ctx, Drop& d, const DropFlags& flags) {
  ddb::DropOptions o;
  o.lift_protection = flags.lift_protection;
  o.wait = flags.wait;
  o.poll_interval_ms = PollIntervalMs(ctx);
  o.sleep = [](int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
  o.now_ms = SteadyMillis;
  o.progress = [&ctx](const ddb::ProgressEvent& e) {
    if (e.phase == "done") return;
    ctx.Note(fmt::format("[{}/{}] {}: {}{}", e.index, e.total, e.table, e.summary,
                         e.phase == "waiting" ? " (waiting)" : ""));
  };
  return ddb::DropTables(*d.target.ddb, d.chosen, o);
}

// The chosen tables DynamoDB agreed to delete: gone, or on their way. Asked of DynamoDB itself
// so that the log never records a drop that did not happen, whatever stopped the run.
Result<std::vector<std::string>> Dropped(Drop& d) {
  std::vector<std::string> dropped;
  for (const auto& name : d.chosen) {
    STRATA_ASSIGN_OR_RETURN(std::optional<ddb::LiveTable> now,
                            ddb::DescribeLiveTable(*d.target.ddb, name));
    if (!now || now->status == "DELETING") dropped.push_back(name);
  }
  return dropped;
}

struct DropRecord {
  std::optional<StoredCommit> drop;  // none when the log had none of the tables
  StoredCommit deployment;
};

// Step: the log. The drop commit holds a DynamoDropTable for each dropped table the log head
// has; the deployment record moves the target's cursor along when it was at the head.
Result<DropRecord> Record(Context& ctx, Drop& d, const std::vector<std::string>& dropped,
                          const DropFlags& flags, int64_t duration_ms) {
  AddCallerToActor(ctx, d.target);
  STRATA_ASSIGN_OR_RETURN(auto history, History::Open(ctx));
  const uint64_t head = history->index().head_seq();
  STRATA_ASSIGN_OR_RETURN(pb::State state, history->index().StateAt(head));
  std::optional<uint64_t> cursor;
  STRATA_ASSIGN_OR_RETURN(auto cursors, history->index().Cursors());
  for (const auto& c : cursors) {
    if (c.target == d.target.Label()) cursor = c.seq;
  }
  const pb::DynamoSchema* recorded = nullptr;
  if (auto it = state.schemas().find(d.source->name); it != state.schemas().end()) {
    recorded = &it->second.dynamodb();
  }
  pb::Commit drop;
  drop.set_origin(pb::ORIGIN_DROP);
  drop.set_schema(d.source->name);
  drop.set_engine(pb::ENGINE_DYNAMODB);
  std::vector<std::string> unrecorded;
  for (const auto& name : dropped) {
    if (recorded == nullptr || !recorded->tables().count(name)) {
      unrecorded.push_back(name);
      continue;
    }
    drop.add_events()->mutable_dynamodb()->mutable_drop_table()->set_table(name);
  }
  drop.set_message(flags.message.value_or(
      fmt::format("drop {} from {}", fmt::join(dropped, ", "), d.target.Label())));
  DropRecord r;
  if (drop.events_size() > 0) {
    STRATA_ASSIGN_OR_RETURN(r.drop, AppendCommit(ctx, std::move(drop)));
  }
  pb::Commit c;
  c.set_origin(pb::ORIGIN_DEPLOY);
  c.set_schema(d.source->name);
  c.set_engine(pb::ENGINE_DYNAMODB);
  c.set_message(fmt::format("drop {} on {}", fmt::join(dropped, ", "), d.target.Label()));
  auto* dep = c.mutable_deployment();
  dep->set_target(d.target.Label());
  dep->set_from_seq(cursor.value_or(0));
  const bool at_head = cursor && *cursor == head;
  dep->set_to_seq(r.drop && at_head ? r.drop->commit.seq() : cursor.value_or(0));
  if (r.drop) dep->set_refers_to_seq(r.drop->commit.seq());
  dep->set_outcome(pb::DEPLOYMENT_SUCCEEDED);
  dep->set_duration_ms(duration_ms);
  std::string detail = fmt::format("dropped {}", fmt::join(dropped, ", "));
  if (!unrecorded.empty())
    detail += fmt::format(" ({} not in the log)", fmt::join(unrecorded, ", "));
  dep->set_detail(detail);
  STRATA_ASSIGN_OR_RETURN(r.deployment, AppendCommit(ctx, std::move(c)));
  return r;
}

// The schema files that still define dropped tables: the next generate would create them again.
std::vector<std::pair<std::string, std::string>> StillDefined(
    const Context& ctx, const Drop& d, const std::vector<std::string>& dropped) {
  std::vector<std::pair<std::string, std::string>> out;
  auto files = DynamoTableFiles(d.source->path);
  if (!files.ok()) return out;
  for (const auto& name : dropped) {
    if (auto it = files->find(name); it != files->end()) {
      out.emplace_back(name, fs::relative(it->second.path, ctx.project.root).string());
    }
  }
  return out;
}

void PrintResult(const Context& ctx, const Drop& d, const std::vector<std::string>& dropped,
                 const DropRecord& r, bool waited) {
  const auto defined = StillDefined(ctx, d, dropped);
  if (ctx.json) {
    json files = json::array();
    for (const auto& [table, file] : defined) files.push_back({{"table", table}, {"file", file}});
    json out = {{"version", 1},
                {"target", TargetJson(d.target)},
                {"schema", d.source->name},
                {"dropped", dropped},
                {"waited", waited},
                {"drop_seq", r.drop ? json(r.drop->commit.seq()) : json()},
                {"deployment_seq", r.deployment.commit.seq()},
                {"still_defined", files}};
    ctx.PrintJson(out);
    return;
  }
  *ctx.out << ctx.Paint(Color::kGreen, fmt::format("{} {} on {}.", waited ? "Dropped" : "Deleting",
                                                   fmt::join(dropped, ", "), TargetText(d.target)))
           << "\n";
  if (r.drop) {
    *ctx.out << fmt::format("Recorded commit {} (drop) and {} (deployment to {}).\n",
                            r.drop->commit.seq(), r.deployment.commit.seq(), d.target.Label());
  } else {
    *ctx.out << fmt::format("The log never recorded {}; recorded the deployment as commit {}.\n",
                            dropped.size() == 1 ? "it" : "them", r.deployment.commit.seq());
  }
  for (const auto& [table, file] : defined) {
    *ctx.out << ctx.Paint(Color::kYellow,
                          fmt::format("{} still defines {}: remove {} or the next strata generate "
                                      "will record creating it again.",
                                      file, table, file))
             << "\n";
  }
}

}  // namespace

CommandResult RunDrop(Context& ctx) {
  const DropFlags flags = ReadFlags(ctx);
  if (!ctx.interactive && (flags.tables.empty() || !flags.yes)) {
    throw UsageError{
        "without a terminal, name the tables and pass --yes: drop deletes every item in them"};
  }
  Drop d;
  STRATA_RETURN_IF_ERROR(Load(ctx, flags, d));
  if (flags.tables.empty()) {
    STRATA_RETURN_IF_ERROR(Choose(ctx, d));
  } else {
    std::set<std::string> seen;
    for (const auto& t : flags.tables) {
      if (seen.insert(t).second) d.chosen.push_back(t);
    }
  }
  STRATA_RETURN_IF_ERROR(Refusals(d, flags));
  if (!flags.yes) {
    STRATA_RETURN_IF_ERROR(ConfirmEachTable(ctx, std::cin, d.chosen, [&d](const std::string& t) {
      return fmt::format("Table {} on {} and its {} will be deleted.", t, d.target.Label(),
                         ItemsText(d.live.at(t)));
    }));
  }
  const int64_t start = SteadyMillis();
  ddb::ExecuteReport report = DeleteTables(ctx, d, flags);
  const int64_t duration_ms = SteadyMillis() - start;
  auto dropped = Dropped(d);
  if (!dropped.ok()) {
    return dropped.status().WithContext(fmt::format(
        "after deleting on {}, checking which tables are gone failed{}; nothing was recorded "
        "(strata list shows what is left)",
        TargetText(d.target), report.status.ok() ? "" : " (" + report.status.message() + ")"));
  }
  if (dropped->empty()) {
    Status why =
        report.status.ok() ? Status::Internal("DynamoDB deleted none of them") : report.status;
    return why.WithContext(fmt::format("nothing was dropped on {}", TargetText(d.target)));
  }
  auto recorded = Record(ctx, d, *dropped, flags, duration_ms);
  if (!recorded.ok()) {
    return recorded.status().WithContext(fmt::format(
        "{} {} dropped on {}, but the log could not record it; remove {} from the schema files "
        "and run strata generate to record the drop",
        fmt::join(*dropped, ", "), dropped->size() == 1 ? "was" : "were", d.target.Label(),
        dropped->size() == 1 ? "its definition" : "their definitions"));
  }
  PrintResult(ctx, d, *dropped, *recorded, flags.wait);
  if (!report.status.ok()) {
    return report.status.WithContext(
        fmt::format("dropped {} (recorded), then stopped", fmt::join(*dropped, ", ")));
  }
  return kExitOk;
}

}  // namespace strata::cli

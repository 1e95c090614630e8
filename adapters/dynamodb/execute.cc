#include "adapters/dynamodb/execute.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <ctime>
#include <optional>

#include "adapters/aws/errors.h"
#include "adapters/dynamodb/errors.h"
#include "adapters/dynamodb/table_extras.h"
#include "adapters/dynamodb/wait.h"

namespace strata::dynamodb {
namespace {

struct RunSettings {
  bool wait = true;
  int64_t poll_interval_ms = 1000;
  int64_t wait_timeout_ms = 0;
  std::function<void(int64_t)> sleep;
  std::function<int64_t()> now_ms;
  std::function<void(const ProgressEvent&)> progress;
  std::function<int64_t()> unix_ms;
};

// DynamoDB refuses a second time-to-live change on a table for up to this long.
constexpr int64_t kTimeToLiveLockMs = 60 * 60 * 1000;

// "after 2026-03-01 13:45 UTC" (an hour from now), or "in an hour" without a clock.
std::string AnHourFromNow(const std::function<int64_t()>& unix_ms) {
  if (!unix_ms) return "in an hour";
  // Rounded up to the next minute so that the time given is never early.
  const std::time_t at = static_cast<std::time_t>((unix_ms() + kTimeToLiveLockMs + 59999) / 60000 * 60);
  std::tm tm{};
  gmtime_r(&at, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M", &tm);
  return fmt::format("after {} UTC", text);
}

// A time-to-live change DynamoDB refused because the table's last one is less than an hour
// old. The service's text for it is not documented; what is documented is that the refusal
// is a ValidationException, and the other ValidationExceptions of UpdateTimeToLive say that
// time to live is already on or off, or that an input is malformed.
bool IsTimeToLiveLock(const Operation& op, const aws::ServiceError& error) {
  if (op.api != "UpdateTimeToLive" || error.code != "ValidationException") return false;
  const std::string& m = error.message;
  return m.find("already") == std::string::npos && m.find("validation error") == std::string::npos;
}

// A failure that says nothing about the table: the service could not be reached (after the
// client's retries) or refused the caller's credentials. Every later table would fail the same
// way, so the run stops there.
bool HitsEveryTable(const Status& status, const aws::ServiceError& error) {
  return status.code() == Code::kUnavailable || aws::IsCredentialsError(error.code);
}

// A table-class change the target does not take: an emulator without table classes (DynamoDB
// Local) ignores the class, finds the UpdateTable empty and says "Nothing to update". The
// service itself never answers a class change so.
bool IsTableClassNotHeld(const Operation& op, const aws::ServiceError& error) {
  return op.api == "UpdateTable" && op.input.contains("TableClass") && op.input.size() == 2 &&
         error.code == "ValidationException" &&
         error.message.find("Nothing to update") != std::string::npos;
}

// Runs the operations of a plan's unblocked tables; one instance per Execute/DropTables.
class Runner {
 public:
  Runner(aws::JsonService& ddb, const RunSettings& settings, ExecuteReport* report)
      : ddb_(ddb), settings_(settings), report_(report) {}

  void Run(const Plan& plan);

 private:
  enum class Outcome { kContinue, kDone, kPending, kFailed };

  void Emit(const std::string& table, const std::string& summary, const std::string& phase) {
    if (settings_.progress) settings_.progress({index_, total_, table, summary, phase});
  }
  Waiter MakeWaiter(const std::string& table) {
    Waiter w;
    w.poll_interval_ms = settings_.poll_interval_ms;
    w.timeout_ms = settings_.wait_timeout_ms;
    w.sleep = settings_.sleep;
    w.now_ms = settings_.now_ms;
    w.on_wait = [this, table](const std::string& what) { Emit(table, what, "waiting"); };
    return w;
  }
  Outcome Fail(Status status) {
    failure_ = std::move(status);
    return Outcome::kFailed;
  }

  Outcome Prepare(const TablePlan& table);
  Result<nlohmann::json> Call(const Operation& op, bool* not_yet, aws::ServiceError* error);
  Status WaitAfter(const Operation& op, const nlohmann::json& answer);
  Outcome RunOne(const Operation& op, bool last);
  Outcome RunTable(const TablePlan& table);

  aws::JsonService& ddb_;
  const RunSettings& settings_;
  ExecuteReport* report_;
  size_t index_ = 0, total_ = 0;
  Status failure_;       // the current table's failure
  bool stop_ = false;    // the failure would hit every table: run no more
};

// Resume: a table left creating, updating or deleting by an earlier run is waited for before
// its first operation. A table to be created must be gone first; a table being deleted by
// an earlier drop only needs that to finish.
Runner::Outcome Runner::Prepare(const TablePlan& t) {
  auto progress = TableProgress(ddb_, t.table);
  if (!progress.ok()) return Fail(progress.status());
  // A table that is missing, or that exists where it should not, fails on its first call
  // with a message naming it.
  if (!progress->has_value() || IsReady(*progress)) return Outcome::kContinue;
  const bool deleting = (*progress)->rfind("DELETING", 0) == 0;
  const bool creates = t.operations.front().api == "CreateTable";
  if (creates && !deleting) return Outcome::kContinue;
  if (!settings_.wait) return Outcome::kPending;
  if (!deleting) {
    Status s = WaitUntilReady(ddb_, t.table, MakeWaiter(t.table));
    return s.ok() ? Outcome::kContinue : Fail(s);
  }
  Status s = WaitUntilGone(ddb_, t.table, MakeWaiter(t.table));
  if (!s.ok()) return Fail(s);
  return t.action == TableAction::kDelete ? Outcome::kDone : Outcome::kContinue;
}

// Calls the operation, retrying the refusals it names as "not yet" until the wait timeout.
// With waits off such a refusal leaves the table pending (`*not_yet`).
Result<nlohmann::json> Runner::Call(const Operation& op, bool* not_yet,
                                    aws::ServiceError* error) {
  const int64_t start = settings_.wait && settings_.now_ms ? settings_.now_ms() : 0;
  while (true) {
    *error = aws::ServiceError();
    auto out = CallTable(ddb_, op.api, op.table, op.input, error);
    const bool retryable =
        !out.ok() && std::find(op.retry_on.begin(), op.retry_on.end(), error->code) !=
                         op.retry_on.end();
    if (!retryable) return out;
    if (!settings_.wait || !settings_.sleep || !settings_.now_ms) {
      *not_yet = true;
      return out;
    }
    if (settings_.now_ms() - start >= settings_.wait_timeout_ms) {
      return out.status().WithContext(
          fmt::format("still refused after {} s", settings_.wait_timeout_ms / 1000));
    }
    Emit(op.table, fmt::format("{} refused for now ({}); trying again", op.api, error->code),
         "waiting");
    settings_.sleep(settings_.poll_interval_ms);
  }
}

Status Runner::WaitAfter(const Operation& op, const nlohmann::json& answer) {
  if (op.wait_for_deleted) return WaitUntilGone(ddb_, op.table, MakeWaiter(op.table));
  if (!op.wait_for_replica.empty()) {
    return WaitForReplica(ddb_, op.table, op.wait_for_replica, op.replica_gone,
                          MakeWaiter(op.table));
  }
  if (op.wait_for_active) return WaitUntilReady(ddb_, op.table, MakeWaiter(op.table));
  if (op.wait_for_recovery) {
    const auto& spec = op.input["PointInTimeRecoverySpecification"];
    const int days = spec.value("PointInTimeRecoveryEnabled", false)
                         ? spec.value("RecoveryPeriodInDays", 35)
                         : 0;
    return WaitForRecovery(ddb_, op.table, days, MakeWaiter(op.table));
  }
  if (op.wait_for_insights) {
    const std::string mode = op.input.value("ContributorInsightsAction", "") == "ENABLE"
                                 ? op.input.value("ContributorInsightsMode", "")
                                 : "";
    return WaitForInsights(ddb_, op.table, op.input.value("IndexName", std::string()), mode,
                           MakeWaiter(op.table));
  }
  if (op.wait_for_kinesis) {
    std::string precision;
    for (const char* key :
         {"EnableKinesisStreamingConfiguration", "UpdateKinesisStreamingConfiguration"}) {
      if (op.input.contains(key)) {
        precision = op.input[key].value("ApproximateCreationDateTimePrecision", "MILLISECOND");
      }
    }
    return WaitForKinesis(ddb_, op.table, op.input.value("StreamArn", std::string()), precision,
                          MakeWaiter(op.table));
  }
  if (op.wait_for_policy) {
    // Put answers the new revision; Delete leaves none.
    const std::string revision =
        op.api == "PutResourcePolicy" ? answer.value("RevisionId", std::string()) : "";
    if (op.api == "PutResourcePolicy" && revision.empty()) return Status::Ok();
    return WaitForPolicy(ddb_, op.table, op.input.value("ResourceArn", std::string()), revision,
                         MakeWaiter(op.table));
  }
  return Status::Ok();
}

Runner::Outcome Runner::RunOne(const Operation& op, bool last) {
  ++index_;
  Emit(op.table, op.summary, "start");
  bool not_yet = false;
  aws::ServiceError error;
  auto out = Call(op, &not_yet, &error);
  if (not_yet) {
    --index_;  // not issued: it runs when the table is resumed
    return Outcome::kPending;
  }
  if (!out.ok() && IsTimeToLiveLock(op, error)) {
    report_->notes.push_back(fmt::format(
        "{}: {} was refused: DynamoDB takes one time-to-live change per table an hour and the "
        "last one is more recent (its words: {}); run strata apply again within the hour",
        op.table, op.summary, error.message));
    return Outcome::kPending;
  }
  if (!out.ok() && IsTableClassNotHeld(op, error)) {
    report_->notes.push_back(fmt::format(
        "{}: table class left alone: the target does not keep table classes (it answered "
        "\"{}\" to {})",
        op.table, error.message, op.summary));
    return Outcome::kContinue;
  }
  if (!out.ok() && (op.wait_for_insights || op.wait_for_kinesis) &&
      IsUnsupportedOperation(error)) {
    // A new table on a target without these settings: nothing to compare with beforehand.
    report_->notes.push_back(fmt::format(
        "{}: {} left out: the target does not support {}", op.table, op.summary, op.api));
    return Outcome::kContinue;
  }
  if (!out.ok()) {
    stop_ = HitsEveryTable(out.status(), error);
    return Fail(out.status().WithContext(
        fmt::format("table {}: {} ({})", op.table, op.summary, op.api)));
  }
  ++report_->operations_done;
  report_->done.push_back(op.table + ": " + op.summary);
  Emit(op.table, op.summary, "done");
  const bool waits = op.wait_for_active || op.wait_for_deleted || op.wait_for_recovery ||
                     op.wait_for_policy || op.wait_for_insights || op.wait_for_kinesis ||
                     !op.wait_for_replica.empty();
  if (!waits) return Outcome::kContinue;
  if (!settings_.wait) return last ? Outcome::kContinue : Outcome::kPending;
  Status s = WaitAfter(op, *out);
  return s.ok() ? Outcome::kContinue : Fail(s);
}

Runner::Outcome Runner::RunTable(const TablePlan& t) {
  Outcome prepared = Prepare(t);
  if (prepared == Outcome::kDone) {
    report_->done.push_back(t.table + ": deleted (by an earlier run)");
    return Outcome::kDone;
  }
  if (prepared != Outcome::kContinue) return prepared;
  for (size_t i = 0; i < t.operations.size(); ++i) {
    const Operation& op = t.operations[i];
    if (!op.held.empty()) {
      report_->notes.push_back(fmt::format(
          "{}: {} is held: DynamoDB takes one time-to-live change per table an hour; run strata "
          "apply again {}",
          t.table, op.summary, AnHourFromNow(settings_.unix_ms)));
      return Outcome::kPending;
    }
    Outcome o = RunOne(op, i + 1 == t.operations.size());
    if (o != Outcome::kContinue) return o;
    if (op.api == "UpdateTable" && op.input.value("DeletionProtectionEnabled", true) == false &&
        t.action == TableAction::kDelete) {
      report_->notes.push_back(fmt::format(
          "{}: deletion protection turned off to delete the table, with consent", t.table));
    }
  }
  return Outcome::kContinue;
}

void Runner::Run(const Plan& plan) {
  report_->status = Status::Ok();
  for (const auto& t : plan.tables) {
    if (!t.blocked) total_ += t.operations.size();
  }
  std::vector<std::string> failures;
  for (const auto& t : plan.tables) {
    TableOutcome outcome{t.table, "", "", 0, t.operations.size()};
    if (t.blocked) {
      report_->skipped.push_back(t.table + ": " + t.blocked_reason);
      outcome.result = "skipped";
      outcome.detail = t.blocked_reason;
      report_->tables.push_back(std::move(outcome));
      continue;
    }
    if (t.operations.empty()) continue;
    if (stop_) {
      outcome.result = "not run";
      outcome.detail = "the run stopped at an earlier failure";
      report_->tables.push_back(std::move(outcome));
      continue;
    }
    const size_t before = index_;
    const size_t notes_before = report_->notes.size();
    const size_t done_before = report_->operations_done;
    failure_ = Status::Ok();
    Outcome o = RunTable(t);
    outcome.steps_done = report_->operations_done - done_before;
    if (o == Outcome::kFailed) {
      outcome.result = "failed";
      outcome.detail = failure_.message();
      failures.push_back(failure_.message());
      if (report_->status.ok()) report_->status = failure_;
    } else if (o == Outcome::kPending) {
      outcome.result = "pending";
      outcome.detail = report_->notes.size() > notes_before
                           ? report_->notes.back()
                           : "still updating; run strata apply again to continue";
      report_->pending.push_back(t.table);
    } else {
      outcome.result = "done";
    }
    if (o != Outcome::kContinue) {
      total_ -= t.operations.size() - (index_ - before);  // what was not issued never runs
    }
    report_->tables.push_back(std::move(outcome));
  }
  if (failures.size() > 1) {
    report_->status = Status(report_->status.code(),
                             fmt::format("{} tables failed: {}", failures.size(),
                                         fmt::join(failures, "; ")));
  }
}

// Drop: each table is checked before anything is deleted.
struct DropTarget {
  std::string name;
  bool protected_ = false;
  std::vector<std::string> replicas;  // regions of its replicas (global tables)
};

Result<DropTarget> CheckDrop(aws::JsonService& ddb, const std::string& name) {
  auto out = CallTable(ddb, "DescribeTable", name, {{"TableName", name}});
  if (!out.ok()) return out.status();
  auto table = out->find("Table");
  DropTarget target{name, false, {}};
  if (table != out->end() && table->is_object()) {
    target.protected_ = table->value("DeletionProtectionEnabled", nlohmann::json()) == true;
    for (const auto& r : table->value("Replicas", nlohmann::json::array())) {
      if (r.is_object()) target.replicas.push_back(r.value("RegionName", ""));
    }
  }
  return target;
}

TablePlan DropPlan(const DropTarget& target) {
  TablePlan t;
  t.table = target.name;
  t.action = TableAction::kDelete;
  if (target.protected_) {
    Operation lift;
    lift.table = target.name;
    lift.api = "UpdateTable";
    lift.input = {{"TableName", target.name}, {"DeletionProtectionEnabled", false}};
    lift.summary = "turn off deletion protection to drop the table";
    lift.wait_for_active = true;
    t.operations.push_back(std::move(lift));
  }
  Operation del;
  del.table = target.name;
  del.api = "DeleteTable";
  del.input = {{"TableName", target.name}};
  del.summary = "delete table " + target.name;
  del.wait_for_deleted = true;
  del.destructive = true;
  t.operations.push_back(std::move(del));
  return t;
}

Status CheckAll(aws::JsonService& ddb, const std::vector<std::string>& names, bool lift,
                Plan* plan) {
  std::vector<std::string> protected_names;
  for (const auto& name : names) {
    STRATA_ASSIGN_OR_RETURN(DropTarget target, CheckDrop(ddb, name));
    if (!target.replicas.empty()) {
      return Status::FailedPrecondition(fmt::format(
          "table {} has replicas in {}; nothing was dropped. strata drop does not remove "
          "replicas: remove the table file and run strata generate, then strata apply "
          "--allow-replica-removal {} (the replicas go first, then the table)",
          name, fmt::join(target.replicas, ", "), name));
    }
    if (target.protected_) protected_names.push_back(name);
    plan->tables.push_back(DropPlan(target));
  }
  if (protected_names.empty() || lift) return Status::Ok();
  return Status::FailedPrecondition(fmt::format(
      "deletion protection is enabled on {} {}; nothing was dropped. Turn it off first, or "
      "lift it as part of the drop (strata drop --lift-deletion-protection)",
      protected_names.size() == 1 ? "table" : "tables", fmt::join(protected_names, ", ")));
}

}  // namespace

ExecuteReport Execute(aws::JsonService& ddb, const Plan& plan, const ExecuteOptions& options) {
  ExecuteReport report;
  RunSettings settings{options.wait,  options.poll_interval_ms, options.wait_timeout_ms,
                       options.sleep, options.now_ms,           options.progress,
                       options.unix_ms};
  Runner(ddb, settings, &report).Run(plan);
  return report;
}

ExecuteReport DropTables(aws::JsonService& ddb, const std::vector<std::string>& names,
                         const DropOptions& options) {
  ExecuteReport report;
  Plan plan;
  report.status = CheckAll(ddb, names, options.lift_protection, &plan);
  if (!report.status.ok()) return report;
  RunSettings settings{options.wait,  options.poll_interval_ms, options.wait_timeout_ms,
                       options.sleep, options.now_ms,           options.progress,
                       {}};
  Runner(ddb, settings, &report).Run(plan);
  return report;
}

}  // namespace strata::dynamodb

#include "adapters/glue/execute.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <set>

#include "adapters/aws/errors.h"
#include "adapters/glue/introspect.h"
#include "adapters/glue/table_input.h"

namespace strata::glue {
namespace {

// Whether a refusal means the operation's goal is already reached.
bool AlreadyDone(const Operation& op, const aws::ServiceError& error) {
  return (op.api == "CreateDatabase" && error.code == "AlreadyExistsException") ||
         (op.api == "DeleteTable" && IsEntityNotFound(error));
}

class Runner {
 public:
  Runner(const Catalog& catalog, const ProgressFn& progress, backend::ExecuteReport* report)
      : catalog_(catalog), progress_(progress), report_(report) {}

  void Run(const std::vector<ObjectPlan>& objects) {
    report_->status = Status::Ok();
    for (const auto& o : objects) {
      if (!o.blocked) total_ += o.operations.size();
    }
    std::set<std::string> failed_databases;
    std::vector<std::string> failures;
    for (const auto& o : objects) {
      backend::ObjectOutcome outcome{o.object, "", "", 0, o.operations.size()};
      const std::string database = o.object.substr(0, o.object.find('.'));
      if (o.blocked) {
        outcome.result = "skipped";
        outcome.detail = o.blocked_reason;
      } else if (o.operations.empty()) {
        continue;
      } else if (stop_) {
        outcome.result = "not run";
        outcome.detail = "the run stopped at an earlier failure";
      } else if (failed_databases.count(database) != 0) {
        outcome.result = "not run";
        outcome.detail = fmt::format("database {} failed", database);
      } else {
        outcome.result = "done";
        for (const auto& op : o.operations) {
          if (!RunOne(op)) {
            outcome.result = "failed";
            outcome.detail = failure_.message();
            failures.push_back(failure_.message());
            if (report_->status.ok()) report_->status = failure_;
            if (o.object == database) failed_databases.insert(database);
            break;
          }
          ++outcome.steps_done;
        }
      }
      report_->objects.push_back(std::move(outcome));
    }
    if (failures.size() > 1) {
      report_->status = Status(report_->status.code(),
                               fmt::format("{} objects failed: {}", failures.size(),
                                           fmt::join(failures, "; ")));
    }
  }

 private:
  void Emit(const Operation& op, const char* phase) {
    if (progress_) progress_({index_, total_, op.object, op.summary, phase});
  }

  bool RunOne(const Operation& op) {
    ++index_;
    Emit(op, "start");
    aws::ServiceError error;
    auto out = CallGlue(catalog_, op.api, op.object, op.input, &error);
    if (!out.ok() && !AlreadyDone(op, error)) {
      // Unreachable, or the caller refused: every later object would fail the same way.
      stop_ = out.status().code() == Code::kUnavailable || aws::IsCredentialsError(error.code);
      failure_ =
          out.status().WithContext(fmt::format("{}: {} ({})", op.object, op.summary, op.api));
      return false;
    }
    ++report_->operations_done;
    report_->done.push_back(op.object + ": " + op.summary);
    Emit(op, "done");
    return true;
  }

  const Catalog& catalog_;
  const ProgressFn& progress_;
  backend::ExecuteReport* report_;
  size_t index_ = 0, total_ = 0;
  Status failure_;     // the current object's failure
  bool stop_ = false;  // the failure would hit every object: run no more
};

// Every table to drop, checked before anything is deleted.
Result<std::vector<ObjectPlan>> DropPlans(const Catalog& catalog,
                                          const std::vector<std::string>& names) {
  std::vector<ObjectPlan> plans;
  for (const auto& given : names) {
    const std::string name = Lower(given);  // as Glue stores it
    auto [db, table] = SplitObject(name);
    if (table.empty()) return Status::FailedPrecondition(DatabaseDropRefusal(name));
    STRATA_ASSIGN_OR_RETURN(std::optional<LiveTable> live, ReadTable(catalog, db, table));
    if (!live) {
      return Status::NotFound(
          fmt::format("table {} does not exist; nothing was dropped", name));
    }
    ObjectPlan p;
    p.object = name;
    p.action = backend::Action::kDelete;
    p.operations.push_back({name, "DeleteTable",
                            {{"DatabaseName", live->glue_database()}, {"Name", live->glue_name()}},
                            "delete table " + name, true});
    plans.push_back(std::move(p));
  }
  return plans;
}

}  // namespace

std::string DatabaseDropRefusal(const std::string& name) {
  return fmt::format(
      "{} is a database: strata never deletes Glue databases (Glue would delete every table in "
      "it); drop its tables by name (strata drop {}.TABLE), then delete the database yourself "
      "if it should go",
      name, name);
}

backend::ExecuteReport Execute(const Catalog& catalog, const Plan& plan,
                               const ProgressFn& progress) {
  backend::ExecuteReport report;
  Runner(catalog, progress, &report).Run(plan.objects);
  return report;
}

backend::ExecuteReport DropTables(const Catalog& catalog, const std::vector<std::string>& names,
                                  const ProgressFn& progress) {
  backend::ExecuteReport report;
  auto plans = DropPlans(catalog, names);
  if (!plans.ok()) {
    report.status = plans.status();
    return report;
  }
  Runner(catalog, progress, &report).Run(*plans);
  return report;
}

}  // namespace strata::glue

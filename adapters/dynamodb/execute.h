// Execution: runs a Plan's operations against DynamoDB in order, waiting where DynamoDB needs
// the table and its indexes ACTIVE (or the table gone) before the next step.
//
// Tables are handled one after another, each table's operations in plan order; a table whose
// step fails is left there and the next table goes on. A table that
// is not ACTIVE when execution reaches it (left updating by an earlier run) is waited for
// first. With wait=false nothing waits: each table runs up to its first step that would have
// to wait and is reported pending, to be resumed by planning and executing again. A `held`
// operation (a second time-to-live change) is never issued in the run that planned it, and
// a time-to-live change the service refuses within its hour leaves the table pending too,
// with a note saying when to run again. Time and
// sleeping come in through the options (no clock is read here). Blocking: runs on the
// calling thread; progress callbacks run on it too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "adapters/aws/json_service.h"
#include "adapters/dynamodb/plan.h"
#include "engine/status.h"

namespace strata::dynamodb {

struct ProgressEvent {
  size_t index = 0, total = 0;  // 1-based operation number among those that will run
  std::string table, summary;   // for "waiting": what it waits for
  std::string phase;            // "start" | "waiting" | "done"
};

struct ExecuteOptions {
  bool wait = true;  // false (--no-wait): issue what can be issued, report the rest pending
  int64_t poll_interval_ms = 1000;
  int64_t wait_timeout_ms = 30 * 60 * 1000;  // per wait
  std::function<void(int64_t ms)> sleep;     // required when wait is true
  std::function<int64_t()> now_ms;           // required when wait is true
  std::function<void(const ProgressEvent&)> progress;  // may be empty
  // Wall-clock time (Unix ms), to say when a held step can run; may be empty ("in an hour").
  std::function<int64_t()> unix_ms;
};

// What became of one table of the plan.
struct TableOutcome {
  std::string table;
  std::string result;  // "done" | "failed" | "pending" | "skipped" (blocked) | "not run"
  std::string detail;  // failed: the error; skipped: why; pending: what it waits for
  size_t steps_done = 0, steps = 0;
};

struct ExecuteReport {
  // Ok, or every table's failure. A failure on one table does not stop the others: tables are
  // independent. Only a failure that would hit every table (the service unreachable, the
  // credentials refused) stops the run; the tables after it are "not run".
  Status status;
  size_t operations_done = 0;
  std::vector<std::string> done;     // "TABLE: summary" of each completed operation
  std::vector<std::string> pending;  // tables left with operations not yet issued (wait=false)
  std::vector<std::string> skipped;  // "TABLE: reason" of blocked tables, which never run
  // "TABLE: ..." facts to record with the deployment: protection lifted to delete a table,
  // a step held for a later run and when it can run.
  std::vector<std::string> notes;
  std::vector<TableOutcome> tables;  // one per table with steps or blocked, in plan order
};

ExecuteReport Execute(aws::JsonService& ddb, const Plan& plan, const ExecuteOptions& options);

struct DropOptions {
  bool lift_protection = false;  // turn deletion protection off first instead of refusing
  bool wait = true;              // wait until each table is gone before the next
  int64_t poll_interval_ms = 1000;
  int64_t wait_timeout_ms = 30 * 60 * 1000;
  std::function<void(int64_t ms)> sleep;
  std::function<int64_t()> now_ms;
  std::function<void(const ProgressEvent&)> progress;
};

// Deletes the named tables (DeleteTable each, in the order given). Checks them all first:
// a missing table is NotFound, and a table with deletion protection is FailedPrecondition
// naming it unless lift_protection is set (then UpdateTable turns protection off just before
// its DeleteTable); a table with replicas is FailedPrecondition naming them and the apply that
// removes them; nothing is deleted when a check fails.
ExecuteReport DropTables(aws::JsonService& ddb, const std::vector<std::string>& names,
                         const DropOptions& options);

}  // namespace strata::dynamodb

// Planning: the typed changes (engine Diff) between the live tables and the desired schema,
// projected onto DynamoDB API calls with DynamoDB's rules.
//
//   - at most one global index created or deleted per UpdateTable, each followed by a wait
//     for the table and all its indexes to be ACTIVE;
//   - billing/throughput, stream, table class and deletion protection each in their own
//     UpdateTable; a stream changes view type by being disabled, then enabled;
//   - time to live through UpdateTimeToLive once the table is ACTIVE; tags through
//     TagResource/UntagResource (new tables carry them in CreateTable);
//   - point-in-time recovery through UpdateContinuousBackups (a new table gets it once ACTIVE);
//     the resource policy through PutResourcePolicy/DeleteResourcePolicy, addressed by the
//     table's ARN (a new table carries it in CreateTable);
//   - a key schema or local index change is a replace (DeleteTable, wait until gone,
//     CreateTable, wait), destructive, and blocked without per-table consent.
// Only managed tables are ever touched. Pure: no calls are made (docs/dynamodb-apply.md).
#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/dynamodb/introspect.h"
#include "engine/status.h"
#include "proto/dynamodb.pb.h"

namespace strata::dynamodb {

struct Operation {
  std::string table;
  std::string api;  // CreateTable | UpdateTable | DeleteTable | UpdateTimeToLive |
                    // UpdateContinuousBackups | PutResourcePolicy | DeleteResourcePolicy |
                    // TagResource | UntagResource
  nlohmann::json input;
  std::string summary;           // one line for people: "add global index by_email"
  bool wait_for_active = false;  // wait for the table and its indexes to be ACTIVE afterwards
  bool wait_for_deleted = false; // wait until the table is gone afterwards (DeleteTable)
  bool destructive = false;      // deletes data (DeleteTable, replace)
  // Wait until DescribeContinuousBackups shows the change (UpdateContinuousBackups).
  bool wait_for_recovery = false;
  // Wait until GetResourcePolicy shows the change (Put/DeleteResourcePolicy).
  bool wait_for_policy = false;
  // Refusals that only mean "not yet" for this call, retried every poll interval until the
  // wait timeout: another policy update of the table in the last 15 s; backups still being
  // switched on for a table just created.
  std::vector<std::string> retry_on;
};

enum class TableAction { kCreate, kUpdate, kReplace, kDelete };

// "create", "update", "replace", "delete".
std::string_view TableActionName(TableAction action);

struct TablePlan {
  std::string table;
  TableAction action = TableAction::kUpdate;
  std::vector<pb::DynamoChange> changes;  // the typed changes (engine Diff), for display
  std::vector<Operation> operations;      // in order
  std::string replace_reason;             // why a replace is needed (key schema, LSI change)
  // Nothing runs for a blocked table: a replace without consent, or a delete of a table
  // with deletion protection. `blocked_reason` says which and what to do.
  bool blocked = false;
  std::string blocked_reason;
  std::vector<std::string> notes;  // things people should know ("tags left alone: ...")
};

struct Plan {
  std::vector<TablePlan> tables;       // by table name
  std::vector<std::string> unmanaged;  // live tables strata does not manage (never touched)
  bool empty() const { return tables.empty(); }
};

struct PlanOptions {
  // Tables in the schema files or the log: only these may be created, changed or deleted.
  std::set<std::string> managed;
  std::set<std::string> allow_replace;  // consent to replace these tables (drops their data)
};

// desired: the schema to reach (log head). live: what the target has now (ListLiveTables).
// A live table being deleted counts as absent. Returns InvalidArgument when the engine cannot
// diff the two schemas (a desired table that is not valid).
Result<Plan> PlanChanges(const std::vector<LiveTable>& live, const pb::DynamoSchema& desired,
                         const PlanOptions& options);

// The operations for one table's changes, given its live state (null when it does not
// exist). Exposed for tests; PlanChanges uses it.
std::vector<Operation> OperationsFor(const LiveTable* live,
                                     const std::vector<pb::DynamoChange>& changes);

}  // namespace strata::dynamodb

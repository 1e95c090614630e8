// Planning: the typed changes (engine Diff) between the live tables and the desired schema,
// projected onto DynamoDB API calls with DynamoDB's rules.
//
//   - at most one global index created or deleted per UpdateTable, each followed by a wait
//     for the table and all its indexes to be ACTIVE;
//   - billing/throughput, stream, table class and deletion protection each in their own
//     UpdateTable; a stream changes view type by being disabled, then enabled;
//   - encryption, the table's on-demand maximum and its warm throughput each in their own
//     UpdateTable, then each index's, one index per call; warm throughput only ever goes up,
//     so a schema asking for less than the table has is blocked;
//   - time to live through UpdateTimeToLive once the table is ACTIVE; tags through
//     TagResource/UntagResource (new tables carry them in CreateTable);
//   - a new time-to-live attribute is two UpdateTimeToLive calls at least an hour apart (the
//     service takes one change per table an hour): off now, on in a later run (`held`);
//   - point-in-time recovery through UpdateContinuousBackups (a new table gets it once ACTIVE);
//     the resource policy through PutResourcePolicy/DeleteResourcePolicy, addressed by the
//     table's ARN (a new table carries it in CreateTable);
//   - contributor insights through UpdateContributorInsights, one call for the table and one
//     per global index (a new table or index gets them once ACTIVE); Kinesis destinations
//     through Enable/Disable/UpdateKinesisStreamingDestination, one call per stream;
//   - a key schema or local index change is a replace (DeleteTable, wait until gone,
//     CreateTable, wait), destructive, and blocked without per-table consent;
//   - a table with deletion protection is deleted only with per-table consent to lift it
//     (UpdateTable turning protection off, wait, DeleteTable); otherwise it is blocked;
//   - replicas (global tables 2019.11.21): one replica Create or Delete per UpdateTable, each
//     followed by a wait for the table and that replica to be ACTIVE (or gone); removals come
//     before the stream or billing they need changes, additions after; a table with replicas
//     loses them before it is deleted or replaced. Removing a replica deletes its items in that
//     region: blocked without consent for the table or the replica. A replica in the target's
//     own region, or a stream change while replicas stay, is blocked.
// Only managed tables are ever touched. Pure: no calls are made (docs/dynamodb-apply.md).
#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/dynamodb/introspect.h"
#include "adapters/dynamodb/live_settings.h"
#include "engine/status.h"
#include "proto/dynamodb.pb.h"

namespace strata::dynamodb {

struct Operation {
  std::string table;
  std::string api;  // CreateTable | UpdateTable | DeleteTable | UpdateTimeToLive |
                    // UpdateContinuousBackups | PutResourcePolicy | DeleteResourcePolicy |
                    // UpdateContributorInsights | Enable/Disable/UpdateKinesisStreamingDestination |
                    // TagResource | UntagResource
  nlohmann::json input;
  std::string summary;           // one line for people: "add global index by_email"
  bool wait_for_active = false;  // wait for the table and its indexes to be ACTIVE afterwards
  bool wait_for_deleted = false; // wait until the table is gone afterwards (DeleteTable)
  bool destructive = false;      // deletes data (DeleteTable, replace)
  // Not issued in the run that issues the operations before it: DynamoDB refuses a second
  // UpdateTimeToLive on a table for up to an hour after the first, so turning time to live on
  // for a new attribute waits for a later run. `held` says why, for the plan.
  std::string held;
  // Wait until DescribeContinuousBackups shows the change (UpdateContinuousBackups).
  bool wait_for_recovery = false;
  // Wait until GetResourcePolicy shows the change (Put/DeleteResourcePolicy).
  bool wait_for_policy = false;
  // Wait until DescribeContributorInsights shows the change (UpdateContributorInsights).
  bool wait_for_insights = false;
  // Wait until DescribeKinesisStreamingDestination shows the change (Enable, Update or
  // DisableKinesisStreamingDestination).
  bool wait_for_kinesis = false;
  // Wait until the table and the replica in this region are ACTIVE, or the replica is gone
  // when `replica_gone` (UpdateTable with ReplicaUpdates).
  std::string wait_for_replica;
  bool replica_gone = false;
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
  // Tells which KMS key a table file's key name stands for; null: names compared as written.
  KeyNames* keys = nullptr;
  // Consent to turn deletion protection off on these tables so that they can be deleted.
  std::set<std::string> lift_protection;
  // Consent to delete replicas (and their items in those regions): "TABLE" for all of a
  // table's replicas, "TABLE:REGION" for one.
  std::set<std::string> allow_replica_removal;
  // The target's region: a table is never its own replica there. Empty: not checked.
  std::string region;
};

// desired: the schema to reach (log head). live: what the target has now (ListLiveTables).
// A live table being deleted counts as absent. Returns InvalidArgument when the engine cannot
// diff the two schemas (a desired table that is not valid).
Result<Plan> PlanChanges(const std::vector<LiveTable>& live, const pb::DynamoSchema& desired,
                         const PlanOptions& options);

// The operations for one table's changes, given its live state (null when it does not
// exist). A delete of a protected table turns protection off first when `lift_protection`.
// Exposed for tests; PlanChanges uses it.
std::vector<Operation> OperationsFor(const LiveTable* live,
                                     const std::vector<pb::DynamoChange>& changes,
                                     bool lift_protection = false);

}  // namespace strata::dynamodb

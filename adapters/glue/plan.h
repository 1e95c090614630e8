// Planning: the typed changes (engine Diff) between the live catalog and the desired schema,
// projected onto Glue API calls with Glue's rules.
//
//   - a desired database the catalog lacks is created (CreateDatabase) before its tables;
//     databases are never changed or deleted: schema files describe tables only, and Glue
//     deletes a database's tables with it;
//   - a new table is one CreateTable;
//   - a changed table is one UpdateTable carrying the whole table, read-modify-write
//     (table_input.h), and the VersionId it was read at, so that a table someone changed in
//     between is refused instead of overwritten; nothing is sent when the TableInput would not
//     change (each UpdateTable archives a table version, and Glue keeps at most 100,000);
//   - what UpdateTable cannot do is a replace (DeleteTable, then CreateTable with the same
//     read-modify-write input), destructive and blocked without per-table consent: new
//     partition keys for a table that has partitions. Columns of an Iceberg table are blocked:
//     they live in its metadata file, which UpdateTable does not change. A renamed table is
//     a delete and a create;
//   - a managed table the desired schema no longer has is deleted (DeleteTable).
// Names are compared as Glue stores them, in lower case (desired names, `managed` and
// `allow_replace` are folded first), and every name sent is lower case.
// Only managed objects are touched: tables strata never managed are never planned. Pure but
// for the partition probe, which is asked only about tables whose columns or partition keys
// change and that have partition keys.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "adapters/backend/backend.h"
#include "adapters/glue/introspect.h"
#include "engine/status.h"
#include "proto/glue.pb.h"

namespace strata::glue {

struct Operation {
  std::string object;  // "sales" or "sales.orders"
  std::string api;     // CreateDatabase | CreateTable | UpdateTable | DeleteTable
  nlohmann::json input;
  std::string summary;
  bool destructive = false;  // deletes a table (and its partitions) from the catalog
};

struct ObjectPlan {
  std::string object;
  backend::Action action = backend::Action::kUpdate;
  std::vector<pb::GlueChange> changes;  // the typed changes (engine Diff), for display
  std::vector<Operation> operations;    // in order
  std::string replace_reason;
  bool blocked = false;  // nothing runs; `blocked_reason` says why and what to do
  std::string blocked_reason;
  std::vector<std::string> notes;
};

struct Plan {
  std::vector<ObjectPlan> objects;     // by object name: a database before its tables
  std::vector<std::string> unmanaged;  // live tables strata does not manage, never touched
};

struct PlanOptions {
  std::set<std::string> managed;        // objects that may be created, changed or deleted
  std::set<std::string> allow_replace;  // consent to replacing these tables
  // What the target was last deployed with (null: never, or unknown): parameter keys it had
  // are strata's to remove (parameters.h).
  const pb::GlueSchema* deployed = nullptr;
  // Whether a live table has partitions. Required when a table with partition keys changes
  // columns or partition keys.
  std::function<Result<bool>(const LiveTable&)> has_partitions;
};

// The plan that brings `live` to `desired`. InvalidArgument when the engine finds a change
// invalid (a desired table that is not valid); the partition probe's failure.
Result<Plan> PlanChanges(const LiveCatalog& live, const pb::GlueSchema& desired,
                         const PlanOptions& options);

}  // namespace strata::glue

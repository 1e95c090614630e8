// Introspection: the DynamoDB tables a target has now, as strata models them, plus what only
// the live service knows (status, index status, item count, ARN).
//
// ListLiveTables reads every table with DescribeTable, DescribeTimeToLive,
// DescribeContinuousBackups, GetResourcePolicy and ListTagsOfResource, concurrently (bounded by IntrospectOptions::max_concurrency). The tables
// come back canonical (engine/state/canonical.h) and sorted by name, so a schema built from
// them diffs cleanly against the log. Thread-compatible; the JsonService must be thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/aws/json_service.h"
#include "adapters/dynamodb/table_extras.h"
#include "engine/status.h"
#include "proto/dynamodb.pb.h"

namespace strata::dynamodb {

struct LiveTable {
  pb::DynamoTable table;  // canonical, as strata models it
  std::string status;     // CREATING | UPDATING | ACTIVE | DELETING | ARCHIVING | ...
  // GSI name -> CREATING | UPDATING | DELETING | ACTIVE; "CREATING (backfilling)" while
  // DynamoDB fills a new index. Indexes being deleted are listed here but left out of `table`.
  std::map<std::string, std::string> index_status;
  // Replica region -> CREATING | CREATION_FAILED | UPDATING | DELETING | ACTIVE | ...; replicas
  // being deleted are listed here but left out of `table`. A replica that is not ACTIVE has its
  // ReplicaStatusDescription (when DynamoDB gives one) in `replica_problems`.
  std::map<std::string, std::string> replica_status;
  std::map<std::string, std::string> replica_problems;
  int64_t item_count = 0, size_bytes = 0;
  std::string arn;
  // False when the target cannot tag tables (some DynamoDB-compatible servers answer
  // ListTagsOfResource with UnknownOperationException): `table.tags` is then empty and says
  // nothing, and planning leaves tags alone.
  bool tags_supported = true;
  // Settings DynamoDB is still applying after the table reads ACTIVE: "encryption UPDATING",
  // "warm throughput UPDATING", "index by_email warm throughput UPDATING".
  std::vector<std::string> busy_settings;
  // False when the target has no point-in-time recovery or no resource policies
  // (UnknownOperationException): the table's value then says nothing, and planning leaves
  // that setting alone.
  bool recovery_supported = true;
  bool policy_supported = true;
  // Likewise for contributor insights (DescribeContributorInsights) and Kinesis streaming
  // destinations (DescribeKinesisStreamingDestination); moto has neither.
  bool insights_supported = true;
  bool kinesis_supported = true;
  // Settings the live table has that strata does not manage (live_fields.h), e.g.
  // "SSEDescription": a table file made from this table would not recreate them.
  std::vector<std::string> unmanaged;

  // ACTIVE, with every global index and replica ACTIVE and no setting still being applied: the
  // state in which DynamoDB accepts the next UpdateTable.
  bool Ready() const;
};

struct IntrospectOptions {
  int max_concurrency = 16;                      // tables being read at once
  std::optional<std::vector<std::string>> only;  // just these tables (missing ones left out)
  // Called after each table is read, never concurrently; may be empty.
  std::function<void(size_t done, size_t total)> progress;
};

// Every table (all ListTables pages, or `only`), sorted by name. A table deleted while it is
// being read is left out. Returns the first failure with the table named (errors.h).
Result<std::vector<LiveTable>> ListLiveTables(aws::JsonService& ddb,
                                              const IntrospectOptions& options);

// The names of every table (all ListTables pages), sorted; nothing is described.
Result<std::vector<std::string>> ListTableNames(aws::JsonService& ddb);

// One table; nullopt when it does not exist.
Result<std::optional<LiveTable>> DescribeLiveTable(aws::JsonService& ddb,
                                                   const std::string& name);

// The tables as a schema (the `table` of each), for Diff.
pb::DynamoSchema SchemaOf(const std::vector<LiveTable>& tables);

// The projection of DescribeTable's "Table" object (plus DescribeTimeToLive's
// "TimeToLiveDescription", and the tags) onto a LiveTable, exposed for tests. Returns
// InvalidArgument naming the table and the field when DynamoDB answers something strata
// cannot model (an unknown attribute type, billing mode, ...).
Result<LiveTable> LiveTableFromDescription(const nlohmann::json& table,
                                           const nlohmann::json& time_to_live,
                                           const std::map<std::string, std::string>& tags);

// Adds what DescribeContinuousBackups and GetResourcePolicy said to `live`: recovery counts as
// on while ENABLED or ENABLING, and the policy is normalised (InvalidArgument naming the table
// when it is not a policy document). Exposed for tests.
Status AddExtras(const RecoveryState& recovery, const PolicyState& policy, LiveTable* live);

// Adds contributor insights (the table's, and each global index's by name) and the Kinesis
// destinations to `live`: insights count as on while ENABLED or ENABLING (in the mode the
// service names, its default when none); a destination counts while ENABLING, ACTIVE or
// UPDATING (DISABLED, DISABLING and ENABLE_FAILED ones are not the table's). Exposed for tests.
void AddStreamingExtras(const InsightsState& table,
                        const std::map<std::string, InsightsState>& indexes,
                        const KinesisState& kinesis, LiveTable* live);

// Where the target cannot report contributor insights or Kinesis destinations, takes them
// from `known` (the desired or recorded table) so that nothing is planned or reported for them.
void TakeUnreportedSettings(const LiveTable& t, const pb::DynamoTable& known,
                            pb::DynamoTable* live);

}  // namespace strata::dynamodb

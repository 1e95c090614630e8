// FakeDynamoDb: an in-memory DynamoDB control plane behind the JsonService seam, strict
// where the real service is strict, so the adapter's projection rules are checked without a
// server.
//
// It keeps each table as its DescribeTable answer and enforces what the adapter must honour:
// one global index created or deleted per UpdateTable, no UpdateTable while the table or an
// index is not ACTIVE, a stream cannot be enabled twice, time to live cannot switch attribute
// in one call nor change again within an hour of its last change (with `now_ms` set),
// deletion protection blocks DeleteTable, CreateTable rejects fields it does not know, warm
// throughput never goes down, on-demand maxima only on on-demand tables, and an encryption or
// warm throughput change shares its UpdateTable with nothing else. Transient statuses
// (CREATING, UPDATING, DELETING, and SSEDescription and WarmThroughput UPDATING after a
// change) last `transient_describes` DescribeTable calls; no UpdateTable is accepted
// meanwhile. KMS keys are reported by ARN (FakeKeyArn). Point-in-time recovery shows ENABLING
// for `transient_describes` DescribeContinuousBackups calls. Resource policies are kept with a
// revision id, CreateTable attaches one, and updates within the 15 s block are refused
// (policy_block_calls). Contributor insights (table and each index) show ENABLING or
// DISABLING, and Kinesis destinations ENABLING, UPDATING or DISABLING, for
// `transient_describes` describe calls of their own, refusing another change of the same
// insights or stream meanwhile (ResourceInUseException); an ENABLE can be made to end FAILED
// (insights_fail) and an enable to end ENABLE_FAILED (kinesis_fail).
// Global table replicas (2019.11.21) are kept as Replicas[]: one Create
// or Delete per UpdateTable and with nothing else, never the local `region`, only on an
// on-demand table with a NEW_AND_OLD_IMAGES stream, no stream change and no DeleteTable while
// replicas exist; a replica is CREATING, UPDATING or DELETING for `transient_describes`
// DescribeTable calls (the table UPDATING meanwhile), and one in `failing_replica_region` ends
// CREATION_FAILED. Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/aws/json_service.h"

namespace strata::testing {

// The key ARN the fakes report for a key id, key ARN, alias name or alias ARN.
std::string FakeKeyArn(const std::string& name);

// KMS DescribeKey over FakeKeyArn; counts its calls.
class FakeKms : public aws::JsonService {
 public:
  Result<nlohmann::json> Call(std::string_view operation, const nlohmann::json& input,
                              aws::ServiceError* error) override;
  std::string_view service() const override { return "kms"; }
  int calls = 0;
};

class FakeDynamoDb : public aws::JsonService {
 public:
  struct Recorded {
    std::string operation;
    nlohmann::json input;
  };

  Result<nlohmann::json> Call(std::string_view operation, const nlohmann::json& input,
                              aws::ServiceError* error) override;
  std::string_view service() const override { return "dynamodb"; }

  // Knobs, set before use.
  int transient_describes = 0;  // DescribeTable calls a transient status lasts
  bool tagging = true;          // false: tag operations are unknown (an emulator without tags)
  int list_page_size = 100;     // ListTables page size cap
  // The clock of the one-hour rule: UpdateTimeToLive on a table is refused with a
  // ValidationException within an hour of its last successful one. Empty: no such rule.
  std::function<int64_t()> now_ms;
  bool backups = true;          // false: continuous-backup operations are unknown
  bool policies = true;         // false: resource-policy operations are unknown
  // After a successful policy update (CreateTable with a policy, Put, Delete), this many
  // following Put/DeleteResourcePolicy calls on the table are refused as the service refuses
  // updates within 15 s of the last one (ResourceInUseException; the service's exact code for
  // this refusal is not documented, and this is one of those PutResourcePolicy lists).
  int policy_block_calls = 0;
  bool insights = true;        // false: contributor-insights operations are unknown
  bool kinesis = true;         // false: Kinesis streaming-destination operations are unknown
  std::string insights_fail;   // non-empty: an ENABLE ends FAILED with this FailureException
  std::string kinesis_fail;    // non-empty: an enable ends ENABLE_FAILED with this description
  std::string region = "us-east-1";   // the table's own region, never a replica
  std::string failing_replica_region;  // a replica created here ends CREATION_FAILED

  // Makes the next call of `operation` fail with `code` and `message`.
  void FailNext(const std::string& operation, const std::string& code, const std::string& message);

  std::vector<Recorded> calls() const;
  // Just the mutating calls (not Describe*/List*/Get*), as "Operation" strings.
  std::vector<std::string> mutations() const;
  size_t count(const std::string& operation) const;
  bool has_table(const std::string& name) const;
  // The stored DescribeTable "Table" object (a copy).
  nlohmann::json table(const std::string& name) const;
  // Changes a stored table behind the adapter's back.
  void Edit(const std::string& name, const std::function<void(nlohmann::json&)>& edit);
  // Creates a table directly (CreateTable input), already ACTIVE.
  void Seed(const nlohmann::json& create_input);

 private:
  struct TableRec {
    nlohmann::json desc;                 // DescribeTable "Table"
    nlohmann::json ttl;                  // DescribeTimeToLive "TimeToLiveDescription"
    std::optional<int64_t> ttl_changed_ms;  // when UpdateTimeToLive last succeeded (now_ms)
    std::map<std::string, std::string> tags;
    int countdown = 0;                   // describes left in the table's transient status
    int settings_countdown = 0;          // describes left for encryption / warm throughput
    std::map<std::string, int> index_countdown;
    int recovery_days = 0;       // 0: point-in-time recovery off
    int recovery_countdown = 0;  // DescribeContinuousBackups calls left showing ENABLING
    std::string policy;          // empty: none
    int policy_revision = 0;
    int policy_blocked = 0;      // policy updates still refused
    struct Insights {
      std::string status = "DISABLED";  // the status it settles in
      std::string mode;
      int countdown = 0;  // describes left showing ENABLING / DISABLING
    };
    std::map<std::string, Insights> insights;  // "" for the table, else the index name
    struct Destination {
      std::string status;  // ACTIVE, DISABLED or ENABLE_FAILED once settled
      std::string precision;
      std::string passing;  // ENABLING, UPDATING or DISABLING while countdown > 0
      int countdown = 0;
    };
    std::map<std::string, Destination> kinesis;  // by stream ARN
    std::map<std::string, int> replica_countdown;  // region -> describes left in its status
  };

  Result<nlohmann::json> Dispatch(const std::string& op, const nlohmann::json& in);
  Result<nlohmann::json> ListTables(const nlohmann::json& in);
  Result<nlohmann::json> DescribeTable(const nlohmann::json& in);
  Result<nlohmann::json> CreateTable(const nlohmann::json& in);
  Result<nlohmann::json> UpdateTable(const nlohmann::json& in);
  Result<nlohmann::json> DeleteTable(const nlohmann::json& in);
  Result<nlohmann::json> DescribeTimeToLive(const nlohmann::json& in);
  Result<nlohmann::json> UpdateTimeToLive(const nlohmann::json& in);
  Result<nlohmann::json> Tags(const std::string& op, const nlohmann::json& in);
  Result<nlohmann::json> Backups(const std::string& op, const nlohmann::json& in);
  Result<nlohmann::json> Policy(const std::string& op, const nlohmann::json& in);
  Result<nlohmann::json> Insights(const std::string& op, const nlohmann::json& in);
  Result<nlohmann::json> Kinesis(const std::string& op, const nlohmann::json& in);
  Result<TableRec*> Find(const nlohmann::json& in);
  void Advance(const std::string& name);
  Status UpdateSettings(const nlohmann::json& in, TableRec* t);
  Status UpdateReplicas(const nlohmann::json& in, TableRec* t);
  void AdvanceReplicas(TableRec* t);
  Status UpdateIndexes(const nlohmann::json& updates, const nlohmann::json& definitions,
                       TableRec* t);

  mutable std::mutex mu_;
  std::map<std::string, TableRec> tables_;
  std::vector<Recorded> calls_;
  std::map<std::string, std::pair<std::string, std::string>> fail_next_;
  std::string error_code_, error_message_;  // of the call being handled
};

}  // namespace strata::testing

// Waiting for DynamoDB: polls DescribeTable until a table and all its global indexes are
// ACTIVE, or until the table is gone; DescribeContinuousBackups, GetResourcePolicy,
// DescribeContributorInsights and DescribeKinesisStreamingDestination until a change of
// recovery, policy, insights or Kinesis destination shows; with injected sleep and clock.
//
// Each wait gives up after `timeout_ms` with a message saying what it still saw. `on_wait`
// hears what is being waited for each time that changes (not on every poll).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "adapters/aws/json_service.h"
#include "engine/status.h"

namespace strata::dynamodb {

struct Waiter {
  int64_t poll_interval_ms = 1000;
  int64_t timeout_ms = 30 * 60 * 1000;
  std::function<void(int64_t ms)> sleep;
  std::function<int64_t()> now_ms;
  std::function<void(const std::string& what)> on_wait;  // may be empty
};

// What DescribeTable says about a table's progress: "ACTIVE", or e.g.
// "UPDATING; index by_email CREATING; replica eu-west-1 CREATING"; nullopt when the table does
// not exist.
Result<std::optional<std::string>> TableProgress(aws::JsonService& ddb, const std::string& table);

// True when TableProgress reads exactly "ACTIVE".
inline bool IsReady(const std::optional<std::string>& progress) {
  return progress.has_value() && *progress == "ACTIVE";
}

// Polls until the table and its indexes are ACTIVE. NotFound when the table disappears,
// FailedPrecondition after the timeout, InvalidArgument when sleep or now_ms is missing.
Status WaitUntilReady(aws::JsonService& ddb, const std::string& table, const Waiter& waiter);

// Polls until the table is ACTIVE (indexes and other replicas included) and the replica in
// `region` is ACTIVE, or no longer listed when `gone` (a replica just deleted). A replica not
// listed yet after its Create counts as being created. FailedPrecondition with DynamoDB's
// ReplicaStatusDescription when the replica is CREATION_FAILED; otherwise as WaitUntilReady.
Status WaitForReplica(aws::JsonService& ddb, const std::string& table, const std::string& region,
                      bool gone, const Waiter& waiter);

// Polls until DescribeTable says the table does not exist. Same errors as WaitUntilReady.
Status WaitUntilGone(aws::JsonService& ddb, const std::string& table, const Waiter& waiter);

// Polls DescribeContinuousBackups until point-in-time recovery is ENABLED with `days` (or
// DISABLED when `days` is 0); ENABLING is waited through. Same errors as WaitUntilReady.
Status WaitForRecovery(aws::JsonService& ddb, const std::string& table, int days,
                       const Waiter& waiter);

// Polls GetResourcePolicy until it answers `revision` (a policy just put), or answers that
// there is no policy when `revision` is empty (a policy just deleted): policy changes are
// eventually consistent, and the next plan must see this one. Same errors as WaitUntilReady.
Status WaitForPolicy(aws::JsonService& ddb, const std::string& table, const std::string& arn,
                     const std::string& revision, const Waiter& waiter);

// Polls DescribeContributorInsights until the table's (`index` empty) or the index's insights
// are ENABLED in `mode` (or DISABLED when `mode` is empty); ENABLING and DISABLING are waited
// through. FAILED is FailedPrecondition with the service's FailureException and what to do.
// Otherwise the same errors as WaitUntilReady.
Status WaitForInsights(aws::JsonService& ddb, const std::string& table, const std::string& index,
                       const std::string& mode, const Waiter& waiter);

// Polls DescribeKinesisStreamingDestination until the stream is ACTIVE with `precision` (or
// DISABLED, or no longer listed, when `precision` is empty); ENABLING, UPDATING and DISABLING
// are waited through. ENABLE_FAILED is FailedPrecondition with the service's
// DestinationStatusDescription. Otherwise the same errors as WaitUntilReady.
Status WaitForKinesis(aws::JsonService& ddb, const std::string& table,
                      const std::string& stream_arn, const std::string& precision,
                      const Waiter& waiter);

}  // namespace strata::dynamodb

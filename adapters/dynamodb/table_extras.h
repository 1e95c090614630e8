// The table settings DescribeTable does not show, each read with its own call:
// point-in-time recovery (DescribeContinuousBackups), the resource-based policy
// (GetResourcePolicy), contributor insights (DescribeContributorInsights, per table and per
// global index) and Kinesis streaming destinations (DescribeKinesisStreamingDestination). Used by introspection and by the waits after changing them.
// Thread-compatible; the JsonService must be thread-safe.
#pragma once

#include <string>
#include <vector>

#include "adapters/aws/json_service.h"
#include "engine/status.h"

namespace strata::dynamodb {

struct RecoveryState {
  // ENABLED, ENABLING or DISABLED as DescribeContinuousBackups says (the service documents
  // ENABLED and DISABLED, and shows ENABLING while recovery is being turned on).
  std::string status = "DISABLED";
  int days = 0;  // the recovery period while ENABLED or ENABLING
  // False when the target has no continuous backups (UnknownOperationException): then
  // nothing is known and planning leaves recovery alone.
  bool supported = true;
  // Recovery counts as on while ENABLED or ENABLING: the change was asked for.
  bool on() const { return status == "ENABLED" || status == "ENABLING"; }
};

struct PolicyState {
  std::string policy;    // the document as the service returned it; empty: no policy
  std::string revision;  // the service's revision id, compared as a string
  bool supported = true; // false: the target has no resource policies
};

struct InsightsState {
  // ENABLING, ENABLED, DISABLING, DISABLED or FAILED, as DescribeContributorInsights says.
  std::string status = "DISABLED";
  std::string mode;     // ContributorInsightsMode; empty when the answer names none
  std::string failure;  // FailureException's name and description, when FAILED
  // False when the target has no contributor insights (UnknownOperationException, or an
  // emulator's HTML error page): planning then leaves insights alone.
  bool supported = true;
  // On while ENABLED or ENABLING: the change was asked for.
  bool on() const { return status == "ENABLED" || status == "ENABLING"; }
};

struct KinesisDestinationState {
  std::string stream_arn;
  std::string status;     // ENABLING, ACTIVE, DISABLING, DISABLED, ENABLE_FAILED, UPDATING
  std::string precision;  // MILLISECOND or MICROSECOND ("" when the answer names none)
  std::string description;  // DestinationStatusDescription
};

struct KinesisState {
  std::vector<KinesisDestinationState> destinations;  // as listed, DISABLED ones included
  bool supported = true;  // as for InsightsState
};

// True when a refusal says the target does not have the API at all: DynamoDB-compatible
// servers answer UnknownOperationException; moto answers an HTML error page.
bool IsUnsupportedOperation(const aws::ServiceError& error);

// NotFound when the table does not exist; other failures with the table named.
Result<RecoveryState> ReadRecovery(aws::JsonService& ddb, const std::string& table);

// `arn` addresses the table (the service takes the ARN; some servers take the name as well).
// No policy (PolicyNotFoundException) is an empty policy; NotFound when the table is missing.
Result<PolicyState> ReadPolicy(aws::JsonService& ddb, const std::string& table,
                               const std::string& arn);

// Contributor insights of the table (`index` empty) or one global index. NotFound when the
// table (or index) does not exist.
Result<InsightsState> ReadInsights(aws::JsonService& ddb, const std::string& table,
                                   const std::string& index);

// Every Kinesis streaming destination the table lists. NotFound when the table is missing.
Result<KinesisState> ReadKinesis(aws::JsonService& ddb, const std::string& table);

}  // namespace strata::dynamodb

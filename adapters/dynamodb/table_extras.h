// The table settings DescribeTable does not show, each read with its own call:
// point-in-time recovery (DescribeContinuousBackups) and the resource-based policy
// (GetResourcePolicy). Used by introspection and by the waits after changing them.
// Thread-compatible; the JsonService must be thread-safe.
#pragma once

#include <string>

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

// NotFound when the table does not exist; other failures with the table named.
Result<RecoveryState> ReadRecovery(aws::JsonService& ddb, const std::string& table);

// `arn` addresses the table (the service takes the ARN; some servers take the name as well).
// No policy (PolicyNotFoundException) is an empty policy; NotFound when the table is missing.
Result<PolicyState> ReadPolicy(aws::JsonService& ddb, const std::string& table,
                               const std::string& arn);

}  // namespace strata::dynamodb

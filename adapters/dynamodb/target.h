// A DynamoDB target: one endpoint and region reached through an AWS session (credentials,
// retries, endpoint overrides: adapters/aws), read with introspect.h, changed with plan.h and
// execute.h. Settings, in order of precedence: the flags (already applied to the spec), the
// target's strata.yaml settings, then the AWS environment, which the session resolves.
#pragma once

#include <memory>

#include "adapters/aws/json_service.h"
#include "adapters/aws/session.h"
#include "adapters/backend/backend.h"
#include "adapters/dynamodb/introspect.h"
#include "adapters/dynamodb/live_settings.h"

namespace strata::dynamodb {

// The settings a dynamodb target may have (anything else is most likely a typo, and a typo in
// `endpoint` would send requests to AWS itself).
const std::vector<backend::SettingInfo>& TargetSettings();

// Opens the session and the DynamoDB client; makes no request. InvalidArgument naming the
// target for a setting strata does not know; the session's errors (bad profile, no region).
Result<std::unique_ptr<backend::Target>> OpenTarget(const backend::TargetSpec& spec,
                                                    const backend::Services& services);

// What a DynamoDB target has now: its tables with their live details.
class DynamoLive : public backend::Live {
 public:
  // `keys` (may be null) tells KMS key names apart when the live tables are put in a base's terms.
  explicit DynamoLive(std::vector<LiveTable> tables, std::shared_ptr<KeyNames> keys = nullptr);
  pb::SchemaState Schema(const pb::SchemaState* base) const override;
  const std::vector<backend::LiveObject>& Objects() const override { return objects_; }
  const std::vector<LiveTable>& tables() const { return tables_; }

 private:
  std::vector<LiveTable> tables_;
  std::vector<backend::LiveObject> objects_;
  std::shared_ptr<KeyNames> keys_;
};

}  // namespace strata::dynamodb

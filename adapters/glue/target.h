// A Glue target: one Data Catalog (the caller's own, or another account's by catalog_id) in
// one region, reached through an AWS session (credentials, retries, endpoint overrides:
// adapters/aws) as Glue's awsJson1.1 API, read with introspect.h, changed with plan.h and
// execute.h. Settings, in order of precedence: the flags (already applied to the spec), the
// target's strata.yaml settings, then the AWS environment, which the session resolves.
#pragma once

#include <memory>
#include <vector>

#include "adapters/backend/backend.h"
#include "adapters/glue/introspect.h"

namespace strata::glue {

// The settings a glue target may have (anything else is most likely a typo, and a typo in
// `endpoint` would send requests to AWS itself).
const std::vector<backend::SettingInfo>& TargetSettings();

// Opens the session and the Glue client; makes no request. InvalidArgument naming the target
// for a setting strata does not know; the session's errors (bad profile, no region).
Result<std::unique_ptr<backend::Target>> OpenTarget(const backend::TargetSpec& spec,
                                                    const backend::Services& services);

// What a Glue target has now: its databases and tables.
//
// Objects are the databases ("sales", marked kDatabaseMark) and the tables ("sales.orders").
// Schema() holds each database by name only (strata neither manages nor reads a database's
// properties: those of `base` are kept) and each table's model, in which a server-managed
// parameter `base` has is kept (parameters.h).
class GlueLive : public backend::Live {
 public:
  explicit GlueLive(LiveCatalog catalog);
  pb::SchemaState Schema(const pb::SchemaState* base) const override;
  const std::vector<backend::LiveObject>& Objects() const override { return objects_; }
  const LiveCatalog& catalog() const { return catalog_; }

 private:
  LiveCatalog catalog_;
  std::vector<backend::LiveObject> objects_;
};

// The mark a database carries in backend::LiveObject::marks (drop refuses it).
inline constexpr char kDatabaseMark[] = "database";

}  // namespace strata::glue

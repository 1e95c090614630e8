// The lines people read about PostgreSQL security changes (`log`, `diff`, `blame`, plans):
// "enable row level security", "create policy tenant_isolation (SELECT to app_user)",
// "privileges: grant SELECT to app_user". Other changes read as the backend's default.
#pragma once

#include <optional>

#include "adapters/backend/backend.h"
#include "proto/postgres.pb.h"

namespace strata::postgres {

// The text and sign of a security change; nullopt for any other change.
std::optional<backend::ChangeText> DescribeSecurityChange(const pb::PostgresChange& change);

}  // namespace strata::postgres

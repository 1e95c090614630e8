// Shared by the postgres_validate*.cc files (not a public contract): validation of security
// state (postgres_validate_security.cc), with the messages ValidatePostgresChange promises.
#pragma once

#include <string_view>

#include "engine/state/targets.h"
#include "engine/status.h"
#include "proto/commit.pb.h"

namespace strata {

// Every grant and revoke names a grantee, a grantor and a privilege that objects of `kind`
// have, and none appears twice. `where` prefixes the problem ("column email ").
Status ValidatePgAcl(const PgTarget& t, const pb::PgAcl& acl, pb::PgObjectKind kind,
                     std::string_view where = "");
// A table's policies and ACL (CreateTable carries them).
Status ValidatePgTableSecurity(const PgTarget& t, const pb::PgTable& table);
// SetRowSecurity, CreatePolicy, DropPolicy, SetAcl and SetDefaultPrivileges.
Status ValidatePgSecurityChange(const PgTarget& t, const pb::PostgresChange& c);

}  // namespace strata

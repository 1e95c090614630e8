// Row-level security, policies, privileges (ACLs) and default privileges.
#include "adapters/postgres/introspect_internal.h"

namespace strata::postgres::introspect {

Status ReadSecurity(Session&, const IntrospectOptions&, Catalog*) { return Status::Ok(); }

}  // namespace strata::postgres::introspect

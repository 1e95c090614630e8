// UNLOGGED, storage parameters, view options, inheritance, foreign tables and servers, event triggers and aggregates.
#include "adapters/postgres/introspect_internal.h"

namespace strata::postgres::introspect {

Status ReadStorage(Session&, const IntrospectOptions&, Catalog*) { return Status::Ok(); }

}  // namespace strata::postgres::introspect

// Partitioned tables and partitions: partition keys, bounds, partition indexes.
#include "adapters/postgres/introspect_internal.h"

namespace strata::postgres::introspect {

Status ReadPartitions(Session&, const IntrospectOptions&, Catalog*) { return Status::Ok(); }

}  // namespace strata::postgres::introspect

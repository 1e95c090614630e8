// The events of one captured migration, from the catalog before and after it.
//
// The catalog knows identity (OIDs, column attnums) where the model only has names, so a
// rename is recorded as a rename: history and blame follow the object across it, and no
// column is dropped and added again because its neighbour was renamed. Pairing goes schema,
// then relations, types and functions, then columns (parents before their partitions and
// inheriting tables, which PostgreSQL renames along), then indexes, constraints, triggers and
// policies. Whatever the renames leave is diffed by name; an index, constraint or trigger
// that the diff would drop and create again but that kept its OID (its text changed because
// something it names was renamed) gets one SetDefinition instead.
#pragma once

#include <vector>

#include "adapters/postgres/introspect.h"
#include "engine/status.h"
#include "proto/commit.pb.h"

namespace strata::postgres {

// A catalog as read, kept: the model and the identity of what is in it.
struct CatalogSnapshot {
  pb::PostgresSchema schema;
  CatalogIdentity identity;
};

// The same by reference, so that a capture need not copy the model it keeps.
struct CatalogView {
  const pb::PostgresSchema& schema;
  const CatalogIdentity& identity;
};

// Renames, then the rest. Errors only from the engine (a bug: the result always applies to
// `before.schema` and gives `after.schema`).
Result<std::vector<pb::Event>> MigrationEvents(CatalogView before, CatalogView after);

}  // namespace strata::postgres

// Diff: the typed events that turn one schema state into another.
//
// The law, property-tested: for canonical states a and b of the same engine,
// Apply(a, Diff(a, b)) == b, and Diff(a, a) is empty. Output order is deterministic (sorted
// by object name, drops of dependents before their owners' changes), so diffs never flap.
#pragma once

#include <vector>

#include "engine/status.h"
#include "proto/commit.pb.h"

namespace strata {

// Both states must be of the same engine (or one of them empty); InvalidArgument otherwise.
Result<std::vector<pb::Event>> Diff(const pb::SchemaState& a, const pb::SchemaState& b);

// Per-engine halves, each in its own file; they append to `out`.
void DiffDynamo(const pb::DynamoSchema& a, const pb::DynamoSchema& b, std::vector<pb::Event>* out);
void DiffGlue(const pb::GlueSchema& a, const pb::GlueSchema& b, std::vector<pb::Event>* out);
void DiffPostgres(const pb::PostgresSchema& a, const pb::PostgresSchema& b,
                  std::vector<pb::Event>* out);

}  // namespace strata

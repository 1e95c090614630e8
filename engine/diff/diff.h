// Diff: the typed events that turn one schema state into another.
//
// The law, property-tested: for canonical states a and b of the same engine,
// Apply(a, Diff(a, b)) == b, and Diff(a, a) is empty. Output order is deterministic (sorted
// by object name, drops of dependents before their owners' changes), so diffs never flap.
#pragma once

#include <functional>
#include <vector>

#include "engine/status.h"
#include "proto/commit.pb.h"

namespace strata {

// Both states must be of the same engine (or one of them empty); InvalidArgument otherwise.
Result<std::vector<pb::Event>> Diff(const pb::SchemaState& a, const pb::SchemaState& b);

// The same events, handed to `sink` a batch at a time in the same order, so that what is held
// at once grows with a batch instead of with the whole difference (a diff across thousands of
// tables holds a copy of every created table otherwise). A batch holds whole objects: every
// event of one object arrives in one batch. DynamoDB tables are independent, so their events
// come about `batch_objects` tables at a time; the other engines order events across objects
// (dependents first) and send theirs in one batch. A sink's error ends the diff and is returned.
//
// With `part` set, only that part of the objects: DynamoDB tables are cut into `part.count`
// runs of about equal length in name order, and the other engines' single batch belongs to
// part 0. Parts may run on different threads; their batches, joined in part order, are those
// of the whole diff.
using DiffSink = std::function<Status(std::vector<pb::Event>& batch)>;
struct DiffPart {
  size_t index = 0;
  size_t count = 1;
};
Status DiffInBatches(const pb::SchemaState& a, const pb::SchemaState& b, size_t batch_objects,
                     const DiffSink& sink, DiffPart part = {});

// Per-engine halves, each in its own file; they append to `out`.
void DiffDynamo(const pb::DynamoSchema& a, const pb::DynamoSchema& b, std::vector<pb::Event>* out);
// The same for the tables of `part`, `out` handed to `sink` (and emptied) after every
// `batch_tables` tables that gave events, and at the end when it holds any.
Status DiffDynamoInBatches(const pb::DynamoSchema& a, const pb::DynamoSchema& b,
                           size_t batch_tables, const DiffSink& sink, DiffPart part = {});
void DiffGlue(const pb::GlueSchema& a, const pb::GlueSchema& b, std::vector<pb::Event>* out);
void DiffPostgres(const pb::PostgresSchema& a, const pb::PostgresSchema& b,
                  std::vector<pb::Event>* out);

}  // namespace strata

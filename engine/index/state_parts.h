// StateParts: a replayed state left in the two parts that two threads restored it in.
//
// A whole-state restore parses half of a checkpoint's blocks on each of two threads, each into
// a state of its own, and joining the two moves every table of one into the other: a pass over
// thousands of map entries that a reader of per-table output (`show`) has no need for. A
// DynamoDB schema split by table name can stay in two parts through a replay too, as each of
// its events changes one table. Plain functions; a StateParts is used from one thread.
#pragma once

#include <string>

#include "engine/status.h"
#include "proto/commit.pb.h"

namespace strata {

// A state in two parts that hold no object twice: `first` holds every schema, except that the
// DynamoDB tables of schema `split_schema` whose names sort at or after `pivot` (byte order)
// are in `second`'s schema of that name. Every table of that schema in `first` sorts before
// every table in `second`, so per-table output of `first` then `second` is the whole schema's.
// With no split, `second` is null and `first` is the state. Both live on one arena (or both on
// the heap), so joining them moves tables without copying.
struct StateParts {
  pb::State* first = nullptr;
  pb::State* second = nullptr;
  std::string split_schema;
  std::string pivot;
};

// Moves `parts.second`'s tables into `parts.first`, which then holds the whole state (and is
// returned); `parts` is left with no split.
pb::State* JoinParts(StateParts& parts);

// ApplyCommit(commit, joined state, kDiscard) for a state in parts: each event of the split
// schema goes to the part its table lives in (or will), every other commit to `first`. Same
// result and same failure message ("commit 12 event 3: ...") as on the joined state.
Status ApplyCommitToParts(const pb::Commit& commit, StateParts* parts);

}  // namespace strata

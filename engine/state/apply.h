// Apply: the pure function that moves a schema state forward by one typed event.
//
// Apply never reads a clock, a file or the network; the same state and event always give the
// same result. On failure (an impossible event: dropping a missing table, adding a column
// that exists, an event of another engine) it returns a non-Ok Status naming the object and
// leaves the state exactly as it was. States are kept canonical (see proto comments), so two
// states are equal exactly when MessageDifferencer::Equals says so.
#pragma once

#include "engine/status.h"
#include "proto/commit.pb.h"

namespace strata {

// Applies one event to one schema source's state. `state->engine()` may be UNSPECIFIED for a
// schema that has never seen an event; it is then set from the event.
Status Apply(const pb::Event& event, pb::SchemaState* state);

// What ApplyCommit leaves behind when an event fails.
enum class OnFailure {
  kRestore,  // `state` exactly as it was: each touched object is saved before its first change
  kDiscard,  // `state` part-way through the commit; for replays that drop it on any error
};

// Applies every event of `commit` to `state->schemas()[commit.schema()]` and sets
// `state->seq()`. All or nothing by default: on failure `state` is unchanged. A replay that
// abandons its state on the first error (verify, time travel) passes kDiscard and skips the
// per-object copies, which otherwise dominate replay time.
Status ApplyCommit(const pb::Commit& commit, pb::State* state,
                   OnFailure on_failure = OnFailure::kRestore);

// Per-engine halves, each in its own file. Same contract as Apply.
Status ApplyDynamo(const pb::DynamoChange& change, pb::DynamoSchema* schema);
Status ApplyGlue(const pb::GlueChange& change, pb::GlueSchema* schema);
Status ApplyPostgres(const pb::PostgresChange& change, pb::PostgresSchema* schema);

// The engine an event belongs to (UNSPECIFIED for an empty event).
pb::Engine EngineOf(const pb::Event& event);

}  // namespace strata

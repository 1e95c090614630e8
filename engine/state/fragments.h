// Fragments: a schema state cut into one piece per top-level object, and put back together.
//
// Checkpoints store one row per object so that time travel for one object reads only that
// object's row. A fragment is a serialized pb::SchemaState holding just that object (a Glue
// table's fragment holds its database with only that table); object names are those of
// engine/state/objects.h. MergeFragment(Split(s)) == s for every canonical state s.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/status.h"
#include "proto/commit.pb.h"

namespace strata {

// (object name, serialized fragment) pairs; an empty schema gives one ("", engine-only) pair.
// With `shares` > 1, only share number `share` of them: objects are dealt to the shares in
// turn, so that threads splitting one schema share the work, and together the shares hold
// each fragment once (the engine-only pair goes to share 0). Thread-safe for distinct shares
// of the same state.
std::vector<std::pair<std::string, std::string>> SplitSchema(const pb::SchemaState& state,
                                                             size_t share = 0, size_t shares = 1);

// Merges one fragment into `into`. Corruption when the bytes do not parse.
Status MergeFragment(std::string_view bytes, pb::SchemaState* into);

// The same merge for an already parsed fragment.
void MergeFragment(const pb::SchemaState& fragment, pb::SchemaState* into);

// Moves the objects of `from` into `into`, when each was merged from a different set of the
// same schema's fragments (two halves of a checkpoint restored apart). `from` is left empty
// or hollow. Objects move without copying when both live on the same arena (or both on the
// heap); a Glue database's own settings come from whichever side held its fragment.
void MergeDisjoint(pb::SchemaState* from, pb::SchemaState* into);

// The top-level object names of `state` (those SplitSchema uses), sorted.
std::vector<std::string> ObjectNames(const pb::SchemaState& state);
// Just the named objects of `state`, with what they live in (a Glue table's database); the
// engine is kept even when none of them is there.
pb::SchemaState SelectObjects(const pb::SchemaState& state, const std::set<std::string>& names);

}  // namespace strata

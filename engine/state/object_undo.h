// ObjectUndo: copies of a few top-level objects of a schema, to put back after a failed change.
//
// ApplyCommit applies a commit's events in place (copying a 10,000-table schema per commit
// would make replay quadratic) and, when an event fails, restores every object the commit
// touched from the copies saved before the first change to it. Object names are those of
// engine/state/objects.h. Not thread-safe; a value type.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "proto/commit.pb.h"

namespace strata {

class ObjectUndo {
 public:
  // Saves `object` as it is in `state` now (present or absent); later saves of the same
  // object are ignored, so the first copy, from before any change to it, wins.
  void Save(const pb::SchemaState& state, const std::string& object);
  // Puts every saved object back as it was saved.
  void Restore(pb::SchemaState* state) const;

 private:
  std::set<std::string> seen_;
  // The saved object as a fragment holding only it; nullopt when it was absent.
  std::vector<std::pair<std::string, std::optional<pb::SchemaState>>> saved_;
};

}  // namespace strata

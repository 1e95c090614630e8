// TouchedPostgres: the one top-level object a change is about (a table for changes to its
// columns, constraints, indexes and triggers; the owner for a comment).
#include "engine/state/objects.h"
#include "engine/state/targets.h"

namespace strata {

void TouchedPostgres(const pb::PostgresChange& change, std::vector<std::string>* out) {
  PgTarget t = PgTargetOf(change);
  if (!t.object.empty()) out->push_back(std::move(t.object));
}

}  // namespace strata

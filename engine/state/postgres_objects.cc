// TouchedPostgres: the one top-level object a change is about (a table for changes to its
// columns, constraints, indexes and triggers; the owner for a comment).
#include "engine/state/objects.h"
#include "engine/state/targets.h"

namespace strata {
namespace {


// The name an object has after a rename, when the rename is of a whole object.
std::string RenamedTo(const pb::PgRename& e) {
  pb::PgObjectRef after = e.target();
  switch (after.kind()) {
    case pb::PG_OBJECT_SCHEMA:
    case pb::PG_OBJECT_TABLE:
    case pb::PG_OBJECT_VIEW:
    case pb::PG_OBJECT_SEQUENCE:
    case pb::PG_OBJECT_TYPE:
    case pb::PG_OBJECT_FUNCTION: after.set_name(e.new_name()); return PgOwnerOf(after);
    default: return "";
  }
}

}  // namespace

std::pair<std::string, std::string> RenameOf(const pb::Event& event) {
  if (!event.has_postgres() || !event.postgres().has_rename()) return {};
  std::string to = RenamedTo(event.postgres().rename());
  if (to.empty()) return {};
  return {PgOwnerOf(event.postgres().rename().target()), std::move(to)};
}

// A rename of a whole object touches it under both names, so its history can be followed
// from the new name back to the old one.
void TouchedPostgres(const pb::PostgresChange& change, std::vector<std::string>* out) {
  PgTarget t = PgTargetOf(change);
  if (!t.object.empty()) out->push_back(std::move(t.object));
  if (change.has_rename()) {
    std::string to = RenamedTo(change.rename());
    if (!to.empty()) out->push_back(std::move(to));
  }
}

}  // namespace strata

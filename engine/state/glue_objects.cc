// TouchedGlue: "db" for database changes, "db.table" for table changes; dropping a database
// also touches every table it held, so each table's history shows the drop.
#include "engine/state/objects.h"
#include "engine/state/targets.h"

namespace strata {

void TouchedGlue(const pb::GlueChange& change, const pb::GlueSchema& before,
                 std::vector<std::string>* out) {
  GlueTarget t = GlueTargetOf(change);
  if (t.verb.empty()) return;
  if (t.is_table_change) {
    out->push_back(t.database + "." + t.table);
    return;
  }
  out->push_back(t.database);
  if (!change.has_drop_database()) return;
  auto db = before.databases().find(t.database);
  if (db == before.databases().end()) return;
  for (const auto& [name, _] : db->second.tables()) out->push_back(t.database + "." + name);
}

}  // namespace strata

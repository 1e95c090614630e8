#include "adapters/postgres/list_view.h"

#include <fmt/format.h>

#include "engine/state/fragments.h"
#include "engine/state/postgres_keys.h"

namespace strata::postgres {

std::string_view ObjectKind(const pb::PostgresSchema& s, const std::string& name) {
  if (name.rfind("ext:", 0) == 0 && s.extensions().count(name.substr(4))) return "extension";
  if (name.rfind(kPgEventTriggerPrefix, 0) == 0 &&
      s.event_triggers().count(name.substr(kPgEventTriggerPrefix.size()))) {
    return "event trigger";
  }
  if (name.rfind(kPgForeignServerPrefix, 0) == 0 &&
      s.foreign_servers().count(name.substr(kPgForeignServerPrefix.size()))) {
    return "foreign server";
  }
  if (s.namespaces().count(name)) return "schema";
  if (auto t = s.tables().find(name); t != s.tables().end()) {
    return t->second.foreign().server().empty() ? "table" : "foreign table";
  }
  if (auto v = s.views().find(name); v != s.views().end()) {
    return v->second.materialized() ? "materialized view" : "view";
  }
  if (s.sequences().count(name)) return "sequence";
  if (s.types().count(name)) return "type";
  if (auto f = s.functions().find(name); f != s.functions().end()) {
    return f->second.aggregate() ? "aggregate" : "function";
  }
  return "object";
}

backend::ListView ListObjects(const pb::SchemaState& live, const std::set<std::string>& managed,
                              const std::string& target_text) {
  using backend::Tone;
  backend::ListView v;
  v.key = "objects";
  const std::vector<std::string> names = ObjectNames(live);
  size_t managed_live = 0;
  v.rows.push_back({{"OBJECT", Tone::kDim}, {"KIND", Tone::kDim}, {"STRATA", Tone::kDim}});
  for (const std::string& name : names) {
    if (name.empty()) continue;  // an empty schema's engine-only fragment
    const bool is_managed = managed.count(name) > 0;
    managed_live += is_managed;
    const std::string kind(ObjectKind(live.postgres(), name));
    v.items.push_back({{"name", name}, {"kind", kind}, {"managed", is_managed}});
    v.rows.push_back({{name, Tone::kStrong},
                      {kind},
                      {is_managed ? "managed" : "unmanaged", is_managed ? Tone::kGood : Tone::kDim}});
  }
  if (v.items.empty()) v.rows.clear();
  v.empty_text = fmt::format("No objects in {}.", target_text);
  v.title = fmt::format("{}: {} object{}, {} managed by strata", target_text, v.items.size(),
                        v.items.size() == 1 ? "" : "s", managed_live);
  return v;
}

}  // namespace strata::postgres

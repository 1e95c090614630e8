#include "adapters/glue/list_view.h"

#include <fmt/format.h>

#include "adapters/glue/describe.h"

namespace strata::glue {
namespace {

using json = nlohmann::ordered_json;
using backend::Cell;
using backend::Tone;

json ColumnsJson(const google::protobuf::RepeatedPtrField<pb::GlueColumn>& columns) {
  json out = json::array();
  for (const auto& c : columns) {
    json j = {{"name", c.name()}, {"type", c.type()}};
    if (!c.comment().empty()) j["comment"] = c.comment();
    out.push_back(std::move(j));
  }
  return out;
}

json TableJson(const LiveTable& t, bool managed) {
  const pb::GlueTable& m = t.table;
  return {{"name", t.object()},
          {"database", t.database},
          {"table", m.name()},
          {"managed", managed},
          {"columns", ColumnsJson(m.columns())},
          {"partition_keys", ColumnsJson(m.partition_keys())},
          {"format", FormatWord(m)},
          {"location", m.location().empty() ? json() : json(m.location())},
          {"table_type", m.table_type().empty() ? json() : json(m.table_type())},
          {"version_id", t.version_id.empty() ? json() : json(t.version_id)}};
}

std::string KeysText(const pb::GlueTable& t) {
  return t.partition_keys().empty() ? "-" : ColumnsText(t.partition_keys());
}

}  // namespace

backend::ListView ListTables(const LiveCatalog& catalog, const std::set<std::string>& managed,
                             const std::string& target_text) {
  backend::ListView v;
  v.key = "tables";
  size_t managed_live = 0;
  for (const auto& t : catalog.tables) {
    const bool is_managed = managed.count(t.object()) > 0;
    managed_live += is_managed;
    v.items.push_back(TableJson(t, is_managed));
  }
  const size_t dbs = catalog.databases.size();
  v.empty_text =
      dbs == 0 ? fmt::format("No tables on {}.", target_text)
               : fmt::format("No tables on {} (databases: {}).", target_text,
                             fmt::join(catalog.databases, ", "));
  v.title = fmt::format("{}: {} table{} in {} database{}, {} managed by strata", target_text,
                        catalog.tables.size(), catalog.tables.size() == 1 ? "" : "s", dbs,
                        dbs == 1 ? "" : "s", managed_live);
  v.rows.push_back({{"TABLE", Tone::kDim},
                    {"COLUMNS", Tone::kDim, true},
                    {"PARTITION KEYS", Tone::kDim},
                    {"FORMAT", Tone::kDim},
                    {"LOCATION", Tone::kDim},
                    {"STRATA", Tone::kDim}});
  for (const auto& t : catalog.tables) {
    const bool is_managed = managed.count(t.object()) > 0;
    v.rows.push_back({{t.object(), Tone::kStrong},
                      {std::to_string(t.table.columns_size()), Tone::kPlain, true},
                      {KeysText(t.table)},
                      {FormatWord(t.table)},
                      {t.table.location().empty() ? "-" : t.table.location(), Tone::kDim},
                      {is_managed ? "managed" : "unmanaged", is_managed ? Tone::kGood : Tone::kDim}});
  }
  return v;
}

}  // namespace strata::glue

// Descriptions say what the change leaves behind, so a reader of `log` need not open the event:
// the whole option list after SetTableStorage, the parents after SetInherits.
#include "adapters/postgres/describe.h"

#include <fmt/format.h>

namespace strata::postgres {
namespace {

using Strings = google::protobuf::RepeatedPtrField<std::string>;

std::string ListOr(const Strings& items, std::string_view none) {
  if (items.empty()) return std::string(none);
  return fmt::format("{}", fmt::join(items, ", "));
}

std::string Storage(const pb::PgSetTableStorage& e) {
  std::string text = e.unlogged() ? "set storage: unlogged" : "set storage: logged";
  if (!e.options().empty()) text += fmt::format(", {}", fmt::join(e.options(), ", "));
  return text;
}

std::string Foreign(const pb::PgForeignTableSpec& f) {
  std::string text = "set foreign table: server " + f.server();
  if (!f.options().empty()) text += fmt::format(", options {}", fmt::join(f.options(), ", "));
  return text;
}

std::string EventTrigger(std::string_view verb, const pb::PgEventTrigger& e) {
  std::string text = fmt::format("{} event trigger on {}", verb, e.event());
  if (!e.tags().empty()) text += fmt::format(" ({})", fmt::join(e.tags(), ", "));
  if (e.enabled() == "D") text += ", disabled";
  if (e.enabled() == "R") text += ", replica only";
  if (e.enabled() == "A") text += ", always";
  return text;
}

std::string Server(std::string_view verb, const pb::PgForeignServer& s) {
  return fmt::format("{} foreign server ({})", verb, s.wrapper());
}

}  // namespace

std::optional<std::string> DescribePostgresChange(const pb::PostgresChange& c) {
  using C = pb::PostgresChange;
  switch (c.kind_case()) {
    case C::kSetTableStorage: return Storage(c.set_table_storage());
    case C::kSetInherits:
      return "inherit from " + ListOr(c.set_inherits().parents(), "no table");
    case C::kSetViewOptions:
      return "set view options: " + ListOr(c.set_view_options().options(), "none");
    case C::kSetForeignTable: return Foreign(c.set_foreign_table().foreign());
    case C::kCreateEventTrigger: return EventTrigger("create", c.create_event_trigger().trigger());
    case C::kReplaceEventTrigger:
      return EventTrigger("replace", c.replace_event_trigger().trigger());
    case C::kCreateForeignServer: return Server("create", c.create_foreign_server().server());
    case C::kAlterForeignServer: return Server("alter", c.alter_foreign_server().server());
    case C::kCreateFunction:
      if (c.create_function().function().aggregate()) return "create aggregate";
      break;
    case C::kReplaceFunction:
      if (c.replace_function().function().aggregate()) return "replace aggregate";
      break;
    default: break;
  }
  return std::nullopt;
}

}  // namespace strata::postgres

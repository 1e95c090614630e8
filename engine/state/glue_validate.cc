// Validation of Glue changes: a change is set, names are present, column names are unique.
// Everything here is checkable without a state; Apply checks the rest.
#include <fmt/format.h>

#include <set>

#include "engine/state/targets.h"
#include "engine/state/validate.h"

namespace strata {
namespace {

using Columns = google::protobuf::RepeatedPtrField<pb::GlueColumn>;

std::string Where(const GlueTarget& t) {
  return fmt::format("glue {} {}{}", t.verb, t.database, t.table.empty() ? "" : "." + t.table);
}

Status Invalid(const GlueTarget& t, std::string_view problem) {
  return Status::InvalidArgument(fmt::format("{}: {}", Where(t), problem));
}

// Names must be present and unique across `seen` (columns and partition keys share names).
Status UniqueNames(const GlueTarget& t, const Columns& columns, std::string_view what,
                   std::set<std::string>* seen) {
  for (const auto& c : columns) {
    if (c.name().empty()) return Invalid(t, fmt::format("{} name is empty", what));
    if (!seen->insert(c.name()).second) {
      return Invalid(t, fmt::format("column {} appears twice", c.name()));
    }
  }
  return Status::Ok();
}

Status ValidateTable(const GlueTarget& t, const pb::GlueTable& table) {
  std::set<std::string> seen;
  STRATA_RETURN_IF_ERROR(UniqueNames(t, table.columns(), "column", &seen));
  return UniqueNames(t, table.partition_keys(), "partition key", &seen);
}

Status ValidateReorder(const GlueTarget& t, const pb::GlueReorderColumns& e) {
  std::set<std::string> seen;
  for (const auto& name : e.columns()) {
    if (name.empty()) return Invalid(t, "column name is empty");
    if (!seen.insert(name).second) return Invalid(t, fmt::format("column {} appears twice", name));
  }
  return Status::Ok();
}

Status ValidateDetails(const GlueTarget& t, const pb::GlueChange& c) {
  std::set<std::string> seen;
  switch (c.kind_case()) {
    case pb::GlueChange::kCreateDatabase:
      if (!c.create_database().database().tables().empty()) {
        return Invalid(t, "tables must be empty (each table is created by its own event)");
      }
      break;
    case pb::GlueChange::kCreateTable: return ValidateTable(t, c.create_table().table());
    case pb::GlueChange::kAddColumn:
      if (c.add_column().column().name().empty()) return Invalid(t, "column name is empty");
      break;
    case pb::GlueChange::kDropColumn:
      if (c.drop_column().column().empty()) return Invalid(t, "column name is empty");
      break;
    case pb::GlueChange::kAlterColumn:
      if (c.alter_column().column().name().empty()) return Invalid(t, "column name is empty");
      break;
    case pb::GlueChange::kReorderColumns: return ValidateReorder(t, c.reorder_columns());
    case pb::GlueChange::kSetPartitionKeys:
      return UniqueNames(t, c.set_partition_keys().partition_keys(), "partition key", &seen);
    case pb::GlueChange::kSetTableParameter:
      if (c.set_table_parameter().key().empty()) return Invalid(t, "parameter key is empty");
      break;
    case pb::GlueChange::kRemoveTableParameter:
      if (c.remove_table_parameter().key().empty()) return Invalid(t, "parameter key is empty");
      break;
    default: break;
  }
  return Status::Ok();
}

}  // namespace

Status ValidateGlueChange(const pb::GlueChange& c) {
  GlueTarget t = GlueTargetOf(c);
  if (t.verb.empty()) return Status::InvalidArgument("glue change: kind is UNSPECIFIED");
  if (t.database.empty()) {
    return Status::InvalidArgument(fmt::format("glue {}: database name is empty", t.verb));
  }
  if (t.is_table_change && t.table.empty()) {
    return Status::InvalidArgument(
        fmt::format("glue {} {}: table name is empty", t.verb, t.database));
  }
  return ValidateDetails(t, c);
}

}  // namespace strata

// Validation of Glue changes: a change is set, names are present, column names are unique,
// bucketing is consistent in itself.
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

// Present and unique names of a bucketing's column lists.
template <typename Items, typename NameOf>
Status UniqueBucketNames(const GlueTarget& t, const Items& items, std::string_view what,
                         NameOf name_of) {
  std::set<std::string> seen;
  for (const auto& item : items) {
    const std::string& name = name_of(item);
    if (name.empty()) return Invalid(t, fmt::format("{} name is empty", what));
    if (!seen.insert(name).second) {
      return Invalid(t, fmt::format("{} {} appears twice", what, name));
    }
  }
  return Status::Ok();
}

// A bucketing is consistent in itself: bucket columns exactly when there is a bucket count
// (a negative count is Glue's "not bucketed", like 0), and a sort order only within buckets,
// as Hive's CLUSTERED BY … SORTED BY … INTO n BUCKETS can say it.
Status ValidateBucketing(const GlueTarget& t, const google::protobuf::RepeatedPtrField<std::string>& columns,
                         int32_t num_buckets,
                         const google::protobuf::RepeatedPtrField<pb::GlueSortColumn>& sort) {
  STRATA_RETURN_IF_ERROR(
      UniqueBucketNames(t, columns, "bucket column", [](const std::string& s) -> const std::string& {
        return s;
      }));
  STRATA_RETURN_IF_ERROR(UniqueBucketNames(
      t, sort, "sort column", [](const pb::GlueSortColumn& s) -> const std::string& {
        return s.column();
      }));
  if (columns.empty() && num_buckets > 0) {
    return Invalid(t, fmt::format("{} buckets but no bucket columns", num_buckets));
  }
  if (!columns.empty() && num_buckets <= 0) {
    return Invalid(t, fmt::format("bucket columns but a bucket count of {} (it must be at least 1)",
                                  num_buckets));
  }
  if (!sort.empty() && columns.empty()) return Invalid(t, "sort columns on a table without buckets");
  return Status::Ok();
}

Status ValidateTable(const GlueTarget& t, const pb::GlueTable& table) {
  std::set<std::string> seen;
  STRATA_RETURN_IF_ERROR(UniqueNames(t, table.columns(), "column", &seen));
  STRATA_RETURN_IF_ERROR(UniqueNames(t, table.partition_keys(), "partition key", &seen));
  return ValidateBucketing(t, table.bucket_columns(), table.num_buckets(), table.sort_columns());
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
    case pb::GlueChange::kSetBucketing:
      return ValidateBucketing(t, c.set_bucketing().bucket_columns(),
                               c.set_bucketing().num_buckets(), c.set_bucketing().sort_columns());
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

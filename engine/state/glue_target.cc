// GlueTargetOf: one switch naming the database and table of every Glue change.
#include "engine/state/targets.h"

namespace strata {
namespace {

std::string VerbOf(const pb::GlueChange& c) {
  const auto* field = c.GetReflection()->GetOneofFieldDescriptor(
      c, pb::GlueChange::descriptor()->FindOneofByName("kind"));
  return field == nullptr ? "" : field->name();
}

template <typename Event>
GlueTarget Table(const pb::GlueChange& c, const Event& e) {
  return {VerbOf(c), e.database(), e.table(), true};
}

}  // namespace

GlueTarget GlueTargetOf(const pb::GlueChange& c) {
  using C = pb::GlueChange;
  switch (c.kind_case()) {
    case C::kCreateDatabase: return {VerbOf(c), c.create_database().database().name(), "", false};
    case C::kDropDatabase: return {VerbOf(c), c.drop_database().database(), "", false};
    case C::kUpdateDatabase: return {VerbOf(c), c.update_database().database(), "", false};
    case C::kCreateTable:
      return {VerbOf(c), c.create_table().database(), c.create_table().table().name(), true};
    case C::kDropTable: return Table(c, c.drop_table());
    case C::kAddColumn: return Table(c, c.add_column());
    case C::kDropColumn: return Table(c, c.drop_column());
    case C::kAlterColumn: return Table(c, c.alter_column());
    case C::kReorderColumns: return Table(c, c.reorder_columns());
    case C::kSetPartitionKeys: return Table(c, c.set_partition_keys());
    case C::kSetLocation: return Table(c, c.set_location());
    case C::kSetFormats: return Table(c, c.set_formats());
    case C::kSetSerde: return Table(c, c.set_serde());
    case C::kSetTableType: return Table(c, c.set_table_type());
    case C::kSetDescription: return Table(c, c.set_description());
    case C::kSetTableParameter: return Table(c, c.set_table_parameter());
    case C::kRemoveTableParameter: return Table(c, c.remove_table_parameter());
    case C::kSetBucketing: return Table(c, c.set_bucketing());
    case C::KIND_NOT_SET: break;
  }
  return {};
}

}  // namespace strata

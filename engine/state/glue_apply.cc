// Apply for Glue changes. The change is validated first (names present, no duplicates), then
// each handler checks the state and mutates last, so a failing change leaves it untouched.
#include <fmt/format.h>

#include "engine/state/apply.h"
#include "engine/state/canonical_glue_postgres.h"
#include "engine/state/validate.h"

namespace strata {
namespace {

using Databases = google::protobuf::Map<std::string, pb::GlueDatabase>;
using Columns = google::protobuf::RepeatedPtrField<pb::GlueColumn>;

Result<pb::GlueDatabase*> FindDatabase(Databases* dbs, const std::string& name) {
  auto it = dbs->find(name);
  if (it == dbs->end()) {
    return Status::NotFound(fmt::format("glue database {} does not exist", name));
  }
  return &it->second;
}

template <typename Event>
Result<pb::GlueTable*> FindTable(Databases* dbs, const Event& e) {
  STRATA_ASSIGN_OR_RETURN(pb::GlueDatabase * db, FindDatabase(dbs, e.database()));
  auto it = db->mutable_tables()->find(e.table());
  if (it == db->mutable_tables()->end()) {
    return Status::NotFound(
        fmt::format("glue table {}.{} does not exist", e.database(), e.table()));
  }
  return &it->second;
}

int IndexOf(const Columns& columns, const std::string& name) {
  for (int i = 0; i < columns.size(); ++i) {
    if (columns.Get(i).name() == name) return i;
  }
  return -1;
}

template <typename Event>
Result<int> FindColumn(const pb::GlueTable& table, const Event& e, const std::string& column) {
  int i = IndexOf(table.columns(), column);
  if (i < 0) {
    return Status::NotFound(fmt::format("glue column {}.{}.{} does not exist", e.database(),
                                        e.table(), column));
  }
  return i;
}

Status CreateDatabase(const pb::GlueCreateDatabase& e, Databases* dbs) {
  const auto& name = e.database().name();
  if (dbs->count(name)) {
    return Status::AlreadyExists(fmt::format("glue database {} already exists", name));
  }
  (*dbs)[name] = e.database();
  return Status::Ok();
}

// Glue deletes a database's tables with it, so no table may outlive its database here either.
Status DropDatabase(const pb::GlueDropDatabase& e, Databases* dbs) {
  if (!dbs->erase(e.database())) {
    return Status::NotFound(fmt::format("glue database {} does not exist", e.database()));
  }
  return Status::Ok();
}

Status UpdateDatabase(const pb::GlueUpdateDatabase& e, Databases* dbs) {
  STRATA_ASSIGN_OR_RETURN(pb::GlueDatabase * db, FindDatabase(dbs, e.database()));
  db->set_description(e.description());
  db->set_location_uri(e.location_uri());
  *db->mutable_parameters() = e.parameters();
  return Status::Ok();
}

Status CreateTable(const pb::GlueCreateTable& e, Databases* dbs) {
  STRATA_ASSIGN_OR_RETURN(pb::GlueDatabase * db, FindDatabase(dbs, e.database()));
  const auto& name = e.table().name();
  if (db->tables().count(name)) {
    return Status::AlreadyExists(
        fmt::format("glue table {}.{} already exists", e.database(), name));
  }
  pb::GlueTable table = e.table();
  CanonicalizeGlueTable(&table);
  (*db->mutable_tables())[name] = std::move(table);
  return Status::Ok();
}

Status DropTable(const pb::GlueDropTable& e, Databases* dbs) {
  STRATA_ASSIGN_OR_RETURN(pb::GlueDatabase * db, FindDatabase(dbs, e.database()));
  if (!db->mutable_tables()->erase(e.table())) {
    return Status::NotFound(
        fmt::format("glue table {}.{} does not exist", e.database(), e.table()));
  }
  return Status::Ok();
}

// Inserts by rotating the appended copy into place; RepeatedPtrField has no insert.
void InsertAt(Columns* columns, const pb::GlueColumn& column, int position) {
  *columns->Add() = column;
  for (int i = columns->size() - 1; i > position; --i) columns->SwapElements(i, i - 1);
}

// Glue (Hive) forbids a partition key that repeats a column's name.
Status AddColumn(const pb::GlueAddColumn& e, Databases* dbs) {
  STRATA_ASSIGN_OR_RETURN(pb::GlueTable * table, FindTable(dbs, e));
  const auto& name = e.column().name();
  if (IndexOf(table->columns(), name) >= 0) {
    return Status::AlreadyExists(
        fmt::format("glue column {}.{}.{} already exists", e.database(), e.table(), name));
  }
  if (IndexOf(table->partition_keys(), name) >= 0) {
    return Status::AlreadyExists(fmt::format(
        "glue column {}.{}.{} already exists as a partition key", e.database(), e.table(), name));
  }
  if (e.position() > static_cast<uint32_t>(table->columns_size())) {
    return Status::InvalidArgument(
        fmt::format("glue add_column {}.{}: position {} is past the end ({} columns)",
                    e.database(), e.table(), e.position(), table->columns_size()));
  }
  InsertAt(table->mutable_columns(), e.column(), static_cast<int>(e.position()));
  return Status::Ok();
}

Status DropColumn(const pb::GlueDropColumn& e, Databases* dbs) {
  STRATA_ASSIGN_OR_RETURN(pb::GlueTable * table, FindTable(dbs, e));
  STRATA_ASSIGN_OR_RETURN(int i, FindColumn(*table, e, e.column()));
  table->mutable_columns()->DeleteSubrange(i, 1);
  return Status::Ok();
}

Status AlterColumn(const pb::GlueAlterColumn& e, Databases* dbs) {
  STRATA_ASSIGN_OR_RETURN(pb::GlueTable * table, FindTable(dbs, e));
  STRATA_ASSIGN_OR_RETURN(int i, FindColumn(*table, e, e.column().name()));
  *table->mutable_columns(i) = e.column();
  return Status::Ok();
}

// Validation already made the names unique; equal counts then mean a permutation.
Status ReorderColumns(const pb::GlueReorderColumns& e, Databases* dbs) {
  STRATA_ASSIGN_OR_RETURN(pb::GlueTable * table, FindTable(dbs, e));
  if (e.columns_size() != table->columns_size()) {
    return Status::InvalidArgument(
        fmt::format("glue reorder_columns {}.{}: names {} columns, the table has {}",
                    e.database(), e.table(), e.columns_size(), table->columns_size()));
  }
  Columns reordered;
  for (const auto& name : e.columns()) {
    STRATA_ASSIGN_OR_RETURN(int i, FindColumn(*table, e, name));
    *reordered.Add() = table->columns(i);
  }
  *table->mutable_columns() = std::move(reordered);
  return Status::Ok();
}

Status SetPartitionKeys(const pb::GlueSetPartitionKeys& e, Databases* dbs) {
  STRATA_ASSIGN_OR_RETURN(pb::GlueTable * table, FindTable(dbs, e));
  for (const auto& key : e.partition_keys()) {
    if (IndexOf(table->columns(), key.name()) >= 0) {
      return Status::InvalidArgument(
          fmt::format("glue set_partition_keys {}.{}: partition key {} is also a column",
                      e.database(), e.table(), key.name()));
    }
  }
  *table->mutable_partition_keys() = e.partition_keys();
  return Status::Ok();
}

Status RemoveTableParameter(const pb::GlueRemoveTableParameter& e, Databases* dbs) {
  STRATA_ASSIGN_OR_RETURN(pb::GlueTable * table, FindTable(dbs, e));
  if (!table->mutable_parameters()->erase(e.key())) {
    return Status::NotFound(fmt::format("glue table {}.{} has no parameter {}", e.database(),
                                        e.table(), e.key()));
  }
  return Status::Ok();
}

template <typename Event, typename Set>
Status SetField(const Event& e, Databases* dbs, Set set) {
  STRATA_ASSIGN_OR_RETURN(pb::GlueTable * table, FindTable(dbs, e));
  set(table);
  CanonicalizeGlueTable(table);
  return Status::Ok();
}

// The simple property setters: they only need their table to exist.
Status ApplyProperty(const pb::GlueChange& c, Databases* dbs) {
  switch (c.kind_case()) {
    case pb::GlueChange::kSetLocation:
      return SetField(c.set_location(), dbs, [&](pb::GlueTable* t) {
        t->set_location(c.set_location().location());
      });
    case pb::GlueChange::kSetFormats:
      return SetField(c.set_formats(), dbs, [&](pb::GlueTable* t) {
        t->set_input_format(c.set_formats().input_format());
        t->set_output_format(c.set_formats().output_format());
      });
    case pb::GlueChange::kSetSerde:
      return SetField(c.set_serde(), dbs,
                      [&](pb::GlueTable* t) { *t->mutable_serde() = c.set_serde().serde(); });
    case pb::GlueChange::kSetTableType:
      return SetField(c.set_table_type(), dbs, [&](pb::GlueTable* t) {
        t->set_table_type(c.set_table_type().table_type());
      });
    case pb::GlueChange::kSetDescription:
      return SetField(c.set_description(), dbs, [&](pb::GlueTable* t) {
        t->set_description(c.set_description().description());
      });
    case pb::GlueChange::kSetTableParameter:
      return SetField(c.set_table_parameter(), dbs, [&](pb::GlueTable* t) {
        (*t->mutable_parameters())[c.set_table_parameter().key()] =
            c.set_table_parameter().value();
      });
    // Validation made the bucketing consistent in itself. Whether its columns are the table's
    // is not checked: Glue does not check it either, and a diff that drops a bucketed column
    // and the bucketing with it may emit the two in either order.
    case pb::GlueChange::kSetBucketing:
      return SetField(c.set_bucketing(), dbs, [&](pb::GlueTable* t) {
        const auto& e = c.set_bucketing();
        *t->mutable_bucket_columns() = e.bucket_columns();
        t->set_num_buckets(e.num_buckets());
        *t->mutable_sort_columns() = e.sort_columns();
      });
    default: break;
  }
  return Status::Internal("glue change: no handler for " + c.ShortDebugString());
}

}  // namespace

Status ApplyGlue(const pb::GlueChange& c, pb::GlueSchema* schema) {
  STRATA_RETURN_IF_ERROR(ValidateGlueChange(c));
  Databases* dbs = schema->mutable_databases();
  switch (c.kind_case()) {
    case pb::GlueChange::kCreateDatabase: return CreateDatabase(c.create_database(), dbs);
    case pb::GlueChange::kDropDatabase: return DropDatabase(c.drop_database(), dbs);
    case pb::GlueChange::kUpdateDatabase: return UpdateDatabase(c.update_database(), dbs);
    case pb::GlueChange::kCreateTable: return CreateTable(c.create_table(), dbs);
    case pb::GlueChange::kDropTable: return DropTable(c.drop_table(), dbs);
    case pb::GlueChange::kAddColumn: return AddColumn(c.add_column(), dbs);
    case pb::GlueChange::kDropColumn: return DropColumn(c.drop_column(), dbs);
    case pb::GlueChange::kAlterColumn: return AlterColumn(c.alter_column(), dbs);
    case pb::GlueChange::kReorderColumns: return ReorderColumns(c.reorder_columns(), dbs);
    case pb::GlueChange::kSetPartitionKeys: return SetPartitionKeys(c.set_partition_keys(), dbs);
    case pb::GlueChange::kRemoveTableParameter:
      return RemoveTableParameter(c.remove_table_parameter(), dbs);
    default: return ApplyProperty(c, dbs);
  }
}

}  // namespace strata

// PgTargetOf: one switch naming the top-level object of every PostgreSQL change.
#include "engine/state/postgres_keys.h"
#include "engine/state/postgres_security.h"
#include "engine/state/targets.h"

namespace strata {
namespace {

std::string VerbOf(const pb::PostgresChange& c) {
  const auto* field = c.GetReflection()->GetOneofFieldDescriptor(
      c, pb::PostgresChange::descriptor()->FindOneofByName("kind"));
  return field == nullptr ? "" : field->name();
}

// Changes to a table's parts (columns, constraints, indexes, triggers) touch the table.
template <typename Event>
std::string TableOf(const Event& e) {
  return PgKey(e.schema(), e.table());
}

template <typename Object>
std::string KeyOf(const Object& o) {
  return PgKey(o.schema(), o.name());
}

std::string ObjectOf(const pb::PostgresChange& c) {
  using C = pb::PostgresChange;
  switch (c.kind_case()) {
    case C::kCreateSchema: return c.create_schema().schema().name();
    case C::kDropSchema: return c.drop_schema().schema();
    case C::kCreateTable: return KeyOf(c.create_table().table());
    case C::kDropTable: return TableOf(c.drop_table());
    case C::kAddColumn: return TableOf(c.add_column());
    case C::kDropColumn: return TableOf(c.drop_column());
    case C::kAlterColumnType: return TableOf(c.alter_column_type());
    case C::kSetColumnNotNull: return TableOf(c.set_column_not_null());
    case C::kSetColumnDefault: return TableOf(c.set_column_default());
    case C::kSetColumnIdentity: return TableOf(c.set_column_identity());
    case C::kSetColumnGenerated: return TableOf(c.set_column_generated());
    case C::kAddConstraint: return TableOf(c.add_constraint());
    case C::kDropConstraint: return TableOf(c.drop_constraint());
    case C::kCreateIndex: return TableOf(c.create_index());
    case C::kDropIndex: return TableOf(c.drop_index());
    case C::kCreateView: return KeyOf(c.create_view().view());
    case C::kReplaceView: return KeyOf(c.replace_view().view());
    case C::kDropView: return PgKey(c.drop_view().schema(), c.drop_view().view());
    case C::kCreateSequence: return KeyOf(c.create_sequence().sequence());
    case C::kAlterSequence: return KeyOf(c.alter_sequence().sequence());
    case C::kDropSequence: return PgKey(c.drop_sequence().schema(), c.drop_sequence().sequence());
    case C::kCreateType: return KeyOf(c.create_type().type());
    case C::kAlterType: return KeyOf(c.alter_type().type());
    case C::kDropType: return PgKey(c.drop_type().schema(), c.drop_type().type());
    case C::kCreateExtension: return PgExtensionObject(c.create_extension().extension().name());
    case C::kAlterExtension: return PgExtensionObject(c.alter_extension().extension().name());
    case C::kDropExtension: return PgExtensionObject(c.drop_extension().extension());
    case C::kSetTableStorage: return TableOf(c.set_table_storage());
    case C::kSetInherits: return TableOf(c.set_inherits());
    case C::kSetForeignTable: return TableOf(c.set_foreign_table());
    case C::kSetViewOptions:
      return PgKey(c.set_view_options().schema(), c.set_view_options().view());
    case C::kCreateEventTrigger:
      return PgEventTriggerObject(c.create_event_trigger().trigger().name());
    case C::kReplaceEventTrigger:
      return PgEventTriggerObject(c.replace_event_trigger().trigger().name());
    case C::kDropEventTrigger: return PgEventTriggerObject(c.drop_event_trigger().name());
    case C::kCreateForeignServer:
      return PgForeignServerObject(c.create_foreign_server().server().name());
    case C::kAlterForeignServer:
      return PgForeignServerObject(c.alter_foreign_server().server().name());
    case C::kDropForeignServer: return PgForeignServerObject(c.drop_foreign_server().name());
    default: break;
  }
  return "";
}

template <typename Function>
std::string FunctionOf(const Function& f) {
  return PgFunctionKey(f.schema(), f.name(), f.identity_arguments());
}

}  // namespace

std::string PgOwnerOf(const pb::PgObjectRef& ref) {
  switch (ref.kind()) {
    case pb::PG_OBJECT_SCHEMA: return ref.name();
    case pb::PG_OBJECT_EXTENSION: return PgExtensionObject(ref.name());
    case pb::PG_OBJECT_EVENT_TRIGGER: return PgEventTriggerObject(ref.name());
    case pb::PG_OBJECT_FOREIGN_SERVER: return PgForeignServerObject(ref.name());
    case pb::PG_OBJECT_FUNCTION: return PgFunctionKey(ref.schema(), ref.name(), ref.sub());
    case pb::PG_OBJECT_OTHER: return PgOtherKey(ref.sub(), ref.schema(), ref.name());
    case pb::PG_OBJECT_KIND_UNSPECIFIED: return "";
    default: return PgKey(ref.schema(), ref.name());
  }
}

bool IsPgStorageChange(const pb::PostgresChange& c) {
  using C = pb::PostgresChange;
  switch (c.kind_case()) {
    case C::kSetTableStorage:
    case C::kSetInherits:
    case C::kSetViewOptions:
    case C::kSetForeignTable:
    case C::kCreateEventTrigger:
    case C::kReplaceEventTrigger:
    case C::kDropEventTrigger:
    case C::kCreateForeignServer:
    case C::kAlterForeignServer:
    case C::kDropForeignServer: return true;
    default: return false;
  }
}

PgTarget PgTargetOf(const pb::PostgresChange& c) {
  switch (c.kind_case()) {
    case pb::PostgresChange::kCreateFunction:
      return {VerbOf(c), FunctionOf(c.create_function().function())};
    case pb::PostgresChange::kReplaceFunction:
      return {VerbOf(c), FunctionOf(c.replace_function().function())};
    case pb::PostgresChange::kDropFunction: return {VerbOf(c), FunctionOf(c.drop_function())};
    case pb::PostgresChange::kCreateTrigger: return {VerbOf(c), TableOf(c.create_trigger())};
    case pb::PostgresChange::kDropTrigger: return {VerbOf(c), TableOf(c.drop_trigger())};
    case pb::PostgresChange::kSetComment: return {VerbOf(c), PgOwnerOf(c.set_comment().target())};
    case pb::PostgresChange::kRename: return {VerbOf(c), PgOwnerOf(c.rename().target())};
    case pb::PostgresChange::kSetDefinition:
      return {VerbOf(c), PgOwnerOf(c.set_definition().target())};
    case pb::PostgresChange::kSetPartition: return {VerbOf(c), TableOf(c.set_partition())};
    case pb::PostgresChange::kCreateOther: return {VerbOf(c), PgOtherKey(c.create_other().object())};
    case pb::PostgresChange::kReplaceOther:
      return {VerbOf(c), PgOtherKey(c.replace_other().object())};
    case pb::PostgresChange::kDropOther: return {VerbOf(c), PgOtherKey(c.drop_other())};
    case pb::PostgresChange::kSetRowSecurity: return {VerbOf(c), TableOf(c.set_row_security())};
    case pb::PostgresChange::kCreatePolicy: return {VerbOf(c), TableOf(c.create_policy())};
    case pb::PostgresChange::kDropPolicy: return {VerbOf(c), TableOf(c.drop_policy())};
    case pb::PostgresChange::kSetAcl: return {VerbOf(c), PgOwnerOf(c.set_acl().target())};
    case pb::PostgresChange::kSetDefaultPrivileges:
      return {VerbOf(c), PgDefaultPrivilegesObject(c.set_default_privileges().entry())};
    default: return {VerbOf(c), ObjectOf(c)};
  }
}

}  // namespace strata

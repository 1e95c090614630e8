// Validation of PostgreSQL changes: a change is set, the names that address an object are
// present, no enum is UNSPECIFIED, no type lacks its kind, and names within one object are
// unique. Everything here is checkable without a state; Apply checks the rest.
//
// Messages read "postgres <change> <object>: <problem>". A change about one part (add_column,
// add_constraint) calls it "column"/"constraint"; a list (create_table) names each element.
#include <fmt/format.h>

#include <cctype>
#include <initializer_list>
#include <set>
#include <string_view>
#include <utility>

#include "engine/state/postgres_keys.h"
#include "engine/state/postgres_validate_internal.h"
#include "engine/state/targets.h"
#include "engine/state/validate.h"

namespace strata {
namespace {

using Labelled = std::pair<std::string_view, std::string_view>;

// The names addressing the object, in order: the first empty one is reported.
Status Present(const PgTarget& t, std::initializer_list<Labelled> names) {
  for (const auto& [label, value] : names) {
    if (value.empty()) {
      return Status::InvalidArgument(fmt::format("postgres {}: {} name is empty", t.verb, label));
    }
  }
  return Status::Ok();
}

Status Invalid(const PgTarget& t, std::string_view problem) {
  return Status::InvalidArgument(fmt::format("postgres {} {}: {}", t.verb, t.object, problem));
}

Status ValidateColumn(const PgTarget& t, const pb::PgColumn& c) {
  if (c.name().empty()) return Invalid(t, "column name is empty");
  if (c.type().empty()) return Invalid(t, fmt::format("column {} type is empty", c.name()));
  if (c.identity() == pb::PG_IDENTITY_UNSPECIFIED) {
    return Invalid(t, fmt::format("column {} identity is UNSPECIFIED", c.name()));
  }
  return ValidatePgAcl(t, c.acl(), pb::PG_OBJECT_COLUMN, "column " + c.name() + " ");
}

// `label` is "constraint" for a change about one constraint, "constraint NAME" in a list.
Status ValidateConstraint(const PgTarget& t, const pb::PgConstraint& c, std::string_view label) {
  if (c.name().empty()) return Invalid(t, "constraint name is empty");
  if (c.type() == pb::PG_CONSTRAINT_TYPE_UNSPECIFIED) {
    return Invalid(t, fmt::format("{} type is UNSPECIFIED", label));
  }
  return Status::Ok();
}

// Names of one kind of part (columns, indexes, ...) present and unique.
template <typename Repeated>
Status UniqueNames(const PgTarget& t, const Repeated& items, std::string_view what) {
  std::set<std::string> seen;
  for (const auto& item : items) {
    if (item.name().empty()) return Invalid(t, fmt::format("{} name is empty", what));
    if (!seen.insert(item.name()).second) {
      return Invalid(t, fmt::format("{} {} appears twice", what, item.name()));
    }
  }
  return Status::Ok();
}

template <typename Repeated>
Status ValidateConstraints(const PgTarget& t, const Repeated& constraints) {
  STRATA_RETURN_IF_ERROR(UniqueNames(t, constraints, "constraint"));
  for (const auto& c : constraints) {
    STRATA_RETURN_IF_ERROR(ValidateConstraint(t, c, "constraint " + c.name()));
  }
  return Status::Ok();
}

// ---- Storage, view options, inheritance, foreign data, event triggers ----------------------

using Strings = google::protobuf::RepeatedPtrField<std::string>;

// "key=value" entries (the value may be empty, the key may not), each key once.
Status ValidateOptions(const PgTarget& t, const Strings& options, std::string_view what) {
  std::set<std::string> keys;
  for (const auto& option : options) {
    const size_t eq = option.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Invalid(t, fmt::format("{} \"{}\" is not key=value", what, option));
    }
    if (!keys.insert(option.substr(0, eq)).second) {
      return Invalid(t, fmt::format("{} {} appears twice", what, option.substr(0, eq)));
    }
  }
  return Status::Ok();
}

// check_option's value becomes the keyword of WITH LOCAL|CASCADED CHECK OPTION.
Status ValidateViewOptions(const PgTarget& t, const Strings& options) {
  STRATA_RETURN_IF_ERROR(ValidateOptions(t, options, "view option"));
  for (const auto& option : options) {
    if (option.rfind("check_option=", 0) == 0 && option != "check_option=local" &&
        option != "check_option=cascaded") {
      return Invalid(t, fmt::format("view option {} is not check_option=local or =cascaded",
                                    option));
    }
  }
  return Status::Ok();
}

// Parents named "schema.table", each once, never the table itself.
Status ValidateParents(const PgTarget& t, const std::string& own_key, const Strings& parents) {
  std::set<std::string> seen;
  for (const auto& parent : parents) {
    if (parent.find('.') == std::string::npos) {
      return Invalid(t, fmt::format("parent \"{}\" is not schema.table", parent));
    }
    if (parent == own_key) return Invalid(t, "a table cannot inherit from itself");
    if (!seen.insert(parent).second) {
      return Invalid(t, fmt::format("parent {} appears twice", parent));
    }
  }
  return Status::Ok();
}

Status ValidateForeignSpec(const PgTarget& t, const pb::PgForeignTableSpec& f) {
  if (f.server().empty()) {
    return Invalid(t, "foreign table server name is empty (a table stops being foreign by a drop "
                      "and a create)");
  }
  return ValidateOptions(t, f.options(), "foreign table option");
}

// A foreign table has a server and no storage of its own; a plain table has no foreign options.
Status ValidateTableStorage(const PgTarget& t, const pb::PgTable& table) {
  STRATA_RETURN_IF_ERROR(ValidateOptions(t, table.options(), "storage option"));
  STRATA_RETURN_IF_ERROR(
      ValidateParents(t, PgKey(table.schema(), table.name()), table.inherits()));
  if (table.foreign().server().empty()) {
    if (table.foreign().options_size() > 0) {
      return Invalid(t, "foreign table options without a server");
    }
    return Status::Ok();
  }
  if (table.unlogged()) return Invalid(t, "a foreign table cannot be unlogged");
  if (table.options_size() > 0) return Invalid(t, "a foreign table has no storage options");
  return ValidateForeignSpec(t, table.foreign());
}

Status ValidateEventTrigger(const PgTarget& t, const pb::PgEventTrigger& e) {
  STRATA_RETURN_IF_ERROR(Present(t, {{"event trigger", e.name()}}));
  if (e.event().empty()) return Invalid(t, "event is empty");
  if (e.function().empty()) return Invalid(t, "function is empty");
  if (e.enabled() != "O" && e.enabled() != "D" && e.enabled() != "R" && e.enabled() != "A") {
    return Invalid(t, fmt::format("enabled is \"{}\", not O, D, R or A", e.enabled()));
  }
  for (const auto& tag : e.tags()) {
    if (tag.empty()) return Invalid(t, "a command tag is empty");
  }
  return Status::Ok();
}

Status ValidateForeignServer(const PgTarget& t, const pb::PgForeignServer& s) {
  STRATA_RETURN_IF_ERROR(Present(t, {{"foreign server", s.name()}}));
  if (s.wrapper().empty()) return Invalid(t, "foreign-data wrapper name is empty");
  return ValidateOptions(t, s.options(), "option");
}

Status ValidateStorageChange(const PgTarget& t, const pb::PostgresChange& c) {
  using C = pb::PostgresChange;
  switch (c.kind_case()) {
    case C::kSetTableStorage: {
      const auto& e = c.set_table_storage();
      STRATA_RETURN_IF_ERROR(Present(t, {{"schema", e.schema()}, {"table", e.table()}}));
      return ValidateOptions(t, e.options(), "storage option");
    }
    case C::kSetInherits: {
      const auto& e = c.set_inherits();
      STRATA_RETURN_IF_ERROR(Present(t, {{"schema", e.schema()}, {"table", e.table()}}));
      return ValidateParents(t, PgKey(e.schema(), e.table()), e.parents());
    }
    case C::kSetViewOptions: {
      const auto& e = c.set_view_options();
      STRATA_RETURN_IF_ERROR(Present(t, {{"schema", e.schema()}, {"view", e.view()}}));
      return ValidateViewOptions(t, e.options());
    }
    case C::kSetForeignTable: {
      const auto& e = c.set_foreign_table();
      STRATA_RETURN_IF_ERROR(Present(t, {{"schema", e.schema()}, {"table", e.table()}}));
      return ValidateForeignSpec(t, e.foreign());
    }
    case C::kCreateEventTrigger: return ValidateEventTrigger(t, c.create_event_trigger().trigger());
    case C::kReplaceEventTrigger:
      return ValidateEventTrigger(t, c.replace_event_trigger().trigger());
    case C::kDropEventTrigger:
      return Present(t, {{"event trigger", c.drop_event_trigger().name()}});
    case C::kCreateForeignServer:
      return ValidateForeignServer(t, c.create_foreign_server().server());
    case C::kAlterForeignServer: return ValidateForeignServer(t, c.alter_foreign_server().server());
    case C::kDropForeignServer:
      return Present(t, {{"foreign server", c.drop_foreign_server().name()}});
    default: break;
  }
  return Status::Internal("postgres " + t.verb + ": not a storage change");
}

// ---- Tables and views -----------------------------------------------------------------------

Status ValidatePartitionOf(const PgTarget& t, const pb::PgPartitionOf& p);

Status ValidateTable(const PgTarget& t, const pb::PgTable& table) {
  STRATA_RETURN_IF_ERROR(Present(t, {{"schema", table.schema()}, {"table", table.name()}}));
  STRATA_RETURN_IF_ERROR(UniqueNames(t, table.columns(), "column"));
  for (const auto& c : table.columns()) STRATA_RETURN_IF_ERROR(ValidateColumn(t, c));
  STRATA_RETURN_IF_ERROR(ValidateConstraints(t, table.constraints()));
  STRATA_RETURN_IF_ERROR(UniqueNames(t, table.indexes(), "index"));
  STRATA_RETURN_IF_ERROR(ValidateTableStorage(t, table));
  STRATA_RETURN_IF_ERROR(ValidatePartitionOf(t, table.partition_of()));
  STRATA_RETURN_IF_ERROR(UniqueNames(t, table.triggers(), "trigger"));
  return ValidatePgTableSecurity(t, table);
}

Status ValidateView(const PgTarget& t, const pb::PgView& view) {
  STRATA_RETURN_IF_ERROR(Present(t, {{"schema", view.schema()}, {"view", view.name()}}));
  if (!view.materialized() && view.indexes_size() > 0) {
    return Invalid(t, "only a materialized view has indexes");
  }
  STRATA_RETURN_IF_ERROR(ValidateViewOptions(t, view.options()));
  STRATA_RETURN_IF_ERROR(UniqueNames(t, view.indexes(), "index"));
  return ValidatePgAcl(t, view.acl(), pb::PG_OBJECT_VIEW);
}

Status ValidateLabels(const PgTarget& t, const pb::PgEnumType& e) {
  std::set<std::string> seen;
  for (const auto& label : e.labels()) {
    // '' is a label PostgreSQL accepts (CREATE TYPE e AS ENUM ('a', '')); only repeats are not.
    if (!seen.insert(label).second) {
      return Invalid(t, fmt::format("label '{}' appears twice", label));
    }
  }
  return Status::Ok();
}

Status ValidateType(const PgTarget& t, const pb::PgType& type) {
  STRATA_RETURN_IF_ERROR(Present(t, {{"schema", type.schema()}, {"type", type.name()}}));
  STRATA_RETURN_IF_ERROR(ValidatePgAcl(t, type.acl(), pb::PG_OBJECT_TYPE));
  switch (type.kind_case()) {
    case pb::PgType::kEnumType: return ValidateLabels(t, type.enum_type());
    case pb::PgType::kComposite: return UniqueNames(t, type.composite().attributes(), "attribute");
    case pb::PgType::kDomain:
      if (type.domain().base_type().empty()) return Invalid(t, "domain base type is empty");
      return ValidateConstraints(t, type.domain().constraints());
    case pb::PgType::kOther: return Status::Ok();
    case pb::PgType::KIND_NOT_SET: break;
  }
  return Invalid(t, "type kind is UNSPECIFIED");
}

// A part of a table: schema, table and the part's own name.
template <typename Event>
Status ValidatePart(const PgTarget& t, const Event& e, std::string_view what,
                    std::string_view name) {
  return Present(t, {{"schema", e.schema()}, {"table", e.table()}, {what, name}});
}

// "column" for PG_OBJECT_COLUMN: the kind as the messages name it.
std::string KindLabel(pb::PgObjectKind kind) {
  std::string label = pb::PgObjectKind_Name(kind).substr(sizeof("PG_OBJECT_") - 1);
  for (char& ch : label) {
    ch = ch == '_' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return label;
}

// What an object reference must name: SCHEMA, EXTENSION, EVENT_TRIGGER and FOREIGN_SERVER
// refs carry their name in `name`; the parts of a table also name the part in `sub`; a
// function's `sub` (its arguments) may be empty; an OTHER object's `sub` is its kind.
Status ValidateRef(const PgTarget& t, const pb::PgObjectRef& r) {
  const std::string label = KindLabel(r.kind());
  switch (r.kind()) {
    case pb::PG_OBJECT_KIND_UNSPECIFIED:
      return Status::InvalidArgument(fmt::format("postgres {}: object kind is UNSPECIFIED", t.verb));
    case pb::PG_OBJECT_SCHEMA:
    case pb::PG_OBJECT_EXTENSION:
    case pb::PG_OBJECT_EVENT_TRIGGER:
    case pb::PG_OBJECT_FOREIGN_SERVER: return Present(t, {{label, r.name()}});
    case pb::PG_OBJECT_COLUMN:
    case pb::PG_OBJECT_INDEX:
    case pb::PG_OBJECT_CONSTRAINT:
    case pb::PG_OBJECT_TRIGGER:
    case pb::PG_OBJECT_POLICY:
      return Present(t, {{"schema", r.schema()}, {"table", r.name()}, {label, r.sub()}});
    case pb::PG_OBJECT_OTHER: return Present(t, {{"kind", r.sub()}, {"object", r.name()}});
    default: return Present(t, {{"schema", r.schema()}, {label, r.name()}});
  }
}

Status ValidateComment(const PgTarget& t, const pb::PgSetComment& e) {
  return ValidateRef(t, e.target());
}

// A partition names its parent ("schema.table") and its bound; an empty message means "not a
// partition" and is valid too.
Status ValidatePartitionOf(const PgTarget& t, const pb::PgPartitionOf& p) {
  if (p.parent().empty() && p.bound().empty() && !p.detach_pending()) return Status::Ok();
  if (p.parent().find('.') == std::string::npos) {
    return Invalid(t, fmt::format("partition parent '{}' is not schema.table", p.parent()));
  }
  if (p.bound().empty()) return Invalid(t, "partition bound is empty");
  return Status::Ok();
}

Status ValidateOther(const PgTarget& t, const pb::PgOtherObject& o) {
  STRATA_RETURN_IF_ERROR(Present(t, {{"kind", o.kind()}, {"object", o.name()}}));
  if (o.definition().empty()) return Invalid(t, "definition is empty");
  return Status::Ok();
}

Status ValidateColumnChange(const PgTarget& t, const pb::PostgresChange& c) {
  using C = pb::PostgresChange;
  switch (c.kind_case()) {
    case C::kAddColumn: {
      const auto& e = c.add_column();
      STRATA_RETURN_IF_ERROR(Present(t, {{"schema", e.schema()}, {"table", e.table()}}));
      return ValidateColumn(t, e.column());
    }
    case C::kDropColumn:
      return ValidatePart(t, c.drop_column(), "column", c.drop_column().column());
    case C::kAlterColumnType: {
      const auto& e = c.alter_column_type();
      STRATA_RETURN_IF_ERROR(ValidatePart(t, e, "column", e.column()));
      if (e.type().empty()) return Invalid(t, fmt::format("column {} type is empty", e.column()));
      return Status::Ok();
    }
    case C::kSetColumnNotNull:
      return ValidatePart(t, c.set_column_not_null(), "column", c.set_column_not_null().column());
    case C::kSetColumnDefault:
      return ValidatePart(t, c.set_column_default(), "column", c.set_column_default().column());
    case C::kSetColumnIdentity: {
      const auto& e = c.set_column_identity();
      STRATA_RETURN_IF_ERROR(ValidatePart(t, e, "column", e.column()));
      if (e.identity() == pb::PG_IDENTITY_UNSPECIFIED) {
        return Invalid(t, fmt::format("column {} identity is UNSPECIFIED", e.column()));
      }
      return Status::Ok();
    }
    case C::kSetColumnGenerated:
      return ValidatePart(t, c.set_column_generated(), "column", c.set_column_generated().column());
    default: break;
  }
  return Status::Internal("postgres " + t.verb + ": not a column change");
}

// Tables and their parts: columns, constraints, indexes, triggers.
Status ValidateTableChange(const PgTarget& t, const pb::PostgresChange& c) {
  using C = pb::PostgresChange;
  switch (c.kind_case()) {
    case C::kCreateTable: return ValidateTable(t, c.create_table().table());
    case C::kDropTable:
      return Present(t, {{"schema", c.drop_table().schema()}, {"table", c.drop_table().table()}});
    case C::kAddConstraint: {
      const auto& e = c.add_constraint();
      STRATA_RETURN_IF_ERROR(Present(t, {{"schema", e.schema()}, {"table", e.table()}}));
      return ValidateConstraint(t, e.constraint(), "constraint");
    }
    case C::kDropConstraint:
      return ValidatePart(t, c.drop_constraint(), "constraint", c.drop_constraint().constraint());
    case C::kCreateIndex:
      return ValidatePart(t, c.create_index(), "index", c.create_index().index().name());
    case C::kDropIndex: return ValidatePart(t, c.drop_index(), "index", c.drop_index().index());
    case C::kCreateTrigger:
      return ValidatePart(t, c.create_trigger(), "trigger", c.create_trigger().trigger().name());
    case C::kDropTrigger:
      return ValidatePart(t, c.drop_trigger(), "trigger", c.drop_trigger().trigger());
    default: return ValidateColumnChange(t, c);
  }
}

template <typename Object>
Status ValidateNamed(const PgTarget& t, const Object& o, std::string_view what) {
  return Present(t, {{"schema", o.schema()}, {what, o.name()}});
}

// A sequence or function with its privileges.
template <typename Object>
Status ValidateWithAcl(const PgTarget& t, const Object& o, std::string_view what,
                       pb::PgObjectKind kind) {
  STRATA_RETURN_IF_ERROR(ValidateNamed(t, o, what));
  return ValidatePgAcl(t, o.acl(), kind);
}

// Everything that is not a table: schemas, views, sequences, types, extensions, functions.
Status ValidateObjectChange(const PgTarget& t, const pb::PostgresChange& c) {
  using C = pb::PostgresChange;
  switch (c.kind_case()) {
    case C::kCreateSchema: {
      STRATA_RETURN_IF_ERROR(Present(t, {{"schema", c.create_schema().schema().name()}}));
      return ValidatePgAcl(t, c.create_schema().schema().acl(), pb::PG_OBJECT_SCHEMA);
    }
    case C::kDropSchema: return Present(t, {{"schema", c.drop_schema().schema()}});
    case C::kCreateView: return ValidateView(t, c.create_view().view());
    case C::kReplaceView: return ValidateView(t, c.replace_view().view());
    case C::kDropView:
      return Present(t, {{"schema", c.drop_view().schema()}, {"view", c.drop_view().view()}});
    case C::kCreateSequence:
      return ValidateWithAcl(t, c.create_sequence().sequence(), "sequence",
                             pb::PG_OBJECT_SEQUENCE);
    case C::kAlterSequence:
      return ValidateWithAcl(t, c.alter_sequence().sequence(), "sequence",
                             pb::PG_OBJECT_SEQUENCE);
    case C::kDropSequence: {
      const auto& e = c.drop_sequence();
      return Present(t, {{"schema", e.schema()}, {"sequence", e.sequence()}});
    }
    case C::kCreateType: return ValidateType(t, c.create_type().type());
    case C::kAlterType: return ValidateType(t, c.alter_type().type());
    case C::kDropType:
      return Present(t, {{"schema", c.drop_type().schema()}, {"type", c.drop_type().type()}});
    case C::kCreateExtension:
      return Present(t, {{"extension", c.create_extension().extension().name()}});
    case C::kAlterExtension:
      return Present(t, {{"extension", c.alter_extension().extension().name()}});
    case C::kDropExtension: return Present(t, {{"extension", c.drop_extension().extension()}});
    case C::kCreateFunction:
      return ValidateWithAcl(t, c.create_function().function(), "function",
                             pb::PG_OBJECT_FUNCTION);
    case C::kReplaceFunction:
      return ValidateWithAcl(t, c.replace_function().function(), "function",
                             pb::PG_OBJECT_FUNCTION);
    case C::kDropFunction: return ValidateNamed(t, c.drop_function(), "function");
    case C::kSetComment: return ValidateComment(t, c.set_comment());
    case C::kRename: {
      STRATA_RETURN_IF_ERROR(ValidateRef(t, c.rename().target()));
      if (c.rename().new_name().empty()) return Invalid(t, "new name is empty");
      return Status::Ok();
    }
    case C::kSetDefinition: {
      const auto kind = c.set_definition().target().kind();
      if (kind != pb::PG_OBJECT_INDEX && kind != pb::PG_OBJECT_CONSTRAINT &&
          kind != pb::PG_OBJECT_TRIGGER) {
        return Invalid(t, "only an index, a constraint or a trigger has a definition to set");
      }
      STRATA_RETURN_IF_ERROR(ValidateRef(t, c.set_definition().target()));
      if (c.set_definition().definition().empty()) return Invalid(t, "definition is empty");
      return Status::Ok();
    }
    case C::kSetPartition: {
      const auto& e = c.set_partition();
      STRATA_RETURN_IF_ERROR(Present(t, {{"schema", e.schema()}, {"table", e.table()}}));
      return ValidatePartitionOf(t, e.partition_of());
    }
    case C::kCreateOther: return ValidateOther(t, c.create_other().object());
    case C::kReplaceOther: return ValidateOther(t, c.replace_other().object());
    case C::kDropOther: {
      const auto& e = c.drop_other();
      return Present(t, {{"kind", e.kind()}, {"object", e.name()}});
    }
    case C::kSetRowSecurity:
    case C::kCreatePolicy:
    case C::kDropPolicy:
    case C::kSetAcl:
    case C::kSetDefaultPrivileges: return ValidatePgSecurityChange(t, c);
    default: return ValidateTableChange(t, c);
  }
}

}  // namespace

Status ValidatePostgresChange(const pb::PostgresChange& c) {
  if (c.kind_case() == pb::PostgresChange::KIND_NOT_SET) {
    return Status::InvalidArgument("postgres change: kind is UNSPECIFIED");
  }
  if (IsPgStorageChange(c)) return ValidateStorageChange(PgTargetOf(c), c);
  return ValidateObjectChange(PgTargetOf(c), c);
}

}  // namespace strata

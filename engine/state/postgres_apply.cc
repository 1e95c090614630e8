// Apply for PostgreSQL changes to whole objects: namespaces, tables, views, sequences, types,
// extensions and functions. The change is validated first (names present, nothing
// UNSPECIFIED, no duplicates); each handler then checks the state and mutates last, so a
// failing change leaves the schema untouched.
//
// Namespaces are records of their own (see PostgresSchema in postgres.proto): creating an
// object in a namespace that `namespaces` does not list is allowed, because introspection may
// leave out "public", and dropping a namespace leaves any objects still in it.
#include <fmt/format.h>

#include "engine/state/apply.h"
#include "engine/state/canonical_glue_postgres.h"
#include "engine/state/postgres_apply_internal.h"
#include "engine/state/targets.h"
#include "engine/state/validate.h"

namespace strata {
namespace {

using pg_apply::Create;
using pg_apply::Drop;
using pg_apply::Find;
using pg_apply::Replace;

// Tables and views share one name space, so an index can name either.
Status CheckRelationFree(const pb::PostgresSchema& s, const std::string& key) {
  if (s.tables().count(key)) {
    return Status::AlreadyExists(fmt::format("postgres table {} already exists", key));
  }
  if (s.views().count(key)) {
    return Status::AlreadyExists(fmt::format("postgres view {} already exists", key));
  }
  return Status::Ok();
}

Status CreateTable(const pb::PgTable& table, pb::PostgresSchema* s) {
  const std::string key = PgKey(table.schema(), table.name());
  STRATA_RETURN_IF_ERROR(CheckRelationFree(*s, key));
  pb::PgTable& stored = (*s->mutable_tables())[key];
  stored = table;
  CanonicalizePgTable(&stored);
  return Status::Ok();
}

Status CreateView(const pb::PgView& view, pb::PostgresSchema* s) {
  const std::string key = PgKey(view.schema(), view.name());
  STRATA_RETURN_IF_ERROR(CheckRelationFree(*s, key));
  pb::PgView& stored = (*s->mutable_views())[key];
  stored = view;
  CanonicalizePgView(&stored);
  return Status::Ok();
}

// CREATE OR REPLACE VIEW cannot turn a view into a materialized one (or back).
Status ReplaceView(const pb::PgView& view, pb::PostgresSchema* s) {
  const std::string key = PgKey(view.schema(), view.name());
  STRATA_ASSIGN_OR_RETURN(pb::PgView * stored, Find(s->mutable_views(), key, "view"));
  if (stored->materialized() != view.materialized()) {
    return Status::InvalidArgument(fmt::format(
        "postgres replace_view {}: materialized cannot change (drop and create the view)", key));
  }
  *stored = view;
  CanonicalizePgView(stored);
  return Status::Ok();
}

template <typename Map>
Status CreateOrAlterType(Map* types, const pb::PgType& type, bool create) {
  pb::PgType canonical = type;
  CanonicalizePgType(&canonical);
  const std::string key = PgKey(type.schema(), type.name());
  return create ? Create(types, key, canonical, "type") : Replace(types, key, canonical, "type");
}

template <typename Function>
std::string FunctionKey(const Function& f) {
  return PgFunctionKey(f.schema(), f.name(), f.identity_arguments());
}

// Views, sequences and types.
Status ApplyRelationLike(const pb::PostgresChange& c, pb::PostgresSchema* s) {
  using C = pb::PostgresChange;
  switch (c.kind_case()) {
    case C::kCreateView: return CreateView(c.create_view().view(), s);
    case C::kReplaceView: return ReplaceView(c.replace_view().view(), s);
    case C::kDropView:
      return Drop(s->mutable_views(), PgKey(c.drop_view().schema(), c.drop_view().view()), "view");
    case C::kCreateSequence: {
      const auto& q = c.create_sequence().sequence();
      return Create(s->mutable_sequences(), PgKey(q.schema(), q.name()), q, "sequence");
    }
    case C::kAlterSequence: {
      const auto& q = c.alter_sequence().sequence();
      return Replace(s->mutable_sequences(), PgKey(q.schema(), q.name()), q, "sequence");
    }
    case C::kDropSequence: {
      const auto& e = c.drop_sequence();
      return Drop(s->mutable_sequences(), PgKey(e.schema(), e.sequence()), "sequence");
    }
    case C::kCreateType: return CreateOrAlterType(s->mutable_types(), c.create_type().type(), true);
    case C::kAlterType: return CreateOrAlterType(s->mutable_types(), c.alter_type().type(), false);
    case C::kDropType:
      return Drop(s->mutable_types(), PgKey(c.drop_type().schema(), c.drop_type().type()), "type");
    default: break;
  }
  return pg_apply::ApplyTablePart(c, s);
}

// Namespaces, extensions, functions and tables as wholes.
Status ApplyWhole(const pb::PostgresChange& c, pb::PostgresSchema* s) {
  using C = pb::PostgresChange;
  switch (c.kind_case()) {
    case C::kCreateSchema: {
      const auto& n = c.create_schema().schema();
      return Create(s->mutable_namespaces(), n.name(), n, "schema");
    }
    case C::kDropSchema: return Drop(s->mutable_namespaces(), c.drop_schema().schema(), "schema");
    case C::kCreateTable: return CreateTable(c.create_table().table(), s);
    case C::kDropTable: {
      const auto& e = c.drop_table();
      return Drop(s->mutable_tables(), PgKey(e.schema(), e.table()), "table");
    }
    case C::kCreateExtension: {
      const auto& x = c.create_extension().extension();
      return Create(s->mutable_extensions(), x.name(), x, "extension");
    }
    case C::kAlterExtension: {
      const auto& x = c.alter_extension().extension();
      return Replace(s->mutable_extensions(), x.name(), x, "extension");
    }
    case C::kDropExtension:
      return Drop(s->mutable_extensions(), c.drop_extension().extension(), "extension");
    case C::kCreateFunction: {
      const auto& f = c.create_function().function();
      return Create(s->mutable_functions(), FunctionKey(f), f, "function");
    }
    case C::kReplaceFunction: {
      const auto& f = c.replace_function().function();
      STRATA_RETURN_IF_ERROR(pg_apply::CheckRoutineKindKept(f, *s));
      return Replace(s->mutable_functions(), FunctionKey(f), f, "function");
    }
    case C::kDropFunction:
      return Drop(s->mutable_functions(), FunctionKey(c.drop_function()), "function");
    case C::kSetComment: return pg_apply::SetComment(c.set_comment(), s);
    case C::kRename:
    case C::kSetDefinition:
    case C::kSetPartition:
    case C::kCreateOther:
    case C::kReplaceOther:
    case C::kDropOther: return pg_apply::ApplyIdentityChange(c, s);
    case C::kSetRowSecurity:
    case C::kCreatePolicy:
    case C::kDropPolicy:
    case C::kSetAcl:
    case C::kSetDefaultPrivileges: return pg_apply::ApplySecurity(c, s);
    default: break;
  }
  return ApplyRelationLike(c, s);
}

}  // namespace

Status ApplyPostgres(const pb::PostgresChange& c, pb::PostgresSchema* schema) {
  STRATA_RETURN_IF_ERROR(ValidatePostgresChange(c));
  if (IsPgStorageChange(c)) return pg_apply::ApplyStorage(c, schema);
  return pg_apply::WithImplicitNamespace(c, schema, ApplyWhole);
}

}  // namespace strata

// SetComment for PostgreSQL: finds the comment field of the referenced object or part and
// sets it (a policy's `sub` names it, like a column's). Every PgObjectKind can carry a comment; "" removes it (COMMENT ... IS NULL).
#include "engine/state/postgres_apply_internal.h"

namespace strata::pg_apply {
namespace {

// The comment of a table part (column, constraint, trigger) named by the ref's `sub`.
template <typename Repeated>
Result<std::string*> PartComment(Repeated* items, std::string_view what,
                                 const pb::PgObjectRef& r) {
  STRATA_ASSIGN_OR_RETURN(int i, FindPart(*items, what, PgKey(r.schema(), r.name()), r.sub()));
  return items->Mutable(i)->mutable_comment();
}

template <typename Map>
Result<std::string*> ObjectComment(Map* map, const std::string& key, std::string_view what) {
  STRATA_ASSIGN_OR_RETURN(auto* object, Find(map, key, what));
  return object->mutable_comment();
}

Result<std::string*> TablePartComment(const pb::PgObjectRef& r, pb::PostgresSchema* s) {
  if (r.kind() == pb::PG_OBJECT_INDEX) {
    STRATA_ASSIGN_OR_RETURN(Indexes * indexes, FindIndexOwner(s, r.schema(), r.name()));
    return PartComment(indexes, "index", r);
  }
  STRATA_ASSIGN_OR_RETURN(pb::PgTable * t, FindTable(s, r.schema(), r.name()));
  switch (r.kind()) {
    case pb::PG_OBJECT_TABLE: return t->mutable_comment();
    case pb::PG_OBJECT_COLUMN: return PartComment(t->mutable_columns(), "column", r);
    case pb::PG_OBJECT_CONSTRAINT: return PartComment(t->mutable_constraints(), "constraint", r);
    case pb::PG_OBJECT_TRIGGER: return PartComment(t->mutable_triggers(), "trigger", r);
    case pb::PG_OBJECT_POLICY: return PartComment(t->mutable_policies(), "policy", r);
    default: break;
  }
  return Status::Internal("postgres set_comment: not a table part");
}

Result<std::string*> CommentOf(const pb::PgObjectRef& r, pb::PostgresSchema* s) {
  const std::string key = PgKey(r.schema(), r.name());
  switch (r.kind()) {
    case pb::PG_OBJECT_SCHEMA: return ObjectComment(s->mutable_namespaces(), r.name(), "schema");
    case pb::PG_OBJECT_EXTENSION:
      return ObjectComment(s->mutable_extensions(), r.name(), "extension");
    case pb::PG_OBJECT_EVENT_TRIGGER:
      return ObjectComment(s->mutable_event_triggers(), r.name(), "event trigger");
    case pb::PG_OBJECT_FOREIGN_SERVER:
      return ObjectComment(s->mutable_foreign_servers(), r.name(), "foreign server");
    case pb::PG_OBJECT_VIEW: return ObjectComment(s->mutable_views(), key, "view");
    case pb::PG_OBJECT_SEQUENCE: return ObjectComment(s->mutable_sequences(), key, "sequence");
    case pb::PG_OBJECT_TYPE: return ObjectComment(s->mutable_types(), key, "type");
    case pb::PG_OBJECT_FUNCTION:
      return ObjectComment(s->mutable_functions(), PgFunctionKey(r.schema(), r.name(), r.sub()),
                           "function");
    default: return TablePartComment(r, s);
  }
}

}  // namespace

Status SetComment(const pb::PgSetComment& e, pb::PostgresSchema* s) {
  STRATA_ASSIGN_OR_RETURN(std::string * comment, CommentOf(e.target(), s));
  *comment = e.comment();
  return Status::Ok();
}

}  // namespace strata::pg_apply

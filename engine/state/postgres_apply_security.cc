// Apply for PostgreSQL security state: row-level security flags, policies (kept sorted by
// name), privileges (SetAcl replaces an object's whole ACL) and default privileges (an empty
// ACL removes the entry: the built-in default is no entry at all).
#include <fmt/format.h>

#include "engine/state/canonical_glue_postgres.h"
#include "engine/state/postgres_apply_internal.h"
#include "engine/state/postgres_security.h"

namespace strata::pg_apply {
namespace {

Status CreatePolicy(const pb::PgCreatePolicy& e, pb::PostgresSchema* s) {
  STRATA_ASSIGN_OR_RETURN(pb::PgTable * t, FindTable(s, e.schema(), e.table()));
  if (IndexByName(t->policies(), e.policy().name()) >= 0) {
    return Status::AlreadyExists(fmt::format("postgres policy {}.{} already exists",
                                             PgKey(e.schema(), e.table()), e.policy().name()));
  }
  InsertSorted(t->mutable_policies(), e.policy());
  return Status::Ok();
}

Status DropPolicy(const pb::PgDropPolicy& e, pb::PostgresSchema* s) {
  STRATA_ASSIGN_OR_RETURN(pb::PgTable * t, FindTable(s, e.schema(), e.table()));
  STRATA_ASSIGN_OR_RETURN(
      int i, FindPart(t->policies(), "policy", PgKey(e.schema(), e.table()), e.policy()));
  t->mutable_policies()->DeleteSubrange(i, 1);
  return Status::Ok();
}

template <typename Object>
Status Assign(Object* object, const pb::PgAcl& acl) {
  *object->mutable_acl() = acl;
  CanonicalizePgObject(object);
  return Status::Ok();
}

template <typename Map>
Status SetObjectAcl(Map* map, const std::string& key, std::string_view what,
                    const pb::PgAcl& acl) {
  STRATA_ASSIGN_OR_RETURN(auto* object, Find(map, key, what));
  return Assign(object, acl);
}

Status SetAcl(const pb::PgSetAcl& e, pb::PostgresSchema* s) {
  const pb::PgObjectRef& r = e.target();
  const std::string key = PgKey(r.schema(), r.name());
  switch (r.kind()) {
    case pb::PG_OBJECT_TABLE: return SetObjectAcl(s->mutable_tables(), key, "table", e.acl());
    case pb::PG_OBJECT_COLUMN: {
      STRATA_ASSIGN_OR_RETURN(pb::PgTable * t, FindTable(s, r.schema(), r.name()));
      STRATA_ASSIGN_OR_RETURN(int i, FindPart(t->columns(), "column", key, r.sub()));
      return Assign(t->mutable_columns(i), e.acl());
    }
    case pb::PG_OBJECT_VIEW: return SetObjectAcl(s->mutable_views(), key, "view", e.acl());
    case pb::PG_OBJECT_SEQUENCE:
      return SetObjectAcl(s->mutable_sequences(), key, "sequence", e.acl());
    case pb::PG_OBJECT_TYPE: return SetObjectAcl(s->mutable_types(), key, "type", e.acl());
    case pb::PG_OBJECT_SCHEMA:
      return SetObjectAcl(s->mutable_namespaces(), r.name(), "schema", e.acl());
    case pb::PG_OBJECT_FOREIGN_SERVER:
      return SetObjectAcl(s->mutable_foreign_servers(), r.name(), "foreign server", e.acl());
    case pb::PG_OBJECT_FUNCTION:
      return SetObjectAcl(s->mutable_functions(), PgFunctionKey(r.schema(), r.name(), r.sub()),
                          "function", e.acl());
    default: break;
  }
  return Status::Internal("postgres set_acl: not an object with privileges");
}

Status SetDefaultPrivileges(const pb::PgDefaultPrivileges& entry, pb::PostgresSchema* s) {
  const std::string key = PgDefaultPrivilegesKey(entry);
  if (IsEmptyAcl(entry.acl())) {
    s->mutable_default_privileges()->erase(key);
    return Status::Ok();
  }
  pb::PgDefaultPrivileges& stored = (*s->mutable_default_privileges())[key];
  stored = entry;
  CanonicalizePgAcl(stored.mutable_acl());
  return Status::Ok();
}

// Whether `c` sets the comment or the ACL of the implicit namespace.
bool TouchesImplicitNamespace(const pb::PostgresChange& c) {
  const pb::PgObjectRef* ref = nullptr;
  if (c.has_set_acl()) ref = &c.set_acl().target();
  if (c.has_set_comment()) ref = &c.set_comment().target();
  return ref != nullptr && ref->kind() == pb::PG_OBJECT_SCHEMA &&
         ref->name() == kPgImplicitNamespace;
}

}  // namespace

Status ApplySecurity(const pb::PostgresChange& c, pb::PostgresSchema* s) {
  using C = pb::PostgresChange;
  switch (c.kind_case()) {
    case C::kSetRowSecurity: {
      const auto& e = c.set_row_security();
      STRATA_ASSIGN_OR_RETURN(pb::PgTable * t, FindTable(s, e.schema(), e.table()));
      t->set_row_security(e.enabled());
      t->set_force_row_security(e.forced());
      return Status::Ok();
    }
    case C::kCreatePolicy: return CreatePolicy(c.create_policy(), s);
    case C::kDropPolicy: return DropPolicy(c.drop_policy(), s);
    case C::kSetAcl: return SetAcl(c.set_acl(), s);
    case C::kSetDefaultPrivileges: return SetDefaultPrivileges(c.set_default_privileges().entry(), s);
    default: break;
  }
  return Status::Internal("postgres change: not a security change: " + c.ShortDebugString());
}

Status WithImplicitNamespace(const pb::PostgresChange& c, pb::PostgresSchema* s,
                             Status (*apply)(const pb::PostgresChange&, pb::PostgresSchema*)) {
  if (!TouchesImplicitNamespace(c)) return apply(c, s);
  const std::string name(kPgImplicitNamespace);
  auto* namespaces = s->mutable_namespaces();
  if (!namespaces->count(name)) (*namespaces)[name].set_name(name);
  Status status = apply(c, s);
  if (IsBareImplicitNamespace(namespaces->at(name))) namespaces->erase(name);
  return status;
}

}  // namespace strata::pg_apply

// Row-level security, policies, privileges (ACLs) and default privileges: four queries.
//
// Privileges are read relative to the default: the server's aclexplode() of the object's ACL
// (NULL meaning acldefault(kind, owner)) against aclexplode() of acldefault(kind, owner). What
// only the first has is a grant, what only the second has a revoke; so a NULL ACL, and an
// explicit one equal to the default, both read as no change. Roles are kept by name
// ("PUBLIC" for every role), never by OID: OIDs differ between clusters.
//
// The "public" schema is compared with what a fresh database has (USAGE, before PostgreSQL 15
// also CREATE, granted to PUBLIC by its owner) and listed only when it differs from that.
#include "adapters/postgres/introspect_internal.h"
#include "engine/state/canonical_glue_postgres.h"
#include "engine/state/postgres_keys.h"
#include "engine/state/postgres_security.h"

namespace strata::postgres::introspect {
namespace {

// The grants and revokes of `acl` (an aclitem[] expression, never NULL) relative to `base`,
// as rows (op 'g' or 'r', grantee, privilege, grantable, grantor) of a lateral subquery `d`.
std::string AclDifferenceSql(std::string_view acl, std::string_view base) {
  constexpr std::string_view kItem =
      "SELECT '{0}'::text AS op, CASE WHEN x.grantee = 0 THEN 'PUBLIC' "
      "ELSE pg_get_userbyid(x.grantee)::text END AS grantee, x.privilege_type::text AS privilege, "
      "x.is_grantable AS grantable, pg_get_userbyid(x.grantor)::text AS grantor FROM aclexplode({1}) x";
  return fmt::format(" CROSS JOIN LATERAL (({0} EXCEPT {1}) UNION ALL ({2} EXCEPT {3})) d",
                     fmt::format(kItem, "g", acl), fmt::format(kItem, "g", base),
                     fmt::format(kItem, "r", base), fmt::format(kItem, "r", acl));
}

// What a fresh database's "public" schema has beyond acldefault: USAGE (and before 15 CREATE)
// for PUBLIC, granted by the owner.
std::string FreshPublicSql(int server_version) {
  std::string sql = "acldefault('n', n.nspowner) || makeaclitem(0, n.nspowner, 'USAGE', false)";
  if (server_version < 150000) sql += " || makeaclitem(0, n.nspowner, 'CREATE', false)";
  return sql;
}

// Every object with an ACL that is not NULL, as (kind, oid, schema, name, sub, acl, base):
// relations ('r', sequences 's'), columns ('c', sub = column), schemas ('n'), functions ('f',
// sub = identity arguments), types ('T') and foreign servers ('S'). Rows of objects the model leaves out are read
// and dropped on this side, like the core readers' (foreign tables included, for when the
// model has them).
std::string AclObjectsSql(const IntrospectOptions& o, int server_version) {
  return fmt::format(
      "SELECT CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::text AS kind, c.oid, "
      "n.nspname::text AS nspname, c.relname::text AS name, ''::text AS sub, c.relacl AS acl, "
      "acldefault((CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END)::\"char\", c.relowner) "
      "AS base "
      "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE c.relacl IS NOT NULL AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S') AND {0} AND {1} "
      "UNION ALL SELECT 'c', c.oid, n.nspname::text, c.relname::text, a.attname::text, a.attacl, "
      "acldefault('c', c.relowner) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
      "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE a.attacl IS NOT NULL "
      "AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f') AND {0} AND {1} "
      "UNION ALL SELECT 'n', n.oid, '', n.nspname::text, '', coalesce(n.nspacl, acldefault('n', "
      "n.nspowner)), CASE WHEN n.nspname = 'public' THEN {2} ELSE acldefault('n', n.nspowner) "
      "END FROM pg_namespace n WHERE (n.nspacl IS NOT NULL OR n.nspname = 'public') AND {0} "
      "UNION ALL SELECT 'f', p.oid, n.nspname::text, p.proname::text, "
      "pg_get_function_identity_arguments(p.oid), "
      "p.proacl, acldefault('f', p.proowner) FROM pg_proc p "
      "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proacl IS NOT NULL AND {0} "
      "UNION ALL SELECT 'T', t.oid, n.nspname::text, t.typname::text, '', t.typacl, "
      "acldefault('T', t.typowner) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
      "WHERE t.typacl IS NOT NULL AND {0} "
      "UNION ALL SELECT 'S', s.oid, '', s.srvname::text, '', s.srvacl, "
      "acldefault('S', s.srvowner) FROM pg_foreign_server s WHERE s.srvacl IS NOT NULL",
      UserSchemaSql(o, "n"), RelationFilter(o, "c.oid"), FreshPublicSql(server_version));
}

std::string PolicyCommand(std::string_view polcmd) {
  if (polcmd == "r") return "SELECT";
  if (polcmd == "a") return "INSERT";
  if (polcmd == "w") return "UPDATE";
  if (polcmd == "d") return "DELETE";
  return "ALL";
}

std::string DefaultObjectType(std::string_view defaclobjtype) {
  if (defaclobjtype == "r") return "TABLES";
  if (defaclobjtype == "S") return "SEQUENCES";
  if (defaclobjtype == "f") return "FUNCTIONS";
  if (defaclobjtype == "T") return "TYPES";
  if (defaclobjtype == "n") return "SCHEMAS";
  return std::string(defaclobjtype);
}

// Appends the difference row at `first` (op, grantee, privilege, grantable, grantor) to `acl`.
void AddGrant(const Row& row, int first, pb::PgAcl* acl) {
  pb::PgGrant* g = Text(row, first) == "g" ? acl->add_grants() : acl->add_revokes();
  g->set_grantee(Text(row, first + 1));
  g->set_privilege(Text(row, first + 2));
  g->set_grantable(Bool(row, first + 3));
  g->set_grantor(Text(row, first + 4));
}

class SecurityReader {
 public:
  SecurityReader(Session& session, const IntrospectOptions& options, Catalog* catalog)
      : session_(session), options_(options), catalog_(catalog) {}

  Status ReadAll() {
    STRATA_RETURN_IF_ERROR(RowSecurity());
    STRATA_RETURN_IF_ERROR(Policies());
    STRATA_RETURN_IF_ERROR(Acls());
    STRATA_RETURN_IF_ERROR(DefaultPrivileges());
    pb::PostgresSchema& s = catalog_->schema;
    for (auto& [_, q] : *s.mutable_sequences()) CanonicalizePgObject(&q);
    for (auto& [_, f] : *s.mutable_functions()) CanonicalizePgObject(&f);
    for (auto& [_, n] : *s.mutable_namespaces()) CanonicalizePgObject(&n);
    return Status::Ok();
  }

 private:
  pb::PgTable* Table(const std::string& oid) {
    auto it = catalog_->tables.find(oid);
    return it == catalog_->tables.end() ? nullptr : &it->second;
  }

  Status RowSecurity() {
    STRATA_ASSIGN_OR_RETURN(
        auto r, session_.Query(
                    "row level security",
                    fmt::format("SELECT c.oid, c.relrowsecurity, c.relforcerowsecurity "
                                "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                "WHERE (c.relrowsecurity OR c.relforcerowsecurity) "
                                "AND c.relkind IN ('r', 'p') AND {} AND {}",
                                UserSchemaSql(options_, "n"), RelationFilter(options_, "c.oid"))));
    for (const Row& row : r.rows) {
      if (pb::PgTable* t = Table(Text(row, 0))) {
        t->set_row_security(Bool(row, 1));
        t->set_force_row_security(Bool(row, 2));
      }
    }
    return Status::Ok();
  }

  // One row per policy and role, roles in pg_policy's order (0 is PUBLIC).
  Status Policies() {
    enum { kTable, kOid, kName, kCommand, kPermissive, kUsing, kCheck, kComment, kRole };
    STRATA_ASSIGN_OR_RETURN(
        auto r,
        session_.Query(
            "policies",
            fmt::format(
                "SELECT p.polrelid, p.oid, p.polname, p.polcmd, p.polpermissive, "
                "pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid), "
                "ds.description, CASE WHEN r.role = 0 THEN 'PUBLIC' "
                "ELSE pg_get_userbyid(r.role)::text END "
                "FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "CROSS JOIN LATERAL unnest(p.polroles) WITH ORDINALITY r(role, ord) {}"
                "WHERE {} AND {} ORDER BY p.polrelid, p.oid, r.ord",
                CommentJoin("pg_policy", "p.oid"), UserSchemaSql(options_, "n"),
                RelationFilter(options_, "p.polrelid"))));
    std::string last_policy;
    pb::PgPolicy* policy = nullptr;
    for (const Row& row : r.rows) {
      pb::PgTable* t = Table(Text(row, kTable));
      if (t == nullptr) continue;
      if (policy == nullptr || Text(row, kOid) != last_policy) {
        last_policy = Text(row, kOid);
        policy = t->add_policies();
        policy->set_name(Text(row, kName));
        policy->set_command(PolicyCommand(Text(row, kCommand)));
        policy->set_restrictive(!Bool(row, kPermissive));
        if (row[kUsing]) policy->set_using_expr(*row[kUsing]);
        if (row[kCheck]) policy->set_check_expr(*row[kCheck]);
        policy->set_comment(Text(row, kComment));
      }
      policy->add_roles(Text(row, kRole));
    }
    return Status::Ok();
  }

  Status Acls() {
    enum { kKind, kOid, kSchema, kName, kSub, kFirst };
    STRATA_ASSIGN_OR_RETURN(
        auto r, session_.Query(
                    "privileges",
                    fmt::format("SELECT o.kind, o.oid, o.nspname, o.name, o.sub, d.op, d.grantee, "
                                "d.privilege, d.grantable, d.grantor FROM ({}) o{}",
                                AclObjectsSql(options_, session_.conn().server_version()),
                                AclDifferenceSql("coalesce(o.acl, o.base)", "o.base"))));
    for (const Row& row : r.rows) {
      pb::PgAcl* acl = AclOf(Text(row, kKind), Text(row, kOid), Text(row, kSchema),
                             Text(row, kName), Text(row, kSub));
      if (acl != nullptr) AddGrant(row, kFirst, acl);
    }
    return Status::Ok();
  }

  // The ACL of an object the model holds; nullptr for one it leaves out.
  pb::PgAcl* AclOf(const std::string& kind, const std::string& oid, const std::string& schema,
                   const std::string& name, const std::string& sub) {
    pb::PostgresSchema& s = catalog_->schema;
    if (kind == "r") {
      if (pb::PgTable* t = Table(oid)) return t->mutable_acl();
      auto v = catalog_->views.find(oid);
      return v == catalog_->views.end() ? nullptr : v->second.mutable_acl();
    }
    if (kind == "c") {
      pb::PgTable* t = Table(oid);
      if (t == nullptr) return nullptr;
      for (auto& c : *t->mutable_columns()) {
        if (c.name() == sub) return c.mutable_acl();
      }
      return nullptr;
    }
    if (kind == "s") {
      auto q = s.mutable_sequences()->find(PgKey(schema, name));
      return q == s.mutable_sequences()->end() ? nullptr : q->second.mutable_acl();
    }
    if (kind == "f") {
      auto f = s.mutable_functions()->find(PgFunctionKey(schema, name, sub));
      return f == s.mutable_functions()->end() ? nullptr : f->second.mutable_acl();
    }
    if (kind == "T") {
      auto t = catalog_->types.find(oid);
      return t == catalog_->types.end() ? nullptr : t->second.mutable_acl();
    }
    if (kind == "S") {
      auto v = s.mutable_foreign_servers()->find(name);
      return v == s.mutable_foreign_servers()->end() ? nullptr : v->second.mutable_acl();
    }
    return NamespaceAcl(name);
  }

  // A schema's ACL; "public" gets an entry when it first differs from a fresh database's.
  pb::PgAcl* NamespaceAcl(const std::string& name) {
    auto* namespaces = catalog_->schema.mutable_namespaces();
    auto n = namespaces->find(name);
    if (n != namespaces->end()) return n->second.mutable_acl();
    if (name != kPgImplicitNamespace) return nullptr;
    pb::PgNamespace& entry = (*namespaces)[name];
    entry.set_name(name);
    return entry.mutable_acl();
  }

  // A global entry (no schema) holds the whole default for its kind, compared with the
  // built-in one; an entry for one schema only adds to it, so all it holds is a grant (its
  // base is NULL: aclexplode of an empty array literal is an error, of NULL no rows).
  Status DefaultPrivileges() {
    enum { kRole, kSchema, kType, kFirst };
    STRATA_ASSIGN_OR_RETURN(
        auto r,
        session_.Query(
            "default privileges",
            fmt::format(
                "SELECT pg_get_userbyid(o.defaclrole), coalesce(n.nspname, ''), o.defaclobjtype, "
                "d.op, d.grantee, d.privilege, d.grantable, d.grantor FROM (SELECT da.*, "
                "CASE WHEN da.defaclnamespace = 0 THEN acldefault(CASE da.defaclobjtype "
                "WHEN 'S' THEN 's' ELSE da.defaclobjtype END, da.defaclrole) "
                "END AS base FROM pg_default_acl da) o "
                "LEFT JOIN pg_namespace n ON n.oid = o.defaclnamespace{} "
                "WHERE o.defaclnamespace = 0 OR ({})",
                AclDifferenceSql("o.defaclacl", "o.base"), UserSchemaSql(options_, "n"))));
    auto* entries = catalog_->schema.mutable_default_privileges();
    for (const Row& row : r.rows) {
      pb::PgDefaultPrivileges e;
      e.set_role(Text(row, kRole));
      e.set_schema(Text(row, kSchema));
      e.set_object_type(DefaultObjectType(Text(row, kType)));
      pb::PgDefaultPrivileges& stored = (*entries)[PgDefaultPrivilegesKey(e)];
      if (stored.role().empty()) stored = e;
      AddGrant(row, kFirst, stored.mutable_acl());
    }
    for (auto& [_, e] : *entries) CanonicalizePgAcl(e.mutable_acl());
    return Status::Ok();
  }

  Session& session_;
  const IntrospectOptions& options_;
  Catalog* catalog_;
};

}  // namespace

Status ReadSecurity(Session& session, const IntrospectOptions& options, Catalog* catalog) {
  return SecurityReader(session, options, catalog).ReadAll();
}

}  // namespace strata::postgres::introspect

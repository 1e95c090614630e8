// GRANT/REVOKE after pg_dump's buildACLCommands: the recorded ACL is already the difference
// from the default (PgAcl), so the statements are its revokes, then its grants, grouped.
#include "adapters/postgres/render_security.h"

#include <fmt/format.h>

#include <map>
#include <set>
#include <tuple>
#include <vector>

#include "adapters/postgres/connection.h"
#include "adapters/postgres/render.h"
#include "engine/state/postgres_security.h"

namespace strata::postgres {
namespace {

using Grants = google::protobuf::RepeatedPtrField<pb::PgGrant>;

// PUBLIC is a keyword, not a role name: never quoted.
std::string Role(const std::string& role) {
  return role == "PUBLIC" ? role : QuoteIdentIfNeeded(role);
}

// (grantee, grantor, grant option) -> privileges, sorted by grantee.
using Groups = std::map<std::tuple<std::string, std::string, bool>, std::set<std::string>>;

Groups GroupOf(const Grants& list) {
  Groups groups;
  for (const auto& g : list) {
    groups[{g.grantee(), g.grantor(), g.grantable()}].insert(g.privilege());
  }
  return groups;
}

// The role whose rights the default holds: the grantor of a revoke, else the grantor most
// grants share (first by name on a tie).
std::string OwnerOf(const pb::PgAcl& acl) {
  if (!acl.revokes().empty()) return acl.revokes(0).grantor();
  std::map<std::string, int> count;
  for (const auto& g : acl.grants()) ++count[g.grantor()];
  std::string owner;
  int most = 0;
  for (const auto& [grantor, n] : count) {
    if (n > most) {
      owner = grantor;
      most = n;
    }
  }
  return owner;
}

std::string AsGrantor(const std::string& grantor, const std::string& owner, std::string stmt) {
  if (grantor == owner) return stmt;
  return fmt::format("SET SESSION AUTHORIZATION {};\n{}RESET SESSION AUTHORIZATION;\n",
                     QuoteIdentIfNeeded(grantor), stmt);
}

// `owner` when known (a column's table), else inferred from `acl`.
std::string AclStatements(std::string_view object, pb::PgObjectKind kind, const pb::PgAcl& acl,
                          std::string_view column = "", std::string owner = "") {
  if (owner.empty()) owner = OwnerOf(acl);
  std::string sql;
  for (const auto& [key, privileges] : GroupOf(acl.revokes())) {
    const auto& [grantee, grantor, _] = key;
    sql += AsGrantor(grantor, owner,
                     fmt::format("REVOKE {} ON {} FROM {};\n",
                                 PrivilegeList(privileges, kind, column), object, Role(grantee)));
  }
  // The owner's grants first: they give the grant options the others' grants use.
  const Groups grants = GroupOf(acl.grants());
  for (bool by_owner : {true, false}) {
    for (const auto& [key, privileges] : grants) {
      const auto& [grantee, grantor, grantable] = key;
      if ((grantor == owner) != by_owner) continue;
      sql += AsGrantor(grantor, owner,
                       fmt::format("GRANT {} ON {} TO {}{};\n",
                                   PrivilegeList(privileges, kind, column), object, Role(grantee),
                                   grantable ? " WITH GRANT OPTION" : ""));
    }
  }
  return sql;
}

std::string PolicySql(const std::string& table, const pb::PgPolicy& p) {
  std::string sql = "CREATE POLICY " + QuoteIdentIfNeeded(p.name()) + " ON " + table;
  if (p.restrictive()) sql += " AS RESTRICTIVE";
  if (p.command() != "ALL") sql += " FOR " + p.command();
  if (!(p.roles_size() == 1 && p.roles(0) == "PUBLIC")) {
    std::vector<std::string> roles;
    for (const auto& r : p.roles()) roles.push_back(Role(r));
    sql += fmt::format(" TO {}", fmt::join(roles, ", "));
  }
  if (p.has_using_expr()) sql += " USING (" + p.using_expr() + ")";
  if (p.has_check_expr()) sql += " WITH CHECK (" + p.check_expr() + ")";
  sql += ";\n";
  if (!p.comment().empty()) {
    sql += fmt::format("COMMENT ON POLICY {} ON {} IS {};\n", QuoteIdentIfNeeded(p.name()), table,
                       Connection::QuoteLiteral(p.comment()));
  }
  return sql;
}

}  // namespace

// MAINTAIN, which only PostgreSQL 17 has, need not be there for "ALL".
std::string PrivilegeList(const std::set<std::string>& privileges, pb::PgObjectKind kind,
                          std::string_view column) {
  const std::string suffix = column.empty() ? "" : "(" + QuoteIdentIfNeeded(column) + ")";
  std::vector<std::string> listed;
  bool all = true;
  for (std::string_view p : PgPrivilegesOf(kind)) {
    if (privileges.count(std::string(p))) {
      listed.push_back(std::string(p) + suffix);
    } else if (p != "MAINTAIN") {
      all = false;
    }
  }
  // Privileges a newer server has and this list does not (kept as recorded).
  for (const auto& p : privileges) {
    bool known = false;
    for (std::string_view k : PgPrivilegesOf(kind)) known |= k == p;
    if (!known) {
      listed.push_back(p + suffix);
      all = false;
    }
  }
  if (all) return "ALL" + suffix;
  return fmt::format("{}", fmt::join(listed, ","));
}

std::string AclSql(std::string_view object, pb::PgObjectKind kind, const pb::PgAcl& acl) {
  return AclStatements(object, kind, acl);
}

std::string TableSecuritySql(const pb::PgTable& t) {
  const std::string table = QualifiedName(t.schema(), t.name());
  std::string sql;
  if (t.row_security()) sql += "ALTER TABLE " + table + " ENABLE ROW LEVEL SECURITY;\n";
  if (t.force_row_security()) sql += "ALTER TABLE " + table + " FORCE ROW LEVEL SECURITY;\n";
  for (const auto& p : t.policies()) sql += PolicySql(table, p);
  sql += AclStatements("TABLE " + table, pb::PG_OBJECT_TABLE, t.acl());
  // The model does not hold owners: the table's ACL names its owner best.
  const std::string owner = OwnerOf(t.acl());
  for (const auto& c : t.columns()) {
    sql += AclStatements("TABLE " + table, pb::PG_OBJECT_COLUMN, c.acl(), c.name(), owner);
  }
  return sql;
}

std::string ViewAclSql(const pb::PgView& v) {
  // GRANT calls every relation a TABLE, as pg_dump writes it.
  return AclSql("TABLE " + QualifiedName(v.schema(), v.name()), pb::PG_OBJECT_VIEW, v.acl());
}

std::string SequenceAclSql(const pb::PgSequence& q) {
  return AclSql("SEQUENCE " + QualifiedName(q.schema(), q.name()), pb::PG_OBJECT_SEQUENCE,
                q.acl());
}

std::string TypeAclSql(const pb::PgType& t) {
  return AclSql(fmt::format("{} {}", t.has_domain() ? "DOMAIN" : "TYPE",
                            QualifiedName(t.schema(), t.name())),
                pb::PG_OBJECT_TYPE, t.acl());
}

std::string FunctionAclSql(const pb::PgFunction& f) {
  const bool procedure = f.definition().rfind("CREATE OR REPLACE PROCEDURE", 0) == 0;
  return AclSql(fmt::format("{} {}({})", procedure ? "PROCEDURE" : "FUNCTION",
                            QualifiedName(f.schema(), f.name()), f.identity_arguments()),
                pb::PG_OBJECT_FUNCTION, f.acl());
}

std::string SchemaAclSql(const pb::PgNamespace& n) {
  return AclSql("SCHEMA " + QuoteIdentIfNeeded(n.name()), pb::PG_OBJECT_SCHEMA, n.acl());
}

std::string DefaultPrivilegesSql(const pb::PgDefaultPrivileges& e) {
  std::string prefix = "ALTER DEFAULT PRIVILEGES FOR ROLE " + QuoteIdentIfNeeded(e.role());
  if (!e.schema().empty()) prefix += " IN SCHEMA " + QuoteIdentIfNeeded(e.schema());
  const pb::PgObjectKind kind = PgDefaultPrivilegesKind(e.object_type());
  std::string sql;
  for (const auto& [key, privileges] : GroupOf(e.acl().revokes())) {
    sql += fmt::format("{} REVOKE {} ON {} FROM {};\n", prefix, PrivilegeList(privileges, kind, ""),
                       e.object_type(), Role(std::get<0>(key)));
  }
  for (const auto& [key, privileges] : GroupOf(e.acl().grants())) {
    sql += fmt::format("{} GRANT {} ON {} TO {}{};\n", prefix, PrivilegeList(privileges, kind, ""),
                       e.object_type(), Role(std::get<0>(key)),
                       std::get<2>(key) ? " WITH GRANT OPTION" : "");
  }
  return sql;
}

}  // namespace strata::postgres

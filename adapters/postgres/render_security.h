// DDL text for PostgreSQL security state (internal to render.cc): row-level security,
// policies in pg_dump's canonical form, GRANT/REVOKE from an object's default privileges to
// its recorded ones, and ALTER DEFAULT PRIVILEGES. Pure functions; every statement ends in a
// newline, and an object with nothing to say gives "".
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "proto/postgres.pb.h"

namespace strata::postgres {

// ENABLE/FORCE ROW LEVEL SECURITY, the policies with their comments, the table's privileges
// and its columns' privileges.
std::string TableSecuritySql(const pb::PgTable& t);

// REVOKE what `acl` revokes, then GRANT what it grants, on `object` as GRANT names it
// ("TABLE app.t", "SCHEMA app", "FUNCTION app.f(integer)"), whose privileges are those of
// `kind`. Grants of one grantee, grantor and grant option are one statement listing the
// privileges in pg_dump's order (ALL when the kind's whole set is granted); grantees go by
// name, PUBLIC unquoted. A grant made by someone other than the owner (the grantor of the
// revokes, else the grantor most grants share) runs under SET SESSION AUTHORIZATION of that
// grantor, as PostgreSQL accepts GRANTED BY only for the current user.
std::string AclSql(std::string_view object, pb::PgObjectKind kind, const pb::PgAcl& acl);

// Privileges as GRANT lists them: in pg_dump's order, comma-separated, "ALL" for the kind's
// whole set, each followed by "(column)" when `column` is given.
std::string PrivilegeList(const std::set<std::string>& privileges, pb::PgObjectKind kind,
                          std::string_view column = "");

// The GRANT target of each kind with privileges.
std::string ViewAclSql(const pb::PgView& v);
std::string SequenceAclSql(const pb::PgSequence& q);
std::string TypeAclSql(const pb::PgType& t);
std::string FunctionAclSql(const pb::PgFunction& f);
std::string SchemaAclSql(const pb::PgNamespace& n);

// ALTER DEFAULT PRIVILEGES FOR ROLE ... [IN SCHEMA ...] REVOKE/GRANT ... ON TABLES ...
std::string DefaultPrivilegesSql(const pb::PgDefaultPrivileges& e);

}  // namespace strata::postgres

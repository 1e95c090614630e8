// The vocabulary of PostgreSQL privileges shared by validation, apply, diff and rendering:
// which privileges each kind of object has (in pg_dump's order), and the one namespace the
// model treats as always present ("public").
//
// "public" exists in every database, so the model lists it in `namespaces` only while it
// differs from a fresh database's: an entry {name: "public"} with no comment and no privilege
// change is the same state as no entry, and Apply removes such an entry rather than keep it.
// Its ACL is relative to a fresh database's public schema (see docs/postgres-history.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "proto/postgres.pb.h"

namespace strata {

inline constexpr std::string_view kPgImplicitNamespace = "public";
// Object names of default privileges entries start with this ("defaults:role/schema/TABLES").
inline constexpr std::string_view kPgDefaultPrivilegesPrefix = "defaults:";

// Privileges an object of `kind` can have, in pg_dump's order (the order GRANT lists them);
// empty for a kind that has no ACL in the model.
const std::vector<std::string_view>& PgPrivilegesOf(pb::PgObjectKind kind);

// The object kind whose privileges ALTER DEFAULT PRIVILEGES sets for `object_type` (TABLES,
// SEQUENCES, FUNCTIONS, TYPES, SCHEMAS); PG_OBJECT_KIND_UNSPECIFIED for anything else.
pb::PgObjectKind PgDefaultPrivilegesKind(std::string_view object_type);

// The key of PostgresSchema.default_privileges: "role/schema/object_type".
std::string PgDefaultPrivilegesKey(const pb::PgDefaultPrivileges& entry);
// The object name of a default privileges entry for the index and users: "defaults:<key>".
std::string PgDefaultPrivilegesObject(const pb::PgDefaultPrivileges& entry);

inline bool IsEmptyAcl(const pb::PgAcl& acl) {
  return acl.grants().empty() && acl.revokes().empty();
}

// The implicit namespace with nothing recorded about it: equal to no entry at all.
inline bool IsBareImplicitNamespace(const pb::PgNamespace& n) {
  return n.name() == kPgImplicitNamespace && n.comment().empty() && IsEmptyAcl(n.acl());
}

}  // namespace strata

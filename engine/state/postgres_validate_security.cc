// Validation of PostgreSQL security state: policies, ACLs, row-level security and default
// privileges. What the server itself refuses is refused here too (an INSERT policy with a
// USING expression, a privilege the object kind does not have, IN SCHEMA for SCHEMAS), so a
// malformed event is caught before it reaches a state.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <tuple>

#include "engine/state/postgres_security.h"
#include "engine/state/postgres_validate_internal.h"

namespace strata {
namespace {

Status Invalid(const PgTarget& t, std::string_view problem) {
  return Status::InvalidArgument(fmt::format("postgres {} {}: {}", t.verb, t.object, problem));
}

Status Missing(const PgTarget& t, std::string_view label) {
  return Status::InvalidArgument(fmt::format("postgres {}: {} name is empty", t.verb, label));
}

std::string KindName(pb::PgObjectKind kind) {
  std::string label = pb::PgObjectKind_Name(kind).substr(sizeof("PG_OBJECT_") - 1);
  for (char& ch : label) {
    ch = ch == '_' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return label;
}

Status ValidateGrants(const PgTarget& t, const google::protobuf::RepeatedPtrField<pb::PgGrant>& list,
                      std::string_view what, pb::PgObjectKind kind, std::string_view where) {
  const auto& allowed = PgPrivilegesOf(kind);
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  for (const auto& g : list) {
    if (g.grantee().empty()) return Invalid(t, fmt::format("{}{} grantee is empty", where, what));
    if (g.grantor().empty()) {
      return Invalid(t, fmt::format("{}{} of {} to {}: grantor is empty", where, what,
                                    g.privilege(), g.grantee()));
    }
    if (std::find(allowed.begin(), allowed.end(), g.privilege()) == allowed.end()) {
      return Invalid(t, fmt::format("{}{} to {}: {} is not a privilege of a {}", where, what,
                                    g.grantee(), g.privilege().empty() ? "\"\"" : g.privilege(),
                                    KindName(kind)));
    }
    if (!seen.emplace(g.grantee(), g.privilege(), g.grantor()).second) {
      return Invalid(t, fmt::format("{}{} of {} to {} by {} appears twice", where, what,
                                    g.privilege(), g.grantee(), g.grantor()));
    }
  }
  return Status::Ok();
}

Status ValidatePolicy(const PgTarget& t, const pb::PgPolicy& p) {
  if (p.name().empty()) return Missing(t, "policy");
  static const std::set<std::string> kCommands = {"ALL", "SELECT", "INSERT", "UPDATE", "DELETE"};
  if (!kCommands.count(p.command())) {
    return Invalid(t, fmt::format("policy {} command \"{}\" is not ALL, SELECT, INSERT, UPDATE "
                                  "or DELETE",
                                  p.name(), p.command()));
  }
  // A policy with no role would read as TO PUBLIC: the widest access, never a default.
  if (p.roles().empty()) return Invalid(t, fmt::format("policy {} names no role", p.name()));
  for (const auto& role : p.roles()) {
    if (role.empty()) return Invalid(t, fmt::format("policy {} has an empty role", p.name()));
  }
  if (p.command() == "INSERT" && p.has_using_expr()) {
    return Invalid(t, fmt::format("policy {} for INSERT cannot have a USING expression", p.name()));
  }
  if ((p.command() == "SELECT" || p.command() == "DELETE") && p.has_check_expr()) {
    return Invalid(t, fmt::format("policy {} for {} cannot have a WITH CHECK expression",
                                  p.name(), p.command()));
  }
  return Status::Ok();
}

// What the target of a SetAcl must name, by kind.
Status ValidateAclTarget(const PgTarget& t, const pb::PgObjectRef& r) {
  if (r.kind() == pb::PG_OBJECT_KIND_UNSPECIFIED) {
    return Status::InvalidArgument("postgres set_acl: object kind is UNSPECIFIED");
  }
  if (PgPrivilegesOf(r.kind()).empty()) {
    return Status::InvalidArgument(
        fmt::format("postgres set_acl: objects of kind {} have no privileges", KindName(r.kind())));
  }
  if (r.kind() == pb::PG_OBJECT_SCHEMA) return r.name().empty() ? Missing(t, "schema") : Status::Ok();
  if (r.kind() == pb::PG_OBJECT_FOREIGN_SERVER) {
    return r.name().empty() ? Missing(t, "foreign server") : Status::Ok();
  }
  if (r.schema().empty()) return Missing(t, "schema");
  if (r.kind() == pb::PG_OBJECT_COLUMN) {
    if (r.name().empty()) return Missing(t, "table");
    return r.sub().empty() ? Missing(t, "column") : Status::Ok();
  }
  return r.name().empty() ? Missing(t, KindName(r.kind())) : Status::Ok();
}

Status ValidateDefaultPrivileges(const PgTarget& t, const pb::PgDefaultPrivileges& e) {
  if (e.role().empty()) return Missing(t, "role");
  const pb::PgObjectKind kind = PgDefaultPrivilegesKind(e.object_type());
  if (kind == pb::PG_OBJECT_KIND_UNSPECIFIED) {
    return Invalid(t, fmt::format("object type \"{}\" is not TABLES, SEQUENCES, FUNCTIONS, TYPES "
                                  "or SCHEMAS",
                                  e.object_type()));
  }
  if (kind == pb::PG_OBJECT_SCHEMA && !e.schema().empty()) {
    return Invalid(t, "default privileges on SCHEMAS cannot be limited to a schema");
  }
  return ValidatePgAcl(t, e.acl(), kind);
}

}  // namespace

Status ValidatePgAcl(const PgTarget& t, const pb::PgAcl& acl, pb::PgObjectKind kind,
                     std::string_view where) {
  STRATA_RETURN_IF_ERROR(ValidateGrants(t, acl.grants(), "grant", kind, where));
  return ValidateGrants(t, acl.revokes(), "revoke", kind, where);
}

Status ValidatePgTableSecurity(const PgTarget& t, const pb::PgTable& table) {
  std::set<std::string> names;
  for (const auto& p : table.policies()) {
    STRATA_RETURN_IF_ERROR(ValidatePolicy(t, p));
    if (!names.insert(p.name()).second) {
      return Invalid(t, fmt::format("policy {} appears twice", p.name()));
    }
  }
  return ValidatePgAcl(t, table.acl(), pb::PG_OBJECT_TABLE);
}

Status ValidatePgSecurityChange(const PgTarget& t, const pb::PostgresChange& c) {
  using C = pb::PostgresChange;
  switch (c.kind_case()) {
    case C::kSetRowSecurity: {
      const auto& e = c.set_row_security();
      if (e.schema().empty()) return Missing(t, "schema");
      return e.table().empty() ? Missing(t, "table") : Status::Ok();
    }
    case C::kCreatePolicy: {
      const auto& e = c.create_policy();
      if (e.schema().empty()) return Missing(t, "schema");
      if (e.table().empty()) return Missing(t, "table");
      return ValidatePolicy(t, e.policy());
    }
    case C::kDropPolicy: {
      const auto& e = c.drop_policy();
      if (e.schema().empty()) return Missing(t, "schema");
      if (e.table().empty()) return Missing(t, "table");
      return e.policy().empty() ? Missing(t, "policy") : Status::Ok();
    }
    case C::kSetAcl: {
      const auto& e = c.set_acl();
      STRATA_RETURN_IF_ERROR(ValidateAclTarget(t, e.target()));
      return ValidatePgAcl(t, e.acl(), e.target().kind());
    }
    case C::kSetDefaultPrivileges:
      return ValidateDefaultPrivileges(t, c.set_default_privileges().entry());
    default: break;
  }
  return Status::Internal("postgres " + t.verb + ": not a security change");
}

}  // namespace strata

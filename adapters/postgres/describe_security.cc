// A SetAcl carries the object's whole ACL after the change, relative to the default, so its
// line says what the object's privileges now are beyond the default: for the common case, a
// grant on an object that had the default, that is exactly the grant.
#include "adapters/postgres/describe_security.h"

#include <fmt/format.h>

#include <map>
#include <set>
#include <utility>
#include <vector>

#include "adapters/postgres/render_security.h"
#include "engine/state/postgres_security.h"

namespace strata::postgres {
namespace {

std::string RowSecurityText(const pb::PgSetRowSecurity& e) {
  if (e.enabled()) return e.forced() ? "enable and force row level security"
                                     : "enable row level security";
  return e.forced() ? "disable row level security (forced when enabled)"
                    : "disable row level security";
}

std::string PolicyText(const pb::PgPolicy& p) {
  return fmt::format("create policy {} ({} to {}{})", p.name(), p.command(),
                     fmt::join(p.roles(), ", "), p.restrictive() ? ", restrictive" : "");
}

// "grant SELECT,INSERT to app_user", one piece per grantee and grant option.
std::vector<std::string> Pieces(const google::protobuf::RepeatedPtrField<pb::PgGrant>& list,
                                std::string_view verb, std::string_view to,
                                pb::PgObjectKind kind) {
  std::map<std::pair<std::string, bool>, std::set<std::string>> groups;
  for (const auto& g : list) groups[{g.grantee(), g.grantable()}].insert(g.privilege());
  std::vector<std::string> out;
  for (const auto& [key, privileges] : groups) {
    // One privilege reads as its name, even where it is the kind's whole set (EXECUTE).
    const std::string what =
        privileges.size() == 1 ? *privileges.begin() : PrivilegeList(privileges, kind);
    out.push_back(fmt::format("{} {} {} {}{}", verb, what, to, key.first,
                              key.second ? " with grant option" : ""));
  }
  return out;
}

std::string AclText(const pb::PgAcl& acl, pb::PgObjectKind kind) {
  if (IsEmptyAcl(acl)) return "back to the default";
  std::vector<std::string> pieces = Pieces(acl.revokes(), "revoke", "from", kind);
  for (auto& p : Pieces(acl.grants(), "grant", "to", kind)) pieces.push_back(std::move(p));
  return fmt::format("{}", fmt::join(pieces, "; "));
}

std::string SetAclText(const pb::PgSetAcl& e) {
  const auto& r = e.target();
  std::string where;
  if (r.kind() == pb::PG_OBJECT_COLUMN) where = " of column " + r.sub();
  return fmt::format("privileges{}: {}", where, AclText(e.acl(), r.kind()));
}

std::string DefaultPrivilegesText(const pb::PgDefaultPrivileges& e) {
  return fmt::format("default privileges on {} created by {}{}: {}", e.object_type(), e.role(),
                     e.schema().empty() ? "" : " in schema " + e.schema(),
                     AclText(e.acl(), PgDefaultPrivilegesKind(e.object_type())));
}

}  // namespace

std::optional<backend::ChangeText> DescribeSecurityChange(const pb::PostgresChange& c) {
  using C = pb::PostgresChange;
  switch (c.kind_case()) {
    case C::kSetRowSecurity: return backend::ChangeText{'~', RowSecurityText(c.set_row_security())};
    case C::kCreatePolicy: return backend::ChangeText{'+', PolicyText(c.create_policy().policy())};
    case C::kDropPolicy:
      return backend::ChangeText{'-', "drop policy " + c.drop_policy().policy()};
    case C::kSetAcl: return backend::ChangeText{'~', SetAclText(c.set_acl())};
    case C::kSetDefaultPrivileges:
      return backend::ChangeText{'~', DefaultPrivilegesText(c.set_default_privileges().entry())};
    default: break;
  }
  return std::nullopt;
}

}  // namespace strata::postgres

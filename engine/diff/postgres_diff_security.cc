// Diff of PostgreSQL security state. A policy whose definition changes is dropped and created
// again: ALTER POLICY cannot change its command or AS RESTRICTIVE, and "- policy p, + policy p"
// shows the old and the new definition side by side, which is what a reviewer reads; only a
// comment-only change is a SetComment. Privileges change by one SetAcl per object with the
// object's whole ACL after the change (what GRANT and REVOKE leave in the catalog), so a
// migration of 16 GRANTs on 16 tables is 16 events, not one per privilege.
#include "engine/diff/diff.h"
#include "engine/diff/postgres_diff_internal.h"
#include "engine/state/postgres_security.h"

namespace strata::pg_diff {
namespace {

using google::protobuf::util::MessageDifferencer;

const pb::PgPolicy* FindPolicy(const pb::PgTable& t, const std::string& name) {
  for (const auto& p : t.policies()) {
    if (p.name() == name) return &p;
  }
  return nullptr;
}

pb::PgNamespace ImplicitOr(const Namespaces& namespaces) {
  const std::string name(kPgImplicitNamespace);
  auto it = namespaces.find(name);
  if (it != namespaces.end()) return it->second;
  pb::PgNamespace bare;
  bare.set_name(name);
  return bare;
}

}  // namespace

void SetAclIfChanged(const pb::PgAcl& a, const pb::PgAcl& b, const pb::PgObjectRef& target,
                     std::vector<pb::Event>* out) {
  if (MessageDifferencer::Equals(a, b)) return;
  auto* e = NewChange(out)->mutable_set_acl();
  *e->mutable_target() = target;
  *e->mutable_acl() = b;
}

void DropPolicies(const pb::PgTable& a, const pb::PgTable& b, std::vector<pb::Event>* out) {
  for (const auto& p : a.policies()) {
    const pb::PgPolicy* kept = FindPolicy(b, p.name());
    if (kept != nullptr && SameButComment(p, *kept)) continue;
    auto* e = NewChange(out)->mutable_drop_policy();
    e->set_schema(b.schema());
    e->set_table(b.name());
    e->set_policy(p.name());
  }
}

void AddPolicies(const pb::PgTable& a, const pb::PgTable& b, std::vector<pb::Event>* out) {
  for (const auto& p : b.policies()) {
    const pb::PgPolicy* was = FindPolicy(a, p.name());
    if (was == nullptr || !SameButComment(*was, p)) {
      auto* e = NewChange(out)->mutable_create_policy();
      e->set_schema(b.schema());
      e->set_table(b.name());
      *e->mutable_policy() = p;
    } else if (was->comment() != p.comment()) {
      SetComment(Ref(pb::PG_OBJECT_POLICY, b.schema(), b.name(), p.name()), p.comment(), out);
    }
  }
}

void SetTableSecurity(const pb::PgTable& a, const pb::PgTable& b, std::vector<pb::Event>* out) {
  if (a.row_security() != b.row_security() || a.force_row_security() != b.force_row_security()) {
    auto* e = NewChange(out)->mutable_set_row_security();
    e->set_schema(b.schema());
    e->set_table(b.name());
    e->set_enabled(b.row_security());
    e->set_forced(b.force_row_security());
  }
  SetAclIfChanged(a.acl(), b.acl(), Ref(pb::PG_OBJECT_TABLE, b.schema(), b.name()), out);
}

Namespaces WithoutImplicitNamespace(const Namespaces& namespaces) {
  Namespaces copy = namespaces;
  copy.erase(std::string(kPgImplicitNamespace));
  return copy;
}

void DiffImplicitNamespace(const Namespaces& a, const Namespaces& b, std::vector<pb::Event>* out) {
  const pb::PgNamespace x = ImplicitOr(a);
  const pb::PgNamespace y = ImplicitOr(b);
  const pb::PgObjectRef ref = Ref(pb::PG_OBJECT_SCHEMA, "", y.name());
  if (x.comment() != y.comment()) SetComment(ref, y.comment(), out);
  SetAclIfChanged(x.acl(), y.acl(), ref, out);
}

void DiffDefaultPrivileges(const DefaultPrivileges& a, const DefaultPrivileges& b,
                           std::vector<pb::Event>* out) {
  for (const auto& key : SortedKeys(a, b)) {
    auto in_a = a.find(key);
    auto in_b = b.find(key);
    if (in_b == b.end()) {
      pb::PgDefaultPrivileges back = in_a->second;
      back.clear_acl();
      *NewChange(out)->mutable_set_default_privileges()->mutable_entry() = back;
    } else if (in_a == a.end() || !MessageDifferencer::Equals(in_a->second, in_b->second)) {
      *NewChange(out)->mutable_set_default_privileges()->mutable_entry() = in_b->second;
    }
  }
}

}  // namespace strata::pg_diff
